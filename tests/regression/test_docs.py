"""The worked examples of docs/regression.md print what the page says."""

import numpy as np
import pytest

import minispore.regression as R


def test_least_squares_and_lasso_examples(diabetes):
    X, y = diabetes
    ols = R.LinearRegression().fit(X, y)
    np.testing.assert_allclose(
        ols.coef_.round(2),
        [-10.01, -239.82, 519.85, 324.38, -792.18, 476.74, 101.04, 177.06, 751.27, 67.63],
    )
    assert round(ols.score(X, y), 4) == 0.5177
    lasso = R.Lasso(alpha=0.1).fit(X, y)
    np.testing.assert_allclose(
        lasso.coef_.round(2), [0, -155.34, 517.22, 275.09, -52.55, 0, -210.14, 0, 483.92, 33.66]
    )
    assert lasso.n_iter_ == 4
    enet = R.ElasticNet(alpha=0.01, l1_ratio=0.5).fit(X, y)
    assert enet.coef_.round(2)[2] == 211.03 and enet.coef_[5] == 0


def test_logistic_and_inference_examples(cancer):
    X, y = cancer
    clf = R.LogisticRegression(C=0.5).fit(X, y)
    assert round(clf.score(X, y), 4) == 0.9877 and clf.n_iter_.tolist() == [7]
    assert (R.LogisticRegression("l1", C=0.1).fit(X, y).coef_ != 0).sum() == 8
    logit = R.LogisticRegression(penalty=None).fit(X[:, :3], y)
    np.testing.assert_allclose(logit.bse_.round(4), [0.1791, 3.5078, 0.1953, 3.7618])
    assert "-109.449" in logit.summary()


def test_stepwise_and_gd_examples():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 8))
    y = 2 + 1.5 * X[:, 1] - 2 * X[:, 4] + 0.8 * X[:, 6] + rng.normal(size=300)
    sw = R.StepwiseRegression(direction="both", criterion="bic").fit(X, y)
    assert sw.selected_ == [4, 1, 6]
    assert [round(h["criterion"], 2) for h in sw.history_] == [1463.77, 1228.61, 1013.06, 845.28]
    gd = R.LinearRegression(solver="gd", learning_rate=0.5, epochs=300).fit(X, y)
    np.testing.assert_allclose(gd.coef_, R.LinearRegression().fit(X, y).coef_, atol=1e-8)


def test_polynomial_example():
    x = np.linspace(-2, 2, 41).reshape(-1, 1)
    poly = R.PolynomialRegression(degree=3).fit(x, 0.5 * x[:, 0] ** 3 - x[:, 0] + 2)
    np.testing.assert_allclose(poly.coef_, [-1.0, 0.0, 0.5], atol=1e-12)
    assert poly.predict([[1.0]]) == pytest.approx([1.5])
