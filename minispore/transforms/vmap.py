"""`vmap`: MindSpore's vectorizing map, with its `in_axes`/`out_axes` rules and error messages.

The mapped function runs once under a `BatchTrace` (see `core/batching.py`): every mapped input
becomes a batched tracer and each primitive's batch rule computes the whole batch at once. When
the function reads a batched value concretely (Python control flow on it, `asnumpy()`, NumPy),
it is run once per example instead and the results are stacked: slower, with the same numbers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from minispore.core.batching import (
    BatchedConcreteError,
    BatchTrace,
    BTracer,
    batched,
    move_axis,
    stack,
)
from minispore.core.trace import new_trace
from minispore.prims.indexing import index_value
from minispore.tensor import Tensor, _wrap

_SCALAR_DTYPES = {bool: np.bool_, int: np.int64, float: np.float32}


def vmap(fn: Callable[..., Any], in_axes: Any = 0, out_axes: Any = 0) -> Callable[..., Any]:
    """Vectorizing map: the function `fn` applied along an axis of its inputs, MindSpore's
    `mindspore.vmap`.

    Args:
        fn: a function, a Cell, or a CellList (model ensembling: cell `i` gets slice `i`).
        in_axes: the mapped axis of the inputs: an int for all of them, or a tuple/list with one
            entry per positional argument, each an int (negative counts from the end), None
            (not mapped) or, for a tuple/list argument, a nested tuple/list.
        out_axes: where the mapped axis goes in the outputs: an int, or one entry per output
            (nested for tuple outputs). Outputs that do not depend on a mapped input, and
            Python numbers, are broadcast along it; `None` leaves such an output as it is.

    Returns:
        The batched function. Its arguments are checked when it is called, with MindSpore's
        `RuntimeError` messages.

    Note:
        Unlike MindSpore 2.10, minispore also maps functions that branch on a batched value or
        read it concretely (they run once per example), draws independent random numbers for
        each example when a distribution's parameters are batched, and nests without a depth
        limit (`vmap(jacrev(jacrev(f)))`). Keyword arguments are refused, as in MindSpore.

    Example:
        >>> x = Tensor(np.array([[1, 2], [3, 4], [5, 6]], np.float32))
        >>> vmap(lambda a: a.sum())(x)  # [3., 7., 11.]
    """

    def vmap_fn(*args, **kwargs):
        if kwargs:
            raise RuntimeError(f"Got an unexpected keyword argument '{next(iter(kwargs))}'")
        if not callable(fn):
            raise RuntimeError(
                f"'VmapOperation' arg0 must be a 'Function' or 'Cell', but got {_abstract(fn)}."
            )
        cell_list = _cell_list(fn)
        _check_axis_types(in_axes, "in_axes")
        _check_axis_types(out_axes, "out_axes")
        if not cell_list:
            _check_not_none(in_axes, "in_axes")
            _check_not_none(out_axes, "out_axes")
        if isinstance(in_axes, (tuple, list)) and len(in_axes) != len(args):
            raise RuntimeError(
                "When vmap`s 'in_axes' is a tuple or list, and its size must be equal to the "
                f"number of arguments of 'fn': {len(args)}, but got size: {len(in_axes)}."
            )
        leaves = []
        struct = _flatten_args(args, in_axes, leaves)
        size = _axis_size(leaves, len(fn) if cell_list else None)
        if cell_list:
            return _ensemble(fn, struct, leaves, size, out_axes)
        return _run(fn, struct, leaves, size, out_axes)

    vmap_fn.__wrapped__ = fn
    return vmap_fn


# ---- checks -----------------------------------------------------------------------------------


def _abstract(v):
    """MindSpore's description of a non-tensor value in its vmap messages."""
    if isinstance(v, bool):
        return f"AbstractScalar(Type: Bool, Value: {str(v).lower()}, Shape: NoShape)"
    if isinstance(v, (int, np.integer)):
        return f"AbstractScalar(Type: Int64, Value: {int(v)}, Shape: NoShape)"
    if isinstance(v, (float, np.floating)):
        return f"AbstractScalar(Type: Float32, Value: {float(v):g}, Shape: NoShape)"
    if isinstance(v, str):
        return f"AbstractScalar(Type: String, Value: {v}, Shape: NoShape)"
    if v is None:
        return "AbstractNone(Value: None)"
    if isinstance(v, dict):  # keys only: a value may be a batched Tensor
        return "AbstractDictionary{" + ", ".join(repr(k) for k in v) + "}"
    return type(v).__name__


def _is_int(a):
    return isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_))


def _check_axis_types(axes, name):
    if isinstance(axes, (tuple, list)):
        for a in axes:
            _check_axis_types(a, name)
    elif axes is not None and not _is_int(axes):
        raise RuntimeError(
            f"The axis in vmap`s '{name}' can only be of type Int or None, but got {_abstract(axes)}."
        )


