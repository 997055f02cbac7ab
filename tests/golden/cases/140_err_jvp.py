# jvp(f, 1, 1) -> TypeError; tuple inputs with a non-tuple v -> ValueError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
# MindSpore 2.10 message(s), in order:
#   TypeError: The inputs type must be a Tensor, tuple or list of Tensors.
#   ValueError: v has invalid length: should be 2, but got 1
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
def f(x, y):
    return (x * y).sum()

def g(x, y):
    return x * y
def h(x):
    return x * 2
try:
    mindspore.jvp(h, 1, 1)
    print("no error")
except Exception as e:
    print(type(e).__name__)
try:
    mindspore.jvp(g, (x, y), x)
    print("no error")
except Exception as e:
    print(type(e).__name__)
