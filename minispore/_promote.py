"""MindSpore's type promotion for binary operations, applied before binding a primitive.

It differs from NumPy's: an integer tensor meets a float tensor in the float's dtype (NumPy would
widen int32 + float32 to float64), a Python float turns an integer tensor into float32, and a
bool tensor plus a Python int gives int64. Python scalars are otherwise weak: they take the
tensor's dtype.
"""

from __future__ import annotations

import numpy as np

from minispore.prims.elementwise import cast

F32 = np.dtype(np.float32)
I64 = np.dtype(np.int64)
_result_cache: dict = {}


def result_dtype(a: np.dtype, b: np.dtype) -> np.dtype:
    key = (a, b)
    r = _result_cache.get(key)
    if r is None:
        fa, fb = a.kind in "fc", b.kind in "fc"
        if fa and not fb:
            r = a
        elif fb and not fa:
            r = b
        else:
            r = np.promote_types(a, b)
        _result_cache[key] = r
    return r


def _scalar_side(arr, s):
    """Cast `arr` (a tensor value) for an operation with Python scalar `s`."""
    kind = arr.dtype.kind
    if type(s) is float:
        if kind not in "fc":
            return cast(arr, dtype=F32)
    elif type(s) is int and kind == "b":
        return cast(arr, dtype=I64)
    return arr


def promote(x, y):
    """Return `(x, y)` cast to their common dtype; Python scalars stay Python scalars."""
    tx, ty = type(x), type(y)
    if ty in (int, float, bool):
        if tx in (int, float, bool):
            return x, y
        return _scalar_side(x, y), y
    if tx in (int, float, bool):
        return x, _scalar_side(y, x)
    dx, dy = x.dtype, y.dtype
    if dx == dy:
        return x, y
    r = result_dtype(dx, dy)
    if dx != r:
        x = cast(x, dtype=r)
    if dy != r:
        y = cast(y, dtype=r)
    return x, y
