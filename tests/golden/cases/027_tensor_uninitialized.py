# Lazy-initialised Tensor(shape=, dtype=, init=): print() before init shows <uninitialized>
# (NOTE [2.10]: "value=\n<uninitialized>" for 2-D as the spec says, but "value=<uninitialized>" on one line for 1-D);
# asnumpy()/init_data() materialise it. (repr() before/after init is odd, see cases_divergent/014.)
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter
from mindspore.common.initializer import One, Zero, Constant

t = Tensor(shape=(2, 2), dtype=mindspore.float32, init=One())
print(t)
print(t.shape, t.dtype)
t2 = t.init_data()
print(t2)
print(t2.sum())
v = Tensor(shape=(3,), dtype=mindspore.float32, init=One())
print(v)
z = Tensor(shape=(3,), dtype=mindspore.int32, init=Zero())
print(z.asnumpy())
c = Tensor(shape=(2,), dtype=mindspore.float32, init=Constant(2.5))
print(c.init_data())
