"""The buffer plan: what it may assume about implementations, and what it does with it."""

from __future__ import annotations

import numpy as np
import pytest

import minispore  # noqa: F401  (fills the registry)
from minispore.compiler.buffers import plan
from minispore.compiler.fusion import is_elementwise
from minispore.core.graph import Const
from minispore.core.primitive import REGISTRY, Primitive
from minispore.prims import elementwise as E
from minispore.prims import linalg as L
from minispore.prims import nn as NN
from minispore.prims import shape as S

from ..prims.samples import unpack
from ..prims.test_rules import SAMPLES
from .builder import Builder

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


FRESH = sorted(name for name, prim in REGISTRY.items() if prim.fresh)
WRITES_OUT = sorted(name for name, prim in REGISTRY.items() if prim.writes_out)


@pytest.mark.parametrize("name", FRESH)
def test_fresh_primitives_return_new_writeable_arrays(name):
    # The plan writes into the results of these primitives once they are dead: a result that
    # were an operand, or a view of one, would be the caller's array.
    prim = REGISTRY[name]
    for k, sample in enumerate(SAMPLES[name](np.random.default_rng(0))):
        args, params = unpack(sample)[:2]
        out = prim.impl(*args, **params)
        if not isinstance(out, np.ndarray):
            continue  # a NumPy scalar: never written
        assert out.flags.writeable, f"'{name}' sample {k}: read-only result"
        for i, a in enumerate(args):
            if isinstance(a, np.ndarray):
                assert not np.shares_memory(out, a), f"'{name}' sample {k}: shares operand {i}"


def test_view_primitives_are_not_fresh():
    for name in ("reshape", "transpose", "broadcast_to", "cast", "getitem", "stop_gradient"):
        assert not REGISTRY[name].fresh
    assert REGISTRY["matmul"].fresh and REGISTRY["add"].fresh


def test_freshness_is_declared_not_inferred_from_the_name():
    impostor = Primitive("relu", lambda x: x, register=False)
    assert not impostor.fresh and not impostor.writes_out


def test_elementwise_means_an_elementwise_ufunc_without_parameters():
    b = Builder()
    x = b.input(np.ones((2, 3), np.float32))
    y = b(E.add, x, Const(1.0))
    m = b(L.matmul, x, b(S.transpose, x, perm=(1, 0)))
    r = b(E.relu, x)
    g = b(E.sigmoid, x)
    s = b(E.exp, b(E.add, Const(np.float32(1.0)), Const(np.float32(2.0))))
    by_out = {eq.out: eq for eq in b.eqns}
    assert is_elementwise(by_out[y])
    assert not is_elementwise(by_out[m])  # a gufunc
    assert is_elementwise(by_out[r])  # a Python function around np.maximum, with an out form
    assert not is_elementwise(by_out[g])  # a Python function of five ufunc calls
    assert not is_elementwise(by_out[s])  # a 0-d result: NumPy returns a scalar, not an array


def test_plan_reuses_a_fresh_primitives_dead_result():
    b = Builder()
    x, w, bias = b.input(np.ones((4, 3))), b.input(np.ones((3, 3))), b.input(np.ones(3))
    d = b(L.dense, x, w, bias)  # fresh: dies at the softmax
    r = b(NN.softmax, d, axis=1)
    e = b(E.exp, x)  # takes d's buffer
    g, _ = b.build([r, e])
    steps = plan(g)
    assert steps[2].kind == "reuse" and steps[2].target is d


def test_plan_never_targets_inputs_or_views_of_them():
    b = Builder()
    x = b.input(np.ones((3, 3)))
    t = b(S.transpose, x, perm=(1, 0))  # a view of the input
    r = b(S.reshape, t, shape=(9,))
    s = b(S.reshape, b(E.exp, r), shape=(3, 3))
    y = b(E.neg, s)
    g, _ = b.build([y])
    steps = plan(g)
    targets = [st.target for st in steps if st.target is not None]
    assert x not in targets and t not in targets and r not in targets


def test_dead_large_values_are_deleted():
    b = Builder()
    x = b.input(np.ones((256, 256), np.float32))
    y = b(S.transpose, x, perm=(1, 0))
    z = b(L.matmul, y, x)  # y dies here: 256 KiB, its name is deleted
    g, _ = b.build([z])
    steps = plan(g)
    assert steps[1].drop == [y]


def test_a_pooled_buffer_nobody_takes_is_deleted_where_it_dies():
    b = Builder()
    x, w, bias = b.input(np.ones((128, 256))), b.input(np.ones((256, 256))), b.input(np.ones(256))
    d = b(L.dense, x, w, bias)  # 256 KiB, dies at the relu; no later equation has its type
    r = b(E.relu, d)
    s = b(L.matmul, r, w)
    g, _ = b.build([s])
    steps = plan(g)
    assert d in steps[1].drop and r in steps[2].drop


def test_relu_and_its_gradient_write_into_buffers():
    assert WRITES_OUT == ["relu", "relu_grad"]


@pytest.mark.parametrize("name", WRITES_OUT)
def test_out_forms_compute_what_the_primitive_computes(name):
    # Into a fresh buffer, and into each operand of the result's shape and dtype in turn (that
    # is what fusion does), bit for bit; NaN, infinities and signed zeros included.
    prim = REGISTRY[name]
    form = prim.impl
    special = np.array([np.nan, -0.0, 0.0, np.inf, -np.inf, 1e-30, -1e-30])
    samples = [unpack(s)[:2] for s in SAMPLES[name](np.random.default_rng(0))]
    samples.append(([special] * len(samples[0][0]), {}))
    for k, (args, params) in enumerate(samples):
        want = prim.impl(*args, **params)
        got = form(*args, out=np.empty_like(want), **params)
        np.testing.assert_array_equal(got, want, err_msg=f"'{name}' sample {k}")
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))
        for i, a in enumerate(args):
            if isinstance(a, np.ndarray) and a.shape == want.shape and a.dtype == want.dtype:
                ops = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
                got = form(*ops, out=ops[i], **params)
                assert got is ops[i]
                np.testing.assert_array_equal(got, want, err_msg=f"'{name}' {k}, into {i}")
                np.testing.assert_array_equal(np.signbit(got), np.signbit(want))
