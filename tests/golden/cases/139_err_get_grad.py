# get_grad with a missing id -> RuntimeError; with a str -> TypeError; on a plain result -> RuntimeError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
# MindSpore 2.10 message(s), in order:
#   RuntimeError: Can not find the gradient for position or Parameter 5
#   TypeError: For `get_grad`, the `x` should be an integer or a Parameter, but got w
#   RuntimeError: Can not find the gradient for position or Parameter 0   (plain result)
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
y = Tensor(np.array([3.0, 4.0], np.float32))
def f(x, y):
    return (x * y).sum()

r = mindspore.grad(f, (0, 1), return_ids=True)(x, y)
for ident in (5, 'w'):
    try:
        mindspore.get_grad(r, ident)
        print("no error")
    except Exception as e:
        print(type(e).__name__)
# On a plain (no-ids) result: RuntimeError when the gradients are 1-element tensors (used here).
# NOTE [2.10]: with multi-element gradients it is instead
# ValueError "The tensor should have only one element, but got 2, more than one element is ambiguous."
x1 = Tensor(np.array([1.0], np.float32))
y1 = Tensor(np.array([2.0], np.float32))
plain = mindspore.grad(f, (0, 1))(x1, y1)
try:
    mindspore.get_grad(plain, 0)
    print("no error")
except Exception as e:
    print(type(e).__name__)
