"""Random graphs: views, reductions, products, elementwise chains and donated inputs mixed at
random, compiled with every dead value deleted at once and every internal buffer kept as scratch
(`DEL_MIN_BYTES = SCRATCH_MIN_BYTES = 0`), so that the buffer plan's bookkeeping (fusion, reuse,
deletion, donation, scratch) is exercised on every value."""

from __future__ import annotations

import numpy as np
import pytest

from minispore.compiler import buffers, compile_graph
from minispore.core.graph import Const, run_graph
from minispore.prims import elementwise as E
from minispore.prims import linalg as L
from minispore.prims import reduction as R
from minispore.prims import shape as S

from .builder import Builder

N = 4


def _random_graph(seed: int):
    rng = np.random.default_rng(seed)
    b = Builder()
    values = [b.input(rng.normal(size=(N, N))) for _ in range(3)]
    for _ in range(int(rng.integers(8, 25))):
        x = values[int(rng.integers(len(values)))]
        y = values[int(rng.integers(len(values)))]
        op = int(rng.integers(11))
        if op == 0:
            v = b(E.add, x, y)
        elif op == 1:
            v = b(E.mul, x, y)
        elif op == 2:
            v = b(E.sub, x, Const(float(rng.normal())))
        elif op == 3:
            v = b([E.sin, E.tanh, E.neg, E.abs_][int(rng.integers(4))], x)
        elif op == 4:
            v = b(S.transpose, x, perm=(1, 0))
        elif op == 5:
            v = b(S.reshape, b(S.reshape, x, shape=(N * N,)), shape=(N, N))
        elif op == 6:
            v = b(L.matmul, x, y)
        elif op == 7:
            v = b(E.add, b(R.reduce_sum, x, axis=(1,), keepdims=True), y)
        elif op == 8:
            v = b(E.relu, x)
        elif op == 9:
            v = b(E.relu_grad, x, y)
        else:
            v = b(E.cast, x, dtype=np.dtype(np.float64))  # the operand itself
        values.append(v)
    k = int(rng.integers(1, 4))
    outs = [values[int(i)] for i in rng.choice(len(values), size=k, replace=False)]
    outs.append(values[-1])
    donate = {}
    for o, v in enumerate(outs):
        j = int(rng.integers(3))
        if rng.random() < 0.5 and j not in donate.values() and v not in b.inputs:
            donate[o] = j
    return b.build(outs, meta={"donate": donate})


@pytest.mark.parametrize("seed", range(60))
def test_random_graph_compiles_to_the_same_values(seed, monkeypatch):
    monkeypatch.setattr(buffers, "DEL_MIN_BYTES", 0)
    monkeypatch.setattr(buffers, "SCRATCH_MIN_BYTES", 0)
    graph, args = _random_graph(seed)
    want = run_graph(graph, [a.copy() for a in args])
    run = compile_graph(graph)
    inputs = [a.copy() for a in args]
    first = run(*inputs)
    donated = set(graph.meta["donate"].values())
    for j, (a, orig) in enumerate(zip(inputs, args, strict=True)):
        if j not in donated:
            np.testing.assert_array_equal(a, orig, err_msg=f"input {j} was written")
    for got, w in zip(first, want, strict=True):
        np.testing.assert_array_equal(got, w)
    # Again on fresh inputs: the results of the first call must not move.
    kept = [np.array(o, copy=True) for o in first]
    second = run(*[a.copy() for a in args])
    for got, w in zip(second, want, strict=True):
        np.testing.assert_array_equal(got, w)
    for o, k in zip(first, kept, strict=True):
        np.testing.assert_array_equal(o, k)
    # Donated arrays hold exactly their outputs' values, or are untouched.
    for o, j in graph.meta["donate"].items():
        if first[o] is inputs[j]:
            np.testing.assert_array_equal(inputs[j], want[o])
        else:
            np.testing.assert_array_equal(inputs[j], args[j])
