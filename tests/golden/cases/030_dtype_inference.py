# Tensor(...) dtype inference.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

cases = {
    "Tensor(2)": Tensor(2),
    "Tensor(3.5)": Tensor(3.5),
    "Tensor(True)": Tensor(True),
    "Tensor([1,2])": Tensor([1, 2]),
    "Tensor([1.,2.])": Tensor([1., 2.]),
    "Tensor([1,2.5])": Tensor([1, 2.5]),
    "Tensor([True,False])": Tensor([True, False]),
    "Tensor(np.array([1.,2.]))": Tensor(np.array([1., 2.])),
    "Tensor(np.array([1,2]))": Tensor(np.array([1, 2])),
    "Tensor(np.array([1,2],np.int32))": Tensor(np.array([1, 2], np.int32)),
    "Tensor(np.float32(1))": Tensor(np.float32(1)),
    "Tensor(np.float64(1))": Tensor(np.float64(1)),
    "Tensor(np.array([1.,2.]), float32)": Tensor(np.array([1., 2.]), mindspore.float32),
    "Tensor([1,2], float16)": Tensor([1, 2], mindspore.float16),
    "Tensor(2.7, int32)": Tensor(2.7, mindspore.int32),
    "Tensor([[1,2],[3,4]])": Tensor([[1, 2], [3, 4]]),
    "Tensor((1.0, 2.0))": Tensor((1.0, 2.0)),
    "mindspore.tensor([1,2])": mindspore.tensor([1, 2]),
}
for k, v in cases.items():
    print(k, v.dtype, v.shape, v)
