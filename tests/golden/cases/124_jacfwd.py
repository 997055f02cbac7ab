# jacfwd: jac.shape == out.shape + in.shape.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
def f(x):
    return x * x
j = mindspore.jacfwd(f)(x)
print(j.shape)
print(j)
def s(v):
    return (v ** 2).sum()
print(mindspore.jacfwd(s)(Tensor(np.array([1.0, 2.0, 3.0], np.float32))))
def c(v):
    return v * v * v
print(repr(mindspore.jacfwd(c)(Tensor(2.0))))
def m(a):
    return ops.matmul(a, Tensor(np.array([[1.0], [2.0]], np.float32)))
print(mindspore.jacfwd(m)(Tensor(np.array([[1.0, 1.0]], np.float32))).shape)