def _as_tuples(axes):
    if isinstance(axes, (tuple, list)):
        return tuple(_as_tuples(a) for a in axes)
    return axes


def _all_none(axes):
    if isinstance(axes, (tuple, list)):
        return all(_all_none(a) for a in axes)
    return axes is None


def _check_not_none(axes, name):
    if axes is None:
        raise RuntimeError(
            f"The '{name}' of 'vmap' cannot be a single None while 'fn' is not a 'CellList'."
        )
    if isinstance(axes, (tuple, list)) and _all_none(axes):
        raise RuntimeError(
            f"The '{name}' of 'vmap' cannot be all None while 'fn' is not a 'CellList', but got "
            f"{_as_tuples(axes)}."
        )


def _not_scalar_axis(axes, name):
    return RuntimeError(
        f"The axis in vmap's '{name}' should be a None or a scalar of type Int64Imm, but got a "
        f"{axes}."
    )


def _out_of_bounds(axis, ndim, name):
    return RuntimeError(
        f"The axis: {axis} in '{name}' is out of bounds for array of dimension [{-ndim},{ndim})."
    )


def _cell_list(fn):
    # CellList lives in nn (a layer above); if nn is not loaded, fn cannot be one.
    container = sys.modules.get("minispore.nn.layers.container")
    return container is not None and isinstance(fn, container.CellList)


# ---- inputs -----------------------------------------------------------------------------------


class _Leaf:
    """Where the i-th mapped-or-not Tensor input goes in the argument structure."""

    __slots__ = ("i",)

    def __init__(self, i):
        self.i = i


def _flatten_args(args, in_axes, leaves):
    """The argument structure with each Tensor replaced by a `_Leaf`; fills `leaves` with
    `[tensor, axis]` pairs (axis normalised, or None)."""

    def walk(x, spec):
        if isinstance(x, (tuple, list)):
            if isinstance(spec, (tuple, list)):
                if len(spec) < len(x):
                    raise RuntimeError(f"List index [{len(spec)}] is out of range [{len(spec)}].")
                return type(x)(walk(v, s) for v, s in zip(x, spec))
            return type(x)(walk(v, spec) for v in x)
        if isinstance(spec, (tuple, list)):
            raise _not_scalar_axis(spec, "in_axes")
        if isinstance(x, Tensor):
            if spec is not None:
                nd = x.ndim
                if not -nd <= spec < nd:
                    raise _out_of_bounds(spec, nd, "in_axes")
                spec = int(spec) % nd
            leaves.append([x, spec])
            return _Leaf(len(leaves) - 1)
        if spec is not None:
            raise RuntimeError(
                f"The orig_abs should be AbstractTensor when corresponding axis is {spec}, but got "
                f"a {_abstract(x)}. Tip: Please check the correspondence between vmap's 'in_axes' "
                f"and inputs. You may want to explicitly specify the 'in_axes' corresponding to "
                f"{_abstract(x)} as 'None' to solve this problem."
            )
        return x

    if isinstance(in_axes, (tuple, list)):
        return [walk(a, s) for a, s in zip(args, in_axes)]
    return [walk(a, in_axes) for a in args]


def _axis_size(leaves, cells):
    size = None
    for t, axis in leaves:
        if axis is None:
            continue
        n = t.shape[axis]
        if size is None:
            size = n
        elif n != size:
            raise RuntimeError(
                "The 'axis_size' of each argument in the scope of 'vmap' should be equal, but got "
                f"{size} and {n}."
            )
    if cells is not None:
        if size is not None and size != cells:
            raise ValueError(
                "If you want to execute the model ensembling parallel training, please make sure "
                "the 'axis_size' in the scope of vmap consistent with the cell size of the input "
                "'CellList', otherwise, please do not enter 'CellList' as the first argument, but "
                f"we get axis_size: {size} and the cell size: {cells}."
            )
        return cells
    if size is None:
        raise RuntimeError("Failed to get 'axis_size' within the scope of vmap.")
    return size


def _rebuild(struct, tensors):
    if isinstance(struct, _Leaf):
        return tensors[struct.i]
    if isinstance(struct, (tuple, list)):
        return type(struct)(_rebuild(s, tensors) for s in struct)
    return struct


def _example(leaves, k):
    """The Tensor inputs of example `k`."""
    return [
        t if axis is None else _wrap(index_value(t._value, (slice(None),) * axis + (k,)))
        for t, axis in leaves
    ]


# ---- running ----------------------------------------------------------------------------------


