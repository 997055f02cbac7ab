# mindspore.vjp: (out, vjp_fn); vjp_fn always returns a tuple.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, -1.0], np.float32))
v = Tensor(np.array([1.0, 1.0], np.float32))
def f(x):
    return x ** 3
out, vjp_fn = mindspore.vjp(f, x)
print(out)
r = vjp_fn(v)
print(type(r).__name__, len(r), r)
def g(x, y):
    return x * y
out, vjp_fn = mindspore.vjp(g, x, y)
print(vjp_fn(Tensor(np.array([2.0, 3.0], np.float32))))
def h(x, y):
    return x * y, x + y
out, vjp_fn = mindspore.vjp(h, x, y)
print(out)
print(vjp_fn(v, Tensor(np.array([0.0, 2.0], np.float32))))
print(vjp_fn((v, Tensor(np.array([0.0, 2.0], np.float32)))))
