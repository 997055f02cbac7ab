"""`StepwiseRegression`: forward, backward or bidirectional selection of columns by AIC, BIC or
p-values, for linear (gaussian) or logistic (binomial) models fitted without a penalty.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from minispore.regression._base import BaseEstimator, r2_score
from minispore.regression._objectives import binary_nll
from minispore.regression._validation import (
    SingularDesignError,
    check_choice,
    check_fitted,
    check_number,
    check_X,
    check_X_y,
    to_numpy,
)
from minispore.regression.inference import logit_inference, ols_inference
from minispore.regression.linear import LinearRegression
from minispore.regression.logistic import LogisticRegression, class_labels
from minispore.tensor import _wrap


class StepwiseRegression(BaseEstimator):
    """Stepwise selection of the columns of X for an unpenalised linear or logistic model.

    Each step refits the model on every candidate set (one column added or removed) and keeps
    the best by the criterion:

    - 'aic' / 'bic': add (remove) the column whose addition (removal) gives the lowest
      criterion, while it is lower than the current model's; -2 llf + 2k or + log(n) k, k
      counting the intercept, as statsmodels.
    - 'pvalue': add the candidate with the smallest p-value of its coefficient (t test for
      gaussian, z test for binomial, as statsmodels) if below `threshold_in`; remove the
      included column with the largest p-value if above `threshold_out`.

    'forward' starts from the intercept-only model and adds; 'backward' starts from all columns
    and removes; 'both' starts empty and after each addition tries one removal, stopping when
    neither changes the model (or a set of columns repeats).

    Args:
        direction: 'forward', 'backward' or 'both'.
        criterion: 'aic', 'bic' or 'pvalue'.
        threshold_in, threshold_out: p-value thresholds for criterion='pvalue'
            (threshold_in < threshold_out with direction='both').
        family: 'gaussian' (LinearRegression, OLS) or 'binomial' (LogisticRegression with
            penalty=None, Logit; the target must have exactly two classes).
        fit_intercept: keep an intercept in every model.

    Attributes:
        selected_: the chosen column indices, in the order they were added ('backward': the
            remaining columns in index order).
        history_: one dict per step: 'step', 'action' ('start', 'add', 'remove'), 'feature',
            'criterion' (the model's AIC/BIC after the step, or the p-value of the column added
            or removed) and 'selected'.
        model_: the final fitted LinearRegression or LogisticRegression on X[:, selected_]
            (None when no column is selected).
        coef_: (n_features,) with zeros for the columns left out; intercept_; n_iter_ (steps).

    Example:
        >>> sw = StepwiseRegression(direction="both", criterion="bic").fit(X, y)
        >>> sw.selected_, sw.history_[-1]["criterion"]
    """

    @property
    def _estimator_type(self) -> str:
        return "classifier" if self.family == "binomial" else "regressor"

    def __init__(
        self,
        direction="forward",
        criterion="aic",
        threshold_in=0.05,
        threshold_out=0.10,
        family="gaussian",
        *,
        fit_intercept=True,
    ):
        self.direction = direction
        self.criterion = criterion
        self.threshold_in = threshold_in
        self.threshold_out = threshold_out
        self.family = family
        self.fit_intercept = fit_intercept

    # ---- one model ---------------------------------------------------------------------------

    def _llf(self, cols: list[int]) -> float | None:
        """The maximised log-likelihood on X[:, cols]; None when that design is singular."""
        X, y, n = self._X, self._y, self._n
        if self.family == "gaussian":
            D = X[:, cols]
            if self.fit_intercept:
                D = np.column_stack([np.ones(n), D])
            if D.shape[1] == 0:
                resid = y
            else:
                beta, _, rank, _ = np.linalg.lstsq(D, y, rcond=None)
                if rank < D.shape[1]:
                    return None
                resid = y - D @ beta
            ssr = float(resid @ resid)
            return -0.5 * n * (np.log(2 * np.pi) + np.log(ssr / n) + 1.0)
        model = self._logit(cols)
        if model is None:
            return None
        z = X[:, cols] @ model.coef_[0] + model.intercept_[0]
        return -float(binary_nll(_wrap(z), _wrap(y)).asnumpy())

    def _logit(self, cols):
        X, y = self._X, self._y
        if not cols:
            return _InterceptOnly(y, self.fit_intercept)
        try:
            return LogisticRegression(
                penalty=None, fit_intercept=self.fit_intercept, tol=1e-10, max_iter=200
            ).fit(X[:, cols], y)
        except SingularDesignError:
            return None

    def _score(self, cols) -> float | None:
        """The criterion of the model on cols (aic / bic), None if it cannot be fitted."""
        llf = self._llf(cols)
        if llf is None:
            return None
        k = len(cols) + (1 if self.fit_intercept else 0)
        penalty = 2.0 * k if self.criterion == "aic" else np.log(self._n) * k
        return -2.0 * llf + penalty

    def _pvalues(self, cols) -> np.ndarray | None:
        """p-values of the coefficients of cols (intercept excluded), None if singular."""
        X, y = self._X[:, cols], self._y
        try:
            if self.family == "gaussian":
                coef = np.linalg.lstsq(
                    np.column_stack([np.ones(self._n), X]) if self.fit_intercept else X,
                    y,
                    rcond=None,
                )
                beta, rank = coef[0], coef[2]
                if rank < len(beta):
                    return None
                inf = ols_inference(
                    X,
                    y,
                    beta[1:] if self.fit_intercept else beta,
                    beta[0] if self.fit_intercept else 0.0,
                    self.fit_intercept,
                    "StepwiseRegression",
                )
            else:
                model = self._logit(cols)
                if model is None:
                    return None
                inf = logit_inference(
                    X,
                    y,
                    model.coef_[0],
                    float(model.intercept_[0]),
                    self.fit_intercept,
                    "StepwiseRegression",
                )
        except SingularDesignError:
            return None
        return inf.pvalues[1:] if self.fit_intercept else inf.pvalues

    # ---- the steps ---------------------------------------------------------------------------

    def _try_add(self, selected, current):
        candidates = [j for j in range(self._p) if j not in selected]
        best = None
        for j in candidates:
            cols = selected + [j]
            if self.criterion == "pvalue":
                pv = self._pvalues(cols)
                value = None if pv is None else float(pv[-1])
            else:
                value = self._score(cols)
            if value is not None and (best is None or value < best[1]):
                best = (j, value)
        if best is None:
            return None
        if self.criterion == "pvalue":
            return best if best[1] < self.threshold_in else None
        return best if best[1] < current else None

    def _try_remove(self, selected, current):
        if not selected:
            return None
        if self.criterion == "pvalue":
            pv = self._pvalues(selected)
            if pv is None:
                return None
            worst = int(np.argmax(pv))
            return (selected[worst], float(pv[worst])) if pv[worst] > self.threshold_out else None
        best = None
        for j in selected:
            value = self._score([c for c in selected if c != j])
            if value is not None and (best is None or value < best[1]):
                best = (j, value)
        return best if best is not None and best[1] < current else None

    def fit(self, X, y):
        """Select columns of X and fit the final model; y is numeric (gaussian) or binary."""
        where = "StepwiseRegression.fit"
        check_choice(self.direction, where, "direction", ("forward", "backward", "both"))
        check_choice(self.criterion, where, "criterion", ("aic", "bic", "pvalue"))
        check_choice(self.family, where, "family", ("gaussian", "binomial"))
        t_in = check_number(self.threshold_in, where, "threshold_in", low=0.0, high=1.0)
        t_out = check_number(self.threshold_out, where, "threshold_out", low=0.0, high=1.0)
        if self.criterion == "pvalue" and self.direction == "both" and t_in >= t_out:
            raise ValueError(
                f"{where}: direction='both' needs threshold_in < threshold_out (got "
                f"{t_in} >= {t_out}), otherwise a column can be added and removed forever"
            )
        if self.family == "gaussian":
            X, y = check_X_y(X, y, where, multi_output=False)
        else:
            X, y = check_X_y(X, y, where, numeric_y=False, multi_output=False)
            classes = class_labels(y, where)
            if len(classes) != 2:
                raise ValueError(
                    f"{where}: family='binomial' needs a binary target (2 classes), but y has "
                    f"{len(classes)} classes {classes.tolist()}; use LogisticRegression for a "
                    "multinomial model"
                )
            self.classes_ = classes
            y = (y == classes[1]).astype(np.float64)
        self._X, self._y = X, y
        self._n, self._p = X.shape
        self.n_features_in_ = self._p
        try:
            selected, history = self._select()
        finally:
            del self._X, self._y
        self.selected_ = selected
        self.history_ = history
        self.n_iter_ = len(history) - 1
        self._fit_final(X, y)
        return self

    def _select(self):
        pvalue = self.criterion == "pvalue"
        selected = list(range(self._p)) if self.direction == "backward" else []
        current = None if pvalue else self._score(selected)
        if current is None and not pvalue:
            raise SingularDesignError(
                "StepwiseRegression.fit: the starting model (all columns) has a singular "
                "design; drop collinear columns or start with direction='forward'"
            )
        history = [_entry(0, "start", None, current, selected)]
        seen = {frozenset(selected)}
        while True:
            changed = False
            if self.direction in ("forward", "both"):
                step = self._try_add(selected, current)
                if step is not None:
                    selected = selected + [step[0]]
                    current = None if pvalue else step[1]
                    history.append(_entry(len(history), "add", step[0], step[1], selected))
                    changed = True
            if self.direction in ("backward", "both"):
                step = self._try_remove(selected, current)
                if step is not None:
                    selected = [c for c in selected if c != step[0]]
                    current = None if pvalue else step[1]
                    history.append(_entry(len(history), "remove", step[0], step[1], selected))
                    changed = True
            key = frozenset(selected)
            if not changed or key in seen:  # a repeat can only come from p-values in 'both'
                break
            seen.add(key)
        return selected, history

    def _fit_final(self, X, y):
        cols = self.selected_
        self.coef_ = np.zeros(self._p)
        if not cols:
            self.model_ = None
            if self.family == "gaussian":
                self.intercept_ = float(y.mean()) if self.fit_intercept else 0.0
            else:
                m = _InterceptOnly(y, self.fit_intercept)
                self.intercept_ = float(m.intercept_[0])
            return
        if self.family == "gaussian":
            self.model_ = LinearRegression(fit_intercept=self.fit_intercept).fit(X[:, cols], y)
            self.coef_[cols] = self.model_.coef_
            self.intercept_ = self.model_.intercept_
        else:
            self.model_ = LogisticRegression(
                penalty=None, fit_intercept=self.fit_intercept, tol=1e-10, max_iter=200
            ).fit(X[:, cols], y)
            self.coef_[cols] = self.model_.coef_[0]
            self.intercept_ = float(self.model_.intercept_[0])

    # ---- prediction --------------------------------------------------------------------------

    def decision_function(self, X) -> np.ndarray:
        """The linear predictor X @ coef_ + intercept_."""
        check_fitted(self)
        X = check_X(X, "StepwiseRegression.predict", n_features=self.n_features_in_)
        return X @ self.coef_ + self.intercept_

    def predict(self, X) -> np.ndarray:
        """Predicted targets (gaussian) or classes (binomial) from the selected columns."""
        z = self.decision_function(X)
        if self.family == "gaussian":
            return z
        return self.classes_[(z > 0).astype(int)]

    def score(self, X, y) -> float:
        """R^2 (gaussian) or accuracy (binomial)."""
        y = to_numpy(y, "StepwiseRegression.score", "y")
        pred = self.predict(X)
        if self.family == "gaussian":
            return r2_score(y.astype(np.float64), pred)
        return float(np.mean(pred == y))

    def summary(self) -> str:
        """The final model's summary table; column j of X is named x{j+1}."""
        check_fitted(self)
        if self.model_ is None:
            return "StepwiseRegression: no column was selected (intercept-only model)"
        inf = self.model_._inference()
        names = (["const"] if self.fit_intercept else []) + [f"x{j + 1}" for j in self.selected_]
        return dataclasses.replace(inf, names=names).summary("StepwiseRegression results")


class _InterceptOnly:
    """The binomial model without columns: the intercept is the log-odds of the mean."""

    def __init__(self, y, fit_intercept):
        ybar = float(np.mean(y))
        b = np.log(ybar / (1.0 - ybar)) if fit_intercept and 0 < ybar < 1 else 0.0
        self.coef_ = np.zeros((1, 0))
        self.intercept_ = np.array([b])


def _entry(step, action, feature, criterion, selected):
    return {
        "step": step,
        "action": action,
        "feature": None if feature is None else int(feature),
        "criterion": None if criterion is None else float(criterion),
        "selected": list(selected),
    }