def _run(fn, struct, leaves, size, out_axes):
    with new_trace(BatchTrace, size) as trace:
        tensors = [
            t if axis is None else _wrap(BTracer(trace, t._value, axis)) for t, axis in leaves
        ]
        try:
            out = fn(*_rebuild(struct, tensors))
        except BatchedConcreteError as e:
            if e.trace is not trace:
                raise
            out = trace = None  # fall back to one call per example, below
        if trace is not None:
            inputs = {id(t._value) for t, _ in leaves}

            def leaf(x):
                value, d = _batched_leaf(x, trace)
                if id(value) in inputs and type(value) is np.ndarray:
                    value = value.copy()  # an input returned as is: the output is a new array
                return value, d

            return _outputs(out, out_axes, size, leaf, top=True)
    results = [fn(*_rebuild(struct, _example(leaves, k))) for k in range(size)]
    return _stack_results(results, out_axes, size)


def _ensemble(cells, struct, leaves, size, out_axes):
    """A CellList: cell `k` applied to example `k` (or to the whole input where unmapped)."""
    results = [cells[k](*_rebuild(struct, _example(leaves, k))) for k in range(size)]
    return _stack_results(results, out_axes, size)


def _batched_leaf(x, trace):
    """(raw value, batch dim) of an output leaf of the batched run."""
    if isinstance(x, Tensor):
        v = x._value
        if type(v) is BTracer and v._trace is trace:
            return v.val, v.bdim
        return v, None
    return _scalar(x), None


def _scalar(x):
    """A Python number output as a 0-d array (MindSpore's Int64, Float32 or Bool)."""
    for kind, dt in _SCALAR_DTYPES.items():
        if type(x) is kind:
            return np.array(x, dtype=dt)
    if isinstance(x, np.generic):
        return np.asarray(x)
    raise RuntimeError(
        "The outputs of vmap's 'fn' should be consisting of tensors or constants, but got "
        f"{_abstract(x)}."
    )


def _outputs(out, spec, size, leaf, top=False):
    """Walk the output tree with its `out_axes`; `leaf(x) -> (value, batch dim)`."""
    if isinstance(out, (tuple, list)):
        if isinstance(spec, (tuple, list)):
            if len(spec) != len(out):
                raise RuntimeError(
                    "The size of vmap's 'out_axes' should be equal to the number of results of "
                    f"'fn': {len(out)}, but got size: {len(spec)}."
                )
            return tuple(_outputs(o, s, size, leaf) for o, s in zip(out, spec))
        return tuple(_outputs(o, spec, size, leaf) for o in out)
    if isinstance(spec, (tuple, list)):
        if top and len(spec) != 1:
            raise RuntimeError(
                "The size of vmap's 'out_axes' should be equal to the result size: 1, but got "
                f"size: {len(spec)}."
            )
        if not top or isinstance(spec[0], (tuple, list)):
            raise _not_scalar_axis(_as_tuples(spec), "out_axes")
        spec = spec[0]
    if isinstance(out, dict) or out is None:
        raise RuntimeError(
            "The outputs of vmap's 'fn' should be consisting of tensors or constants, but got "
            f"{_abstract(out)}."
        )
    value, d = leaf(out)
    if spec is None:
        if d is not None:
            raise RuntimeError("It is invalid that source is not None and dst is None.")
        return out
    nd = value.ndim + (d is None)
    if not -nd <= spec < nd:
        raise _out_of_bounds(spec, nd, "out_axes")
    spec = int(spec) % nd
    if d is None:
        value, d = _broadcast(value, size), 0
    return _wrap(move_axis(value, d, spec))


def _broadcast(value, size):
    """An unmapped output repeated along a new leading axis of length `size`."""
    out = batched(value, None, size)
    if type(out) is np.ndarray and not out.flags.writeable:
        out = out.copy()  # a broadcast view: give the caller an array of its own
    return out


def _stack_results(results, out_axes, size):
    """Combine the per-example outputs of the loop into batched outputs."""
    first = results[0] if results else None

    def gather(path):
        vals = []
        for r in results:
            for p in path:
                r = r[p]
            vals.append(r)
        return vals

    def walk(out, spec, path, top=False):
        if isinstance(out, (tuple, list)):
            if isinstance(spec, (tuple, list)):
                if len(spec) != len(out):
                    raise RuntimeError(
                        "The size of vmap's 'out_axes' should be equal to the number of results "
                        f"of 'fn': {len(out)}, but got size: {len(spec)}."
                    )
                return tuple(walk(o, s, path + (i,)) for i, (o, s) in enumerate(zip(out, spec)))
            return tuple(walk(o, spec, path + (i,)) for i, o in enumerate(out))
        vals = gather(path)

        def leaf(_):
            raws = [v._value if isinstance(v, Tensor) else _scalar(v) for v in vals]
            if all(r is raws[0] for r in raws):
                return raws[0], None  # the same object every time: not mapped
            return stack(raws), 0

        return _outputs(out, spec, size, leaf, top=top)

    if first is None:
        raise RuntimeError("Failed to get 'axis_size' within the scope of vmap.")
    return walk(first, out_axes, (), top=True)
