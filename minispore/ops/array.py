"""Tensor creation and shape manipulation with MindSpore's names and signatures."""

from __future__ import annotations

import builtins

import numpy as np

from minispore import dtype as mstype
from minispore.core.primitive import concrete
from minispore.ops._utils import axes, axis1, np_dtype, shape_arg, value
from minispore.ops._utils import axis1 as _axis1
from minispore.ops._utils import value as _value
from minispore.prims import elementwise as E
from minispore.prims import shape as S
from minispore.prims.indexing import index_value
from minispore.tensor import Tensor, _wrap

F32 = np.dtype(np.float32)

# ---- creation -------------------------------------------------------------------------------


def _size(size, op):
    if len(size) == 1 and isinstance(size[0], (tuple, list, Tensor)):
        size = size[0]
    return shape_arg(tuple(size) if not isinstance(size, Tensor) else size, op, "size")


def _creation_shape(shape, op, arg="shape"):
    shape = shape_arg(shape, op, arg)
    if any(s < 0 for s in shape):
        raise ValueError(f"For '{op}', '{arg}' must not have negative dimensions, but got {shape}")
    return shape


def ones(shape, dtype=None):
    """A tensor of ones (Float32 unless `dtype` is given); `shape` may be an int."""
    return _wrap(np.ones(_creation_shape(shape, "ones"), np_dtype(dtype, F32, op="ones")))


def zeros(size, dtype=None):
    """A tensor of zeros (Float32 unless `dtype` is given); `size` may be an int."""
    return _wrap(np.zeros(_creation_shape(size, "zeros", "size"), np_dtype(dtype, F32, op="zeros")))


def _like_dtype(input, dtype, op):
    v = value(input, op)
    return np_dtype(dtype, v.dtype, op=op), tuple(v.shape)


def ones_like(input, *, dtype=None):
    dt, shape = _like_dtype(input, dtype, "ones_like")
    out = np.empty(shape, dt)
    out.fill(1)  # np.ones does the same through a slower Python path
    return _wrap(out)


def zeros_like(input, *, dtype=None):
    dt, shape = _like_dtype(input, dtype, "zeros_like")
    return _wrap(np.zeros(shape, dt))


def full(size, fill_value, *, dtype=None):
    """A tensor filled with `fill_value`; dtype inferred from it like `Tensor(fill_value)`."""
    if dtype is None:
        dtype = (
            mstype.bool_
            if isinstance(fill_value, bool)
            else (mstype.int64 if isinstance(fill_value, int) else mstype.float32)
        )
    fv = fill_value.item() if isinstance(fill_value, Tensor) else fill_value
    return _wrap(np.full(_creation_shape(size, "full", "size"), fv, np_dtype(dtype, op="full")))


def full_like(input, fill_value, *, dtype=None):
    """A tensor shaped like `input` filled with `fill_value`."""
    dt, shape = _like_dtype(input, dtype, "full_like")
    fv = fill_value.item() if isinstance(fill_value, Tensor) else fill_value
    if isinstance(fv, str) or not np.isscalar(fv):
        raise TypeError(f"For 'full_like', 'fill_value' must be a number, but got {fill_value!r}")
    return _wrap(np.full(shape, fv, dt))


