# vjp with weights and has_aux.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
w = Parameter(Tensor(np.array([0.5, -2.0], np.float32)), name='w')
b = Parameter(Tensor(np.array([1.0, 1.0], np.float32)), name='b')
v = Tensor(np.array([1.0, 3.0], np.float32))
def f(x):
    return x * w + b
out, vjp_fn = mindspore.vjp(f, x, weights=[w, b])
print(vjp_fn(v))
out, vjp_fn = mindspore.vjp(f, x, weights=w)
print(vjp_fn(v))
def g(x):
    return x * x, x + 5
r = mindspore.vjp(g, x, has_aux=True)
print(len(r), r[0], r[2])
print(r[1](v))
def g2(x):
    return x * x, x + 5, x - 5
r = mindspore.vjp(g2, x, has_aux=True)
print(r[0], r[2])
