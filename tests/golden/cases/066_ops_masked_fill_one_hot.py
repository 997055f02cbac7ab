# masked_fill one_hot.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[1.0, -2.0], [3.0, -4.0]], np.float32))
print(ops.masked_fill(a, a < 0, 0.0))
print(ops.masked_fill(a, Tensor(np.array([True, False])), Tensor(9.0)))
idx = Tensor(np.array([0, 2, 1], np.int32))
oh = ops.one_hot(idx, 3)
print(oh, oh.dtype)
print(ops.one_hot(idx, 4, Tensor(1.0), Tensor(0.0)))
print(ops.one_hot(idx, 3, 5, -1, axis=0))
print(ops.one_hot(Tensor(np.array([1, 0], np.int64)), 2).dtype)
