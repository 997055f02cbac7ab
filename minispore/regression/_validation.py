"""Input checks and the errors and warnings of `minispore.regression`.

Every message names the estimator and method, the argument, and the offending shapes or values.
"""

from __future__ import annotations

import numbers

import numpy as np

from minispore.errors import ConvergenceWarning  # noqa: F401  (re-exported)


class NotFittedError(ValueError, AttributeError):
    """Raised when an estimator is used before `fit` (scikit-learn's NotFittedError)."""


class SingularDesignError(np.linalg.LinAlgError):
    """Raised when an unpenalised model's design matrix has linearly dependent columns."""


def to_numpy(a, where: str, name: str) -> np.ndarray:
    """An ndarray from a NumPy array, a minispore Tensor, a list or anything array-like."""
    from minispore.tensor import Tensor

    if isinstance(a, Tensor):
        return a.asnumpy()
    if a is None:
        raise TypeError(f"{where}: '{name}' is None; expected an array or a Tensor")
    try:
        return np.asarray(a)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{where}: cannot convert '{name}' to an array: {exc}") from None


def as_float(a: np.ndarray, where: str, name: str) -> np.ndarray:
    """Cast to float64, refusing strings, objects and complex numbers with a clear message."""
    if a.dtype.kind in "biuf":
        return a.astype(np.float64, copy=False)
    try:
        if a.dtype.kind in "cUS":
            raise TypeError
        return a.astype(np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{where}: '{name}' must hold real numbers, but got dtype {a.dtype}"
        ) from None


def check_finite(a: np.ndarray, where: str, name: str) -> None:
    """Raise ValueError naming the first NaN or infinite entry of a float array."""
    if np.isfinite(a).all():
        return
    bad_nan = np.isnan(a)
    kind = "NaN" if bad_nan.any() else "infinity"
    bad = bad_nan if kind == "NaN" else ~np.isfinite(a)
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    at = f"row {first[0]}" + (f", column {first[1]}" if len(first) > 1 else "")
    raise ValueError(
        f"{where}: '{name}' contains {kind} ({int(bad.sum())} entries, the first at {at}); "
        "remove or impute the missing or infinite values"
    )


def check_X(X, where: str, *, n_features: int | None = None) -> np.ndarray:
    """A finite float64 matrix of shape (n_samples, n_features)."""
    a = to_numpy(X, where, "X")
    if a.ndim != 2:
        hint = " Reshape it with X.reshape(-1, 1) for a single feature." if a.ndim == 1 else ""
        raise ValueError(
            f"{where}: 'X' must be a 2-D array (n_samples, n_features), but got shape "
            f"{a.shape}.{hint}"
        )
    if a.shape[0] == 0:
        raise ValueError(f"{where}: 'X' has shape {a.shape}: at least one sample is required")
    if a.shape[1] == 0 and n_features is None:
        raise ValueError(f"{where}: 'X' has shape {a.shape}: at least one feature is required")
    a = as_float(a, where, "X")
    check_finite(a, where, "X")
    if n_features is not None and a.shape[1] != n_features:
        raise ValueError(
            f"{where}: X has {a.shape[1]} features (shape {a.shape}), but the model was "
            f"fitted with {n_features} features"
        )
    return a


def check_X_y(X, y, where: str, *, numeric_y: bool = True, multi_output: bool = True):
    """Validate a training pair; y is float64 (1-D, or 2-D for several targets) or raw labels."""
    Xa = check_X(X, where)
    ya = to_numpy(y, where, "y")
    if ya.ndim == 0:
        raise ValueError(f"{where}: 'y' must be an array of targets, but got a scalar")
    if ya.ndim == 2 and ya.shape[1] == 1 and not multi_output:
        ya = ya[:, 0]
    if ya.ndim > (2 if multi_output else 1):
        expected = "1-D or 2-D" if multi_output else "1-D"
        raise ValueError(f"{where}: 'y' must be {expected}, but got shape {ya.shape}")
    if ya.shape[0] != Xa.shape[0]:
        raise ValueError(
            f"{where}: X and y have different numbers of samples: X has shape {Xa.shape} "
            f"({Xa.shape[0]} samples) but y has shape {ya.shape} ({ya.shape[0]} samples)"
        )
    if numeric_y:
        ya = as_float(ya, where, "y")
        check_finite(ya, where, "y")
    elif ya.dtype.kind == "c":
        raise TypeError(f"{where}: 'y' holds complex numbers (dtype {ya.dtype}); expected labels")
    elif ya.dtype.kind == "f":
        check_finite(ya, where, "y")
    return Xa, ya


def check_fitted(est, attribute: str = "coef_") -> None:
    if not hasattr(est, attribute):
        name = type(est).__name__
        raise NotFittedError(
            f"This {name} instance is not fitted yet. Call 'fit' with appropriate arguments "
            "before using this estimator."
        )


# ---- hyper-parameter checks (done in fit, as scikit-learn does) --------------------------------


def check_number(value, where: str, name: str, *, low=None, high=None, low_open=False):
    """A real number in [low, high] (or (low, high] with low_open); returns it as float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: '{name}' must be a real number, but got {value!r}")
    v = float(value)
    if np.isnan(v) or (low is not None and (v < low or (low_open and v == low))):
        bound = f"> {low}" if low_open else f">= {low}"
        raise ValueError(f"{where}: '{name}' must be {bound}, but got {value!r}")
    if high is not None and v > high:
        raise ValueError(f"{where}: '{name}' must be <= {high}, but got {value!r}")
    return v


def check_int(value, where: str, name: str, *, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where}: '{name}' must be an int, but got {value!r}")
    if value < low:
        raise ValueError(f"{where}: '{name}' must be >= {low}, but got {value!r}")
    return int(value)


def check_choice(value, where: str, name: str, choices) -> None:
    if value not in choices:
        raise ValueError(
            f"{where}: '{name}' must be one of {', '.join(repr(c) for c in choices)}, "
            f"but got {value!r}"
        )


def rank_error(where: str, X: np.ndarray, rank: int, *, intercept: bool) -> SingularDesignError:
    """Explain a rank-deficient design: which columns are involved and what to do."""
    vt = np.linalg.svd(X, full_matrices=False)[2]
    null = vt[rank:] if vt.shape[0] > rank else vt[-1:]
    involved = [int(j) for j in np.flatnonzero(np.abs(null).max(axis=0) > 1e-8)]
    constant = [j for j in involved if np.ptp(X[:, j]) == 0]
    others = [j for j in involved if j not in constant]
    parts = []
    if constant:
        what = "constant after centering: collinear with the intercept" if intercept else "zero"
        parts.append(f"columns {constant} are {what}")
    if others:
        parts.append(f"columns {others} are linearly dependent")
    detail = "; ".join(parts)
    n, p = X.shape
    return SingularDesignError(
        f"{where}: the design matrix X (shape {(n, p)}"
        + (", centered for the intercept" if intercept else "")
        + f") is singular: its rank is {rank} < {p} columns; {detail}. The unpenalised "
        "coefficients are not identifiable: drop the collinear columns, or use Ridge "
        "(alpha > 0) to fit a penalised model."
    )
