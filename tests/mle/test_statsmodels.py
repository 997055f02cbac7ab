"""Estimates, standard errors and fit statistics agree with statsmodels' GenericLikelihoodModel.

Each likelihood is written twice: with minispore ops for `mle.fit` and with NumPy for
statsmodels, which takes numerical derivatives of it.
"""

import math
import warnings

import numpy as np
import pytest

from minispore import Tensor, mle, ops
from tests.mle.models import bernoulli_nll, log_factorial_sum, normal_nll, poisson_nll

sm_model = pytest.importorskip("statsmodels.base.model")


def _statsmodels_fit(loglike, endog, names, start):
    class Model(sm_model.GenericLikelihoodModel):
        def loglike(self, params):
            return loglike(params)

    model = Model(endog, extra_params_names=names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' own convergence chatter
        return model.fit(start_params=np.asarray(start, float), method="bfgs", gtol=1e-9,
                         maxiter=5000, disp=0)  # fmt: skip


def _compare(res, ref):
    np.testing.assert_allclose(res.flat_params, ref.params, rtol=1e-6)
    np.testing.assert_allclose(res.flat_bse, ref.bse, rtol=1e-4)
    np.testing.assert_allclose(res.llf, ref.llf, rtol=1e-10)
    np.testing.assert_allclose(res.aic, ref.aic, rtol=1e-10)
    np.testing.assert_allclose(res.bic, ref.bic, rtol=1e-10)
    np.testing.assert_allclose(res.zvalues, ref.tvalues, rtol=1e-4)
    np.testing.assert_allclose(res.pvalues, ref.pvalues, rtol=1e-3, atol=1e-12)
    np.testing.assert_allclose(res.conf_int(0.1), ref.conf_int(0.1), rtol=1e-5)
    assert res.nobs == ref.nobs


def test_normal_matches_statsmodels():
    x = np.random.default_rng(10).normal(0.4, 1.3, 150)

    def loglike(p):
        return np.sum(-0.5 * ((x - p[0]) / p[1]) ** 2 - np.log(p[1]) - 0.5 * np.log(2 * np.pi))

    ref = _statsmodels_fit(loglike, x, ["mean", "sd"], [0.0, 1.0])
    res = mle.fit(normal_nll, (0.0, 1.0), args=(Tensor(x),), constraints=(None, "positive"))
    _compare(res, ref)


def test_poisson_matches_statsmodels():
    k = np.random.default_rng(11).poisson(2.2, 120).astype(np.float64)
    const = log_factorial_sum(k)

    def loglike(p):
        return np.sum(k * np.log(p[0]) - p[0]) - const

    ref = _statsmodels_fit(loglike, k, ["rate"], [1.0])
    res = mle.fit(poisson_nll, 1.0, args=(Tensor(k), const), method="bfgs", constraints="positive")
    _compare(res, ref)


def test_bernoulli_matches_statsmodels():
    y = (np.random.default_rng(12).uniform(size=200) < 0.65).astype(np.float64)

    def loglike(p):
        return np.sum(y * np.log(p[0]) + (1 - y) * np.log(1 - p[0]))

    ref = _statsmodels_fit(loglike, y, ["p"], [0.5])
    res = mle.fit(bernoulli_nll, 0.5, args=(Tensor(y),), method="lbfgs", constraints="probability")
    _compare(res, ref)


def test_poisson_regression_with_tuple_parameters_matches_statsmodels():
    rng = np.random.default_rng(13)
    X = rng.normal(size=(300, 3))
    y = rng.poisson(np.exp(0.3 + X @ np.array([0.5, -0.2, 0.1]))).astype(np.float64)
    const = log_factorial_sum(y)

    def loglike(p):
        eta = p[0] + X @ p[1:]
        return np.sum(y * eta - np.exp(eta)) - const

    def nll(params, X, y):
        intercept, coef = params
        eta = ops.matmul(X, coef) + intercept
        return (ops.exp(eta) - y * eta).sum() + const

    ref = _statsmodels_fit(loglike, y, ["b0", "b1", "b2", "b3"], np.zeros(4))
    res = mle.fit(nll, (0.0, np.zeros(3)), args=(Tensor(X), Tensor(y)), names=["b0", "b"])
    assert res.names == ["b0", "b[0]", "b[1]", "b[2]"]
    assert isinstance(res.params, tuple) and res.params[1].shape == (3,)
    _compare(res, ref)


def test_weibull_with_two_positive_parameters_matches_statsmodels():
    x = np.random.default_rng(14).weibull(1.7, 400) * 2.5

    def loglike(p):
        k, lam = p
        return np.sum(np.log(k) - np.log(lam) + (k - 1) * np.log(x / lam) - (x / lam) ** k)

    def nll(p, x):
        k, lam = p
        return -(ops.log(k) - ops.log(lam) + (k - 1) * ops.log(x / lam) - (x / lam) ** k).sum()

    ref = _statsmodels_fit(loglike, x, ["shape", "scale"], [1.0, 1.0])
    for method in ("newton", "bfgs", "lbfgs"):
        res = mle.fit(nll, (1.0, 1.0), args=(Tensor(x),), method=method,
                      constraints=("positive", "positive"))  # fmt: skip
        _compare(res, ref)
    assert math.isclose(ref.bic, res.bic, rel_tol=1e-12)
