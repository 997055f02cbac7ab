# grad with tuple grad_position: (0,) collapses to a bare Tensor; (0,1) and (1,0) keep order.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([-1.0, 0.5, 2.0], np.float32))

def f(x, y):
    return (x * x * y).sum()
r = mindspore.grad(f, (0,))(x, y)
print(type(r).__name__, r)
r = mindspore.grad(f, (1,))(x, y)
print(type(r).__name__, r)
r = mindspore.grad(f, (0, 1))(x, y)
print(type(r).__name__, len(r), r)
r = mindspore.grad(f, (1, 0))(x, y)
print(r)
