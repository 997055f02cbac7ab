# DIVERGENT (MindSpore 2.10 CPU kernel accuracy, not in the spec): ops.tanh / Tensor.tanh in float32
# are off by up to ~1e-4 relative for |x| > ~3.5 and even exceed 1: tanh(5) prints 1.00000978e+00
# (exact: 9.99909204e-01). minispore computes tanh exactly (to float32 rounding).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([3.0, 4.0, 5.0, 6.0, -5.0], np.float32))
print(repr(ops.tanh(x)))
print(repr(x.tanh()))
print(repr(nn.Tanh()(x)))
