"""Shape primitives: reshape, transpose, broadcast, concatenate, pad.

They move entries without changing them, so each rule is another shape primitive.
"""

from __future__ import annotations

import math

import numpy as np

from minispore.core.batching import align, along_axis, axis_size, batched, batched_axis, to_front
from minispore.core.primitive import Primitive


def _reshape_impl(x, *, shape):
    return np.asarray(x).reshape(shape)  # the method skips np.reshape's Python dispatch


def _reshape_batch(args, dims, *, shape):
    (x,), (d,) = args, dims
    x = to_front(x, d)
    return reshape(x, shape=(x.shape[0],) + tuple(shape)), 0


reshape = Primitive(
    "reshape",
    _reshape_impl,
    vjp=(lambda ct, out, x, *, shape: reshape(ct, shape=tuple(x.shape)),),
    jvp=(lambda t, out, x, *, shape: reshape(t, shape=shape),),
    batch=_reshape_batch,
)


def _transpose_impl(x, *, perm):
    return np.asarray(x).transpose(perm)


def _inverse_perm(perm):
    return tuple(int(i) for i in np.argsort(perm))


def _transpose_batch(args, dims, *, perm):
    (x,), (d,) = args, dims
    return transpose(x, perm=(d,) + tuple(batched_axis(p, d) for p in perm)), 0


transpose = Primitive(
    "transpose",
    _transpose_impl,
    vjp=(lambda ct, out, x, *, perm: transpose(ct, perm=_inverse_perm(perm)),),
    jvp=(lambda t, out, x, *, perm: transpose(t, perm=perm),),
    batch=_transpose_batch,
)


def _broadcast_to_impl(x, *, shape):
    x = np.asarray(x)
    if x.shape == shape:
        return x
    if math.prod(shape) <= 4096:
        # NOTE: for small arrays a filled copy is several times cheaper than np.broadcast_to's
        # view (whose Python-level setup dominates); large ones stay zero-copy views.
        out = np.empty(shape, x.dtype)
        out[...] = x
        return out
    return np.broadcast_to(x, shape)


def _broadcast_to_batch(args, dims, *, shape):
    (x,), (d,) = args, dims
    x = align(x, d, len(shape))
    return broadcast_to(x, shape=(x.shape[0],) + tuple(shape)), 0


# The engine sums the cotangent down to the argument's shape, so the VJP is the identity.
broadcast_to = Primitive(
    "broadcast_to",
    _broadcast_to_impl,
    vjp=(lambda ct, out, x, *, shape: ct,),
    jvp=(lambda t, out, x, *, shape: broadcast_to(t, shape=shape),),
    batch=_broadcast_to_batch,
)


def _concatenate_impl(*xs, axis):
    return np.concatenate(xs, axis=axis)


def _concat_piece(i, ct, args, axis):
    start = sum(a.shape[axis] for a in args[:i])
    index = (slice(None),) * axis + (slice(start, start + args[i].shape[axis]),)
    from minispore.prims.indexing import index_value

    return index_value(ct, index)


def _concatenate_batch(args, dims, *, axis):
    n = axis_size(args, dims)
    nd = next(x.ndim - 1 if d is not None else x.ndim for x, d in zip(args, dims))
    parts = [batched(x, d, n) for x, d in zip(args, dims)]
    return concatenate(*parts, axis=axis % max(nd, 1) + 1), 0


concatenate = Primitive(
    "concatenate",
    _concatenate_impl,
    vjp=lambda i, ct, out, *xs, axis: _concat_piece(i, ct, xs, axis),
    jvp=lambda i, t, out, *xs, axis: concatenate(
        *[t if j == i else np.zeros(x.shape, t.dtype) for j, x in enumerate(xs)], axis=axis
    ),
    batch=_concatenate_batch,
    fresh=True,
)


def _pad_impl(x, *, pad_width, value):
    return np.pad(x, pad_width, mode="constant", constant_values=value)


def _unpad(ct, x, pad_width):
    from minispore.prims.indexing import index_value

    index = tuple(slice(lo, lo + n) for (lo, _), n in zip(pad_width, x.shape))
    return index_value(ct, index)


def _pad_batch(args, dims, *, pad_width, value):
    (x,), (d,) = args, dims
    width = tuple(pad_width[:d]) + ((0, 0),) + tuple(pad_width[d:])
    return pad(x, pad_width=width, value=value), d


pad = Primitive(
    "pad",
    _pad_impl,
    vjp=(lambda ct, out, x, *, pad_width, value: _unpad(ct, x, pad_width),),
    jvp=(lambda t, out, x, *, pad_width, value: pad(t, pad_width=pad_width, value=0),),
    batch=_pad_batch,
    fresh=True,
)


def _flip_impl(x, *, axis):
    return np.flip(x, axis=axis)


flip = Primitive(
    "flip",
    _flip_impl,
    vjp=(lambda ct, out, x, *, axis: flip(ct, axis=axis),),
    jvp=(lambda t, out, x, *, axis: flip(t, axis=axis),),
    batch=along_axis,
)
