"""`LogisticRegression`: binary and multinomial, penalties 'l2', 'l1', 'elasticnet' and None, with
scikit-learn's objective C * sum(logloss) + penalty (intercept unpenalised) and statsmodels'
Logit inference for the unpenalised binary model.
"""

from __future__ import annotations

import warnings

import numpy as np

from minispore import value_and_grad
from minispore.regression import _objectives as obj
from minispore.regression._base import BaseEstimator, LinearPredictorMixin
from minispore.regression._solvers import lbfgs, prox_newton
from minispore.regression._train import check_training_params, train
from minispore.regression._validation import (
    ConvergenceWarning,
    check_choice,
    check_int,
    check_number,
    check_X_y,
    rank_error,
    to_numpy,
)
from minispore.regression.inference import InferenceMixin, logit_inference
from minispore.tensor import _wrap

_PENALTIES = ("l2", "l1", "elasticnet", None)


def class_labels(y: np.ndarray, where: str) -> np.ndarray:
    """The sorted classes of y; refuse continuous targets and a single class."""
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        raise ValueError(
            f"{where}: the target y is continuous (non-integer values such as {y[y != np.round(y)][0]!r});"
            " logistic regression needs class labels (0/1, integers or strings). For a "
            "continuous target use LinearRegression"
        )
    classes = np.unique(y)
    if len(classes) < 2:
        raise ValueError(
            f"{where}: y has a single class ({classes[0]!r}); a classifier needs samples of at "
            "least 2 classes"
        )
    return classes


# Rows per block in `weighted_gram`: a block of a few MB stays in cache between its two uses.
_ROWS = 4096


def weighted_gram(X: np.ndarray, d: np.ndarray, fit_intercept: bool) -> np.ndarray:
    """[X 1]' diag(d) [X 1] (the last row and column only with an intercept)."""
    p = X.shape[1]
    G = np.zeros((p, p))
    if np.all(d >= 0):
        # A' A with A = sqrt(d) X, by blocks of rows that stay in cache: NumPy computes a
        # product with its own transpose by a symmetric rank-k update, half a general product.
        s = np.sqrt(d)
        for i in range(0, X.shape[0], _ROWS):
            A = X[i : i + _ROWS] * s[i : i + _ROWS, None]
            G += A.T @ A
    else:
        for i in range(0, X.shape[0], _ROWS):
            G += X[i : i + _ROWS].T @ (X[i : i + _ROWS] * d[i : i + _ROWS, None])
    if not fit_intercept:
        return G
    out = np.empty((p + 1, p + 1))
    out[:p, :p] = G
    out[:p, p] = out[p, :p] = d @ X
    out[p, p] = d.sum()
    return out


