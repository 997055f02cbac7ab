"""Each graph pass on a hand-built graph where it must fire and on one where it must not.

Every case also checks that the optimized graph computes what the original computes, bit for
bit, through `run_graph` (same primitives, same NumPy calls).
"""

from __future__ import annotations

import numpy as np
import pytest

from minispore.compiler import optimize
from minispore.compiler.passes import (
    eliminate_common_subexpressions,
    eliminate_dead_code,
    fold_constants,
    simplify,
)
from minispore.core.graph import Const, Var, run_graph
from minispore.prims import elementwise as E
from minispore.prims import random as R
from minispore.prims import reduction as Red
from minispore.prims import shape as S

from .builder import Builder, prims_used

F32 = np.float32

# The examples hold NaN, infinities and signed zeros on purpose: NumPy warns about them.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _same_values(g1, g2, args):
    for a, b in zip(run_graph(g1, args), run_graph(g2, args), strict=True):
        a, b = np.asarray(a), np.asarray(b)
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)
        if a.dtype.kind == "f":
            np.testing.assert_array_equal(np.signbit(a), np.signbit(b))


def _x(shape=(2, 3), dtype=F32, special=True):
    x = np.random.default_rng(0).normal(size=shape).astype(dtype)
    if special and dtype(0).dtype.kind == "f" and x.size >= 4:
        x.flat[:4] = [np.nan, -0.0, np.inf, -np.inf]  # the values an inexact rewrite gets wrong
    return x


# ---- dead-code elimination ---------------------------------------------------------------------


def test_dce_drops_unused_equations_and_keeps_the_outputs():
    b = Builder()
    x = b.input(_x())
    y = b(E.exp, x)
    b(E.log, y)  # unused
    b(E.sin, x)  # unused
    g, args = b.build([y])
    out = eliminate_dead_code(g)
    assert prims_used(out) == ["exp"]
    assert len(g.eqns) == 3  # the input graph is untouched
    _same_values(g, out, args)


def test_dce_keeps_unused_random_draws():
    b = Builder()
    x = b.input(_x())
    b(R.random_normal, shape=(2,), dtype=np.dtype(F32))  # unused, but it advances the generator
    y = b(E.exp, x)
    g, _ = b.build([y])
    assert prims_used(eliminate_dead_code(g)) == ["random_normal", "exp"]


def test_dce_carries_meta_over():
    b = Builder()
    x = b.input(_x())
    g, _ = b.build([b(E.exp, x)], meta={"n_args": 1})
    assert eliminate_dead_code(g).meta == {"n_args": 1}


# ---- constant folding --------------------------------------------------------------------------


def test_fold_evaluates_constant_equations():
    b = Builder()
    x = b.input(_x())
    c = b(E.mul, Const(np.full((3,), 2.0, F32)), Const(np.float32(3.0)))
    y = b(E.add, x, c)
    g, args = b.build([y])
    out = fold_constants(g)
    assert prims_used(out) == ["add"]
    k = out.eqns[0].inputs[1]
    assert type(k) is Const and not k.value.flags.writeable  # folded arrays are read-only
    _same_values(g, out, args)


def test_fold_leaves_random_draws_and_variables_alone():
    b = Builder()
    x = b.input(_x())
    r = b(R.random_uniform, shape=(2, 3), dtype=np.dtype(F32))
    y = b(E.mul, r, x)
    g, _ = b.build([y])
    assert prims_used(fold_constants(g)) == ["random_uniform", "mul"]


def test_fold_skips_equations_that_warn():
    # 1 / 0 warns at run time: folding it would move the warning to compile time (or hide it).
    b = Builder()
    x = b.input(_x())
    with np.errstate(divide="ignore"):
        c = b(E.div, Const(np.ones(3, F32)), Const(np.zeros(3, F32)))
    y = b(E.add, x, c)
    g, _ = b.build([y])
    assert prims_used(fold_constants(g)) == ["div", "add"]


def test_fold_keeps_large_results_as_equations():
    b = Builder()
    x = b.input(np.ones((1,), F32))
    c = b(S.broadcast_to, Const(np.float32(1.0)), shape=(3 << 20,))  # 12 MiB
    y = b(E.add, c, x)
    g, _ = b.build([y])
    assert prims_used(fold_constants(g)) == ["broadcast_to", "add"]


def test_fold_turns_a_constant_output_into_a_const():
    b = Builder()
    b.input(_x())
    c = b(E.exp, Const(np.zeros(3, F32)))
    g, args = b.build([c])
    out = fold_constants(g)
    assert out.eqns == [] and type(out.outputs[0]) is Const
    _same_values(g, out, args)


# ---- common subexpressions ---------------------------------------------------------------------


