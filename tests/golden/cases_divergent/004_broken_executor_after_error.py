# DIVERGENT (spec 12.7): after the has_aux ValueError the PyNative executor stays broken.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
def f(x):
    return (x * x).sum()
try:
    mindspore.grad(f, has_aux=True)(x)
except Exception as e:
    print(type(e).__name__)
try:
    print(x[0])
except Exception as e:
    print(type(e).__name__)
try:
    print(mindspore.grad(f)(x))
except Exception as e:
    print(type(e).__name__)
from mindspore.common.api import _pynative_executor
_pynative_executor.clear_res()
print(x[0])
print(mindspore.grad(f)(x))