def _num(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start=0, end=None, step=1, *, dtype=None):
    """Evenly spaced values in [start, end); Int64 for int arguments, Float32 otherwise."""
    start, end, step = _num(start), _num(end), _num(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError("For 'arange', 'step' must not be 0")
    if dtype is None:
        is_int = builtins.all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = mstype.int64 if is_int else mstype.float32
    return _wrap(np.arange(start, end, step).astype(np_dtype(dtype, op="arange")))


def linspace(start, end, steps):
    """`steps` evenly spaced values from `start` to `end` inclusive (Float32)."""
    return _wrap(np.linspace(_num(start), _num(end), int(_num(steps))).astype(F32))


def eye(n, m=None, dtype=None):
    """An n x m identity matrix (Float32 unless `dtype` is given)."""
    return _wrap(np.eye(n, m, dtype=np_dtype(dtype, F32, op="eye")))


def fill(type, shape, value):
    return _wrap(np.full(shape_arg(shape, "fill"), value, np_dtype(type, op="fill")))


# ---- shape ------------------------------------------------------------------------------------


def _reshape_value(v, shape, op):
    shape = shape_arg(shape, op)
    try:
        known = [s for s in shape if s != -1]
        if shape.count(-1) > 1 or builtins.any(s < -1 for s in shape):
            raise ValueError
        total = int(np.prod(v.shape, dtype=np.int64))
        prod_known = int(np.prod(known, dtype=np.int64)) if known else 1
        if -1 in shape:
            if prod_known == 0 or total % prod_known:
                raise ValueError
            shape = tuple(total // prod_known if s == -1 else s for s in shape)
        elif prod_known != total:
            raise ValueError
    except ValueError:
        raise ValueError(
            f"For '{op}', cannot reshape a tensor of shape {tuple(v.shape)} "
            f"({int(np.prod(v.shape))} elements) into shape {shape}"
        ) from None
    if tuple(v.shape) == shape:
        return v
    return S.reshape(v, shape=shape)


def reshape(input, shape):
    """A tensor with the same data and a new shape (one entry may be -1)."""
    return _wrap(_reshape_value(value(input, "reshape"), shape, "reshape"))


def _perm(perm, ndim, op):
    if isinstance(perm, (int, np.integer)):
        perm = (perm,)
    if not isinstance(perm, (tuple, list)) or not all(
        isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in perm
    ):
        raise TypeError(f"For '{op}', the permutation must be a tuple of ints, but got {perm!r}")
    perm = tuple(int(p) % max(ndim, 1) if isinstance(p, (int, np.integer)) else p for p in perm)
    if sorted(perm) != list(range(ndim)):
        raise ValueError(
            f"For '{op}', the permutation {perm} is not valid for a tensor of rank {ndim}"
        )
    return perm


def transpose(input, dims):
    """Permute the axes of `input`."""
    v = value(input, "transpose")
    return _wrap(S.transpose(v, perm=_perm(dims, v.ndim, "transpose")))


def permute(input, axis):
    v = value(input, "permute")
    return _wrap(S.transpose(v, perm=_perm(axis, v.ndim, "permute")))


def swapaxes(input, axis0, axis1):  # noqa: F811 - the parameter shadows the helper here
    v = value(input, "swapaxes")
    a, b = _axis1(axis0, v.ndim, "swapaxes", "axis0"), _axis1(axis1, v.ndim, "swapaxes", "axis1")
    perm = list(range(v.ndim))
    perm[a], perm[b] = perm[b], perm[a]
    return _wrap(S.transpose(v, perm=tuple(perm)))


def _expand(v, axis, op):
    n = v.ndim + 1
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"For '{op}', 'axis' must be an int, but got {type(axis).__name__}")
    if not -n <= axis < n:
        raise ValueError(f"For '{op}', 'axis' {axis} is out of range [{-n}, {n})")
    a = int(axis) % n
    shape = tuple(v.shape[:a]) + (1,) + tuple(v.shape[a:])
    return S.reshape(v, shape=shape)


def expand_dims(input_x, axis):
    """Insert an axis of length 1 at `axis`."""
    return _wrap(_expand(value(input_x, "expand_dims", "input_x"), axis, "expand_dims"))


def unsqueeze(input, dim):
    return _wrap(_expand(value(input, "unsqueeze"), dim, "unsqueeze"))


def squeeze(input, axis=None):
    """Remove axes of length 1 (all of them, or those in `axis`)."""
    v = value(input, "squeeze")
    if axis is None:
        shape = tuple(s for s in v.shape if s != 1)
    else:
        ax = axes(axis, v.ndim, "squeeze") or ()
        for a in ax:
            if v.shape[a] != 1:
                raise ValueError(
                    f"For 'squeeze', axis {a} of shape {tuple(v.shape)} has length {v.shape[a]}, not 1"
                )
        shape = tuple(s for i, s in enumerate(v.shape) if i not in ax)
    return _wrap(S.reshape(v, shape=shape) if shape != tuple(v.shape) else v)


def flatten(input, order="C", *, start_dim=1, end_dim=-1):
    """Flatten the axes from `start_dim` to `end_dim` into one.

    `order='F'` first reverses the order of every axis, as MindSpore does. A 0-d input gives
    shape (1,); a 1-D input is returned as it is.
    """
    if order not in ("C", "F"):
        raise ValueError(f"For 'flatten', 'order' must be 'C' or 'F', but got {order!r}")
    v = value(input, "flatten")
    if v.ndim == 0:
        return _wrap(S.reshape(v, shape=(1,)))
    if order == "F" and v.ndim > 1:
        v = S.transpose(v, perm=tuple(range(v.ndim - 1, -1, -1)))
    if v.ndim == 1:
        return _wrap(v)
    s = axis1(start_dim, v.ndim, "flatten", "start_dim")
    e = axis1(end_dim, v.ndim, "flatten", "end_dim")
    if s > e:
        raise ValueError(f"For 'flatten', 'start_dim' {start_dim} comes after 'end_dim' {end_dim}")
    shape = tuple(v.shape[:s]) + (int(np.prod(v.shape[s : e + 1])),) + tuple(v.shape[e + 1 :])
    return _wrap(S.reshape(v, shape=shape) if shape != tuple(v.shape) else v)


def broadcast_to(input, shape):
    """Broadcast `input` to `shape` (-1 keeps the existing length)."""
    v = value(input, "broadcast_to")
    shape = shape_arg(shape, "broadcast_to")
    lead = len(shape) - v.ndim
    shape = tuple(v.shape[i - lead] if s == -1 and i >= lead else s for i, s in enumerate(shape))
    try:
        np.broadcast_shapes(tuple(v.shape), shape)
        if np.broadcast_shapes(tuple(v.shape), shape) != shape:
            raise ValueError
    except ValueError:
        raise ValueError(
            f"For 'broadcast_to', cannot broadcast shape {tuple(v.shape)} to {shape}"
        ) from None
    return _wrap(S.broadcast_to(v, shape=shape))


def tile(input, dims):
    """Repeat `input` `dims` times along each axis (NumPy's `tile`)."""
    v = value(input, "tile")
    reps = shape_arg(dims, "tile", "dims")
    nd = builtins.max(len(reps), v.ndim)
    reps = (1,) * (nd - len(reps)) + reps
    shape = (1,) * (nd - v.ndim) + tuple(v.shape)
    # tile = reshape to (1, a, 1, b), broadcast to (r1, a, r2, b), reshape to (r1 a, r2 b)
    inter = tuple(x for s in shape for x in (1, s))
    big = tuple(x for r, s in zip(reps, shape) for x in (r, s))
    out = S.broadcast_to(S.reshape(v, shape=inter), shape=big)
    return _wrap(S.reshape(out, shape=tuple(r * s for r, s in zip(reps, shape))))


def _tensors(tensors, op):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)) or not tensors:
        raise TypeError(f"For '{op}', 'tensors' must be a non-empty tuple or list of Tensors")
    vals = [value(t, op, "tensors") for t in tensors]
    from minispore._promote import result_dtype

    dt = vals[0].dtype
    for v in vals[1:]:
        dt = result_dtype(dt, v.dtype)
    return [v if v.dtype == dt else E.cast(v, dtype=dt) for v in vals]


