"""`jit`: the cache (hits, misses, keys), outputs, errors, and composition with the transforms."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, nn, ops
from minispore.core.capture import CaptureError, capture


def t(*shape, dtype=np.float32, seed=0):
    return Tensor(np.random.default_rng(seed).normal(size=shape).astype(dtype))


# ---- the cache -----------------------------------------------------------------------------------


def test_same_signature_replays_and_new_shape_or_dtype_recaptures():
    calls = []

    @ms.jit
    def f(x, y):
        calls.append(1)  # a Python side effect: it happens when the graph is captured
        return ops.sin(x) * y + 1

    x, y = t(3), t(3, seed=1)
    first = f(x, y)
    np.testing.assert_array_equal(first.asnumpy(), (ops.sin(x) * y + 1).asnumpy())
    for _ in range(3):
        np.testing.assert_array_equal(f(x, y).asnumpy(), first.asnumpy())
    assert f.cache_info() == (3, 1, 1) and len(calls) == 1
    # New values, same signature: a replay computes with them.
    x2 = t(3, seed=2)
    np.testing.assert_allclose(f(x2, y).asnumpy(), (ops.sin(x2) * y + 1).asnumpy(), rtol=1e-6)
    assert f.cache_info().misses == 1
    f(t(4), t(4))  # new shape
    f(t(3, dtype=np.float64), y)  # new dtype
    assert f.cache_info() == (4, 3, 3) and len(calls) == 3
    assert [g.inputs[0].shape for g in f.graphs()] == [(3,), (4,), (3,)]


def test_static_arguments_are_keyed_by_value_and_type():
    @ms.jit
    def scale(x, k, mode="mul"):
        return x * k if mode == "mul" else x + k

    x = t(2)
    np.testing.assert_allclose(scale(x, 2).asnumpy(), x.asnumpy() * 2)
    np.testing.assert_allclose(scale(x, 3).asnumpy(), x.asnumpy() * 3)
    scale(x, 3)
    assert scale.cache_info() == (1, 2, 2)
    # 2 and 2.0 are equal but promote differently: separate graphs.
    xi = Tensor(np.array([1, 2], np.int32))
    assert scale(xi, 2).dtype == ms.int32 and scale(xi, 2.0).dtype == ms.float32
    np.testing.assert_allclose(scale(x, 3, mode="add").asnumpy(), x.asnumpy() + 3)
    np.testing.assert_allclose(scale(x, 3, mode="add").asnumpy(), x.asnumpy() + 3)
    assert scale.cache_info().misses == 5 and scale.cache_info().hits == 2


def test_trees_of_tensors_are_inputs():
    @ms.jit
    def f(pair, d):
        a, b = pair
        return {"sum": a + b + d["c"], "n": len(d)}

    out = f((t(2), t(2, seed=1)), {"c": t(2, seed=2)})
    again = f((t(2), t(2, seed=1)), {"c": t(2, seed=2)})
    assert out["n"] == 1 and again["n"] == 1
    np.testing.assert_array_equal(out["sum"].asnumpy(), again["sum"].asnumpy())
    assert f.cache_info() == (1, 1, 1)
    f([t(2), t(2)], {"c": t(2)})  # a list instead of a tuple: another structure
    assert f.cache_info().misses == 2


def test_named_tuples_of_tensors_are_trees():
    from collections import namedtuple

    Pair = namedtuple("Pair", "a b")
    f = ms.jit(lambda p: p.a * p.b)
    np.testing.assert_allclose(
        f(Pair(t(2), t(2, seed=1))).asnumpy(), (t(2) * t(2, seed=1)).asnumpy()
    )
    x = t(2, seed=3)
    np.testing.assert_allclose(f(Pair(x, x)).asnumpy(), (x * x).asnumpy())
    assert f.cache_info() == (1, 1, 1)


def test_unhashable_static_arguments_raise():
    @ms.jit
    def f(x, extra):
        return x

    with pytest.raises(TypeError, match=r"jit.*ndarray.*not hashable.*Tensor\(\.\.\.\)"):
        f(t(2), np.ones(2))
    with pytest.raises(TypeError, match=r"jit.*set.*not hashable"):
        f(t(2), {1, 2})


def test_outputs_keep_their_structure_and_static_values():
    @ms.jit
    def f(x):
        return x * 2, [x + 1, None], {"k": 3, "z": Tensor(np.zeros(2, np.float32))}

    for _ in range(2):
        (a, (b, none), d) = f(t(2))
        np.testing.assert_allclose(a.asnumpy(), t(2).asnumpy() * 2)
        np.testing.assert_allclose(b.asnumpy(), t(2).asnumpy() + 1)
        assert none is None and d["k"] == 3
        np.testing.assert_array_equal(d["z"].asnumpy(), np.zeros(2))
    assert f.cache_info().hits == 1


def test_options_are_checked_as_mindspore():
    with pytest.raises(ValueError, match="'capture_mode' must be str and must be in"):
        ms.jit(lambda x: x, capture_mode="foo")
    with pytest.raises(ValueError, match="'jit_level'"):
        ms.jit(jit_level="O3")
    with pytest.raises(ValueError, match="'dynamic' must be in range of \\[0, 1\\]"):
        ms.jit(lambda x: x, dynamic=2)
    with pytest.raises(TypeError, match="'fullgraph' must be a bool"):
        ms.jit(lambda x: x, fullgraph=1)
    with pytest.raises(TypeError, match="'function' must be a function or a Cell"):
        ms.jit(3)
    f = ms.jit(capture_mode="trace", jit_level="O1", backend="ms_backend")(lambda x: x + 1)
    np.testing.assert_allclose(f(t(2)).asnumpy(), t(2).asnumpy() + 1)
    assert ms.jit is ms.context.jit


# ---- errors: Python control flow on captured values ---------------------------------------------


@pytest.mark.parametrize(
    "use, what",
    [
        (lambda x: 1 if x.sum() > 0 else 0, "bool()"),
        (lambda x: float(x.sum()), "float()"),
        (lambda x: int(x.sum()), "int()"),
        (lambda x: x.sum().item(), "item()"),
        (lambda x: x.asnumpy(), "asnumpy()"),
        (lambda x: x.tolist(), "tolist()"),
        (lambda x: np.asarray(x), "conversion to a NumPy array"),
        (lambda x: [1, 2, 3][x[0].astype(ms.int32)], "index"),
    ],
)
def test_values_cannot_steer_python(use, what):
    f = ms.jit(use)
    with pytest.raises(
        CaptureError, match=r"jit: .*" + what.replace("(", r"\(").replace(")", r"\)")
    ) as e:
        f(t(3))
    msg = str(e.value)
    assert "ops.where" in msg and "static Python scalar" in msg and "shape" in msg
    assert isinstance(e.value, TypeError)


def test_shapes_iteration_and_printing_are_fine_inside_jit(capsys):
    @ms.jit
    def f(x):
        print("shape", x.shape, x.dtype)
        rows = [r * i for i, r in enumerate(x)]  # iteration over the leading axis is static
        return ops.stack(rows) if x.ndim == 2 else x

    x = t(3, 2)
    out = f(x)
    np.testing.assert_allclose(out.asnumpy(), x.asnumpy() * np.arange(3)[:, None])
    f(x)
    assert capsys.readouterr().out.count("shape (3, 2)") == 1  # printed at capture only


def test_an_error_inside_the_function_leaves_parameters_as_they_were():
    w = ms.Parameter(Tensor(np.ones(2, np.float32)), name="w_err")

    @ms.jit
    def f(x):
        ops.assign(w, w + x)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        f(t(2))
    assert isinstance(w._value, np.ndarray)
    np.testing.assert_array_equal(w.asnumpy(), np.ones(2))
    assert f.cache_info().currsize == 0


# ---- composition ------------------------------------------------------------------------------


def _f(x, y):
    return (ops.sin(x) * y + ops.exp(x * y)).sum()


X = Tensor(np.array([0.3, 0.5, -1.0]))
Y = Tensor(np.array([1.0, 2.0, 0.5]))


def test_grad_of_jit_and_jit_of_grad_match_eager():
    jf = ms.jit(_f)
    want = ms.grad(_f, (0, 1))(X, Y)
    for _ in range(2):  # the capture under grad, then a replay through bind
        for got in (ms.grad(jf, (0, 1))(X, Y), ms.jit(ms.grad(_f, (0, 1)))(X, Y)):
            for g, w in zip(got, want):
                np.testing.assert_allclose(g.asnumpy(), w.asnumpy(), rtol=1e-12)
    assert jf.cache_info() == (1, 1, 1)
    jg = ms.jit(ms.grad(_f))
    jg(X, Y)
    names = [eq.prim.name for eq in jg.graphs()[0].eqns]
    assert "cos" in names and "exp" in names  # forward and backward in one graph


def test_second_order_and_vjp_jvp_of_jit_match_eager():
    jf = ms.jit(_f)
    h = ms.grad(ms.grad(lambda x: jf(x, Y)))(X)
    want = ms.grad(ms.grad(lambda x: _f(x, Y)))(X)
    np.testing.assert_allclose(h.asnumpy(), want.asnumpy(), rtol=1e-12)
    np.testing.assert_allclose(
        ms.jit(ms.grad(ms.grad(lambda x: _f(x, Y))))(X).asnumpy(), want.asnumpy(), rtol=1e-12
    )
    ct = Tensor(np.array(1.5))
    for _ in range(2):
        got = ms.vjp(jf, X, Y)[1](ct)
        exp = ms.vjp(_f, X, Y)[1](ct)
        for g, w in zip(got, exp):
            np.testing.assert_allclose(g.asnumpy(), w.asnumpy(), rtol=1e-12)
        v = (Tensor(np.array([1.0, -1.0, 2.0])), Tensor(np.array([0.5, 0.5, 0.5])))
        np.testing.assert_allclose(
            ms.jvp(jf, (X, Y), v)[1].asnumpy(), ms.jvp(_f, (X, Y), v)[1].asnumpy(), rtol=1e-12
        )


def test_vmap_of_jit_matches_eager():
    vmap = getattr(ms, "vmap", None)
    if vmap is None:
        pytest.skip("vmap has not landed")

    def f(x, y):
        return ops.sin(x) * y.sum()

    jf = ms.jit(f)
    xs, ys = t(4, 3), t(4, 2, seed=1)
    for _ in range(2):
        np.testing.assert_allclose(vmap(jf)(xs, ys).asnumpy(), vmap(f)(xs, ys).asnumpy(), rtol=1e-6)


def test_closed_over_tracers_are_not_frozen_into_a_graph():
    # jit inside grad, closing over the differentiated value: the graph would hold a tracer,
    # so every call captures afresh (and is right).
    def outer(x):
        inner = ms.jit(lambda y: (y * x).sum())
        return inner(Y)

    for _ in range(2):
        np.testing.assert_allclose(ms.grad(outer)(X).asnumpy(), Y.asnumpy(), rtol=1e-12)


def test_nested_jit_is_traced_into_the_outer_graph():
    inner = ms.jit(lambda x: x * 2)

    @ms.jit
    def outer(x):
        return inner(x) + 1

    np.testing.assert_allclose(outer(X).asnumpy(), X.asnumpy() * 2 + 1)
    assert inner.cache_info().misses == 0
    assert [eq.prim.name for eq in outer.graphs()[0].eqns] == ["mul", "add"]


def test_random_draws_are_not_frozen():
    @ms.jit
    def noisy(x):
        return x + ops.randn((1000,))

    x = Tensor(np.zeros(1000, np.float32))
    a, b = noisy(x).asnumpy(), noisy(x).asnumpy()
    assert noisy.cache_info().hits == 1 and not np.array_equal(a, b)
    # With a seed, jit draws what eager draws, call after call.
    ms.set_seed(3)
    eager = [(x + ops.randn((1000,))).asnumpy() for _ in range(2)]
    ms.set_seed(3)
    jitted = [noisy(x).asnumpy() for _ in range(2)]
    for e, j in zip(eager, jitted):
        np.testing.assert_array_equal(e, j)


def test_dropout_in_training_draws_a_new_mask_each_call():
    drop = nn.Dropout(p=0.5)
    drop.set_train()
    f = ms.jit(drop)
    x = Tensor(np.ones((64, 64), np.float32))
    a, b = f(x).asnumpy(), f(x).asnumpy()
    assert not np.array_equal(a, b) and set(np.unique(a)) <= {0.0, 2.0}
    drop.set_train(False)  # the training flag is part of the key
    np.testing.assert_array_equal(f(x).asnumpy(), x.asnumpy())
    assert f.cache_info().misses == 2


def test_tensor_copy_inside_jit_is_part_of_the_graph():
    @ms.jit
    def f(x):
        return Tensor(x) * 2 + Tensor(x, dtype=ms.float64)

    x = t(3)
    f(x)
    x2 = t(3, seed=5)
    np.testing.assert_allclose(f(x2).asnumpy(), x2.asnumpy().astype(np.float64) * 3, rtol=1e-6)
    g = ms.grad(lambda x: f(x).sum())(x)  # the copy carries no gradient, as eager
    np.testing.assert_array_equal(g.asnumpy(), np.zeros(3))


def test_capture_api_for_pictures():
    w = ms.Parameter(Tensor(np.ones((3, 2), np.float32)), name="w_pic")

    def f(x, scale):
        ops.assign(w, w * scale)
        return ops.matmul(x, w)

    graph, out = capture(f, (t(4, 3), 0.5), {})
    assert out.shape == (4, 2)
    np.testing.assert_array_equal(w.asnumpy(), np.full((3, 2), 0.5))  # the call's effect
    meta = graph.meta
    assert meta["n_args"] == 1 and meta["params"] == [w] and meta["param_inputs"] == (1,)
    assert graph.inputs[1].name == "w_pic" and graph.inputs[0].name is None
    assert [p for p, _ in meta["assigns"]] == [w] and meta["n_results"] == 1
    assert meta["in_leaves"][1] == ("static", 0.5)
    assert [eq.prim.name for eq in graph.eqns] == ["mul", "matmul"]
    named, _ = capture(f, (t(4, 3), 0.5), {}, name_inputs=True)
    assert named.inputs[0].name == "args[0]"
