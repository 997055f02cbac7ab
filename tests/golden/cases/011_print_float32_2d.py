# Tensor printing: 2-D float32 (2,3) and (1,10) (the model.md logits shape).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

np.random.seed(2)
a = Tensor(np.random.randn(2, 3).astype(np.float32))
print(a)
print(repr(a))
logits = Tensor(np.random.randn(1, 10).astype(np.float32) * 0.1)
print(logits)
print(repr(logits))
print(repr(Tensor(np.ones((3, 1), np.float32))))
print(repr(Tensor(np.zeros((1, 1), np.float32))))
