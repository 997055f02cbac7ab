"""Coarse neural-network primitives: softmax, log-softmax and fused losses.

Python overhead is paid per node, so the hot paths of training get one primitive each, with
numerically stable implementations (log-sum-exp, sign-split sigmoid).
"""

from __future__ import annotations

import numpy as np

from minispore.core.batching import all_batched, along_axis, axis_size, batched, elementwise
from minispore.core.primitive import Primitive
from minispore.prims.elementwise import exp, mul, neg, sigmoid, sub
from minispore.prims.reduction import reduce_sum
from minispore.prims.shape import reshape


def _softmax_impl(x, *, axis):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


def _log_softmax_impl(x, *, axis):
    s = x - np.max(x, axis=axis, keepdims=True)
    s -= np.log(np.sum(np.exp(s), axis=axis, keepdims=True))
    return s


def _softmax_linear(v, out, axis):
    # d softmax: s * (v - sum(v * s))
    return mul(out, sub(v, reduce_sum(mul(v, out), axis=(axis,), keepdims=True)))


softmax = Primitive(
    "softmax",
    _softmax_impl,
    vjp=(lambda ct, out, x, *, axis: _softmax_linear(ct, out, axis),),
    jvp=(lambda t, out, x, *, axis: _softmax_linear(t, out, axis),),
    batch=along_axis,
    fresh=True,
)

log_softmax = Primitive(
    "log_softmax",
    _log_softmax_impl,
    # d log_softmax: ct - softmax * sum(ct)
    vjp=(
        lambda ct, out, x, *, axis: sub(
            ct, mul(exp(out), reduce_sum(ct, axis=(axis,), keepdims=True))
        ),
    ),
    jvp=(
        lambda t, out, x, *, axis: sub(
            t, reduce_sum(mul(exp(out), t), axis=(axis,), keepdims=True)
        ),
    ),
    batch=along_axis,
    fresh=True,
)


def _sigmoid_bce_impl(x, y):
    # max(x, 0) - x y + log(1 + e^-|x|): the stable form of -y log s(x) - (1-y) log(1-s(x))
    out = np.maximum(x, 0)
    out -= x * y
    out += np.log1p(np.exp(-np.abs(x)))
    return out


def _bce_batch(args, dims):
    # The implementation writes into an array of x's shape, which y broadcasts to: x carries
    # the batch axis even when only y is batched.
    (x, y), (dx, dy) = args, dims
    if dx is None:
        x, dx = batched(x, None, axis_size(args, dims)), 0
    return elementwise(sigmoid_bce, [x, y], [dx, dy])


sigmoid_bce = Primitive(
    "sigmoid_bce",
    _sigmoid_bce_impl,
    vjp=(
        lambda ct, out, x, y: mul(ct, sub(sigmoid(x), y)),
        lambda ct, out, x, y: mul(ct, neg(x)),
    ),
    jvp=(
        lambda t, out, x, y: mul(t, sub(sigmoid(x), y)),
        lambda t, out, x, y: mul(t, neg(x)),
    ),
    batch=_bce_batch,
    fresh=True,
)


def _softmax_xent_impl(logits, labels):
    c = logits.shape[-1]
    # Checked here, on every call, so that a replayed jit graph checks too (NumPy would wrap -1).
    if labels.size and (labels.min() < 0 or labels.max() >= c):
        raise IndexError(
            f"For 'softmax_cross_entropy', every label must be a class in [0, {c}), but got "
            f"values from {labels.min()} to {labels.max()}"
        )
    flat = logits.reshape(-1, c)
    m = flat.max(axis=1, keepdims=True)
    e = np.exp(flat - m)
    lse = np.log(e.sum(axis=1)) + m[:, 0]
    # Plain advanced indexing: np.take_along_axis costs more than the rest on small batches.
    lse -= flat[np.arange(flat.shape[0]), labels.reshape(-1)]
    return lse.reshape(logits.shape[:-1])


def _xent_vjp_impl(ct, logits, labels):
    # NOTE: contiguous, so that the reshape below is a view of g (for non-contiguous logits of
    # rank 3 or more NumPy lays g out like them, and the edit would land in a copy).
    g = np.ascontiguousarray(_softmax_impl(logits, axis=-1))
    flat = g.reshape(-1, g.shape[-1])
    flat[np.arange(flat.shape[0]), labels.reshape(-1)] -= 1  # g is fresh: edit in place
    g *= ct[..., None]
    return g


def _xent_residual(logits, labels):
    """softmax(logits) - onehot(labels), as softmax_xent_vjp with unit cotangents."""
    return softmax_xent_vjp(np.ones(tuple(logits.shape[:-1]), logits.dtype), logits, labels)


def _xent_vjp_ct(ct2, out, ct, logits, labels):
    # d/d ct of ct * (softmax - onehot): sum over classes of ct2 * (softmax - onehot)
    return reduce_sum(mul(ct2, _xent_residual(logits, labels)), axis=(logits.ndim - 1,))


def _xent_vjp_logits(ct2, out, ct, logits, labels):
    # d/d logits of ct * (softmax - onehot) is ct times the (symmetric) softmax Jacobian.
    c = reshape(ct, shape=tuple(ct.shape) + (1,)) if ct.ndim else ct
    axis = logits.ndim - 1
    return _softmax_linear(mul(ct2, c), softmax(logits, axis=axis), axis)


# ct[..., None] * (softmax(logits) - onehot(labels)): the VJP of softmax cross entropy as one node.
softmax_xent_vjp = Primitive(
    "softmax_xent_vjp",
    _xent_vjp_impl,
    vjp=(_xent_vjp_ct, _xent_vjp_logits, None),
    jvp=(
        lambda t, out, ct, logits, labels: softmax_xent_vjp(t, logits, labels),
        lambda t, out, ct, logits, labels: _xent_vjp_logits(t, out, ct, logits, labels),
        None,
    ),
    batch=all_batched,
    fresh=True,
)


softmax_cross_entropy = Primitive(
    "softmax_cross_entropy",
    _softmax_xent_impl,
    vjp=(
        lambda ct, out, x, labels: softmax_xent_vjp(ct, x, labels),
        None,
    ),
    jvp=(
        lambda t, out, x, labels: reduce_sum(
            mul(t, _xent_residual(x, labels)), axis=(x.ndim - 1,), keepdims=False
        ),
        None,
    ),
    batch=all_batched,
    fresh=True,
)
