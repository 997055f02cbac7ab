# Tensor attributes: shape ndim size itemsize nbytes strides len.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

for arr in [np.zeros((2, 2), np.int32), np.zeros((2, 3), np.float32), np.zeros((3,), np.float64),
            np.zeros((2, 3, 4), np.float16), np.zeros((), np.int64), np.zeros((5,), np.bool_),
            np.zeros((4, 1), np.uint8)]:
    t = Tensor(arr)
    print(t.dtype, t.shape, t.ndim, t.size, t.itemsize, t.nbytes, t.strides)
    if t.ndim > 0:
        print(len(t))
print(type(Tensor(np.zeros((2, 3), np.float32)).shape).__name__)
