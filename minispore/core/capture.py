"""Graph capture for `jit`: run a function once on concrete values and record every bind (core).

A `CaptureTrace` wraps each input in a `CTracer`, which carries the concrete primal value and the
graph `Var` it stands for. Every primitive applied to a tracer of the trace is bound one level
down on the primals (so the first call computes its real result) and appended to the graph as an
`Equation`. While a capture is active, binds on plain values are recorded too (see the hook in
`Primitive.__call__`): random draws and constants become equations, so a replay draws afresh.

`capture(fn, args, kwargs)` drives it: Tensor arguments become graph inputs; every live
`Parameter` has its value swapped for a tracer for the duration of the call, and those the
function reads become graph inputs too (read afresh at every replay); a Parameter the function
assigns (`ops.assign`, `set_data`, an optimizer step) gets its new value as an extra graph
output. Converting a captured value to a Python value (`bool`, `float`, `item`, ...) raises
`CaptureError`: the graph cannot depend on values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minispore.core.graph import Const, Equation, Graph, Var
from minispore.core.primitive import Tracer, _capturing, bind
from minispore.core.reverse import _rebind_dead
from minispore.core.trace import new_trace
from minispore.core.tree import tree_flatten, tree_unflatten

_FIX = (
    "Python control flow and conversions on Tensor values cannot be captured: choose between "
    "values with ops.where, or pass the value as a static Python scalar "
    "(non-Tensor arguments are part of jit's cache key)"
)


class CaptureError(TypeError):
    """A captured value was needed as a Python or NumPy value (its value is not known to jit)."""


def capture_error(what: str, value: Any) -> CaptureError:
    """The error for `what` (e.g. "bool()") applied to a value that jit is capturing."""
    trace = getattr(value, "_trace", None)
    where = f" while capturing '{trace.name}'" if getattr(trace, "name", None) else ""
    return CaptureError(
        f"jit: {what} needs the value of a Tensor (shape {tuple(value.shape)}, dtype "
        f"{value.dtype}){where}, but a captured graph cannot depend on values. {_FIX}."
    )


class CTracer(Tracer):
    """A value being captured: its concrete `primal` and the graph `var` it stands for."""

    __slots__ = ("primal", "var")

    def __init__(self, trace, primal, var):
        self._trace = trace
        self.primal = primal
        self.var = var

    def __bool__(self):
        raise capture_error("bool()", self)

    def __int__(self):
        raise capture_error("int()", self)

    def __float__(self):
        raise capture_error("float()", self)

    def __index__(self):
        raise capture_error("use as an index (__index__)", self)

    def __array__(self, dtype=None, copy=None):
        raise capture_error("conversion to a NumPy array", self)

    def item(self, *args):
        raise capture_error("item()", self)

    def tolist(self):
        raise capture_error("tolist()", self)


def is_captured(a) -> bool:
    """Whether `a` (a raw value) is, or wraps, a value that jit is capturing."""
    while isinstance(a, Tracer):
        if type(a) is CTracer and a._trace.alive:
            return True
        a = a.primal
    return False


def host_value(a, what: str):
    """The concrete value under `a` for a conversion `what` (`"bool()"`, `"asnumpy()"`, ...);
    raises `CaptureError` when `a` is being captured by jit."""
    v = a
    while isinstance(v, Tracer):
        if type(v) is CTracer and v._trace.alive:
            raise capture_error(what, v)
        v = v.primal
    return v


def capturing() -> bool:
    """True while some jit capture is running."""
    return bool(_capturing)


class CaptureTrace:
    """Records an `Equation` for each primitive applied to its tracers (and, through the hook in
    `Primitive.__call__`, for each bind on plain values while it is the innermost capture)."""

    def __init__(self, level: int, name: str | None = None) -> None:
        self.level = level
        self.name = name  # of the function captured, for messages
        self.alive = True
        self.on_exit = []  # callbacks run when the trace ends (e.g. settling assigned state)
        self.eqns: list[Equation] = []
        # Set when a tracer of another trace (a value closed over from an outer transform) is
        # used as a constant: the graph then holds that tracer and must not be cached.
        self.foreign = False
        self.param_of: dict[int, Any] = {}  # id(tracer) -> the Parameter whose value it is

    def new_input(self, primal, name: str | None = None) -> CTracer:
        return CTracer(self, primal, Var(np.shape(primal), _dtype(primal), name))

    def process(self, prim, args: tuple, params: dict) -> Any:
        if not self.alive:
            return _rebind_dead(self, prim, args, params)
        vals = []
        ins = []
        for a in args:
            if type(a) is CTracer and a._trace is self:
                vals.append(a.primal)
                ins.append(a.var if a.var is not None else _param_var(a))
            else:
                if isinstance(a, Tracer):
                    self.foreign = True
                vals.append(a)
                ins.append(Const(a))
        # The bind below is the implementation of this one equation: nothing it binds in turn
        # may be recorded, so no capture is active while it runs.
        saved = _capturing[:]
        _capturing.clear()
        try:
            out = bind(prim, *vals, **params)
        finally:
            _capturing[:] = saved
        var = Var(np.shape(out), _dtype(out))
        self.eqns.append(Equation(prim, ins, dict(params), var))
        return CTracer(self, out, var)


def _param_var(tr):
    """The input Var of a Parameter's tracer, made on first use (named after the Parameter)."""
    p = tr._trace.param_of[id(tr)]
    tr.var = Var(np.shape(tr.primal), _dtype(tr.primal), p.name)
    return tr.var


