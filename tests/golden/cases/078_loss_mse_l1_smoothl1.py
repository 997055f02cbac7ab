# mse_loss l1_loss smooth_l1_loss (+ nn classes; SmoothL1Loss defaults to 'none').
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

x = Tensor(np.array([[.2, -1.], [1.5, .3]], np.float32))
y = Tensor(np.array([[0., 1.], [1., 0.]], np.float32))
print(repr(ops.mse_loss(x, y))); print(repr(ops.mse_loss(x, y, reduction='sum'))); print(repr(ops.mse_loss(x, y, 'none')))
print(repr(ops.l1_loss(x, y))); print(repr(ops.l1_loss(x, y, reduction='sum'))); print(repr(ops.l1_loss(x, y, reduction='none')))
print(repr(ops.smooth_l1_loss(x, y))); print(repr(ops.smooth_l1_loss(x, y, beta=0.5, reduction='mean')))
print(repr(ops.smooth_l1_loss(x, y, reduction='sum')))
print(repr(nn.MSELoss()(x, y))); print(repr(nn.L1Loss()(x, y)))
print(repr(nn.SmoothL1Loss()(x, y))); print(repr(nn.SmoothL1Loss(reduction='mean')(x, y)))
print(repr(nn.HuberLoss()(x, y))); print(repr(nn.HuberLoss(reduction='none', delta=0.5)(x, y)))
