"""Captured graphs: variables, equations and the `Graph` that holds them (core layer).

A `Graph` is straight-line code. `inputs` are `Var`s, each `Equation` applies one primitive to
`Var`s and `Const`s and defines one new `Var` (every primitive has exactly one output), and
`outputs` lists `Var`s or `Const`s. Equations are in creation order, which is topological.
`run_graph` replays a graph through the primitives' `bind`, so a captured function composes with
every transform; compiled execution over raw arrays lives in `minispore/compiler/`.

The text form (`str(graph)`) prints one line per equation, in the manner of a jaxpr:

    { lambda a:f32[3] b:f32[3] ; let
        c:f32[3] = mul a b
        d:f32[] = reduce_sum c axis=None keepdims=False
      in (d,) }
"""

from __future__ import annotations

from typing import Any

import numpy as np

_SHORT_DTYPES = {
    "float16": "f16",
    "float32": "f32",
    "float64": "f64",
    "int8": "i8",
    "int16": "i16",
    "int32": "i32",
    "int64": "i64",
    "uint8": "u8",
    "uint16": "u16",
    "uint32": "u32",
    "uint64": "u64",
    "bool": "bool",
    "complex64": "c64",
    "complex128": "c128",
}


def short_type(shape, dtype) -> str:
    """`f32[3,4]`: a value's dtype and shape as the text form prints them."""
    dt = np.dtype(dtype).name
    return f"{_SHORT_DTYPES.get(dt, dt)}[{','.join(str(n) for n in shape)}]"


class Var:
    """A value of the graph: the input it stands for or the output of one equation.

    `name` is an optional label for pictures and messages (an argument's name, a Parameter's
    name); identity, not the name, is what links equations.
    """

    __slots__ = ("shape", "dtype", "name")

    def __init__(self, shape: tuple[int, ...], dtype: Any, name: str | None = None) -> None:
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.name = name

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return f"Var({short_type(self.shape, self.dtype)}{label})"


class Const:
    """A constant operand: an ndarray or a Python scalar captured by value."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    @property
    def shape(self):
        return tuple(np.shape(self.value))

    @property
    def dtype(self):
        v = self.value
        return v.dtype if isinstance(v, np.ndarray) else np.asarray(v).dtype

    def __repr__(self) -> str:
        return f"Const({_const_text(self.value)})"


class Equation:
    """`out = prim(*inputs, **params)`."""

    __slots__ = ("prim", "inputs", "params", "out")

    def __init__(self, prim, inputs: list, params: dict, out: Var) -> None:
        self.prim = prim
        self.inputs = inputs
        self.params = params
        self.out = out

    def __repr__(self) -> str:
        return f"Equation({self.prim.name})"


class Graph:
    """Straight-line code over `Var`s: `inputs`, `eqns`, `outputs`.

    `meta` is a dict for what the producer of the graph wants to keep beside it (the input and
    output tree structures, which inputs are Parameters, assignments to Parameters, ...).
    """

    __slots__ = ("inputs", "eqns", "outputs", "meta")

    def __init__(self, inputs: list[Var], eqns: list[Equation], outputs: list, meta=None) -> None:
        self.inputs = list(inputs)
        self.eqns = list(eqns)
        self.outputs = list(outputs)
        self.meta = {} if meta is None else meta

    def __str__(self) -> str:
        return format_graph(self)

    def __repr__(self) -> str:
        return (
            f"Graph({len(self.inputs)} inputs, {len(self.eqns)} equations, "
            f"{len(self.outputs)} outputs)"
        )


def format_graph(graph: Graph, names=None, headings=None) -> str:
    """The text form of `graph`, one line per equation (what `str(graph)` prints).

    Args:
        graph: the graph to print.
        names: optional `{Var: name}` for the values to call by name (inputs, outputs); the
            others get short letter names that never clash with these.
        headings: optional `{equation index: text}`; each prints as a `# text` line before
            that equation (e.g. where the backward pass starts).
    """
    names = _Namer(names)
    headings = headings or {}
    ins = " ".join(f"{names(v)}:{short_type(v.shape, v.dtype)}" for v in graph.inputs)
    lines = [f"{{ lambda {ins} ; let"]
    for i, eq in enumerate(graph.eqns):
        if i in headings:
            lines.append(f"    # {headings[i]}")
        args = " ".join(names.operand(a) for a in eq.inputs)
        params = "".join(f" {k}={_param_text(v)}" for k, v in eq.params.items())
        out = eq.out
        lines.append(
            f"    {names(out)}:{short_type(out.shape, out.dtype)} = {eq.prim.name} {args}{params}"
        )
    outs = ", ".join(names.operand(o) for o in graph.outputs)
    lines.append(f"  in ({outs}{',' if len(graph.outputs) == 1 else ''}) }}")
    return "\n".join(lines)


def run_graph(graph: Graph, args: list | tuple) -> list:
    """Evaluate `graph` on `args` (arrays or tracers) by binding each equation's primitive."""
    env = dict(zip(graph.inputs, args, strict=True))
    for eq in graph.eqns:
        vals = [env[a] if type(a) is Var else a.value for a in eq.inputs]
        env[eq.out] = eq.prim(*vals, **eq.params)
    return [env[o] if type(o) is Var else o.value for o in graph.outputs]


class _Namer:
    """Short names a, b, ..., z, ba, bb, ... in order of first appearance, skipping the names
    given up front (`preset`: Var -> name) so that they stay unambiguous."""

    def __init__(self, preset=None):
        self.names: dict[int, str] = {}
        self.taken: set[str] = set()
        self.count = 0
        for var, name in (preset or {}).items():
            base, k = name, 1
            while name in self.taken:  # two Vars given the same name: keep them apart
                name = f"{base}_{k}"
                k += 1
            self.names[id(var)] = name
            self.taken.add(name)

    def __call__(self, var: Var) -> str:
        key = id(var)
        name = self.names.get(key)
        if name is None:
            name = _letters(self.count)
            self.count += 1
            while name in self.taken:
                name = _letters(self.count)
                self.count += 1
            self.names[key] = name
        return name

    def operand(self, a) -> str:
        if type(a) is Var:
            return self(a)
        return _const_text(a.value)


def _letters(i: int) -> str:
    s = ""
    while True:
        s = chr(ord("a") + i % 26) + s
        i //= 26
        if i == 0:
            return s


def _const_text(value) -> str:
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return f"{value.item()!r}:{short_type((), value.dtype)}"
        if value.size <= 4:
            body = np.array2string(value.ravel(), separator=",").replace(" ", "")
            return f"{body}:{short_type(value.shape, value.dtype)}"
        return f"const:{short_type(value.shape, value.dtype)}"
    if isinstance(value, np.generic):  # NumPy 2 reprs read np.float32(0.5): show 0.5:f32[]
        return f"{value.item()!r}:{short_type((), value.dtype)}"
    return repr(value)


def _param_text(v) -> str:
    if isinstance(v, np.dtype):
        return v.name
    if isinstance(v, type) and issubclass(v, np.generic):
        return np.dtype(v).name
    return repr(v)
