# grad(f, None, weights=list/tuple/ParameterTuple/[]) -> always a tuple.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([-1.0, 0.5, 2.0], np.float32))

w = Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name='w')
b = Parameter(Tensor(np.array([1.0], np.float32)), name='b')
def f(x):
    return (x * w + b).sum() * 2
r = mindspore.grad(f, None, [w])(x)
print(type(r).__name__, len(r), r)
r = mindspore.grad(f, None, (w, b))(x)
print(type(r).__name__, len(r), r)
r = mindspore.grad(f, None, [b, w])(x)
print(r)
r = mindspore.grad(f, None, mindspore.ParameterTuple([w, b]))(x)
print(type(r).__name__, r)
r = mindspore.grad(f, None, [])(x)
print(type(r).__name__, r)
