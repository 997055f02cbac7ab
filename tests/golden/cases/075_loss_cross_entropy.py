# ops.cross_entropy variants: reduction, weight, ignore_index, label_smoothing, probability targets.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

logits = Tensor(np.array([[2., 1., .1], [.5, 2.5, .3]], np.float32))
labels = Tensor(np.array([0, 1], np.int32))

f = ops.cross_entropy
print(repr(f(logits, labels)))
print(repr(f(logits, labels, reduction='none')))
print(repr(f(logits, labels, reduction='sum')))
print(repr(f(logits, labels, label_smoothing=0.1)))
print(repr(f(logits, labels, weight=Tensor(np.array([1., 2., 3.], np.float32)))))
print(repr(f(logits, labels, ignore_index=1)))
print(repr(f(logits, labels, Tensor(np.array([1., 2., 3.], np.float32)), reduction='none')))
probs = Tensor(np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]], np.float32))
print(repr(f(logits, probs)))
print(repr(f(logits, probs, reduction='none')))
print(repr(f(logits, probs, label_smoothing=0.2)))
