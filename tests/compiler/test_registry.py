"""Every registered primitive, on every sample of the registry table, compiled.

Two graphs per sample: one built by hand (the primitive, then an elementwise chain on its result
so that fusion and buffer reuse have work to do) and one captured from a function of Tensors.
The compiled function must give `run_graph`'s (or the eager call's) results bit for bit, leave
its inputs alone and return fresh arrays on every call. Random draws are compared after
reseeding the generator.
"""

from __future__ import annotations

import numpy as np
import pytest

import minispore  # noqa: F401  (fills the registry)
import minispore.prims.random as prims_random
from minispore.compiler import buffers, compile_graph
from minispore.core.graph import Const, Equation, Graph, Var, run_graph
from minispore.core.primitive import REGISTRY
from minispore.prims import elementwise as E

from ..prims.samples import unpack
from ..prims.test_rules import SAMPLES

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _samples(name):
    return [unpack(s)[:2] for s in SAMPLES[name](np.random.default_rng(0))]


def _graph(prim, args, params):
    """`prim(*args)` followed by `neg(mul(out, 2))` for floating results, both outputs."""
    inputs, ins, vals = [], [], []
    for a in args:
        if isinstance(a, np.ndarray):
            v = Var(a.shape, a.dtype)
            inputs.append(v)
            ins.append(v)
            vals.append(a)
        else:
            ins.append(Const(a))
    out = prim.impl(*[a for a in args], **params)
    v = Var(np.shape(out), np.asarray(out).dtype)
    eqns = [Equation(prim, ins, params, v)]
    outputs = [v]
    if v.dtype.kind == "f":
        m = Var(v.shape, v.dtype)
        n = Var(v.shape, v.dtype)
        eqns += [Equation(E.mul, [v, Const(2.0)], {}, m), Equation(E.neg, [m], {}, n)]
        outputs.append(n)
    return Graph(inputs, eqns, outputs), vals


def _run_seeded(fn, seed=7):
    saved = prims_random.get_generator()
    try:
        prims_random.seed_generator(seed)
        return fn()
    finally:
        prims_random.set_generator(saved)


def _assert_same(got, want, what):
    assert len(got) == len(want), what
    for k, (g, w) in enumerate(zip(got, want, strict=True)):
        g, w = np.asarray(g), np.asarray(w)
        assert g.shape == w.shape and g.dtype == w.dtype, f"{what}, output {k}"
        np.testing.assert_array_equal(g, w, err_msg=f"{what}, output {k}")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_compiled_sample_graphs_match_run_graph(name, monkeypatch):
    monkeypatch.setattr(buffers, "DEL_MIN_BYTES", 0)  # delete every dead value at once
    monkeypatch.setattr(buffers, "SCRATCH_MIN_BYTES", 0)  # keep every internal buffer
    prim = REGISTRY[name]
    for k, (args, params) in enumerate(_samples(name)):
        what = f"'{name}' sample {k}"
        graph, vals = _run_seeded(lambda a=args, p=params: _graph(prim, a, p))
        want = _run_seeded(lambda g=graph, v=vals: run_graph(g, [x.copy() for x in v]))
        run = compile_graph(graph)
        inputs = [x.copy() for x in vals]
        first = _run_seeded(lambda r=run, i=inputs: r(*i))
        kept = [np.array(o, copy=True) for o in first]
        second = _run_seeded(lambda r=run, i=inputs: r(*i))
        _assert_same(second, want, what)
        _assert_same(first, kept, f"{what}: an output changed at the next call")
        _assert_same(inputs, vals, f"{what}: an input was written")


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_compiled_captured_samples_match_eager(name):
    capture_mod = pytest.importorskip("minispore.core.capture")
    from minispore.tensor import Tensor, _wrap

    prim = REGISTRY[name]
    for k, (args, params) in enumerate(_samples(name)):
        what = f"'{name}' sample {k}"
        arrays = [i for i, a in enumerate(args) if isinstance(a, np.ndarray)]

        def fn(*tensors, args=args, params=params, arrays=arrays):
            full = list(args)
            for i, t in zip(arrays, tensors, strict=True):
                full[i] = t._value
            return _wrap(prim(*full, **params))

        tensors = [Tensor(args[i]) for i in arrays]
        want = _run_seeded(lambda f=fn, t=tensors: [f(*t)._value])
        graph, _ = _run_seeded(lambda f=fn, t=tensors: capture_mod.capture(f, t))
        run = compile_graph(graph)
        inputs = [args[i].copy() for i in arrays]
        got = _run_seeded(lambda r=run, i=inputs: r(*i))
        _assert_same(got, want, what)
        _assert_same(inputs, [args[i] for i in arrays], f"{what}: an input was written")
