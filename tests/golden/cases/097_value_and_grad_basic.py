# value_and_grad return structures.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([-1.0, 0.5, 2.0], np.float32))

w = Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name='w')
def f(x, y):
    return (x * w * y).sum()
v, g = mindspore.value_and_grad(f)(x, y)
print(repr(v), g)
print(mindspore.value_and_grad(f, (0, 1))(x, y))
print(mindspore.value_and_grad(f, None, [w])(x, y))
print(mindspore.value_and_grad(f, 1, w)(x, y))
print(ops.value_and_grad(f, (0,), weights=[w])(x, y))
def f2(x, y):
    return x * y, (x - y).sum()
print(mindspore.value_and_grad(f2, (0, 1))(x, y))
