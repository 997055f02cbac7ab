# DIVERGENT (MindSpore 2.10 bug, not in the spec): return_ids=True with a single non-zero
# grad_position (1 or (1,)) returns ((1, G1[0]),) -- a 1-tuple holding only the FIRST ELEMENT of
# the gradient as a 0-d tensor -- instead of (1, G1). Position 0 and tuples of >= 2 positions are fine.
# Per the spec (2.2), minispore should return (1, G1).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([-1.0, 0.5, 2.0], np.float32))
w = Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name='w')
def g(x, y):
    return (x * y).sum()
def f(x, y):
    return (x * w * y).sum()
print(mindspore.grad(g, 1, return_ids=True)(x, y))
print(mindspore.grad(g, (1,), return_ids=True)(x, y))
print(mindspore.grad(g, 0, return_ids=True)(x, y))
print(mindspore.grad(f, 1, [w], return_ids=True)(x, y))
v, r = mindspore.value_and_grad(f, 1, [w], return_ids=True)(x, y)
print(mindspore.get_grad(r, 1))
print(mindspore.grad(f, 1)(x, y))
