# grad_position=() -> RuntimeError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
# MindSpore 2.10 message(s), in order:
#   RuntimeError: grad_position should not be empty when grad by position!
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
def f(x, y):
    return (x * y).sum()

try:
    mindspore.grad(f, ())(x, y)
    print("no error")
except Exception as e:
    print(type(e).__name__)
