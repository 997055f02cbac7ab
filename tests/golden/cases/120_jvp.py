# mindspore.jvp: (out, jvp_out) mirrors fn's output.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, -1.0], np.float32))
v = Tensor(np.array([1.0, 1.0], np.float32))
def f(x):
    return x ** 3
print(mindspore.jvp(f, x, v))
def g(x, y):
    return x * y
print(mindspore.jvp(g, (x, y), (v, v)))
def h(x, y):
    return x * y, x + y
out, jout = mindspore.jvp(h, (x, y), (v, Tensor(np.array([0.0, 2.0], np.float32))))
print(type(out).__name__, out, jout)
print(ops.jvp(f, x, v))
