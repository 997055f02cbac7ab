# DIVERGENT? (not in the spec): ops.max / ops.min with axis=None return (value, index) and the index is
# always 0 in 2.10, not the flat argmax.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 0.5]], np.float32))
print(ops.max(a))
print(ops.min(a))
