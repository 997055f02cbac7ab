# get_grad with a missing id -> RuntimeError; with a str -> TypeError; on a plain result -> RuntimeError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
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
plain = mindspore.grad(f, (0, 1))(x, y)
try:
    mindspore.get_grad(plain, 0)
    print("no error")
except Exception as e:
    print(type(e).__name__)
