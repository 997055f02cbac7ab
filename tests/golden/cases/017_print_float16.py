# Tensor printing: float16 (%.4e in repr).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([1.5, -2.25, 3.1415926], np.float16))
print(a)
print(repr(a))
b = Tensor(np.array([[0.1, 0.2], [0.3, 1000.0]]), mindspore.float16)
print(b)
print(repr(b))
print(repr(Tensor(0.5, mindspore.float16)))
