"""The NumPy-only distribution functions of minispore._stats against SciPy."""

import numpy as np
import pytest

from minispore import _stats

st = pytest.importorskip("scipy.stats")
sp = pytest.importorskip("scipy.special")

RNG = np.random.default_rng(0)
X = np.concatenate([RNG.normal(size=40) * 4, [0.0, 1e-8, 8.0, 20.0, 37.0, -37.0]])
Q = np.concatenate([RNG.random(40), [1e-300, 1e-20, 1e-8, 0.5, 0.025, 0.975, 1 - 1e-12]])


def assert_rel(got, want, rtol=1e-10):
    got, want = np.asarray(got), np.asarray(want)
    err = np.abs(got - want) / np.maximum(np.abs(want), 1e-300)
    assert err.max() <= rtol, f"largest relative error {err.max():.3e} at {np.argmax(err)}"


def test_normal_cdf_sf_ppf_match_scipy_in_the_tails():
    assert_rel(_stats.norm_cdf(X), st.norm.cdf(X))
    assert_rel(_stats.norm_sf(X), st.norm.sf(X))
    assert_rel(_stats.norm_ppf(Q), st.norm.ppf(Q))


@pytest.mark.parametrize("df", [1, 2, 3, 4.5, 10, 431, 5000])
def test_student_t_matches_scipy(df):
    # (SciPy's t.sf loses accuracy near 0 for df = 1: see the Cauchy test below.)
    t = np.concatenate([X[np.abs(X) > 1e-6], [300.0, -1e3]])
    assert_rel(_stats.t_sf(t, df), st.t.sf(t, df), 1e-9)
    assert_rel(_stats.t_cdf(t, df), st.t.cdf(t, df), 1e-9)
    q = Q[Q > 1e-200]
    assert_rel(_stats.t_ppf(q, df), st.t.ppf(q, df), 1e-9)


def test_student_t_with_one_degree_of_freedom_is_the_cauchy_distribution():
    t = np.array([1e-8, 0.3, 2.0, -5.0, 1e6])
    assert_rel(_stats.t_sf(t, 1), np.arctan2(1.0, t) / np.pi, 1e-12)
    q = np.array([1e-10, 0.1, 0.7])
    assert_rel(_stats.t_ppf(q, 1), -1.0 / np.tan(np.pi * q), 1e-12)  # tan(pi (q - 1/2))


@pytest.mark.parametrize("df", [1, 2, 5, 7.5, 30, 300])
def test_chi_square_matches_scipy(df):
    x = np.concatenate([RNG.random(30) * 3 * df, [1e-10, 0.0, 2000.0]])
    assert_rel(_stats.chi2_sf(x, df), st.chi2.sf(x, df))
    assert_rel(_stats.chi2_cdf(x[x > 0], df), st.chi2.cdf(x[x > 0], df))


@pytest.mark.parametrize(("dfn", "dfd"), [(1, 5), (3, 431), (10, 20), (50, 99950)])
def test_f_survival_matches_scipy(dfn, dfd):
    f = np.concatenate([RNG.random(20) * 5, [0.0, 1e-6, 100.0, 1000.0]])
    assert_rel(_stats.f_sf(f, dfn, dfd), st.f.sf(f, dfn, dfd), 1e-9)


def test_incomplete_beta_and_gamma_match_scipy():
    a, b, x = RNG.random(30) * 10 + 0.1, RNG.random(30) * 10 + 0.1, RNG.random(30)
    assert_rel(_stats.betainc(a, b, x), sp.betainc(a, b, x))
    assert_rel(_stats.gammainc(a, 20 * x), sp.gammainc(a, 20 * x))
    assert_rel(_stats.gammaincc(a, 20 * x), sp.gammaincc(a, 20 * x))


def test_scalars_in_scalars_out_and_edge_values():
    assert isinstance(_stats.t_sf(2.0, 10), float)
    assert _stats.norm_ppf(0.0) == -np.inf and _stats.norm_ppf(1.0) == np.inf
    assert np.isnan(_stats.norm_ppf(1.5))
    assert _stats.t_ppf(0.5, 7) == 0.0
    assert _stats.t_sf(2.0, np.inf) == pytest.approx(st.norm.sf(2.0), rel=1e-14)
    assert _stats.f_sf(0.0, 2, 3) == 1.0
    assert _stats.betainc(2.0, 3.0, 0.0) == 0.0 and _stats.betainc(2.0, 3.0, 1.0) == 1.0
