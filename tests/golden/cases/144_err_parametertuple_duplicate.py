# ParameterTuple with duplicate names -> ValueError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
# MindSpore 2.10 message(s), in order:
#   ValueError: The value Parameter (name=a, shape=(1,), dtype=Float32, requires_grad=True) , its name 'a' already exists. Please set a unique name for the parameter.
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
