"""Least squares: `LinearRegression`, `Ridge` and `PolynomialRegression`.

The default solvers are closed forms on plain arrays (least squares by `np.linalg.lstsq`, ridge
by a Cholesky solve), the robust and fast choice for a quadratic objective; `solver='gd'` /
`'sgd'` minimise the same objective, a minispore function, with a minispore optimizer.
"""

from __future__ import annotations

import itertools

import numpy as np

from minispore.regression import _objectives as obj
from minispore.regression._base import BaseEstimator, RegressorMixin, center, set_linear_result
from minispore.regression._train import check_training_params, train
from minispore.regression._validation import (
    SingularDesignError,
    check_choice,
    check_int,
    check_number,
    check_X,
    check_X_y,
    rank_error,
)
from minispore.regression.inference import InferenceMixin, ols_inference

_TRAINING = ("gd", "sgd")


def least_squares(Xc: np.ndarray, Yc: np.ndarray, alpha: float, where: str, intercept: bool):
    """Coefficients (targets, p) minimising ||Yc - Xc w||^2 + alpha ||w||^2 on centered data.

    alpha = 0: `np.linalg.lstsq`, refusing a rank-deficient design; alpha > 0: a Cholesky solve
    of the normal equations (primal when n >= p, dual `X'(XX' + alpha I)^-1 y` otherwise), as
    scikit-learn's Ridge solver 'cholesky'.
    """
    n, p = Xc.shape
    if alpha == 0:
        coef, _, rank, _ = np.linalg.lstsq(Xc, Yc, rcond=None)
        if rank < p:
            raise rank_error(where, Xc, rank, intercept=intercept)
        return coef.T
    try:
        if p <= n:
            A = Xc.T @ Xc
            A.flat[:: p + 1] += alpha
            L = np.linalg.cholesky(A)
            coef = np.linalg.solve(L.T, np.linalg.solve(L, Xc.T @ Yc))
        else:
            K = Xc @ Xc.T
            K.flat[:: n + 1] += alpha
            coef = Xc.T @ np.linalg.solve(K, Yc)
    except np.linalg.LinAlgError:  # pragma: no cover - alpha > 0 makes the matrix definite
        raise SingularDesignError(f"{where}: the ridge system is singular") from None
    return coef.T


def fit_by_training(est, X, y, *, l2: float, l1: float, where: str):
    """Fit `coef_`/`intercept_` with solver 'gd'/'sgd' on the mean squared-error objective.

    X is centered first when there is an intercept (the minimiser is unchanged, the problem
    better conditioned); `l2` / `l1` weight the penalties of the per-sample objective.
    """
    check_training_params(est, where)
    Xc, yc, xo, yo = center(X, y, est.fit_intercept)
    init = {"coef": np.zeros((X.shape[1],) + y.shape[1:])}
    if est.fit_intercept:
        init["intercept"] = np.zeros(y.shape[1:])

    def make_loss(coef, intercept=None):
        return lambda xb, yb: obj.mean_squared_loss(coef, intercept, xb, yb, l2)

    values, n_iter = train(
        make_loss,
        init,
        Xc,
        yc,
        full_batch=est.solver == "gd",
        learning_rate=est.learning_rate,
        batch_size=est.batch_size,
        epochs=est.epochs,
        random_state=est.random_state,
        verbose=est.verbose,
        l1=l1,
        desc=f"{type(est).__name__}(solver={est.solver!r})",
    )
    coef = values[0].reshape(X.shape[1], -1).T
    if est.fit_intercept:
        # Trained on centered X: the intercept is y_mean - x_mean . coef plus the learned offset.
        yo = yo + values[1]
    set_linear_result(est, coef, xo, yo, est.fit_intercept, y.ndim)
    est.n_iter_ = n_iter


