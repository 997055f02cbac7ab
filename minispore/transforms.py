"""Function transformations with MindSpore's signatures: grad, value_and_grad, get_grad, jvp,
vjp, jacfwd, jacrev, and hessian (layer 3).

They work on trees of Tensors. Differentiated inputs get fresh Tensors whose values are tracers;
differentiated weights have their `_value` swapped for a tracer during the call and restored in
a `finally` block. After the call the output tree is flattened, seeded with cotangents (ones,
or `sens`) and pulled back through the tape (see `core/reverse.py`).
"""

from __future__ import annotations

import numpy as np

from minispore.core.forward import ForwardTrace, JTracer
from minispore.core.primitive import REGISTRY
from minispore.core.reverse import ReverseTrace, RTracer, backward
from minispore.core.trace import new_trace
from minispore.core.tree import tree_flatten, tree_unflatten
from minispore.parameter import Parameter, ParameterTuple
from minispore.tensor import Tensor, _wrap

_F32 = np.dtype(np.float32)


def _is_tensor(x):
    return isinstance(x, Tensor)


# ---- argument checks (run when the transformed function is called, as MindSpore does) -------


def _positions(grad_position, nargs, weights):
    """Validate `grad_position`; return (tuple of positions, whether the result is a tuple)."""
    if grad_position is None:
        if weights is None:
            raise ValueError("`grad_position` and `weight` can not be None at the same time.")
        return (), False
    if isinstance(grad_position, bool) or not isinstance(grad_position, (int, tuple)):
        raise TypeError(
            f"For 'F.grad', the 'grad_position' must be int or tuple, but got "
            f"{type(grad_position).__name__}."
        )
    if isinstance(grad_position, int):
        items, many = (grad_position,), False
    else:
        if not grad_position:
            raise RuntimeError("grad_position should not be empty when grad by position!")
        for p in grad_position:
            if isinstance(p, bool) or not isinstance(p, int):
                raise TypeError(
                    f"For 'F.grad', the 'grad_position' must be int or tuple of int, but got {grad_position!r}."
                )
        if len(set(grad_position)) != len(grad_position):
            raise ValueError(f"There are duplicate positions in `grad_position`: {grad_position}.")
        # NOTE: MindSpore returns a bare gradient for a 1-tuple position, as for an int.
        items, many = grad_position, len(grad_position) > 1
    for p in items:
        if p < 0:
            raise ValueError(f"grad_position must be >= 0, but got {p}.")
        if p >= nargs:
            raise RuntimeError(
                f"Position index {p} is exceed input size. The function takes {nargs} positional "
                f"input(s); grad_position={grad_position}."
            )
    return items, many


def _check_not_both_none(grad_position, weights):
    # MindSpore 2.10 checks this one when grad() is created; the other checks run at call time.
    if grad_position is None and weights is None:
        raise ValueError("`grad_position` and `weight` can not be None at the same time.")


def _weights(weights):
    """Validate `weights`; return (list of Parameters, whether the result is a single gradient)."""
    if weights is None:
        return [], False
    if isinstance(weights, Parameter):
        return [weights], True
    if isinstance(weights, Tensor):
        raise TypeError(
            "For 'grad', 'weights' must be a Parameter, a list/tuple of Parameters or a "
            "ParameterTuple, but got a plain Tensor; wrap it in Parameter(...)"
        )
    if isinstance(weights, (list, tuple, ParameterTuple)):
        for w in weights:
            if not isinstance(w, Parameter):
                raise TypeError(
                    f"For 'grad', every item of 'weights' must be a Parameter, but got {type(w).__name__}"
                )
        return list(weights), False
    raise TypeError(
        f"For 'grad', 'weights' must be a Parameter, list, tuple or ParameterTuple, but got "
        f"{type(weights).__name__}"
    )


def _grad_dtype(value):
    return value.dtype if value.dtype.kind in "fc" else _F32


def _zeros_for(value):
    return np.zeros(tuple(value.shape), _grad_dtype(value))


