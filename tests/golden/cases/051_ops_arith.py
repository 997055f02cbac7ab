# add sub mul div neg pow (fixed inputs).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([1.0, -2.0, 3.5, 0.25], np.float32))
b = Tensor(np.array([2.0, 4.0, -1.5, 0.5], np.float32))
print(ops.add(a, b)); print(ops.add(a, 1)); print(ops.sub(a, b)); print(ops.mul(a, b))
print(ops.div(a, b)); print(ops.div(a, b, rounding_mode='floor')); print(ops.div(a, b, rounding_mode='trunc'))
print(ops.neg(a)); print(ops.pow(a, 2)); print(ops.pow(b, Tensor(np.array([1.0, 0.5, 2.0, 3.0], np.float32))))
print(ops.pow(2.0, b))
print(repr(ops.add(a, b)))
