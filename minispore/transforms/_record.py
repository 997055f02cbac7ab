"""Running a function under reverse mode on trees of Tensors, and pulling cotangents back.

Differentiated inputs get fresh Tensors whose values are tracers; differentiated weights have
their `_value` swapped for a tracer during the call and restored in a `finally` block. After the
call the output tree is flattened, seeded with cotangents (ones, or `sens`) and pulled back
through the tape (see `core/reverse.py`). Shared by grad, value_and_grad, vjp and jacrev.
"""

from __future__ import annotations

import numpy as np

from minispore.core.primitive import REGISTRY
from minispore.core.reverse import ReverseTrace, RTracer, backward
from minispore.core.trace import new_trace
from minispore.core.tree import tree_flatten, tree_unflatten
from minispore.parameter import Parameter
from minispore.tensor import Tensor, _wrap
from minispore.transforms._common import _as_grad, _is_tensor, _positions, _weights

# ---- the reverse-mode call shared by grad, value_and_grad and vjp ---------------------------


class _Recorded:
    """A function run under a reverse trace: its primal outputs and what is needed to pull back."""

    __slots__ = (
        "trace",
        "in_tracers",
        "w_tracers",
        "out",
        "leaves",
        "treedef",
        "in_values",
        "w_values",
        "leaf_values",
    )


def _record(fn, args, kwargs, positions, weights):
    rec = _Recorded()
    with new_trace(ReverseTrace) as trace:
        rec.trace = trace
        call_args = list(args)
        rec.in_tracers, rec.in_values = [], []
        for p in positions:
            a = args[p]
            if not isinstance(a, Tensor):
                raise TypeError(
                    f"For 'grad', the input at grad_position {p} must be a Tensor to be "
                    f"differentiated, but got {type(a).__name__}; wrap it in Tensor(...) "
                    "(MindSpore silently drops such positions from the result)"
                )
            tr = trace.new_input(a._value)
            rec.in_tracers.append(tr)
            rec.in_values.append(a._value)
            call_args[p] = _wrap(tr)
        saved = []
        succeeded = False
        rec.w_tracers, rec.w_values = [], []
        seen = {}
        try:
            for w in weights:
                if id(w) in seen:  # listed twice: the same tracer, the same original value
                    tr, original = seen[id(w)]
                    rec.w_tracers.append(tr)
                    rec.w_values.append(original)
                    continue
                original = w._value
                tr = trace.new_input(original) if w.requires_grad else None
                installed = original if tr is None else tr
                saved.append((w, original, installed))
                rec.w_values.append(original)
                w._value = installed
                seen[id(w)] = (tr, original)
                rec.w_tracers.append(tr)
            out = fn(*call_args, **kwargs)
            # Read the outputs' values before the weights are restored: an output may be a
            # listed Parameter itself, whose value is its tracer only until then.
            rec.leaves, rec.treedef = tree_flatten(out, _is_tensor)
            rec.leaf_values = [x._value if isinstance(x, Tensor) else None for x in rec.leaves]
            succeeded = True
        finally:
            for w, original, installed in saved:
                # After a successful call a weight that fn assigned (ops.assign) keeps its new
                # value, settled to a plain array when the trace ends; otherwise, and after an
                # error always, the weight gets its value back.
                if w._value is installed or not succeeded:
                    w._value = original
        # NOTE: requires_grad may have been switched off inside fn; such weights get zeros.
        rec.w_tracers = [t if w.requires_grad else None for w, t in zip(weights, rec.w_tracers)]
    rec.out = out
    return rec


def _primal_tree(rec):
    """The recorded output with every tracer of our trace replaced by its primal value."""
    trace = rec.trace

    def strip(x, v):
        if isinstance(x, Tensor):
            if type(v) is RTracer and v._trace is trace:
                return _wrap(v.primal)
            if isinstance(x, Parameter):
                return _wrap(v)  # the value, not the Parameter object itself
        return x

    stripped = [strip(x, v) for x, v in zip(rec.leaves, rec.leaf_values)]
    return tree_unflatten(rec.treedef, stripped)


def _seed(seeds, trace, v, ct):
    """Add cotangent `ct` (None: ones) for an output whose recorded value is `v`."""
    if type(v) is not RTracer or v._trace is not trace:
        return
    if ct is None:
        ct = np.empty(tuple(v.shape), v.dtype)
        ct.fill(1)
    prev = seeds.get(v.id)
    seeds[v.id] = ct if prev is None else REGISTRY["add"](prev, ct)


