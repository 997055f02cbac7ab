"""Random tensors: `randn`, `rand`, `randint`, `normal`, `uniform`, seeded by `set_seed`."""

from __future__ import annotations

import numpy as np

from minispore.ops._utils import F32, np_dtype, shape_arg
from minispore.prims import random as Rnd
from minispore.tensor import Tensor, _wrap


def _size(size, op):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    return shape_arg(tuple(size), op, "size")


def _reseeded(seed):
    if seed is not None:
        Rnd.seed_generator(seed)


def randn(*size, dtype=None, seed=None):
    """Standard normal samples of shape `size`."""
    _reseeded(seed)
    return _wrap(
        Rnd.random_normal(shape=_size(size, "randn"), dtype=np_dtype(dtype, F32, op="randn"))
    )


def rand(*size, dtype=None, seed=None):
    """Uniform samples in [0, 1) of shape `size`."""
    _reseeded(seed)
    return _wrap(
        Rnd.random_uniform(shape=_size(size, "rand"), dtype=np_dtype(dtype, F32, op="rand"))
    )


def randint(low, high, size, seed=None, *, dtype=None):
    """Integers uniformly drawn from [low, high)."""
    if low >= high:
        raise ValueError(f"For 'randint', 'low' ({low}) must be less than 'high' ({high})")
    _reseeded(seed)
    shape = shape_arg(size, "randint", "size")
    return _wrap(
        Rnd.random_randint(
            shape=shape,
            dtype=np_dtype(dtype, np.dtype(np.int64), op="randint"),
            low=int(low),
            high=int(high),
        )
    )


def randperm(n, seed=0, offset=0, dtype=None):
    return _wrap(
        Rnd.random_permutation(n=int(n), dtype=np_dtype(dtype, np.dtype(np.int64), op="randperm"))
    )


def _num(x):
    return float(x.item()) if isinstance(x, Tensor) else float(x)


def normal(shape, mean, stddev, seed=None):
    """Normal samples with the given mean and standard deviation."""
    _reseeded(seed)
    return _wrap(
        Rnd.random_normal(
            shape=shape_arg(shape, "normal"), dtype=F32, mean=_num(mean), stddev=_num(stddev)
        )
    )


def uniform(shape, minval, maxval, seed=None, dtype=None):
    """Uniform samples in [minval, maxval)."""
    _reseeded(seed)
    return _wrap(
        Rnd.random_uniform(
            shape=shape_arg(shape, "uniform"),
            dtype=np_dtype(dtype, F32, op="uniform"),
            low=_num(minval),
            high=_num(maxval),
        )
    )


def standard_normal(shape, seed=None, seed2=None):
    return randn(*shape_arg(shape, "standard_normal"), seed=seed)
