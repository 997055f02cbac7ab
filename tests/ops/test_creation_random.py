"""`minispore.ops` creation functions (ones, zeros, full, arange, linspace, eye, fill, *_like),
seeded random draws (randn, rand, randint, randperm, normal, uniform, standard_normal), and
`minispore.common.initializer`."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, ops
from minispore.common import initializer as init


@pytest.fixture(autouse=True)
def _restore_seed():
    yield
    ms.set_seed(12345)


# ---- creation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, ref", [("ones", np.ones), ("zeros", np.zeros)])
@pytest.mark.parametrize("shape", [3, (2, 3), [4], (), (2, 0, 3)])
def test_ones_zeros(name, ref, shape):
    r = getattr(ops, name)(shape)
    exp_shape = (shape,) if isinstance(shape, int) else tuple(shape)
    assert r.shape == exp_shape
    assert r.dtype == ms.float32
    np.testing.assert_array_equal(r.asnumpy(), ref(exp_shape, np.float32))
    r2 = getattr(ops, name)(shape, ms.int32)
    assert r2.dtype == ms.int32


@pytest.mark.parametrize("name, val", [("ones_like", 1), ("zeros_like", 0)])
def test_like(name, val):
    x = Tensor(np.arange(6, dtype=np.int32).reshape(2, 3))
    r = getattr(ops, name)(x)
    assert r.shape == (2, 3) and r.dtype == ms.int32
    np.testing.assert_array_equal(r.asnumpy(), np.full((2, 3), val))
    r2 = getattr(ops, name)(x, dtype=ms.float16)
    assert r2.dtype == ms.float16


def test_full_and_full_like():
    r = ops.full((2, 3), 1.5)
    assert r.dtype == ms.float32
    np.testing.assert_array_equal(r.asnumpy(), np.full((2, 3), 1.5, np.float32))
    assert ops.full((2,), 7).dtype == ms.int64
    assert ops.full((2,), True).dtype == ms.bool_
    assert ops.full((2,), 3, dtype=ms.float64).dtype == ms.float64
    fl = ops.full_like(Tensor(np.zeros((2, 2), np.float32)), 4)
    assert fl.dtype == ms.float32
    np.testing.assert_array_equal(fl.asnumpy(), np.full((2, 2), 4.0))
    assert ops.full_like(Tensor(np.zeros(2)), 4, dtype=ms.int32).dtype == ms.int32


def test_fill():
    r = ops.fill(ms.int32, (2, 2), 3)
    assert r.dtype == ms.int32
    np.testing.assert_array_equal(r.asnumpy(), np.full((2, 2), 3))
    np.testing.assert_array_equal(ops.fill(ms.float32, 3, 0.5).asnumpy(), [0.5, 0.5, 0.5])


@pytest.mark.parametrize(
    "args, kwargs, dtype",
    [
        ((5,), {}, ms.int64),
        ((2, 9, 3), {}, ms.int64),
        ((1, 2, 0.25), {}, ms.float32),
        ((0.0, 1.0, 0.1), {}, ms.float32),
        ((5, 0, -2), {}, ms.int64),
        ((3,), {"dtype": ms.float64}, ms.float64),
    ],
)
def test_arange(args, kwargs, dtype):
    r = ops.arange(*args, **kwargs)
    assert r.dtype == dtype
    np.testing.assert_allclose(r.asnumpy(), np.arange(*args), rtol=1e-6)
    assert r.shape == np.arange(*args).shape


def test_arange_tensor_args_and_zero_step():
    np.testing.assert_array_equal(ops.arange(Tensor(4)).asnumpy(), np.arange(4))
    with pytest.raises(ValueError, match="arange"):
        ops.arange(0, 5, 0)


@pytest.mark.parametrize(
    "start, end, steps", [(0, 1, 5), (-2.0, 3.0, 11), (1, 1, 1), (Tensor(0.0), Tensor(2.0), 3)]
)
def test_linspace(start, end, steps):
    r = ops.linspace(start, end, steps)
    assert r.dtype == ms.float32
    s = float(start) if not isinstance(start, Tensor) else start.item()
    e = float(end) if not isinstance(end, Tensor) else end.item()
    np.testing.assert_allclose(r.asnumpy(), np.linspace(s, e, steps), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("n, m", [(3, None), (2, 4), (4, 2)])
def test_eye(n, m):
    r = ops.eye(n, m)
    assert r.dtype == ms.float32
    np.testing.assert_array_equal(r.asnumpy(), np.eye(n, m))
    assert ops.eye(n, m, ms.int32).dtype == ms.int32


def test_creation_bad_shapes():
    with pytest.raises(TypeError, match="ones"):
        ops.ones("a")
    with pytest.raises(TypeError, match="zeros"):
        ops.zeros((2.0, 3))


@pytest.mark.parametrize("name", ["ones", "zeros"])
def test_creation_negative_dim_error_names_op(name):
    with pytest.raises(ValueError) as exc:
        getattr(ops, name)((2, -1))
    assert name in str(exc.value)


# ---- seeded randomness -----------------------------------------------------------------------


def test_set_seed_makes_randn_reproducible():
    ms.set_seed(0)
    a = ops.randn(2, 3)
    b = ops.randn(2, 3)
    ms.set_seed(0)
    c = ops.randn(2, 3)
    d = ops.randn(2, 3)
    assert a.dtype == ms.float32 and a.shape == (2, 3)
    np.testing.assert_array_equal(a.asnumpy(), c.asnumpy())
    np.testing.assert_array_equal(b.asnumpy(), d.asnumpy())
    assert not np.array_equal(a.asnumpy(), b.asnumpy())
    ms.set_seed(1)
    e = ops.randn(2, 3)
    assert not np.array_equal(a.asnumpy(), e.asnumpy())


def test_set_seed_reseeds_numpy_global_rng():
    ms.set_seed(42)
    x = np.random.rand(4)
    ms.set_seed(42)
    y = np.random.rand(4)
    np.testing.assert_array_equal(x, y)
    np.random.seed(42)
    np.testing.assert_array_equal(np.random.rand(4), x)
    assert ms.get_seed() == 42


@pytest.mark.parametrize(
    "draw",
    [
        lambda: ops.randn(3, 4),
        lambda: ops.randn((3, 4)),
        lambda: ops.rand(5),
        lambda: ops.randint(0, 10, (6,)),
        lambda: ops.randperm(8),
        lambda: ops.normal((4,), 1.0, 2.0),
        lambda: ops.uniform((4,), Tensor(-1.0), Tensor(1.0)),
        lambda: ops.standard_normal((2, 2)),
    ],
)
def test_every_draw_is_reproducible_under_set_seed(draw):
    ms.set_seed(7)
    a = draw().asnumpy()
    ms.set_seed(7)
    b = draw().asnumpy()
    np.testing.assert_array_equal(a, b)


def test_seed_argument():
    a = ops.randn(3, seed=5).asnumpy()
    b = ops.randn(3, seed=5).asnumpy()
    np.testing.assert_array_equal(a, b)


def test_random_shapes_dtypes_ranges():
    ms.set_seed(3)
    r = ops.rand(1000)
    assert r.dtype == ms.float32
    v = r.asnumpy()
    assert v.min() >= 0.0 and v.max() < 1.0 and 0.4 < v.mean() < 0.6
    n = ops.randn(20000).asnumpy()
    assert abs(n.mean()) < 0.05 and abs(n.std() - 1.0) < 0.05
    assert ops.randn(2, dtype=ms.float64).dtype == ms.float64
    i = ops.randint(2, 5, (1000,))
    assert i.dtype == ms.int64
    iv = i.asnumpy()
    assert iv.min() == 2 and iv.max() == 4
    p = ops.randperm(10).asnumpy()
    assert sorted(p.tolist()) == list(range(10))
    nm = ops.normal((20000,), 3.0, 0.5).asnumpy()
    assert abs(nm.mean() - 3.0) < 0.03 and abs(nm.std() - 0.5) < 0.03
    u = ops.uniform((1000,), Tensor(2.0), Tensor(3.0)).asnumpy()
    assert u.min() >= 2.0 and u.max() < 3.0
    assert ops.standard_normal((2, 3)).shape == (2, 3)


def test_randint_bad_range():
    with pytest.raises(ValueError, match="randint"):
        ops.randint(5, 5, (2,))


def test_dropout():
    x = Tensor(np.ones((100, 100), np.float32))
    ms.set_seed(0)
    y = ops.dropout(x, p=0.25).asnumpy()
    kept = y != 0
    assert 0.7 < kept.mean() < 0.8
    np.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)
    np.testing.assert_array_equal(ops.dropout(x, p=0.5, training=False).asnumpy(), x.asnumpy())
    np.testing.assert_array_equal(ops.dropout(x, p=1.0).asnumpy(), 0)
    with pytest.raises(ValueError, match="dropout"):
        ops.dropout(x, p=1.5)


# ---- initializers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "zeros",
        "ones",
        "normal",
        "uniform",
        "he_uniform",
        "he_normal",
        "xavier_uniform",
        "xavier_normal",
        "truncatednormal",
    ],
)
def test_initializer_names(name):
    ms.set_seed(0)
    t = init.initializer(name, (30, 40), ms.float32)
    assert isinstance(t, Tensor) and t.shape == (30, 40) and t.dtype == ms.float32
    ms.set_seed(0)
    t2 = init.initializer(name, (30, 40), ms.float32)
    np.testing.assert_array_equal(t.asnumpy(), t2.asnumpy())
    v = t.asnumpy()
    if name == "zeros":
        assert (v == 0).all()
    elif name == "ones":
        assert (v == 1).all()
    else:
        assert v.std() > 0


def test_initializer_distributions():
    ms.set_seed(1)
    fan_in, fan_out = 200, 100
    shape = (fan_out, fan_in)
    xu = init.initializer(init.XavierUniform(), shape, ms.float64).asnumpy()
    bound = np.sqrt(6.0 / (fan_in + fan_out))
    assert np.abs(xu).max() <= bound
    np.testing.assert_allclose(xu.std(), bound / np.sqrt(3), rtol=0.05)
    hn = init.initializer(init.HeNormal(nonlinearity="relu"), shape, ms.float64).asnumpy()
    np.testing.assert_allclose(hn.std(), np.sqrt(2.0 / fan_in), rtol=0.05)
    n = init.initializer(init.Normal(sigma=0.5, mean=2.0), (50000,), ms.float64).asnumpy()
    assert abs(n.mean() - 2.0) < 0.02 and abs(n.std() - 0.5) < 0.02
    tn = init.initializer(init.TruncatedNormal(sigma=1.0), (10000,), ms.float64).asnumpy()
    assert tn.min() >= -2.0 and tn.max() <= 2.0
    u = init.initializer(init.Uniform(scale=0.3), (10000,), ms.float64).asnumpy()
    assert u.min() >= -0.3 and u.max() <= 0.3


def test_initializer_constant_number_tensor_and_errors():
    np.testing.assert_array_equal(init.initializer(2.5, (2,), ms.float32).asnumpy(), [2.5, 2.5])
    np.testing.assert_array_equal(
        init.initializer(init.Constant(3), 3, ms.int32).asnumpy(), [3, 3, 3]
    )
    src = Tensor(np.arange(4.0))
    t = init.initializer(src, (4,), ms.float32)
    assert t.dtype == ms.float32
    np.testing.assert_array_equal(t.asnumpy(), [0, 1, 2, 3])
    with pytest.raises(ValueError, match="initializer"):
        init.initializer(src, (5,))
    with pytest.raises(ValueError, match="initializer"):
        init.initializer("nonsense", (2,))
    with pytest.raises(TypeError, match="initializer"):
        init.initializer(object(), (2,))


def test_parameter_from_initializer():
    ms.set_seed(0)
    p = ms.Parameter(init.initializer("normal", (3, 2), ms.float32), name="w")
    assert p.shape == (3, 2) and p.dtype == ms.float32
    ms.set_seed(0)
    np.testing.assert_array_equal(
        p.asnumpy(), init.initializer("normal", (3, 2), ms.float32).asnumpy()
    )
