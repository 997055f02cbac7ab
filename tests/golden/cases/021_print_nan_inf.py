# Tensor printing: nan / inf.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([np.nan, np.inf, -np.inf, 1.0], np.float32))
print(a)
print(repr(a))
b = Tensor(np.array([[np.nan, 1.0], [2.0, -np.inf]], np.float32))
print(b)
print(repr(b))
print(repr(Tensor(float('nan'))))
print(repr(Tensor(np.array([np.inf, 0.5], np.float16))))
