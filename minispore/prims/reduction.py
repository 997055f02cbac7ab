"""Reductions: sums, means, extrema, products, log-sum-exp and arg-extrema.

Each takes `axis` (a tuple of non-negative ints, or None for all axes) and `keepdims` as
parameters; the public ops normalise user input into that form before binding.
"""

from __future__ import annotations

import math

import numpy as np

from minispore.core.batching import along_axis, batched_axis, reduction, to_front, with_primitive
from minispore.core.primitive import Primitive, concrete
from minispore.prims.elementwise import (
    div,
    equal,
    exp,
    mul,
    sub,
    where,
)
from minispore.prims.shape import _broadcast_to_impl, broadcast_to, flip, reshape, transpose


def _kept_shape(shape, axis):
    """The shape a reduction over `axis` has with keepdims=True."""
    if axis is None:
        return (1,) * len(shape)
    return tuple(1 if i in axis else n for i, n in enumerate(shape))


def _expand(ct, x, axis, keepdims):
    """Broadcast a reduction's cotangent back over the reduced axes of `x`."""
    if type(ct) is np.ndarray and type(x) is np.ndarray:  # plain arrays: no node needed
        if not keepdims and axis is not None:
            ct = ct.reshape(_kept_shape(x.shape, axis))
        return _broadcast_to_impl(ct, shape=x.shape)
    if not keepdims and axis is not None:  # a full reduction's 0-d cotangent broadcasts as is
        ct = reshape(ct, shape=_kept_shape(x.shape, axis))
    return broadcast_to(ct, shape=tuple(x.shape))


def _count(shape, axis):
    """How many entries a reduction over `axis` combines."""
    return math.prod(shape) if axis is None else math.prod(shape[i] for i in axis)


def _sum_impl(x, *, axis=None, keepdims=False):
    x = np.asarray(x)
    if x.dtype.kind == "b":
        x = x.astype(np.int64)
    return np.add.reduce(x, axis=axis, keepdims=keepdims)


reduce_sum = Primitive(
    "reduce_sum",
    _sum_impl,
    vjp=(lambda ct, out, x, *, axis=None, keepdims=False: _expand(ct, x, axis, keepdims),),
    jvp=(
        lambda t, out, x, *, axis=None, keepdims=False: reduce_sum(t, axis=axis, keepdims=keepdims),
    ),
    batch=reduction,
    fresh=True,
)


def _mean_impl(x, *, axis=None, keepdims=False):
    # np.add.reduce / n is np.mean without its Python-level overhead; same float32 accumulation.
    x = np.asarray(x)
    if x.dtype.kind not in "fc":
        return np.mean(x, axis=axis, keepdims=keepdims)
    return np.add.reduce(x, axis=axis, keepdims=keepdims) / x.dtype.type(_count(x.shape, axis))


reduce_mean = Primitive(
    "reduce_mean",
    _mean_impl,
    vjp=(
        lambda ct, out, x, *, axis=None, keepdims=False: _expand(
            div(ct, _count(x.shape, axis)), x, axis, keepdims
        ),
    ),
    jvp=(
        lambda t, out, x, *, axis=None, keepdims=False: reduce_mean(
            t, axis=axis, keepdims=keepdims
        ),
    ),
    batch=reduction,
    fresh=True,
)


def _extremum_rule(ct, out, x, axis, keepdims):
    # NOTE: when several entries tie for the extremum, they share its gradient equally.
    out_b = _expand(out, x, axis, keepdims)
    mask = equal(x, out_b).astype(x.dtype)
    count = reduce_sum(mask, axis=axis, keepdims=True)
    return mul(_expand(ct, x, axis, keepdims), div(mask, count))


def _extremum_jvp(t, out, x, axis, keepdims):
    out_b = _expand(out, x, axis, keepdims)
    mask = equal(x, out_b).astype(x.dtype)
    share = div(mask, reduce_sum(mask, axis=axis, keepdims=True))
    return reduce_sum(mul(t, share), axis=axis, keepdims=keepdims)


def _max_impl(x, *, axis=None, keepdims=False):
    return np.max(x, axis=axis, keepdims=keepdims)


def _min_impl(x, *, axis=None, keepdims=False):
    return np.min(x, axis=axis, keepdims=keepdims)


reduce_max = Primitive(
    "reduce_max",
    _max_impl,
    vjp=(
        lambda ct, out, x, *, axis=None, keepdims=False: _extremum_rule(ct, out, x, axis, keepdims),
    ),
    jvp=(lambda t, out, x, *, axis=None, keepdims=False: _extremum_jvp(t, out, x, axis, keepdims),),
    batch=reduction,
    fresh=True,
)
reduce_min = Primitive(
    "reduce_min",
    _min_impl,
    vjp=(
        lambda ct, out, x, *, axis=None, keepdims=False: _extremum_rule(ct, out, x, axis, keepdims),
    ),
    jvp=(lambda t, out, x, *, axis=None, keepdims=False: _extremum_jvp(t, out, x, axis, keepdims),),
    batch=reduction,
    fresh=True,
)