class _Problem:
    """The objective in the flat parameter vector theta = [coef rows..., intercept] per class.

    Parameters are stored as a (p + 1, K) matrix B (p rows without an intercept), K = 1 for two
    classes; theta is B flattened in C order. Values are divided by C n (by n without a penalty),
    scikit-learn's scaling, so that `tol` bounds the gradient of a per-sample objective.
    """

    def __init__(self, X, Y, fit_intercept, C, l1, l2):
        self.X, self.Y, self.fit_intercept = X, Y, fit_intercept
        self.n, self.p = X.shape
        self.K = 1 if Y.ndim == 1 else Y.shape[1]
        self.rows = self.p + (1 if fit_intercept else 0)
        self.scale = 1.0 / (C * self.n)
        self.C, self.l1, self.l2 = C, l1, l2
        penalised = np.zeros((self.rows, self.K))
        penalised[: self.p] = 1.0
        self.penalised = penalised.ravel()
        self.Xt, self.Yt = _wrap(X), _wrap(Y)
        self._last = None

    def split(self, theta):
        B = theta.reshape(self.rows, self.K)
        coef = B[: self.p] if self.K > 1 else B[: self.p, 0]
        intercept = None
        if self.fit_intercept:
            intercept = B[self.p] if self.K > 1 else B[self.p, 0]
        return coef, intercept

    def linear(self, theta) -> np.ndarray:
        """The linear predictor Z = X coef + intercept; the last one is kept, as the line search
        evaluates the point where the next derivatives are taken."""
        if self._last is not None and np.array_equal(self._last[0], theta):
            return self._last[1]
        coef, intercept = self.split(theta)
        Z = self.X @ coef
        if intercept is not None:
            Z = Z + intercept
        self._last = (theta.copy(), Z)
        return Z

    def value(self, theta) -> float:
        """The smooth part (logloss and l2 term) of the scaled objective, with minispore ops."""
        Z = _wrap(self.linear(theta))
        nll = obj.binary_nll(Z, self.Yt) if self.K == 1 else obj.multinomial_nll(Z, self.Yt)
        out = self.C * float(nll.asnumpy())
        if self.l2:
            coef = theta * self.penalised
            out += 0.5 * self.l2 * float(coef @ coef)
        return out * self.scale

    def value_and_grad(self, theta):
        """Value and gradient of the smooth part from `minispore.value_and_grad`."""
        coef, intercept = self.split(theta)

        def f(c, b=None):
            return obj.logistic_objective(c, b, self.Xt, self.Yt, self.C, 0.0, self.l2)

        if intercept is None:
            value, g = value_and_grad(f)(_wrap(coef))
            grads = [g]
        else:
            value, grads = value_and_grad(f, (0, 1))(_wrap(coef), _wrap(np.asarray(intercept)))
        gB = np.vstack([g.asnumpy().reshape(-1, self.K) for g in grads])
        return float(value.asnumpy()) * self.scale, gB.ravel() * self.scale

    def derivatives(self, theta):
        """Gradient and Hessian of the smooth part in theta.

        The logloss is a sum over samples of a function of the linear predictor z_i, so by the
        chain rule its gradient is [X 1]' g and its Hessian [X 1]' diag(h) [X 1] (blockwise for
        K classes), with g and h the derivatives in z from `minispore.jvp` of `minispore.grad`
        (`obj.nll_derivatives`). This equals `minispore.hessian` of the objective in theta
        (tested) for a cost of K passes over the data instead of one per parameter pair.
        """
        g, h = obj.nll_derivatives(self.linear(theta), self.Y)
        X, K, rows = self.X, self.K, self.rows
        G = (X.T @ g).reshape(self.p, K)
        if self.fit_intercept:
            G = np.vstack([G, g.reshape(self.n, K).sum(axis=0)])
        if K == 1:
            H = weighted_gram(X, h, self.fit_intercept)
        else:
            H4 = np.empty((rows, K, rows, K))
            for k in range(K):
                for m in range(k, K):
                    block = weighted_gram(X, h[:, k, m], self.fit_intercept)
                    H4[:, k, :, m] = block
                    H4[:, m, :, k] = block
            H = H4.reshape(rows * K, rows * K)
        G = self.C * G.ravel() + self.l2 * self.penalised * theta
        H = self.C * H
        H.flat[:: rows * K + 1] += self.l2 * self.penalised
        if K > 1:
            # NOTE: the softmax is unchanged when a constant is added to one row of B across
            # the classes (the intercepts; every row without a penalty), so H is singular along
            # those directions and the gradient orthogonal to them. Adding c 11' on those
            # diagonal blocks makes H definite and keeps every step orthogonal to them: from
            # zero, such rows keep summing to zero over the classes, as scikit-learn's do.
            free = [self.p] if self.fit_intercept else []
            if self.l1 == 0 and self.l2 == 0:
                free += list(range(self.p))
            c = float(np.mean(np.diag(H))) / K
            for r in free:
                H[r * K : (r + 1) * K, r * K : (r + 1) * K] += c
        return G * self.scale, H * self.scale


