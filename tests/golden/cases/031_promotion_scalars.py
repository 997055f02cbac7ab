# Type promotion: tensor op Python scalar.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

i32 = Tensor(np.array([1, 2, 3], np.int32))
i64 = Tensor(np.array([1, 2, 3], np.int64))
f32 = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
f16 = Tensor(np.array([1.0, 2.0, 3.0], np.float16))
bt = Tensor(np.array([True, False, True]))
res = [
    ("i32 + 1.5", i32 + 1.5), ("1.5 + i32", 1.5 + i32), ("i32 / i32", i32 / i32),
    ("i32 / 2", i32 / 2), ("i32 // 2", i32 // 2), ("i32 * 2", i32 * 2),
    ("i32 + 2", i32 + 2), ("i32 - 1", i32 - 1), ("i32 % 2", i32 % 2), ("i32 ** 2", i32 ** 2),
    ("i64 + 1", i64 + 1), ("i64 * 0.5", i64 * 0.5), ("f32 + 1", f32 + 1),
    ("f16 + 1.0", f16 + 1.0), ("f16 * 2", f16 * 2), ("bool + 1", bt + 1),
    ("bool + 1.5", bt + 1.5), ("bool * True", bt * True), ("2 - i32", 2 - i32),
    ("1 / f32", 1 / f32), ("-i32", -i32), ("f32 ** 0.5", f32 ** 0.5),
]
for k, v in res:
    print(k, v.dtype, v)
