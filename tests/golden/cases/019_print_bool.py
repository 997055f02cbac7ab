# Tensor printing: bool tensors.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([True, False, True]))
print(a)
print(repr(a))
b = Tensor(np.array([[True, False], [False, False]]))
print(b)
print(repr(b))
print(repr(Tensor([1.0, 2.0]) > 1.5))
