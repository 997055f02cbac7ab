"""Fusing chains of elementwise equations: each link writes its result into the buffer of the
link before it, so a chain costs one allocation however long it is (compiler).

An equation is elementwise when its implementation is a NumPy ufunc with one output and no core
signature (`np.add`, `np.exp`, ...; `np.matmul`, a generalized ufunc, is not), called without
parameters, or a primitive declared `writes_out` (its implementation takes `out=` too: relu and
its gradient). Writing into an operand is exact
when that operand has the result's shape and dtype: every entry is read before it is
overwritten, by the same loop.
"""

from __future__ import annotations

import numpy as np

from minispore.core.graph import Equation, Var


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
    return eq.prim.writes_out and not eq.params


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
