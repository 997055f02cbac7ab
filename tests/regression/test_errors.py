"""Every error and warning of minispore.regression: the message names the estimator, the argument
and what to do."""

import warnings

import numpy as np
import pytest

from minispore.regression import (
    ConvergenceWarning,
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    NotFittedError,
    PolynomialRegression,
    Ridge,
    SingularDesignError,
    StepwiseRegression,
)

RNG = np.random.default_rng(12)
X = RNG.normal(size=(30, 3))
Y = X @ [1.0, 2.0, -1.0] + RNG.normal(size=30)
LABELS = (Y > 0).astype(int)

ESTIMATORS = [
    LinearRegression(),
    Ridge(),
    Lasso(alpha=0.01),
    ElasticNet(alpha=0.01),
    PolynomialRegression(),
    LogisticRegression(),
    StepwiseRegression(),
]


def target_for(est):
    return LABELS if isinstance(est, LogisticRegression) else Y


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_predict_before_fit_raises_not_fitted(est):
    name = type(est).__name__
    with pytest.raises(NotFittedError, match=f"This {name} instance is not fitted yet"):
        est.predict(X)
    with pytest.raises(NotFittedError):
        est.score(X, target_for(est))


def test_not_fitted_for_the_other_methods_and_inference():
    for call in (
        lambda: LogisticRegression().predict_proba(X),
        lambda: LogisticRegression().decision_function(X),
        lambda: PolynomialRegression().transform(X),
        lambda: LinearRegression().bse_,
        lambda: LinearRegression().summary(),
        lambda: StepwiseRegression().summary(),
    ):
        with pytest.raises(NotFittedError, match="Call 'fit'"):
            call()
    assert not hasattr(LinearRegression(), "pvalues_")  # NotFittedError is an AttributeError


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_mismatched_lengths(est):
    name = type(est).__name__
    with pytest.raises(
        ValueError,
        match=rf"{name}.fit: X and y have different numbers of samples: X has shape \(30, 3\) \(30 samples\) but y has shape \(29,\)",
    ):
        est.fit(X, target_for(est)[:29])


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_nan_and_infinite_inputs(est):
    name = type(est).__name__
    bad = X.copy()
    bad[4, 1] = np.nan
    with pytest.raises(
        ValueError,
        match=rf"{name}.fit: 'X' contains NaN \(1 entries, the first at row 4, column 1\)",
    ):
        est.fit(bad, target_for(est))
    bad[4, 1] = np.inf
    with pytest.raises(ValueError, match="'X' contains infinity"):
        est.fit(bad, target_for(est))
    y = target_for(est).astype(float)
    y[7] = np.inf
    with pytest.raises(
        ValueError, match=r"'y' contains infinity \(1 entries, the first at row 7\)"
    ):
        est.fit(X, y)
    fitted = type(est)().fit(X, target_for(est))
    bad[4, 1] = np.nan
    with pytest.raises(ValueError, match=rf"{name}.predict: 'X' contains NaN"):
        fitted.predict(bad)


def test_bad_shapes_and_types():
    with pytest.raises(
        ValueError, match=r"'X' must be a 2-D array .* got shape \(30,\).*reshape\(-1, 1\)"
    ):
        LinearRegression().fit(X[:, 0], Y)
    with pytest.raises(ValueError, match=r"'X' has shape \(0, 3\): at least one sample"):
        LinearRegression().fit(X[:0], Y[:0])
    with pytest.raises(ValueError, match="'y' must be 1-D or 2-D"):
        LinearRegression().fit(X, Y.reshape(30, 1, 1))
    with pytest.raises(ValueError, match="'y' must be 1-D, but got shape"):
        LogisticRegression().fit(X, np.column_stack([LABELS, LABELS]))
    with pytest.raises(TypeError, match="'X' must hold real numbers"):
        LinearRegression().fit(X.astype(str), Y)
    with pytest.raises(TypeError, match="'X' must hold real numbers, but got dtype complex128"):
        LinearRegression().fit(X + 1j, Y)
    fitted = LinearRegression().fit(X, Y)
    with pytest.raises(
        ValueError,
        match=r"LinearRegression.predict: X has 2 features \(shape \(30, 2\)\), but the model was fitted with 3",
    ):
        fitted.predict(X[:, :2])


def test_non_binary_targets_for_logistic_models():
    with pytest.raises(ValueError, match="LogisticRegression.fit: the target y is continuous"):
        LogisticRegression().fit(X, Y)
    with pytest.raises(ValueError, match="y has a single class"):
        LogisticRegression().fit(X, np.ones(30))
    with pytest.raises(TypeError, match="'y' holds complex numbers"):
        LogisticRegression().fit(X, LABELS + 1j)
    three = np.digitize(Y, [-1.0, 1.0])
    with pytest.raises(
        ValueError,
        match=r"family='binomial' needs a binary target \(2 classes\), but y has 3 classes \[0, 1, 2\]",
    ):
        StepwiseRegression(family="binomial").fit(X, three)


