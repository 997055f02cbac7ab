"""`jit`: capture a function once per input signature, cache the graph, replay it (layer 3).

The first call with a new signature runs the function under a capture trace
(`core/capture.py`) and returns that run's results; the graph is cached under the signature.
Later calls with the same signature replay the graph: as compiled straight-line NumPy code
(`minispore.compiler`) when no transform traces the call, or through `bind` (`run_graph`) when
one does, so that `grad`, `vjp`, `jvp` and `vmap` see every primitive. Parameters the function
reads are graph inputs, read afresh at every call; Parameters it assigns are written back, in
place, after every call.
"""

from __future__ import annotations

import functools
from collections import namedtuple
from collections.abc import Callable
from typing import Any

import numpy as np

from minispore.core.capture import capture, write_back
from minispore.core.graph import run_graph
from minispore.core.primitive import _capturing, concrete
from minispore.core.trace import _stack
from minispore.core.tree import LEAF, tree_flatten, tree_unflatten
from minispore.parameter import Parameter
from minispore.tensor import Tensor, _wrap

__all__ = ["jit"]

CacheInfo = namedtuple("CacheInfo", ["hits", "misses", "currsize"])

_ndarray = np.ndarray
_generic = np.generic
_CONTAINERS = (tuple, list, dict)
_TREE_OR_TENSOR = (Tensor, tuple, list, dict)  # subclasses too (named tuples, Parameters)


def jit(
    function: Callable | None = None,
    *,
    capture_mode: str = "ast",
    jit_level: str = "O0",
    dynamic: int = 0,
    fullgraph: bool = False,
    backend: str = "",
    **options: Any,
):
    """Run a function (or Cell) as a captured graph, MindSpore's `mindspore.jit`.

    Use it as `@jit`, `@jit(...)`, `jit(fn)`, or on `Cell.construct` and other methods. The
    first call with a new input signature runs the function once while recording every
    primitive into a graph, and returns that run's results; later calls with the same signature
    replay the graph (compiled to straight-line NumPy code when no transform is active).

    The cache key is the signature of the call: the tree structure of the arguments (tuples,
    lists, dicts), each Tensor's shape and dtype, every non-Tensor argument by value and type
    (it is static: `f(x, 2)` and `f(x, 3)` are two graphs; an unhashable one, e.g. a NumPy
    array, raises TypeError), a Parameter passed as an argument by identity, and the `training`
    flag of every Cell the function belongs to, receives, or reads from its closure or module
    globals (and of their sub-cells). On replay, the shape, dtype and `requires_grad` of each
    Parameter the graph reads are checked too: a Parameter given a new shape by `set_data`, or
    frozen, means a new capture.
    `fn.cache_info()` gives `(hits, misses, currsize)`; `fn.graphs()` the cached graphs.

    Parameters read by the function are graph inputs, read at every call, so an optimizer step
    between calls is seen. A Parameter the function assigns (`ops.assign`, `set_data`,
    `assign_value`, an optimizer step) is updated by every call, in place.

    NOTE: differences from MindSpore. The graph is captured by running the function, not by
    parsing its source (`capture_mode`, `jit_level`, `dynamic`, `fullgraph`, `backend` and
    `options` are checked as MindSpore checks them, and change nothing). Python control flow
    on Tensor values (`if x > 0:`, `float(x)`, `x.asnumpy()`) raises `CaptureError` instead of
    being compiled: use `ops.where`, or pass the value as a static Python scalar.
    Python side effects (`print`, appending to a list) happen at capture only. Value checks
    that the library makes on inputs (index bounds, label ranges) run at capture only.
    Globals and closures are read when the graph is captured: a global rebound later to a new
    Cell is not seen (MindSpore's `hash_args` has the same limit).

    Args:
        function: the function or Cell; None returns a decorator.
        capture_mode: 'ast', 'bytecode' or 'trace' (all capture by running the function).
        jit_level: 'O0' or 'O1'.
        dynamic: 0 or 1.
        fullgraph: bool.
        backend: accepted for compatibility.
        **options: accepted for compatibility.

    Returns:
        The jitted function, or a decorator when `function` is None.

    Raises:
        ValueError, TypeError: an option out of range (as MindSpore), or `function` not callable.

    Example:
        >>> @jit
        ... def step(x, y):
        ...     return ops.matmul(x, y).sum()
        >>> step(Tensor(np.ones((2, 3), np.float32)), Tensor(np.ones((3, 4), np.float32)))
    """
    _check_options(capture_mode, jit_level, dynamic, fullgraph)

    def wrap(fn):
        if not callable(fn):
            raise TypeError(
                f"For 'jit', 'function' must be a function or a Cell, but got {type(fn).__name__}"
            )
        return _make_jitted(fn)

    return wrap if function is None else wrap(function)


