"""MindSpore's dtypes (`mindspore.float32`, ...) and their mapping to NumPy dtypes (layer 4).

`str(float32)` is `'Float32'` and `repr(float32)` is `'mindspore.float32'`, as in MindSpore.
"""

from __future__ import annotations

import numpy as np


class Type:
    """A MindSpore dtype: a name plus the NumPy dtype that stores it."""

    __slots__ = ("name", "np", "_attr")

    def __init__(self, name: str, np_dtype, attr: str):
        self.name = name
        self.np = np.dtype(np_dtype)
        self._attr = attr

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"mindspore.{self._attr}"

    def __reduce__(self):
        return (_by_attr, (self._attr,))


def _by_attr(attr):
    return _BY_ATTR[attr]


bool_ = Type("Bool", np.bool_, "bool")
int8 = Type("Int8", np.int8, "int8")
int16 = Type("Int16", np.int16, "int16")
int32 = Type("Int32", np.int32, "int32")
int64 = Type("Int64", np.int64, "int64")
uint8 = Type("UInt8", np.uint8, "uint8")
uint16 = Type("UInt16", np.uint16, "uint16")
uint32 = Type("UInt32", np.uint32, "uint32")
uint64 = Type("UInt64", np.uint64, "uint64")
float16 = Type("Float16", np.float16, "float16")
float32 = Type("Float32", np.float32, "float32")
float64 = Type("Float64", np.float64, "float64")
complex64 = Type("Complex64", np.complex64, "complex64")


class _Unsupported(Type):
    """A MindSpore dtype NumPy cannot store: it prints and compares, but makes no tensors."""

    __slots__ = ()

    def __init__(self, name, attr):
        self.name = name
        self._attr = attr
        self.np = None


bfloat16 = _Unsupported("BFloat16", "bfloat16")
complex128 = Type("Complex128", np.complex128, "complex128")

# Aliases MindSpore also exports.
half, single, double = float16, float32, float64
int_, uint, float_ = int32, uint32, float32

_ALL = (
    bool_,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    float16,
    float32,
    float64,
    complex64,
    complex128,
)
_BY_ATTR = {t._attr: t for t in _ALL + (bfloat16,)}
_BY_ATTR["bool_"] = bool_
_FROM_NP = {t.np: t for t in _ALL}
_PY = {bool: bool_, int: int64, float: float32, complex: complex64}

number_type = tuple(t for t in _ALL if t is not bool_)
float_type = (float16, float32, float64)
int_type = (int8, int16, int32, int64)
uint_type = (uint8, uint16, uint32, uint64)


def from_numpy_dtype(np_dtype) -> Type:
    """The MindSpore dtype of a NumPy dtype; TypeError for dtypes MindSpore lacks."""
    try:
        return _FROM_NP[np_dtype]
    except KeyError:
        try:
            return _FROM_NP[np.dtype(np_dtype)]
        except (KeyError, TypeError):
            raise TypeError(f"NumPy dtype {np_dtype} has no MindSpore counterpart") from None


def to_numpy_dtype(dtype) -> np.dtype:
    """Accept a MindSpore dtype, a NumPy dtype or type, a Python type or a name; return np.dtype."""
    if type(dtype) is Type:
        return dtype.np
    if isinstance(dtype, _Unsupported):
        raise TypeError(
            f"{dtype!r} has no NumPy storage, so minispore cannot make {dtype} tensors; use "
            "mindspore.float32 (or float16)"
        )
    if isinstance(dtype, type) and dtype in _PY:
        return _PY[dtype].np
    if isinstance(dtype, str):
        t = _BY_ATTR.get(dtype.lower()) or _BY_ATTR.get(dtype.lower().rstrip("_") + "_")
        if t is None:
            t = {x.name.lower(): x for x in _ALL}.get(dtype.lower())
        if t is None:
            raise TypeError(f"unknown dtype name {dtype!r}")
        return t.np
    try:
        return from_numpy_dtype(np.dtype(dtype)).np
    except TypeError:
        raise TypeError(
            f"expected a mindspore dtype such as mindspore.float32, got {dtype!r}"
        ) from None


def dtype_to_nptype(dtype):
    """MindSpore's `dtype_to_nptype`: the NumPy scalar type of a MindSpore dtype."""
    return to_numpy_dtype(dtype).type


def pytype_to_dtype(obj) -> Type:
    return _PY[obj] if obj in _PY else from_numpy_dtype(np.dtype(obj))
