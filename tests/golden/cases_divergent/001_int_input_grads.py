# DIVERGENT (spec 12.4): MindSpore gives integer inputs integer gradients (and bool -> bool False).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

def sq(x):
    return x * x
def scale(x):
    return x * 2.5
i = Tensor(np.array([1, 2], np.int32))
g = mindspore.grad(sq)(i)
print(g.dtype, g)
g = mindspore.grad(scale)(i)
print(g.dtype, g)
def bf(x):
    return x * 1.0
g = mindspore.grad(bf)(Tensor(np.array([True, False])))
print(g.dtype, g)