def test_cse_merges_repeated_and_commuted_equations():
    b = Builder()
    x, y = b.input(_x()), b.input(_x() + 1)
    s1 = b(E.add, x, y)
    s2 = b(E.add, y, x)  # a + b and b + a are the same float, bit for bit
    e1 = b(E.exp, s1)
    e2 = b(E.exp, s2)
    t1 = b(Red.reduce_sum, e1, axis=(0,), keepdims=False)
    t2 = b(Red.reduce_sum, e2, axis=(0,), keepdims=False)
    c1 = b(E.mul, x, Const(np.array([1.0, 2.0, 3.0], F32)))
    c2 = b(E.mul, x, Const(np.array([1.0, 2.0, 3.0], F32)))  # equal small constants
    g, args = b.build([t1, t2, c1, c2])
    out = eliminate_common_subexpressions(g)
    assert prims_used(out) == ["add", "exp", "reduce_sum", "mul"]
    assert out.outputs[0] is out.outputs[1] and out.outputs[2] is out.outputs[3]
    _same_values(g, out, args)


def test_cse_keeps_what_differs():
    b = Builder()
    x, y = b.input(_x()), b.input(_x() + 1)
    m1 = b(E.maximum, x, y)
    m2 = b(E.maximum, y, x)  # not commutative bit for bit: maximum(-0.0, 0.0) is -0.0
    s1 = b(Red.reduce_sum, x, axis=(0,), keepdims=False)
    s2 = b(Red.reduce_sum, x, axis=(1,), keepdims=False)  # other parameters
    z1 = b(E.add, x, Const(0.0))
    z2 = b(E.add, x, Const(-0.0))  # other constant
    i1 = b(E.add, x, Const(1))
    i2 = b(E.add, x, Const(1.0))  # 1 and 1.0 are different constants
    r1 = b(R.random_normal, shape=(2, 3), dtype=np.dtype(F32))
    r2 = b(R.random_normal, shape=(2, 3), dtype=np.dtype(F32))  # two draws
    g, _ = b.build([m1, m2, s1, s2, z1, z2, i1, i2, r1, r2])
    assert len(eliminate_common_subexpressions(g).eqns) == len(g.eqns)


# ---- algebraic simplification ------------------------------------------------------------------


@pytest.mark.parametrize(
    "prim, const, left",
    [
        (E.mul, 1.0, False),
        (E.mul, 1.0, True),
        (E.mul, np.ones(3, F32), False),
        (E.div, 1, False),
        (E.power, 1, False),
        (E.sub, 0.0, False),
        (E.sub, 0, False),
        (E.add, -0.0, False),
        (E.add, -0.0, True),
    ],
)
def test_simplify_removes_identities(prim, const, left):
    b = Builder()
    x = b.input(_x())
    y = b(prim, Const(const), x) if left else b(prim, x, Const(const))
    z = b(E.exp, y)
    g, args = b.build([z])
    out = simplify(g)
    assert prims_used(out) == ["exp"] and out.eqns[0].inputs[0] is x
    _same_values(g, out, args)


@pytest.mark.parametrize(
    "prim, x, const, why",
    [
        (E.add, _x(), 0.0, "-0.0 + 0.0 is +0.0"),
        (E.add, _x(), 0, "an integer zero is +0.0"),
        (E.sub, _x(), -0.0, "-0.0 - -0.0 is +0.0"),
        (E.mul, _x(), 0.0, "nan * 0 is nan, not 0"),
        (E.mul, _x(), np.ones(3, np.float64), "float32 * float64 is float64"),
        (E.mul, _x((3,)), np.ones((2, 3), F32), "the constant broadcasts x to (2, 3)"),
        (E.mul, _x(dtype=np.complex64), 1.0, "a complex product touches the imaginary part"),
        (E.div, _x(dtype=np.int32), 1, "int / 1 is float64"),
        (E.mul, np.array([True, False]), 1, "bool * 1 is int64"),
    ],
)
def test_simplify_keeps_what_is_not_exact(prim, x, const, why):
    b = Builder()
    xv = b.input(x)
    y = b(prim, xv, Const(const))
    g, args = b.build([y])
    assert prims_used(simplify(g)) == [prim.name], why


def test_simplify_integer_plus_zero_and_double_negation():
    b = Builder()
    i = b.input(np.arange(6, dtype=np.int32))
    x = b.input(_x())
    j = b(E.add, i, Const(0))
    y = b(E.neg, b(E.neg, x))
    g, args = b.build([j, y])
    out = eliminate_dead_code(simplify(g))
    assert out.eqns == [] and out.outputs == [i, x]
    _same_values(g, out, args)


