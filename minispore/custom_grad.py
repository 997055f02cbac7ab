"""Custom derivatives: `custom_vjp` for Python functions and `Cell.bprop` support (layer 4).

A function with its own gradient becomes an unregistered primitive whose implementation runs the
function on concrete values (tracers are suspended, so the body records nothing) and whose rules
call the user's bprop (and JVP rule, if given; otherwise forward mode runs through the body).
Because it is a primitive, it composes with every transform, and the user's bprop, written with
minispore ops, can itself be differentiated.
"""

from __future__ import annotations

import functools

import numpy as np

from minispore.core import primitive as P
from minispore.core.forward import ForwardTrace, JTracer
from minispore.core.trace import new_trace
from minispore.tensor import Tensor, _wrap


def _out_value(out, name):
    if not isinstance(out, Tensor):
        raise TypeError(
            f"custom gradient function '{name}' must return a single Tensor, got {type(out).__name__}"
        )
    return out._value


class _CustomRules:
    """Per-argument rules computed by one bprop call per node (cached on the node's ct/out)."""

    __slots__ = ("owner", "_last")
    # The cache serves the per-argument rules of ONE node: it is keyed on the identity of the
    # cotangent, the output and every argument, so two uses never share a result.

    def __init__(self, owner):
        self.owner = owner
        self._last = None

    def __getitem__(self, i):
        def rule(ct, out, *args, **params):
            last = self._last
            if (
                last is None
                or last[0] is not ct
                or last[1] is not out
                or len(last[2]) != len(args)
                or any(p is not q for p, q in zip(last[2], args))
            ):
                grads = self.owner._call_bprop(ct, out, args)
                last = self._last = (ct, out, args, grads)
            return last[3][i]

        return rule


class CustomFunction:
    """A Python function with a user-defined VJP (and optionally JVP).

    Example:
        >>> @custom_vjp
        ... def clip_grad_identity(x):
        ...     return x * 1
        >>> clip_grad_identity.defvjp(lambda x, out, dout: (ops.clamp(dout, -1.0, 1.0),))
    """

    def __init__(self, fn, bprop=None, name=None):
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.bprop = bprop
        self.jvp_rule = None
        self._name = name or getattr(fn, "__name__", "custom")
        self.prim = P.Primitive(
            f"custom:{self._name}", self._impl, vjp=None, jvp=None, register=False
        )
        self.prim.vjp = _CustomRules(self)
        self.prim.jvp = P._VariadicRules(self._jvp)
        self.prim.order = 2

    def defvjp(self, bprop):
        """Set `bprop(*inputs, out, dout) -> tuple of input gradients`; returns bprop."""
        self.bprop = bprop
        return bprop

    def defjvp(self, rule):
        """Set `rule(primals, tangents) -> output tangent` (zeros for inputs without tangent)."""
        self.jvp_rule = rule
        return rule

    def _impl(self, *args):
        P._suspended.append(True)
        try:
            return _out_value(self.fn(*[_wrap(a) for a in args]), self._name)
        finally:
            P._suspended.pop()

    def _call_bprop(self, ct, out, args):
        if self.bprop is None:
            raise RuntimeError(
                f"custom_vjp function '{self._name}' has no bprop; call .defvjp(...)"
            )
        grads = self.bprop(*[_wrap(a) for a in args], _wrap(out), _wrap(ct))
        if isinstance(grads, Tensor):
            grads = (grads,)
        if not isinstance(grads, (tuple, list)) or len(grads) != len(args):
            raise ValueError(
                f"bprop of '{self._name}' must return a tuple of {len(args)} gradient(s), one per "
                f"input, but returned {type(grads).__name__}"
                + (f" of length {len(grads)}" if isinstance(grads, (tuple, list)) else "")
            )
        out_vals = []
        for k, (g, a) in enumerate(zip(grads, args)):
            if g is None:
                out_vals.append(None)
                continue
            gv = g._value if isinstance(g, Tensor) else np.asarray(g)
            if tuple(gv.shape) != tuple(a.shape):
                raise ValueError(
                    f"bprop of '{self._name}' returned a gradient of shape {tuple(gv.shape)} for "
                    f"input {k} of shape {tuple(a.shape)}"
                )
            out_vals.append(gv)
        return out_vals

    def _jvp(self, i, t, out, *args):
        if self.jvp_rule is not None:
            tangents = [
                _wrap(t) if j == i else _wrap(np.zeros(a.shape, a.dtype))
                for j, a in enumerate(args)
            ]
            res = self.jvp_rule(tuple(_wrap(a) for a in args), tuple(tangents))
            return res._value
        # No JVP rule: push the tangent through the function's own body.
        with new_trace(ForwardTrace) as trace:
            call = [_wrap(JTracer(trace, a, t)) if j == i else _wrap(a) for j, a in enumerate(args)]
            res = _out_value(self.fn(*call), self._name)
        if type(res) is JTracer and res._trace is trace:
            return res.tangent
        return None

    def __call__(self, *args, **kwargs):
        if kwargs:
            # Keywords are static: bind them into the function and its rules.
            bound = CustomFunction(functools.partial(self.fn, **kwargs), self.bprop, self._name)
            bound.jvp_rule = self.jvp_rule
            return bound(*args)
        for k, a in enumerate(args):
            if not isinstance(a, Tensor):
                raise TypeError(
                    f"custom gradient function '{self._name}' takes Tensors as positional inputs; "
                    f"input {k} is {type(a).__name__} (pass other values as keywords or closures)"
                )
        return _wrap(self.prim(*[a._value for a in args]))


def custom_vjp(fn=None, *, bprop=None):
    """Decorator: give `fn` its own VJP with `.defvjp(bprop)` (and JVP with `.defjvp`).

    `bprop(*inputs, out, dout)` returns one gradient per input, as a MindSpore Cell's `bprop`.
    Parameters read inside `fn` get no gradient through it (their use is hidden by the custom
    rule), as in MindSpore.
    """
    if fn is None:
        return lambda f: CustomFunction(f, bprop)
    return CustomFunction(fn, bprop)
