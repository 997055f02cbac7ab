# Tensor + np.ndarray -> TypeError; format(t, '>7f') -> TypeError
# (Only the exception class name is compared; MindSpore's message is quoted below.)
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

t = Tensor(np.array([1.0, 2.0], np.float32))
try:
    t + np.array([1.0, 2.0], np.float32)
    print("no error")
except Exception as e:
    print(type(e).__name__)
try:
    format(Tensor(1.5), '>7f')
    print("no error")
except Exception as e:
    print(type(e).__name__)
print(format(Tensor(1.5).asnumpy(), '>7f'))
