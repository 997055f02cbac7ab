# DIVERGENT (spec 12.5): non-Tensor positional inputs are silently dropped from the result.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

def f(x):
    return x * x
print(mindspore.grad(f)(2.0))
print(mindspore.grad(f)(np.array([1.0, 2.0], np.float32)))
t = Tensor(np.array([1.0, 2.0], np.float32))
def g(a, b):
    return a * b
print(mindspore.grad(g, (0, 1))(2.0, t))
def h(x, yz):
    return x * yz[0] * yz[1]
print(mindspore.grad(h, 1)(t, (t, t)))
