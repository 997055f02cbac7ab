"""Shared argument handling for the functional API: unwrapping, axis normalisation, casts."""

from __future__ import annotations

import numbers

import numpy as np

from minispore import dtype as mstype
from minispore.prims.elementwise import cast
from minispore.tensor import Tensor

F32 = np.dtype(np.float32)


def value(x, op: str, arg: str = "input"):
    """The raw value of a Tensor argument; Python numbers become 0-d arrays in MindSpore's dtype."""
    if isinstance(x, Tensor):
        return x._value
    if isinstance(x, bool):
        return np.array(x)
    if isinstance(x, numbers.Integral):
        return np.array(x, dtype=np.int64)
    if isinstance(x, numbers.Real):
        return np.array(x, dtype=np.float32)
    raise TypeError(
        f"For '{op}', the '{arg}' must be a Tensor, but got {type(x).__name__}"
        + (" (wrap NumPy arrays in Tensor(...))" if isinstance(x, np.ndarray) else "")
    )


def scalar_or_value(x, op, arg="other"):
    """Like `value`, but Python scalars stay weak (they take the other operand's dtype)."""
    if isinstance(x, Tensor):
        return x._value
    if type(x) in (int, float, bool):
        return x
    if isinstance(x, np.generic) and x.dtype.kind in "biuf":
        return x.item()
    return value(x, op, arg)


def floating(v):
    """Integers and bools are computed in float32, as MindSpore's math functions do."""
    return cast(v, dtype=F32) if v.dtype.kind in "iub" else v


def np_dtype(dtype, default=None, op=None):
    """The NumPy dtype for a `dtype` argument (None gives `default`); errors name `op`."""
    if dtype is None:
        return default
    try:
        return mstype.to_numpy_dtype(dtype)
    except TypeError as e:
        if op is None:
            raise
        raise TypeError(f"For '{op}', 'dtype' is invalid: {e}") from None


def axes(axis, ndim: int, op: str, arg: str = "axis"):
    """Normalise an axis argument (None, int, tuple or list of ints) to None or a sorted tuple."""
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis.tolist()
    items = (axis,) if isinstance(axis, (int, np.integer)) else axis
    if not isinstance(items, (tuple, list)) or not all(
        isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in items
    ):
        raise TypeError(
            f"For '{op}', '{arg}' must be an int, a tuple of ints or None, but got {axis!r}"
        )
    if len(items) == 0:
        return None
    out = []
    for a in items:
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ValueError(
                f"For '{op}', '{arg}' {a} is out of range for a tensor of rank {ndim} "
                f"(expected [{-max(ndim, 1)}, {max(ndim, 1)}))"
            )
        out.append(int(a) % max(ndim, 1))
    if len(set(out)) != len(out):
        raise ValueError(f"For '{op}', '{arg}' has duplicate axes: {axis!r}")
    if ndim == 0:
        return None
    return tuple(sorted(out))


def axis1(axis, ndim: int, op: str, arg: str = "axis") -> int:
    """Normalise a single axis."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"For '{op}', '{arg}' must be an int, but got {type(axis).__name__}")
    n = max(ndim, 1)
    if not -n <= axis < n:
        raise ValueError(f"For '{op}', '{arg}' {axis} is out of range [{-n}, {n}) for rank {ndim}")
    return int(axis) % n


def shape_arg(shape, op: str, arg: str = "shape") -> tuple:
    if isinstance(shape, Tensor):
        shape = shape.tolist()
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        return (int(shape),)
    if isinstance(shape, (tuple, list)) and all(
        isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in shape
    ):
        return tuple(int(s) for s in shape)
    raise TypeError(f"For '{op}', '{arg}' must be an int or a tuple of ints, but got {shape!r}")
