"""The l1-penalised least-squares models: `ElasticNet` and `Lasso`, with scikit-learn's objective

1/(2n) ||y - X coef - intercept||^2 + alpha l1_ratio ||coef||_1 + alpha (1 - l1_ratio)/2 ||coef||^2,

by coordinate descent (default), FISTA, or a minispore optimizer with a proximal step.
"""

from __future__ import annotations

import warnings

import numpy as np

from minispore.regression._base import BaseEstimator, RegressorMixin, center, set_linear_result
from minispore.regression._solvers import cd_quadratic, cd_residual, enet_gap, fista_quadratic
from minispore.regression._validation import (
    ConvergenceWarning,
    check_choice,
    check_int,
    check_number,
    check_X_y,
)
from minispore.regression.linear import fit_by_training

# Above this many features (and more features than samples) the p x p Gram matrix is not formed.
_GRAM_MAX_FEATURES = 2000


class ElasticNet(RegressorMixin, BaseEstimator):
    """Least squares with combined l1 and l2 penalties, scikit-learn's `ElasticNet`.

    Minimises 1/(2n) ||y - X coef - intercept||^2 + alpha l1_ratio ||coef||_1
    + alpha (1 - l1_ratio) / 2 ||coef||^2; the intercept is not penalised (X and y are centered).

    Args:
        alpha: overall penalty strength, >= 0.
        l1_ratio: the l1 share of the penalty, in [0, 1].
        fit_intercept: fit an intercept.
        max_iter: most sweeps (coordinate descent) or steps (FISTA).
        tol: the stopping tolerance, scikit-learn's: once the largest coefficient update of a
            sweep is below tol times the largest coefficient, stop when the duality gap is below
            tol * ||y - mean(y)||^2.
        solver: 'auto' / 'cd': cyclic coordinate descent on the precomputed Gram matrix X'X
            (residual updates when p > n and p > 2000), with an exact active-set step once the
            support is stable; 'fista': accelerated proximal gradient; 'gd' / 'sgd': a
            minispore optimizer on the per-sample objective, each step followed by the l1
            proximal step (soft-thresholding), which keeps exact zeros.
        learning_rate, batch_size, epochs, verbose, random_state: for 'gd' / 'sgd'.

    Attributes:
        coef_, intercept_: as scikit-learn ((n_features,) and a float for a 1-D y).
        n_iter_: sweeps or steps run (a list for a 2-D y; epochs for 'gd' / 'sgd').
        dual_gap_: the final duality gap divided by n, as scikit-learn's (None for 'gd'/'sgd').

    Warns:
        ConvergenceWarning: `max_iter` was reached before the duality gap fell below tol.

    Example:
        >>> ElasticNet(alpha=0.1, l1_ratio=0.7).fit(X, y).coef_
    """

    _solvers = ("auto", "cd", "fista", "gd", "sgd")

    def __init__(
        self,
        alpha=1.0,
        *,
        l1_ratio=0.5,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        solver="auto",
        learning_rate=0.01,
        batch_size=32,
        epochs=100,
        verbose=False,
        random_state=None,
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.verbose = verbose
        self.random_state = random_state

    def _l1_ratio(self, where: str) -> float:
        return check_number(self.l1_ratio, where, "l1_ratio", low=0.0, high=1.0)

    def fit(self, X, y):
        """Fit the model; X is (n_samples, n_features), y (n_samples,) or (n_samples, n_targets)."""
        name = type(self).__name__
        where = f"{name}.fit"
        alpha = check_number(self.alpha, where, "alpha", low=0.0)
        l1_ratio = self._l1_ratio(where)
        max_iter = check_int(self.max_iter, where, "max_iter")
        tol = check_number(self.tol, where, "tol", low=0.0)
        check_choice(self.solver, where, "solver", self._solvers)
        X, y = check_X_y(X, y, where)
        n, p = X.shape
        self.n_features_in_ = p
        if self.solver in ("gd", "sgd"):
            fit_by_training(self, X, y, l2=alpha * (1 - l1_ratio), l1=alpha * l1_ratio, where=where)
            self.dual_gap_ = None
            return self
        Xc, yc, xo, yo = center(X, y, self.fit_intercept)
        Y = yc.reshape(n, -1)
        a, b = alpha * l1_ratio * n, alpha * (1 - l1_ratio) * n  # scikit-learn's scaling by n
        gram = p <= max(n, _GRAM_MAX_FEATURES)
        if gram:
            Q = Xc.T @ Xc
            QY = Xc.T @ Y
        coefs, gaps, iters = [], [], []
        for k in range(Y.shape[1]):
            y_k = Y[:, k]
            y_norm2 = float(y_k @ y_k)
            if gram:
                w, n_iter, gap, ok = _solve_gram(
                    Q, QY[:, k], y_norm2, a, b, self.solver, max_iter, tol
                )
            else:
                w, n_iter, gap, ok = cd_residual(
                    Xc, y_k, np.zeros(p), a, b, max_iter=max_iter, tol=tol
                )
            if not ok:
                warnings.warn(
                    f"{name}: {'FISTA' if self.solver == 'fista' else 'coordinate descent'} did "
                    f"not converge after {n_iter} iterations (duality gap {gap:.3e} > tolerance "
                    f"{tol * y_norm2:.3e}); increase max_iter, loosen tol, or standardise X",
                    ConvergenceWarning,
                    stacklevel=2,
                )
            coefs.append(w)
            gaps.append(gap / n)
            iters.append(n_iter)
        set_linear_result(self, np.array(coefs), xo, yo, self.fit_intercept, y.ndim)
        self.n_iter_ = iters[0] if y.ndim == 1 else iters
        self.dual_gap_ = gaps[0] if y.ndim == 1 else np.array(gaps)
        return self


def _solve_gram(Q, q, y_norm2, a, b, solver, max_iter, tol):
    """Minimise 0.5||y - Xw||^2 + a||w||_1 + b/2||w||^2 given Q = X'X, q = X'y, y_norm2 = y'y."""
    p = len(q)
    last = {"gap": np.inf}

    def gap_ok(w, Qw):
        qw = float(q @ w)
        R_norm2 = y_norm2 + float(w @ Qw) - 2.0 * qw
        last["gap"] = enet_gap(w, a, b, R_norm2, y_norm2 - qw, q - Qw)
        return last["gap"] <= tol * y_norm2

    w0 = np.zeros(p)
    if solver == "fista":
        w, n_iter, ok = fista_quadratic(Q, q, w0, a, b, max_iter=max_iter, check=gap_ok)
    else:
        w, n_iter, ok = cd_quadratic(
            Q, q, w0, np.full(p, a), np.full(p, b), max_iter=max_iter, tol_dw=tol, check=gap_ok
        )
    if not ok:
        gap_ok(w, Q @ w)
    return w, n_iter, last["gap"], ok


class Lasso(ElasticNet):
    """Least squares with an l1 penalty, scikit-learn's `Lasso`: `ElasticNet` with l1_ratio = 1.

    Minimises 1/(2n) ||y - X coef - intercept||^2 + alpha ||coef||_1. See `ElasticNet` for the
    solvers, attributes and warnings.

    Example:
        >>> Lasso(alpha=0.1).fit(X, y).coef_   # some coefficients are exactly 0
    """

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        solver="auto",
        learning_rate=0.01,
        batch_size=32,
        epochs=100,
        verbose=False,
        random_state=None,
    ):
        super().__init__(
            alpha,
            l1_ratio=1.0,
            fit_intercept=fit_intercept,
            max_iter=max_iter,
            tol=tol,
            solver=solver,
            learning_rate=learning_rate,
            batch_size=batch_size,
            epochs=epochs,
            verbose=verbose,
            random_state=random_state,
        )

    def _l1_ratio(self, where: str) -> float:
        return 1.0
