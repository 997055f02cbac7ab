# sin cos tan tanh sigmoid erf.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([-2.0, -0.5, 0.0, 0.5, 1.0, 3.0], np.float32))
for f in [ops.sin, ops.cos, ops.tan, ops.tanh, ops.sigmoid, ops.erf]:
    print(f.__name__, repr(f(a)))
print(ops.Sin()(a))
print(ops.Cos()(a))
