# DIVERGENT? (spec 3 says print shows value=\n<uninitialized>): in 2.10 repr() of a lazy-init tensor
# prints zeros (the unfilled buffer) while str() prints "value=<uninitialized>"; after init_data() the
# repr uses a numpy-style format ("[1., 1.]", "[-0.00490911, ...]") instead of %.8e.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter
from mindspore.common.initializer import One, Constant

t = Tensor(shape=(2, 2), dtype=mindspore.float32, init=One())
print(repr(t))
print(str(t))
t.init_data()
print(repr(t))
c = Tensor(shape=(3,), dtype=mindspore.float32, init=Constant(2.5)).init_data()
print(repr(c))
print(repr(c + 0))
