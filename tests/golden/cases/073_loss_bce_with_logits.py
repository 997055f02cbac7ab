# ops.binary_cross_entropy_with_logits and nn.BCEWithLogitsLoss variants (spec section 7).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[.2, -1.], [1.5, .3]], np.float32))
t = Tensor(np.array([[0., 1.], [1., 0.]], np.float32))

f = ops.binary_cross_entropy_with_logits
ones = ops.ones_like(a)
print(repr(f(a, t)))
print(repr(f(a, t, ones, ones)))
print(repr(f(a, t, reduction='sum')))
print(repr(f(a, t, reduction='none')))
print(repr(f(a, t, pos_weight=Tensor(np.array([1., 2.], np.float32)))))
print(repr(f(a, t, weight=Tensor(np.array([0.5, 2.], np.float32)))))
print(repr(f(a, t, Tensor(np.array([[1., 0.], [2., 1.]], np.float32)), Tensor(np.array([3., 1.], np.float32)), 'none')))
print(repr(nn.BCEWithLogitsLoss()(a, t)))
print(repr(nn.BCEWithLogitsLoss(reduction='sum')(a, t)))
print(repr(nn.BCEWithLogitsLoss(reduction='none')(a, t)))
print(repr(nn.BCEWithLogitsLoss(pos_weight=Tensor(np.array([1., 2.], np.float32)))(a, t)))
print(repr(nn.BCEWithLogitsLoss(weight=Tensor(np.array([0.5, 2.], np.float32)))(a, t)))
