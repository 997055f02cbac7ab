# Comparisons give Bool tensors.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

a = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
b = Tensor(np.array([3.0, 2.0, 1.0], np.float32))
i = Tensor(np.array([1, 2, 3], np.int32))
for name, r in [("a<b", a < b), ("a<=b", a <= b), ("a>b", a > b), ("a>=b", a >= b),
                ("a==b", a == b), ("a!=b", a != b), ("a>2", a > 2), ("i==2", i == 2),
                ("i<a", i < a), ("2<a", 2 < a)]:
    print(name, r.dtype, r)
print(repr(a == b))
print((a == b).sum(), (a == b).astype(mindspore.int32).sum())
