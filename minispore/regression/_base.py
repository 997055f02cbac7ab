"""The estimator base: scikit-learn's `get_params` / `set_params`, `repr`, `score` and prediction.

Hyper-parameters are the keyword arguments of `__init__`, stored unchanged and validated in `fit`,
so scikit-learn's `clone`, grid search and pipelines work with these estimators.
"""

from __future__ import annotations

import inspect

import numpy as np

from minispore.regression._validation import check_fitted, check_X, to_numpy


class BaseEstimator:
    """Parameters by introspection of `__init__`, as scikit-learn's BaseEstimator."""

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def get_params(self, deep: bool = True) -> dict:
        """The hyper-parameters as a dict (`deep` is accepted for scikit-learn compatibility)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        """Set hyper-parameters by name; returns the estimator."""
        valid = self._param_names()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(
                    f"Invalid parameter {key!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {valid}"
                )
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        sig = inspect.signature(type(self).__init__)
        changed = []
        for name in self._param_names():
            default = sig.parameters[name].default
            value = getattr(self, name)
            same = value is default or (
                not isinstance(value, np.ndarray) and _safe_equal(value, default)
            )
            if not same:
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def _where(self, method: str) -> str:
        return f"{type(self).__name__}.{method}"

    # scikit-learn reads the estimator type from here (>= 1.6) or from `_estimator_type`.
    _estimator_type = "regressor"

    def __sklearn_tags__(self):
        """scikit-learn's tags, so that its model selection tools accept these estimators."""
        from sklearn.utils import ClassifierTags, InputTags, RegressorTags, Tags, TargetTags

        classifier = self._estimator_type == "classifier"
        return Tags(
            estimator_type=self._estimator_type,
            target_tags=TargetTags(required=True),
            input_tags=InputTags(),
            classifier_tags=ClassifierTags() if classifier else None,
            regressor_tags=None if classifier else RegressorTags(),
        )


def _safe_equal(a, b) -> bool:
    try:
        return bool(a == b) and type(a) is type(b)
    except (TypeError, ValueError):
        return False


class LinearPredictorMixin:
    """`predict` for fitted `coef_` ((p,) or (targets, p)) and `intercept_`."""

    def _check_predict_X(self, X, method: str) -> np.ndarray:
        check_fitted(self)
        return check_X(X, self._where(method), n_features=self.n_features_in_)

    def _linear(self, X: np.ndarray) -> np.ndarray:
        return X @ np.asarray(self.coef_).T + self.intercept_


class RegressorMixin(LinearPredictorMixin):
    def predict(self, X) -> np.ndarray:
        """Predicted targets `X @ coef_.T + intercept_` (NumPy array)."""
        return self._linear(self._check_predict_X(X, "predict"))

    def score(self, X, y) -> float:
        """The coefficient of determination R^2 (averaged uniformly over targets)."""
        y = to_numpy(y, self._where("score"), "y").astype(np.float64)
        return r2_score(y, self.predict(X))


def r2_score(y: np.ndarray, pred: np.ndarray) -> float:
    """scikit-learn's `r2_score` with uniform averaging and `force_finite=True`."""
    y = y.reshape(len(y), -1)
    pred = pred.reshape(len(pred), -1)
    ss_res = ((y - pred) ** 2).sum(axis=0)
    ss_tot = ((y - y.mean(axis=0)) ** 2).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(ss_tot > 0, 1 - ss_res / np.where(ss_tot > 0, ss_tot, 1), 0.0)
    r2 = np.where((ss_tot == 0) & (ss_res == 0), 1.0, r2)
    return float(r2.mean())


def center(X: np.ndarray, y: np.ndarray, fit_intercept: bool):
    """Center X and y for an unpenalised intercept; returns (Xc, yc, X_offset, y_offset)."""
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), np.zeros(y.shape[1:])
    x_off = X.mean(axis=0)
    y_off = y.mean(axis=0)
    return X - x_off, y - y_off, x_off, y_off


def set_linear_result(est, coef: np.ndarray, x_off, y_off, fit_intercept: bool, y_ndim: int):
    """Store `coef_` ((p,) for 1-D y, (targets, p) for 2-D y) and `intercept_` as scikit-learn."""
    coef = np.asarray(coef, dtype=np.float64)  # (targets, p)
    intercept = y_off - coef @ x_off if fit_intercept else np.zeros(coef.shape[0])
    if y_ndim == 1:
        est.coef_ = coef[0]
        est.intercept_ = float(intercept[0]) if fit_intercept else 0.0
    else:
        est.coef_ = coef
        est.intercept_ = intercept if fit_intercept else 0.0
