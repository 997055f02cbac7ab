"""Fusing chains of elementwise equations: each link writes its result into the buffer of the
link before it, so a chain costs one allocation however long it is (compiler).

An equation is elementwise when its implementation is a NumPy ufunc with one output and no core
signature (`np.add`, `np.exp`, ...; `np.matmul`, a generalized ufunc, is not), called without
parameters, or one of the few primitives written in Python around a ufunc that `OUT_FORMS`
gives a form writing into a buffer (relu and its gradient). Writing into an operand is exact
when that operand has the result's shape and dtype: every entry is read before it is
overwritten, by the same loop.
"""

from __future__ import annotations

import numpy as np

from minispore.core.graph import Equation, Var
from minispore.core.primitive import REGISTRY


def _relu_into(x, *, out):
    return np.maximum(x, 0, out=out)  # _relu_impl: np.maximum(x, 0)


def _relu_grad_into(ct, y, *, out):
    return np.multiply(ct, y > 0, out=out)  # _relu_grad_impl: ct * (y > 0)


# The same computation as the primitive's implementation, bit for bit, into `out`: the hot
# elementwise steps of every MLP that are not plain ufuncs. (tests/compiler/test_buffers.py
# holds each to its primitive on every registry sample, written into each operand in turn.)
OUT_FORMS = {"relu": _relu_into, "relu_grad": _relu_grad_into}


def out_form(eq: Equation):
    """The function computing `eq` into an `out=` buffer, or None (a ufunc takes `out=` itself)."""
    name = eq.prim.name
    if name in OUT_FORMS and REGISTRY.get(name) is eq.prim and not eq.params:
        return OUT_FORMS[name]
    return None


def is_elementwise(eq: Equation) -> bool:
    """Does `eq` compute elementwise, able to write into an `out` buffer?"""
    if eq.out.shape == ():
        return False  # NOTE: on 0-d operands a ufunc returns a scalar, not an array
    impl = eq.prim.impl
    if isinstance(impl, np.ufunc):
        return (
            impl.signature is None
            and impl.nout == 1
            and not eq.params
            and len(eq.inputs) == impl.nin
        )
    return out_form(eq) is not None


def inplace_operand(eq: Equation, i: int, storage, dies_at, first=()) -> Var | None:
    """The operand of elementwise `eq` (equation number `i`) whose buffer it may overwrite.

    That operand must hold a whole buffer this function allocated (`storage.root`), have the
    result's shape and dtype, and die here; no other operand may look at the same buffer.
    Operands whose buffers are in `first` are tried before the others.
    """
    out = eq.out
    ordered = sorted(eq.inputs, key=lambda a: not (type(a) is Var and storage.of(a)[0] in first))
    for a in ordered:
        if type(a) is not Var or a.shape != out.shape or a.dtype != out.dtype:
            continue
        refs = storage.of(a)
        if len(refs) != 1:
            continue
        (s,) = refs
        if storage.root.get(s) is not a or not dies_at(s, i):
            continue
        if any(type(b) is Var and b is not a and s in storage.of(b) for b in eq.inputs):
            continue
        return a
    return None
