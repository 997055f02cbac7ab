"""StepwiseRegression against a plain reference loop over candidate columns with statsmodels fits,
on simulated data whose true predictors are columns 1, 4 and 6."""

import numpy as np
import pytest

from minispore.regression import LinearRegression, StepwiseRegression

sm = pytest.importorskip("statsmodels.api")

TRUE = [1, 4, 6]


@pytest.fixture(scope="module")
def gaussian_data():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(300, 8))
    y = 2.0 + 1.5 * X[:, 1] - 2.0 * X[:, 4] + 0.8 * X[:, 6] + rng.normal(size=300)
    return X, y


@pytest.fixture(scope="module")
def binomial_data():
    rng = np.random.default_rng(8)
    X = rng.normal(size=(400, 8))
    z = 0.5 + 1.5 * X[:, 1] - 2.0 * X[:, 4] + 1.0 * X[:, 6]
    return X, (rng.random(400) < 1 / (1 + np.exp(-z))).astype(float)


def sm_fit(X, y, cols, family):
    D = np.column_stack([np.ones(len(y)), X[:, cols]])
    if family == "gaussian":
        return sm.OLS(y, D).fit()
    return sm.Logit(y, D).fit(disp=0, tol=1e-12)


def reference(X, y, direction, criterion, family, t_in=0.05, t_out=0.10):
    """The textbook loop: returns (selected, criterion after each step)."""

    def crit(cols):
        return getattr(sm_fit(X, y, cols, family), criterion)

    def add(selected, current):
        rest = [j for j in range(X.shape[1]) if j not in selected]
        if not rest:
            return None
        if criterion == "pvalue":
            ps = {j: sm_fit(X, y, selected + [j], family).pvalues[-1] for j in rest}
            j = min(ps, key=ps.get)
            return (j, ps[j]) if ps[j] < t_in else None
        scores = {j: crit(selected + [j]) for j in rest}
        j = min(scores, key=scores.get)
        return (j, scores[j]) if scores[j] < current else None

    def remove(selected, current):
        if not selected:
            return None
        if criterion == "pvalue":
            ps = sm_fit(X, y, selected, family).pvalues[1:]
            k = int(np.argmax(ps))
            return (selected[k], ps[k]) if ps[k] > t_out else None
        scores = {j: crit([c for c in selected if c != j]) for j in selected}
        j = min(scores, key=scores.get)
        return (j, scores[j]) if scores[j] < current else None

    selected = list(range(X.shape[1])) if direction == "backward" else []
    current = None if criterion == "pvalue" else crit(selected)
    values = [current]
    while True:
        changed = False
        if direction in ("forward", "both") and (step := add(selected, current)):
            selected, current = selected + [step[0]], step[1]
            values.append(step[1])
            changed = True
        if direction in ("backward", "both") and (step := remove(selected, current)):
            selected, current = [c for c in selected if c != step[0]], step[1]
            values.append(step[1])
            changed = True
        if not changed:
            return selected, values


@pytest.mark.parametrize(
    ("direction", "criterion"),
    [
        ("forward", "aic"),
        ("forward", "bic"),
        ("forward", "pvalue"),
        ("backward", "aic"),
        ("backward", "pvalue"),
        ("both", "bic"),
        ("both", "pvalue"),
    ],
)
def test_gaussian_selection_equals_the_reference(gaussian_data, direction, criterion):
    X, y = gaussian_data
    model = StepwiseRegression(direction, criterion).fit(X, y)
    selected, values = reference(X, y, direction, criterion, "gaussian")
    assert model.selected_ == selected
    got = [h["criterion"] for h in model.history_]
    assert got[0] == values[0] or got[0] == pytest.approx(values[0], rel=1e-8)
    np.testing.assert_allclose(got[1:], values[1:], rtol=1e-6)
    assert model.n_iter_ == len(model.history_) - 1
    if criterion == "bic" or (criterion, direction) in {("pvalue", "forward"), ("pvalue", "both")}:
        # (Backward elimination keeps two noise columns with p-values 0.052 and 0.055 < 0.10.)
        assert sorted(model.selected_) == TRUE


@pytest.mark.parametrize(("direction", "criterion"), [("forward", "aic"), ("both", "pvalue")])
def test_binomial_selection_equals_the_reference(binomial_data, direction, criterion):
    X, y = binomial_data
    model = StepwiseRegression(direction, criterion, family="binomial").fit(X, y)
    selected, values = reference(X, y, direction, criterion, "binomial")
    assert model.selected_ == selected
    got = [h["criterion"] for h in model.history_]
    np.testing.assert_allclose(got[1:], values[1:], rtol=1e-5)
    assert set(TRUE) <= set(model.selected_)
    assert set(np.unique(model.predict(X))) <= {0.0, 1.0}
    assert model.score(X, y) > 0.75


def test_final_model_and_coefficients(gaussian_data):
    X, y = gaussian_data
    model = StepwiseRegression(criterion="bic").fit(X, y)
    ref = LinearRegression().fit(X[:, model.selected_], y)
    assert model.history_[0]["action"] == "start"
    assert [h["feature"] for h in model.history_[1:]] == model.selected_
    assert model.history_[-1]["selected"] == model.selected_
    np.testing.assert_allclose(model.coef_[model.selected_], ref.coef_)
    assert np.all(np.delete(model.coef_, model.selected_) == 0)
    np.testing.assert_allclose(model.predict(X), ref.predict(X[:, model.selected_]))
    assert model.score(X, y) == pytest.approx(ref.score(X[:, model.selected_], y))
    text = model.summary()
    assert "x2 " in text and "x5 " in text and "x7 " in text  # columns 1, 4, 6 of X


def test_nothing_selected_when_no_column_helps():
    rng = np.random.default_rng(9)
    X, y = rng.normal(size=(100, 3)), rng.normal(size=100)
    model = StepwiseRegression(criterion="bic").fit(X, y)
    assert model.selected_ == [] and model.model_ is None
    assert model.intercept_ == pytest.approx(y.mean())
    assert "no column" in model.summary()
