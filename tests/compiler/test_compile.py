"""Compiled graphs: same results as `run_graph`, inputs never written, outputs that stay valid,
fused chains, reused and donated buffers, generated source and error messages."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from minispore.compiler import compile_graph
from minispore.core.graph import Const, run_graph
from minispore.prims import elementwise as E
from minispore.prims import linalg as L
from minispore.prims import random as R
from minispore.prims import reduction as Red
from minispore.prims import shape as S

from .builder import Builder

F32 = np.float32


def _x(shape=(4, 3), seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype(F32)


def check(graph, args, passes=None):
    """Compile `graph`, run it twice on copies of `args`; return the compiled function.

    Checks: results equal `run_graph`'s bit for bit; the inputs are unchanged; the results of
    the first call are unchanged by the second (fresh arrays every call).
    """
    run = compile_graph(graph, passes)
    expected = run_graph(graph, [a.copy() for a in args])
    inputs = [a.copy() for a in args]
    first = run(*inputs)
    kept = [np.array(o, copy=True) for o in first]
    second = run(*inputs)
    for a, b in zip(inputs, args, strict=True):
        np.testing.assert_array_equal(a, b, err_msg="an input was written")
    for got, want in zip(second, expected, strict=True):
        assert np.asarray(got).dtype == np.asarray(want).dtype
        np.testing.assert_array_equal(got, want)
    for o, k in zip(first, kept, strict=True):
        np.testing.assert_array_equal(o, k, err_msg="a later call overwrote an output")
    return run


def _chain_graph():
    b = Builder()
    x, y = b.input(_x()), b.input(_x(seed=1))
    t = b(E.mul, x, y)
    t = b(E.add, t, Const(1.0))
    t = b(E.exp, t)
    t = b(E.neg, t)
    s = b(Red.reduce_sum, t, axis=(1,), keepdims=False)
    return b.build([s])


def test_elementwise_chain_is_fused_into_one_buffer():
    g, args = _chain_graph()
    run = check(g, args)
    assert run.stats["fused"] == 3
    assert "_add(c, 1.0, out=c)" in run.source and "_exp(d, out=d)" in run.source
    plain = check(g, args, passes=())
    assert plain.stats["fused"] == 0 and "_exp(d)" in plain.source


def test_dead_buffers_are_reused():
    b = Builder()
    x, y = b.input(_x()), b.input(_x(seed=1))
    p = b(E.mul, x, y)  # fresh
    q = b(E.add, x, y)  # fresh
    r = b(L.matmul, p, b(S.transpose, q, perm=(1, 0)))  # p and q die here, into the pool
    s = b(E.sub, x, y)  # (4, 3) float32: takes a dead buffer
    g, args = b.build([r, s])
    run = check(g, args)
    assert run.stats["reused"] == 1


def test_inputs_are_never_written_even_when_they_die():
    b = Builder()
    x = b.input(_x())
    y = b(E.exp, x)  # x dies here, but it is the caller's array
    z = b(E.neg, y)
    g, args = b.build([z])
    args[0].flags.writeable = False  # any write raises
    run = compile_graph(g)
    np.testing.assert_array_equal(run(*args)[0], run_graph(g, args)[0])
    assert "_exp(a)" in run.source


def test_views_keep_their_buffer_alive():
    # t is a transposed view of p: p's buffer must not be reused while t is still read.
    b = Builder()
    x, y = b.input(_x((3, 3))), b.input(_x((3, 3), seed=1))
    p = b(E.mul, x, y)
    t = b(S.transpose, p, perm=(1, 0))
    q = b(E.add, x, y)  # p is dead as a name, but not as memory
    r = b(E.mul, t, q)
    g, args = b.build([r])
    check(g, args)


def test_no_write_through_an_overlapping_view():
    # e dies at the add, but its transpose is the other operand: writing into e would read
    # entries already overwritten, so the add gets a buffer of its own.
    b = Builder()
    x = b.input(_x((3, 3)))
    e = b(E.exp, x)
    s = b(E.add, e, b(S.transpose, e, perm=(1, 0)))
    g, args = b.build([s])
    run = check(g, args)
    assert run.stats["fused"] == 0


def test_output_that_is_an_input_and_constant_outputs():
    b = Builder()
    x = b.input(_x())
    c = b(E.exp, Const(np.zeros(3, F32)))  # folded: a constant output
    y = b(E.mul, x, Const(1.0))  # simplified: the output is the input
    g, args = b.build([y, c, Const(2.5)])
    run = check(g, args)
    first = run(*args)
    assert first[0] is args[0]  # returned as is, as the function itself would
    first[1][:] = 7  # the caller may write into what it gets back ...
    np.testing.assert_array_equal(run(*args)[1], np.ones(3, F32))  # ... the next call is fresh
    assert first[2] == 2.5


def test_random_draws_run_afresh_and_match_run_graph_after_reseeding():
    b = Builder()
    x = b.input(_x())
    r = b(R.random_normal, shape=(4, 3), dtype=np.dtype(F32))
    b(R.random_uniform, shape=(5,), dtype=np.dtype(F32))  # dead, still drawn
    y = b(E.add, r, x)
    g, args = b.build([y])
    run = compile_graph(g)
    saved = R.get_generator()
    try:
        R.seed_generator(3)
        want = [run_graph(g, args)[0] for _ in range(2)]
        R.seed_generator(3)
        got = [run(*args)[0] for _ in range(2)]
    finally:
        R.set_generator(saved)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    assert not np.array_equal(got[0], got[1])


def test_zero_dimensional_results_are_not_written_in_place():
    b = Builder()
    x = b.input(_x())
    s = b(Red.reduce_sum, x, axis=None, keepdims=False)
    t = b(E.mul, s, Const(2.0))
    u = b(E.exp, t)
    g, args = b.build([u])
    run = check(g, args)
    assert run.stats["fused"] == 0
    assert type(run(*args)[0]) is type(run_graph(g, args)[0])


def test_donated_inputs_take_their_outputs_value():
    # The momentum update of an optimizer: accum = 0.9 * accum + g; p = p - 0.01 * accum, with
    # p and accum donated (graph.meta["donate"] = {output: input}).
    b = Builder()
    p, a, x = b.input(_x()), b.input(_x(seed=1)), b.input(_x(seed=2))
    g_ = b(E.mul, x, x)
    acc = b(E.add, b(E.mul, a, Const(0.9)), g_)
    newp = b(E.sub, p, b(E.mul, Const(0.01), acc))
    graph, args = b.build([g_, newp, acc], meta={"donate": {1: 0, 2: 1}})
    expected = run_graph(graph, [v.copy() for v in args])
    run = compile_graph(graph)
    assert run.stats["donated"] == 2
    inputs = [v.copy() for v in args]
    out = run(*inputs)
    assert out[1] is inputs[0] and out[2] is inputs[1]  # written in place
    for got, want in zip(out, expected, strict=True):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(inputs[2], args[2])  # not donated: untouched


def test_donation_waits_until_the_input_is_read_for_the_last_time():
    b = Builder()
    p, x = b.input(_x()), b.input(_x(seed=1))
    newp = b(E.add, x, Const(1.0))
    late = b(E.mul, p, x)  # p is still read after newp is computed
    graph, args = b.build([newp, late], meta={"donate": {0: 0}})
    expected = run_graph(graph, [v.copy() for v in args])
    run = compile_graph(graph)
    assert run.stats["donated"] == 0
    out = run(*[v.copy() for v in args])
    for got, want in zip(out, expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_donation_is_refused_for_an_output_returned_twice():
    b = Builder()
    p = b.input(_x())
    newp = b(E.add, p, Const(1.0))
    graph, args = b.build([newp, newp], meta={"donate": {0: 0}})
    run = compile_graph(graph)
    inputs = [v.copy() for v in args]
    run(*inputs)
    np.testing.assert_array_equal(inputs[0], args[0])


def test_without_donate_pass_inputs_stay_untouched():
    b = Builder()
    p = b.input(_x())
    newp = b(E.add, p, Const(1.0))
    graph, args = b.build([newp], meta={"donate": {0: 0}})
    run = check(graph, args, passes=("simplify", "fold", "cse", "dce", "fuse", "reuse"))
    assert run.stats["donated"] == 0


def test_errors_name_the_primitive_and_the_operands():
    b = Builder()
    m = b.input(np.eye(3, dtype=np.float64))
    c = b(L.cholesky, m)
    g, _ = b.build([c])
    run = compile_graph(g)
    bad = -np.eye(3)
    with pytest.raises(np.linalg.LinAlgError, match="cholesky"):
        run(bad)
    b2 = Builder()
    i, j = b2.input(np.arange(3)), b2.input(np.arange(3))
    g2, _ = b2.build([b2(E.add, i, j)])
    with pytest.raises(ValueError, match=r"For 'add'.*\(3,\) int64, \(4,\) int64"):
        compile_graph(g2)(np.arange(3), np.arange(4))


def test_source_is_kept_and_shows_in_tracebacks():
    g, args = _chain_graph()
    run = compile_graph(g)
    assert run.source.startswith("def run(a, b):")
    assert run.graph is not g and len(run.graph.eqns) == 5
    assert run.stats["equations"] == 5 and run.stats["optimized"] == 5


def test_unknown_pass_is_refused():
    g, _ = _chain_graph()
    with pytest.raises(ValueError, match="compile_graph.*'vectorize'"):
        compile_graph(g, passes=("vectorize",))


def test_keyword_names_are_escaped():
    # with enough values the letter names reach Python keywords ('as', 'if', 'in', 'is', 'or')
    b = Builder()
    x = b.input(_x((2,)))
    t = x
    for _ in range(26 * 19):
        t = b(E.sin, t)
    g, args = b.build([t])
    run = compile_graph(g, passes=())
    assert " in_ = " in run.source and " if_ = " in run.source
    np.testing.assert_array_equal(run(*args)[0], run_graph(g, args)[0])


@pytest.mark.parametrize("case", ["view", "read-only", "shared", "same object"])
def test_donated_arrays_that_are_not_the_callers_to_give_are_copied(case):
    b = Builder()
    p, x = b.input(_x()), b.input(_x(seed=1))
    y = b(E.mul, x, Const(2.0))
    newp = b(E.add, p, Const(1.0))
    z = b(E.add, y, x)  # x is read after p has died
    graph, args = b.build([newp, z], meta={"donate": {0: 0}})
    run = compile_graph(graph)
    assert run.stats["donated"] == 1
    big = np.concatenate([args[0], args[1]])
    if case == "view":
        inputs = [big[:4], args[1]]
    elif case == "read-only":
        inputs = [args[0].copy(), args[1]]
        inputs[0].flags.writeable = False
    elif case == "shared":
        inputs = [big[:4].copy(), args[1]]
        inputs[1] = inputs[0][:, :]  # x is a view of p's array
    else:
        inputs = [args[0].copy()] * 2
    saved = [i.copy() for i in inputs]
    want = run_graph(graph, saved)
    got = run(*inputs)
    for g_, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g_, w)
    for i, s in zip(inputs, saved, strict=True):
        np.testing.assert_array_equal(i, s)


def test_fused_maximum_and_minimum_pass_out_by_keyword():
    # NumPy 2.4 deprecates a positional `out` for these two
    b = Builder()
    x, y = b.input(_x()), b.input(_x(seed=1))
    t = b(E.minimum, b(E.maximum, b(E.mul, x, y), Const(0.0)), Const(1.0))
    g, args = b.build([t])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = check(g, args)
    assert run.stats["fused"] == 2


def test_donation_check_follows_the_arrays_of_each_call():
    b = Builder()
    p, x = b.input(_x()), b.input(_x(seed=1))
    newp = b(E.add, p, Const(1.0))
    z = b(E.add, b(E.mul, x, Const(2.0)), x)
    graph, args = b.build([newp, z], meta={"donate": {0: 0}})
    run = compile_graph(graph)
    owned = [args[0].copy(), args[1].copy()]
    assert run(*owned)[0] is owned[0]  # written in place
    assert run(*owned)[0] is owned[0]  # again, with the remembered check
    shared = args[0].copy()
    want = run_graph(graph, [shared.copy(), shared.copy()])
    got = run(shared, shared[:, :])  # x is now a view of p's array
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_array_equal(shared, args[0])


def test_malformed_graphs_are_refused():
    from minispore.core.graph import Equation, Graph, Var

    x, y = Var((3,), np.float32), Var((3,), np.float32)
    z = Var((3,), np.float32)
    with pytest.raises(ValueError, match="listed twice"):
        compile_graph(Graph([x, x], [], [x]))
    with pytest.raises(ValueError, match=r"equation 0 \(add\) reads Var"):
        compile_graph(Graph([x], [Equation(E.add, [x, y], {}, z)], [z]))
    with pytest.raises(ValueError, match="redefines"):
        compile_graph(Graph([x], [Equation(E.neg, [x], {}, x)], [x]))
    with pytest.raises(ValueError, match="never computed"):
        compile_graph(Graph([x], [], [y]))


def _big_chain_graph():
    b = Builder()
    x, y = b.input(_x((128, 128))), b.input(_x((128, 128), seed=1))
    t = b(E.exp, b(E.mul, x, y))  # 64 KiB, never returned: a scratch buffer
    s = b(Red.reduce_sum, t, axis=(1,), keepdims=False)
    return b.build([s])


def test_large_internal_buffers_are_kept_between_calls():
    g, args = _big_chain_graph()
    run = check(g, args)  # also: outputs of the first call survive the second
    assert run.stats["scratch"] == 1 and "out=_scratch" in run.source
    assert "_lock.acquire(False)" in run.source


def test_a_call_made_while_the_scratch_buffers_are_busy_allocates_its_own():
    g, args = _big_chain_graph()
    run = compile_graph(g)
    lock = next(c.cell_contents for c in run.__closure__ if hasattr(c.cell_contents, "acquire"))
    want = run(*args)[0]
    assert lock.acquire(False)  # as if another thread were inside
    try:
        np.testing.assert_array_equal(run(*args)[0], want)
    finally:
        lock.release()


def test_errors_after_scratch_buffers_still_name_the_primitive():
    b = Builder()
    x, shift = b.input(_x((128, 128))), b.input(np.zeros((128, 128), np.float32))
    t = b(E.exp, b(E.neg, x))
    m = b(L.matmul, b(S.transpose, t, perm=(1, 0)), t)  # positive definite
    c = b(L.cholesky, b(E.sub, m, shift))
    g, args = b.build([c])
    run = compile_graph(g)
    assert run.stats["scratch"] >= 1
    with pytest.raises(np.linalg.LinAlgError, match="For 'cholesky'"):
        run(args[0], np.full((128, 128), 1e9, np.float32))
