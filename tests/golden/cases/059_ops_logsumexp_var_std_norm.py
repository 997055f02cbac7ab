# logsumexp var std norm.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 4.0]], np.float32))
print(repr(ops.logsumexp(a, 1))); print(repr(ops.logsumexp(a, dim=0, keepdim=True)))
print(repr(ops.var(a))); print(repr(ops.var(a, 1))); print(repr(ops.var(a, axis=0, ddof=1, keepdims=True)))
print(repr(ops.std(a))); print(repr(ops.std(a, 1, ddof=1)))
print(repr(ops.norm(a))); print(repr(ops.norm(a, dim=1))); print(repr(ops.norm(a, 1, dim=0)))
print(repr(ops.norm(a, dim=1, keepdim=True)))
print(repr(ops.norm(Tensor(np.array([3.0, -4.0], np.float32)))))
