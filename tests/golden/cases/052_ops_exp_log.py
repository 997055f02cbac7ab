# exp log log1p expm1 sqrt rsqrt square abs sign.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([0.5, 1.0, 2.0, 4.0], np.float32))
n = Tensor(np.array([-1.5, 0.0, 2.0, -0.25], np.float32))
print(repr(ops.exp(n))); print(repr(ops.log(a))); print(repr(ops.log1p(a))); print(repr(ops.expm1(n)))
print(repr(ops.sqrt(a))); print(repr(ops.rsqrt(a))); print(repr(ops.square(n))); print(repr(ops.abs(n)))
print(repr(ops.sign(n)))
print(ops.abs(Tensor(np.array([-3, 2], np.int32))))
print(ops.sqrt(Tensor(np.array([-1.0], np.float32))))
print(ops.log(Tensor(np.array([0.0], np.float32))))
