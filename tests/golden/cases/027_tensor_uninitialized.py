# Lazy-initialised Tensor(shape=, dtype=, init=) printing before and after init_data().
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

from mindspore.common.initializer import One, Zero, Constant
t = Tensor(shape=(2, 2), dtype=mindspore.float32, init=One())
print(repr(t))
print(t.shape, t.dtype)
t2 = t.init_data()
print(t2)
print(repr(t2))
z = Tensor(shape=(3,), dtype=mindspore.int32, init=Zero())
print(z.asnumpy())
c = Tensor(shape=(2,), dtype=mindspore.float32, init=Constant(2.5))
print(c.init_data())
