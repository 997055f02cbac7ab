# Tensor printing: 1-D summarisation threshold (1000 vs 1001 elements).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.arange(1001, dtype=np.float32))
print(a)
print(repr(a))
b = Tensor(np.arange(1000, dtype=np.float32) / 1000.0)
print(repr(b))
print(repr(Tensor(np.arange(1001, dtype=np.int32))))
