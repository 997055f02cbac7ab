"""Newton, BFGS and L-BFGS agree; Newton's fallback handles a Hessian that is not positive definite."""

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, mle, ops
from minispore.mle.optimize import minimize, newton_direction

METHODS = ["newton", "bfgs", "lbfgs"]


def _logit_data():
    rng = np.random.default_rng(50)
    X = np.column_stack([np.ones(400), rng.normal(size=(400, 3))])
    y = (rng.uniform(size=400) < 1 / (1 + np.exp(-X @ np.array([-0.5, 1.0, -0.7, 0.3])))).astype(
        np.float64
    )
    return X, y


def _logit_nll(beta, X, y):
    eta = ops.matmul(X, beta)
    return (ops.softplus(eta) - y * eta).sum()


def test_methods_agree_and_match_statsmodels_logit():
    sm = pytest.importorskip("statsmodels.api")
    X, y = _logit_data()
    ref = sm.Logit(y, X).fit(disp=0, method="newton", tol=1e-12)
    fits = [
        mle.fit(_logit_nll, np.zeros(4), args=(Tensor(X), Tensor(y)), method=m) for m in METHODS
    ]
    for res in fits:
        assert res.converged
        np.testing.assert_allclose(res.flat_params, ref.params, rtol=1e-7)
        np.testing.assert_allclose(res.flat_bse, ref.bse, rtol=1e-6)
        np.testing.assert_allclose(res.llf, ref.llf, rtol=1e-12)
        np.testing.assert_allclose(res.pvalues, ref.pvalues, rtol=1e-5)
    np.testing.assert_allclose(fits[1].flat_params, fits[0].flat_params, rtol=1e-8)
    np.testing.assert_allclose(fits[2].flat_params, fits[0].flat_params, rtol=1e-8)
    assert fits[0].n_iter < fits[1].n_iter  # Newton needs fewer (more expensive) steps


def test_newton_falls_back_when_the_hessian_is_not_positive_definite():
    """Cauchy location: far from the data the negative log-likelihood is concave."""
    x = Tensor(np.random.default_rng(51).standard_cauchy(60) + 2.0)

    def nll(m, x):
        return ops.log(1 + (x - m) ** 2).sum()

    start = Tensor(np.array(30.0))
    assert float(ms.hessian(nll)(start, x).asnumpy()) < 0
    fits = [mle.fit(nll, 30.0, args=(x,), method=m) for m in METHODS]
    grid = np.linspace(1.5, 2.5, 100001)
    best = grid[np.argmin(np.log1p((x.asnumpy()[:, None] - grid) ** 2).sum(0))]
    for res in fits:
        assert res.converged
        np.testing.assert_allclose(res.params.asnumpy(), best, atol=2e-5)
        np.testing.assert_allclose(res.params.asnumpy(), fits[0].params.asnumpy(), rtol=1e-8)


def test_newton_direction_is_a_descent_direction_for_an_indefinite_hessian():
    h = np.array([[1.0, 0.0], [0.0, -2.0]])
    g = np.array([0.3, -0.4])
    d = newton_direction(h, g)
    assert g @ d < 0
    np.testing.assert_allclose(newton_direction(np.eye(2) * 2, g), -g / 2)
    np.testing.assert_allclose(newton_direction(np.full((2, 2), np.nan), g), -g)


class _Rosenbrock:
    """A NumPy objective: the optimisers do not depend on minispore."""

    def value(self, x):
        return float(np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2))

    def value_and_grad(self, x):
        g = np.zeros_like(x)
        g[:-1] = -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
        g[1:] += 200 * (x[1:] - x[:-1] ** 2)
        return self.value(x), g

    def hessian(self, x):
        h = np.zeros((len(x), len(x)))
        for i in range(len(x) - 1):
            h[i, i] += 1200 * x[i] ** 2 - 400 * x[i + 1] + 2
            h[i, i + 1] = h[i + 1, i] = -400 * x[i]
            h[i + 1, i + 1] += 200
        return h


@pytest.mark.parametrize("method", METHODS)
def test_optimisers_minimise_rosenbrock(method):
    res = minimize(_Rosenbrock(), np.array([-1.2, 1.0]), method, 1e-10, 1000)
    assert res.converged
    np.testing.assert_allclose(res.x, [1.0, 1.0], rtol=1e-8)
