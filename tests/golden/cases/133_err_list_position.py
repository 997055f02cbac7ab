# grad_position=[0,1] or 1.5 -> TypeError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
# MindSpore 2.10 message(s), in order:
#   TypeError: For 'F.grad', the 'grad_position' must be int or tuple.  (both [0, 1] and 1.5)
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
def f(x, y):
    return (x * y).sum()

for pos in ([0, 1], 1.5):
    try:
        mindspore.grad(f, pos)(x, y)
        print("no error")
    except Exception as e:
        print(type(e).__name__)
