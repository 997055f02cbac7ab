# ops.pad.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
print(ops.pad(a, (1, 1)))
print(ops.pad(a, (0, 1, 2, 0)))
print(ops.pad(a, (1, 1), value=9.0))
print(ops.pad(a, (1, 1, 1, 1), mode='reflect'))
print(ops.pad(a, (1, 0), mode='replicate'))
print(ops.pad(a, (-1, 1)))