def test_simplify_shape_identities_and_chains():
    b = Builder()
    x = b.input(_x((2, 3, 4)))
    r = b(S.reshape, x, shape=(2, 3, 4))  # to its own shape
    t = b(S.transpose, r, perm=(0, 1, 2))  # identity
    c = b(E.cast, t, dtype=np.dtype(F32))  # to its own dtype
    bc = b(S.broadcast_to, c, shape=(2, 3, 4))  # to its own shape
    s = b(Red.reduce_prod, bc, axis=(), keepdims=False)  # over no axis
    t1 = b(S.transpose, s, perm=(1, 2, 0))
    t2 = b(S.transpose, t1, perm=(2, 0, 1))  # undoes t1
    r1 = b(S.reshape, t2, shape=(6, 4))
    r2 = b(S.reshape, r1, shape=(4, 6))  # one reshape from x
    m = b(Red.reduce_max, b(S.reshape, x, shape=(2, 1, 12)), axis=(1,), keepdims=False)
    g, args = b.build([t2, r2, m])
    out = eliminate_dead_code(simplify(g))
    assert out.outputs[0] is x
    assert prims_used(out) == ["reshape", "reshape", "reshape"]  # r2, the inner of m, m itself
    _same_values(g, out, args)


def test_simplify_keeps_shape_changes_and_dtype_changes():
    b = Builder()
    x = b.input(_x((2, 3)))
    flags = b.input(np.array([[True, False, True]]))
    r = b(S.reshape, x, shape=(3, 2))
    t = b(S.transpose, x, perm=(1, 0))
    c = b(E.cast, x, dtype=np.dtype(np.float64))
    s = b(Red.reduce_sum, flags, axis=(0,), keepdims=True)  # bool sums are int64
    m = b(Red.reduce_mean, x, axis=(0,), keepdims=True)
    # NOTE: a sum over one element is not that element: NumPy adds it to +0.0, so -0.0 -> +0.0
    one = b(Red.reduce_sum, b(S.reshape, x, shape=(1, 6)), axis=(0,), keepdims=False)
    g, _ = b.build([r, t, c, s, m, one])
    assert len(simplify(g).eqns) == 7


def test_simplify_output_that_becomes_an_input():
    b = Builder()
    x = b.input(_x())
    y = b(E.mul, x, Const(1.0))
    g, args = b.build([y])
    out = optimize(g)
    assert out.eqns == [] and out.outputs == [x]


def test_optimize_rejects_unknown_passes():
    b = Builder()
    x = b.input(_x())
    g, _ = b.build([b(E.exp, x)])
    with pytest.raises(ValueError, match="unknown pass 'fast'"):
        optimize(g, passes=("dce", "fast"))


def test_optimize_reaches_a_fixed_point_and_accepts_functions():
    b = Builder()
    x = b.input(_x())
    one = b(E.exp, Const(np.zeros((), F32)))  # folds to 1, then x * 1 simplifies
    y = b(E.mul, x, one)
    z = b(E.exp, y)
    calls = []

    def spy(graph):
        calls.append(len(graph.eqns))
        return graph

    g, args = b.build([z])
    out = optimize(g, passes=("simplify", "fold", "dce", spy))
    assert prims_used(out) == ["exp"] and out.eqns[0].inputs[0] is x
    assert calls and calls[-1] == 1
    _same_values(g, out, args)


def test_passes_never_edit_their_input():
    b = Builder()
    x = b.input(_x())
    y = b(E.mul, x, Const(1.0))
    y2 = b(E.mul, x, Const(1.0))
    g, _ = b.build([b(E.add, y, y2)])
    before = [(eq.prim, list(eq.inputs), eq.out) for eq in g.eqns]
    optimize(g)
    assert [(eq.prim, list(eq.inputs), eq.out) for eq in g.eqns] == before
    assert all(type(v) is Var for v in g.outputs)


def test_simplify_lets_elementwise_ufuncs_broadcast_by_themselves():
    b = Builder()
    x = b.input(_x((2, 3)))
    s = b.input(np.float32(0.5))
    row = b.input(_x((3,)))
    y = b(E.mul, b(S.broadcast_to, s, shape=(2, 3)), x)  # the mean's cotangent pattern
    z = b(E.add, x, b(S.broadcast_to, row, shape=(2, 3)))
    g, args = b.build([y, z])
    out = eliminate_dead_code(simplify(g))
    assert prims_used(out) == ["mul", "add"]
    assert out.eqns[0].inputs[0] is s and out.eqns[1].inputs[1] is row
    _same_values(g, out, args)


def test_simplify_keeps_a_broadcast_that_sets_the_result_shape():
    b = Builder()
    x = b.input(_x((3,)))
    s = b.input(np.float32(2.0))
    y = b(E.mul, b(S.broadcast_to, x, shape=(2, 3)), s)  # without it the result is (3,)
    g, _ = b.build([y])
    assert prims_used(simplify(g)) == ["broadcast_to", "mul"]
