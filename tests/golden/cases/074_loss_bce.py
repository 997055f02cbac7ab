# ops.binary_cross_entropy / nn.BCELoss on probabilities (full-shape weight only).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[.2, -1.], [1.5, .3]], np.float32))
t = Tensor(np.array([[0., 1.], [1., 0.]], np.float32))

p = ops.sigmoid(a)
print(repr(ops.binary_cross_entropy(p, t)))
print(repr(ops.binary_cross_entropy(p, t, reduction='sum')))
print(repr(ops.binary_cross_entropy(p, t, reduction='none')))
wfull = Tensor(np.array([[1., 2.], [0.5, 1.]], np.float32))
print(repr(ops.binary_cross_entropy(p, t, wfull)))
print(repr(ops.binary_cross_entropy(p, t, weight=wfull, reduction='none')))
print(repr(nn.BCELoss()(p, t)))
print(repr(nn.BCELoss(weight=wfull, reduction='sum')(p, t)))
