# Tensor printing: 0-d tensors (str and repr).
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

for v in [Tensor(2), Tensor(3.5), Tensor(-7), Tensor(True), Tensor(False),
          Tensor(np.float32(1.3423151)), Tensor(0.0), Tensor(-1.5),
          Tensor(np.float64(1.0) / 3), Tensor(np.float32(123456.78)), Tensor(np.float32(1e-10)),
          Tensor(np.float32(2.0)), Tensor(np.int32(5)), Tensor(np.uint8(200))]:
    print(v)
    print(repr(v))
print((Tensor(2), Tensor(3.5)))
