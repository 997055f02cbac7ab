# ops.prod / ops.max / ops.min (axis / keep dims variants).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 0.5]], np.float32))
print(ops.prod(a)); print(ops.prod(a, 0)); print(ops.prod(a, axis=1, keep_dims=True))
print(ops.max(a))
print(ops.max(a, 1))
print(ops.max(a, axis=0, keepdims=True))
print(ops.min(a))
print(ops.min(a, 0))
print(type(ops.max(a, 1)).__name__)
