# ones / zeros / full / arange / linspace / eye / ones_like / zeros_like.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

print(ops.ones(3), ops.ones(3).dtype)
print(ops.ones((2, 3), mindspore.int32))
print(ops.zeros(4, mindspore.float32), ops.zeros((2, 2)).dtype)
print(ops.full((2, 2), 7.5, dtype=mindspore.float32))
print(ops.full((3,), 2), ops.full((3,), 2).dtype)
print(ops.full((2,), 1, dtype=mindspore.float16))
print(ops.arange(5), ops.arange(5).dtype)
print(ops.arange(1, 4, 0.5), ops.arange(1, 4, 0.5).dtype)
print(ops.arange(0, 10, 3, dtype=mindspore.float32))
print(ops.linspace(0, 1, 5), ops.linspace(0, 1, 5).dtype)
print(ops.linspace(Tensor(-1.0), Tensor(1.0), 3))
print(ops.eye(3), ops.eye(3).dtype)
print(ops.eye(2, 3, mindspore.int32))
x = Tensor(np.array([[1, 2]], np.int32))
print(ops.ones_like(x), ops.ones_like(x).dtype, ops.zeros_like(x, dtype=mindspore.float32))
