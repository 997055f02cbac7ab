# DIVERGENT (spec 12.6): the same Tensor object at two positions is treated as one variable.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
def g(a, b):
    return a * b
print(mindspore.grad(g, (0, 1))(x, x))
y = Tensor(np.array([1.0, 2.0], np.float32))
print(mindspore.grad(g, (0, 1))(x, y))
