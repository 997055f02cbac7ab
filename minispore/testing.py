"""Checks for primitives and functions of raw arrays: numeric gradients in both modes.

`check_grads(f, args)` compares reverse mode (VJP) and forward mode (JVP) with central
differences in random directions, checks that the two modes agree exactly (<u, J v> computed both
ways), that cotangents have their argument's shape and dtype, and, for `order=2`, repeats all of
it on the function's VJP, so second derivatives are checked too. It works for user-defined
primitives as well. Use float64 inputs.
"""

from __future__ import annotations

import numpy as np

from minispore.core.forward import ForwardTrace, JTracer
from minispore.core.primitive import REGISTRY, Tracer, concrete
from minispore.core.reverse import ReverseTrace, RTracer, backward
from minispore.core.trace import new_trace


def vjp(f, *primals):
    """Reverse mode over raw arrays: `(f(*primals), pullback)`; `pullback(ct)` -> list of grads."""
    with new_trace(ReverseTrace) as trace:
        ins = [trace.new_input(p) for p in primals]
        out = f(*ins)
    traced = type(out) is RTracer and out._trace is trace
    out_primal = out.primal if traced else out

    def pullback(ct):
        cts = backward(trace, {out.id: ct}, keep_tape=True) if traced else {}
        return [cts.get(t.id) for t in ins]

    return out_primal, pullback


def jvp(f, primals, tangents):
    """Forward mode over raw arrays: `(f(*primals), tangent_out)` (None for a zero tangent)."""
    with new_trace(ForwardTrace) as trace:
        ins = [JTracer(trace, p, t) if t is not None else p for p, t in zip(primals, tangents)]
        out = f(*ins)
    if type(out) is JTracer and out._trace is trace:
        return out.primal, out.tangent
    return out, None


def _concrete(x):
    return np.asarray(concrete(x))


def _is_diff(a):
    return isinstance(a, (np.ndarray, Tracer)) and _concrete(a).dtype.kind == "f"


def _vdot(a, b):
    return float(np.sum(np.asarray(a, dtype=np.float64) * np.asarray(b, dtype=np.float64)))


def check_grads(
    f, args, order=2, modes=("rev", "fwd"), eps=1e-6, rtol=1e-5, atol=1e-6, rng=None, diff_args=None
):
    """Check the derivatives of `f(*args) -> array` numerically; raise AssertionError on failure.

    `diff_args` lists the argument indices to differentiate (default: all float arrays).
    """
    rng = rng or np.random.default_rng(0)
    args = list(args)
    idx = [i for i, a in enumerate(args) if _is_diff(a)] if diff_args is None else list(diff_args)
    if not idx:
        return

    def f_of(*xs):
        call = list(args)
        for i, x in zip(idx, xs):
            call[i] = x
        return f(*call)

    xs = [args[i] for i in idx]
    out = _concrete(f_of(*xs))
    vs = [rng.normal(size=np.shape(_concrete(x))).astype(_concrete(x).dtype) for x in xs]
    u = rng.normal(size=out.shape).astype(out.dtype if out.dtype.kind == "f" else np.float64)

    # Central difference of <u, f(x + s v)> at s = 0.
    def shifted(s):
        return _concrete(f_of(*[_concrete(x) + s * v for x, v in zip(xs, vs)]))

    numeric = (_vdot(u, shifted(eps)) - _vdot(u, shifted(-eps))) / (2 * eps)
    name = getattr(f, "__name__", repr(f))
    results = {}
    if "rev" in modes:
        _, pullback = vjp(f_of, *xs)
        grads = pullback(u)
        for k, (g, x) in enumerate(zip(grads, xs)):
            if g is None:
                continue
            gc, xc = _concrete(g), _concrete(x)
            assert gc.shape == xc.shape, (
                f"{name}: cotangent of argument {idx[k]} has shape {gc.shape}, argument has {xc.shape}"
            )
            assert gc.dtype == xc.dtype, (
                f"{name}: cotangent of argument {idx[k]} has dtype {gc.dtype}, argument has {xc.dtype}"
            )
        rev = sum(_vdot(_concrete(g), v) for g, v in zip(grads, vs) if g is not None)
        results["rev"] = rev
        assert np.isclose(rev, numeric, rtol=rtol, atol=atol), (
            f"{name}: VJP gives <J^T u, v> = {rev!r}, central differences give {numeric!r}"
        )
    if "fwd" in modes:
        _, t = jvp(f_of, xs, vs)
        fwd = 0.0 if t is None else _vdot(u, _concrete(t))
        if t is not None:
            assert _concrete(t).shape == out.shape, (
                f"{name}: tangent shape {_concrete(t).shape} != output {out.shape}"
            )
        results["fwd"] = fwd
        assert np.isclose(fwd, numeric, rtol=rtol, atol=atol), (
            f"{name}: JVP gives <u, J v> = {fwd!r}, central differences give {numeric!r}"
        )
    if "rev" in results and "fwd" in results:
        assert np.isclose(results["rev"], results["fwd"], rtol=1e-9, atol=1e-12), (
            f"{name}: JVP and VJP disagree: <u, J v> = {results['fwd']!r} vs <J^T u, v> = {results['rev']!r}"
        )
    if order >= 2 and "rev" in modes:
        # The VJP in direction u is itself a function of the inputs: check it to order - 1.
        u_fixed = u

        def vjp_dot(*ys):
            _, pb = vjp(f_of, *ys)
            gs = pb(u_fixed)
            total = None
            for g, w in zip(gs, ws):
                if g is None:
                    continue
                term = REGISTRY["reduce_sum"](REGISTRY["mul"](g, w), axis=None, keepdims=False)
                total = term if total is None else REGISTRY["add"](total, term)
            return total if total is not None else np.zeros((), np.float64)

        ws = [rng.normal(size=np.shape(_concrete(x))) for x in xs]
        vjp_dot.__name__ = f"vjp of {name}"
        check_grads(
            vjp_dot,
            xs,
            order=order - 1,
            modes=modes,
            eps=eps,
            rtol=rtol * 10,
            atol=atol * 10,
            rng=rng,
        )
