# dtype objects: str / repr, and t.dtype.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

for d in [mindspore.float16, mindspore.float32, mindspore.float64, mindspore.int8, mindspore.int16,
          mindspore.int32, mindspore.int64, mindspore.uint8, mindspore.bool_, mindspore.bfloat16, mindspore.complex64]:
    print(d, repr(d))
print(mindspore.dtype.int32, mindspore.dtype.float32 == mindspore.float32)
print(Tensor([1.0]).dtype)
print(repr(Tensor([1]).dtype))
print(Tensor([1.0]).dtype == mindspore.float32, Tensor([1]).dtype == mindspore.int32)
print(mindspore.float32 == mindspore.float64)
