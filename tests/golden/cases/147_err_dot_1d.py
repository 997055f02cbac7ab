# ops.dot with 1-D inputs -> ValueError in 2.10 (inputs need dimension >= 2); matmul handles 1-D.
# (Only the exception class name is compared; MindSpore's message is quoted below.)
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

v = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
try:
    print(ops.dot(v, v))
except Exception as e:
    print(type(e).__name__)
print(ops.matmul(v, v))
