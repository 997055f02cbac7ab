"""LinearRegression, Ridge and PolynomialRegression against scikit-learn, and OLS inference
against statsmodels."""

import numpy as np
import pytest

from minispore import Tensor
from minispore.regression import LinearRegression, PolynomialRegression, Ridge

from .conftest import assert_coef

lm = pytest.importorskip("sklearn.linear_model")


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_linear_regression_matches_sklearn_on_diabetes(diabetes, fit_intercept):
    X, y = diabetes
    ours = LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    ref = lm.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    assert_coef(ours.coef_, ref.coef_)
    assert ours.intercept_ == pytest.approx(ref.intercept_, rel=1e-9, abs=1e-9)
    assert isinstance(ours.intercept_, float) and ours.n_iter_ is None
    np.testing.assert_allclose(ours.predict(X[:5]), ref.predict(X[:5]), rtol=1e-9)
    assert ours.score(X, y) == pytest.approx(ref.score(X, y), rel=1e-12)


def test_two_dimensional_targets_give_sklearn_shapes(simulated):
    X, y = simulated
    Y = np.column_stack([y, 2 * y - X[:, 0]])
    for ours, ref in [
        (LinearRegression(), lm.LinearRegression()),
        (Ridge(alpha=3.0), lm.Ridge(alpha=3.0)),
    ]:
        ours.fit(X, Y)
        ref.fit(X, Y)
        assert ours.coef_.shape == (2, 6) and ours.intercept_.shape == (2,)
        assert_coef(ours.coef_, ref.coef_)
        assert_coef(ours.intercept_, ref.intercept_)
        assert ours.predict(X).shape == (200, 2)
        assert ours.score(X, Y) == pytest.approx(ref.score(X, Y), rel=1e-12)
    column = LinearRegression().fit(X, y[:, None])
    assert column.coef_.shape == (1, 6)


@pytest.mark.parametrize("alpha", [0.0, 0.1, 10.0])
def test_ridge_matches_sklearn_on_diabetes_and_cancer(diabetes, cancer, alpha):
    for X, y in (diabetes, cancer):
        ours = Ridge(alpha=alpha).fit(X, y)
        ref = lm.Ridge(alpha=alpha).fit(X, y)
        assert_coef(ours.coef_, ref.coef_)
        assert ours.intercept_ == pytest.approx(ref.intercept_, rel=1e-9)


def test_ridge_with_more_features_than_samples_uses_the_dual_form():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(20, 50)), rng.normal(size=20)
    ours = Ridge(alpha=0.5).fit(X, y)
    ref = lm.Ridge(alpha=0.5).fit(X, y)
    assert_coef(ours.coef_, ref.coef_)
    ours_nb = Ridge(alpha=0.5, fit_intercept=False).fit(X, y)
    assert_coef(ours_nb.coef_, lm.Ridge(alpha=0.5, fit_intercept=False).fit(X, y).coef_)
    assert ours_nb.intercept_ == 0.0


@pytest.mark.parametrize(
    ("degree", "alpha", "include_bias"), [(2, 0.0, True), (3, 0.5, True), (2, 0.0, False)]
)
def test_polynomial_regression_matches_a_sklearn_pipeline(degree, alpha, include_bias):
    pre = pytest.importorskip("sklearn.preprocessing")
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, size=(80, 2))
    y = 1 + X[:, 0] - 2 * X[:, 0] * X[:, 1] + 0.5 * X[:, 1] ** 3 + 0.1 * rng.normal(size=80)
    ours = PolynomialRegression(degree=degree, alpha=alpha, include_bias=include_bias).fit(X, y)
    features = pre.PolynomialFeatures(degree, include_bias=False)
    F = features.fit_transform(X)
    ref = lm.Ridge(alpha=alpha, fit_intercept=include_bias).fit(F, y)
    np.testing.assert_array_equal(ours.powers_, features.powers_)
    np.testing.assert_allclose(ours.transform(X), F, rtol=1e-14)
    assert_coef(ours.coef_, ref.coef_)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-8)
    np.testing.assert_allclose(ours.predict(X), ref.predict(F), rtol=1e-8, atol=1e-10)


def test_polynomial_regression_recovers_the_seed_style_cubic():
    x = np.linspace(-2, 2, 41)
    y = 0.5 * x**3 - x + 2
    model = PolynomialRegression(degree=3).fit(x.reshape(-1, 1), y)
    np.testing.assert_allclose(model.coef_, [-1.0, 0.0, 0.5], atol=1e-10)
    assert model.intercept_ == pytest.approx(2.0)
    assert model.predict([[1.0]]) == pytest.approx([1.5])


def test_tensors_in_numpy_out(simulated):
    X, y = simulated
    model = LinearRegression().fit(Tensor(X), Tensor(y))
    ref = LinearRegression().fit(X, y)
    np.testing.assert_array_equal(model.coef_, ref.coef_)
    pred = model.predict(Tensor(X[:3]))
    assert type(pred) is np.ndarray and pred.dtype == np.float64


# ---- inference, against statsmodels OLS -----------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ols_inference_matches_statsmodels(diabetes, fit_intercept):
    sm = pytest.importorskip("statsmodels.api")
    X, y = diabetes
    model = LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    ref = sm.OLS(y, sm.add_constant(X) if fit_intercept else X).fit()
    for name in ("bse", "tvalues", "pvalues"):
        np.testing.assert_allclose(getattr(model, name + "_"), getattr(ref, name), rtol=1e-4)
    np.testing.assert_allclose(model.conf_int(), ref.conf_int(), rtol=1e-4)
    np.testing.assert_allclose(model.conf_int(0.1), ref.conf_int(0.1), rtol=1e-4)
    for name in ("llf", "aic", "bic"):
        assert getattr(model, name + "_") == pytest.approx(getattr(ref, name), rel=1e-4)
    inf = model._inference()
    assert inf.stats["R-squared"] == pytest.approx(ref.rsquared, rel=1e-10)
    if fit_intercept:
        assert inf.stats["F-statistic"] == pytest.approx(ref.fvalue, rel=1e-8)
        assert inf.stats["Prob (F-statistic)"] == pytest.approx(ref.f_pvalue, rel=1e-6)


def test_polynomial_inference_matches_statsmodels_on_its_features():
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, size=(60, 1))
    y = 1 + x[:, 0] - 2 * x[:, 0] ** 2 + 0.3 * rng.normal(size=60)
    model = PolynomialRegression(degree=2).fit(x, y)
    ref = sm.OLS(y, sm.add_constant(model.transform(x))).fit()
    np.testing.assert_allclose(model.bse_, ref.bse, rtol=1e-4)
    np.testing.assert_allclose(model.pvalues_, ref.pvalues, rtol=1e-4)


def test_summary_is_a_readable_table(diabetes):
    X, y = diabetes
    text = LinearRegression().fit(X, y).summary()
    assert "LinearRegression results" in text and "R-squared" in text
    lines = text.splitlines()
    const = next(line for line in lines if line.startswith("const"))
    assert const.split()[1] == "152.1335"
    assert sum(line.startswith("x") for line in lines) == 10
    assert "P>|t|" in text


def test_penalised_models_have_no_inference(diabetes):
    X, y = diabetes
    with pytest.raises(AttributeError, match="unpenalised"):
        _ = PolynomialRegression(alpha=1.0).fit(X[:, :2], y).bse_
    assert not hasattr(Ridge().fit(X, y), "bse_")
    with pytest.raises(AttributeError, match="1-D target"):
        _ = LinearRegression().fit(X, np.column_stack([y, y])).pvalues_
