# expand_dims unsqueeze squeeze flatten.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
print(ops.expand_dims(a, 0).shape, ops.expand_dims(a, -1).shape, ops.unsqueeze(a, 1).shape)
c = Tensor(np.zeros((1, 3, 1, 2), np.float32))
print(ops.squeeze(c).shape, ops.squeeze(c, 0).shape, ops.squeeze(c, (0, 2)).shape)
d = Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
print(ops.flatten(d).shape, ops.flatten(d, start_dim=0).shape, ops.flatten(d, start_dim=0, end_dim=1).shape)
print(ops.flatten(d))
