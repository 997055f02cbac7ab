# DIVERGENT (spec 12.7 / 2.13): after a has_aux ValueError the PyNative executor can stay broken.
# Observed on 2.10: after grad(f, has_aux=True) fails, indexing still works; after
# value_and_grad(f, (0, 1), has_aux=True) fails, x[0] raises
# TypeError "Only support integers, slices(`:`), ellipsis(`...`), None, bool, tensor, int, list and
# tuple as index, but got 0 with type <class 'int'>" until _pynative_executor.clear_res().
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
def f(x, y):
    return x * y
try:
    mindspore.grad(f, has_aux=True)(x, y)
except Exception as e:
    print(type(e).__name__)
try:
    print(x[0])
except Exception as e:
    print(type(e).__name__)
try:
    mindspore.value_and_grad(f, (0, 1), has_aux=True)(x, y)
except Exception as e:
    print(type(e).__name__)
try:
    print(x[0])
except Exception as e:
    print(type(e).__name__)
try:
    print(mindspore.grad(f)(x, y))
except Exception as e:
    print(type(e).__name__)
from mindspore.common.api import _pynative_executor
_pynative_executor.clear_res()
print(x[0])
print(mindspore.grad(f)(x, y))
