# Passing a numpy array to nn.Dense -> TypeError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

mindspore.set_seed(1)
d = nn.Dense(3, 2)
try:
    d(np.ones((1, 3), np.float32))
    print("no error")
except Exception as e:
    print(type(e).__name__)
