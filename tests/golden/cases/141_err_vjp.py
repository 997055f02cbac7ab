# vjp(f, 1) -> TypeError; wrong cotangent count -> RuntimeError; 0-d cotangent for a vector output -> RuntimeError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
# MindSpore 2.10 message(s), in order:
#   TypeError: The inputs type must be Tensor.
#   RuntimeError: Failure info [The given sens gradient's size should be same as out of network!].
#   RuntimeError: For grad interface or custom function, grad tensor should be broadcast to expected shape, but got [const vector]{} vs [const vector]{2}
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
def f(x, y):
    return (x * y).sum()

def h(x):
    return x * 2
try:
    mindspore.vjp(h, 1)
    print("no error")
except Exception as e:
    print(type(e).__name__)
def two(x):
    return x * 2, x * 3
out, fn = mindspore.vjp(two, x)
try:
    fn(x)
    print("no error")
except Exception as e:
    print(type(e).__name__)
out, fn = mindspore.vjp(h, x)
try:
    fn(Tensor(1.0))
    print("no error")
except Exception as e:
    print(type(e).__name__)
