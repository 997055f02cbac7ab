"""Batch and layer normalisation in `mindspore.ops`, as compositions of primitives.

Batch statistics are differentiated through (the mean and the biased variance of the batch);
running statistics are state, updated in place from concrete values after the step, never
differentiated, as in every framework (inside jit, by the graph).
"""

from __future__ import annotations

import numpy as np

from minispore.core.capture import is_captured
from minispore.core.primitive import concrete
from minispore.ops._utils import floating, value
from minispore.ops.state import assign
from minispore.parameter import Parameter
from minispore.prims import elementwise as E
from minispore.prims import reduction as R
from minispore.prims import shape as S
from minispore.tensor import _wrap


def _channel_shape(v):
    return (1, v.shape[1]) + (1,) * (v.ndim - 2)


def _per_channel(t, c, op, arg, dtype):
    """A (C,) argument as a raw value (None when absent)."""
    if t is None:
        return None
    v = value(t, op, arg)
    if tuple(v.shape) != (c,):
        raise ValueError(f"For '{op}', '{arg}' must have shape ({c},), but got {tuple(v.shape)}")
    return v


def batch_norm_value(x, running_mean, running_var, weight, bias, training, momentum, eps, op):
    """Normalise each channel of `x` (N, C, ...); updates the running statistics when training.

    `momentum` is the weight of the batch statistic: new = (1 - momentum) * old + momentum * batch,
    with the unbiased batch variance, as MindSpore's functional `batch_norm` (the cells pass
    `1 - momentum`).
    """
    if x.ndim < 2:
        raise ValueError(
            f"For '{op}', the input must be at least 2-D (N, C, ...), but got shape {tuple(x.shape)}"
        )
    x = floating(x)
    c = x.shape[1]
    rm = _per_channel(running_mean, c, op, "running_mean", x.dtype)
    rv = _per_channel(running_var, c, op, "running_var", x.dtype)
    w = _per_channel(weight, c, op, "weight", x.dtype)
    b = _per_channel(bias, c, op, "bias", x.dtype)
    shape = _channel_shape(x)
    if training:
        axes = (0,) + tuple(range(2, x.ndim))
        mean = R.reduce_mean(x, axis=axes, keepdims=True)
        centred = E.sub(x, mean)
        var = R.reduce_mean(E.square(centred), axis=axes, keepdims=True)
        count = x.size // c
        if count < 2:
            raise ValueError(
                f"For '{op}', training needs more than one value per channel, but got input shape {tuple(x.shape)}"
            )
        for stat, batch, scale in (
            (running_mean, mean, 1.0),
            (running_var, var, count / (count - 1)),
        ):
            if isinstance(stat, Parameter) and (is_captured(stat._value) or is_captured(batch)):
                # Inside jit the update is part of the graph (jit writes it back after each
                # call); like the eager update it carries no gradient.
                old = E.stop_gradient(stat._value)
                new_stat = S.reshape(E.stop_gradient(batch), shape=(c,))
                assign(
                    stat,
                    _wrap(E.add(E.mul(1 - momentum, old), E.mul(momentum * scale, new_stat))),
                )
            elif isinstance(stat, Parameter):
                old = np.asarray(concrete(stat._value))
                batch_stat = np.asarray(concrete(batch)).reshape(c)
                assign(stat, (1 - momentum) * old + (momentum * scale) * batch_stat)
    else:
        if rm is None or rv is None:
            raise ValueError(f"For '{op}', inference needs 'running_mean' and 'running_var'")
        centred = E.sub(x, S.reshape(rm, shape=shape))
        var = S.reshape(rv, shape=shape)
    y = E.mul(centred, E.rsqrt(E.add(var, np.asarray(eps, dtype=x.dtype))))
    if w is not None:
        y = E.mul(y, S.reshape(w, shape=shape))
    if b is not None:
        y = E.add(y, S.reshape(b, shape=shape))
    return y


def batch_norm(
    input_x, running_mean, running_var, weight, bias, training=False, momentum=0.1, eps=1e-05
):
    """Batch normalisation of (N, C, ...) input over every axis but the channel axis 1."""
    x = value(input_x, "batch_norm", "input_x")
    return _wrap(
        batch_norm_value(
            x, running_mean, running_var, weight, bias, training, momentum, eps, "batch_norm"
        )
    )


def layer_norm_value(x, begin_axis, weight, bias, eps, op):
    """Normalise over the axes from `begin_axis` on, then scale by `weight` and shift by `bias`."""
    x = floating(x)
    axes = tuple(range(begin_axis, x.ndim))
    mean = R.reduce_mean(x, axis=axes, keepdims=True)
    centred = E.sub(x, mean)
    var = R.reduce_mean(E.square(centred), axis=axes, keepdims=True)
    y = E.mul(centred, E.rsqrt(E.add(var, np.asarray(eps, dtype=x.dtype))))
    if weight is not None:
        y = E.mul(y, weight)
    if bias is not None:
        y = E.add(y, bias)
    return y


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    """Layer normalisation over the trailing axes `normalized_shape`."""
    x = value(input, "layer_norm")
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
    if not isinstance(shape, (tuple, list)) or not all(isinstance(n, int) for n in shape):
        raise TypeError(
            f"For 'layer_norm', 'normalized_shape' must be an int or a tuple of ints, but got {normalized_shape!r}"
        )
    shape = tuple(shape)
    if tuple(x.shape[x.ndim - len(shape) :]) != shape or len(shape) > x.ndim:
        raise ValueError(
            f"For 'layer_norm', 'normalized_shape' {shape} must match the trailing axes of the "
            f"input shape {tuple(x.shape)}"
        )
    w = None if weight is None else value(weight, "layer_norm", "weight")
    b = None if bias is None else value(bias, "layer_norm", "bias")
    for arg, t in (("weight", w), ("bias", b)):
        if t is not None and tuple(t.shape) != shape:
            raise ValueError(
                f"For 'layer_norm', '{arg}' must have shape {shape}, but got {tuple(t.shape)}"
            )
    return _wrap(layer_norm_value(x, x.ndim - len(shape), w, b, eps, "layer_norm"))
