"""Code generation: a graph becomes the source of one Python function with one NumPy call per
equation, compiled with `compile()` (compiler).

Implementations, constants and non-literal parameters are bound as closure variables, so each
statement costs a local load and a call. Values are named as in the graph's text form; the
source is kept on the function (`run.source`) and registered with `linecache`, so tracebacks
show the generated line. An error inside the function is re-raised naming the primitive and its
operands' shapes and dtypes, as an eager call would.
"""

from __future__ import annotations

import itertools
import keyword
import linecache
import math
import operator
import threading

import numpy as np

from minispore.compiler.buffers import Step
from minispore.core.graph import Graph, Var, _Namer
from minispore.core.primitive import _explain

_counter = itertools.count()
# Names the generated function uses itself; bound implementations and constants avoid them.
_RESERVED = frozenset({"_bad", "_e", "_fail", "_fallback", "_lock", "_make", "_shared"})


def generate(graph: Graph, steps: list[Step]):
    """Compile `graph` with its buffer plan `steps`; return `run(*arrays) -> list`.

    Where the plan keeps scratch buffers, `run` holds them under a lock; a call that finds it
    taken (another thread, or a call from inside a call) runs a second compiled version that
    allocates those buffers afresh.
    """
    if not any(st.kind == "scratch" for st in steps):
        return _generate(graph, steps, None)
    return _generate(graph, steps, _generate(graph, steps, None))


def _generate(graph: Graph, steps: list[Step], fallback):
    """The function itself: with scratch buffers when `fallback` (the version without) is given."""
    names = _Namer()
    env: dict[str, object] = {}
    by_id: dict[int, str] = {}

    def bind(value, hint: str) -> str:
        key = id(value)
        name = by_id.get(key)
        if name is None:
            name = f"_{_identifier(hint)}"
            base, k = name, 1
            while name in env or name in _RESERVED:
                k += 1
                name = f"{base}{k}"
            env[name] = value
            by_id[key] = name
        return name

    def var(v: Var) -> str:
        name = names(v)
        return name + "_" if keyword.iskeyword(name) else name

    def operand(a) -> str:
        if type(a) is Var:
            return var(a)
        return _literal(a.value) or bind(a.value, "k")

    args = ", ".join(var(v) for v in graph.inputs)
    lines = [f"def run({args}):"]
    donated = [st.target for st in steps if st.kind == "donate"]
    if donated:
        # A donated array is written only if it is the caller's to give: an array of its own,
        # writeable, that no other input shares. Otherwise this call works on a copy.
        env["_shared"] = _DonationGuard(tuple(graph.inputs.index(v) for v in donated))
        lines.append(f"    _bad = _shared(({args},))")
        lines.append("    if _bad:")
        for v in donated:
            k = graph.inputs.index(v)
            lines.append(f"        {var(v)} = {var(v)}.copy() if {k} in _bad else {var(v)}")
    line_eq: dict[int, int] = {}  # source line number -> equation index
    for i, (eq, step) in enumerate(zip(graph.eqns, steps, strict=True)):
        call = [operand(a) for a in eq.inputs]
        into = None
        if step.target is not None:
            into = var(step.target)
        elif step.kind == "scratch" and fallback is not None:
            into = bind(np.empty(eq.out.shape, eq.out.dtype), "scratch")
        fn = bind(eq.prim.impl, eq.prim.name)
        if into is not None:
            # NOTE: `out` by keyword: NumPy 2.4 deprecates a positional one for maximum/minimum
            call.append(f"out={into}")
        for k, v in eq.params.items():
            call.append(f"{k}={_literal(v) or bind(v, 'p')}")
        line_eq[len(lines) + 2] = i  # +1: 1-based lines, +1: the `try:` line added below
        lines.append(f"    {var(eq.out)} = {fn}({', '.join(call)})")
        if step.drop:
            lines.append(f"    del {', '.join(var(v) for v in step.drop)}")
    outs = []
    for o in graph.outputs:
        if type(o) is Var:
            outs.append(var(o))
        elif isinstance(o.value, np.ndarray):
            # A constant output is copied: the caller may write into what it gets back.
            outs.append(f"{bind(o.value, 'k')}.copy()")
        else:
            outs.append(operand(o))
    lines.append(f"    return [{', '.join(outs)}]")
    body = ["    " + line for line in lines[1:]]
    head, tail = [lines[0]], []
    if fallback is not None:
        env["_lock"], env["_fallback"] = threading.Lock(), fallback
        head += ["    if not _lock.acquire(False):", f"        return _fallback({args})"]
        tail = ["    finally:", "        _lock.release()"]
        line_shift = 2
    else:
        line_shift = 0
    line_eq = {k + line_shift: i for k, i in line_eq.items()}
    source = "\n".join(
        [*head, "    try:", *body, "    except Exception as _e:", "        _fail(_e)", *tail]
    )
    # Close over the bound names: the generated function reads them as fast closure cells.
    factory = f"def _make({', '.join(['_fail', *env])}):\n"
    factory += "\n".join("    " + line for line in source.splitlines())
    factory += "\n    return run\n"
    filename = f"<minispore-compiled-{next(_counter)}>"
    code = compile(factory, filename, "exec")
    linecache.cache[filename] = (len(factory), None, factory.splitlines(True), filename)
    namespace: dict[str, object] = {}
    exec(code, namespace)
    fail = _Failure(graph, line_eq, filename, var)
    run = namespace["_make"](fail, *env.values())
    run.source = source
    return run


