"""Indexing primitives: NumPy-style reads (`getitem`), their adjoint (`scatter_add`) and writes.

An index is split into a static, hashable spec and the index arrays it contains: the spec holds
ints, `None`, `...` and slices (as tuples), with a marker where each array goes. Arrays travel as
ordinary (non-differentiable) arguments, so a Tensor of indices works under every transform.
"""

from __future__ import annotations

import numpy as np

from minispore.core.batching import align, axis_size, batched, loop_batch, move_axis
from minispore.core.primitive import Primitive, Tracer
from minispore.prims.shape import reshape, transpose

_ARRAY = "array"


def split_index(index):
    """Turn a user index into `(spec, arrays)`; raise IndexError naming the bad part."""
    if not isinstance(index, tuple):
        index = (index,)
    spec = []
    arrays = []
    for part in index:
        if part is None or part is Ellipsis:
            spec.append(part)
        elif isinstance(part, (bool, np.bool_)):
            arrays.append(np.asarray(part))
            spec.append(_ARRAY)
        elif isinstance(part, (int, np.integer)):
            spec.append(int(part))
        elif isinstance(part, slice):
            for v in (part.start, part.stop, part.step):
                if v is not None and not isinstance(v, (int, np.integer)):
                    raise IndexError(
                        f"For 'getitem', slice bounds must be integers or None, but got {part}"
                    )
            spec.append(("slice", part.start, part.stop, part.step))
        elif isinstance(part, (np.ndarray, Tracer)):
            if part.dtype.kind not in "iub":
                raise IndexError(
                    f"For 'getitem', an index tensor must have an integer or bool dtype, "
                    f"but got {part.dtype}"
                )
            arrays.append(part)
            spec.append(_ARRAY)
        elif isinstance(part, (list, tuple)):
            arr = np.asarray(part)
            if arr.dtype.kind not in "iub":
                raise IndexError(f"For 'getitem', index lists must hold integers, but got {part}")
            arrays.append(arr)
            spec.append(_ARRAY)
        else:
            raise IndexError(
                f"For 'getitem', only integers, slices, '...', None, and integer or bool tensors "
                f"are valid indices, but got {type(part).__name__} {part!r}"
            )
    return tuple(spec), arrays


def build_index(spec, arrays):
    it = iter(arrays)
    out = []
    for part in spec:
        if part == _ARRAY:
            out.append(next(it))
        elif type(part) is tuple:
            out.append(slice(part[1], part[2], part[3]))
        else:
            out.append(part)
    return tuple(out)


def _getitem_impl(x, *arrays, spec):
    return x[build_index(spec, arrays)]


def _scatter_add_impl(ct, *arrays, spec, shape):
    z = np.zeros(shape, dtype=ct.dtype)
    idx = build_index(spec, arrays)
    if arrays:
        np.add.at(z, idx, ct)  # advanced indices may repeat: accumulate every occurrence
    else:
        z[idx] = ct
    return z


def _index_update_impl(x, v, *arrays, spec):
    out = np.array(x, copy=True)
    out[build_index(spec, arrays)] = v
    return out


# ---- batching -------------------------------------------------------------------------------
# Batched indexing adds the batch axis to the index: a full slice in front when only the indexed
# value is batched, or an `arange(B)` index array when index arrays are batched too. NumPy then
# puts the batch axis where its advanced-indexing rules say; `_plan` works out where, and the
# permutation that brings the result back to (batch, per-example axes...) when needed.

_FULL = ("slice", None, None, None)


def _plan(spec, arrays, adims, x_rank, n):
    """How to index a batched value: `(spec, arrays, bdim, perm, target_rank)`, or None when the
    case is left to the loop (batched or 0-d boolean masks). The raw result has its batch axis at
    `bdim`; with `perm` it must be transposed to put it first (perm None: already in order)."""
    bools = [a.dtype.kind == "b" for a in arrays]
    mapped = any(d is not None for d in adims)
    if any(b and (d is not None or a.ndim == 0) for a, b, d in zip(arrays, bools, adims)):
        return None
    if mapped and any(bools):
        return None
    ranks = [1 if b else a.ndim - (d is not None) for a, b, d in zip(arrays, bools, adims)]
    nd_adv = max(ranks, default=0)
    # Advanced entries: the arrays, and ints too once an array is present.
    adv = [i for i, p in enumerate(spec) if p == _ARRAY or (arrays and type(p) is int)]
    consecutive = not adv or adv == list(range(adv[0], adv[-1] + 1))
    consumed = sum(
        (a.ndim if b else 1) if p == _ARRAY else (0 if p is None or p is Ellipsis else 1)
        for p, (a, b) in zip(spec, _with_arrays(spec, arrays, bools))
    )
    ell = x_rank - consumed if Ellipsis in spec else 0
    basic = sum(1 for p in spec if p is None or type(p) is tuple) + ell
    target_rank = basic + (nd_adv if arrays else 0)
    if not mapped:
        bdim = 0 if consecutive or not arrays else nd_adv
        return (_FULL,) + spec, list(arrays), bdim, None, target_rank
    index = np.arange(n).reshape((n,) + (1,) * nd_adv)
    new_arrays = [index] + [a if d is None else align(a, d, nd_adv) for a, d in zip(arrays, adims)]
    perm = None
    if consecutive and adv[0] > 0:
        # Per example the advanced axes sit after `pre` basic axes; NumPy put them first.
        pre = 0
        for p in spec[: adv[0]]:
            pre += ell if p is Ellipsis else 1
        rest = range(1 + nd_adv + pre, 1 + target_rank)
        perm = (0,) + tuple(range(1 + nd_adv, 1 + nd_adv + pre)) + tuple(range(1, 1 + nd_adv))
        perm += tuple(rest)
    return (_ARRAY,) + spec, new_arrays, 0, perm, target_rank


