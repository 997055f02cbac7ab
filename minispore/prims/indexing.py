"""Indexing primitives: NumPy-style reads (`getitem`), their adjoint (`scatter_add`) and writes.

An index is split into a static, hashable spec and the index arrays it contains: the spec holds
ints, `None`, `...` and slices (as tuples), with a marker where each array goes. Arrays travel as
ordinary (non-differentiable) arguments, so a Tensor of indices works under every transform.
"""

from __future__ import annotations

import numpy as np

from minispore.core.primitive import Primitive, Tracer

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


getitem = Primitive(
    "getitem",
    _getitem_impl,
    vjp=lambda i, ct, out, x, *arrays, spec: (
        scatter_add(ct, *arrays, spec=spec, shape=tuple(x.shape)) if i == 0 else None
    ),
    jvp=lambda i, t, out, x, *arrays, spec: getitem(t, *arrays, spec=spec) if i == 0 else None,
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
)


def index_value(x, index):
    """`x[index]` on a raw array or tracer, through the `getitem` primitive."""
    spec, arrays = split_index(index)
    return getitem(x, *arrays, spec=spec)
