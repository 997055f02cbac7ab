# Tensor methods: argmax, sum, mean, max with axis / keepdims.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]], np.float32))
print(a.argmax(), a.argmax().dtype)
print(a.argmax(1), a.argmax(1).dtype)
print(a.argmax(0))
print(a.sum(), a.sum().shape)
print(a.sum(0), a.sum(1), a.sum(axis=1, keepdims=True))
print(a.mean(), a.mean(0), a.mean(axis=1, keep_dims=True))
print(a.max(), a.max(axis=0), a.max(axis=1, keepdims=True))
print(a.min(), a.min(axis=1))
print(repr(a.sum()))
i = Tensor(np.array([[1, 2], [3, 4]], np.int32))
print(i.sum(), i.sum().dtype)  # int mean: see 039
label = Tensor(np.array([1, 2], np.int32))
print((a.argmax(1) == label).asnumpy().sum())
