# DIVERGENT (spec 2.12, MindSpore limitation): jvp(f, (x,), (v,)) raises TypeError in 2.10.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
def f(x):
    return x * x
try:
    print(mindspore.jvp(f, (x,), (x,)))
except Exception as e:
    print(type(e).__name__)