def _shared(arrays: tuple, donated: tuple) -> set:
    """The positions in `donated` whose arrays must not be written: not an ndarray owning its
    memory, read-only, or sharing its memory block with another of `arrays`."""
    owners = set()
    twice = set()
    ndarray = np.ndarray
    for x in arrays:
        if type(x) is ndarray:
            base = x.base
            key = id(x) if base is None else id(base)
            if key in owners:
                twice.add(key)
            else:
                owners.add(key)
    bad = set()
    for k in donated:
        x = arrays[k]
        if type(x) is not ndarray or x.base is not None or not x.flags.writeable or id(x) in twice:
            bad.add(k)
    return bad


class _DonationGuard:
    """`_shared` for the donated positions, remembered for the arrays of the last call: in a
    training loop every call gets the same arrays (the donated ones come back as outputs)."""

    __slots__ = ("donated", "last")

    def __init__(self, donated: tuple):
        self.donated = donated
        self.last = ((), set())

    def __call__(self, arrays: tuple) -> set:
        seen, bad = self.last
        if len(seen) == len(arrays) and all(map(operator.is_, seen, arrays)):
            return bad
        bad = _shared(arrays, self.donated)
        self.last = (arrays, bad)  # one assignment: a concurrent call sees a consistent pair
        return bad


class _Failure:
    """Re-raises an error of the generated function under the failing equation's primitive."""

    def __init__(self, graph: Graph, line_eq: dict[int, int], filename: str, name_of):
        self.graph = graph
        self.line_eq = line_eq
        self.filename = filename
        self.name_of = name_of

    def __call__(self, e: Exception):
        tb = e.__traceback__
        frame_locals, lineno = {}, None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == self.filename:
                frame_locals, lineno = tb.tb_frame.f_locals, tb.tb_lineno
            tb = tb.tb_next
        # the lines of the factory are those of `run` shifted by one (`def _make`)
        i = self.line_eq.get(lineno - 1) if lineno is not None else None
        if i is None or not isinstance(e, (ValueError, TypeError, IndexError, ArithmeticError)):
            raise e
        eq = self.graph.eqns[i]
        vals = [
            frame_locals.get(self.name_of(a), a) if type(a) is Var else a.value for a in eq.inputs
        ]
        raise _explain(eq.prim, vals, eq.params, e) from None


def _identifier(hint: str) -> str:
    s = "".join(c if c.isalnum() or c == "_" else "_" for c in hint)
    return s if s and not s[0].isdigit() else f"f{s}"


def _literal(v) -> str | None:
    """Python source for `v` when it is a plain literal that reads back as the same value."""
    if v is None or type(v) is bool or type(v) is int or type(v) is str:
        return repr(v)
    if type(v) is float:
        return repr(v) if math.isfinite(v) else None
    if type(v) is tuple:
        parts = [_literal(x) for x in v]
        if any(p is None for p in parts):
            return None
        return f"({', '.join(parts)}{',' if len(parts) == 1 else ''})"
    return None