class _LeastSquaresBase(RegressorMixin, BaseEstimator):
    """The shared `fit` of the three least-squares estimators."""

    _solvers: tuple[str, ...] = ()

    def _penalty(self, where: str) -> float:
        return 0.0

    def _design(self, X: np.ndarray) -> np.ndarray:
        return X

    def _fit(self, X, y, where: str):
        check_choice(self.solver, where, "solver", self._solvers)
        alpha = self._penalty(where)
        X, y = check_X_y(X, y, where)
        self.n_features_in_ = X.shape[1]
        self._inference_cache = None
        D = self._design(X)
        if self.solver in _TRAINING:
            # The per-sample objective: ||r||^2 / (2n) + alpha / (2n) ||w||^2.
            fit_by_training(self, D, y, l2=alpha / X.shape[0], l1=0.0, where=where)
        else:
            Dc, yc, xo, yo = center(D, y, self.fit_intercept)
            coef = least_squares(Dc, yc.reshape(len(yc), -1), alpha, where, self.fit_intercept)
            set_linear_result(self, coef, xo, yo, self.fit_intercept, y.ndim)
            self.n_iter_ = None
        self._train_data = (D, y)
        return self

    def _compute_inference(self):
        where = f"{type(self).__name__} inference"
        if self._penalty(where) != 0:
            raise AttributeError(
                f"{type(self).__name__}: standard errors and tests are only available for the "
                "unpenalised fit (alpha=0)"
            )
        D, y = self._train_data
        if y.ndim != 1:
            raise AttributeError(
                f"{where}: standard errors are computed for a 1-D target; y has shape {y.shape}"
            )
        return ols_inference(D, y, self.coef_, self.intercept_, self.fit_intercept, where)


class LinearRegression(InferenceMixin, _LeastSquaresBase):
    """Ordinary least squares, scikit-learn's `LinearRegression` with statsmodels' inference.

    Minimises ||y - X coef - intercept||^2. The intercept is fitted by centering X and y.

    Args:
        fit_intercept: fit an (unpenalised) intercept.
        solver: 'auto' or 'lstsq' (`np.linalg.lstsq` on centered data, the closed form), 'gd'
            (full-batch gradient descent) or 'sgd' (mini-batches) with `minispore.nn.SGD` on the
            mean squared error, a minispore function.
        learning_rate, batch_size, epochs, verbose, random_state: for 'gd' / 'sgd' only
            (`verbose` shows a progress bar; `random_state` seeds the shuffling).

    Attributes:
        coef_: (n_features,), or (n_targets, n_features) for a 2-D y.
        intercept_: a float, or (n_targets,) for a 2-D y; 0.0 without an intercept.
        n_iter_: None for the closed form, the number of epochs for 'gd' / 'sgd'.
        bse_, tvalues_, pvalues_, llf_, aic_, bic_, conf_int(), summary(): statsmodels OLS's
            statistics for (intercept, coef...), computed on first use.

    Raises:
        SingularDesignError: X (centered) has linearly dependent columns. NOTE: scikit-learn
            returns a minimum-norm solution there; the coefficients are not identifiable, so
            this estimator says so instead.

    Example:
        >>> reg = LinearRegression().fit(X, y)
        >>> reg.coef_, reg.intercept_, reg.pvalues_
    """

    _solvers = ("auto", "lstsq", "gd", "sgd")

    def __init__(
        self,
        *,
        fit_intercept=True,
        solver="auto",
        learning_rate=0.01,
        batch_size=32,
        epochs=100,
        verbose=False,
        random_state=None,
    ):
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.verbose = verbose
        self.random_state = random_state

    def fit(self, X, y):
        """Fit the model; X is (n_samples, n_features), y (n_samples,) or (n_samples, n_targets)."""
        return self._fit(X, y, "LinearRegression.fit")


class Ridge(_LeastSquaresBase):
    """Least squares with an l2 penalty, scikit-learn's `Ridge`.

    Minimises ||y - X coef - intercept||^2 + alpha ||coef||^2 (the intercept is not penalised).

    Args:
        alpha: the penalty strength, >= 0.
        fit_intercept: fit an intercept.
        max_iter, tol: accepted for scikit-learn compatibility; the closed form does not iterate
            (for 'gd' / 'sgd' use `epochs`).
        solver: 'auto' / 'cholesky' (the closed form), 'gd' or 'sgd'.
        learning_rate, batch_size, epochs, verbose, random_state: for 'gd' / 'sgd'.

    Example:
        >>> Ridge(alpha=0.5).fit(X, y).coef_
    """

    _solvers = ("auto", "cholesky", "gd", "sgd")

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        max_iter=None,
        tol=1e-4,
        solver="auto",
        learning_rate=0.01,
        batch_size=32,
        epochs=100,
        verbose=False,
        random_state=None,
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.verbose = verbose
        self.random_state = random_state

    def _penalty(self, where):
        return check_number(self.alpha, where, "alpha", low=0.0)

    def fit(self, X, y):
        """Fit the model; X is (n_samples, n_features), y (n_samples,) or (n_samples, n_targets)."""
        return self._fit(X, y, "Ridge.fit")


