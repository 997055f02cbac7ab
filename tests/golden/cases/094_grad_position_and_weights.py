# grad with both grad_position and weights.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([-1.0, 0.5, 2.0], np.float32))

w = Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name='w')
b = Parameter(Tensor(np.array([1.0], np.float32)), name='b')
def f(x, y):
    return (x * w * y + b).sum()
print(mindspore.grad(f, 0, [w, b])(x, y))
print(mindspore.grad(f, 0, mindspore.ParameterTuple([w, b]))(x, y))
print(mindspore.grad(f, 1, w)(x, y))
print(mindspore.grad(f, 0, [])(x, y))
print(mindspore.grad(f, (0, 1), [w])(x, y))
print(mindspore.grad(f, (0,), [w])(x, y))
print(mindspore.grad(f, weights=[w])(x, y))
print(mindspore.grad(f, weights=w)(x, y))
