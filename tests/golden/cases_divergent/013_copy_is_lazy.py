# DIVERGENT? (not in the spec): Tensor.copy() is executed lazily in 2.10 PyNative. Writing through an
# asnumpy() view of the source *after* copy() but before the copy is used also changes the copy.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
n = x.asnumpy()
c = x.copy()
n[0] = 7.0
print(x, c)
c2 = x.copy()
print(c2)
n[1] = 9.0
print(x, c2)
