# reshape transpose permute swapaxes.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.arange(6, dtype=np.float32))
print(ops.reshape(a, (2, 3))); print(ops.reshape(a, (3, -1)).shape)
b = Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
print(ops.transpose(b, (2, 0, 1)).shape)
print(ops.transpose(ops.reshape(a, (2, 3)), (1, 0)))
print(ops.permute(b, (1, 2, 0)).shape)
print(ops.swapaxes(b, 0, 2).shape)
print(ops.swapaxes(ops.reshape(a, (2, 3)), 0, 1))
