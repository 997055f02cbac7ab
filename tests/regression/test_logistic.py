"""LogisticRegression against scikit-learn (binary and multinomial, every penalty) and its
inference against statsmodels Logit."""

import warnings

import numpy as np
import pytest

import minispore
from minispore.regression import LogisticRegression
from minispore.regression._objectives import logistic_objective
from minispore.regression.logistic import _Problem
from minispore.tensor import _wrap

from .conftest import assert_coef

lm = pytest.importorskip("sklearn.linear_model")


def sk_logistic(**kwargs):
    """scikit-learn >= 1.8 spells the penalty with l1_ratio and C; older versions with penalty."""
    penalty = kwargs.pop("penalty", "l2")
    ratio = kwargs.pop("l1_ratio", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        if penalty is None:
            return lm.LogisticRegression(C=np.inf, **kwargs)
        ratio = {"l2": 0.0, "l1": 1.0}.get(penalty, ratio)
        return lm.LogisticRegression(l1_ratio=ratio, **kwargs)


NEWTON = {"solver": "newton-cholesky", "tol": 1e-12, "max_iter": 1000}
SAGA = {"solver": "saga", "tol": 1e-12, "max_iter": 100_000}


def check_same(ours, ref, X):
    assert ours.coef_.shape == ref.coef_.shape
    assert ours.intercept_.shape == ref.intercept_.shape
    assert_coef(ours.coef_, ref.coef_)
    assert_coef(ours.intercept_, ref.intercept_)
    np.testing.assert_array_equal(ours.classes_, ref.classes_)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-8)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@pytest.mark.parametrize("C", [0.1, 1.0, 10.0])
def test_binary_l2_matches_sklearn_on_breast_cancer(cancer, C):
    X, y = cancer
    ours = LogisticRegression(C=C, tol=1e-12).fit(X, y)
    ref = sk_logistic(C=C, **NEWTON).fit(X, y)
    check_same(ours, ref, X)
    assert ours.n_iter_.shape == (1,) and 0 < ours.n_iter_[0] < 30
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-7)
    assert ours.score(X, y) == ref.score(X, y)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_unpenalised_binary_matches_sklearn(cancer, fit_intercept):
    X, y = cancer[0][:, :6], cancer[1]
    ours = LogisticRegression(None, fit_intercept=fit_intercept, tol=1e-12).fit(X, y)
    ref = sk_logistic(penalty=None, fit_intercept=fit_intercept, **NEWTON).fit(X, y)
    check_same(ours, ref, X)
    same = LogisticRegression(C=np.inf, tol=1e-12, fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_array_equal(same.coef_, ours.coef_)


@pytest.mark.parametrize(
    ("penalty", "l1_ratio", "C"), [("l1", None, 0.05), ("elasticnet", 0.5, 0.05)]
)
def test_binary_l1_and_elastic_net_match_sklearn_saga(cancer, penalty, l1_ratio, C):
    X, y = cancer[0][:, :6], cancer[1]
    ours = LogisticRegression(penalty, C=C, l1_ratio=l1_ratio, tol=1e-12).fit(X, y)
    ref = sk_logistic(penalty=penalty, l1_ratio=l1_ratio, C=C, **SAGA).fit(X, y)
    check_same(ours, ref, X)
    if penalty == "l1":
        assert np.any(ours.coef_ == 0)  # the l1 term gives exact zeros


def test_multinomial_l2_matches_sklearn_on_iris(iris):
    X, y = iris
    ours = LogisticRegression(tol=1e-12).fit(X, y)
    ref = sk_logistic(**NEWTON).fit(X, y)
    assert ours.coef_.shape == (3, 4)
    check_same(ours, ref, X)
    # Intercepts are defined up to a shared constant; both keep them summing to zero.
    assert abs(ours.intercept_.sum()) < 1e-10


def test_multinomial_l1_matches_sklearn_saga_on_iris(iris):
    X, y = iris
    ours = LogisticRegression("l1", C=0.5, tol=1e-12).fit(X, y)
    ref = sk_logistic(penalty="l1", C=0.5, **SAGA).fit(X, y)
    check_same(ours, ref, X)


@pytest.mark.parametrize("data", ["cancer", "iris"])
def test_lbfgs_reaches_the_newton_solution(request, data):
    X, y = request.getfixturevalue(data)
    newton = LogisticRegression(tol=1e-12).fit(X, y)
    lbfgs = LogisticRegression(solver="lbfgs", tol=1e-10, max_iter=2000).fit(X, y)
    assert_coef(lbfgs.coef_, newton.coef_, rtol=1e-6)
    assert lbfgs.n_iter_[0] > newton.n_iter_[0]


def test_string_labels_and_probabilities_in_class_order():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(120, 2))
    y = np.where(X[:, 0] + 0.5 * rng.normal(size=120) > 0, "yes", "no")
    model = LogisticRegression(tol=1e-12).fit(X, y)
    ref = sk_logistic(**NEWTON).fit(X, y)
    assert list(model.classes_) == ["no", "yes"]
    check_same(model, ref, X)
    np.testing.assert_allclose(model.predict_log_proba(X[:4]), np.log(model.predict_proba(X[:4])))


