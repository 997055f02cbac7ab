# nn.SoftmaxCrossEntropyWithLogits dense / sparse.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

logits = Tensor(np.array([[2., 1., .1], [.5, 2.5, .3]], np.float32))
labels = Tensor(np.array([0, 1], np.int32))

onehot = Tensor(np.array([[1., 0., 0.], [0., 1., 0.]], np.float32))
print(repr(nn.SoftmaxCrossEntropyWithLogits()(logits, onehot)))
print(repr(nn.SoftmaxCrossEntropyWithLogits(sparse=True)(logits, labels)))
print(repr(nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction='mean')(logits, labels)))
