# matmul (1-D / 2-D / batched) dot (2-D; 1-D raises, see 147) outer bmm.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

v = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
m = Tensor(np.arange(6, dtype=np.float32).reshape(3, 2))
n = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
print(repr(ops.matmul(v, v)))
print(ops.matmul(v, m))
print(ops.matmul(n, v))
print(ops.matmul(n, m))
bt = Tensor(np.arange(12, dtype=np.float32).reshape(2, 2, 3))
print(ops.matmul(bt, m))
print(ops.matmul(bt, m).shape, ops.matmul(m, bt).shape)
print(ops.dot(n, m))
print(ops.outer(v, Tensor(np.array([1.0, -1.0], np.float32))))
b2 = Tensor(np.arange(12, dtype=np.float32).reshape(2, 3, 2))
print(ops.bmm(bt, b2))
print(ops.matmul(Tensor(np.array([[1, 2]], np.int32)), Tensor(np.array([[3], [4]], np.int32))))
