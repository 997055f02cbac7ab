"""Forward mode (`jvp`) and reverse mode with a reusable pullback (`vjp`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minispore.core.forward import ForwardTrace, JTracer
from minispore.core.primitive import REGISTRY
from minispore.core.trace import new_trace
from minispore.core.tree import tree_flatten, tree_unflatten
from minispore.tensor import Tensor, _wrap
from minispore.transforms._common import _check_fn, _is_tensor, _weights, _zeros_for
from minispore.transforms._record import _primal_tree, _pull, _record, _seed

# ---- forward mode -------------------------------------------------------------------------


def _as_tuple_inputs(inputs, v, op):
    if isinstance(inputs, Tensor):
        if not isinstance(v, Tensor):
            raise TypeError(
                f"For '{op}', 'v' must be a Tensor when 'inputs' is a Tensor, got {type(v).__name__}"
            )
        return (inputs,), (v,), False
    if isinstance(inputs, tuple) and inputs and all(isinstance(x, Tensor) for x in inputs):
        if not isinstance(v, tuple) or len(v) != len(inputs):
            raise ValueError(
                f"For '{op}', v has invalid length: 'inputs' has {len(inputs)} Tensors, 'v' must match"
            )
        if not all(isinstance(x, Tensor) for x in v):
            raise TypeError(f"For '{op}', every item of 'v' must be a Tensor")
        return inputs, v, True
    raise TypeError(
        f"For '{op}', 'inputs' must be a Tensor or a non-empty tuple of Tensors, got {type(inputs).__name__}"
    )


def _aux_of(out, has_aux, op):
    if not has_aux:
        return out, None
    if not isinstance(out, tuple) or len(out) < 2:
        raise ValueError(
            f"For '{op}' with has_aux=True, fn must return a tuple of two or more outputs"
        )
    rest = out[1:]
    return out[0], (rest[0] if len(rest) == 1 else tuple(rest))


def _jvp_run(fn, primals, tangents):
    """Run fn with forward-mode tracers; return (primal output tree, tangent output tree)."""
    with new_trace(ForwardTrace) as trace:
        call = []
        for p, t in zip(primals, tangents):
            pv, tv = p._value, t._value
            if tuple(tv.shape) != tuple(pv.shape):
                raise ValueError(
                    f"For 'jvp', tangent shape {tuple(tv.shape)} differs from input shape {tuple(pv.shape)}"
                )
            if tv.dtype != pv.dtype and pv.dtype.kind in "fc":
                tv = REGISTRY["cast"](tv, dtype=pv.dtype)
            call.append(_wrap(JTracer(trace, pv, tv)))
        out = fn(*call)
    leaves, treedef = tree_flatten(out, _is_tensor)
    prim_l, tan_l = [], []
    for x in leaves:
        if isinstance(x, Tensor):
            v = x._value
            if type(v) is JTracer and v._trace is trace:
                prim_l.append(_wrap(v.primal))
                tan_l.append(_wrap(v.tangent))
            else:
                prim_l.append(x)
                tan_l.append(_wrap(_zeros_for(v)))
        else:
            prim_l.append(x)
            tan_l.append(x)
    return tree_unflatten(treedef, prim_l), tree_unflatten(treedef, tan_l)


def jvp(
    fn: Callable[..., Any],
    inputs: Tensor | tuple[Tensor, ...],
    v: Tensor | tuple[Tensor, ...],
    has_aux: bool = False,
) -> tuple:
    """Forward mode: `(fn(*inputs), J v)`, plus `aux` (bare if one) with `has_aux`."""
    _check_fn(fn, "jvp")
    primals, tangents, _ = _as_tuple_inputs(inputs, v, "jvp")
    out, tan = _jvp_run(fn, primals, tangents)
    if has_aux:
        o, aux = _aux_of(out, True, "jvp")
        t, _ = _aux_of(tan, True, "jvp")
        return o, t, aux
    return out, tan


def vjp(
    fn: Callable[..., Any], *inputs: Tensor, weights: Any = None, has_aux: bool = False
) -> tuple:
    """Reverse mode: `(fn(*inputs), vjp_fn)`; `vjp_fn(*cotangents)` returns a tuple of input
    gradients (and weight gradients with `weights`). `vjp_fn` may be called again without
    re-running `fn`."""
    _check_fn(fn, "vjp")
    for i, x in enumerate(inputs):
        if not isinstance(x, Tensor):
            raise TypeError(
                f"For 'vjp', every input must be a Tensor, but input {i} is {type(x).__name__}"
            )
    weight_list, single_weight = _weights(weights)
    rec = _record(fn, inputs, {}, tuple(range(len(inputs))), weight_list)
    out = rec.out
    diff_out, aux = _aux_of(out, has_aux, "vjp")
    n0 = len(tree_flatten(diff_out, _is_tensor)[0])
    diff_leaves = [
        (x, v) for x, v in zip(rec.leaves[:n0], rec.leaf_values[:n0]) if isinstance(x, Tensor)
    ]
    value = _primal_tree(rec)
    if has_aux:
        value, aux = _aux_of(value, True, "vjp")

    def vjp_fn(*cotangents):
        if len(cotangents) == 1 and isinstance(cotangents[0], tuple) and len(diff_leaves) != 1:
            cotangents = cotangents[0]
        if (
            len(cotangents) == 1
            and isinstance(cotangents[0], tuple)
            and len(diff_leaves) == 1
            and len(cotangents[0]) == 1
        ):
            cotangents = cotangents[0]
        cts, _ = tree_flatten(list(cotangents), _is_tensor)
        if len(cts) != len(diff_leaves):
            raise RuntimeError(
                f"For 'vjp_fn', expected {len(diff_leaves)} cotangent(s), one per output, but got {len(cts)}"
            )
        seeds = {}
        for i, ((leaf, v), ct) in enumerate(zip(diff_leaves, cts)):
            if not isinstance(ct, Tensor):
                raise TypeError(
                    f"For 'vjp_fn', cotangent {i} must be a Tensor, got {type(ct).__name__}"
                )
            if tuple(ct.shape) != tuple(leaf.shape):
                raise RuntimeError(
                    f"For 'vjp_fn', cotangent {i} has shape {tuple(ct.shape)} but output {i} has "
                    f"shape {tuple(leaf.shape)}"
                )
            _seed(seeds, rec.trace, v, ct._value)
        gin, gw = _pull(rec, seeds, keep_tape=True)
        if weights is None:
            return tuple(gin)
        return tuple(gin), (gw[0] if single_weight else tuple(gw))

    if has_aux:
        return value, vjp_fn, aux
    return value, vjp_fn
