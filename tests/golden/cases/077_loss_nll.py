# ops.nll_loss / nn.NLLLoss on log-probabilities.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

logits = Tensor(np.array([[2., 1., .1], [.5, 2.5, .3]], np.float32))
labels = Tensor(np.array([0, 1], np.int32))

lp = ops.log_softmax(logits, 1)
print(repr(ops.nll_loss(lp, labels)))
print(repr(ops.nll_loss(lp, labels, reduction='none')))
print(repr(ops.nll_loss(lp, labels, reduction='sum')))
print(repr(ops.nll_loss(lp, labels, weight=Tensor(np.array([1., 2., 3.], np.float32)))))
print(repr(ops.nll_loss(lp, labels, ignore_index=0)))
print(repr(ops.nll_loss(lp, labels, label_smoothing=0.1)))
print(repr(nn.NLLLoss()(lp, labels)))
print(repr(nn.NLLLoss(reduction='none')(lp, labels)))