def _as_grad(g, value):
    """Integer and bool inputs get float32 gradients (MindSpore would truncate to the int dtype)."""
    if g is None:
        return _zeros_for(value)
    if value.dtype.kind not in "fc" and g.dtype != _F32:
        return REGISTRY["cast"](g, dtype=_F32)
    return g


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
        rec.w_tracers, rec.w_values = [], []
        seen = {}
        try:
            for w in weights:
                if id(w) in seen:
                    rec.w_tracers.append(seen[id(w)])
                    rec.w_values.append(w._value)
                    continue
                tr = trace.new_input(w._value) if w.requires_grad else None
                saved.append((w, w._value))
                rec.w_values.append(w._value)
                if tr is not None:
                    w._value = tr
                seen[id(w)] = tr
                rec.w_tracers.append(tr)
            out = fn(*call_args, **kwargs)
            # Read the outputs' values before the weights are restored: an output may be a
            # listed Parameter itself, whose value is its tracer only until then.
            rec.leaves, rec.treedef = tree_flatten(out, _is_tensor)
            rec.leaf_values = [x._value if isinstance(x, Tensor) else None for x in rec.leaves]
        finally:
            for w, v in saved:
                w._value = v
        # NOTE: requires_grad may have been switched off inside fn; such weights get zeros.
        rec.w_tracers = [t if w.requires_grad else None for w, t in zip(weights, rec.w_tracers)]
    rec.out = out
    return rec


def _primal_tree(rec, tree=None):
    """The recorded output with every tracer of our trace replaced by its primal value."""
    trace = rec.trace

    def strip(x, v):
        if isinstance(x, Tensor):
            if type(v) is RTracer and v._trace is trace:
                return _wrap(v.primal)
            if isinstance(x, Parameter):
                return _wrap(v)  # the value, not the Parameter object itself
        return x

    if tree is None:
        leaves, treedef, values = rec.leaves, rec.treedef, rec.leaf_values
    else:
        leaves, treedef = tree_flatten(tree, _is_tensor)
        values = [x._value if isinstance(x, Tensor) else None for x in leaves]
    return tree_unflatten(treedef, [strip(x, v) for x, v in zip(leaves, values)])


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
            raise_aux = True
        else:
            raise_aux = False
        if raise_aux:
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


def grad(fn, grad_position=0, weights=None, has_aux=False, return_ids=False, sens_param=False):
    """Return a function computing the gradient of `fn`, MindSpore's `mindspore.grad`.

    Args:
        fn: a function or Cell returning Tensors; every Tensor output is differentiated with a
            ones cotangent (the gradient of the sum of the outputs).
        grad_position: an int, a tuple of ints, or None (weights only).
        weights: a Parameter, a list/tuple of Parameters or a ParameterTuple, or None.
        has_aux: differentiate only the first output; return the others as `aux`.
        return_ids: pair each gradient with its position or parameter name.
        sens_param: the last positional argument (or `sens=`) is the output cotangent.

    Returns:
        A function returning gradients in MindSpore's structure (see docs/transforms.md):
        `G` for one position, a tuple for several, `(G, (W1, ...))` with weights, and
        `(grads, aux)` with `has_aux`.

    Raises:
        ValueError, TypeError, RuntimeError: for invalid positions or weights, when called.

    Example:
        >>> grad(lambda x: (x ** 3).sum())(Tensor([2.0]))
    """

    _check_not_both_none(grad_position, weights)

    def grad_fn(*args, **kwargs):
        _, grads, aux = _grad_call(
            fn,
            args,
            kwargs,
            grad_position,
            weights,
            has_aux,
            return_ids,
            sens_param,
            want_value=False,
        )
        return (grads, aux) if has_aux else grads

    grad_fn.__wrapped__ = fn
    return grad_fn


def value_and_grad(
    fn, grad_position=0, weights=None, has_aux=False, return_ids=False, sens_param=False
):
    """Like `grad`, but the function returns `(value, grads)`, with `value` the full output of
    `fn` (with `has_aux`, the whole output tuple, aux included, as MindSpore)."""

    _check_not_both_none(grad_position, weights)

    def value_and_grad_fn(*args, **kwargs):
        value, grads, _ = _grad_call(
            fn, args, kwargs, grad_position, weights, has_aux, return_ids, sens_param
        )
        return value, grads

    value_and_grad_fn.__wrapped__ = fn
    return value_and_grad_fn


