# ops.cast.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([1.7, -2.7, 0.0], np.float32))
for d in [mindspore.int32, mindspore.int64, mindspore.float16, mindspore.float64, mindspore.bool_]:
    r = ops.cast(a, d)
    print(r.dtype, r)
print(repr(ops.cast(Tensor(np.array([1, 2], np.int32)), mindspore.float32)))
print(ops.cast(Tensor(np.array([True, False])), mindspore.float32))
