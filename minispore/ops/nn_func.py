"""Activations and losses of `mindspore.ops`, numerically stable and with MindSpore's signatures.

Hot paths use the fused primitives (`softmax_cross_entropy`, `sigmoid_bce`); the general cases
(weights, ignored classes, label smoothing, probability targets) are compositions.
"""

from __future__ import annotations

import numpy as np

from minispore._promote import promote
from minispore.core.primitive import Tracer
from minispore.errors import ShapeError
from minispore.ops._utils import axis1, floating, np_dtype, value
from minispore.prims import elementwise as E
from minispore.prims import nn as N
from minispore.prims import random as Rnd
from minispore.prims import reduction as R
from minispore.prims import shape as S
from minispore.prims.indexing import index_value
from minispore.tensor import _wrap

_REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction, op, allowed=_REDUCTIONS):
    if reduction not in allowed:
        raise ValueError(
            f"For '{op}', 'reduction' must be one of {list(allowed)}, but got {reduction!r}"
        )


def _reduce(loss, reduction):
    if reduction == "mean":
        return R.reduce_mean(loss, axis=None, keepdims=False)
    if reduction == "sum":
        return R.reduce_sum(loss, axis=None, keepdims=False)
    return loss


def _is_ones(v):
    """True when `v` is a concrete array of ones: multiplying by it can be skipped exactly."""
    if not isinstance(v, np.ndarray) or v.size > 1 << 16:
        return False
    if v.size <= 64:  # small weights (the seed's): a list count is 5x faster than a ufunc reduce
        items = v.ravel().tolist()
        return items.count(1) == len(items)
    return not np.logical_or.reduce(v != 1, axis=None)


def _same_shape(a, b, op, names):
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(
            f"For '{op}', '{names[0]}' and '{names[1]}' must have the same shape, but got "
            f"{tuple(a.shape)} and {tuple(b.shape)}"
        )


def _broadcastable(w, shape, op, name):
    if w.shape == shape:
        return
    try:
        if np.broadcast_shapes(tuple(w.shape), tuple(shape)) != tuple(shape):
            raise ValueError
    except ValueError:
        raise ValueError(
            f"For '{op}', '{name}' of shape {tuple(w.shape)} does not broadcast to the input shape {tuple(shape)}"
        ) from None


# ---- activations ------------------------------------------------------------------------------


def softmax(input, axis=-1, *, dtype=None):
    """exp(x) / sum(exp(x)) along `axis`, computed stably."""
    v = floating(value(input, "softmax"))
    if dtype is not None:
        v = E.cast(v, dtype=np_dtype(dtype, op="softmax"))
    return _wrap(N.softmax(v, axis=axis1(axis, v.ndim, "softmax")))


def log_softmax(logits, axis=-1):
    """x - logsumexp(x) along `axis`."""
    v = floating(value(logits, "log_softmax", "logits"))
    return _wrap(N.log_softmax(v, axis=axis1(axis, v.ndim, "log_softmax")))


def dropout(input, p=0.5, training=True, seed=None):
    """Zero each entry with probability `p` and scale the rest by 1/(1-p) (identity when not training)."""
    if not 0 <= p <= 1:
        raise ShapeError(f"For 'dropout', 'p' must be in [0, 1], but got {p}")
    v = value(input, "dropout")
    if not training or p == 0:
        return _wrap(v)
    if p == 1:
        return _wrap(E.mul(v, 0))
    u = Rnd.random_uniform(shape=tuple(v.shape), dtype=v.dtype)
    keep = E.cast(E.greater_equal(u, p), dtype=v.dtype)
    return _wrap(E.mul(v, E.mul(keep, 1.0 / (1.0 - p))))


def leaky_relu(input, alpha=0.2):
    """x where x >= 0, alpha * x elsewhere."""
    v = floating(value(input, "leaky_relu"))
    return _wrap(E.where(E.greater_equal(v, 0), v, E.mul(v, np.asarray(alpha, dtype=v.dtype))))


