# ops.sum (dim/keepdim) and ops.mean (axis/keep_dims).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 4.0)
print(ops.sum(a)); print(ops.sum(a, 0)); print(ops.sum(a, dim=1)); print(ops.sum(a, dim=(0, 2)))
print(ops.sum(a, dim=-1, keepdim=True).shape)
print(ops.mean(a)); print(ops.mean(a, 1)); print(ops.mean(a, axis=(1, 2))); print(ops.mean(a, axis=0, keep_dims=True).shape)
i = Tensor(np.array([[1, 2], [3, 4]], np.int32))
print(ops.sum(i), ops.sum(i).dtype)
print(ops.sum(i, dtype=mindspore.float32))
print(repr(ops.mean(a)))