def _sens_value(s, leaf, where):
    if not isinstance(s, Tensor):
        raise TypeError(
            f"For 'grad' with sens_param=True, the sens for {where} must be a Tensor, got {type(s).__name__}"
        )
    sv = s._value
    if tuple(sv.shape) != tuple(leaf.shape):
        raise ValueError(
            f"For 'grad' with sens_param=True, the sens for {where} has shape {tuple(sv.shape)} "
            f"but the output has shape {tuple(leaf.shape)}"
        )
    return sv


def _pull(rec, seeds, keep_tape=False):
    cts = backward(rec.trace, seeds, keep_tape) if seeds else {}
    gin = [_as_grad(cts.get(t.id), v) for t, v in zip(rec.in_tracers, rec.in_values)]
    gw = [
        _as_grad(cts.get(t.id) if t is not None else None, v)
        for t, v in zip(rec.w_tracers, rec.w_values)
    ]
    return [_wrap(g) for g in gin], [_wrap(g) for g in gw]


def _structure(gin, gw, positions, many, weights, single_weight, return_ids):
    """Arrange gradients as MindSpore's return-structure table says."""
    if return_ids:
        gin = [(p, g) for p, g in zip(positions, gin)]
        gw = [(w.name, g) for w, g in zip(weights or (), gw)]
    if positions:
        g_in = tuple(gin) if many else gin[0]
    if weights is not None and (gw or not single_weight):
        g_w = gw[0] if single_weight else tuple(gw)
    if not positions:
        return g_w
    if weights is None:
        return g_in
    return (g_in, g_w)


def _grad_call(
    fn, args, kwargs, grad_position, weights, has_aux, return_ids, sens_param, want_value=True
):
    """Run fn under reverse mode; return (full output value, gradient structure, aux)."""
    args = tuple(args)
    sens = None
    if sens_param:
        if "sens" in kwargs:
            kwargs = dict(kwargs)
            sens = kwargs.pop("sens")
        else:
            if not args:
                raise TypeError(
                    "For 'grad' with sens_param=True, the last positional input must be the sens"
                )
            sens, args = args[-1], args[:-1]
    weight_list, single_weight = _weights(weights)
    positions, many = _positions(grad_position, len(args), weights)
    rec = _record(fn, args, kwargs, positions, weight_list)
    out = rec.out
    if has_aux:
        if not isinstance(out, tuple) or len(out) < 2:
            raise ValueError(
                "When has_aux is True, origin fn requires more than one outputs, but got "
                + (
                    f"a {type(out).__name__} of length {len(out)}"
                    if isinstance(out, (tuple, list))
                    else f"a single {type(out).__name__}"
                )
                + ". Return a tuple (loss, aux, ...)."
            )
        n0 = len(tree_flatten(out[0], _is_tensor)[0])
        diff = list(zip(rec.leaves[:n0], rec.leaf_values[:n0]))
    else:
        diff = list(zip(rec.leaves, rec.leaf_values))
    seeds = {}
    trace = rec.trace
    if sens is not None:
        tensor_leaves = [(x, v) for x, v in diff if isinstance(x, Tensor)]
        if len(tensor_leaves) == 1 and isinstance(sens, Tensor):
            sens_list = [sens]
        else:
            sens_list, _ = tree_flatten(sens, _is_tensor)
            if len(sens_list) != len(tensor_leaves):
                raise ValueError(
                    f"For 'grad' with sens_param=True, got {len(sens_list)} sens value(s) for "
                    f"{len(tensor_leaves)} output(s); give one Tensor per output, in a tuple"
                )
        for i, ((leaf, v), s) in enumerate(zip(tensor_leaves, sens_list)):
            _seed(seeds, trace, v, _sens_value(s, leaf, f"output {i}"))
    else:
        for leaf, v in diff:
            if isinstance(leaf, Tensor):
                _seed(seeds, trace, v, None)
    gin, gw = _pull(rec, seeds)
    grads = _structure(
        gin,
        gw,
        positions,
        many,
        weight_list if weights is not None else None,
        single_weight,
        return_ids,
    )
    if not want_value and not has_aux:
        return None, grads, None
    value = _primal_tree(rec)
    aux = tuple(value[1:]) if has_aux else None
    return value, grads, aux
