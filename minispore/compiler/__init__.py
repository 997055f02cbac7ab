"""The graph compiler: optimizes a captured `Graph` and turns it into straight-line NumPy code.

`compile_graph(graph)` runs the graph passes (`passes.py`), plans buffers (`buffers.py`: chains of
elementwise equations fused into one buffer by `fusion.py`, dead buffers reused with `out=`,
donated inputs and scratch buffers) and generates one Python function (`codegen.py`).
`optimize(graph)` runs the graph passes alone. See docs/compiler.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from minispore.compiler import buffers, codegen
from minispore.compiler.passes import (
    eliminate_common_subexpressions,
    eliminate_dead_code,
    fold_constants,
    simplify,
)
from minispore.core.graph import Graph, Var

__all__ = ["DEFAULT_PASSES", "GRAPH_PASSES", "compile_graph", "optimize"]

GRAPH_PASSES: dict[str, Callable[[Graph], Graph]] = {
    "simplify": simplify,
    "fold": fold_constants,
    "cse": eliminate_common_subexpressions,
    "dce": eliminate_dead_code,
}
# "fuse", "reuse", "donate" and "scratch" are not graph passes: they steer the buffer plan of
# the generated code (see buffers.py).
_CODEGEN_PASSES = ("fuse", "reuse", "donate", "scratch")
DEFAULT_PASSES = ("simplify", "fold", "cse", "dce", "fuse", "reuse", "donate", "scratch")

_MAX_ROUNDS = 4


def optimize(graph: Graph, passes: Sequence[str | Callable] = DEFAULT_PASSES) -> Graph:
    """Apply the graph passes named in `passes`, in order, until the graph stops shrinking.

    Args:
        graph: the graph; it is not modified.
        passes: names from `GRAPH_PASSES` ("simplify", "fold", "cse", "dce") or functions from
            `Graph` to `Graph`; the codegen options "fuse" and "reuse" are ignored here.

    Returns:
        A new `Graph` computing the same outputs, with `graph.meta` carried over.

    Raises:
        ValueError: a pass name is unknown.
    """
    chosen = _graph_passes(passes)
    for _ in range(_MAX_ROUNDS):
        before = len(graph.eqns)
        for fn in chosen:
            graph = fn(graph)
        if len(graph.eqns) == before:
            break
    return graph


def compile_graph(graph: Graph, passes: Sequence[str | Callable] | None = None):
    """Compile `graph` into `run(*arrays) -> list` of its outputs, in `graph.outputs` order.

    `run` takes plain arrays, one per `graph.inputs`, and returns arrays allocated by that call
    (or its inputs themselves, where the graph returns an input), so outputs stay valid after
    later calls. It never writes into its inputs, except those that `graph.meta["donate"]`
    (`{output index: input index}`) gives up: such an input's array may come back holding its
    output's value (see `buffers.plan`). Its source is `run.source`, the optimized graph
    `run.graph`, and `run.stats` counts what each stage did.

    Args:
        graph: the graph; it is not modified.
        passes: `DEFAULT_PASSES` when None: the graph passes of `GRAPH_PASSES`, and "fuse",
            "reuse", "donate", "scratch" for the buffer plan; `()` compiles the graph as it is,
            one call per equation, each result in a fresh array.

    Example:
        >>> run = compile_graph(graph)
        >>> outputs = run(*arrays)
        >>> print(run.source)

    Raises:
        ValueError: a pass name is unknown, or the graph reads a value before it is defined,
            defines one twice, or lists an input twice.
    """
    passes = DEFAULT_PASSES if passes is None else tuple(passes)
    _check(graph)
    stats = {"equations": len(graph.eqns)}
    chosen = _graph_passes(passes)
    for _ in range(_MAX_ROUNDS):
        before = len(graph.eqns)
        for fn in chosen:
            n = len(graph.eqns)
            graph = fn(graph)
            name = getattr(fn, "__name__", "pass")
            stats[name] = stats.get(name, 0) + n - len(graph.eqns)
        if len(graph.eqns) == before:
            break
    steps = buffers.plan(
        graph,
        fuse="fuse" in passes,
        reuse="reuse" in passes,
        donate="donate" in passes,
        scratch="scratch" in passes,
    )
    stats["optimized"] = len(graph.eqns)
    stats["fused"] = sum(s.kind == "fuse" for s in steps)
    stats["reused"] = sum(s.kind == "reuse" for s in steps)
    stats["donated"] = sum(s.kind == "donate" for s in steps)
    stats["scratch"] = sum(s.kind == "scratch" for s in steps)
    run = codegen.generate(graph, steps)
    run.graph = graph
    run.stats = stats
    return run


def _check(graph: Graph) -> None:
    """Refuse a graph that is not straight-line code over its inputs."""
    defined: set[Var] = set()
    for v in graph.inputs:
        if v in defined:
            raise ValueError(f"For 'compile_graph', the input {v!r} is listed twice")
        defined.add(v)
    for k, eq in enumerate(graph.eqns):
        for a in eq.inputs:
            if type(a) is Var and a not in defined:
                raise ValueError(
                    f"For 'compile_graph', equation {k} ({eq.prim.name}) reads {a!r}, which is "
                    "neither an input nor the result of an earlier equation"
                )
        if eq.out in defined:
            raise ValueError(
                f"For 'compile_graph', equation {k} ({eq.prim.name}) redefines {eq.out!r}"
            )
        defined.add(eq.out)
    for o in graph.outputs:
        if type(o) is Var and o not in defined:
            raise ValueError(f"For 'compile_graph', the output {o!r} is never computed")


def _graph_passes(passes) -> list[Callable[[Graph], Graph]]:
    chosen = []
    for p in passes:
        if callable(p):
            chosen.append(p)
        elif p in GRAPH_PASSES:
            chosen.append(GRAPH_PASSES[p])
        elif p not in _CODEGEN_PASSES:
            known = ", ".join([*GRAPH_PASSES, *_CODEGEN_PASSES])
            raise ValueError(f"For 'compile_graph', unknown pass {p!r}; the passes are {known}")
    return chosen
