# ops.prod / ops.max / ops.min (axis / keep dims variants). ops.max/min return (values, indices);
# the index for axis=None is odd in 2.10 (always 0), see cases_divergent/011.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 0.5]], np.float32))
print(ops.prod(a)); print(ops.prod(a, 0)); print(ops.prod(a, axis=1, keep_dims=True))
print(ops.max(a)[0])
print(ops.max(a, 1))
print(ops.max(a, axis=0, keepdims=True))
print(ops.min(a)[0])
print(ops.min(a, 0))
print(type(ops.max(a, 1)).__name__)
