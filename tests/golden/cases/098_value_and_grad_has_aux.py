# value_and_grad with has_aux: value is the full output tuple.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([-1.0, 0.5, 2.0], np.float32))

def f(x, y):
    loss = (x * y).sum()
    return loss, x * 2, y
(loss, a, b), g = mindspore.value_and_grad(f, 0, has_aux=True)(x, y)
print(loss, a, b, g)
r = mindspore.value_and_grad(f, (0, 1), has_aux=True)(x, y)
print(type(r).__name__, len(r), type(r[0]).__name__, len(r[0]))
print(r)
def f2(x, y):
    return (x * y).sum(), (x, y)
print(mindspore.value_and_grad(f2, 1, has_aux=True)(x, y))
