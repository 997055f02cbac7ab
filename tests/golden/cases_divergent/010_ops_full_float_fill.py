# DIVERGENT? (not in the spec): ops.full((2, 2), 7.5) without dtype gives Int64 [[7 7] [7 7]] in 2.10
# (the float fill value is truncated). torch/numpy give a float tensor.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

r = ops.full((2, 2), 7.5)
print(r.dtype, r)
r = ops.full((2,), -0.5)
print(r.dtype, r)
