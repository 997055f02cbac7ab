# Tensor printing: long (but < 1000 element) 1-D reprs wrap lines (12 floats / 24 ints per line?).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

print(repr(Tensor(np.arange(13, dtype=np.float32) / 7)))
print(repr(Tensor(np.arange(30, dtype=np.float32) / 7 - 2)))
print(repr(Tensor(np.arange(30, dtype=np.int32))))
print(repr(Tensor(np.arange(30, dtype=np.int64) * 1000 - 5000)))
print(repr(Tensor(np.arange(30, dtype=np.float16) / 7)))
print(repr(Tensor(np.arange(13, dtype=np.float64) / 7)))
print(repr(Tensor(np.arange(30) % 3 == 0)))
print(repr(Tensor(np.arange(30, dtype=np.uint8))))
print(Tensor(np.arange(30, dtype=np.float32) / 7))
