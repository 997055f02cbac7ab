# Tensor methods: reshape view transpose squeeze expand_dims copy tanh sin.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.arange(6, dtype=np.float32))
print(a.reshape(2, 3))
print(a.reshape((3, 2)).shape, a.reshape(-1, 2).shape)
print(a.view(3, 2))
print(a.view((2, 3)).shape)
b = a.reshape(2, 3)
print(b.transpose())
print(b.transpose(1, 0).shape)
c = Tensor(np.zeros((1, 3, 1), np.float32))
print(c.squeeze().shape, c.squeeze(0).shape, c.squeeze(2).shape)
print(b.expand_dims(0).shape, b.expand_dims(-1).shape)
print(b.copy())
print((b / 2).tanh())  # |x| <= 2.5: MindSpore's CPU tanh is inaccurate above ~3.5, see cases_divergent/015
print(b.sin())
print(b.T.shape)
