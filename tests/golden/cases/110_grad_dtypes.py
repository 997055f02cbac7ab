# Gradient dtype follows the (float) input dtype.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

def f(x):
    return (x * x).sum()
for arr in [np.array([1.0, 2.0], np.float32), np.array([1.0, 2.0], np.float64), np.array([1.0, 2.0], np.float16)]:
    g = mindspore.grad(f)(Tensor(arr))
    print(g.dtype, repr(g))
