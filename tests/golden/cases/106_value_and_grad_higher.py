# Gradients of gradients via value_and_grad.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([0.5, 1.5], np.float32))
def f(x):
    return (x ** 4).sum()
def first(x):
    v, g = mindspore.value_and_grad(f)(x)
    return g.sum()
print(mindspore.value_and_grad(first)(x))
def first2(x):
    return mindspore.grad(f)(x)
print(mindspore.value_and_grad(first2)(x))
print(mindspore.grad(mindspore.grad(ops.sin))(Tensor(np.array([0.0, 1.0], np.float32))))
