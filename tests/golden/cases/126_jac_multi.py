# jacfwd/jacrev with tuple positions, several outputs and has_aux.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
def f(x, y):
    return x * y, x + y
for jac in (mindspore.jacfwd, mindspore.jacrev):
    r = jac(f, (0, 1))(x, y)
    print(type(r).__name__, len(r), type(r[0]).__name__)
    print(r)
def g(x, y):
    return x * y
print(mindspore.jacrev(g, (0, 1))(x, y))
print(mindspore.jacfwd(g, 1)(x, y))
def h(x):
    return x * x, x + 1
print(mindspore.jacrev(h, has_aux=True)(x))
print(mindspore.jacfwd(h, has_aux=True)(x))
def h2(x):
    return x * x, x + 1, x - 1
print(mindspore.jacrev(h2, has_aux=True)(x))
