# Tensor printing: 3-D (2,3,4) float32 and int64.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 10.0)
print(a)
print(repr(a))
i = Tensor(np.arange(24).reshape(2, 3, 4))
print(i)
print(repr(i))
print(repr(Tensor(np.ones((2, 1, 2), np.float32))))