def _with_arrays(spec, arrays, bools):
    """Pair each spec entry with its (array, is_bool), or (None, False)."""
    it = iter(zip(arrays, bools))
    return [next(it) if p == _ARRAY else (None, False) for p in spec]


def _inverse(perm):
    return tuple(int(i) for i in np.argsort(perm))


def _getitem_batch(args, dims, *, spec):
    x, arrays, dx, adims = args[0], args[1:], dims[0], dims[1:]
    n = axis_size(args, dims)
    x_rank = x.ndim - (dx is not None)
    plan = _plan(spec, arrays, adims, x_rank, n)
    if plan is None:
        return loop_batch(getitem, args, dims, spec=spec)
    new_spec, new_arrays, bdim, perm, _ = plan
    out = getitem(batched(x, dx, n), *new_arrays, spec=new_spec)
    if perm is not None:
        return transpose(out, perm=perm), 0
    return out, bdim


def _to_raw(v, dv, target_rank, bdim, perm):
    """A per-example-shaped value (batched along `dv`, or not) laid out like the raw result of
    the batched index, so that it broadcasts against it."""
    if dv is None:
        if not hasattr(v, "ndim"):
            return v  # a Python scalar broadcasts anywhere
        v = reshape(v, shape=(1,) * (target_rank + 1 - v.ndim) + tuple(v.shape))
    else:
        v = align(v, dv, target_rank)
    if perm is not None:
        return transpose(v, perm=_inverse(perm))
    return move_axis(v, 0, bdim)


def _scatter_add_batch(args, dims, *, spec, shape):
    ct, arrays, dct, adims = args[0], args[1:], dims[0], dims[1:]
    n = axis_size(args, dims)
    plan = _plan(spec, arrays, adims, len(shape), n)
    if plan is None:
        return loop_batch(scatter_add, args, dims, spec=spec, shape=shape)
    new_spec, new_arrays, bdim, perm, rank = plan
    ct = _to_raw(batched(ct, dct, n), 0, rank, bdim, perm)
    return scatter_add(ct, *new_arrays, spec=new_spec, shape=(n,) + tuple(shape)), 0


def _index_update_batch(args, dims, *, spec):
    x, v, arrays = args[0], args[1], args[2:]
    dx, dv, adims = dims[0], dims[1], dims[2:]
    n = axis_size(args, dims)
    x_rank = x.ndim - (dx is not None)
    plan = _plan(spec, arrays, adims, x_rank, n)
    if plan is None:
        return loop_batch(index_update, args, dims, spec=spec)
    new_spec, new_arrays, bdim, perm, rank = plan
    v = _to_raw(v, dv, rank, bdim, perm)
    return index_update(batched(x, dx, n), v, *new_arrays, spec=new_spec), 0


getitem = Primitive(
    "getitem",
    _getitem_impl,
    vjp=lambda i, ct, out, x, *arrays, spec: (
        scatter_add(ct, *arrays, spec=spec, shape=tuple(x.shape)) if i == 0 else None
    ),
    jvp=lambda i, t, out, x, *arrays, spec: getitem(t, *arrays, spec=spec) if i == 0 else None,
    batch=_getitem_batch,
)

scatter_add = Primitive(
    "scatter_add",
    _scatter_add_impl,
    vjp=lambda i, ct, out, c, *arrays, spec, shape: (
        getitem(ct, *arrays, spec=spec) if i == 0 else None
    ),
    jvp=lambda i, t, out, c, *arrays, spec, shape: (
        scatter_add(t, *arrays, spec=spec, shape=shape) if i == 0 else None
    ),
    batch=_scatter_add_batch,
    fresh=True,
)

index_update = Primitive(
    "index_update",
    _index_update_impl,
    vjp=lambda i, ct, out, x, v, *arrays, spec: (
        index_update(ct, 0, *arrays, spec=spec)
        if i == 0
        else getitem(ct, *arrays, spec=spec)
        if i == 1
        else None
    ),
    jvp=lambda i, t, out, x, v, *arrays, spec: (
        index_update(t, 0, *arrays, spec=spec)
        if i == 0
        else index_update(np.zeros(out.shape, t.dtype), t, *arrays, spec=spec)
        if i == 1
        else None
    ),
    batch=_index_update_batch,
    fresh=True,
)


def index_value(x, index):
    """`x[index]` on a raw array or tracer, through the `getitem` primitive."""
    spec, arrays = split_index(index)
    return getitem(x, *arrays, spec=spec)
