# jacrev: same results as jacfwd.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
def f(x):
    return x * x
j = mindspore.jacrev(f)(x)
print(j.shape)
print(j)
def s(v):
    return (v ** 2).sum()
print(mindspore.jacrev(s)(Tensor(np.array([1.0, 2.0, 3.0], np.float32))))
def c(v):
    return v * v * v
print(repr(mindspore.jacrev(c)(Tensor(2.0))))
def lin(v):
    return ops.matmul(Tensor(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32)), v)
print(mindspore.jacrev(lin)(Tensor(np.array([1.0, 1.0, 1.0], np.float32))))
