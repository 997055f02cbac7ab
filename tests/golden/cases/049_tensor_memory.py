# Memory sharing: Tensor.from_numpy shares, Tensor(arr) copies, asnumpy() is a view.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

arr = np.array([1.0, 2.0, 3.0], np.float32)
shared = Tensor.from_numpy(arr)
copied = Tensor(arr)
arr[0] = 100.0
print(shared)
print(copied)
t = Tensor(np.array([1.0, 2.0], np.float32))
n = t.asnumpy()
n[1] = -5.0
print(t)
