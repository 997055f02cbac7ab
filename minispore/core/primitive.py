"""Primitives, the registry that holds them, and `bind`, the one door every operation goes through.

A `Primitive` carries its NumPy implementation and its differentiation rules, declared once. `bind`
looks at the arguments: if none is a tracer it calls the implementation straight away (the hot path:
a loop and an `isinstance` check); otherwise it hands the call to the trace of the highest level
among the tracers, which applies its rule and binds again one level down.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

# Rules: one callable (or None) per array argument, or one callable taking the index first.
Rules = Sequence[Callable[..., Any] | None] | Callable[..., Any]

REGISTRY: dict[str, Primitive] = {}


class Tracer:
    """A value being watched by a trace. Subclasses add `primal` (and whatever else they carry)."""

    __slots__ = ("_trace",)
    # Let NumPy defer to our reflected operators (`ndarray * tracer` calls `tracer.__rmul__`).
    __array_ufunc__ = None

    @property
    def shape(self):
        return self.primal.shape

    @property
    def dtype(self):
        return self.primal.dtype

    @property
    def ndim(self):
        return self.primal.ndim

    @property
    def size(self):
        return self.primal.size

    def __bool__(self):
        return bool(self.primal)

    def __repr__(self):
        return f"{type(self).__name__}(level={self._trace.level}, shape={self.shape}, dtype={self.dtype})"

    # Arithmetic so that rules can be written with operators; each one binds a primitive.
    def __add__(self, o):
        return REGISTRY["add"](self, o)

    def __radd__(self, o):
        return REGISTRY["add"](o, self)

    def __sub__(self, o):
        return REGISTRY["sub"](self, o)

    def __rsub__(self, o):
        return REGISTRY["sub"](o, self)

    def __mul__(self, o):
        return REGISTRY["mul"](self, o)

    def __rmul__(self, o):
        return REGISTRY["mul"](o, self)

    def __truediv__(self, o):
        return REGISTRY["div"](self, o)

    def __rtruediv__(self, o):
        return REGISTRY["div"](o, self)

    def __pow__(self, o):
        return REGISTRY["pow"](self, o)

    def __rpow__(self, o):
        return REGISTRY["pow"](o, self)

    def __matmul__(self, o):
        return REGISTRY["matmul"](self, o)

    def __rmatmul__(self, o):
        return REGISTRY["matmul"](o, self)

    def __neg__(self):
        return REGISTRY["neg"](self)

    def __gt__(self, o):
        return REGISTRY["greater"](self, o)

    def __lt__(self, o):
        return REGISTRY["less"](self, o)

    def __ge__(self, o):
        return REGISTRY["greater_equal"](self, o)

    def __le__(self, o):
        return REGISTRY["less_equal"](self, o)

    def __getitem__(self, index):
        from minispore.prims.indexing import index_value

        return index_value(self, index)

    @property
    def T(self):
        return REGISTRY["transpose"](self, perm=tuple(range(self.ndim))[::-1])

    def astype(self, dtype):
        return REGISTRY["cast"](self, dtype=np.dtype(dtype))


class _VariadicRules:
    """Rules of a primitive with any number of array arguments: `rule(i, ct, out, *args)`."""

    __slots__ = ("rule",)

    def __init__(self, rule):
        self.rule = rule

    def __getitem__(self, i):
        rule = self.rule
        return lambda *a, **p: rule(i, *a, **p)


class Primitive:
    """One differentiable operation: its implementation and its rules, declared together.

    Args:
        name: registry key, NumPy-like snake_case.
        impl: the NumPy implementation, `impl(*arrays, **params)`.
        vjp: one rule per array argument, `rule(ct, out, *args, **params)` returning the
            cotangent of that argument (`None` entries for non-differentiable arguments); or a
            single callable `rule(i, ct, out, *args, **params)` for variadic primitives;
            `None` when no gradient flows at all.
        jvp: likewise, `rule(t, out, *args, **params)` returning what argument `i`'s tangent
            adds to the output tangent.
        batch: batching rule for `vmap` (`None`: the generic loop).
        order: how many times the rules may be differentiated (the default 2 is tested).
        pure: False for primitives whose result is not a function of their arguments (random
            draws): graph passes never fold, merge or drop them.
        fresh: True when `impl` always returns a new writeable array of its own, never an operand
            or a view of one, so a compiled graph may reuse it as a buffer once it is dead (a
            NumPy ufunc is fresh without saying so).
        writes_out: True when `impl` also takes `out=`, a buffer of the result's shape and dtype
            (possibly one of its operands), and computes the same values into it.
    """

    __slots__ = ("name", "impl", "vjp", "jvp", "batch", "order", "pure", "fresh", "writes_out")

    def __init__(
        self,
        name: str,
        impl: Callable[..., Any],
        vjp: Rules | None = None,
        jvp: Rules | None = None,
        batch: Callable[..., Any] | None = None,
        order: int = 2,
        register: bool = True,
        pure: bool = True,
        fresh: bool = False,
        writes_out: bool = False,
    ) -> None:
        if register and name in REGISTRY:
            raise ValueError(f"a primitive named '{name}' is already registered")
        self.name = name
        self.impl = impl
        self.vjp = _VariadicRules(vjp) if callable(vjp) else vjp
        self.jvp = _VariadicRules(jvp) if callable(jvp) else jvp
        self.batch = batch
        self.order = order if vjp is not None else 0
        self.pure = pure
        self.fresh = fresh or isinstance(impl, np.ufunc)
        self.writes_out = writes_out
        if register:
            REGISTRY[name] = self

    def __call__(self, *args, **params):
        # Same as bind(self, *args, **params), inlined: this is the hottest path of the library.
        top = None
        for a in args:
            if isinstance(a, Tracer):
                t = a._trace
                if top is None or t.level > top.level:
                    top = t
        if top is None:
            if _capturing:  # jit capture records every bind, even on constants (random draws)
                return _capturing[-1].process(self, args, params)
            try:
                return self.impl(*args, **params)
            except (ValueError, TypeError, IndexError, ArithmeticError) as e:
                raise _explain(self, args, params, e) from None
        if _suspended:
            return bind(self, *[concrete(a) for a in args], **params)
        return top.process(self, args, params)

    def __repr__(self):
        return f"Primitive({self.name})"


def bind(prim: Primitive, *args: Any, **params: Any) -> Any:
    """Apply `prim` to `args`: straight to NumPy, or through the highest-level trace watching an
    arg. (The logic lives in `Primitive.__call__`, inlined there because it is the hot path.)"""
    return prim(*args, **params)


# The active jit captures (core/capture.py), innermost last. While non-empty, binds on plain
# values go to the innermost capture too, so that constants and random draws are recorded.
_capturing: list = []

# While non-empty, every tracer counts as its concrete value: custom-gradient functions run
# their forward pass like this, so that only their own rules decide their gradients.
_suspended: list = []


def concrete(a):
    """The plain value under any number of tracers (the value itself if it is not traced)."""
    while isinstance(a, Tracer):
        a = a.primal
    return a


def describe(a) -> str:
    """A short description of an operand for error messages: shape and dtype."""
    if hasattr(a, "shape") and hasattr(a, "dtype"):
        return f"{tuple(a.shape)} {a.dtype}"
    return type(a).__name__


def _explain(prim, args, params, e):
    """Re-raise a NumPy failure under the primitive's name, with the operands' shapes and dtypes."""
    msg = str(e)
    if msg.startswith("For '"):
        return e
    shapes = ", ".join(describe(a) for a in args)
    extra = f" with {params}" if params else ""
    return type(e)(f"For '{prim.name}', the operation failed on inputs [{shapes}]{extra}: {msg}")
