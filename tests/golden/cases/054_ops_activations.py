# relu gelu softplus.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([-3.0, -1.0, -0.1, 0.0, 0.5, 2.0, 25.0], np.float32))
print(repr(ops.relu(a)))
print(repr(ops.gelu(a)))
print(repr(ops.gelu(a, approximate='tanh')))
print(repr(ops.softplus(a)))
print(repr(ops.softplus(a, beta=2, threshold=10)))
print(ops.relu(Tensor(np.array([-1, 2], np.int32))))