# ---- losses ---------------------------------------------------------------------------------


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction="mean"):
    """Sigmoid followed by binary cross entropy, in the stable form
    max(x, 0) - x y + log(1 + exp(-|x|)); `pos_weight` weighs the positive term."""
    _check_reduction(reduction, "binary_cross_entropy_with_logits")
    x = floating(value(input, "binary_cross_entropy_with_logits", "input"))
    y = value(target, "binary_cross_entropy_with_logits", "target")
    _same_shape(x, y, "binary_cross_entropy_with_logits", ("input", "target"))
    x, y = promote(x, y)
    pw = (
        None
        if pos_weight is None
        else value(pos_weight, "binary_cross_entropy_with_logits", "pos_weight")
    )
    if pw is not None:
        _broadcastable(pw, x.shape, "binary_cross_entropy_with_logits", "pos_weight")
    if pw is not None and not _is_ones(pw):
        # (1 - y) x + (1 + (pw - 1) y) softplus(-x)
        log_weight = E.add(1, E.mul(E.sub(pw, 1), y))
        loss = E.add(E.mul(E.sub(1, y), x), E.mul(log_weight, E.softplus(E.neg(x))))
    else:
        loss = N.sigmoid_bce(x, y)
    if weight is not None:
        w = value(weight, "binary_cross_entropy_with_logits", "weight")
        _broadcastable(w, x.shape, "binary_cross_entropy_with_logits", "weight")
        if not _is_ones(w):
            loss = E.mul(loss, w)
    return _wrap(_reduce(loss, reduction))


def binary_cross_entropy(logits, labels, weight=None, reduction="mean"):
    """-(y log p + (1 - y) log(1 - p)) for probabilities p; logs are clamped at -100."""
    _check_reduction(reduction, "binary_cross_entropy")
    p = floating(value(logits, "binary_cross_entropy", "logits"))
    y = value(labels, "binary_cross_entropy", "labels")
    _same_shape(p, y, "binary_cross_entropy", ("logits", "labels"))
    p, y = promote(p, y)
    # NOTE: log is clamped at -100 (as PyTorch does) so p = 0 or 1 gives a finite loss; the
    # argument is floored at the smallest normal number first, so log never sees 0.
    tiny = float(np.finfo(p.dtype).tiny)
    log_p = E.maximum(E.log(E.maximum(p, tiny)), -100.0)
    log_1p = E.maximum(E.log(E.maximum(E.sub(1, p), tiny)), -100.0)
    loss = E.neg(E.add(E.mul(y, log_p), E.mul(E.sub(1, y), log_1p)))
    if weight is not None:
        w = value(weight, "binary_cross_entropy", "weight")
        _broadcastable(w, p.shape, "binary_cross_entropy", "weight")
        loss = E.mul(loss, w)
    return _wrap(_reduce(loss, reduction))


def _classes_last(x, op):
    """(N, C, d1, ...) -> (N d1 ..., C); (N, C) and (C,) pass through."""
    if x.ndim <= 2:
        return x
    perm = (0,) + tuple(range(2, x.ndim)) + (1,)
    moved = S.transpose(x, perm=perm)
    return S.reshape(moved, shape=(-1, x.shape[1]))


def _labels(target, x, op):
    """The class-index labels flattened to (M,): a NumPy array, or the traced value (inside jit
    or vmap), whose values are then not known."""
    raw = value(target, op, "target") if not isinstance(target, (np.ndarray, Tracer)) else target
    # Only the dtype and shape are read here (a tracer has both), so vmap stays vectorised.
    if raw.dtype.kind not in "iu":
        raise TypeError(
            f"For '{op}', class-index 'target' must be an integer Tensor, but got {raw.dtype}"
        )
    expect = (x.shape[0],) + tuple(x.shape[2:]) if x.ndim >= 2 else ()
    if tuple(raw.shape) != expect:
        raise ValueError(
            f"For '{op}', 'target' must have shape {expect} for input of shape {tuple(x.shape)}, "
            f"but got {tuple(raw.shape)}"
        )
    if isinstance(raw, Tracer):
        return S.reshape(raw, shape=(-1,))
    return np.asarray(raw).reshape(-1)


def _class_weight(weight, c, op, dtype):
    if weight is None:
        return None
    w = value(weight, op, "weight")
    if tuple(w.shape) != (c,):
        raise ValueError(f"For '{op}', 'weight' must have shape ({c},), but got {tuple(w.shape)}")
    return E.cast(w, dtype=dtype) if w.dtype != dtype else w


def _nll_from_log_probs(logp, labels, w, ignore_index, reduction, label_smoothing, op, out_shape):
    """The shared body of `nll_loss` and `cross_entropy` for class-index targets.

    `logp` is (M, C) log-probabilities, `labels` (M,) ints.
    """
    m, c = logp.shape
    if isinstance(labels, Tracer):
        return _nll_traced(logp, labels, w, ignore_index, reduction, label_smoothing, out_shape)
    valid = labels != ignore_index
    if np.any(valid & ((labels < 0) | (labels >= c))):
        bad = labels[valid & ((labels < 0) | (labels >= c))][0]
        raise IndexError(f"For '{op}', target value {bad} is out of range [0, {c})")
    safe = np.where(valid, labels, 0)
    picked = index_value(logp, (np.arange(m), safe))
    wy = (
        np.asarray(valid, dtype=logp.dtype)
        if w is None
        else E.mul(index_value(w, safe), valid.astype(logp.dtype))
    )
    loss = E.neg(E.mul(picked, wy))
    if label_smoothing:
        per_class = logp if w is None else E.mul(logp, w)
        smooth = E.neg(R.reduce_sum(per_class, axis=(1,), keepdims=False))
        smooth = E.mul(smooth, valid.astype(logp.dtype))
        loss = E.add(E.mul(loss, 1 - label_smoothing), E.mul(smooth, label_smoothing / c))
    if reduction == "none":
        return S.reshape(loss, shape=out_shape)
    total = R.reduce_sum(loss, axis=None, keepdims=False)
    if reduction == "sum":
        return total
    denom = (
        R.reduce_sum(wy, axis=None, keepdims=False) if not isinstance(wy, np.ndarray) else wy.sum()
    )
    return E.div(total, denom)


