# has_aux=True with a 2-element list output -> ValueError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
# MindSpore 2.10 message(s), in order:
#   ValueError: When has_aux is True, origin fn requires more than one outputs.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
def f(x, y):
    return (x * y).sum()

def g(x, y):
    return [(x * y).sum(), x]
try:
    mindspore.grad(g, has_aux=True)(x, y)
    print("no error")
except Exception as e:
    print(type(e).__name__)
