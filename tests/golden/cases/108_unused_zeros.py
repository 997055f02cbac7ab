# Unused inputs / weights / constant outputs give zeros, not None.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([[3.0], [4.0]], np.float32))
u = Parameter(Tensor(np.array([5.0, 6.0, 7.0], np.float32)), name='u')
def f(x, y):
    return x * 2
print(mindspore.grad(f, (0, 1))(x, y))
print(mindspore.grad(f, 0, [u])(x, y))
def c(x):
    return Tensor(np.array([1.0], np.float32))
print(mindspore.grad(c)(x))
def pf(x):
    return 3.0
print(mindspore.grad(pf)(x))
