# grad with has_aux: (grads, aux) where aux is always a tuple; nested aux stays nested.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([-1.0, 0.5, 2.0], np.float32))

def f(x, y):
    return (x * y).sum(), x + 1
g, aux = mindspore.grad(f, has_aux=True)(x, y)
print(g, type(aux).__name__, len(aux), aux)
def f2(x, y):
    return (x * y).sum(), (x * 2, y * 3)
print(mindspore.grad(f2, (0, 1), has_aux=True)(x, y))
def f3(x, y):
    return (x * y).sum(), x, y
print(mindspore.grad(f3, 1, has_aux=True)(x, y))
def f4(x, y):
    return (x * y, x * x), y * 2
print(mindspore.grad(f4, 0, has_aux=True)(x, y))
