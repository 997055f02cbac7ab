# concat cat stack.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[1.0, 2.0]], np.float32))
b = Tensor(np.array([[3.0, 4.0]], np.float32))
print(ops.concat((a, b)))
print(ops.concat([a, b], axis=1))
print(ops.cat((a, b), 0).shape, ops.cat((a, b), axis=-1).shape)
print(ops.stack((a, b)).shape, ops.stack([a, b], axis=1).shape, ops.stack((a, b), -1).shape)
print(ops.stack((Tensor(np.array([1, 2], np.int32)), Tensor(np.array([3, 4], np.int32)))))
