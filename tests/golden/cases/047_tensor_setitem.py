# Item assignment.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

t = Tensor(np.zeros((2, 3), np.float32))
t[0, 1] = 5.0
print(t)
t[1] = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
print(t)
t[:, 2] = -1.0
print(t)
t[t > 1.5] = 9.0
print(t)
i = Tensor(np.array([1, 2, 3], np.int32))
i[0] = 7
print(i, i.dtype)
