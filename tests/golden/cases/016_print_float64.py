# Tensor printing: float64 tensors.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([1., 2.]))
print(a)
print(repr(a))
print(a.dtype)
b = Tensor(np.array([[1. / 3, -2.5], [1e-3, 12345.678]]))
print(b)
print(repr(b))
