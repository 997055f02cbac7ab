"""Special functions (`ops.lgamma`, `digamma`, `polygamma`, `igamma`, `igammac`, `erfc`,
`Betainc`) against SciPy: values, dtypes, gradients, the pure-NumPy fallbacks and bad input."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, ops
from minispore.prims import special as S

sp = pytest.importorskip("scipy.special")
stats = pytest.importorskip("scipy.stats")

RTOL = 1e-12


def _rng(seed=0):
    return np.random.default_rng(seed)


def _t(x, dtype=np.float64):
    return Tensor(np.asarray(x, dtype=dtype))


@pytest.fixture
def numpy_only(monkeypatch):
    """Run the pure-NumPy algorithms, as on an installation without SciPy."""
    monkeypatch.setattr(S, "force_numpy", True)


def _positive(rng, n=4000):
    return np.concatenate([rng.uniform(1e-3, 40.0, n), rng.uniform(0.4, 3.0, n), [1e-8, 1e3, 1e8]])


def _negative(rng, n=2000):
    x = rng.uniform(-25.0, -1e-3, n)
    return x[np.abs(x - np.round(x)) > 1e-3]


def _unary_cases():
    rng = _rng(1)
    x, xn = _positive(rng), _negative(rng)
    return [
        ("lgamma", ops.lgamma, sp.gammaln, x),
        ("lgamma", ops.lgamma, sp.gammaln, xn),
        ("digamma", ops.digamma, sp.psi, x),
        ("digamma", ops.digamma, sp.psi, xn),
        ("erfc", ops.erfc, sp.erfc, rng.normal(0.0, 4.0, 2000)),
    ]


@pytest.mark.parametrize("name, op, ref, x", _unary_cases())
def test_unary_values_match_scipy(name, op, ref, x):
    np.testing.assert_allclose(op(_t(x)).asnumpy(), ref(x), rtol=RTOL, atol=0, err_msg=name)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5])
def test_polygamma_matches_scipy(n):
    x = _positive(_rng(2))
    got = ops.polygamma(Tensor(np.array(n, np.int64)), _t(x)).asnumpy()
    np.testing.assert_allclose(got, sp.polygamma(n, x), rtol=RTOL, atol=0)
    np.testing.assert_array_equal(ops.polygamma(n, _t(x)).asnumpy(), got)


def _gamma_grid(rng, n=3000):
    a = np.concatenate([rng.uniform(0.05, 60.0, n), rng.uniform(0.5, 3.0, n)])
    x = np.concatenate([rng.uniform(0.0, 120.0, n) * rng.uniform(0, 1, n), rng.uniform(0, 6, n)])
    return a, x


def test_igamma_and_igammac_match_scipy():
    a, x = _gamma_grid(_rng(3))
    np.testing.assert_allclose(ops.igamma(_t(a), _t(x)).asnumpy(), sp.gammainc(a, x), rtol=RTOL)
    np.testing.assert_allclose(ops.igammac(_t(a), _t(x)).asnumpy(), sp.gammaincc(a, x), rtol=RTOL)


def _beta_grid(rng, n=4000):
    return rng.uniform(0.1, 30.0, n), rng.uniform(0.1, 30.0, n), rng.uniform(0.0, 1.0, n)


def test_betainc_matches_scipy():
    a, b, x = _beta_grid(_rng(4))
    got = ops.Betainc()(_t(a), _t(b), _t(x)).asnumpy()
    np.testing.assert_allclose(got, sp.betainc(a, b, x), rtol=RTOL)


# ---- the pure-NumPy algorithms, used without SciPy -------------------------------------------


def _away_from(x, points, width):
    return x[np.all([np.abs(x - p) > width for p in points], axis=0)]


def test_numpy_lgamma_matches_scipy():
    rng = _rng(5)
    # SciPy's own gammaln is off by up to 4e-12 (relative) just below 1 and 2, where lgamma
    # vanishes; there the reference is mpmath (below).
    x = _away_from(_positive(rng), [1.0, 2.0], 0.01)
    np.testing.assert_allclose(S._np_lgamma(x), sp.gammaln(x), rtol=RTOL, atol=0)
    # On the negative axis lgamma has zeros too: an absolute floor of 1e-13 there.
    xn = _negative(rng)
    np.testing.assert_allclose(S._np_lgamma(xn), sp.gammaln(xn), rtol=RTOL, atol=1e-13)


def test_numpy_lgamma_near_its_zeros_matches_mpmath():
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 40
    x = np.concatenate([1 + np.linspace(-0.01, 0.01, 41), 2 + np.linspace(-0.01, 0.01, 41)])
    x = x[(x != 1.0) & (x != 2.0)]
    ref = np.array([float(mp.loggamma(mp.mpf(float(v)))) for v in x])
    np.testing.assert_allclose(S._np_lgamma(x), ref, rtol=1e-14, atol=0)
    np.testing.assert_array_equal(S._np_lgamma(np.array([1.0, 2.0])), [0.0, 0.0])


def test_numpy_digamma_and_polygamma_match_scipy():
    rng = _rng(6)
    x, xn = _positive(rng), _negative(rng)
    root = 1.4616321449683622 + np.linspace(-0.3, 0.3, 601)  # the Taylor-series region
    for v in (x, root):
        np.testing.assert_allclose(S._np_digamma(v), sp.psi(v), rtol=RTOL, atol=0)
    # Each interval of the negative axis holds a zero of digamma: absolute floor 1e-13.
    np.testing.assert_allclose(S._np_digamma(xn), sp.psi(xn), rtol=RTOL, atol=1e-13)
    for n in (1, 2, 3, 6):
        np.testing.assert_allclose(S._np_polygamma(n, x), sp.polygamma(n, x), rtol=RTOL)
        np.testing.assert_allclose(
            S._np_polygamma(n, xn[:200]), sp.polygamma(n, xn[:200]), rtol=RTOL
        )


def test_numpy_special_values_match_scipy():
    x = np.array([0.0, -0.0, -1.0, -2.0, np.inf, np.nan])
    np.testing.assert_array_equal(S._np_digamma(x), sp.psi(x))
    np.testing.assert_array_equal(S._np_lgamma(x[:-2]), sp.gammaln(x[:-2]))
    for n in (1, 2):
        np.testing.assert_array_equal(S._np_polygamma(n, x[2:]), sp.polygamma(n, x[2:]))


def test_numpy_incomplete_functions_and_erfc_match_scipy():
    rng = _rng(7)
    a, x = _gamma_grid(rng)
    np.testing.assert_allclose(S._np_igamma(a, x), sp.gammainc(a, x), rtol=RTOL)
    np.testing.assert_allclose(S._np_igammac(a, x), sp.gammaincc(a, x), rtol=RTOL)
    a, b, x = _beta_grid(rng)
    np.testing.assert_allclose(S._np_betainc(a, b, x), sp.betainc(a, b, x), rtol=RTOL)
    z = np.concatenate([np.linspace(-60.0, 12.0, 3001), [-1e3, -1e5]])
    np.testing.assert_allclose(S._np_log_ndtr(z), sp.log_ndtr(z), rtol=RTOL)
    z = rng.normal(0.0, 5.0, 500)
    np.testing.assert_allclose(S._np_erfc(z), sp.erfc(z), rtol=RTOL)


def test_numpy_incomplete_functions_at_the_edges():
    a = np.array([1.0, 2.0, 2.0, -1.0, 0.5])
    x = np.array([0.0, np.inf, -1.0, 1.0, np.nan])
    np.testing.assert_array_equal(S._np_igamma(a, x), [0.0, 1.0, np.nan, np.nan, np.nan])
    np.testing.assert_array_equal(S._np_igammac(a, x), [1.0, 0.0, np.nan, np.nan, np.nan])
    b = np.array([[1.0, 2.0, 0.0], [2.0, 3.0, -1.0]]).T
    np.testing.assert_array_equal(
        S._np_betainc(b[:, 0], b[:, 1], np.array([0.0, 1.0, 0.5])), [0.0, 1.0, np.nan]
    )
    np.testing.assert_array_equal(S._np_betainc(2.0, 3.0, np.array([1.5, -0.1])), [np.nan] * 2)


def test_ops_run_without_scipy(numpy_only):
    x = np.array([0.3, 1.7, 5.5])
    np.testing.assert_allclose(ops.lgamma(_t(x)).asnumpy(), sp.gammaln(x), rtol=RTOL)
    np.testing.assert_allclose(ops.digamma(_t(x)).asnumpy(), sp.psi(x), rtol=RTOL)
    np.testing.assert_allclose(ops.polygamma(2, _t(x)).asnumpy(), sp.polygamma(2, x), rtol=RTOL)
    np.testing.assert_allclose(ops.igamma(_t(x), _t(x[::-1])).asnumpy(), sp.gammainc(x, x[::-1]))
    np.testing.assert_allclose(ops.erfc(_t(x)).asnumpy(), sp.erfc(x), rtol=RTOL)
    got = ops.Betainc()(_t(x), _t(x[::-1]), _t([0.2, 0.5, 0.9])).asnumpy()
    np.testing.assert_allclose(got, sp.betainc(x, x[::-1], [0.2, 0.5, 0.9]), rtol=RTOL)


# ---- dtypes ------------------------------------------------------------------------------------


def test_dtypes_follow_the_input():
    x32 = Tensor(np.array([0.5, 2.0], np.float32))
    for op in (ops.lgamma, ops.digamma, ops.erfc, lambda v: ops.polygamma(1, v)):
        assert op(x32).dtype == ms.float32
        assert op(_t([0.5, 2.0])).dtype == ms.float64
        assert op(Tensor([1, 2])).dtype == ms.float32  # integers compute in float32
    assert ops.igamma(x32, x32).dtype == ms.float32
    np.testing.assert_allclose(ops.lgamma(x32).asnumpy(), sp.gammaln([0.5, 2.0]), rtol=1e-6)


def test_broadcasting():
    a = _t([[1.0], [2.0], [3.0]])
    x = _t([0.5, 1.5])
    got = ops.igamma(a, x).asnumpy()
    assert got.shape == (3, 2)
    np.testing.assert_allclose(got, sp.gammainc([[1.0], [2.0], [3.0]], [0.5, 1.5]), rtol=RTOL)


# ---- gradients ---------------------------------------------------------------------------------


def _grad(f, *args, pos=0):
    return ms.grad(f, grad_position=pos)(*args)


def test_gradients_of_the_gamma_family():
    x = np.array([0.3, 1.0, 2.5, 7.0])
    np.testing.assert_allclose(
        _grad(lambda v: ops.lgamma(v).sum(), _t(x)).asnumpy(), sp.psi(x), rtol=RTOL
    )
    np.testing.assert_allclose(
        _grad(lambda v: ops.digamma(v).sum(), _t(x)).asnumpy(), sp.polygamma(1, x), rtol=RTOL
    )
    hess = ms.grad(ms.grad(lambda v: ops.lgamma(v).sum()))(_t(x)).asnumpy()
    np.testing.assert_allclose(hess, sp.polygamma(1, x), rtol=RTOL)
    third = ms.grad(lambda v: ops.polygamma(2, v).sum())(_t(x)).asnumpy()
    np.testing.assert_allclose(third, sp.polygamma(3, x), rtol=RTOL)
    np.testing.assert_allclose(
        _grad(lambda v: ops.erfc(v).sum(), _t(x)).asnumpy(),
        -2 / np.sqrt(np.pi) * np.exp(-x * x),
        rtol=RTOL,
    )


def test_igamma_gradient_in_x_is_the_gamma_density():
    a, x = np.array([0.5, 1.0, 3.0, 20.0]), np.array([0.2, 2.0, 1.5, 25.0])
    gx = _grad(lambda a, x: ops.igamma(a, x).sum(), _t(a), _t(x), pos=1).asnumpy()
    np.testing.assert_allclose(gx, stats.gamma.pdf(x, a), rtol=1e-12)
    gcx = _grad(lambda a, x: ops.igammac(a, x).sum(), _t(a), _t(x), pos=1).asnumpy()
    np.testing.assert_allclose(gcx, -stats.gamma.pdf(x, a), rtol=1e-12)
    h = ms.grad(ms.grad(lambda x: ops.igamma(_t(a), x).sum()))(_t(x)).asnumpy()
    dpdf = stats.gamma.pdf(x, a) * ((a - 1) / x - 1)  # d/dx of the density
    np.testing.assert_allclose(h, dpdf, rtol=1e-10)


def test_igamma_gradient_in_a():
    rng = _rng(8)
    a = rng.uniform(0.2, 30.0, 60)
    x = rng.uniform(0.0, 50.0, 60) * rng.uniform(0, 1, 60)
    g = _grad(lambda a, x: ops.igamma(a, x).sum(), _t(a), _t(x)).asnumpy()
    h = 1e-6
    fd = (sp.gammainc(a + h, x) - sp.gammainc(a - h, x)) / (2 * h)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9)
    gc = _grad(lambda a, x: ops.igammac(a, x).sum(), _t(a), _t(x)).asnumpy()
    np.testing.assert_allclose(gc, -g, rtol=1e-14)


def test_igamma_gradient_in_a_matches_mpmath():
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 30
    a = np.array([0.3, 2.0, 5.0, 12.0, 12.0])
    x = np.array([0.1, 4.0, 2.0, 11.0, 30.0])  # both algorithms: series and continued fraction
    g = _grad(lambda a, x: ops.igamma(a, x).sum(), _t(a), _t(x)).asnumpy()
    ref = [
        float(mp.diff(lambda t, v=v: mp.gammainc(t, 0, v, regularized=True), u))
        for u, v in zip(a, x)
    ]
    np.testing.assert_allclose(g, ref, rtol=1e-12)


def test_second_derivative_of_igamma_in_a_raises():
    f = ms.grad(ms.grad(lambda a: ops.igamma(a, _t([1.5])).sum()))
    with pytest.raises(NotImplementedError, match="igamma.*second derivative.*'a'"):
        f(_t([2.0]))


def test_betainc_gradient_in_x_is_the_beta_density():
    a, b, x = np.array([0.7, 2.0, 5.0]), np.array([1.5, 3.0, 0.8]), np.array([0.2, 0.5, 0.9])
    g = _grad(lambda x: ops.Betainc()(_t(a), _t(b), x).sum(), _t(x)).asnumpy()
    np.testing.assert_allclose(g, stats.beta.pdf(x, a, b), rtol=1e-12)


@pytest.mark.parametrize("pos, name", [(0, "a"), (1, "b")])
def test_betainc_gradient_in_the_shapes_raises(pos, name):
    f = ms.grad(lambda a, b, x: ops.Betainc()(a, b, x).sum(), grad_position=pos)
    with pytest.raises(NotImplementedError, match=f"betainc.*'{name}'"):
        f(_t([1.0]), _t([2.0]), _t([0.3]))


# ---- bad input ---------------------------------------------------------------------------------


def test_bad_input_is_refused_clearly():
    x = _t([1.0, 2.0])
    with pytest.raises(ValueError, match="polygamma.*non-negative.*-1"):
        ops.polygamma(-1, x)
    with pytest.raises(TypeError, match="polygamma.*'n'"):
        ops.polygamma(1.5, x)
    with pytest.raises(TypeError, match="polygamma.*integer scalar Tensor.*float"):
        ops.polygamma(Tensor([1.0]), x)
    with pytest.raises(TypeError, match="igamma.*same dtype.*float32.*float64"):
        ops.igamma(Tensor(np.ones(2, np.float32)), x)
    with pytest.raises(ValueError, match=r"igammac.*do not broadcast.*\(2,\).*\(3,\)"):
        ops.igammac(x, _t([1.0, 2.0, 3.0]))
    with pytest.raises(TypeError, match="Betainc.*same dtype"):
        ops.Betainc()(x, x, Tensor(np.ones(2, np.float32)))
    with pytest.raises(TypeError, match="lgamma.*Tensor"):
        ops.lgamma(np.ones(2))