def _check_options(capture_mode, jit_level, dynamic, fullgraph):
    # MindSpore 2.10's messages.
    if not isinstance(capture_mode, str) or capture_mode not in ("ast", "bytecode", "trace"):
        raise ValueError(
            "For 'jit', the 'capture_mode' must be str and must be in "
            f"'['ast', 'bytecode', 'trace']', but got {capture_mode!r}."
        )
    if not isinstance(jit_level, str) or jit_level not in ("O0", "O1"):
        raise ValueError(
            f"For 'jit', the 'jit_level' must be str and must be in '['O0', 'O1']', but got "
            f"{jit_level!r}."
        )
    if isinstance(dynamic, bool) or not isinstance(dynamic, int):
        raise TypeError(f"For 'jit', the 'dynamic' must be int, but got {type(dynamic).__name__}.")
    if dynamic not in (0, 1):
        raise ValueError(
            f"For 'jit', the 'dynamic' must be in range of [0, 1], but got {dynamic} with type "
            "'int'."
        )
    if not isinstance(fullgraph, bool):
        raise TypeError(
            f"For 'jit', the 'fullgraph' must be a bool, but got {type(fullgraph).__name__}."
        )


# ---- the cache entry ---------------------------------------------------------------------------


class _Entry:
    """One captured graph and what a replay needs."""

    __slots__ = (
        "graph",
        "_run",
        "params",
        "types",
        "assigns",
        "out_tree",
        "out_leaves",
        "single",
    )

    def __init__(self, graph):
        meta = graph.meta
        self.graph = graph
        self._run = None
        self.params = meta["params"]
        n_args = meta["n_args"]
        # What a replay checks on each Parameter read: its shape, dtype and requires_grad (grad
        # inside the function treats a frozen weight differently).
        self.types = [
            (v.shape, v.dtype, p.requires_grad) for p, v in zip(self.params, graph.inputs[n_args:])
        ]
        self.assigns = meta["assigns"]
        self.out_tree = meta["out_tree"]
        self.out_leaves = meta["out_leaves"]
        # The common case: the function returns one Tensor.
        self.single = self.out_tree == LEAF and self.out_leaves[0] == ("output", 0)

    @property
    def run(self):
        """The graph compiled for raw arrays (compiled on first use, then kept)."""
        run = self._run
        if run is None:
            run = self._run = _compile(self.graph)
        return run

    def build(self, outs):
        """The function's output from the graph's output values."""
        if self.single:
            return _wrap(outs[0])
        leaves = []
        for kind, x in self.out_leaves:
            if kind == "output":
                leaves.append(_wrap(outs[x]))
            else:  # "param": the Parameter itself, "static": the captured value
                leaves.append(x)
        return tree_unflatten(self.out_tree, leaves)


def _compile(graph):
    try:
        from minispore.compiler import compile_graph
    except ImportError:  # the compiler is optional: replay through bind
        return lambda *arrays: run_graph(graph, arrays)
    return compile_graph(graph)


# ---- the jitted function -----------------------------------------------------------------------