def _nll_traced(logp, labels, w, ignore_index, reduction, label_smoothing, out_shape):
    """`_nll_from_log_probs` for labels whose values are not known (traced by jit or vmap): the
    same masks, built with primitives. A label out of range makes its loss NaN: the graph cannot
    raise, and indexing would silently wrap a negative label."""
    m, c = logp.shape
    valid = E.not_equal(labels, ignore_index)
    bad = E.logical_and(valid, E.logical_or(E.less(labels, 0), E.greater_equal(labels, c)))
    safe = E.where(E.logical_and(valid, E.logical_not(bad)), labels, np.zeros((), labels.dtype))
    mask = E.cast(valid, dtype=logp.dtype)
    picked = index_value(logp, (np.arange(m), safe))
    wy = mask if w is None else E.mul(index_value(w, safe), mask)
    loss = E.where(bad, np.array(np.nan, logp.dtype), E.neg(E.mul(picked, wy)))
    if label_smoothing:
        per_class = logp if w is None else E.mul(logp, w)
        smooth = E.neg(R.reduce_sum(per_class, axis=(1,), keepdims=False))
        smooth = E.mul(smooth, mask)
        loss = E.add(E.mul(loss, 1 - label_smoothing), E.mul(smooth, label_smoothing / c))
    if reduction == "none":
        return S.reshape(loss, shape=out_shape)
    total = R.reduce_sum(loss, axis=None, keepdims=False)
    if reduction == "sum":
        return total
    return E.div(total, R.reduce_sum(wy, axis=None, keepdims=False))


def _xent_traced(x, labels, ignore_index, reduction):
    """The fused cross entropy of (N, C) logits for labels whose values are not known (traced by
    jit or vmap): an ignored label weighs 0. With every label a class it equals the eager fast
    path."""
    valid = E.not_equal(labels, ignore_index)
    safe = E.where(valid, labels, np.zeros((), labels.dtype))
    mask = E.cast(valid, dtype=x.dtype)
    loss = E.mul(N.softmax_cross_entropy(x, safe), mask)
    if reduction == "none":
        return loss
    total = R.reduce_sum(loss, axis=None, keepdims=False)
    if reduction == "sum":
        return total
    return E.div(total, R.reduce_sum(mask, axis=None, keepdims=False))


