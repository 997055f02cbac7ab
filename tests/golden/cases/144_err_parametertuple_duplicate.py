# ParameterTuple with duplicate names -> ValueError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Parameter(Tensor(np.array([1.0], np.float32)), name='a')
a2 = Parameter(Tensor(np.array([2.0], np.float32)), name='a')
try:
    mindspore.ParameterTuple([a, a2])
    print("no error")
except Exception as e:
    print(type(e).__name__)
