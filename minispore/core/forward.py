"""Forward mode: tracers carry a (primal, tangent) pair; each primitive pushes tangents forward.

The output tangent of a primitive is the sum, over arguments that have a tangent, of that
argument's JVP rule. Rules do not broadcast; the engine broadcasts each contribution to the
output's shape. A missing tangent is `None`, a symbolic zero; an output with no tangent at all
is returned as a plain constant.
"""

from __future__ import annotations

from typing import Any

from minispore.core.primitive import REGISTRY, Primitive, Tracer, bind
from minispore.core.reverse import _rebind_dead


class JTracer(Tracer):
    __slots__ = ("primal", "tangent")

    def __init__(self, trace, primal, tangent):
        self._trace = trace
        self.primal = primal
        self.tangent = tangent


class ForwardTrace:
    def __init__(self, level: int) -> None:
        self.level = level
        self.alive = True
        self.on_exit = []  # callbacks run when the trace ends (e.g. settling assigned state)

    def process(self, prim: Primitive, args: tuple, params: dict) -> Any:
        if not self.alive:
            return _rebind_dead(self, prim, args, params)
        primals = []
        tangents = []
        for a in args:
            if type(a) is JTracer and a._trace is self:
                primals.append(a.primal)
                tangents.append(a.tangent)
            else:
                primals.append(a)
                tangents.append(None)
        out = bind(prim, *primals, **params)
        rules = prim.jvp
        if rules is None:
            return out
        t_out = None
        for i, t in enumerate(tangents):
            if t is None or rules[i] is None:
                continue
            c = rules[i](t, out, *primals, **params)
            if c is None:
                continue
            if c.shape != out.shape:
                c = REGISTRY["broadcast_to"](c, shape=tuple(out.shape))
            t_out = c if t_out is None else REGISTRY["add"](t_out, c)
        if t_out is None:
            return out
        if t_out.dtype != out.dtype and out.dtype.kind in "fc":
            t_out = REGISTRY["cast"](t_out, dtype=out.dtype)
        return JTracer(self, out, t_out)