class LogisticRegression(InferenceMixin, LinearPredictorMixin, BaseEstimator):
    """Logistic regression, scikit-learn's `LogisticRegression` (binary and multinomial).

    Minimises C * sum_i logloss_i + penalty, the intercept unpenalised, with penalty
    1/2 ||W||^2 ('l2'), ||W||_1 ('l1'), l1_ratio ||W||_1 + (1 - l1_ratio)/2 ||W||^2
    ('elasticnet') or none (None, or C = inf). Two classes give a binomial model on
    `classes_[1]`; more give the multinomial (softmax) model with one coefficient row per class.

    Args:
        penalty: 'l2', 'l1', 'elasticnet' or None.
        C: inverse penalty strength, > 0.
        l1_ratio: the l1 share for 'elasticnet', in [0, 1].
        fit_intercept: fit an intercept per class.
        tol: stop when the largest gradient entry (for l1 terms, the largest violation of the
            optimality conditions) of the objective divided by C n is below tol.
        max_iter: most Newton / L-BFGS iterations.
        solver: 'auto' / 'newton': Newton's method, the Hessian assembled from minispore's
            derivatives of the loss in the linear predictor, with a backtracking line search;
            for 'l1' / 'elasticnet' proximal Newton (each step minimises the quadratic model
            plus the l1 term by coordinate descent). 'lbfgs': L-BFGS with gradients from
            `minispore.grad` ('l2' and None only). 'gd' / 'sgd': `minispore.nn.SGD` on the mean
            logloss, with a proximal step for l1 terms.
        learning_rate, batch_size, epochs, verbose, random_state: for 'gd' / 'sgd'.

    Attributes:
        classes_: the sorted labels. coef_: (1, n_features) for two classes, else
        (n_classes, n_features). intercept_: (1,) or (n_classes,). n_iter_: (1,) array.
        bse_, tvalues_ (z-values), pvalues_, llf_, aic_, bic_, conf_int(), summary(): statsmodels
        Logit's statistics for (const, coef...) of an unpenalised binary model; the standard
        errors come from `minispore.hessian` of the log-likelihood, on first use.

    Raises:
        ValueError: y is continuous, or has a single class.
        SingularDesignError: penalty=None and X has linearly dependent columns.

    Warns:
        ConvergenceWarning: max_iter reached (with separable classes and no penalty the
            coefficients grow without bound).

    Example:
        >>> clf = LogisticRegression(C=0.5).fit(X, y)
        >>> clf.predict_proba(X[:3]), clf.score(X, y)
    """

    _estimator_type = "classifier"

    def __init__(
        self,
        penalty="l2",
        *,
        C=1.0,
        l1_ratio=None,
        fit_intercept=True,
        tol=1e-4,
        max_iter=100,
        solver="auto",
        learning_rate=0.01,
        batch_size=32,
        epochs=100,
        verbose=False,
        random_state=None,
    ):
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter
        self.solver = solver
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.verbose = verbose
        self.random_state = random_state

    def _penalty_weights(self, where: str) -> tuple[float, float, float]:
        """(C, l1, l2) of the objective C * sum logloss + l1 ||W||_1 + l2/2 ||W||^2."""
        check_choice(self.penalty, where, "penalty", _PENALTIES)
        C = check_number(self.C, where, "C", low=0.0, low_open=True)
        if self.penalty == "elasticnet":
            if self.l1_ratio is None:
                raise ValueError(f"{where}: penalty='elasticnet' needs 'l1_ratio' in [0, 1]")
            r = check_number(self.l1_ratio, where, "l1_ratio", low=0.0, high=1.0)
        elif self.l1_ratio is not None:
            warnings.warn(
                f"{where}: 'l1_ratio' is only used with penalty='elasticnet' (got "
                f"penalty={self.penalty!r})",
                UserWarning,
                stacklevel=3,
            )
        if self.penalty is None or np.isinf(C):
            return 1.0, 0.0, 0.0
        if self.penalty == "l2":
            return C, 0.0, 1.0
        if self.penalty == "l1":
            return C, 1.0, 0.0
        return C, r, 1.0 - r

    def fit(self, X, y):
        """Fit the model; X is (n_samples, n_features), y (n_samples,) of class labels."""
        where = "LogisticRegression.fit"
        C, l1, l2 = self._penalty_weights(where)
        check_choice(self.solver, where, "solver", ("auto", "newton", "lbfgs", "gd", "sgd"))
        tol = check_number(self.tol, where, "tol", low=0.0)
        max_iter = check_int(self.max_iter, where, "max_iter")
        if self.solver == "lbfgs" and l1 > 0:
            raise ValueError(
                f"{where}: solver='lbfgs' supports penalty 'l2' or None, not {self.penalty!r}; "
                "use solver='newton' (proximal Newton) for l1 terms"
            )
        X, y = check_X_y(X, y, where, numeric_y=False, multi_output=False)
        self.classes_ = classes = class_labels(y, where)
        n, p = X.shape
        self.n_features_in_ = p
        self._inference_cache = None
        K = len(classes)
        Y = (
            (y == classes[1]).astype(np.float64)
            if K == 2
            else (y[:, None] == classes).astype(float)
        )
        if l1 == 0 and l2 == 0 and self.solver not in ("gd", "sgd"):
            self._check_rank(X, where)
        if self.solver in ("gd", "sgd"):
            B, n_iter = self._fit_training(X, Y, C, l1, l2, where)
        else:
            B, n_iter = self._fit_newton(X, Y, C, l1, l2, tol, max_iter)
        rows = p + (1 if self.fit_intercept else 0)
        B = B.reshape(rows, -1)
        self.coef_ = np.ascontiguousarray(B[:p].T)
        self.intercept_ = B[p].copy() if self.fit_intercept else np.zeros(B.shape[1])
        self.n_iter_ = np.array([n_iter])
        self._train_data = (X, Y)
        return self

    def _check_rank(self, X, where):
        Xc = X - X.mean(axis=0) if self.fit_intercept else X
        rank = np.linalg.matrix_rank(Xc)
        if rank < X.shape[1]:
            raise rank_error(where + " (penalty=None)", Xc, rank, intercept=self.fit_intercept)

    def _fit_newton(self, X, Y, C, l1, l2, tol, max_iter):
        prob = _Problem(X, Y, self.fit_intercept, C, l1, l2)
        theta0 = np.zeros(prob.rows * prob.K)
        if self.solver == "lbfgs":
            theta, n_iter, ok, viol = lbfgs(prob.value_and_grad, theta0, tol=tol, max_iter=max_iter)
            method = "L-BFGS"
        else:
            l1_vec = l1 * prob.penalised * prob.scale if l1 else None
            theta, n_iter, ok, viol = prox_newton(
                prob.value, prob.derivatives, theta0, l1_vec, tol=tol, max_iter=max_iter
            )
            method = "proximal Newton" if l1 else "Newton"
        if ok and l1 == 0 and l2 == 0 and self._separates(prob, theta):
            warnings.warn(
                "LogisticRegression: the classes are perfectly separable by the fitted linear "
                "predictor, so the unpenalised maximum likelihood estimate does not exist (the "
                "likelihood keeps growing with the coefficients); these coefficients are only "
                "where the iterations stopped: add a penalty (C < inf)",
                ConvergenceWarning,
                stacklevel=3,
            )
        if not ok:
            hint = (
                "; without a penalty, perfectly separable classes make the coefficients grow "
                "without bound: add a penalty (C < inf)"
                if l1 == 0 and l2 == 0
                else ""
            )
            warnings.warn(
                f"LogisticRegression: {method} did not converge after {n_iter} iterations "
                f"(optimality violation {viol:.3e} > tol {tol:.3e}); increase max_iter or "
                f"standardise X{hint}",
                ConvergenceWarning,
                stacklevel=3,
            )
        return theta, n_iter

    @staticmethod
    def _separates(prob, theta) -> bool:
        """Whether the linear predictor classifies every sample correctly (strictly)."""
        Z = prob.linear(theta)
        if Z.ndim == 1:
            return bool(np.all(np.where(prob.Y > 0, Z > 0, Z < 0)))
        own = (Z * prob.Y).sum(axis=1)
        others = np.where(prob.Y > 0, -np.inf, Z).max(axis=1)
        return bool(np.all(own > others))

    def _fit_training(self, X, Y, C, l1, l2, where):
        check_training_params(self, where)
        n, p = X.shape
        K = 1 if Y.ndim == 1 else Y.shape[1]
        shape = (p,) if K == 1 else (p, K)
        init = {"coef": np.zeros(shape)}
        if self.fit_intercept:
            init["intercept"] = np.zeros(shape[1:])
        scale = 1.0 / (C * n)  # the per-sample objective: sklearn's divided by C n

        def make_loss(coef, intercept=None):
            return lambda xb, yb: obj.mean_logistic_loss(coef, intercept, xb, yb, l2 * scale)

        values, n_iter = train(
            make_loss,
            init,
            X,
            Y,
            full_batch=self.solver == "gd",
            learning_rate=self.learning_rate,
            batch_size=self.batch_size,
            epochs=self.epochs,
            random_state=self.random_state,
            verbose=self.verbose,
            l1=l1 * scale,
            desc=f"LogisticRegression(solver={self.solver!r})",
        )
        B = values[0].reshape(p, K)
        if self.fit_intercept:
            B = np.vstack([B, values[1].reshape(1, K)])
        return B.ravel(), n_iter

    # ---- prediction ----------------------------------------------------------------------

    def decision_function(self, X) -> np.ndarray:
        """The linear predictor: (n_samples,) for two classes, else (n_samples, n_classes)."""
        Z = self._linear(self._check_predict_X(X, "decision_function"))
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, (n_samples, n_classes), columns in the order of `classes_`."""
        Z = self._linear(self._check_predict_X(X, "predict_proba"))
        if Z.shape[1] == 1:
            p1 = 1.0 / (1.0 + np.exp(-Z[:, 0]))
            return np.column_stack([1.0 - p1, p1])
        Z = Z - Z.max(axis=1, keepdims=True)
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X) -> np.ndarray:
        """The log of `predict_proba`."""
        return np.log(self.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        """The most probable class of each sample."""
        Z = self._linear(self._check_predict_X(X, "predict"))
        idx = (Z[:, 0] > 0).astype(int) if Z.shape[1] == 1 else Z.argmax(axis=1)
        return self.classes_[idx]

    def score(self, X, y) -> float:
        """Mean accuracy on (X, y)."""
        y = to_numpy(y, "LogisticRegression.score", "y")
        return float(np.mean(self.predict(X) == y))

    # ---- inference -----------------------------------------------------------------------

    def _compute_inference(self):
        where = "LogisticRegression inference"
        C, l1, l2 = self._penalty_weights(where)
        if l1 or l2:
            raise AttributeError(
                f"{where}: standard errors and tests are only available for penalty=None (the "
                f"Logit maximum likelihood estimate), not penalty={self.penalty!r}"
            )
        X, Y = self._train_data
        if Y.ndim != 1:
            raise AttributeError(
                f"{where}: standard errors are computed for two classes (statsmodels' Logit); "
                f"this model has {Y.shape[1]} classes"
            )
        return logit_inference(
            X, Y, self.coef_[0], float(self.intercept_[0]), self.fit_intercept, where
        )