def polynomial_powers(n_features: int, degree: int) -> np.ndarray:
    """Exponents of the monomials of degree 1..degree, in scikit-learn's PolynomialFeatures order."""
    rows = []
    for d in range(1, degree + 1):
        for combo in itertools.combinations_with_replacement(range(n_features), d):
            row = np.zeros(n_features, dtype=np.int64)
            for j in combo:
                row[j] += 1
            rows.append(row)
    return np.array(rows, dtype=np.int64).reshape(-1, n_features)


def polynomial_features(X: np.ndarray, powers: np.ndarray) -> np.ndarray:
    out = np.empty((X.shape[0], len(powers)))
    for k, row in enumerate(powers):
        col = np.ones(X.shape[0])
        for j in np.flatnonzero(row):
            col = col * X[:, j] ** row[j]
        out[:, k] = col
    return out


class PolynomialRegression(InferenceMixin, _LeastSquaresBase):
    """Polynomial features of every order up to `degree`, then ridge regression with `alpha`.

    Equivalent to scikit-learn's
    `make_pipeline(PolynomialFeatures(degree, include_bias=False), Ridge(alpha, fit_intercept=include_bias))`
    (or `LinearRegression` for alpha = 0). NOTE: `include_bias` fits the constant term as an
    unpenalised `intercept_` rather than as a penalised column of ones, so `coef_` has one entry
    per non-constant monomial, in the order of `powers_`.

    Args:
        degree: the highest total degree, >= 1.
        alpha: ridge penalty, >= 0 (0: ordinary least squares, with statsmodels' inference).
        include_bias: fit the constant term (`intercept_`).
        solver: 'auto' (closed form), 'gd' or 'sgd'.
        learning_rate, batch_size, epochs, verbose, random_state: for 'gd' / 'sgd'.

    Attributes:
        powers_: (n_output_features, n_features) exponents of each monomial.
        coef_, intercept_, n_iter_: as LinearRegression.

    Example:
        >>> PolynomialRegression(degree=3).fit(x.reshape(-1, 1), y).predict([[0.5]])
    """

    _solvers = ("auto", "gd", "sgd")

    def __init__(
        self,
        degree=2,
        alpha=0.0,
        include_bias=True,
        *,
        solver="auto",
        learning_rate=0.01,
        batch_size=32,
        epochs=100,
        verbose=False,
        random_state=None,
    ):
        self.degree = degree
        self.alpha = alpha
        self.include_bias = include_bias
        self.solver = solver
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.verbose = verbose
        self.random_state = random_state

    @property
    def fit_intercept(self) -> bool:
        return bool(self.include_bias)

    def _penalty(self, where):
        return check_number(self.alpha, where, "alpha", low=0.0)

    def _design(self, X):
        return polynomial_features(X, self.powers_)

    def fit(self, X, y):
        """Fit the model; X is (n_samples, n_features), y (n_samples,) or (n_samples, n_targets)."""
        where = "PolynomialRegression.fit"
        degree = check_int(self.degree, where, "degree")
        X = check_X(X, where)
        self.powers_ = polynomial_powers(X.shape[1], degree)
        return self._fit(X, y, where)

    def transform(self, X) -> np.ndarray:
        """The polynomial features of X (without the constant column)."""
        return polynomial_features(self._check_predict_X(X, "transform"), self.powers_)

    def predict(self, X) -> np.ndarray:
        """Predicted targets from the polynomial features of X."""
        return self._linear(polynomial_features(self._check_predict_X(X, "predict"), self.powers_))
