# return_ids=True: every gradient becomes (id, grad).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([-1.0, 0.5, 2.0], np.float32))

w = Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name='w')
b = Parameter(Tensor(np.array([1.0], np.float32)), name='b')
def f(x, y):
    return (x * w * y + b).sum()
print(mindspore.grad(f, 0, return_ids=True)(x, y))
print(mindspore.grad(f, (0, 1), return_ids=True)(x, y))
print(mindspore.grad(f, (0, 1), [w, b], return_ids=True)(x, y))
print(mindspore.grad(f, None, [w, b], return_ids=True)(x, y))
print(mindspore.grad(f, None, w, return_ids=True)(x, y))
print(mindspore.grad(f, (0,), return_ids=True)(x, y))
print(mindspore.value_and_grad(f, 0, [b], return_ids=True)(x, y))
# NOTE: a single *non-zero* position with return_ids is broken in 2.10; see cases_divergent/012.
def g(x, y):
    return (x * w * y).sum(), x
print(mindspore.grad(g, 0, [w], has_aux=True, return_ids=True)(x, y))
