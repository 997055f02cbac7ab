"""fit_distribution recovers parameters of every distribution class, with the right errors.

Closed-form MLEs are checked exactly; the others by their score (zero, from SciPy's log-density
and finite differences) and their standard errors (from a finite-difference Hessian of it).
"""

import numpy as np
import pytest

from minispore import mle

msd = pytest.importorskip("minispore.nn.probability.distribution")
stats = pytest.importorskip("scipy.stats")
numdiff = pytest.importorskip("statsmodels.tools.numdiff")

METHODS = ["newton", "bfgs", "lbfgs"]
N = 1500


def _rng(seed):
    return np.random.default_rng(seed)


def _fit_all(cls, x, init, **kwargs):
    """Fit with every method from `init` (not the moment estimates, so the optimiser works)."""
    fits = [mle.fit_distribution(cls, x, init=init, method=m, **kwargs) for m in METHODS]
    for res in fits:
        assert res.converged and res.nobs == len(x)
        np.testing.assert_allclose(res.flat_params, fits[0].flat_params, rtol=1e-8)
    return fits


def _closed(cls, x, init, params, bse, **kwargs):
    for res in _fit_all(cls, x, init, **kwargs):
        np.testing.assert_allclose(res.flat_params, params, rtol=1e-8)
        np.testing.assert_allclose(res.flat_bse, bse, rtol=1e-7)
    return res


def test_normal_and_lognormal_closed_forms():
    x = _rng(0).normal(2.0, 3.0, N)
    m, s, n = x.mean(), x.std(), len(x)
    res = _closed(msd.Normal, x, {"mean": 0.0, "sd": 1.0}, [m, s], [s / n**0.5, s / (2 * n) ** 0.5])
    assert res.names == ["mean", "sd"]
    assert float(res.distribution.mean().asnumpy()) == pytest.approx(m, rel=1e-9)
    y = np.exp(x / 4)
    lm, ls = np.log(y).mean(), np.log(y).std()
    _closed(
        msd.LogNormal, y, {"loc": 0.0, "scale": 1.0}, [lm, ls], [ls / n**0.5, ls / (2 * n) ** 0.5]
    )


def test_exponential_poisson_closed_forms():
    x = _rng(1).exponential(0.5, N)
    rate = 1 / x.mean()
    _closed(msd.Exponential, x, {"rate": 0.3}, [rate], [rate / N**0.5])
    k = _rng(2).poisson(3.0, N)
    _closed(msd.Poisson, k, {"rate": 1.0}, [k.mean()], [(k.mean() / N) ** 0.5])


def test_bernoulli_geometric_binomial_closed_forms():
    y = _rng(3).binomial(1, 0.3, N)
    p = y.mean()
    res = _closed(msd.Bernoulli, y, {"probs1": 0.5}, [p], [(p * (1 - p) / N) ** 0.5])
    assert res.names == ["probs1"]  # MindSpore's per-call name
    g = _rng(4).geometric(0.3, N) - 1  # failures before the first success, as MindSpore counts
    p = 1 / (1 + g.mean())
    _closed(msd.Geometric, g, {"probs1": 0.5}, [p], [p * ((1 - p) / N) ** 0.5])
    b = _rng(5).binomial(10, 0.3, N)
    p = b.mean() / 10
    res = _closed(msd.Binomial, b, {"probs": 0.5}, [p], [(p * (1 - p) / (10 * N)) ** 0.5],
                  fixed={"total_count": 10})  # fmt: skip
    # float32: a discrete class keeps an integer sample dtype, so it computes in float32
    assert float(res.distribution.mean().asnumpy()) == pytest.approx(b.mean(), rel=1e-6)


def test_categorical_closed_form():
    labels = _rng(6).choice(4, N, p=[0.1, 0.2, 0.3, 0.4])
    p = np.bincount(labels) / N
    res = _closed(msd.Categorical, labels, {"probs": np.full(4, 0.25)}, p, (p * (1 - p) / N) ** 0.5)
    np.testing.assert_allclose(res.cov, (np.diag(p) - np.outer(p, p)) / N, rtol=1e-7, atol=1e-14)
    np.testing.assert_allclose(res.distribution.probs.asnumpy(), p, rtol=1e-8)


# (class, sample, SciPy log-density of the parameters in PARAMETERS order, truth, init)
OPEN_FORM = [
    (msd.Gamma, lambda r: r.gamma(2.5, 1 / 1.5, N),
     lambda x, a, b: stats.gamma.logpdf(x, a, scale=1 / b), [2.5, 1.5], {"concentration": 1.0, "rate": 1.0}),
    (msd.Beta, lambda r: r.beta(2.0, 5.0, N),
     lambda x, a, b: stats.beta.logpdf(x, a, b), [2.0, 5.0], {"concentration1": 1.0, "concentration0": 1.0}),
    (msd.Cauchy, lambda r: stats.cauchy.rvs(1.0, 2.0, size=N, random_state=r),
     lambda x, m, s: stats.cauchy.logpdf(x, m, s), [1.0, 2.0], None),
    (msd.Logistic, lambda r: r.logistic(1.0, 2.0, N),
     lambda x, m, s: stats.logistic.logpdf(x, m, s), [1.0, 2.0], {"loc": 0.0, "scale": 1.0}),
    (msd.Gumbel, lambda r: r.gumbel(1.0, 2.0, N),
     lambda x, m, s: stats.gumbel_r.logpdf(x, m, s), [1.0, 2.0], {"loc": 0.0, "scale": 1.0}),
]  # fmt: skip


