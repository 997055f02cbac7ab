"""Helpers for the distributions: dtype checks, checks of parameter values, and numerically safe
building blocks written with primitives on raw values (ndarrays or tracers) (layer 5)."""

from __future__ import annotations

import math

import numpy as np

from minispore import dtype as mstype
from minispore.core.primitive import concrete
from minispore.prims import elementwise as E
from minispore.prims import reduction as R
from minispore.prims import special as S

FLOAT_TYPES = mstype.float_type
NUMBER_TYPES = mstype.int_type + mstype.uint_type + mstype.float_type
LOG_2PI = math.log(2 * math.pi)
TINY = np.finfo(np.float64).tiny


def check_dtype(dtype, allowed, cls_name):
    """MindSpore's check of a distribution's `dtype` argument."""
    if dtype not in allowed:
        names = ", ".join(repr(t) for t in allowed)
        raise TypeError(
            f"For '{cls_name}', the 'dtype' should be one of [{names}], but got {dtype!r}"
        )


def concrete_array(tensor):
    """The concrete values of a Tensor (under a transform: its primal), for checks only."""
    return np.asarray(concrete(tensor._value))


def check_values(dist, tensor, arg, ok, requirement):
    """Raise ValueError naming the distribution and `arg` unless `ok(values)` holds everywhere."""
    if tensor is None:
        return
    v = concrete_array(tensor).astype(np.float64)
    good = np.asarray(ok(v))
    if not good.all():
        bad = v[~good] if v.ndim else v
        raise ValueError(
            f"For '{dist}', '{arg}' must be {requirement}, but got {np.asarray(bad).ravel()[:5]}"
            + (f" (of shape {v.shape})" if v.ndim else "")
        )


def positive(dist, tensor, arg):
    check_values(dist, tensor, arg, lambda v: v > 0, "greater than zero")


def probability(dist, tensor, arg, open_low=False):
    if open_low:
        check_values(dist, tensor, arg, lambda v: (v > 0) & (v <= 1), "in (0, 1]")
    else:
        check_values(dist, tensor, arg, lambda v: (v >= 0) & (v <= 1), "in [0, 1]")


# ---- safe building blocks (primitives on raw values) -------------------------------------------


def xlogy(x, y):
    """x log y, with 0 log 0 = 0 (and finite gradients away from x = y = 0)."""
    safe = E.where(E.logical_and(E.equal(x, 0), E.equal(y, 0)), 1.0, y)
    return E.mul(x, E.log(safe))


def xlog1py(x, y):
    """x log(1 + y), with 0 log 0 = 0 at y = -1."""
    safe = E.where(E.logical_and(E.equal(x, 0), E.equal(y, -1)), 0.0, y)
    return E.mul(x, E.log1p(safe))


def safe(cond, x, fill):
    """`x` where `cond` holds and `fill` elsewhere, so a formula never sees out-of-domain inputs
    (whose NaN gradients would leak through a later `where`)."""
    return E.where(cond, x, fill)


def minus(x):
    """0 - x: an entropy of a certain outcome prints 0, not -0 (as -x would give)."""
    return E.sub(0.0, x)


def log_ndtr(z):
    return S.log_ndtr(z)


def ndtr(z):
    """Phi(z) = erfc(-z / sqrt 2) / 2: accurate in both tails."""
    return E.mul(0.5, S.erfc(E.mul(-1 / math.sqrt(2), z)))


def lbeta(a, b):
    return E.sub(E.add(S.lgamma(a), S.lgamma(b)), S.lgamma(E.add(a, b)))


def window_entropy(log_pmf, center, spread, dtype, upper=None):
    """-sum_k p(k) log p(k) of a distribution on the integers 0..upper, summed over the window
    center +- (12 spread + 10), where all but a negligible (< 1e-30) part of the mass lies.

    `center`, `spread`, `upper` are concrete arrays of the batch shape; `log_pmf(k)` is written
    with primitives, so the result is differentiable in the distribution's parameters (the
    window itself is chosen on concrete values and carries no gradient).
    """
    center, spread = np.broadcast_arrays(center, spread)
    start = np.floor(np.maximum(center - 12.0 * spread - 10.0, 0.0))
    stop = np.ceil(center + 12.0 * spread + 10.0)
    if upper is not None:
        stop = np.minimum(stop, upper)
    count = int(np.max(stop - start, initial=0)) + 1
    k = start + np.arange(count, dtype=np.float64).reshape((count,) + (1,) * start.ndim)
    lp = log_pmf(k.astype(dtype))
    keep = E.logical_and(E.less_equal(k, stop), E.isfinite(lp))
    lp = E.where(keep, lp, 0.0)
    terms = E.where(keep, E.mul(E.exp(lp), lp), 0.0)
    return minus(R.reduce_sum(terms, axis=(0,), keepdims=False))
