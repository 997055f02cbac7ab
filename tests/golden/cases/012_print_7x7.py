# Tensor printing: summarisation of a (7,7) float32 and a (7,7) int tensor.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.arange(49, dtype=np.float32).reshape(7, 7) / 7.0)
print(a)
print(repr(a))
i = Tensor(np.arange(49, dtype=np.int32).reshape(7, 7))
print(i)
print(repr(i))
s = Tensor(np.arange(12, dtype=np.float32).reshape(2, 6))
print(repr(s))
t = Tensor(np.arange(14, dtype=np.float32).reshape(2, 7))
print(repr(t))
