# ops.stop_gradient semantics.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([2.0], np.float32))
y = Tensor(np.array([3.0], np.float32))
def f(x, y):
    return (ops.stop_gradient(x * y) + x * y) * y
print(mindspore.grad(f, 1)(x, y))
def g(x):
    return ops.stop_gradient(x) ** 2
print(repr(mindspore.grad(g)(Tensor(3.0))))
def h(x):
    return ops.stop_gradient(x * x)
print(mindspore.grad(h)(x))
print(ops.stop_gradient(x) is x, ops.stop_gradient(x))
print(ops.stop_gradient((x, y)))
print(ops.stop_gradient(2.5))
