# Default Parameter names in a fresh process.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

p = Parameter(Tensor(np.array([1.0], np.float32)))
print(p.name)
q = Parameter(Tensor(np.array([2.0], np.float32)))
print(q.name)
print(p)
print(p.name == q.name)
