"""Lasso and ElasticNet against scikit-learn (tight tolerances on both sides), and the optimality
conditions of their minispore objective."""

import warnings

import numpy as np
import pytest

import minispore
from minispore.regression import ConvergenceWarning, ElasticNet, Lasso, penalized
from minispore.regression import _objectives as obj
from minispore.tensor import _wrap

from .conftest import assert_coef

lm = pytest.importorskip("sklearn.linear_model")

TIGHT = {"tol": 1e-12, "max_iter": 100_000}


@pytest.mark.parametrize(
    ("data", "alpha", "l1_ratio"),
    [
        (data, alpha, l1_ratio)
        for data in ("diabetes", "cancer")
        for alpha, l1_ratio in [(0.01, 1.0), (0.1, 1.0), (0.05, 0.5), (0.5, 0.2)]
    ]
    + [("diabetes", 0.0, 1.0)],  # least squares: scikit-learn's CD is slow on the cancer data
)
def test_elastic_net_matches_sklearn(request, data, alpha, l1_ratio):
    X, y = request.getfixturevalue(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns about alpha = 0
        ref = lm.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X, y)
    ours = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X, y)
    assert_coef(ours.coef_, ref.coef_)
    assert ours.intercept_ == pytest.approx(ref.intercept_, rel=1e-9)
    assert ours.dual_gap_ <= 1e-12 * float(((y - y.mean()) ** 2).sum())
    assert np.array_equal(ours.coef_ == 0, np.abs(ref.coef_) < 1e-12 * np.abs(ref.coef_).max())


def test_lasso_is_elastic_net_with_l1_ratio_one(diabetes):
    X, y = diabetes
    ours = Lasso(alpha=0.1, **TIGHT).fit(X, y)
    ref = lm.Lasso(alpha=0.1, **TIGHT).fit(X, y)
    assert_coef(ours.coef_, ref.coef_)
    assert (ours.coef_ == 0).sum() == (ref.coef_ == 0).sum() > 0
    assert "l1_ratio" not in ours.get_params()
    assert isinstance(ours.n_iter_, int) and ours.n_iter_ >= 1


def test_default_tolerance_is_close_to_sklearn_default(diabetes):
    X, y = diabetes
    ours = Lasso(alpha=0.1).fit(X, y)
    ref = lm.Lasso(alpha=0.1).fit(X, y)
    assert_coef(ours.coef_, ref.coef_, rtol=1e-3)


def test_solution_satisfies_the_optimality_conditions_of_the_minispore_objective(cancer):
    X, y = cancer
    alpha, l1_ratio = 0.02, 0.7
    model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X, y)
    # Gradient by minispore of the smooth part: the objective with its l1 term removed.
    smooth_alpha = alpha * (1 - l1_ratio)
    args = (_wrap(model.coef_), _wrap(np.array(model.intercept_)), _wrap(X), _wrap(y))
    g = minispore.grad(obj.enet_objective)(*args, smooth_alpha, 0.0).asnumpy()
    on = model.coef_ != 0
    np.testing.assert_allclose(g[on], -alpha * l1_ratio * np.sign(model.coef_[on]), atol=1e-9)
    assert np.all(np.abs(g[~on]) <= alpha * l1_ratio + 1e-9)


def test_fista_reaches_the_same_solution(diabetes):
    X, y = diabetes
    ours = Lasso(alpha=0.05, solver="fista", **TIGHT).fit(X, y)
    ref = lm.Lasso(alpha=0.05, **TIGHT).fit(X, y)
    assert_coef(ours.coef_, ref.coef_)


def test_many_features_use_residual_coordinate_descent(monkeypatch):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(40, 120))
    y = X[:, :3] @ [2.0, -1.0, 0.5] + 0.1 * rng.normal(size=40)
    monkeypatch.setattr(penalized, "_GRAM_MAX_FEATURES", 50)
    ours = ElasticNet(alpha=0.05, l1_ratio=0.9, **TIGHT).fit(X, y)
    ref = lm.ElasticNet(alpha=0.05, l1_ratio=0.9, **TIGHT).fit(X, y)
    assert_coef(ours.coef_, ref.coef_)


def test_two_dimensional_targets(simulated):
    X, y = simulated
    Y = np.column_stack([y, -y + X[:, 1]])
    ours = Lasso(alpha=0.1, **TIGHT).fit(X, Y)
    ref = lm.Lasso(alpha=0.1, **TIGHT).fit(X, Y)
    assert ours.coef_.shape == (2, 6) and len(ours.n_iter_) == 2
    assert_coef(ours.coef_, ref.coef_)
    assert_coef(ours.intercept_, ref.intercept_)


def test_non_convergence_warns_with_the_iteration_count(cancer):
    X, y = cancer
    with pytest.warns(ConvergenceWarning, match=r"did not converge after 2 iterations"):
        ElasticNet(alpha=1e-4, max_iter=2, tol=1e-14, solver="fista").fit(X, y)
