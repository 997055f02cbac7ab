# Tensor printing: int32 / int64 / uint8 tensors, negatives.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor([1, 2])
print(a)
print(repr(a))
b = Tensor(np.array([[1, -2, 3], [40, 5, -600]], np.int32))
print(b)
print(repr(b))
c = Tensor(np.array([0, 7, 255], np.uint8))
print(c)
print(repr(c))
d = Tensor(np.array([-1, 10**12], np.int64))
print(repr(d))
