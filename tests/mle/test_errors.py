"""Bad input raises clear errors; non-convergence and a singular information matrix warn."""

import numpy as np
import pytest

from minispore import Tensor, mle, ops
from tests.mle.models import normal_nll


def _x():
    return Tensor(np.random.default_rng(40).normal(1.0, 2.0, 50))


def test_non_finite_objective_at_the_start_is_an_error():
    x = _x().asnumpy()
    x[3] = np.nan
    with pytest.raises(
        ValueError,
        match=r"negative log-likelihood is nan at the starting values \(par0=0, par1=1\)",
    ):
        mle.fit(normal_nll, (0.0, 1.0), args=(Tensor(x),))


def test_non_finite_gradient_at_the_start_is_an_error():
    with pytest.raises(ValueError, match="gradient of the negative log-likelihood is not finite"):
        mle.fit(lambda p: ops.sqrt(p).sum() + (p - 1) ** 2, 0.0)


def test_start_outside_its_constraint_is_an_error():
    with pytest.raises(
        ValueError, match=r"starting value of sd \(\[-1.0\]\) lies outside its constraint Positive"
    ):
        mle.fit(normal_nll, (0.0, -1.0), args=(_x(),), constraints=(None, "positive"),
                names=["mean", "sd"])  # fmt: skip


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"method": "sgd"}, "'method' must be one of"),
        ({"tol": 0.0}, "'tol' must be a positive number"),
        ({"maxiter": -1}, "'maxiter' must be an int >= 0"),
        ({"constraints": ("positive",)}, "a tuple of 2 entries"),
        ({"constraints": (None, "nonnegative")}, "a constraint must be None"),
        ({"constraints": (None, ["simplex"])}, "constrains a whole vector"),
        ({"constraints": ("simplex", None)}, "needs a 1-D parameter of at least 2 entries"),
        ({"names": ["a", "b", "c"]}, "one name per component"),
    ],
)
def test_bad_options_are_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        mle.fit(normal_nll, (0.0, 1.0), args=(_x(),), **kwargs)


def test_per_element_constraints_must_match_the_size():
    with pytest.raises(ValueError, match=r"one entry per element of the parameter of shape \(2,\)"):
        mle.fit(lambda p: (p**2).sum(), np.ones(2), constraints=[None])


def test_objective_must_return_a_scalar_tensor():
    with pytest.raises(
        ValueError, match=r"must return a scalar Tensor, but it returned shape \(3,\)"
    ):
        mle.fit(lambda p: (p - 1) ** 2, np.zeros(3))
    with pytest.raises(TypeError, match="but it returned float"):
        mle.fit(lambda p: 1.0, 0.0)


def test_bad_constraint_arguments():
    with pytest.raises(ValueError, match="'low' must be less than 'high'"):
        mle.interval(1.0, 1.0)
    with pytest.raises(ValueError, match="at least one bound must be finite"):
        mle.interval(-np.inf, np.inf)
    with pytest.raises(ValueError, match="'transform' must be 'exp' or 'softplus'"):
        mle.positive("square")


@pytest.mark.parametrize("method", ["newton", "bfgs", "lbfgs"])
def test_iteration_limit_warns_with_the_count(method):
    with pytest.warns(mle.ConvergenceWarning, match="did not converge in 1 iterations"):
        res = mle.fit(normal_nll, (0.0, 1.0), args=(_x(),), method=method, maxiter=1,
                      constraints=(None, "positive"))  # fmt: skip
    assert not res.converged and res.n_iter == 1
    assert "Warning:" in res.summary()


def test_unbounded_likelihood_does_not_converge():
    """A scale driven to zero by a repeated observation: the fit must say it failed."""
    x = Tensor(np.array([1.0, 1.0, 1.0]))
    with pytest.warns(mle.ConvergenceWarning, match="stopped after"):
        with pytest.warns(RuntimeWarning, match="Hessian"):
            res = mle.fit(normal_nll, (0.5, 1.0), args=(x,), constraints=(None, "positive"))
    assert not res.converged


def test_unidentified_parameters_warn_and_give_nan_standard_errors():
    """Only a + b enters the likelihood: the information matrix is singular."""
    x = _x()

    def nll(p, x):
        return normal_nll((p[0] + p[1], 2.0), x)

    with pytest.warns(RuntimeWarning, match="not positive definite"):
        res = mle.fit(nll, np.array([0.0, 0.0]), args=(x,))
    np.testing.assert_allclose(res.flat_params.sum(), x.asnumpy().mean(), rtol=1e-9)
    assert res.cov.shape == (2, 2) and np.all(np.isnan(res.cov)) and np.all(np.isnan(res.flat_bse))


def test_value_error_at_a_trial_point_shortens_the_step_but_is_raised_at_the_start():
    """Distributions reject a non-positive scale with ValueError; a trial step may reach one."""
    x = Tensor(np.random.default_rng(41).normal(-3.0, 0.05, 200))

    def nll(p, x):
        if float(p[1].asnumpy()) <= 0:
            raise ValueError("For 'Normal', 'sd' must be greater than zero")
        return normal_nll(p, x)

    for method in ("newton", "bfgs", "lbfgs"):
        res = mle.fit(nll, (0.0, 1.0), args=(x,), method=method)
        np.testing.assert_allclose(
            res.flat_params, [x.asnumpy().mean(), x.asnumpy().std()], rtol=1e-9
        )
    with pytest.raises(ValueError, match="'sd' must be greater than zero"):
        mle.fit(nll, (0.0, -1.0), args=(x,))
