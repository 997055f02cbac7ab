# ops.argmax (dim/keepdim) / ops.argmin (axis/keepdims).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]], np.float32))
print(ops.argmax(a), ops.argmax(a).dtype)
print(ops.argmax(a, 1), ops.argmax(a, dim=0), ops.argmax(a, 1, keepdim=True))
print(ops.argmin(a), ops.argmin(a, 1), ops.argmin(a, axis=0, keepdims=True))
print(ops.argmin(a, 1).dtype)