def _dtype(x):
    dt = getattr(x, "dtype", None)
    return dt if dt is not None else np.asarray(x).dtype


# ---- capture of a function over Tensors --------------------------------------------------------


def capture(fn, args=(), kwargs=None, *, name_inputs: bool = False) -> tuple[Graph, Any]:
    """Run `fn(*args, **kwargs)` once and record it as a `Graph`.

    Args:
        fn: a function (or Cell) of Tensors, returning a tree of Tensors (and static values).
        args, kwargs: the call's arguments: trees (tuples, lists, dicts) whose Tensor leaves
            become graph inputs; a `Parameter` leaf stays the Parameter itself; other leaves are
            static and passed as they are.
        name_inputs: name each argument input `Var` after its path (`args[0]`, `kwargs['x']`);
            by default argument inputs are unnamed and Parameter inputs carry `param.name`.

    Returns:
        `(graph, outputs)`: `outputs` is what `fn` returned, with the values computed by this
        call (Tensors hold plain arrays, or the outer transform's tracers when one is active).
        `graph.inputs` are the argument Tensors in flattening order, then the Parameters the
        function read, in order of first use. `graph.outputs` are the output leaves that are
        Tensors, then one new value per assigned Parameter. `graph.meta` holds:

        - `"in_tree"`: the TreeDef of `(args, kwargs)`; `"in_leaves"`: per leaf, `("input", i)`,
          `("param", p)` or `("static", value)`.
        - `"n_args"`: how many graph inputs are arguments.
        - `"params"`: the Parameters that are graph inputs `n_args, n_args + 1, ...`;
          `"param_inputs"`: their input indices; `"inputs_src"`: `{input index: Parameter}`.
        - `"out_tree"`: the TreeDef of the output; `"out_leaves"`: per leaf, `("output", i)`,
          `("param", p)` (fn returned the Parameter itself) or `("static", value)`.
        - `"n_results"`: how many graph outputs are output leaves.
        - `"assigns"`: `[(parameter, output index)]` for the Parameters assigned.
        - `"donate"`: `{output index: input index}` where an assigned value is written back into
          a Parameter that is also an input of the same shape and dtype (its buffer may be reused).
        - `"foreign"`: True when a tracer of an outer transform was closed over (such a graph
          holds that tracer as a constant and is valid for this call only).
    """
    # Capture takes and returns Tensors; tensor.py imports this module, so the user layer is
    # imported here, when a capture runs (the engine above does not depend on it).
    from minispore.parameter import Parameter, live_parameters
    from minispore.tensor import Tensor, _wrap

    kwargs = {} if kwargs is None else kwargs
    is_tensor = _is_tensor_type(Tensor)
    leaves, in_tree = tree_flatten((tuple(args), dict(kwargs)), is_tensor)
    name = getattr(fn, "__qualname__", None) or type(fn).__name__
    with new_trace(CaptureTrace, name) as trace:
        _capturing.append(trace)
        swapped = []  # (parameter, original value, its tracer)
        assigns = ()
        try:
            in_leaves, arg_vars, call_leaves = [], [], []
            paths = _leaf_paths(in_tree) if name_inputs else None
            for k, x in enumerate(leaves):
                if isinstance(x, Parameter):
                    in_leaves.append(("param", x))
                    call_leaves.append(x)
                elif isinstance(x, Tensor):
                    tr = trace.new_input(x._value, paths[k] if paths else None)
                    in_leaves.append(("input", len(arg_vars)))
                    arg_vars.append(tr.var)
                    call_leaves.append(_wrap(tr))
                else:
                    in_leaves.append(("static", x))
                    call_leaves.append(x)
            # Every live Parameter: its input Var is made when an equation first reads it.
            param_of = trace.param_of
            for p in live_parameters():
                original = p._value
                tr = CTracer(trace, original, None)
                p._value = tr
                swapped.append((p, original, tr))
                param_of[id(tr)] = p
            call_args, call_kwargs = tree_unflatten(in_tree, call_leaves)
            out = fn(*call_args, **call_kwargs)
            graph, result = _finish(trace, arg_vars, swapped, out, Parameter, Tensor, _wrap)
            graph.meta["in_tree"] = in_tree
            graph.meta["in_leaves"] = in_leaves
            assigns = graph.meta["assigns"]
        finally:
            _capturing.remove(trace)
            # After an error every Parameter gets its value back; after success an assigned
            # one keeps this call's new value.
            _restore(swapped, assigns)
    return graph, result


