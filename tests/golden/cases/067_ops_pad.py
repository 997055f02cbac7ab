# ops.pad.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
print(ops.pad(a, (1, 1)))
print(ops.pad(a, (0, 1, 2, 0)))
print(ops.pad(a, (1, 1), value=9.0))
a3 = a.reshape(1, 2, 2)
print(ops.pad(a3, (1, 1, 1, 1), mode='reflect'))
print(ops.pad(a3, (1, 0), mode='replicate'))
# NOTE [2.10]: 'reflect'/'replicate'/'circular' on a 2-D input raise ValueError
# ("the input dims for edge, reflect or circular mode must be greater than or equal to 3").
print(ops.pad(a, (-1, 1)))
