# Passing a numpy array to nn.Dense -> TypeError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
# MindSpore 2.10 message(s), in order:
#   TypeError: For primitive[Shape], the input argument must be Tensor, but got <class 'numpy.ndarray'>.
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
