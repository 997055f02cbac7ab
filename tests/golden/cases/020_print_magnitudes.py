# Tensor printing: large / small magnitudes and mixed signs.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([1e-8, 1.0, 1e8], np.float32))
print(a)
print(repr(a))
b = Tensor(np.array([[-1e-20, 3e30], [0.0, -7.5]], np.float32))
print(b)
print(repr(b))
c = Tensor(np.array([0.001, 0.0001, 123.0], np.float32))
print(c)
print(repr(c))
d = Tensor(np.array([100000.0, 2.0], np.float32))
print(d)
print(repr(d))
