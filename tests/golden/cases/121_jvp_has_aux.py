# jvp with has_aux: aux is bare for one, a tuple for several.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
v = Tensor(np.array([1.0, 0.5], np.float32))
def f(x):
    return x ** 2, x * 10
r = mindspore.jvp(f, x, v, has_aux=True)
print(len(r), type(r[2]).__name__, r)
def f2(x):
    return x ** 2, x * 10, x + 1
r = mindspore.jvp(f2, x, v, has_aux=True)
print(len(r), type(r[2]).__name__, r)
