# maximum minimum clamp clip where.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([1.0, -2.0, 3.5, 0.0], np.float32))
b = Tensor(np.array([0.5, 4.0, -1.0, 0.0], np.float32))
print(ops.maximum(a, b)); print(ops.minimum(a, b)); print(ops.maximum(a, 1.0))
print(ops.clamp(a, -1.0, 2.0)); print(ops.clamp(a, min=0.0)); print(ops.clamp(a, max=1.0))
print(ops.clip(a, -1.0, 1.0))
print(ops.where(a > b, a, b)); print(ops.where(a > 0, a, 0.0))
print(ops.clamp(Tensor(np.array([-5, 5], np.int32)), -2, 2))
