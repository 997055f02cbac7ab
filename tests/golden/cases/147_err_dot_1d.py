# ops.dot with 1-D inputs -> ValueError in 2.10 (inputs need dimension >= 2); matmul handles 1-D.
# (Only the exception class name is compared; MindSpore's message is quoted below.)
# MindSpore 2.10 message(s), in order:
#   ValueError: For 'dot', the inputs x1, x2 should have 'dimension >= 2',but got 'len(x1_shape)': (1) and 'len(x2_shape)': (1).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

v = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
try:
    print(ops.dot(v, v))
except Exception as e:
    print(type(e).__name__)
print(ops.matmul(v, v))