def _make_jitted(fn):
    cache: dict = {}
    stats = [0, 0]  # hits, misses
    watch = _CellWatch(fn)
    name = getattr(fn, "__qualname__", None) or type(fn).__name__

    def call_slow(args, kwargs, key=None, vals=None):
        if key is None:
            key, vals = _generic_key(args, kwargs, watch, name)
        entry = cache.get(key)
        if entry is not None and not _params_fit(entry):
            entry = None  # a Parameter changed shape or dtype: capture again
        if entry is None:
            stats[1] += 1
            graph, out = capture(fn, args, kwargs)
            if not graph.meta["foreign"]:
                cache[key] = _Entry(graph)
            return out
        stats[0] += 1
        if _stack:
            return _replay_traced(entry, vals)
        return _replay(entry, [concrete(v) for v in vals])

    def jitted(*args, **kwargs):
        if _capturing:  # inside another capture: trace straight through
            return fn(*args, **kwargs)
        if kwargs:
            return call_slow(args, kwargs)
        # The fast path: a flat key of Tensor shapes and dtypes and static values.
        key = []
        vals = []
        plain = True
        for a in args:
            t = type(a)
            if t is Tensor:
                v = a._value
                key.append(v.shape)
                key.append(v.dtype)
                vals.append(v)
                if type(v) is not _ndarray:
                    plain = False
            elif t is Parameter:
                # As in the generic key: by identity (the cached graph holds the Parameter, so
                # the id cannot be reused); its value is read with the graph's other Parameters.
                key.append(("Parameter", id(a)))
            elif t in _CONTAINERS or isinstance(a, _TREE_OR_TENSOR):
                return call_slow(args, kwargs)
            else:
                key.append((t, a))
                if watch.is_cell_type(t):
                    key.append(watch.flags_of(a))
        flat = watch.flat
        if flat is None:
            flat = watch.discover()
        if flat:
            key.append(tuple([c.training for c in flat]))
        key = tuple(key)
        try:
            entry = cache.get(key)
        except TypeError:
            raise _unhashable(args, {}, name) from None
        if entry is None or _stack or not plain:
            return call_slow(args, kwargs, key, vals)
        # Replay on raw arrays: the Parameters' current values follow the arguments.
        n = len(vals)
        for p, (shape, dtype, rg) in zip(entry.params, entry.types):
            v = p._value
            if type(v) is not _ndarray or v.shape != shape or v.dtype != dtype:
                return call_slow(args, kwargs, key, vals[:n])
            if p.requires_grad is not rg:
                return call_slow(args, kwargs, key, vals[:n])
            vals.append(v)
        stats[0] += 1
        run = entry._run
        outs = run(*vals) if run is not None else entry.run(*vals)
        if entry.assigns:
            _write_back(entry, outs)
        if entry.single:
            return _wrap(outs[0])
        return entry.build(outs)

    def cache_info():
        """`(hits, misses, currsize)` of this jitted function's graph cache."""
        return CacheInfo(stats[0], stats[1], len(cache))

    def cache_clear():
        """Drop every cached graph and reset the counts."""
        cache.clear()
        stats[0] = stats[1] = 0

    def graphs():
        """The cached graphs, in the order they were captured."""
        return [e.graph for e in cache.values()]

    functools.update_wrapper(jitted, fn, updated=())
    jitted.cache_info = cache_info
    jitted.cache_clear = cache_clear
    jitted.graphs = graphs
    return jitted


def _params_fit(entry) -> bool:
    """Do the Parameters the graph reads still have the shapes, dtypes and requires_grad it was
    captured with?"""
    for p, (shape, dtype, rg) in zip(entry.params, entry.types):
        v = p._value
        if tuple(v.shape) != shape or v.dtype != dtype or p.requires_grad is not rg:
            return False
    return True


def _replay(entry, vals):
    """Replay on raw arrays with the compiled graph; write assigned Parameters back."""
    vals = vals + [concrete(p._value) for p in entry.params]
    outs = entry.run(*vals)
    if entry.assigns:
        _write_back(entry, outs)
    return entry.build(outs)


def _replay_traced(entry, vals):
    """Replay through `bind`, so that the active transforms see every primitive."""
    outs = run_graph(entry.graph, list(vals) + [p._value for p in entry.params])
    for p, i in entry.assigns:
        write_back(p, p._value, outs[i])
    return entry.build(outs)


def _write_back(entry, outs):
    assigns = entry.assigns
    if len(assigns) == 1:
        p, i = assigns[0]
        write_back(p, p._value, outs[i])
        return
    # A new value that is a view may share memory with a Parameter written before it is read.
    news = []
    for p, i in assigns:
        new = outs[i]
        if getattr(new, "base", None) is not None:
            new = new.copy()
        news.append((p, new))
    for p, new in news:
        write_back(p, p._value, new)


# ---- cache keys ----------------------------------------------------------------------------------


def _is_tensor(x):
    return isinstance(x, Tensor)