def _prod_impl(x, *, axis=None, keepdims=False):
    return np.prod(x, axis=axis, keepdims=keepdims)


def _prod_others(out, x, axis, keepdims):
    """For each entry, the product of the other entries of its reduction group.

    NOTE: out / x is exact and cheap when the group has no zero. Otherwise the leave-one-out
    products are formed explicitly: the group (length n) is laid out as an n x n matrix with
    ones on the diagonal and reduced again. That composition is differentiable to any order
    (its derivative reduces an n x n x n layout, and so on), so Hessians at zeros are right too.
    """
    if not np.any(np.asarray(concrete(x)) == 0):
        return div(_expand(out, x, axis, keepdims), x)
    nd = x.ndim
    red = tuple(range(nd)) if axis is None else axis
    keep = tuple(i for i in range(nd) if i not in red)
    perm = keep + red
    moved = transpose(x, perm=perm)
    kept_shape = tuple(x.shape[i] for i in keep)
    n = _count(x.shape, red)
    flat = reshape(moved, shape=kept_shape + (1, n))
    square = broadcast_to(flat, shape=kept_shape + (n, n))
    eye = np.eye(n, dtype=bool)
    loo = reduce_prod(where(eye, 1, square), axis=(len(kept_shape) + 1,), keepdims=False)
    back = reshape(loo, shape=tuple(moved.shape))
    inverse = tuple(int(i) for i in np.argsort(perm))
    return transpose(back, perm=inverse)


reduce_prod = Primitive(
    "reduce_prod",
    _prod_impl,
    vjp=(
        lambda ct, out, x, *, axis=None, keepdims=False: mul(
            _expand(ct, x, axis, keepdims), _prod_others(out, x, axis, keepdims)
        ),
    ),
    jvp=(
        lambda t, out, x, *, axis=None, keepdims=False: reduce_sum(
            mul(t, _prod_others(out, x, axis, keepdims)), axis=axis, keepdims=keepdims
        ),
    ),
    batch=reduction,
    fresh=True,
)


def _logsumexp_impl(x, *, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    s = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return s if keepdims else np.squeeze(s, axis=axis)


def _softmax_of(out, x, axis, keepdims):
    return exp(sub(x, _expand(out, x, axis, keepdims)))


logsumexp = Primitive(
    "logsumexp",
    _logsumexp_impl,
    vjp=(
        lambda ct, out, x, *, axis=None, keepdims=False: mul(
            _expand(ct, x, axis, keepdims), _softmax_of(out, x, axis, keepdims)
        ),
    ),
    jvp=(
        lambda t, out, x, *, axis=None, keepdims=False: reduce_sum(
            mul(t, _softmax_of(out, x, axis, keepdims)), axis=axis, keepdims=keepdims
        ),
    ),
    batch=reduction,
    fresh=True,
)


def _argmax_impl(x, *, axis=None, keepdims=False):
    return np.argmax(x, axis=axis, keepdims=keepdims)


def _argmin_impl(x, *, axis=None, keepdims=False):
    return np.argmin(x, axis=axis, keepdims=keepdims)


def _arg_batch_rule(prim, args, dims, *, axis=None, keepdims=False):
    (x,), (d,) = args, dims
    nd = x.ndim - 1
    if axis is not None:
        a = batched_axis(axis % max(nd, 1), d)
        return prim(x, axis=a, keepdims=keepdims), d if keepdims or a > d else d - 1
    # Over all axes: flatten each example (batch axis first), then take the arg along axis 1.
    flat = reshape(to_front(x, d), shape=(x.shape[d], -1))
    out = prim(flat, axis=1, keepdims=False)
    return (reshape(out, shape=(x.shape[d],) + (1,) * nd) if keepdims else out), 0


_arg_batch = with_primitive(_arg_batch_rule)

argmax = Primitive("argmax", _argmax_impl, batch=_arg_batch, fresh=True)
argmin = Primitive("argmin", _argmin_impl, batch=_arg_batch, fresh=True)


def _cumsum_impl(x, *, axis):
    return np.cumsum(x, axis=axis)


# d cumsum: the cotangent is the reversed cumulative sum of the reversed cotangent.
cumsum = Primitive(
    "cumsum",
    _cumsum_impl,
    vjp=(lambda ct, out, x, *, axis: flip(cumsum(flip(ct, axis=axis), axis=axis), axis=axis),),
    jvp=(lambda t, out, x, *, axis: cumsum(t, axis=axis),),
    batch=along_axis,
    fresh=True,
)
