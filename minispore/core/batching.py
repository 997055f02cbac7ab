"""Batching (`vmap`): tracers carry a value with one extra axis, the batch dimension (layer 1).

A `BatchTrace` wraps each mapped input in a `BTracer(value, bdim)`; `shape` and `ndim` report the
per-example view (the batch axis left out, as in JAX), so code that reads shapes works unchanged.
Every primitive applied to one of its tracers goes to the primitive's `batch` rule,
`rule(args, dims, **params) -> (out, out_dim)`, where `dims[i]` is the batch dimension of argument
`i` or `NOT_MAPPED`; the rule computes the whole batch at once with primitives on the raw values
(which may be tracers of lower levels, so batching composes with every other transform). Rules
that need the primitive itself (`elementwise`, `reduction`, `along_axis`, `leading`,
`loop_batch`) are wrapped in `with_primitive`. `loop_batch`, also used when `Primitive.batch` is
None, binds the primitive once per example and stacks the results.

Code that asks for the concrete value of a batched tracer (`bool()`, `asnumpy()`, `concrete()`)
raises `BatchedConcreteError`; `vmap` catches it and falls back to calling the function once per
example, so such code still gives per-example results.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minispore.core.primitive import REGISTRY, Primitive, Tracer

NOT_MAPPED = None


class BatchedConcreteError(Exception):
    """Raised when code reads the concrete value of a batched tracer of a live `BatchTrace`.

    `vmap` catches it (for its own trace) and runs the function once per example instead.
    """

    def __init__(self, trace):
        super().__init__(
            "the concrete value of a batched Tensor was read inside vmap (bool(), asnumpy(), "
            "printing, NumPy on a Tensor); vmap runs such functions once per example"
        )
        self.trace = trace


class BTracer(Tracer):
    """A batched value: `val` has the batch axis at `bdim`; shape and ndim are per example."""

    __slots__ = ("val", "bdim")

    def __init__(self, trace, val, bdim):
        self._trace = trace
        self.val = val
        self.bdim = bdim

    @property
    def shape(self):
        s = tuple(self.val.shape)
        return s[: self.bdim] + s[self.bdim + 1 :]

    @property
    def dtype(self):
        return self.val.dtype

    @property
    def ndim(self):
        return self.val.ndim - 1

    @property
    def size(self):
        return math.prod(self.shape)

    @property
    def primal(self):
        if self._trace.alive:
            raise BatchedConcreteError(self._trace)
        return move_axis(self.val, self.bdim, 0)  # escaped its vmap: the stacked values

    def __repr__(self):
        return (
            f"BTracer(level={self._trace.level}, shape={self.shape}, dtype={self.dtype}, "
            f"batch_dim={self.bdim})"
        )


class _AssignGuard(list):
    """`on_exit` of a BatchTrace: `ops.assign` registers here when it stores a batched value into
    a Parameter, which has one value for all examples: refused, as MindSpore does."""

    def append(self, callback):
        raise ValueError(
            "The source axis of `variable` is None, but the source axis of `value` is not None. "
            "The execution order of operator `Assign` cannot be guaranteed."
        )


class BatchTrace:
    """Applies batch rules to the primitives bound on its tracers."""

    def __init__(self, level: int, axis_size: int) -> None:
        self.level = level
        self.alive = True
        self.on_exit = _AssignGuard()
        self.axis_size = axis_size

    def process(self, prim: Primitive, args: tuple, params: dict) -> Any:
        if not self.alive:
            raise RuntimeError(
                f"For '{prim.name}', an input was batched by a vmap that has already returned "
                "(a batched Tensor escaped through a global, a closure or a Parameter); pass it "
                "out as an output of the mapped function instead"
            )
        vals = []
        dims = []
        for a in args:
            if type(a) is BTracer and a._trace is self:
                vals.append(a.val)
                dims.append(a.bdim)
            else:
                vals.append(a)
                dims.append(None)
        rule = prim.batch
        if rule is None:
            out, d = _loop(prim, vals, dims, **params)
        elif type(rule) is with_primitive:
            out, d = rule.fn(prim, vals, dims, **params)
        else:
            out, d = rule(vals, dims, **params)
        return out if d is None else BTracer(self, out, d)


class with_primitive:
    """Marks a batch rule that takes the primitive first: `fn(prim, args, dims, **params)`.

    Declare `batch=elementwise` (or `loop_batch`, ...): the trace passes the primitive. Called
    directly, the wrapper forwards its arguments, so a dedicated rule can fall back with
    `loop_batch(prim, args, dims, **params)`.
    """

    def __init__(self, fn):
        self.fn = fn
        self.__name__ = fn.__name__.lstrip("_")
        self.__doc__ = fn.__doc__

    def __call__(self, *args, **params):
        return self.fn(*args, **params)

    def __repr__(self):
        return f"with_primitive({self.__name__})"


# ---- helpers on raw values (arrays or lower-level tracers) ----------------------------------


def _prim(name):
    return REGISTRY[name]


def ndim_of(a) -> int:
    """Rank of a raw value; Python scalars are 0-d."""
    return a.ndim if hasattr(a, "ndim") else 0


def axis_size(args, dims) -> int:
    """The batch size, read from the first mapped argument."""
    for a, d in zip(args, dims):
        if d is not None:
            return a.shape[d]
    raise ValueError("no mapped argument")


def move_axis(x, src: int, dst: int):
    """Move axis `src` of a raw value to position `dst` (a view for plain arrays)."""
    if src == dst:
        return x
    if type(x) is np.ndarray:
        return np.moveaxis(x, src, dst)
    perm = [i for i in range(x.ndim) if i != src]
    perm.insert(dst, src)
    return _prim("transpose")(x, perm=tuple(perm))


def to_front(x, d):
    """The value with its batch axis `d` first."""
    return move_axis(x, d, 0)


def batched(x, d, size: int):
    """The value with its batch axis first; an unmapped value is broadcast along a new one."""
    if d is not None:
        return move_axis(x, d, 0)
    shape = (size,) + tuple(np.shape(x) if not hasattr(x, "shape") else x.shape)
    if not hasattr(x, "dtype"):
        x = np.asarray(x)
    return _prim("broadcast_to")(x, shape=shape)


def align(x, d, rank: int):
    """A mapped value moved to the front and given unit axes so its per-example rank is `rank`:
    `(B, 1, ..., 1, *shape)`, which broadcasts like the per-example values do."""
    x = move_axis(x, d, 0)
    extra = rank - (x.ndim - 1)
    if extra <= 0:
        return x
    shape = (x.shape[0],) + (1,) * extra + tuple(x.shape[1:])
    if type(x) is np.ndarray:
        return x.reshape(shape)
    return _prim("reshape")(x, shape=shape)


def reshape(x, shape):
    if type(x) is np.ndarray:
        return x.reshape(shape)
    return _prim("reshape")(x, shape=tuple(shape))


def batched_axis(axis: int, bdim: int) -> int:
    """Where per-example axis `axis` (non-negative) sits in the batched value."""
    return axis if axis < bdim else axis + 1


# ---- generic rules -------------------------------------------------------------------------------


def _loop(prim, args, dims, **params):
    """The generic batch rule: bind the primitive once per example and stack the results.

    Declare `batch=loop_batch`; call `loop_batch(prim, args, dims, **params)` from a dedicated
    rule to fall back for the cases it does not vectorise. `Primitive.batch = None` means the same.
    """
    n = axis_size(args, dims)
    outs = []
    for k in range(n):
        call = [a if d is None else _take(a, d, k) for a, d in zip(args, dims)]
        outs.append(prim(*call, **params))
    return stack(outs), 0


loop_batch = with_primitive(_loop)


def _take(a, d, k):
    """Example `k` of a raw value batched along `d`."""
    if type(a) is np.ndarray:
        return a[(slice(None),) * d + (k,)]
    from minispore.prims.indexing import index_value

    return index_value(a, (slice(None),) * d + (k,))


def stack(values):
    """Stack raw values along a new leading axis."""
    if all(type(v) is np.ndarray for v in values):
        return np.stack(values)
    parts = [reshape(v, (1,) + tuple(v.shape)) for v in values]
    if len(parts) == 1:
        return parts[0]
    return _prim("concatenate")(*parts, axis=0)


def _elementwise(prim, args, dims, **params):
    """Batch rule of an elementwise (broadcasting, n-ary) primitive."""
    ranks = [a.ndim - 1 if d is not None else ndim_of(a) for a, d in zip(args, dims)]
    rank = max(ranks)
    mapped = [i for i, d in enumerate(dims) if d is not None]
    d0 = dims[mapped[0]]
    # Fast path: the batch axis is in the same place in every mapped argument and the unmapped
    # ones broadcast against the axes after it only; then NumPy's broadcasting is already right.
    if all(dims[i] == d0 and ranks[i] == rank for i in mapped) and all(
        r <= rank - d0 for r, d in zip(ranks, dims) if d is None
    ):
        return prim(*args, **params), d0
    call = [a if d is None else align(a, d, rank) for a, d in zip(args, dims)]
    return prim(*call, **params), 0


elementwise = with_primitive(_elementwise)


def _reduction(prim, args, dims, *, axis=None, keepdims=False, **params):
    """Batch rule of a reduction with `axis` (a tuple, or None for all axes) and `keepdims`."""
    (x,), (d,) = args, dims
    nd = x.ndim - 1
    per = tuple(range(nd)) if axis is None else tuple(a % max(nd, 1) for a in axis)
    new_axis = tuple(batched_axis(a, d) for a in per)
    out = prim(x, axis=new_axis, keepdims=keepdims, **params)
    if keepdims:
        return out, d
    return out, d - sum(1 for a in per if a < d)


reduction = with_primitive(_reduction)


def _along_axis(prim, args, dims, *, axis, **params):
    """Batch rule of a shape-preserving primitive acting along `axis` (an int or a tuple of
    ints): softmax, cumsum, flip."""
    (x,), (d,) = args, dims
    nd = max(x.ndim - 1, 1)
    if isinstance(axis, tuple):
        new = tuple(batched_axis(a % nd, d) for a in axis)
    else:
        new = batched_axis(axis % nd, d)
    return prim(x, axis=new, **params), d


along_axis = with_primitive(_along_axis)


def _leading(prim, args, dims, **params):
    """Batch rule of a primitive whose leading axes are stack axes that broadcast (NumPy's
    linear algebra on the last one or two axes: inv, det, solve, cholesky, tril)."""
    ranks = [a.ndim - 1 if d is not None else ndim_of(a) for a, d in zip(args, dims)]
    rank = max(ranks)
    call = [a if d is None else align(a, d, rank) for a, d in zip(args, dims)]
    return prim(*call, **params), 0


leading = with_primitive(_leading)


def _all_batched(prim, args, dims, **params):
    """Batch rule of a primitive that treats all leading axes of its arguments as independent
    rows of the same shape (fused losses): every argument gets the batch axis first, unmapped
    ones by broadcasting."""
    n = axis_size(args, dims)
    return prim(*[batched(a, d, n) for a, d in zip(args, dims)], **params), 0


all_batched = with_primitive(_all_batched)
