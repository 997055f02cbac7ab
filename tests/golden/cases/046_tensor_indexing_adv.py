# Indexing with a Bool mask Tensor and an int Tensor.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

t = Tensor(np.array([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]], np.float32))
mask = t > 0
print(t[mask])
idx = Tensor(np.array([1, 0, 1], np.int32))
print(t[idx])
print(t[Tensor(np.array([0, 1], np.int64))])
print(t[:, Tensor(np.array([2, 0], np.int32))])
v = Tensor(np.array([10.0, 20.0, 30.0, 40.0], np.float32))
print(v[Tensor(np.array([True, False, True, False]))])
print(v[[0, 3]])
