"""`make_graph`: a function's captured graph, to print as text or draw with Graphviz (layer 3).

The forward graph is `fn` captured alone. With `backward=True` the graph is that of
`value_and_grad(fn, grad_position, weights)`; its first equations are the forward pass (the same
function run in the same order), which is checked equation by equation against the forward
graph, and the rest is the backward pass.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from minispore.core.capture import capture
from minispore.core.graph import Graph, Var, format_graph
from minispore.parameter import Parameter, live_parameters
from minispore.picture import (
    GRADIENT,
    INPUT,
    OUTPUT,
    PARAMETER,
    GraphvizNotFoundError,
    graph_to_dot,
    render_dot,
    run_dot,
)
from minispore.prims.random import get_generator, set_generator
from minispore.transforms._common import _positions, _weights
from minispore.transforms.grad import value_and_grad


class GraphView:
    """A captured graph with names for its inputs and outputs, shown as text or as a picture.

    `str()` (and `repr()`) give the text form, one line per equation; `to_dot()` the Graphviz
    DOT text; `render(path)` writes an SVG or PNG picture.

    Attributes:
        graph: the captured `Graph` (with `backward=True`, forward and backward in one graph).
        n_forward: how many leading equations are the forward pass; None when the graph shows
            the forward pass only, or when forward and backward could not be told apart.
        input_labels, input_kinds: a name and "input"/"parameter" per graph input.
        output_labels, output_kinds: a name and "output"/"gradient" per graph output.
        title: the caption of the picture.
    """

    def __init__(
        self,
        graph: Graph,
        *,
        input_labels,
        input_kinds,
        output_labels,
        output_kinds,
        n_forward=None,
        backward=False,
        title=None,
    ) -> None:
        self.graph = graph
        self.input_labels = list(input_labels)
        self.input_kinds = list(input_kinds)
        self.output_labels = list(output_labels)
        self.output_kinds = list(output_kinds)
        self.n_forward = n_forward
        self.backward = backward
        self.title = title

    def __str__(self) -> str:
        names: dict[Var, str] = {}
        for v, label in zip(self.graph.inputs, self.input_labels):
            names[v] = _token(label)
        for o, label in zip(self.graph.outputs, self.output_labels):
            if type(o) is Var and o not in names:
                names[o] = _token(label)
        headings = {}
        if self.n_forward is not None:
            headings[0] = "forward"
            headings[self.n_forward] = "backward"
        elif self.backward:
            headings[0] = "forward and backward (not told apart)"
        return format_graph(self.graph, names=names, headings=headings)

    __repr__ = __str__

    def to_dot(self) -> str:
        """The Graphviz DOT text of the picture (needs nothing installed)."""
        return graph_to_dot(
            self.graph,
            input_labels=self.input_labels,
            input_kinds=self.input_kinds,
            output_labels=self.output_labels,
            output_kinds=self.output_kinds,
            n_forward=self.n_forward,
            title=self.title,
        )

    def render(self, path: str | Path, format: str | None = None) -> Path:
        """Write the picture to `path`: SVG, PNG, PDF or JPG by the extension (or `format`);
        `.dot`/`.gv` write the DOT text. The file is replaced atomically.

        Raises:
            GraphvizNotFoundError: when Graphviz's `dot` program is not installed.
            ValueError: when the format is unknown.
        """
        return render_dot(self.to_dot(), path, format)

    def _repr_svg_(self):
        """The picture inline in Jupyter; None (the text form is shown) without Graphviz."""
        try:
            return run_dot(self.to_dot(), "svg").decode("utf-8")
        except (GraphvizNotFoundError, RuntimeError):
            return None


def make_graph(
    fn: Callable[..., Any],
    *args: Any,
    backward: bool = False,
    grad_position: int | tuple[int, ...] | None = 0,
    weights: Any = None,
    **kwargs: Any,
) -> GraphView:
    """Capture `fn(*args, **kwargs)` as a graph to print or draw (a minispore addition).

    The function runs (twice with `backward`) on the given inputs, as `jit` captures it; the
    Parameters it assigns and the random generator are put back afterwards, so drawing a
    training step changes nothing.

    Args:
        fn: a function or a Cell taking and returning Tensors.
        *args: the inputs to capture the graph with (their shapes and dtypes matter).
        backward: also capture the backward pass of
            `value_and_grad(fn, grad_position, weights)` and show it beside the forward pass.
        grad_position: as for `value_and_grad`: the inputs to differentiate (with `backward`).
        weights: as for `value_and_grad`: Parameters to differentiate (with `backward`).
        **kwargs: keyword inputs passed on to `fn`.

    Returns:
        A `GraphView`: `print()` it for the text form, `.to_dot()` for the DOT text,
        `.render("graph.svg")` for a picture. Inputs are named after `fn`'s arguments and
        Parameters after their `name`; outputs after the variables `fn` returns when its
        source is available (`return loss` gives "loss"), else `out`, `out0`, ...; gradients
        `∂loss/∂w`.

    Raises:
        TypeError: when `fn` is not callable; CaptureError when `fn` needs a Tensor's value
            (Python control flow on it); what `value_and_grad` raises for bad positions or
            weights.

    Example:
        >>> g = make_graph(function, x, y, w, b, backward=True, grad_position=(2, 3))
        >>> print(g)
        >>> g.render("graph.svg")
    """
    if not callable(fn):
        raise TypeError(
            f"For 'make_graph', fn must be a function or a Cell, but got {type(fn).__name__}"
        )
    title = _title(fn)
    with _no_side_effects():
        fwd = _capture(fn, args, kwargs)
        joint = None
        if backward:
            joint = _capture(value_and_grad(fn, grad_position, weights), args, kwargs)
    out_labels = _output_labels(fn, fwd)
    n_out = fwd.meta["n_results"]
    if joint is None:
        in_labels, in_kinds = _input_labels(fn, fwd)
        return GraphView(
            fwd,
            input_labels=in_labels,
            input_kinds=in_kinds,
            output_labels=out_labels,
            output_kinds=[OUTPUT] * len(fwd.outputs),
            title=title,
        )

    in_labels, in_kinds = _input_labels(fn, joint)
    n_forward = forward_prefix(fwd, joint)
    if n_forward is None:
        warnings.warn(
            f"make_graph: the first equations of the graph of value_and_grad({title}) are not "
            "those of its forward graph, so forward and backward are drawn as one graph",
            RuntimeWarning,
            stacklevel=2,
        )
    values = out_labels[:n_out]
    of = values[0] if len(values) == 1 else "(" + "+".join(values) + ")"
    n_grad = joint.meta["n_results"] - n_out
    grad_labels = [f"∂{of}/∂{name}" for name in _grad_targets(fn, args, grad_position, weights)]
    if len(grad_labels) != n_grad:  # not one graph output per gradient: number them
        grad_labels = [f"∂{of}/∂[{i}]" for i in range(n_grad)]
    assigned = _assigned_labels(joint)
    return GraphView(
        joint,
        input_labels=in_labels,
        input_kinds=in_kinds,
        output_labels=values + grad_labels + assigned,
        output_kinds=[OUTPUT] * n_out + [GRADIENT] * n_grad + [OUTPUT] * len(assigned),
        n_forward=n_forward,
        backward=True,
        title=f"{title} and its backward pass (value_and_grad)",
    )


def forward_prefix(fwd: Graph, joint: Graph) -> int | None:
    """`len(fwd.eqns)` when `joint` starts with the equations of `fwd` (same primitives, params,
    operands and types; Parameter inputs matched by identity, the others by position); else
    None."""
    k = len(fwd.eqns)
    if len(joint.eqns) < k or len(fwd.inputs) > len(joint.inputs):
        return None
    fwd_src = fwd.meta.get("inputs_src", {})
    joint_index = {id(p): i for i, p in joint.meta.get("inputs_src", {}).items()}
    match: dict[int, Var] = {}
    for i, v in enumerate(fwd.inputs):
        j = joint_index.get(id(fwd_src[i])) if i in fwd_src else i
        if j is None:
            return None
        match[id(v)] = joint.inputs[j]
    for a, b in zip(fwd.eqns, joint.eqns[:k]):
        if a.prim is not b.prim or not _same_type(a.out, b.out) or len(a.inputs) != len(b.inputs):
            return None
        try:
            if a.params != b.params:
                return None
        except ValueError:  # array-valued params: ambiguous truth value
            return None
        for x, y in zip(a.inputs, b.inputs):
            if type(x) is Var:
                if type(y) is not Var or match.get(id(x)) is not y:
                    return None
            elif type(y) is Var or not _same_type(x, y):
                return None
        match[id(a.out)] = b.out
    return k


def _capture(fn, args, kwargs) -> Graph:
    graph, _ = capture(fn, args, kwargs)
    return graph


class _no_side_effects:
    """Puts back, on exit, every live Parameter's data and the random generator's state: the
    captures run the function for real, and a training step would otherwise update the model."""

    def __enter__(self):
        rng = get_generator()
        self.rng_state = (rng, rng.bit_generator.state)  # a fresh dict
        self.saved = [
            (p, p._value, p._value.copy())
            for p in live_parameters()
            if type(p._value) is np.ndarray
        ]

    def __exit__(self, *exc):
        rng, state = self.rng_state
        rng.bit_generator.state = state
        set_generator(rng)
        for p, array, data in self.saved:
            p._value = array
            if array.flags.writeable:
                np.copyto(array, data)
        return False


def _input_labels(fn, graph):
    """A label and a kind per graph input: Parameters by name, arguments by `fn`'s argument
    names (`xs[1]` for a leaf inside an argument, the key for a keyword argument)."""
    meta = graph.meta
    in_tree, in_leaves = meta["in_tree"], meta["in_leaves"]
    args_def, kwargs_def = in_tree.children
    paths = []

    def walk(d, path):
        if d.kind == "leaf":
            paths.append(path)
        elif d.kind == "dict":
            for key, c in zip(d.meta[1], d.children):
                walk(c, f"{path}[{key!r}]")
        else:
            for i, c in enumerate(d.children):
                walk(c, f"{path}[{i}]")

    for name, c in zip(_arg_names(fn, len(args_def.children)), args_def.children):
        walk(c, name)
    for key, c in zip(kwargs_def.meta[1], kwargs_def.children):
        walk(c, str(key))
    labels = [v.name or f"in{i}" for i, v in enumerate(graph.inputs)]
    for (kind, i), path in zip(in_leaves, paths):
        if kind == "input":
            labels[i] = path
    params = set(meta["param_inputs"])
    kinds = [PARAMETER if i in params else INPUT for i in range(len(graph.inputs))]
    return labels, kinds


def _output_labels(fn, graph) -> list[str]:
    """A label per graph output of the forward graph: the returned variables' names, then
    `new w` for each Parameter `w` the function assigns."""
    out_leaves = graph.meta["out_leaves"]
    names = _return_names(fn, len(out_leaves))
    if names is None:
        names = ["out"] if len(out_leaves) == 1 else [f"out{i}" for i in range(len(out_leaves))]
    labels = [name for (kind, _), name in zip(out_leaves, names) if kind == "output"]
    return labels + _assigned_labels(graph)


def _assigned_labels(graph) -> list[str]:
    return [f"new {p.name}" for p, _ in graph.meta["assigns"]]


def _grad_targets(fn, args, grad_position, weights) -> list[str]:
    """Names of what `value_and_grad(fn, grad_position, weights)` differentiates, in order."""
    weight_list, _ = _weights(weights)
    positions, _ = _positions(grad_position, len(args), weights)
    arg_names = _arg_names(fn, len(args))
    names = [args[p].name if isinstance(args[p], Parameter) else arg_names[p] for p in positions]
    return names + [w.name for w in weight_list]


def _arg_names(fn, n) -> list[str]:
    """Names of the first `n` positional arguments of `fn` (of `construct` for a Cell)."""
    target = getattr(fn, "construct", fn)
    names: list[str] = []
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        sig = None
    if sig is not None:
        for p in sig.parameters.values():
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                names.append(p.name)
            elif p.kind is p.VAR_POSITIONAL:
                names.extend(f"{p.name}[{i}]" for i in range(max(n - len(names), 0)))
    names = names[:n]
    return names + [f"arg{i}" for i in range(len(names), n)]


def _return_names(fn, n) -> list[str] | None:
    """The variables `fn` returns (`return loss, z` gives ["loss", "z"]) when every `return`
    of its source names the same `n` variables; None when the source or the names are unclear."""
    target = inspect.unwrap(getattr(fn, "construct", fn))
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(target)))
    except (OSError, TypeError, SyntaxError, ValueError):
        return None
    func = tree.body[0] if tree.body else None
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    found = set()
    todo = list(func.body)
    while todo:  # walk the body, but not nested functions, lambdas or classes
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return):
            v = node.value
            elts = v.elts if isinstance(v, ast.Tuple) else [v]
            if not all(isinstance(e, ast.Name) for e in elts):
                return None
            found.add(tuple(e.id for e in elts))
        todo.extend(ast.iter_child_nodes(node))
    if len(found) != 1:
        return None
    (names,) = found
    return list(names) if len(names) == n else None


def _title(fn) -> str:
    """`function(x, y, w, b)` or `Net.construct(x)`: the name and the argument names only."""
    construct = getattr(fn, "construct", None)
    if construct is not None:
        name, target = f"{type(fn).__name__}.construct", construct
    else:
        base = getattr(fn, "func", fn)  # functools.partial
        name, target = getattr(base, "__name__", None) or type(fn).__name__, fn
    try:
        params = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return name
    stars = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return f"{name}({', '.join(stars.get(p.kind, '') + p.name for p in params)})"


def _same_type(a, b) -> bool:
    return tuple(a.shape) == tuple(b.shape) and a.dtype == b.dtype


def _token(label: str) -> str:
    """A label as one token of the text form (no spaces)."""
    return "_".join(str(label).split()) or "_"
