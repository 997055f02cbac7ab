"""Conversion of what sources and `map` operations return into rows of NumPy arrays.

Python ints become int64, floats float64, bools bool and strings NumPy string arrays, as
`np.asarray` gives them and as MindSpore stores them; Tensors are read out with `asnumpy()`.
"""

from __future__ import annotations

import numpy as np

from minispore.tensor import Tensor

_SCALARS = (int, float, bool, str, bytes, np.ndarray, np.generic, Tensor)


def to_array(value, where: str, copy: bool = False):
    """One column's value as an ndarray (dicts pass through, as MindSpore passes them);
    `copy` copies arrays that may belong to the user."""
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            raise TypeError(f"{where}: NumPy arrays of Python objects cannot be columns")
        return value.copy() if copy else value
    if isinstance(value, Tensor):
        return value.asnumpy().copy()
    if isinstance(value, dict):
        return value
    if value is None:
        raise RuntimeError(f"{where}: got None, but each column must be an array or a number")
    arr = np.asarray(value)
    if arr.dtype == object:
        raise TypeError(
            f"{where}: data type of the value or its converted NumPy array is expected to be "
            f"int or float or str, but got {type(value).__name__} holding Python objects"
        )
    return arr


def source_row(value, where: str):
    """A source's row: a single value is one column; a tuple, list or other iterable holds one
    value per column (MindSpore's rule for `GeneratorDataset`)."""
    if isinstance(value, _SCALARS) or isinstance(value, dict):
        return (to_array(value, where, True),)
    if value is None:
        raise RuntimeError(f"{where}: got None instead of a row")
    try:
        items = tuple(value)
    except TypeError:
        return (to_array(value, where),)
    return tuple(to_array(item, where, True) for item in items)