def get_grad(gradients, identifier):
    """Pick one gradient out of a `return_ids=True` result by position (int) or Parameter."""
    if isinstance(identifier, Parameter):
        key = identifier.name
    elif isinstance(identifier, int) and not isinstance(identifier, bool):
        key = identifier
    else:
        raise TypeError(
            f"For 'get_grad', the identifier must be an int position or a Parameter, but got "
            f"{type(identifier).__name__}"
        )
    found = []

    def search(node):
        if isinstance(node, tuple):
            if len(node) == 2 and isinstance(node[0], (int, str)) and isinstance(node[1], Tensor):
                if node[0] == key and type(node[0]) is type(key):
                    found.append(node[1])
                return
            for c in node:
                search(c)

    has_ids = []

    def any_ids(node):
        if isinstance(node, tuple):
            if len(node) == 2 and isinstance(node[0], (int, str)) and isinstance(node[1], Tensor):
                has_ids.append(True)
                return
            for c in node:
                any_ids(c)

    any_ids(gradients)
    if not has_ids:
        raise RuntimeError(
            f"Can not find the gradient for position or Parameter {key}: the gradients carry "
            "no ids; compute them with return_ids=True"
        )
    search(gradients)
    if not found:
        raise RuntimeError(
            f"Can not find the gradient for position or Parameter {key}; was the result made "
            "with return_ids=True?"
        )
    return found[0]


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


def jvp(fn, inputs, v, has_aux=False):
    """Forward mode: `(fn(*inputs), J v)`, plus `aux` (bare if one) with `has_aux`."""
    primals, tangents, _ = _as_tuple_inputs(inputs, v, "jvp")
    out, tan = _jvp_run(fn, primals, tangents)
    if has_aux:
        o, aux = _aux_of(out, True, "jvp")
        t, _ = _aux_of(tan, True, "jvp")
        return o, t, aux
    return out, tan


def vjp(fn, *inputs, weights=None, has_aux=False):
    """Reverse mode: `(fn(*inputs), vjp_fn)`; `vjp_fn(*cotangents)` returns a tuple of input
    gradients (and weight gradients with `weights`). `vjp_fn` may be called again without
    re-running `fn`."""
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


# ---- Jacobians ----------------------------------------------------------------------------


def _jac_positions(grad_position):
    if isinstance(grad_position, bool) or not isinstance(grad_position, (int, tuple)):
        raise TypeError(
            f"For 'jacfwd'/'jacrev', 'grad_position' must be an int or a tuple of ints, but got "
            f"{type(grad_position).__name__}"
        )
    if isinstance(grad_position, int):
        return (grad_position,), False
    if not grad_position or not all(isinstance(p, int) and p >= 0 for p in grad_position):
        raise ValueError(f"For 'jacfwd'/'jacrev', invalid grad_position {grad_position!r}")
    if len(set(grad_position)) != len(grad_position):
        raise ValueError(f"There are duplicate positions in `grad_position`: {grad_position}.")
    return grad_position, True


def _stack(values, shape):
    """Stack raw values (maybe tracers) along a new leading axis, then reshape to `shape`."""
    reshape, concat = REGISTRY["reshape"], REGISTRY["concatenate"]
    parts = [reshape(v, shape=(1,) + tuple(v.shape)) for v in values]
    s = parts[0] if len(parts) == 1 else concat(*parts, axis=0)
    return reshape(s, shape=shape)


def _move_front_to_back(v, n_front):
    """(in..., out...) -> (out..., in...) where the first n_front axes are the input axes."""
    nd = v.ndim
    perm = tuple(range(n_front, nd)) + tuple(range(n_front))
    return REGISTRY["transpose"](v, perm=perm) if perm != tuple(range(nd)) else v


