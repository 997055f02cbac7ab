# Keyword arguments are forwarded to fn and not differentiated.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
s = Tensor(np.array([3.0, 5.0], np.float32))
def f(x, scale=None):
    return (x * x * scale).sum()
print(mindspore.grad(f)(x, scale=s))
print(mindspore.value_and_grad(f)(x, scale=s))
