"""Reverse mode: a tape of nodes recorded while the function runs, walked backwards for cotangents.

A `ReverseTrace` wraps each input in an `RTracer`. Every primitive applied to one of its tracers
appends a node `(out_id, prim, args, params, out, parents)` to the tape; `args` and `out` are the
primal values (plain arrays, or tracers of lower levels), and `parents` holds, per argument, the id
of the tracer it came from or `None`. The tape is in creation order, which is already topological,
so the backward pass iterates it in reverse: it pops the node's cotangent, calls the primitive's
VJP rule for each parent argument, sums the result down to the argument's shape (rules never
unbroadcast), and accumulates it. The rules are written with primitives, so when an outer trace is
active the backward pass is itself traced: that is how gradients of gradients work.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy import ndarray

from minispore.core.primitive import REGISTRY, Primitive, Tracer, _explain, _suspended, bind
from minispore.core.trace import outer_trace_active


class RTracer(Tracer):
    __slots__ = ("primal", "id")

    def __init__(self, trace, primal, id_):
        self._trace = trace
        self.primal = primal
        self.id = id_


class ReverseTrace:
    """Records a tape of the primitives applied to its tracers."""

    def __init__(self, level: int) -> None:
        self.level = level
        self.alive = True
        self.on_exit = []  # callbacks run when the trace ends (e.g. settling assigned state)
        self.tape = []
        self._count = 0

    def new_input(self, primal) -> RTracer:
        self._count += 1
        return RTracer(self, primal, self._count)

    def process(self, prim: Primitive, args: tuple, params: dict) -> Any:
        if not self.alive:
            return _rebind_dead(self, prim, args, params)
        vals = list(args)
        parents = [None] * len(vals)
        lower = False  # is a tracer of another trace left among the values?
        for i, a in enumerate(vals):
            if type(a) is ndarray:
                continue
            if type(a) is RTracer and a._trace is self:
                v = vals[i] = a.primal
                parents[i] = a.id
                if type(v) is not ndarray and isinstance(v, Tracer):
                    lower = True
            elif isinstance(a, Tracer):
                lower = True
        out = bind(prim, *vals, **params) if lower else _impl(prim, vals, params)
        if prim.vjp is None:
            return out  # no gradient flows: the result is a constant to this trace
        self._count += 1
        self.tape.append((self._count, prim, vals, params, out, parents))
        return RTracer(self, out, self._count)


def _impl(prim, vals, params):
    """`bind` when no value is a tracer any more: straight to the implementation."""
    if _suspended:
        return bind(prim, *vals, **params)
    try:
        return prim.impl(*vals, **params)
    except (ValueError, TypeError, IndexError, ArithmeticError) as e:
        raise _explain(prim, vals, params, e) from None


def _rebind_dead(trace, prim, args, params):
    """A tracer that escaped its finished trace is just its primal value."""
    vals = [a.primal if isinstance(a, Tracer) and a._trace is trace else a for a in args]
    return bind(prim, *vals, **params)


def unbroadcast(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum `g` down to `shape`, undoing NumPy broadcasting (leading axes and size-1 axes)."""
    gshape = g.shape
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, n in enumerate(shape) if n == 1 and gshape[i + lead] != 1
    )
    if axes:
        g = REGISTRY["reduce_sum"](g, axis=axes, keepdims=False)
    if g.shape != shape:
        g = REGISTRY["reshape"](g, shape=tuple(shape))
    return g


def _fit(g, arg):
    """Bring a rule's result to its argument's shape and (floating) dtype."""
    shape = getattr(arg, "shape", ())
    if g.shape != shape:
        g = unbroadcast(g, shape)
    dt = getattr(arg, "dtype", None)
    if dt is not None and g.dtype != dt and dt.kind in "fc":
        g = REGISTRY["cast"](g, dtype=dt)
    return g


def backward(trace: ReverseTrace, seeds: dict[int, Any], keep_tape: bool = False) -> dict[int, Any]:
    """Run the tape backwards from `seeds` (tracer id -> cotangent); return the cotangents left.

    What remains in the returned dict are the cotangents of ids no node produced: the inputs.
    With `keep_tape` the tape survives, so a pullback can be applied again (`vjp`).
    """
    cts = dict(seeds)
    # Cotangents we allocated ourselves may be accumulated in place; others may be shared.
    owned = set()
    inplace_ok = not outer_trace_active()
    tape = trace.tape
    for node in reversed(tape):
        ct = cts.pop(node[0], None)
        if ct is None:
            continue
        _, prim, args, params, out, parents = node
        rules = prim.vjp
        for i, pid in enumerate(parents):
            if pid is None:
                continue
            rule = rules[i]
            if rule is None:
                continue
            g = rule(ct, out, *args, **params)
            if g is None:
                continue
            a = args[i]
            if type(a) is not ndarray or g.shape != a.shape or g.dtype != a.dtype:
                g = _fit(g, a)
            prev = cts.get(pid)
            if prev is None:
                cts[pid] = g
            elif inplace_ok and pid in owned and type(g) is np.ndarray:
                np.add(prev, g, out=prev, casting="unsafe")
            else:
                s = bind(REGISTRY["add"], prev, g)
                cts[pid] = s
                if type(s) is np.ndarray:
                    owned.add(pid)
    if not keep_tape:
        tape.clear()
    return cts
