"""Every method of every distribution against `scipy.stats`, in float64: parameters at
construction and per call (positionally and by name), scalar and broadcast batches."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
import minispore.nn.probability.distribution as msd
from minispore import Tensor

from .cases import CASES, constructor_kwargs

RTOL = 1e-12
VALUE_METHODS = {
    "prob": ("pmf", "pdf"),
    "log_prob": ("logpmf", "logpdf"),
    "cdf": ("cdf", "cdf"),
    "log_cdf": ("logcdf", "logcdf"),
    "survival_function": ("sf", "sf"),
    "log_survival": ("logsf", "logsf"),
}
STAT_METHODS = {"mean": "mean", "sd": "std", "var": "var", "entropy": "entropy"}
# Entries where SciPy itself loses digits (its log-cdf is log(cdf) and its entropy a numerical
# series) are compared at this tolerance instead.
LOOSE = {
    ("Gamma", "entropy"): 1e-10,
    ("Beta", "entropy"): 1e-10,
    ("Poisson", "entropy"): 1e-9,
    ("Binomial", "entropy"): 1e-9,
}


def _ids(case, k):
    return f"{case.name}-{'scalar' if k == 0 else 'batch'}"


PARAMS = [(c, k) for c in CASES for k in range(len(c.params))]


def _tensors(params):
    return {k: Tensor(np.asarray(v, np.float64)) for k, v in params.items()}


def _three_ways(case, params):
    """The same distribution three ways: built with the parameters (dtype float64), and built
    empty with float64 Tensors per call, positionally and by name."""
    built = case.cls(**constructor_kwargs(case, params), dtype=ms.float64)
    empty = case.cls()
    tensors = _tensors(params)
    return [
        ("constructor", lambda m, *a: getattr(built, m)(*a)),
        ("positional", lambda m, *a: getattr(empty, m)(*a, *tensors.values())),
        ("keywords", lambda m, *a: getattr(empty, m)(*a, **tensors)),
    ]


def _expected(ref, name, x):
    """SciPy's value; its log cdf and log sf are log(cdf) and log(sf), which lose digits next
    to 1, so there the reference is log1p(-sf) and log1p(-cdf)."""
    with np.errstate(all="ignore"):
        if name in ("logcdf", "logsf"):
            p, q = (ref.cdf(x), ref.sf(x)) if name == "logcdf" else (ref.sf(x), ref.cdf(x))
            return np.where(p > 0.5, np.log1p(-q), getattr(ref, name)(x))
        return getattr(ref, name)(x)


@pytest.mark.parametrize("case, k", PARAMS, ids=[_ids(c, k) for c, k in PARAMS])
def test_value_methods_match_scipy(case, k):
    params = case.params[k]
    x = case.values(np.random.default_rng(k), params)
    ref = case.ref(**params)
    for method, names in VALUE_METHODS.items():
        want = _expected(ref, names[0] if case.discrete else names[1], x)
        for how, call in _three_ways(case, params):
            got = call(method, Tensor(x))
            assert got.dtype == ms.float64, f"{case.name}.{method} ({how}): dtype {got.dtype}"
            np.testing.assert_allclose(
                got.asnumpy(), want, rtol=RTOL, atol=0, err_msg=f"{case.name}.{method} ({how})"
            )


@pytest.mark.parametrize("case, k", PARAMS, ids=[_ids(c, k) for c, k in PARAMS])
def test_statistics_match_scipy(case, k):
    params = case.params[k]
    ref = case.ref(**params)
    shape = np.broadcast_shapes(*(np.shape(v) for v in params.values()))
    if case.name == "Categorical":
        shape = np.shape(params["probs"])[:-1]
    for method, name in STAT_METHODS.items():
        if method in case.missing:
            continue
        want = np.broadcast_to(getattr(ref, name)(), shape)
        for how, call in _three_ways(case, params):
            got = call(method).asnumpy()
            np.testing.assert_allclose(
                got,
                want,
                rtol=LOOSE.get((case.name, method), RTOL),
                atol=0,
                err_msg=f"{case.name}.{method} ({how})",
            )
    if case.mode is not None:
        want = np.broadcast_to(case.mode(**params), shape)
        for how, call in _three_ways(case, params):
            np.testing.assert_allclose(
                call("mode").asnumpy(), want, rtol=RTOL, err_msg=f"{case.name}.mode ({how})"
            )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_missing_methods_raise(case):
    d = case.cls(**constructor_kwargs(case, case.params[0]))
    for method in case.missing:
        args = (
            (case.name, *_tensors(case.params[0]).values())
            if method in ("kl_loss", "cross_entropy")
            else ()
        )
        error = ValueError if case.name == "Cauchy" else NotImplementedError
        with pytest.raises(
            error,
            match=f"{'variance|standard deviation|mean' if error is ValueError else method}.*{case.name}",
        ):
            getattr(d, method)(*args)


def test_tails_keep_their_accuracy():
    """Far tails, where 1 - cdf or log(cdf) computed naively is 0 or -inf."""
    sp = pytest.importorskip("scipy.special")
    n = msd.Normal(0.0, 1.0, dtype=ms.float64)
    z = np.array([-40.0, -10.0, 10.0, 40.0])
    np.testing.assert_allclose(n.log_cdf(Tensor(z)).asnumpy(), sp.log_ndtr(z), rtol=RTOL)
    np.testing.assert_allclose(n.log_survival(Tensor(z)).asnumpy(), sp.log_ndtr(-z), rtol=RTOL)
    np.testing.assert_allclose(n.survival_function(Tensor(z)).asnumpy(), sp.ndtr(-z), rtol=RTOL)
    c = msd.Cauchy(0.0, 1.0, dtype=ms.float64)
    big = np.array([-1e10, 1e10])
    np.testing.assert_allclose(c.cdf(Tensor(big)).asnumpy()[0], 1 / (np.pi * 1e10), rtol=1e-12)
    np.testing.assert_allclose(
        c.survival_function(Tensor(big)).asnumpy()[1], 1 / (np.pi * 1e10), rtol=1e-12
    )
    g = msd.Gumbel(0.0, 1.0, dtype=ms.float64)
    np.testing.assert_allclose(g.log_survival(Tensor([40.0])).asnumpy(), [-40.0], rtol=1e-12)
    lg = msd.Logistic(0.0, 1.0, dtype=ms.float64)
    np.testing.assert_allclose(lg.log_cdf(Tensor([-800.0])).asnumpy(), [-800.0], rtol=1e-12)
    e = msd.Exponential(1.0, dtype=ms.float64)
    np.testing.assert_allclose(e.cdf(Tensor(np.array([1e-20]))).asnumpy(), [1e-20], rtol=1e-12)
    p = msd.Poisson(30.0, dtype=ms.float64)
    stats = pytest.importorskip("scipy.stats")
    np.testing.assert_allclose(
        p.survival_function(Tensor([120.0])).asnumpy(), stats.poisson.sf(120, 30), rtol=1e-10
    )


def test_edges_of_the_support():
    inf = np.inf
    ln = msd.LogNormal(0.0, 1.0, dtype=ms.float64)
    np.testing.assert_array_equal(ln.log_prob(Tensor([-1.0, 0.0])).asnumpy(), [-inf, -inf])
    np.testing.assert_array_equal(ln.prob(Tensor([-1.0, 0.0])).asnumpy(), [0.0, 0.0])
    gm = msd.Gamma(1.0, 2.0, dtype=ms.float64)  # an exponential: density 2 at 0
    np.testing.assert_allclose(gm.log_prob(Tensor([-1.0, 0.0])).asnumpy(), [-inf, np.log(2.0)])
    np.testing.assert_array_equal(msd.Gamma(0.5, 1.0).log_prob(Tensor([0.0])).asnumpy(), [inf])
    b = msd.Bernoulli(0.0, dtype=ms.float64)
    np.testing.assert_array_equal(b.log_prob(Tensor([0.0, 1.0])).asnumpy(), [0.0, -inf])
    np.testing.assert_array_equal(b.entropy().asnumpy(), 0.0)
    g = msd.Geometric(1.0, dtype=ms.float64)
    np.testing.assert_array_equal(g.log_prob(Tensor([0.0, 1.0])).asnumpy(), [0.0, -inf])
    np.testing.assert_array_equal(g.entropy().asnumpy(), 0.0)
    c = msd.Categorical(np.array([1.0, 0.0, 0.0]), dtype=ms.float64)
    np.testing.assert_array_equal(c.entropy().asnumpy(), 0.0)
    np.testing.assert_array_equal(
        c.log_prob(Tensor([0.0, 1.0, 3.0, -1.0])).asnumpy(), [0.0, -inf, -inf, -inf]
    )
    bt = msd.Beta(2.0, 3.0, dtype=ms.float64)
    np.testing.assert_array_equal(bt.cdf(Tensor([-1.0, 0.0, 1.0, 2.0])).asnumpy(), [0, 0, 1, 1])
    np.testing.assert_array_equal(bt.log_prob(Tensor([-0.5, 1.5])).asnumpy(), [-inf, -inf])


def test_non_integer_values_of_discrete_distributions():
    """cdf is a step function; log_prob is floored (Geometric, Categorical, as MindSpore) or the
    continuous extension through lgamma (Poisson, Binomial, as MindSpore's Poisson)."""
    stats = pytest.importorskip("scipy.stats")
    sp = pytest.importorskip("scipy.special")
    x = Tensor(np.array([2.5, 3.999]))
    p = msd.Poisson(3.0, dtype=ms.float64)
    np.testing.assert_allclose(p.cdf(x).asnumpy(), stats.poisson.cdf([2, 3], 3.0), rtol=RTOL)
    cont = np.array([2.5, 3.999]) * np.log(3.0) - 3.0 - sp.gammaln(np.array([3.5, 4.999]))
    np.testing.assert_allclose(p.log_prob(x).asnumpy(), cont, rtol=RTOL)
    g = msd.Geometric(0.3, dtype=ms.float64)
    np.testing.assert_allclose(g.log_prob(x).asnumpy(), stats.geom.logpmf([3, 4], 0.3), rtol=RTOL)
    b = msd.Binomial(10.0, 0.3, dtype=ms.float64)
    np.testing.assert_allclose(b.cdf(x).asnumpy(), stats.binom.cdf([2, 3], 10, 0.3), rtol=RTOL)


def test_poisson_entropy_for_small_and_large_rates():
    stats = pytest.importorskip("scipy.stats")
    rate = np.array([0.01, 30.0, 1e5, 1e7])
    got = msd.Poisson(rate, dtype=ms.float64).entropy().asnumpy()
    np.testing.assert_allclose(got[:2], stats.poisson(rate[:2]).entropy(), rtol=1e-10)
    # SciPy's series stops early for large rates; the asymptotic expansion is exact to 1e-16 here.
    r = rate[2:]
    asymptotic = (
        0.5 * np.log(2 * np.pi * np.e * r) - 1 / (12 * r) - 1 / (24 * r**2) - 19 / (360 * r**3)
    )
    np.testing.assert_allclose(got[2:], asymptotic, rtol=1e-12)


@pytest.mark.parametrize("name", ["Gamma", "Beta", "Poisson", "Binomial", "Normal"])
def test_methods_without_scipy(name, monkeypatch):
    """The pure-NumPy special functions give the same results (the runtime path without SciPy)."""
    from minispore.prims import special

    case = next(c for c in CASES if c.name == name)
    params = case.params[1]
    x = Tensor(case.values(np.random.default_rng(5), params))
    d = case.cls(**constructor_kwargs(case, params), dtype=ms.float64)
    methods = [*VALUE_METHODS, "entropy"]
    with_scipy = {
        m: (d.entropy() if m == "entropy" else getattr(d, m)(x)).asnumpy() for m in methods
    }
    monkeypatch.setattr(special, "force_numpy", True)
    for m in methods:
        got = (d.entropy() if m == "entropy" else getattr(d, m)(x)).asnumpy()
        np.testing.assert_allclose(got, with_scipy[m], rtol=1e-12, atol=0, err_msg=f"{name}.{m}")
