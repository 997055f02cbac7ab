# broadcast_to tile.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
print(ops.broadcast_to(a, (2, 3)))
print(ops.broadcast_to(Tensor(np.array([[1], [2]], np.int32)), (2, 4)))
print(ops.broadcast_to(a, (2, -1)).shape)
print(ops.tile(a, (2,)))
print(ops.tile(a, (2, 2)))
print(ops.tile(Tensor(np.array([[1, 2]], np.int32)), (3, 1)))
