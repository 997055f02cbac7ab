# Tensor + np.ndarray -> TypeError (format(t, '>7f') moved to cases_divergent/017).
# (Only the exception class name is compared; MindSpore's message is quoted below.)
# MindSpore 2.10 message(s), in order:
#   TypeError: Failed calling Add with "Add()(input=Tensor, other=<class 'numpy.ndarray'>)".
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

t = Tensor(np.array([1.0, 2.0], np.float32))
try:
    t + np.array([1.0, 2.0], np.float32)
    print("no error")
except Exception as e:
    print(type(e).__name__)
print(format(Tensor(1.5).asnumpy(), '>7f'))
