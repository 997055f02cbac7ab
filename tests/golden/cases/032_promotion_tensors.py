# Type promotion: tensor op tensor.
import numpy as np
import mindspore
from mindspore import nn, ops, Tensor, Parameter

def T(vals, dt):
    return Tensor(np.array(vals, dt))
i32 = T([1, 2], np.int32)
i64 = T([3, 4], np.int64)
f16 = T([0.5, 1.5], np.float16)
f32 = T([0.25, 2.0], np.float32)
f64 = T([1.0, 3.0], np.float64)
u8 = T([1, 200], np.uint8)
bt = T([True, False], np.bool_)
res = [
    ("f16+f32", f16 + f32), ("f32+f64", f32 + f64), ("f16+f64", f16 + f64),
    ("i32+f32", i32 + f32), ("i64+f32", i64 + f32), ("i32+i64", i32 + i64),
    ("i32+f16", i32 + f16), ("u8+i32", u8 + i32), ("bool+bool", bt + bt),
    ("bool+i32", bt + i32), ("bool+f32", bt + f32), ("i32*f64", i32 * f64),
    ("i64/i64", i64 / i64), ("i32//i32", i32 // i32), ("f32@f32", f32 @ f32),
]
for k, v in res:
    print(k, v.dtype, v)
