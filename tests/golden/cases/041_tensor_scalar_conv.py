# item / tolist / float / int / bool.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([2.5], np.float32))
print(a.item(), type(a.item()).__name__)
print(float(a), int(a), bool(a))
b = Tensor(np.array([[1, 2], [3, 4]], np.int32))
print(b.tolist(), type(b.tolist()).__name__)
print(b[1, 1].item(), type(b[1, 1].item()).__name__)
c = Tensor(np.array([[0.5, 1.5]], np.float32))
print(c.tolist())
print(Tensor(3.25).item(), Tensor(7).item(), Tensor(True).item())
print(Tensor(np.array([True, False])).tolist())
print(int(Tensor(3.9)), float(Tensor(4)))
print(Tensor(0.0).__bool__(), bool(Tensor(1)))
