# Parameter str / repr and inside containers.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

p = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name='w')
print(p)
print(repr(p))
print((p,))
print([p, p])
q = Parameter(Tensor(np.zeros((2, 3), np.float32)), name='q', requires_grad=False)
print(q)
r = Parameter(Tensor(3), name='r')
print(r)
print(p.value())
print(repr(p.value()))
print(p + 1)
print(repr(p * 2))
print(isinstance(p, Tensor), type(p + 1).__name__)
