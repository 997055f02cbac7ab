# gather index_select.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

p = Tensor(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], np.float32))
idx = Tensor(np.array([2, 0], np.int32))
print(ops.gather(p, idx, 0))
print(ops.gather(p, idx, 1))
print(ops.gather(p, Tensor(np.array([[0, 1], [1, 2]], np.int32)), 0).shape)
print(ops.index_select(p, 0, idx))
print(ops.index_select(p, 1, idx))
