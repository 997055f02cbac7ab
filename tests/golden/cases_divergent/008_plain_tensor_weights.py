# DIVERGENT (spec 2.6): a plain Tensor as weights is accepted but gives garbage; minispore should raise.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

w = Tensor(np.array([1.0, 2.0], np.float32))
x = Tensor(np.array([3.0, 4.0], np.float32))
def f(x):
    return (x * w).sum()
try:
    print(mindspore.grad(f, None, w)(x))
except Exception as e:
    print(type(e).__name__)
