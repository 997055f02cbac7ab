# Higher order: 3x^3 at x=2 -> 36, 36, 18.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([2.0], np.float32))
def f(x):
    return 3 * x ** 3
d1 = mindspore.grad(f)
d2 = mindspore.grad(d1)
d3 = mindspore.grad(d2)
print(f(x), d1(x), d2(x), d3(x))
print(repr(mindspore.grad(mindspore.grad(f))(Tensor(2.0))))
def f2(x):
    return x ** 3, 2 * x * x
print(mindspore.grad(mindspore.grad(f2))(x))
def g(x, y):
    return x * x * y
a = Tensor(np.array([1.0, 2.0], np.float32)); b = Tensor(np.array([3.0, 4.0], np.float32))
print(mindspore.grad(mindspore.grad(g, (0, 1)), (0, 1))(a, b))
