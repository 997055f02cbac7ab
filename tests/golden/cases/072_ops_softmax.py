# softmax / log_softmax.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], np.float32))
print(repr(ops.softmax(a)))
print(repr(ops.softmax(a, axis=0)))
print(repr(ops.softmax(a, 1)))
print(repr(ops.log_softmax(a)))
print(repr(ops.log_softmax(a, axis=0)))
print(repr(ops.softmax(Tensor(np.array([1000.0, 0.0], np.float32)))))
print(repr(nn.Softmax()(a)))
print(repr(nn.LogSoftmax(axis=0)(a)))
