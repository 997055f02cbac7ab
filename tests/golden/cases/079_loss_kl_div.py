# ops.kl_div / nn.KLDivLoss: mean (over elements), batchmean, sum, none.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

logits = Tensor(np.array([[2., 1., .1], [.5, 2.5, .3]], np.float32))
labels = Tensor(np.array([0, 1], np.int32))

lp = ops.log_softmax(logits, 1)
# target chosen far from softmax(logits): with a near target the KL terms are tiny differences of
# logs and MindSpore's float32 log_softmax error (~2e-6) shows, see cases_divergent/016.
target = Tensor(np.array([[0.1, 0.1, 0.8], [0.6, 0.2, 0.2]], np.float32))
print(repr(ops.kl_div(lp, target)))
print(repr(ops.kl_div(lp, target, 'batchmean')))
print(repr(ops.kl_div(lp, target, reduction='sum')))
print(repr(ops.kl_div(lp, target, reduction='none')))
print(repr(nn.KLDivLoss()(lp, target)))
print(repr(nn.KLDivLoss(reduction='batchmean')(lp, target)))
