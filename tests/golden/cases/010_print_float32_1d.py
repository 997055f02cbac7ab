# Tensor printing: 1-D float32, str and repr.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

np.random.seed(1)
a = Tensor(np.array([1.5, 2.0, 3.0], np.float32))
print(a)
print(repr(a))
b = Tensor(np.random.randn(8).astype(np.float32))
print(b)
print(repr(b))
c = Tensor(np.array([-1.0, 0.0, 2.5], np.float32))
print(c)
print(repr(c))
print(Tensor([1.0, 2.0, 3.0]))
print(repr(Tensor([1.0, 2.0, 3.0])))
