# Indexing: int, slice, ..., None, negative.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

t = Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
print(t[0])
print(t[1, 1])
print(t[1, 1, 2], repr(t[1, 1, 2]))
print(t[:, 1])
print(t[..., 0])
print(t[0, ..., 1:3])
print(t[None].shape, t[:, None].shape)
print(t[-1, -1])
print(t[:, ::2, 1])
print(t[0, 1:])
m = Tensor(np.array([[0.0, 1.0], [2.0, 3.0]], np.float32))
print(m[1, 1])
print(Tensor([10, 20, 30])[1], Tensor([10, 20, 30])[-1])
