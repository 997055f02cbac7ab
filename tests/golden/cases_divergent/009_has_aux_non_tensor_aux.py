# DIVERGENT?: has_aux=True where the aux output is a Python int -> MindSpore 2.10 raises
# RuntimeError "If you set has_aux for grad or value_and_grad, that forward function should be
# multi output". The spec does not cover this; minispore may reasonably return (g, (3,)).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([1.0, 2.0], np.float32))
def f5(x):
    return (x * x).sum(), 3
try:
    print(mindspore.grad(f5, 0, has_aux=True)(x))
except Exception as e:
    print(type(e).__name__)