def test_singular_design_says_what_happened_and_what_to_do():
    dup = np.column_stack([X, 2 * X[:, 1]])
    with pytest.raises(
        SingularDesignError,
        match=r"LinearRegression.fit: the design matrix X \(shape \(30, 4\), centered for the intercept\) is singular: its rank is 3 < 4 columns; columns \[1, 3\] are linearly dependent.*drop the collinear columns, or use Ridge",
    ):
        LinearRegression().fit(dup, Y)
    const = np.column_stack([X, np.full(30, 5.0)])
    with pytest.raises(
        SingularDesignError,
        match=r"columns \[3\] are constant after centering: collinear with the intercept",
    ):
        LinearRegression().fit(const, Y)
    with pytest.raises(SingularDesignError, match=r"penalty=None.*rank is 3 < 4"):
        LogisticRegression(None).fit(dup, LABELS)
    with pytest.raises(SingularDesignError, match="the starting model .* singular"):
        StepwiseRegression(direction="backward").fit(dup, Y)
    assert isinstance(SingularDesignError("x"), np.linalg.LinAlgError)
    Ridge(alpha=1.0).fit(dup, Y)  # the penalty makes it identifiable
    assert StepwiseRegression().fit(dup, Y).selected_  # forward skips the singular candidates


def test_non_convergence_warns_with_the_iteration_count():
    with pytest.warns(
        ConvergenceWarning, match="LogisticRegression: Newton did not converge after 1 iterations"
    ):
        LogisticRegression(max_iter=1, tol=1e-12).fit(X, LABELS)
    separable = (X[:, 0] > 0).astype(int)
    with pytest.warns(ConvergenceWarning, match="perfectly separable"):
        LogisticRegression(None, max_iter=20).fit(X, separable)
    with pytest.warns(ConvergenceWarning, match="L-BFGS did not converge after 2 iterations"):
        LogisticRegression(solver="lbfgs", max_iter=2).fit(X, LABELS)
    with pytest.warns(
        ConvergenceWarning, match="coordinate descent did not converge after 1 iterations"
    ):
        Lasso(alpha=1e-5, max_iter=1, tol=1e-15).fit(
            np.column_stack([X, X[:, 0] + 0.01 * X[:, 1]]), Y
        )


@pytest.mark.parametrize(
    ("est", "match", "error"),
    [
        (Ridge(alpha=-1.0), "Ridge.fit: 'alpha' must be >= 0.0, but got -1.0", ValueError),
        (Ridge(alpha="big"), "'alpha' must be a real number, but got 'big'", TypeError),
        (Lasso(alpha=np.nan), "'alpha' must be >= 0.0", ValueError),
        (
            ElasticNet(l1_ratio=1.5),
            "ElasticNet.fit: 'l1_ratio' must be <= 1.0, but got 1.5",
            ValueError,
        ),
        (ElasticNet(max_iter=0), "'max_iter' must be >= 1, but got 0", ValueError),
        (ElasticNet(tol=-1.0), "'tol' must be >= 0.0", ValueError),
        (
            Ridge(solver="svd"),
            "Ridge.fit: 'solver' must be one of 'auto', 'cholesky', 'gd', 'sgd', but got 'svd'",
            ValueError,
        ),
        (
            PolynomialRegression(degree=0),
            "PolynomialRegression.fit: 'degree' must be >= 1",
            ValueError,
        ),
        (PolynomialRegression(degree=2.5), "'degree' must be an int", TypeError),
        (
            LinearRegression(solver="gd", learning_rate=0.0),
            "'learning_rate' must be > 0.0",
            ValueError,
        ),
        (LinearRegression(solver="sgd", batch_size=0), "'batch_size' must be >= 1", ValueError),
        (Lasso(solver="gd", epochs=0), "'epochs' must be >= 1", ValueError),
        (
            LogisticRegression(penalty="l3"),
            "'penalty' must be one of 'l2', 'l1', 'elasticnet', None",
            ValueError,
        ),
        (
            LogisticRegression(C=0.0),
            "LogisticRegression.fit: 'C' must be > 0.0, but got 0.0",
            ValueError,
        ),
        (
            LogisticRegression(penalty="elasticnet"),
            "penalty='elasticnet' needs 'l1_ratio'",
            ValueError,
        ),
        (
            LogisticRegression(penalty="l1", solver="lbfgs"),
            "solver='lbfgs' supports penalty 'l2' or None, not 'l1'; use solver='newton'",
            ValueError,
        ),
        (StepwiseRegression(direction="sideways"), "'direction' must be one of", ValueError),
        (
            StepwiseRegression(criterion="r2"),
            "'criterion' must be one of 'aic', 'bic', 'pvalue'",
            ValueError,
        ),
        (
            StepwiseRegression(family="poisson"),
            "'family' must be one of 'gaussian', 'binomial'",
            ValueError,
        ),
        (StepwiseRegression(threshold_in=2.0), "'threshold_in' must be <= 1.0", ValueError),
        (
            StepwiseRegression("both", "pvalue", threshold_in=0.2, threshold_out=0.1),
            "threshold_in < threshold_out",
            ValueError,
        ),
    ],
)
def test_invalid_hyper_parameters_are_refused_at_fit(est, match, error):
    with pytest.raises(error, match=match):
        est.fit(X, target_for(est))


def test_l1_ratio_without_elastic_net_warns():
    with pytest.warns(UserWarning, match="'l1_ratio' is only used with penalty='elasticnet'"):
        LogisticRegression(l1_ratio=0.5).fit(X, LABELS)


def test_bad_set_params_and_conf_int():
    with pytest.raises(
        ValueError,
        match=r"Invalid parameter 'alpha' for estimator LinearRegression. Valid parameters are: \['fit_intercept'",
    ):
        LinearRegression().set_params(alpha=1.0)
    with pytest.raises(ValueError, match=r"'alpha' must be in \(0, 1\)"):
        LinearRegression().fit(X, Y).conf_int(alpha=1.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LinearRegression().fit(X, Y)  # a clean fit warns about nothing