def _is_tensor_type(tensor_cls):
    return lambda x: isinstance(x, tensor_cls)


def _leaf_paths(treedef) -> list[str]:
    """`args[0]`, `args[1][2]`, `kwargs['x']`: a readable path for each leaf of `(args, kwargs)`."""
    out = []

    def rec(d, path):
        if d.kind == "leaf":
            out.append(path)
        elif d.kind == "dict":
            for key, c in zip(d.meta[1], d.children):
                rec(c, f"{path}[{key!r}]")
        else:
            for i, c in enumerate(d.children):
                rec(c, f"{path}[{i}]")

    args_def, kwargs_def = treedef.children
    rec(args_def, "args")
    for key, c in zip(kwargs_def.meta[1], kwargs_def.children):
        rec(c, f"kwargs[{key!r}]")
    return out


def _finish(trace, arg_vars, swapped, out, Parameter, Tensor, _wrap):
    """Build the graph from the recorded equations, the output and the Parameters' final values;
    return it with the output as computed by this call."""
    is_tensor = _is_tensor_type(Tensor)
    out_leaves_raw, out_tree = tree_flatten(out, is_tensor)
    outputs, out_leaves, result_leaves = [], [], []
    swapped_ids = None
    for x in out_leaves_raw:
        if isinstance(x, Parameter) and swapped_ids is None:
            swapped_ids = {id(p) for p, _, _ in swapped}
        if isinstance(x, Parameter) and id(x) in swapped_ids:
            out_leaves.append(("param", x))
            result_leaves.append(x)
        elif isinstance(x, Tensor):
            v = x._value
            out_leaves.append(("output", len(outputs)))
            outputs.append(_operand(trace, v))
            result_leaves.append(_wrap(_primal(trace, v)))
        else:
            out_leaves.append(("static", x))
            result_leaves.append(x)
    n_results = len(outputs)
    assigns = []
    for p, _, tr in swapped:
        v = p._value
        if v is tr:
            continue
        assigns.append((p, len(outputs)))
        outputs.append(_operand(trace, v))
    # The Parameters read: those whose input Var some equation or output uses, by first use.
    by_var = {id(tr.var): (p, tr.var) for p, _, tr in swapped if tr.var is not None}
    used: dict[int, tuple] = {}
    for eq in trace.eqns:
        for a in eq.inputs:
            if type(a) is Var and id(a) in by_var and id(a) not in used:
                used[id(a)] = by_var[id(a)]
    for o in outputs:
        if type(o) is Var and id(o) in by_var and id(o) not in used:
            used[id(o)] = by_var[id(o)]
    params = [p for p, _ in used.values()]
    n_args = len(arg_vars)
    inputs = arg_vars + [var for _, var in used.values()]
    index_of = {id(p): n_args + k for k, p in enumerate(params)}
    donate = {}
    for p, i in assigns:
        j = index_of.get(id(p))
        o = outputs[i]
        if j is not None and tuple(o.shape) == inputs[j].shape and o.dtype == inputs[j].dtype:
            donate[i] = j
    for o in outputs:
        if type(o) is Const and isinstance(o.value, Tracer):
            trace.foreign = True
    meta = {
        "n_args": n_args,
        "params": params,
        "param_inputs": tuple(range(n_args, n_args + len(params))),
        "inputs_src": {n_args + k: p for k, p in enumerate(params)},
        "out_tree": out_tree,
        "out_leaves": out_leaves,
        "n_results": n_results,
        "assigns": assigns,
        "donate": donate,
        "foreign": trace.foreign,
    }
    graph = Graph(inputs, trace.eqns, outputs, meta)
    return graph, tree_unflatten(out_tree, result_leaves)