def _generic_key(args, kwargs, watch, name):
    """The key of any call: the tree structure, then one entry per leaf; and the argument values
    that are graph inputs."""
    leaves, treedef = tree_flatten((tuple(args), dict(kwargs)), _is_tensor)
    key = [treedef]
    vals = []
    for x in leaves:
        if isinstance(x, Parameter):
            key.append(("Parameter", id(x)))
        elif isinstance(x, Tensor):
            v = x._value
            key.append(tuple(v.shape))
            key.append(v.dtype)
            vals.append(v)
        else:
            t = type(x)
            key.append((t, x))
            if watch.is_cell_type(t):
                key.append(watch.flags_of(x))
    flat = watch.flat if watch.flat is not None else watch.discover()
    if flat:
        key.append(tuple([c.training for c in flat]))
    key = tuple(key)
    try:
        hash(key)
    except TypeError:
        raise _unhashable(args, kwargs, name) from None
    return key, vals


def _unhashable(args, kwargs, name):
    leaves, treedef = tree_flatten((tuple(args), dict(kwargs)), _is_tensor)
    for x in leaves:
        if isinstance(x, Tensor):
            continue
        try:
            hash(x)
        except TypeError:
            hint = (
                "wrap NumPy arrays in Tensor(...) so that they become graph inputs"
                if isinstance(x, np.ndarray)
                else "pass a hashable value (a tuple, not a set) or a Tensor"
            )
            return TypeError(
                f"For 'jit' of '{name}', a non-Tensor argument of type {type(x).__name__} is not "
                f"hashable: jit keys its graph cache on the values of non-Tensor arguments; {hint}"
            )
    return TypeError(f"For 'jit' of '{name}', an argument is not hashable")


class _CellWatch:
    """The Cells whose `training` flag keys the cache: those `fn` belongs to or reads from its
    closure and globals (found at the first call), and Cells passed as arguments."""

    def __init__(self, fn):
        self.fn = fn
        self.flat = None  # the cells to watch, found at the first call
        self._kinds: dict = {}  # type of a static argument -> is it a Cell type?
        self._trees: dict = {}  # id(cell) -> (cell, its cells)

    def discover(self) -> list:
        """Find the cells `fn` is, belongs to, or reads (with their sub-cells); keep them."""
        flat = []
        seen = set()
        for root in _find_cells(self.fn):
            for c in _tree(root):
                if id(c) not in seen:
                    seen.add(id(c))
                    flat.append(c)
        self.flat = flat
        return flat

    def is_cell_type(self, t) -> bool:
        kind = self._kinds.get(t)
        if kind is None:
            kind = self._kinds[t] = _is_cell_type(t)
        return kind

    def flags_of(self, cell):
        entry = self._trees.get(id(cell))
        if entry is None or entry[0] is not cell:
            entry = self._trees[id(cell)] = (cell, _tree(cell))
        return tuple([c.training for c in entry[1]])


def _is_cell_type(t) -> bool:
    # Duck-typed: the transforms do not import nn.
    return hasattr(t, "cells_and_names") and hasattr(t, "set_train")


def _is_cell(x) -> bool:
    return _is_cell_type(type(x))


def _tree(cell):
    return [c for _, c in cell.cells_and_names()]


def _find_cells(fn) -> list:
    """The Cells `fn` is, belongs to, or reads from its closure or module globals."""
    found = []
    seen = set()

    def add(x):
        if _is_cell(x) and id(x) not in seen:
            seen.add(id(x))
            found.append(x)

    todo = [fn]
    visited = set()
    while todo:
        f = todo.pop()
        if id(f) in visited:
            continue
        visited.add(id(f))
        add(f)
        if isinstance(f, functools.partial):
            todo.append(f.func)
            for a in list(f.args) + list(f.keywords.values()):
                add(a)
            continue
        owner = getattr(f, "__self__", None)
        if owner is not None:
            add(owner)
            f = getattr(f, "__func__", f)
        wrapped = getattr(f, "__wrapped__", None)
        if wrapped is not None:
            todo.append(wrapped)
        code = getattr(f, "__code__", None)
        if code is None:
            continue
        for cell in getattr(f, "__closure__", None) or ():
            try:
                v = cell.cell_contents
            except ValueError:  # an empty closure cell
                continue
            add(v)
            if callable(v) and not _is_cell(v):
                todo.append(v)
        g = getattr(f, "__globals__", {})
        for n in code.co_names:
            if n in g:
                v = g[n]
                add(v)
                # A user's helper function may read Cells too (minispore's own functions do not).
                if getattr(v, "__code__", None) is not None and not str(
                    getattr(v, "__module__", "")
                ).startswith("minispore"):
                    todo.append(v)
    return found
