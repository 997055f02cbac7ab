"""Checks for primitives and functions of raw arrays: numeric gradients in both modes, batching.

`check_grads(f, args)` compares reverse mode (VJP) and forward mode (JVP) with central
differences in random directions, checks that the two modes agree exactly (<u, J v> computed both
ways), that cotangents have their argument's shape and dtype, and, for `order=2`, repeats all of
it on the function's VJP, so second derivatives are checked too. It works for user-defined
primitives as well. Use float64 inputs.

`check_batch(f, args)` compares `vmap` of `f` (batched first argument, second argument, all of
them, a batch axis that is not the first, the output's batch axis moved) with a Python loop.

`check_jit(f, args)` compares `jit` of `f` (the capturing call and a cached replay) with eager
calls.
"""

from __future__ import annotations

import numpy as np

from minispore.core.batching import BatchTrace, BTracer, batched, move_axis
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


def batch(f, args, in_dims, size, out_dim=0):
    """`vmap` over raw arrays: `f` applied to `args` batched along `in_dims` (None: not
    mapped); the result has its batch axis at `out_dim` (unmapped results are broadcast)."""
    with new_trace(BatchTrace, size) as trace:
        ins = [a if d is None else BTracer(trace, a, d) for a, d in zip(args, in_dims)]
        out = f(*ins)
        if type(out) is BTracer and out._trace is trace:
            val, d = out.val, out.bdim
        else:
            val, d = out, None
    return np.asarray(move_axis(batched(val, d, size), 0, out_dim))


def _examples(a, size, rng):
    """`size` different examples like `a`: small shifts of floats, shuffles of integers."""
    a = np.asarray(a)
    if a.dtype.kind in "fc":
        return [a + 1e-3 * k * rng.standard_normal(a.shape).astype(a.dtype) for k in range(size)]
    return [a] + [rng.permutation(a.ravel()).reshape(a.shape) for _ in range(size - 1)]


def check_batch(f, args, size=3, rtol=1e-10, atol=1e-12, rng=None, random=False):
    """Check `vmap` of `f(*args) -> array` against a Python loop; raise AssertionError.

    Array arguments get `size` examples each (shifted floats, shuffled integers); Python
    scalars stay unmapped. Checked: each array argument batched alone, all of them, all with
    the batch axis last, and the output's batch axis moved to 1. With `random=True` (draws)
    only shapes, dtypes, and that examples differ, are checked.
    """
    rng = rng or np.random.default_rng(0)
    name = getattr(f, "__name__", repr(f))
    idx = [i for i, a in enumerate(args) if isinstance(a, np.ndarray)]
    if not idx:
        return
    # Draws get identical examples: any difference between them comes from independent draws.
    examples = {i: [args[i]] * size if random else _examples(args[i], size, rng) for i in idx}
    configs = [({i: 0}, 0) for i in idx]
    if len(idx) > 1:
        configs.append(({i: 0 for i in idx}, 0))
    configs.append(({i: np.ndim(args[i]) for i in idx}, 0))
    configs.append(({i: min(1, np.ndim(args[i])) for i in idx}, 1))
    for mapped, out_dim in configs:
        per = [
            [examples[i][k] if i in mapped else a for i, a in enumerate(args)] for k in range(size)
        ]
        expected = [np.asarray(f(*call)) for call in per]
        out_dim = min(out_dim, expected[0].ndim)
        want = np.stack(expected, axis=out_dim)
        batched_args = [
            np.stack(examples[i], axis=mapped[i]) if i in mapped else a for i, a in enumerate(args)
        ]
        dims = [mapped.get(i) for i in range(len(args))]
        got = batch(f, batched_args, dims, size, out_dim)
        where = f"{name}: vmap with batch axes {dims}, out_axes {out_dim}"
        assert got.shape == want.shape, f"{where}: shape {got.shape}, loop gives {want.shape}"
        assert got.dtype == want.dtype, f"{where}: dtype {got.dtype}, loop gives {want.dtype}"
        if random:
            firsts = np.moveaxis(got, out_dim, 0)
            assert not all(np.array_equal(firsts[0], e) for e in firsts[1:]), (
                f"{where}: every example drew the same numbers"
            )
            continue
        np.testing.assert_allclose(
            got, want, rtol=rtol, atol=atol, equal_nan=True, err_msg=f"{where}: vmap vs loop"
        )


def check_jit(f, args, rtol=1e-7, atol=0.0, random=False):
    """Check `jit` of `f(*args) -> array` against eager calls; raise AssertionError.

    Array arguments become Tensors (graph inputs); other arguments are static. The jitted
    function is called twice: the first call captures the graph, the second must hit the cache
    and replay it. Both must give the eager value, dtype and shape. With `random=True` (draws),
    the generator is reseeded: the capture must draw what the first eager call draws and the
    replay what the second eager call draws (so the replay draws afresh).
    """
    from minispore.prims import random as prims_random
    from minispore.tensor import Tensor, _wrap
    from minispore.transforms.jit import jit

    name = getattr(f, "__name__", repr(f))

    def g(*xs):
        return _wrap(f(*[x._value if isinstance(x, Tensor) else x for x in xs]))

    g.__name__ = g.__qualname__ = f"jit of {name}"
    tensors = [_wrap(a) if isinstance(a, np.ndarray) else a for a in args]
    jg = jit(g)
    saved = prims_random.get_generator()
    try:
        if random:
            prims_random.seed_generator(0)
        expected = [np.asarray(f(*args)), np.asarray(f(*args))]
        if random:
            prims_random.seed_generator(0)
        got = [np.asarray(jg(*tensors).asnumpy()), np.asarray(jg(*tensors).asnumpy())]
    finally:
        prims_random.set_generator(saved)
    info = jg.cache_info()
    assert (info.misses, info.hits) == (1, 1), (
        f"{name}: two calls with one signature gave {info.misses} capture(s) and {info.hits} "
        "cache hit(s), expected 1 and 1"
    )
    for k, (e, o) in enumerate(zip(expected, got)):
        where = f"{name}: jit call {k + 1} ({'capture' if k == 0 else 'replay'})"
        assert o.shape == e.shape, f"{where}: shape {o.shape}, eager gives {e.shape}"
        assert o.dtype == e.dtype, f"{where}: dtype {o.dtype}, eager gives {e.dtype}"
        np.testing.assert_allclose(
            o, e, rtol=rtol, atol=atol, equal_nan=True, err_msg=f"{where}: jit vs eager"
        )
    if random and expected[0].size > 1:
        assert not np.array_equal(got[0], got[1]), f"{name}: the replay drew the captured numbers"
