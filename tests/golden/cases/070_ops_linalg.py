# inverse / inv / det / cholesky.  (ops.solve does not exist in MindSpore 2.10.)
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[4.0, 2.0], [2.0, 3.0]], np.float32))
print(repr(ops.inverse(a)))
print(repr(ops.inv(Tensor(np.array([2.0, -4.0], np.float32)))))
print(repr(ops.det(a)))
print(repr(ops.det(Tensor(np.array([[[1.0, 2.0], [3.0, 4.0]], [[2.0, 0.0], [0.0, 2.0]]], np.float32)))))
print(repr(ops.cholesky(a)))
print(repr(ops.cholesky(a, upper=True)))
