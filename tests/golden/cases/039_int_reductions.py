# Reductions of integer tensors: sum promotes Int32 -> Int64; mean stays integer (truncated) in 2.10.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

i = Tensor(np.array([[1, 2], [3, 4]], np.int32))
print(i.sum(), i.sum().dtype)
print(i.mean(), i.mean().dtype)
print(i.mean(0), i.mean(0).dtype)
print(ops.mean(i), ops.mean(i).dtype)
print(ops.sum(i), ops.sum(i).dtype)
j = Tensor(np.array([1, 2], np.int64))
print(j.mean(), j.mean().dtype)
print(i.max(), i.max().dtype, i.prod(), i.prod().dtype)
