"""The engine: bind, trace levels, escaped tracers, error explanations, trees."""

import numpy as np
import pytest

import minispore as ms
from minispore.core import trace as trace_mod
from minispore.core.primitive import REGISTRY, Primitive
from minispore.core.tree import tree_flatten, tree_map, tree_unflatten
from minispore.testing import check_grads, jvp, vjp

R = REGISTRY


def test_bind_without_tracers_is_plain_numpy():
    a = np.arange(3.0)
    out = R["exp"](a)
    assert type(out) is np.ndarray
    np.testing.assert_array_equal(out, np.exp(a))


def test_numpy_failures_name_the_primitive_and_shapes():
    with pytest.raises(ValueError, match=r"For 'add'.*\(2, 3\) float64.*\(4,\) float64"):
        R["add"](np.ones((2, 3)), np.ones(4))


def test_trace_stack_is_empty_after_errors():
    def bad(x):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        ms.grad(bad)(ms.Tensor([1.0]))
    assert trace_mod._stack == []
    # The next call works.
    g = ms.grad(lambda x: (x * x).sum())(ms.Tensor([3.0]))
    np.testing.assert_allclose(g.asnumpy(), [6.0])


def test_escaped_tracer_acts_as_its_value():
    leaked = []

    def f(x):
        y = x * 2
        leaked.append(y)
        return y.sum()

    ms.grad(f)(ms.Tensor([1.0, 2.0]))
    later = leaked[0] + 1  # the trace is over: the tracer is just its primal now
    np.testing.assert_allclose(later.asnumpy(), [3.0, 5.0])


def test_nested_levels_do_not_confuse_perturbations():
    # d/dx [ x * d/dy (x * y) ] = d/dx [x * x] = 2x (the classic perturbation-confusion case)
    def outer(x):
        inner = ms.grad(lambda y: (x * y).sum())(ms.Tensor([1.0]))
        return (x * inner).sum()

    g = ms.grad(outer)(ms.Tensor([3.0]))
    np.testing.assert_allclose(g.asnumpy(), [6.0])


def test_user_defined_primitive_with_check_grads():
    cube = Primitive(
        "test_cube",
        lambda x: x**3,
        vjp=(lambda ct, out, x: R["mul"](ct, R["mul"](3.0, R["square"](x))),),
        jvp=(lambda t, out, x: R["mul"](t, R["mul"](3.0, R["square"](x))),),
        register=False,
    )
    check_grads(cube, [np.random.default_rng(0).normal(size=(3, 2))], order=2)


def test_check_grads_catches_a_wrong_rule():
    wrong = Primitive(
        "test_wrong",
        np.sin,
        vjp=(lambda ct, out, x: R["mul"](ct, R["sin"](x)),),  # should be cos
        jvp=(lambda t, out, x: R["mul"](t, R["cos"](x)),),
        register=False,
    )
    with pytest.raises(AssertionError, match="VJP"):
        check_grads(wrong, [np.array([0.3, 1.1])], order=1)


def test_raw_vjp_and_jvp_agree_on_matmul():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    out, pb = vjp(R["matmul"], a, b)
    ga, gb = pb(np.ones((2, 4)))
    np.testing.assert_allclose(ga, np.ones((2, 4)) @ b.T)
    _, t = jvp(R["matmul"], [a, b], [np.ones_like(a), None])
    np.testing.assert_allclose(t, np.ones_like(a) @ b)


def test_unbroadcast_sums_leading_and_unit_axes():
    x = ms.Tensor(np.ones((3, 1)))
    y = ms.Tensor(np.ones((2, 3, 4)))
    gx, gy = ms.grad(lambda x, y: (x * y).sum(), (0, 1))(x, y)
    assert gx.shape == (3, 1) and gy.shape == (2, 3, 4)
    np.testing.assert_allclose(gx.asnumpy(), np.full((3, 1), 8.0))


def test_tree_roundtrip_with_namedtuple_and_dict():
    from collections import namedtuple

    P = namedtuple("P", "a b")
    tree = {"x": [1, (2, 3)], "y": P(4, {"z": 5})}
    leaves, d = tree_flatten(tree)
    assert leaves == [1, 2, 3, 4, 5]
    assert tree_unflatten(d, leaves) == tree
    assert tree_map(lambda v: v * 10, tree)["y"].b["z"] == 50