def _operand(trace, v):
    """The graph operand for a final value: its Var if it is one of ours, else a constant."""
    if type(v) is CTracer and v._trace is trace:
        return v.var if v.var is not None else _param_var(v)
    if isinstance(v, Tracer):
        trace.foreign = True
    return Const(v)


def _primal(trace, v):
    return v.primal if type(v) is CTracer and v._trace is trace else v


def _restore(swapped, assigns):
    """Give every swapped Parameter back its value; an assigned one gets this call's new value,
    written in place into its array where shape and dtype allow (other holders see it)."""
    if not assigns:
        for p, original, _ in swapped:
            p._value = original
        return
    assigned = {id(p) for p, _ in assigns}
    originals = {id(o) for _, o, _ in swapped}
    news = []
    for p, original, tr in swapped:
        if id(p) not in assigned:
            p._value = original
            continue
        v = p._value
        new = v.primal if type(v) is CTracer and v._trace is tr._trace else v
        if isinstance(new, np.ndarray) and (new.base is not None or id(new) in originals):
            new = new.copy()  # it may share memory with a Parameter written before it is read
        news.append((p, original, new))
    for p, original, new in news:
        write_back(p, original, new)


def write_back(p, dst, new) -> None:
    """Make `new` the value of Parameter `p` whose current array is `dst`: in place when `dst` is
    a writeable array of the same shape (cast to its dtype), else by replacing the value. A
    tracer of an outer transform is installed and settled to its primal when that trace ends."""
    if new is dst:  # computed in place (a donated buffer)
        p._value = dst
        return
    if isinstance(new, Tracer):
        p._value = new
        _settle_later(p, new)
        return
    if type(dst) is np.ndarray and dst.flags.writeable and np.shape(new) == dst.shape:
        np.copyto(dst, new, casting="unsafe")
        p._value = dst
    else:  # a copy: `new` may be an array the caller holds (a graph input returned as is)
        p._value = np.array(new, copy=True)


def _settle_later(p, new):
    trace = new._trace

    def settle():
        if p._value is new:
            p._value = new.primal
            if isinstance(new.primal, Tracer):
                _settle_later(p, new.primal)

    trace.on_exit.append(settle)
