# asnumpy dtype and astype.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([1.7, -2.2, 3.0], np.float32))
n = a.asnumpy()
print(type(n).__name__, n.dtype, n)
print(Tensor([1, 2]).asnumpy().dtype, Tensor(np.array([1., 2.])).asnumpy().dtype)
print(Tensor([True]).asnumpy().dtype, Tensor([1], mindspore.float16).asnumpy().dtype)
for d in [mindspore.int32, mindspore.int64, mindspore.float16, mindspore.float64, mindspore.bool_]:
    r = a.astype(d)
    print(r.dtype, r)
print(repr(a.astype(mindspore.int32)))
print(Tensor(np.array([0, 1, 2], np.int32)).astype(mindspore.bool_))
