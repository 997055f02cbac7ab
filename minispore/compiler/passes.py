"""Graph passes: each takes a `Graph` and returns a new one that computes exactly the same values.

Every pass is value-preserving bit for bit (dtypes, NaNs, signed zeros) and keeps derivatives
intact, so an optimized graph may still be replayed under `grad`, `jvp` or `vmap`. Equations of
impure primitives (random draws) are never folded, merged or dropped. The input graph is never
edited: passes build new equation lists (sharing the unchanged `Equation`s and every `Var`), and
`graph.meta` is carried over.
"""

from __future__ import annotations

import warnings

import numpy as np

from minispore.core.graph import Const, Equation, Graph, Var
from minispore.core.primitive import REGISTRY

# Constant folding keeps its result inside the compiled function for its whole life.
FOLD_MAX_BYTES = 8 << 20

_COMMUTATIVE = {
    np.add,
    np.multiply,
    np.logical_and,
    np.logical_or,
    np.logical_xor,
    np.bitwise_and,
    np.bitwise_or,
    np.bitwise_xor,
    np.equal,
    np.not_equal,
}
# NOTE: np.maximum and np.minimum are not commutative bit for bit: maximum(-0.0, 0.0) is -0.0
# but maximum(0.0, -0.0) is 0.0, and with two NaNs the first one's payload wins.


# ---- rewriting ---------------------------------------------------------------------------------


class _Rewriter:
    """Replaces uses of `Var`s by other operands, following chains of replacements."""

    def __init__(self):
        self.map: dict[Var, object] = {}

    def __call__(self, a):
        while type(a) is Var:
            b = self.map.get(a)
            if b is None:
                return a
            a = b
        return a

    def equation(self, eq: Equation) -> Equation:
        ins = [self(a) for a in eq.inputs]
        if all(x is y for x, y in zip(ins, eq.inputs)):
            return eq
        return Equation(eq.prim, ins, eq.params, eq.out)

    def graph(self, graph: Graph, eqns: list[Equation]) -> Graph:
        return Graph(graph.inputs, eqns, [self(o) for o in graph.outputs], dict(graph.meta))


# ---- dead-code elimination ---------------------------------------------------------------------


def eliminate_dead_code(graph: Graph) -> Graph:
    """Drop equations whose result no output needs (random draws are always kept)."""
    live = {o for o in graph.outputs if type(o) is Var}
    kept = []
    for eq in reversed(graph.eqns):
        if eq.out in live or not eq.prim.pure:
            kept.append(eq)
            live.update(a for a in eq.inputs if type(a) is Var)
    kept.reverse()
    return Graph(graph.inputs, kept, graph.outputs, dict(graph.meta))


# ---- constant folding --------------------------------------------------------------------------


def fold_constants(graph: Graph) -> Graph:
    """Evaluate equations of pure primitives whose operands are all constants.

    An equation is left alone when its evaluation fails or warns (NumPy's floating-point warnings
    included): it then fails or warns at run time, as it would without the compiler. Results
    above `FOLD_MAX_BYTES` are not kept. Fresh folded arrays are made read-only, so that no later
    in-place operation can change them.
    """
    rw = _Rewriter()
    eqns = []
    for eq in graph.eqns:
        eq = rw.equation(eq)
        if eq.prim.pure and all(type(a) is Const for a in eq.inputs):
            value = _try_eval(eq)
            if value is not None:
                rw.map[eq.out] = Const(value)
                continue
        eqns.append(eq)
    return rw.graph(graph, eqns)


def _try_eval(eq: Equation):
    vals = [a.value for a in eq.inputs]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(all="raise"):
                value = eq.prim.impl(*vals, **eq.params)
    except Exception:  # noqa: BLE001 - the equation then raises at run time, as it would eagerly
        return None
    if isinstance(value, np.ndarray):
        if value.nbytes > FOLD_MAX_BYTES:
            return None
        if value.base is None and not any(value is v for v in vals):
            value.flags.writeable = False
    elif not isinstance(value, np.generic):
        return None  # keep folding to array results; anything else stays an equation
    if tuple(np.shape(value)) != eq.out.shape or np.asarray(value).dtype != eq.out.dtype:
        return None  # the graph's declared type wins: never change what an output looks like
    return value


# ---- common subexpressions ---------------------------------------------------------------------