@pytest.mark.parametrize(
    "cls, draw, logpdf, truth, init", OPEN_FORM, ids=[case[0].__name__ for case in OPEN_FORM]
)
def test_fits_without_closed_form_are_stationary_and_recover_the_parameters(
    cls, draw, logpdf, truth, init
):
    x = draw(_rng(7))

    def loglike(params):
        return np.sum(logpdf(x, *params))

    for res in _fit_all(cls, x, init):
        theta = res.flat_params
        score = numdiff.approx_fprime(theta, loglike, centered=True)
        assert np.max(np.abs(score)) < 1e-4 * len(x)  # zero up to finite-difference error
        bse = np.sqrt(np.diag(np.linalg.inv(-numdiff.approx_hess3(theta, loglike))))
        np.testing.assert_allclose(res.flat_bse, bse, rtol=1e-4)
        assert np.all(np.abs(theta - truth) < 4 * res.flat_bse)
        np.testing.assert_allclose(res.llf, loglike(theta), rtol=1e-10)


def test_default_starts_and_instances():
    x = _rng(8).gamma(2.5, 1 / 1.5, 500)
    res = mle.fit_distribution(msd.Gamma(1.0, 1.0), x)  # an instance: its parameters are ignored
    assert res.converged and res.names == ["concentration", "rate"]
    conc, rate = res.flat_params
    assert float(res.distribution.mean().asnumpy()) == pytest.approx(conc / rate, rel=1e-12)


def test_uniform_has_the_closed_form_and_no_standard_errors():
    x = _rng(9).uniform(-1.0, 3.0, 200)
    res = mle.fit_distribution(msd.Uniform, x)
    np.testing.assert_array_equal(res.flat_params, [x.min(), x.max()])
    assert np.all(np.isnan(res.flat_bse)) and res.method == "closed form"
    assert res.llf == pytest.approx(-200 * np.log(x.max() - x.min()))
    with pytest.raises(ValueError, match="Uniform takes finite data and no 'fixed' parameters"):
        mle.fit_distribution(msd.Uniform, x, fixed={"low": -1.0})


@pytest.mark.parametrize(
    "cls, data, kwargs, error, message",
    [
        (
            msd.Poisson,
            [1, 2, -1],
            {},
            ValueError,
            "Poisson data must be non-negative integers, but got -1",
        ),
        (msd.Bernoulli, [0, 1, 2], {}, ValueError, "Bernoulli data must be 0 or 1, but got 2"),
        (msd.Beta, [0.2, 1.0], {}, ValueError, "strictly between 0 and 1, but got 1"),
        (msd.Normal, [1.0, np.nan], {}, ValueError, "Normal data must be finite"),
        (msd.Bernoulli, [0, 0, 0], {}, ValueError, "'probs' is 0, on the boundary"),
        (msd.Normal, [2.0, 2.0, 2.0], {}, ValueError, "all observations are equal"),
        (msd.Categorical, [0, 2, 2], {}, ValueError, "category 1 never occurs"),
        (
            msd.Binomial,
            [1, 2],
            {},
            ValueError,
            "'total_count' .* is not estimated: give it in 'fixed'",
        ),
        (
            msd.Binomial,
            [1, 12],
            {"fixed": {"total_count": 10}},
            ValueError,
            "must not exceed total_count=10",
        ),
        (
            msd.Normal,
            [1.0, 2.0],
            {"init": {"scale": 1.0}},
            ValueError,
            r"has parameters \('mean', 'sd'\)",
        ),
        (msd.Normal, [1.0], {}, ValueError, "at least 2 observations"),
        (msd.Normal, ["a", "b"], {}, TypeError, "'data' must be a Tensor or an array of numbers"),
        (np.ndarray, [1.0, 2.0], {}, TypeError, "must be a distribution"),
    ],
)
def test_bad_input_is_reported(cls, data, kwargs, error, message):
    with pytest.raises(error, match=message):
        mle.fit_distribution(
            cls, np.array(data) if not isinstance(data[0], str) else data, **kwargs
        )


def test_another_distribution_subclass_needs_init():
    class Shifted(msd.Normal):
        pass

    x = _rng(10).normal(1.0, 2.0, 300)
    with pytest.raises(
        ValueError, match=r"no default starting values for Shifted: give \['mean', 'sd'\]"
    ):
        mle.fit_distribution(Shifted, x)
    res = mle.fit_distribution(Shifted, x, init={"mean": 0.0, "sd": 1.0})
    np.testing.assert_allclose(res.flat_params, [x.mean(), x.std()], rtol=1e-8)
