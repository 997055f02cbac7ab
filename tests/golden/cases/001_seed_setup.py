# Seed tutorial, block 1: inputs and parameters.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

np.random.seed(0)
x = ops.ones(5, mindspore.float32)  # input tensor
y = ops.zeros(3, mindspore.float32)  # expected output
w = Parameter(Tensor(np.random.randn(5, 3), mindspore.float32), name='w') # weight
b = Parameter(Tensor(np.random.randn(3,), mindspore.float32), name='b') # bias

print(x)
print(y)
print(w)
print(b)
print(repr(x))
print(x.shape, x.dtype, y.shape, y.dtype)
print(w.name, b.name, w.requires_grad)
print(w.value())
print(b.value())