@pytest.mark.parametrize("data", ["binary", "multinomial"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_newton_hessian_equals_minispore_hessian_of_the_objective(iris, data, fit_intercept):
    X, y = iris
    if data == "binary":
        Y = (y == 2).astype(float)
    else:
        Y = (y[:, None] == np.arange(3)).astype(float)
    prob = _Problem(X, Y, fit_intercept, C=2.0, l1=0.0, l2=1.0)
    theta = np.random.default_rng(6).normal(size=prob.rows * prob.K) * 0.3

    def objective(theta_t):
        B = minispore.ops.reshape(theta_t, (prob.rows, prob.K))
        coef = B[: prob.p] if prob.K > 1 else B[: prob.p, 0]
        b = None
        if fit_intercept:
            b = B[prob.p] if prob.K > 1 else B[prob.p, 0]
        return logistic_objective(coef, b, _wrap(X), _wrap(Y), 2.0, 0.0, 1.0) * prob.scale

    g, H = prob.derivatives(theta)
    g_ref = minispore.grad(objective)(_wrap(theta)).asnumpy()
    H_ref = minispore.hessian(objective)(_wrap(theta)).asnumpy()
    np.testing.assert_allclose(g, g_ref, rtol=1e-10, atol=1e-14)
    if prob.K > 1 and fit_intercept:
        # The Newton matrix adds c 11' on the intercept block (see _Problem.derivatives).
        block = slice(prob.p * prob.K, None)
        H = H.copy()
        H[block, block] -= H[block, block] - H_ref[block, block]
    np.testing.assert_allclose(H, H_ref, rtol=1e-10, atol=1e-14)


# ---- inference, against statsmodels Logit ---------------------------------------------------


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_logit_inference_matches_statsmodels(cancer, fit_intercept):
    sm = pytest.importorskip("statsmodels.api")
    X, y = cancer[0][:, :5], cancer[1]
    model = LogisticRegression(None, fit_intercept=fit_intercept, tol=1e-12).fit(X, y)
    ref = sm.Logit(y, sm.add_constant(X) if fit_intercept else X).fit(disp=0, tol=1e-12)
    for name in ("bse", "tvalues", "pvalues"):
        np.testing.assert_allclose(getattr(model, name + "_"), getattr(ref, name), rtol=1e-4)
    np.testing.assert_allclose(model.conf_int(), ref.conf_int(), rtol=1e-4)
    for name in ("llf", "aic", "bic"):
        assert getattr(model, name + "_") == pytest.approx(getattr(ref, name), rel=1e-4)
    if fit_intercept:
        stats = model._inference().stats
        assert stats["Pseudo R-squ."] == pytest.approx(ref.prsquared, rel=1e-8)
        assert stats["LLR p-value"] == pytest.approx(ref.llr_pvalue, rel=1e-6)


def test_logit_summary_lists_z_tests(cancer):
    X, y = cancer[0][:, :3], cancer[1]
    text = LogisticRegression(None).fit(X, y).summary()
    assert "Logit" in text and "P>|z|" in text and "Pseudo R-squ." in text
    assert [line.split()[0] for line in text.splitlines() if line[:1] in "cx"] == [
        "const",
        "x1",
        "x2",
        "x3",
    ]


def test_inference_needs_an_unpenalised_binary_model(cancer, iris):
    X, y = cancer
    with pytest.raises(AttributeError, match="penalty=None"):
        _ = LogisticRegression().fit(X, y).bse_
    with pytest.raises(AttributeError, match="two classes"):
        _ = LogisticRegression(None).fit(*iris).pvalues_
