# The autograd tutorial's loss with np.random.seed(...) style data: positional ones_like weight/pos_weight.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

z = Tensor(np.array([0.5, -1.25, 2.0], np.float32))
y = Tensor(np.array([0., 0., 0.], np.float32))
print(repr(ops.binary_cross_entropy_with_logits(z, y, ops.ones_like(z), ops.ones_like(z))))
print(repr(ops.binary_cross_entropy_with_logits(z, y)))
print(ops.binary_cross_entropy_with_logits(z, y))
