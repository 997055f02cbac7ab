# Printing tuples / lists / nested containers of tensors.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

t1 = Tensor(np.array([1.0, -2.0], np.float32))
t2 = Tensor(np.array([[1, 2], [3, 4]], np.int32))
print((t1, t2))
print([t1, t2])
print((t1, (t2, 3)))
print((t1,))
print(str(t1), repr(t1))
print(f"{t1}")
print("%s" % t1)
print({'a': t1})
