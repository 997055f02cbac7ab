# nn.CrossEntropyLoss variants.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

logits = Tensor(np.array([[2., 1., .1], [.5, 2.5, .3]], np.float32))
labels = Tensor(np.array([0, 1], np.int32))

print(repr(nn.CrossEntropyLoss()(logits, labels)))
print(repr(nn.CrossEntropyLoss(reduction='none')(logits, labels)))
print(repr(nn.CrossEntropyLoss(label_smoothing=0.1)(logits, labels)))
print(repr(nn.CrossEntropyLoss(weight=Tensor(np.array([1., 2., 3.], np.float32)))(logits, labels)))
print(repr(nn.CrossEntropyLoss(ignore_index=1)(logits, labels)))
print(repr(nn.CrossEntropyLoss(weight=Tensor(np.array([1., 2., 3.], np.float32)), label_smoothing=0.1)(logits, labels)))
probs = Tensor(np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]], np.float32))
print(repr(nn.CrossEntropyLoss()(logits, probs)))
