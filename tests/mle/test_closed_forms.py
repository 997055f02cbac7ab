"""MLEs and their standard errors equal the closed forms, for every method."""

import numpy as np
import pytest

from minispore import Tensor, mle
from tests.mle.models import (
    bernoulli_nll,
    exponential_nll,
    log_factorial_sum,
    normal_nll,
    poisson_nll,
)

METHODS = ["newton", "bfgs", "lbfgs"]
RTOL = 1e-8


def _close(got, want, rtol=RTOL):
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), want, rtol=rtol, atol=0)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("constraint", [None, "positive", "softplus"])
def test_normal_mean_and_sd(method, constraint):
    x = np.random.default_rng(0).normal(1.5, 2.0, 400)
    res = mle.fit(
        normal_nll, (0.0, 1.0), args=(Tensor(x),), method=method, constraints=(None, constraint)
    )
    n, mean, sd = len(x), x.mean(), x.std()  # the MLE of sd divides by n
    assert res.converged
    _close([res.params[0].asnumpy(), res.params[1].asnumpy()], [mean, sd])
    _close(res.flat_bse, [sd / np.sqrt(n), sd / np.sqrt(2 * n)])
    _close(res.llf, -0.5 * n * (np.log(2 * np.pi * sd**2) + 1))


@pytest.mark.parametrize("method", METHODS)
def test_poisson_rate(method):
    k = np.random.default_rng(1).poisson(3.5, 300).astype(np.float64)
    res = mle.fit(
        poisson_nll,
        1.0,
        args=(Tensor(k), log_factorial_sum(k)),
        method=method,
        constraints="positive",
    )
    assert res.converged and res.params.shape == ()
    _close(res.params.asnumpy(), k.mean())
    _close(res.bse.asnumpy(), np.sqrt(k.mean() / len(k)))


@pytest.mark.parametrize("method", METHODS)
def test_exponential_rate(method):
    x = np.random.default_rng(2).exponential(1 / 0.7, 250)
    res = mle.fit(exponential_nll, 2.0, args=(Tensor(x),), method=method, constraints="positive")
    rate = 1 / x.mean()
    _close(res.params.asnumpy(), rate)
    _close(res.bse.asnumpy(), rate / np.sqrt(len(x)))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("constraint", ["probability", mle.interval(0.0, 1.0), None])
def test_bernoulli_probability(method, constraint):
    y = (np.random.default_rng(3).uniform(size=500) < 0.3).astype(np.float64)
    res = mle.fit(bernoulli_nll, 0.5, args=(Tensor(y),), method=method, constraints=constraint)
    p, n = y.mean(), len(y)
    _close(res.params.asnumpy(), p)
    _close(res.bse.asnumpy(), np.sqrt(p * (1 - p) / n))


@pytest.mark.parametrize("method", METHODS)
def test_unconstrained_fit_from_a_start_where_steps_leave_the_domain(method):
    """Without a constraint, trial steps to sd <= 0 give NaN; the line search shortens them."""
    x = np.random.default_rng(4).normal(-3.0, 0.05, 200)
    res = mle.fit(normal_nll, (0.0, 1.0), args=(Tensor(x),), method=method)
    assert res.converged
    _close(res.flat_params, [x.mean(), x.std()])
