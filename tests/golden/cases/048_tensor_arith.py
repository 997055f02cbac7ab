# Tensor arithmetic operators with tensors and scalars on both sides.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([[1.0, -2.0], [3.0, 4.5]], np.float32))
b = Tensor(np.array([[2.0, 2.0], [-1.0, 0.5]], np.float32))
print(a + b); print(a - b); print(a * b); print(a / b)
print(a % b); print(a // b); print(a ** 2); print(2 ** b); print(a @ b)
print(-a); print(1 - a); print(3 / b); print(a % 2); print(-7 // b)
i = Tensor(np.array([7, -7], np.int32))
print(i // 2, i % 3, i / 2, (i // 2).dtype)
