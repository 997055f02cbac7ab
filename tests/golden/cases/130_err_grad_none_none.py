# grad/value_and_grad(f, None, None) -> ValueError (raised when called)
# (Only the exception class name is compared; MindSpore's message is quoted below.)
# MindSpore 2.10 message(s), in order:
#   ValueError: `grad_position` and `weight` can not be None at the same time. (raised by grad()/value_and_grad() itself)
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
def f(x, y):
    return (x * y).sum()

# NOTE [2.10]: unlike the other argument checks this one fires when grad() /
# value_and_grad() is *created*, not when the result is called.
for make in (mindspore.grad, mindspore.value_and_grad):
    try:
        make(f, None, None)(x, y)
        print("no error")
    except Exception as e:
        print(type(e).__name__)
