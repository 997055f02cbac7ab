"""Property tests (Hypothesis): broadcasting gradients, reshape/transpose round trips, trees."""

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

import minispore as ms  # noqa: E402
from minispore import Tensor, ops  # noqa: E402
from minispore.core.tree import tree_flatten, tree_unflatten  # noqa: E402

FAST = settings(max_examples=40, deadline=None)


@st.composite
def broadcastable_pair(draw):
    """Two shapes that broadcast together, each with some axes dropped or set to 1."""
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=4))

    def thin(s):
        lead = draw(st.integers(0, len(s)))
        return tuple(1 if draw(st.booleans()) else n for n in s[lead:])

    return thin(shape), thin(shape)


@FAST
@given(broadcastable_pair())
def test_gradient_of_broadcast_product_is_summed_back(shapes):
    sa, sb = shapes
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=sa), rng.normal(size=sb)
    ga, gb = ms.grad(lambda x, y: (x * y).sum(), (0, 1))(Tensor(a), Tensor(b))
    full = np.broadcast_shapes(sa, sb)
    # d/da sum(a*b) = b broadcast to the full shape, summed down to a's shape
    bb = np.broadcast_to(b, full)
    lead = len(full) - len(sa)
    expect_a = bb.sum(axis=tuple(range(lead)))
    expect_a = expect_a.sum(axis=tuple(i for i, n in enumerate(sa) if n == 1), keepdims=True)
    assert ga.shape == sa and gb.shape == sb
    np.testing.assert_allclose(ga.asnumpy(), expect_a.reshape(sa), rtol=1e-12, atol=1e-12)


@FAST
@given(hnp.array_shapes(min_dims=1, max_dims=4, max_side=4), st.randoms(use_true_random=False))
def test_reshape_and_transpose_round_trips_with_gradients(shape, rnd):
    x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    perm = list(range(len(shape)))
    rnd.shuffle(perm)
    inverse = tuple(int(i) for i in np.argsort(perm))
    t = ops.transpose(ops.transpose(Tensor(x), tuple(perm)), inverse)
    np.testing.assert_array_equal(t.asnumpy(), x)
    flat = ops.reshape(Tensor(x), (-1,))
    np.testing.assert_array_equal(ops.reshape(flat, shape).asnumpy(), x)
    w = np.random.default_rng(1).normal(size=x.shape)

    def f(v):
        y = ops.reshape(ops.transpose(v, tuple(perm)), (-1,))
        return (y * Tensor(w.transpose(perm).reshape(-1))).sum()

    np.testing.assert_allclose(ms.grad(f)(Tensor(x)).asnumpy(), w, rtol=1e-12)


leaves = st.one_of(st.integers(), st.text(max_size=3), st.none())
trees = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.tuples(children, children),
        st.dictionaries(st.text(max_size=2), children, max_size=3),
    ),
    max_leaves=12,
)


@FAST
@given(trees)
def test_tree_flatten_unflatten_round_trip(tree):
    flat, treedef = tree_flatten(tree)
    assert tree_unflatten(treedef, flat) == tree
    assert tree_flatten(tree_unflatten(treedef, flat))[1] == treedef