def concat(tensors, axis=0):
    """Join tensors along an existing axis."""
    vals = _tensors(tensors, "concat")
    nd = vals[0].ndim
    ax = axis1(axis, nd, "concat")
    for v in vals[1:]:
        if v.ndim != nd or builtins.any(
            a != b for i, (a, b) in enumerate(zip(v.shape, vals[0].shape)) if i != ax
        ):
            raise ValueError(
                f"For 'concat', all tensors must have the same shape except along axis {ax}, "
                f"but got {[tuple(x.shape) for x in vals]}"
            )
    if len(vals) == 1:
        return _wrap(vals[0])
    return _wrap(S.concatenate(*vals, axis=ax))


cat = concat


def stack(tensors, axis=0):
    """Join tensors along a new axis."""
    vals = _tensors(tensors, "stack")
    shape = tuple(vals[0].shape)
    for v in vals[1:]:
        if tuple(v.shape) != shape:
            raise ValueError(
                f"For 'stack', all tensors must have the same shape, but got {[tuple(x.shape) for x in vals]}"
            )
    n = len(shape) + 1
    if not -n <= axis < n:
        raise ValueError(f"For 'stack', 'axis' {axis} is out of range [{-n}, {n})")
    ax = axis % n
    expanded = [S.reshape(v, shape=shape[:ax] + (1,) + shape[ax:]) for v in vals]
    return _wrap(expanded[0] if len(expanded) == 1 else S.concatenate(*expanded, axis=ax))


def _slice_along(v, ax, start, stop):
    return index_value(v, (slice(None),) * ax + (slice(start, stop),))