def eliminate_common_subexpressions(graph: Graph) -> Graph:
    """Merge equations that apply the same pure primitive to the same operands and parameters.

    Operands of commutative ufuncs (`add`, `mul`, logical and bitwise ones, `equal`) are compared
    as unordered pairs: `a + b` and `b + a` are the same float, bit for bit.
    """
    rw = _Rewriter()
    seen: dict = {}
    eqns = []
    for eq in graph.eqns:
        eq = rw.equation(eq)
        key = _equation_key(eq) if eq.prim.pure else None
        if key is not None:
            prev = seen.get(key)
            if prev is not None and prev.shape == eq.out.shape and prev.dtype == eq.out.dtype:
                rw.map[eq.out] = prev
                continue
            seen[key] = eq.out
        eqns.append(eq)
    return rw.graph(graph, eqns)


def _equation_key(eq: Equation):
    try:
        params = tuple(sorted((k, type(v), v) for k, v in eq.params.items()))
        hash(params)
    except TypeError:
        return None  # unhashable parameters: leave the equation alone
    ins = tuple(a if type(a) is Var else _const_key(a.value) for a in eq.inputs)
    if len(ins) == 2 and eq.prim.impl in _COMMUTATIVE:
        ins = frozenset(ins) if ins[0] != ins[1] else ins
    return (eq.prim, ins, params)


def _const_key(v):
    if isinstance(v, (bool, int, float, complex)):
        return ("py", type(v), repr(v))  # repr tells -0.0 from 0.0 and keeps NaN equal to NaN
    if isinstance(v, np.generic):
        return ("np", v.dtype.str, v.tobytes())
    if isinstance(v, np.ndarray) and v.size <= 64:
        return ("array", v.dtype.str, v.shape, v.tobytes())
    return ("id", id(v))


# ---- algebraic simplification ------------------------------------------------------------------


def simplify(graph: Graph) -> Graph:
    """Remove operations that give back their operand unchanged, and merge chained reshapes and
    transposes.

    Removed: `x * 1`, `1 * x`, `x / 1`, `x ** 1`, `x - 0`, `x + (-0.0)`, `x + 0` for integer `x`,
    `-(-x)`, reshape, broadcast or cast to what `x` already is, transpose by the identity,
    products, maxima and minima over no axis or over axes of length one, and a `broadcast_to`
    feeding an elementwise ufunc that broadcasts to the same shape by itself. Each only where the
    result keeps its exact shape and dtype. `x + 0.0` stays for floating `x`: -0.0 + 0.0 is +0.0.
    """
    rw = _Rewriter()
    producer: dict[Var, Equation] = {}
    eqns = []
    for eq in graph.eqns:
        eq = rw.equation(eq)
        if eq.prim.pure:
            new = _simplify_one(eq, producer)
            if new is not None:
                if isinstance(new, Equation):
                    eq = new
                else:
                    rw.map[eq.out] = new
                    continue
        producer[eq.out] = eq
        eqns.append(eq)
    return rw.graph(graph, eqns)


def _same_type(a, out: Var) -> bool:
    return type(a) is Var and a.shape == out.shape and a.dtype == out.dtype


def _all_equal(c, target: float) -> bool:
    """Is constant `c` a real number or array equal to `target` everywhere?"""
    if type(c) is not Const:
        return False
    v = c.value
    if not isinstance(v, (bool, int, float, complex, np.ndarray, np.generic)):
        return False
    a = np.asarray(v)
    return a.dtype.kind in "biuf" and a.size > 0 and bool(np.all(a == target))


