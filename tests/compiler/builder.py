"""Building graphs by hand for the compiler tests: each value carries an example, so shapes and
dtypes come from running the primitive, as capture would record them."""

from __future__ import annotations

import numpy as np

from minispore.core.graph import Const, Equation, Graph, Var


class Builder:
    """`b = Builder(); x = b.input(arr); y = b(mul, x, 2.0); graph, args = b.build([y])`."""

    def __init__(self):
        self.inputs: list[Var] = []
        self.args: list = []
        self.eqns: list[Equation] = []
        self.values: dict[Var, object] = {}

    def input(self, value) -> Var:
        value = np.asarray(value)
        v = Var(value.shape, value.dtype)
        self.inputs.append(v)
        self.args.append(value)
        self.values[v] = value
        return v

    def __call__(self, prim, *operands, **params) -> Var:
        ins = [a if type(a) in (Var, Const) else Const(a) for a in operands]
        vals = [self.values[a] if type(a) is Var else a.value for a in ins]
        out = prim.impl(*vals, **params)
        v = Var(np.shape(out), np.asarray(out).dtype)
        self.values[v] = out
        self.eqns.append(Equation(prim, ins, params, v))
        return v

    def build(self, outputs, meta=None) -> tuple[Graph, list]:
        outs = [o if type(o) in (Var, Const) else Const(o) for o in outputs]
        return Graph(self.inputs, self.eqns, outs, meta), [a.copy() for a in self.args]


def prims_used(graph: Graph) -> list[str]:
    return [eq.prim.name for eq in graph.eqns]
