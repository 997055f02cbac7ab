# vmap: the docstring example and simple cases.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([[1, 2], [3, 4], [5, 6]], np.float32))
y = Tensor(np.array([[-3, -2, -1], [3, 2, 1]], np.float32))
z = Tensor(np.array([0, 3], np.float32))
def add3(x, y, z):
    return x + y + z
print(mindspore.vmap(add3, in_axes=(0, 1, None), out_axes=1)(x, y, z))
def rowsum(a):
    return a.sum()
print(mindspore.vmap(rowsum)(x))
print(mindspore.vmap(rowsum, 1)(x))
print(ops.vmap(nn.ReLU(), 1, 1)(y))
print(mindspore.vmap(rowsum)(y))
def sq(v):
    return (v * v).sum()
print(mindspore.vmap(mindspore.grad(sq))(x))
