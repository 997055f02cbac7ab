# mindspore.get_grad on return_ids results.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([-1.0, 0.5, 2.0], np.float32))

w = Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name='w')
b = Parameter(Tensor(np.array([1.0], np.float32)), name='b')
def f(x, y):
    return (x * w * y + b).sum()
r = mindspore.grad(f, (0, 1), [w, b], return_ids=True)(x, y)
print(mindspore.get_grad(r, 0))
print(mindspore.get_grad(r, 1))
print(mindspore.get_grad(r, w))
print(mindspore.get_grad(r, b))
v, r2 = mindspore.value_and_grad(f, 0, [w], return_ids=True)(x, y)
print(mindspore.get_grad(r2, 0), mindspore.get_grad(r2, w))
print(ops.get_grad(r, w) if hasattr(ops, 'get_grad') else 'no ops.get_grad')
