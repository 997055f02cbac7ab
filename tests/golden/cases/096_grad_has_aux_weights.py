# grad with has_aux and weights.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
y = Tensor(np.array([-1.0, 0.5, 2.0], np.float32))

w = Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name='w')
def f(x):
    z = x * w
    return z.sum(), z
print(mindspore.grad(f, None, [w], has_aux=True)(x))
print(mindspore.grad(f, 0, w, has_aux=True)(x))