def split(tensor, split_size_or_sections, axis=0):
    """Split into chunks of `split_size_or_sections` (an int) or of the listed sizes."""
    v = value(tensor, "split", "tensor")
    ax = axis1(axis, v.ndim, "split")
    n = v.shape[ax]
    s = split_size_or_sections
    if isinstance(s, (int, np.integer)) and not isinstance(s, bool):
        if s <= 0:
            raise ValueError(f"For 'split', 'split_size_or_sections' must be positive, got {s}")
        sizes = [s] * (n // s) + ([n % s] if n % s else [])
    elif isinstance(s, (list, tuple)):
        sizes = list(s)
        if builtins.sum(sizes) != n:
            raise ValueError(
                f"For 'split', the sections {sizes} must sum to the length {n} of axis {ax}"
            )
    else:
        raise TypeError("For 'split', 'split_size_or_sections' must be an int, list or tuple")
    out, start = [], 0
    for size in sizes:
        out.append(_wrap(_slice_along(v, ax, start, start + size)))
        start += size
    return tuple(out)


def chunk(input, chunks, axis=0):
    """Split into `chunks` pieces of (nearly) equal size."""
    v = value(input, "chunk")
    if not isinstance(chunks, int) or chunks <= 0:
        raise ValueError(f"For 'chunk', 'chunks' must be a positive int, got {chunks!r}")
    ax = axis1(axis, v.ndim, "chunk")
    n = v.shape[ax]
    size = -(-n // chunks)
    return split(input, size, ax)


def _index_arg(indices, op, arg):
    if isinstance(indices, Tensor):
        iv = indices._value
    elif isinstance(indices, (int, list, tuple, np.ndarray)):
        iv = np.asarray(indices)
    else:
        raise TypeError(
            f"For '{op}', '{arg}' must be an integer Tensor, but got {type(indices).__name__}"
        )
    if iv.dtype.kind not in "iu":
        raise TypeError(f"For '{op}', '{arg}' must have an integer dtype, but got {iv.dtype}")
    return iv


def gather(input_params, input_indices, axis, batch_dims=0):
    """Take slices of `input_params` along `axis` at `input_indices`."""
    if batch_dims != 0:
        raise ValueError("For 'gather', only batch_dims=0 is supported")
    v = value(input_params, "gather", "input_params")
    idx = _index_arg(input_indices, "gather", "input_indices")
    ax = axis1(axis, v.ndim, "gather")
    _check_bounds(idx, v.shape[ax], "gather")
    return _wrap(index_value(v, (slice(None),) * ax + (idx,)))


def _check_bounds(idx, n, op):
    raw = concrete(idx)
    if raw.size and (raw.min() < -n or raw.max() >= n):
        raise IndexError(
            f"For '{op}', indices must be in [{-n}, {n}), but got values {raw.min()}..{raw.max()}"
        )


def index_select(input, axis, index):
    v = value(input, "index_select")
    idx = _index_arg(index, "index_select", "index")
    if idx.ndim != 1:
        raise ValueError(
            f"For 'index_select', 'index' must be 1-D, but got shape {tuple(idx.shape)}"
        )
    ax = axis1(axis, v.ndim, "index_select")
    _check_bounds(idx, v.shape[ax], "index_select")
    return _wrap(index_value(v, (slice(None),) * ax + (idx,)))


def masked_fill(input_x, mask, value):
    """Replace entries where `mask` is True by `value`."""
    value_ = value
    v = _value(input_x, "masked_fill", "input_x")
    m = _value(mask, "masked_fill", "mask")
    if m.dtype.kind != "b":
        raise TypeError(f"For 'masked_fill', 'mask' must be a bool Tensor, but got {m.dtype}")
    fill_v = value_._value if isinstance(value_, Tensor) else value_
    if isinstance(fill_v, (int, float, bool)):
        fill_v = np.asarray(fill_v, dtype=v.dtype)  # the result keeps the input's dtype
    elif fill_v.dtype != v.dtype:
        fill_v = E.cast(fill_v, dtype=v.dtype)
    return _wrap(E.where(m, fill_v, v))


def one_hot(indices, depth, on_value=1, off_value=0, axis=-1):
    """One-hot encoding of integer `indices` along a new axis of length `depth`."""
    idx = _index_arg(indices, "one_hot", "indices")
    on = on_value.item() if isinstance(on_value, Tensor) else on_value
    off = off_value.item() if isinstance(off_value, Tensor) else off_value
    dt = (
        value(on_value, "one_hot").dtype
        if isinstance(on_value, Tensor)
        else (
            np.dtype(np.float32)
            if isinstance(on, float) or isinstance(off, float)
            else np.dtype(np.int64)
        )
    )
    # With primitives, so that jit and vmap see the indices (no value is read here).
    hot = E.equal(S.reshape(idx, shape=tuple(idx.shape) + (1,)), np.arange(depth))
    out = E.where(hot, np.asarray(on, dt), np.asarray(off, dt))
    nd = out.ndim
    if axis != -1 and axis != nd - 1:
        perm = list(range(nd - 1))
        perm.insert(axis % nd, nd - 1)
        out = S.transpose(out, perm=tuple(perm))
    return _wrap(out)


_PAD_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad(input_x, padding, mode="constant", value=None):
    """Pad `input_x`; `padding` lists (before, after) pairs from the LAST axis backwards, as
    PyTorch and MindSpore do. `mode` is 'constant' (with `value`, default 0), 'reflect',
    'replicate' or 'circular'. Negative amounts crop."""
    from minispore.ops._utils import value as _val

    v = _val(input_x, "pad", "input_x")
    if mode != "constant" and mode not in _PAD_MODES:
        raise ValueError(
            f"For 'pad', 'mode' must be 'constant', 'reflect', 'replicate' or 'circular', but got {mode!r}"
        )
    if mode != "constant" and value is not None:
        raise ValueError(f"For 'pad', 'value' is only used with mode='constant', not {mode!r}")
    if not isinstance(padding, (tuple, list)) or not all(
        isinstance(p, (int, np.integer)) and not isinstance(p, bool) for p in padding
    ):
        raise TypeError(f"For 'pad', 'padding' must be a tuple of ints, but got {padding!r}")
    padding = tuple(int(p) for p in padding)
    if len(padding) % 2 or len(padding) // 2 > v.ndim:
        raise ValueError(
            f"For 'pad', 'padding' must hold pairs for at most {v.ndim} axes, but got {padding}"
        )
    pairs = [(0, 0)] * v.ndim
    for k in range(len(padding) // 2):
        pairs[v.ndim - 1 - k] = (padding[2 * k], padding[2 * k + 1])
    # Crop first (negative amounts), then pad.
    crop = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for (lo, hi), n in zip(pairs, v.shape))
    if any(lo < 0 or hi < 0 for lo, hi in pairs):
        if any(s.start >= s.stop for s in crop):
            raise ValueError(
                f"For 'pad', padding {padding} crops away all of shape {tuple(v.shape)}"
            )
        v = index_value(v, crop)
    pairs = tuple((max(lo, 0), max(hi, 0)) for lo, hi in pairs)
    if mode == "constant":
        return _wrap(S.pad(v, pad_width=pairs, value=0 if value is None else value))
    for ax, (lo, hi) in enumerate(pairs):
        if lo == 0 and hi == 0:
            continue
        n = v.shape[ax]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise ValueError(
                f"For 'pad', reflect padding ({lo}, {hi}) must be smaller than the axis length {n}"
            )
        # The padded axis is a gather: index arrays keep the operation differentiable.
        idx = np.pad(np.arange(n), (lo, hi), mode=_PAD_MODES[mode])
        v = index_value(v, (slice(None),) * ax + (idx,))
    return _wrap(v)


def cast(input, dtype):
    """Convert `input` to `dtype`."""
    v = value(input, "cast")
    dt = np_dtype(dtype, op="cast")
    return _wrap(v if v.dtype == dt else E.cast(v, dtype=dt))


def flip(input, dims):
    """Reverse the order of entries along `dims`."""
    v = value(input, "flip")
    return _wrap(S.flip(v, axis=axes(dims, v.ndim, "flip")))


def narrow(input, axis, start, length):
    """`length` entries of `axis` from `start` (which may be negative)."""
    v = value(input, "narrow")
    ax = axis1(axis, v.ndim, "narrow")
    n = v.shape[ax]
    if not -n <= start < n or length < 0 or start % n + length > n:
        raise ValueError(
            f"For 'narrow', start={start} and length={length} do not fit axis {ax} of length {n}"
        )
    start = start % n
    return _wrap(_slice_along(v, ax, start, start + length))


def shape(input_x):
    return tuple(value(input_x, "shape").shape)


def rank(input_x):
    return value(input_x, "rank").ndim


def size(input_x):
    return int(np.prod(value(input_x, "size").shape))
