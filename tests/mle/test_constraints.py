"""Constraints: transforms round trip, and the delta method gives natural-scale standard errors."""

import math

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, mle, ops
from tests.mle.models import bernoulli_nll, normal_nll

CONSTRAINTS = [
    mle.real(),
    mle.positive(),
    mle.positive("softplus"),
    mle.probability(),
    mle.interval(-2.0, 5.0),
    mle.interval(1.5, math.inf),
    mle.interval(-math.inf, -1.0),
]


@pytest.mark.parametrize("c", CONSTRAINTS, ids=repr)
def test_transform_round_trip_and_support(c):
    u = np.linspace(-6, 6, 13)
    x = c.forward(Tensor(u)).asnumpy()
    assert c.contains(x)
    np.testing.assert_allclose(c.inverse(x), u, rtol=1e-9, atol=1e-9)


def test_softplus_inverse_is_stable_for_large_values():
    c = mle.positive("softplus")
    np.testing.assert_allclose(
        c.inverse(np.array([800.0, 1e-3])), [800.0, math.log(math.expm1(1e-3))]
    )


def test_simplex_round_trip():
    c = mle.simplex()
    p = np.array([0.2, 0.5, 0.3])
    back = c.forward(Tensor(c.inverse(p))).asnumpy()
    np.testing.assert_allclose(back, p, rtol=1e-12)
    assert c.contains(p) and not c.contains(np.array([0.2, 0.9]))


def _normal_data():
    return np.random.default_rng(20).normal(2.0, 0.7, 120)


@pytest.mark.parametrize(
    "constraint", ["positive", "softplus", mle.interval(0.0, 10.0), mle.interval(0.1, math.inf)]
)
def test_delta_method_equals_a_direct_fit_on_the_natural_scale(constraint):
    x = Tensor(_normal_data())
    direct = mle.fit(normal_nll, (1.0, 1.0), args=(x,))
    constrained = mle.fit(normal_nll, (1.0, 1.0), args=(x,), constraints=(None, constraint))
    np.testing.assert_allclose(constrained.flat_params, direct.flat_params, rtol=1e-9)
    np.testing.assert_allclose(constrained.cov, direct.cov, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(constrained.flat_bse, direct.flat_bse, rtol=1e-8)


def test_delta_method_against_a_hand_written_log_scale_fit():
    """sd = exp(log_sd): bse(sd) = sd * bse(log_sd), from a fit the user writes on the log scale."""
    x = Tensor(_normal_data())

    def nll_log_scale(p, x):
        return normal_nll((p[0], ops.exp(p[1])), x)

    on_log = mle.fit(nll_log_scale, np.array([1.0, 0.0]), args=(x,))
    constrained = mle.fit(normal_nll, (1.0, 1.0), args=(x,), constraints=(None, "positive"))
    sd = math.exp(on_log.flat_params[1])
    np.testing.assert_allclose(constrained.flat_params[1], sd, rtol=1e-9)
    np.testing.assert_allclose(constrained.flat_bse[1], sd * on_log.flat_bse[1], rtol=1e-8)
    np.testing.assert_allclose(constrained.cov[0, 1], sd * on_log.cov[0, 1], atol=1e-12)


def test_probability_delta_method_equals_a_direct_fit():
    y = Tensor((np.random.default_rng(21).uniform(size=300) < 0.8).astype(np.float64))
    direct = mle.fit(bernoulli_nll, 0.5, args=(y,))
    constrained = mle.fit(bernoulli_nll, 0.5, args=(y,), constraints="probability")
    np.testing.assert_allclose(constrained.bse.asnumpy(), direct.bse.asnumpy(), rtol=1e-8)


def test_per_element_constraints_on_one_tensor():
    x = Tensor(_normal_data())

    def nll(p, x):
        return normal_nll((p[0], p[1]), x)

    res = mle.fit(nll, np.array([0.0, 1.0]), args=(x,), constraints=[None, "positive"],
                  names=["mean", "sd"])  # fmt: skip
    ref = mle.fit(normal_nll, (0.0, 1.0), args=(x,), constraints=(None, "positive"))
    assert res.params.shape == (2,) and res.names == ["mean", "sd"]
    np.testing.assert_allclose(res.flat_params, ref.flat_params, rtol=1e-10)
    np.testing.assert_allclose(res.flat_bse, ref.flat_bse, rtol=1e-8)


def test_simplex_multinomial_closed_form():
    """Category frequencies; cov = (diag(p) - p p^T) / n, singular on the natural scale."""
    labels = np.random.default_rng(22).choice(4, size=500, p=[0.1, 0.2, 0.3, 0.4])
    counts = np.bincount(labels, minlength=4).astype(np.float64)
    n = counts.sum()

    def nll(p, counts):
        return -(counts * ops.log(p)).sum()

    for method in ("newton", "bfgs", "lbfgs"):
        res = mle.fit(nll, np.full(4, 0.25), args=(Tensor(counts),), method=method,
                      constraints="simplex", nobs=int(n))  # fmt: skip
        p = counts / n
        np.testing.assert_allclose(res.params.asnumpy(), p, rtol=1e-8)
        np.testing.assert_allclose(
            res.cov, (np.diag(p) - np.outer(p, p)) / n, rtol=1e-7, atol=1e-14
        )
        assert res.df_model == 3


def test_hessian_of_the_transformed_objective_comes_from_minispore():
    """The Jacobian used by the delta method is the transform's own derivative."""
    c = mle.interval(0.0, 4.0)
    u = Tensor(np.array([-1.0, 0.3, 2.0]))
    jac = ms.jacfwd(c.forward)(u).asnumpy()
    s = 1 / (1 + np.exp(-u.asnumpy()))
    np.testing.assert_allclose(np.diag(jac), 4 * s * (1 - s), rtol=1e-12)