def _simplify_one(eq: Equation, producer):
    """A replacement operand for `eq.out`, an equivalent cheaper equation, or None."""
    out, ins, impl = eq.out, eq.inputs, eq.prim.impl
    if isinstance(impl, np.ufunc) and not eq.params:
        if impl.signature is None and len(ins) > 1:
            unbroadcast = _skip_broadcasts(eq, producer)
            if unbroadcast is not None:
                return unbroadcast
        return _simplify_ufunc(impl, ins, out, producer)
    x = ins[0] if ins else None
    if type(x) is not Var:
        return None
    prim = eq.prim
    if prim is REGISTRY.get("reshape") or prim is REGISTRY.get("broadcast_to"):
        if _same_type(x, out):
            return x
        inner = producer.get(x)
        if prim is REGISTRY.get("reshape") and inner is not None and inner.prim is prim:
            src = inner.inputs[0]
            if _same_type(src, out):
                return src
            return Equation(prim, [src], {"shape": out.shape}, out)
        return None
    if prim is REGISTRY.get("cast"):
        return x if _same_type(x, out) else None
    if prim is REGISTRY.get("transpose"):
        perm = tuple(eq.params["perm"])
        inner = producer.get(x)
        if inner is not None and inner.prim is prim:
            first = tuple(inner.params["perm"])
            perm = tuple(first[i] for i in perm)
            x = inner.inputs[0]
        if perm == tuple(range(len(perm))):
            return x if _same_type(x, out) else None
        if x is not ins[0]:
            return Equation(prim, [x], {"perm": perm}, out)
        return None
    if prim.name in _REDUCTIONS and prim is REGISTRY.get(prim.name):
        axis = eq.params.get("axis")
        axes = range(len(x.shape)) if axis is None else axis
        if x.dtype != out.dtype or any(x.shape[i] != 1 for i in axes):
            return None
        if _same_type(x, out):
            return x
        return Equation(REGISTRY["reshape"], [x], {"shape": out.shape}, out)
    return None


# NOTE: not reduce_sum nor reduce_mean: NumPy starts a sum from +0.0, so a sum over one
# element turns -0.0 into +0.0. Products, maxima and minima start from the first element.
_REDUCTIONS = ("reduce_max", "reduce_min", "reduce_prod")


def _skip_broadcasts(eq: Equation, producer) -> Equation | None:
    """`f(broadcast_to(x, s), y)` as `f(x, y)` where broadcasting gives the same result shape.

    Exact: an elementwise ufunc broadcasts its operands itself, and `broadcast_to` keeps the
    dtype (NumPy 2 treats a 0-d array like any array, never as a weak scalar).
    """
    ins = list(eq.inputs)
    changed = False
    for k, a in enumerate(ins):
        inner = producer.get(a) if type(a) is Var else None
        if inner is None or inner.prim is not REGISTRY.get("broadcast_to"):
            continue
        src = inner.inputs[0]
        if type(src) is not Var or src.dtype != a.dtype:
            continue
        shapes = [src.shape] + [b.shape for j, b in enumerate(ins) if j != k]
        try:
            if np.broadcast_shapes(*shapes) != eq.out.shape:
                continue
        except ValueError:
            continue
        ins[k] = src
        changed = True
    return Equation(eq.prim, ins, eq.params, eq.out) if changed else None


def _simplify_ufunc(impl, ins, out, producer):
    if len(ins) == 1:
        x = ins[0]
        if impl is np.negative and type(x) is Var:
            inner = producer.get(x)
            if inner is not None and inner.prim.impl is np.negative and not inner.params:
                src = inner.inputs[0]
                if _same_type(src, out):
                    return src
        return None
    if len(ins) != 2:
        return None
    a, b = ins
    # NOTE: complex operands are left alone: a complex product or sum by (1 + 0j) or (0 + 0j)
    # touches the imaginary part (inf * 0 is NaN, -0.0 + 0.0 is +0.0).
    if impl is np.multiply:
        for x, one in ((a, b), (b, a)):
            if _same_type(x, out) and x.dtype.kind in "biuf" and _all_equal(one, 1):
                return x
    elif impl is np.true_divide or impl is np.power:
        if _same_type(a, out) and a.dtype.kind in "biuf" and _all_equal(b, 1):
            return a
    elif impl is np.subtract:
        if _same_type(a, out) and _is_neutral_zero(b, a, negative=False):
            return a
    elif impl is np.add:
        for x, z in ((a, b), (b, a)):
            if _same_type(x, out) and _is_neutral_zero(z, x, negative=True):
                return x
    return None


def _is_neutral_zero(z, x: Var, negative: bool) -> bool:
    """Is `z` a zero that `x + z` (negative=True) or `x - z` (negative=False) leaves `x` alone
    with, signed zeros included? An integer zero meets a floating `x` as +0.0."""
    if x.dtype.kind in "biu":
        return _all_equal(z, 0)
    if x.dtype.kind != "f" or not _all_equal(z, 0):
        return False
    zv = np.asarray(z.value)
    if zv.dtype.kind != "f":
        return not negative
    return bool(np.all(np.signbit(zv) == negative))
