# ops.dense(x, w, b) = x @ w.T + b.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], np.float32))
w = Tensor(np.array([[0.1, 0.2, 0.3], [-0.5, 0.0, 1.0]], np.float32))
b = Tensor(np.array([0.5, -0.5], np.float32))
print(ops.dense(x, w, b))
print(ops.dense(x, w))
print(ops.dense(x, w, bias=b).shape)
