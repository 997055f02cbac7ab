# DIVERGENT (spec 12.12): nn.BCELoss with a broadcast weight and reduction='none' zeroes rows after the first.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[.2, -1.], [1.5, .3]], np.float32))
t = Tensor(np.array([[0., 1.], [1., 0.]], np.float32))
p = ops.sigmoid(a)
wb = Tensor(np.array([1., 2.], np.float32))
print(nn.BCELoss(weight=wb, reduction='none')(p, t))
print(ops.binary_cross_entropy(p, t, wb, reduction='none'))
print(nn.BCELoss(weight=wb)(p, t))
