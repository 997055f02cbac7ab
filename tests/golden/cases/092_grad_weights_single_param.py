# grad(f, None, w) with a single Parameter -> bare Tensor.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([-1.0, 0.5, 2.0], np.float32))

w = Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name='w')
def f(x):
    return (x * w * w).sum()
r = mindspore.grad(f, None, w)(x)
print(type(r).__name__, r)
r = mindspore.grad(f, None, weights=w)(x)
print(repr(r))