def nll_loss(inputs, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """Negative log-likelihood of class-index targets, given log-probabilities (N, C, ...).

    With 'mean' the sum is divided by the summed weights of the non-ignored targets.
    """
    op = "nll_loss"
    _check_reduction(reduction, op)
    x = floating(value(inputs, op, "inputs"))
    if x.ndim < 1:
        raise ValueError(f"For '{op}', 'inputs' must be at least 1-D")
    labels = _labels(target, x, op)
    c = x.shape[1] if x.ndim >= 2 else x.shape[0]
    w = _class_weight(weight, c, op, x.dtype)
    logp = _classes_last(x, op) if x.ndim >= 2 else S.reshape(x, shape=(1, c))
    out_shape = (x.shape[0],) + tuple(x.shape[2:]) if x.ndim >= 2 else ()
    return _wrap(
        _nll_from_log_probs(
            logp, labels, w, ignore_index, reduction, label_smoothing, op, out_shape
        )
    )


def cross_entropy(
    input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0
):
    """Cross entropy between logits (N, C, ...) and class indices (N, ...) or class
    probabilities (same shape as `input`), with optional class `weight`, `ignore_index` and
    `label_smoothing`. Labels may be int32 or int64 (MindSpore accepts int32 only)."""
    op = "cross_entropy"
    _check_reduction(reduction, op)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(
            f"For '{op}', 'label_smoothing' must be in [0, 1], but got {label_smoothing}"
        )
    x = floating(value(input, op, "input"))
    t = value(target, op, "target")
    class_axis = 1 if x.ndim >= 2 else 0
    c = x.shape[class_axis]
    w = _class_weight(weight, c, op, x.dtype)
    if t.dtype.kind == "f":  # class probabilities
        _same_shape(x, t, op, ("input", "target"))
        logp = N.log_softmax(x, axis=class_axis)
        if label_smoothing:
            t = E.add(E.mul(t, 1 - label_smoothing), label_smoothing / c)
        if w is not None:
            t = E.mul(t, S.reshape(w, shape=(c,) + (1,) * (x.ndim - class_axis - 1)))
        loss = E.neg(R.reduce_sum(E.mul(logp, t), axis=(class_axis,), keepdims=False))
        return _wrap(_reduce(loss, reduction))
    labels = _labels(t, x, op)
    if isinstance(labels, Tracer) and x.ndim == 2 and w is None and not label_smoothing:
        return _wrap(_xent_traced(x, labels, ignore_index, reduction))
    if x.ndim == 2 and w is None and not label_smoothing and labels.size:
        # One min/max pass proves both "every label is a class" and "none is ignored" (an
        # ignore_index inside [0, c) still takes the general path, which checks the rest).
        lo, hi = labels.min(), labels.max()
        if 0 <= lo and hi < c and not (lo <= ignore_index <= hi):
            return _wrap(_reduce(N.softmax_cross_entropy(x, labels), reduction))
    logp = N.log_softmax(x, axis=class_axis)
    flat = _classes_last(logp, op) if x.ndim >= 2 else S.reshape(logp, shape=(1, c))
    out_shape = (x.shape[0],) + tuple(x.shape[2:]) if x.ndim >= 2 else ()
    return _wrap(
        _nll_from_log_probs(
            flat, labels, w, ignore_index, reduction, label_smoothing, op, out_shape
        )
    )


def _pair(input, target, op):
    x = floating(value(input, op, "input"))
    y = value(target, op, "target")
    x, y = promote(x, y)
    try:
        np.broadcast_shapes(tuple(x.shape), tuple(y.shape))
    except ValueError:
        raise ValueError(
            f"For '{op}', 'input' {tuple(x.shape)} and 'target' {tuple(y.shape)} do not broadcast"
        ) from None
    return x, y


def mse_loss(input, target, reduction="mean"):
    """(input - target)^2, reduced."""
    _check_reduction(reduction, "mse_loss")
    x, y = _pair(input, target, "mse_loss")
    return _wrap(_reduce(E.square(E.sub(x, y)), reduction))


def l1_loss(input, target, reduction="mean"):
    """|input - target|, reduced."""
    _check_reduction(reduction, "l1_loss")
    x, y = _pair(input, target, "l1_loss")
    return _wrap(_reduce(E.abs_(E.sub(x, y)), reduction))


def smooth_l1_loss(input, target, beta=1.0, reduction="none"):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta. The default reduction is 'none'."""
    _check_reduction(reduction, "smooth_l1_loss")
    if beta <= 0:
        raise ValueError(f"For 'smooth_l1_loss', 'beta' must be positive, but got {beta}")
    x, y = _pair(input, target, "smooth_l1_loss")
    d = E.abs_(E.sub(x, y))
    loss = E.where(E.less(d, beta), E.mul(E.square(d), 0.5 / beta), E.sub(d, 0.5 * beta))
    return _wrap(_reduce(loss, reduction))


def huber_loss(input, target, reduction="mean", delta=1.0):
    """0.5 d^2 where |d| <= delta, else delta (|d| - 0.5 delta)."""
    _check_reduction(reduction, "huber_loss")
    x, y = _pair(input, target, "huber_loss")
    d = E.abs_(E.sub(x, y))
    loss = E.where(
        E.less_equal(d, delta), E.mul(E.square(d), 0.5), E.mul(E.sub(d, 0.5 * delta), delta)
    )
    return _wrap(_reduce(loss, reduction))


def kl_div(logits, labels, reduction="mean"):
    """KL divergence with `logits` = log q and `labels` = p: sum p (log p - log q).

    'mean' averages over all elements, 'batchmean' divides the sum by the batch size.
    """
    op = "kl_div"
    _check_reduction(reduction, op, _REDUCTIONS + ("batchmean",))
    lq = floating(value(logits, op, "logits"))
    p = value(labels, op, "labels")
    lq, p = promote(lq, p)
    # NOTE: 0 log 0 is taken as 0.
    positive = E.greater(p, 0)
    plogp = E.where(positive, E.mul(p, E.log(E.where(positive, p, 1))), 0)
    loss = E.sub(plogp, E.mul(p, lq))
    if reduction == "batchmean":
        n = lq.shape[0] if lq.ndim else 1
        return _wrap(E.div(R.reduce_sum(loss, axis=None, keepdims=False), n))
    return _wrap(_reduce(loss, reduction))
