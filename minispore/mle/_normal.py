"""The standard normal CDF, survival function and quantile in NumPy, for p-values and intervals.

SciPy is not a runtime dependency: the CDF uses `math.erfc` elementwise and the quantile refines
Acklam's rational approximation with one Halley step, which gives full double precision.
"""

from __future__ import annotations

import math

import numpy as np

_erfc = np.frompyfunc(math.erfc, 1, 1)


def norm_sf(z) -> np.ndarray:
    """P(Z > z) for a standard normal Z, accurate in the far tail (no 1 - cdf cancellation)."""
    z = np.asarray(z, dtype=np.float64)
    return np.asarray(_erfc(z / math.sqrt(2.0)), dtype=np.float64) * 0.5


def norm_cdf(z) -> np.ndarray:
    """P(Z <= z) for a standard normal Z."""
    return norm_sf(-np.asarray(z, dtype=np.float64))


# Acklam's coefficients (relative error 1.15e-9 before refinement).
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02,
      1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00)  # fmt: skip
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02,
      6.680131188771972e01, -1.328068155288572e01)  # fmt: skip
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00,
      -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00)  # fmt: skip
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)


def _poly(coefs, x):
    out = np.zeros_like(x)
    for c in coefs:
        out = out * x + c
    return out


def norm_ppf(p) -> np.ndarray:
    """The quantile `z` with P(Z <= z) = p, for 0 < p < 1 (0 and 1 give -inf and inf)."""
    p = np.asarray(p, dtype=np.float64)
    if np.any((p < 0) | (p > 1) | np.isnan(p)):
        raise ValueError(f"For 'norm_ppf', probabilities must lie in [0, 1], but got {p}")
    q = np.clip(p, 1e-300, 1 - 1e-16)
    low = q < 0.02425
    high = q > 1 - 0.02425
    r = np.where(low, q, 1 - q)
    t = np.sqrt(-2 * np.log(np.where(low | high, r, 0.5)))
    tail = _poly(_C, t) / (_poly(_D, t) * t + 1)
    u = q - 0.5
    s = u * u
    mid = u * _poly(_A, s) / (_poly(_B, s) * s + 1)
    x = np.where(low, tail, np.where(high, -tail, mid))
    # NOTE: one Halley step on cdf(x) - p; the error e is taken from whichever tail is
    # smaller so that it keeps relative precision.
    e = np.where(x < 0, norm_cdf(x) - q, (1 - q) - norm_sf(x))
    d = e * math.sqrt(2 * math.pi) * np.exp(x * x / 2)
    x = x - d / (1 + x * d / 2)
    return np.where(p == 0, -np.inf, np.where(p == 1, np.inf, x))