def jacrev(fn, grad_position=0, has_aux=False):
    """Jacobian by reverse mode: one pullback per output element. `jac.shape = out.shape + in.shape`."""

    def jac_fn(*args):
        positions, many = _jac_positions(grad_position)
        for p in positions:
            if p >= len(args):
                raise RuntimeError(f"Position index {p} is exceed input size.")
            if not isinstance(args[p], Tensor):
                raise TypeError(f"For 'jacrev', the input at position {p} must be a Tensor")
        rec = _record(fn, args, {}, positions, [])
        out = rec.out
        diff_out, _ = _aux_of(out, has_aux, "jacrev")
        leaves, treedef = tree_flatten(diff_out, _is_tensor)
        values = rec.leaf_values[: len(leaves)]
        per_out = []
        for leaf, lv in zip(leaves, values):
            if not isinstance(leaf, Tensor):
                per_out.append(leaf)
                continue
            oshape = tuple(leaf.shape)
            n_out = int(np.prod(oshape, dtype=np.int64))
            rows = [[] for _ in positions]
            for k in range(n_out):
                e = np.zeros(n_out, _grad_dtype(lv))
                e[k] = 1
                seeds = {}
                _seed(seeds, rec.trace, lv, e.reshape(oshape))
                gin, _ = _pull(rec, seeds, keep_tape=True)
                for j, g in enumerate(gin):
                    rows[j].append(g._value)
            jacs = []
            for j, p in enumerate(positions):
                ishape = tuple(args[p].shape)
                if n_out == 0:
                    jacs.append(_wrap(np.zeros(oshape + ishape, _grad_dtype(args[p]._value))))
                else:
                    jacs.append(_wrap(_stack(rows[j], oshape + ishape)))
            per_out.append(tuple(jacs) if many else jacs[0])
        jac = tree_unflatten(treedef, per_out)
        if has_aux:
            value = _primal_tree(rec)
            _, aux = _aux_of(value, True, "jacrev")
            return jac, aux
        return jac

    return jac_fn


def jacfwd(fn, grad_position=0, has_aux=False):
    """Jacobian by forward mode: one JVP per input element. `jac.shape = out.shape + in.shape`."""

    def jac_fn(*args):
        positions, many = _jac_positions(grad_position)
        for p in positions:
            if p >= len(args):
                raise RuntimeError(f"Position index {p} is exceed input size.")
            if not isinstance(args[p], Tensor):
                raise TypeError(f"For 'jacfwd', the input at position {p} must be a Tensor")
        columns = []  # per position: list over input elements of tangent-output leaf lists
        primal_out = None
        treedef = None
        for p in positions:
            x = args[p]._value
            ishape = tuple(x.shape)
            n_in = int(np.prod(ishape, dtype=np.int64))
            cols = []
            for k in range(max(n_in, 1) if n_in else 0):
                e = np.zeros(n_in, x.dtype if x.dtype.kind in "fc" else _F32)
                e[k] = 1

                def f_at(xk, p=p):
                    call = list(args)
                    call[p] = xk
                    return fn(*call)

                out, tan = _jvp_run(f_at, (args[p],), (_wrap(e.reshape(ishape)),))
                if primal_out is None:
                    primal_out = out
                diff_tan, _ = _aux_of(tan, has_aux, "jacfwd")
                leaves, treedef = tree_flatten(diff_tan, _is_tensor)
                cols.append(leaves)
            columns.append((ishape, n_in, cols, _grad_dtype(x)))
        if primal_out is None:  # every differentiated input is empty
            primal_out = fn(*args)
            leaves, treedef = tree_flatten(_aux_of(primal_out, has_aux, "jacfwd")[0], _is_tensor)
        n_leaves = len(tree_flatten(_aux_of(primal_out, has_aux, "jacfwd")[0], _is_tensor)[0])
        out_leaves, _ = tree_flatten(_aux_of(primal_out, has_aux, "jacfwd")[0], _is_tensor)
        per_out = []
        for li in range(n_leaves):
            o = out_leaves[li]
            if not isinstance(o, Tensor):
                per_out.append(o)
                continue
            oshape = tuple(o.shape)
            jacs = []
            for ishape, n_in, cols, gdt in columns:
                if n_in == 0:
                    jacs.append(_wrap(np.zeros(oshape + ishape, gdt)))
                    continue
                stacked = _stack([c[li]._value for c in cols], ishape + oshape)
                jacs.append(_wrap(_move_front_to_back(stacked, len(ishape))))
            per_out.append(tuple(jacs) if many else jacs[0])
        jac = tree_unflatten(treedef, per_out)
        if has_aux:
            _, aux = _aux_of(primal_out, True, "jacfwd")
            return jac, aux
        return jac

    return jac_fn


def hessian(fn, grad_position=0):
    """The Hessian of a scalar function: `jacfwd(jacrev(fn))` (not in MindSpore).

    For one input of shape S the result has shape S + S; for a tuple of positions it is the
    nested tuple of blocks `H[i][j] = d^2 f / dx_i dx_j`.
    """
    return jacfwd(jacrev(fn, grad_position), grad_position)
