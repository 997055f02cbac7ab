# split chunk.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.arange(10, dtype=np.float32).reshape(5, 2))
r = ops.split(a, 2)
print(type(r).__name__, len(r), [t.shape for t in r])
print(r)
r = ops.split(a, [1, 4])
print([t.shape for t in r])
r = ops.split(a, 1, axis=1)
print(r)
c = ops.chunk(a, 2)
print(type(c).__name__, [t.shape for t in c])
c = ops.chunk(a, 3, axis=0)
print([t.shape for t in c])
