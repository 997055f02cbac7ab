# grad with an int grad_position (default 0, and 1).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([-1.0, 0.5, 2.0], np.float32))

def f(x, y):
    return (x * x * y).sum()
print(mindspore.grad(f)(x, y))
print(repr(mindspore.grad(f)(x, y)))
print(mindspore.grad(f, 1)(x, y))
print(ops.grad(f, grad_position=1)(x, y))
print(type(mindspore.grad(f)(x, y)).__name__)
