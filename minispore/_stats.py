"""The normal, Student t, chi-square and F distribution functions for p-values and intervals,
shared by `minispore.regression` and `minispore.mle`, in NumPy only.

SciPy is not a runtime dependency: the incomplete beta and gamma functions are evaluated by their
continued fractions (Lentz's method) and series, to about 1e-14 relative accuracy, tails included.
"""

from __future__ import annotations

import math

import numpy as np

_EPS = 1e-16
_TINY = 1e-300
_MAXIT = 10_000


def _elementwise(fn):
    """Apply a scalar function to arrays (or scalars) of its arguments; float in, float out."""

    def wrapper(*args):
        arrays = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in args))
        out = np.empty(arrays[0].shape)
        for idx in np.ndindex(out.shape):
            out[idx] = fn(*(float(a[idx]) for a in arrays))
        return out[()] if out.ndim == 0 else out

    wrapper.__name__ = fn.__name__.lstrip("_")
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _lentz(term, first: float) -> float:
    """Evaluate the continued fraction b0 + a1/(b1 + a2/(b2 + ...)) given term(m) = (a_m, b_m)."""
    f = first if abs(first) > _TINY else _TINY
    c, d = f, 0.0
    for m in range(1, _MAXIT):
        a, b = term(m)
        d = b + a * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = b + a / c
        c = c if abs(c) > _TINY else _TINY
        delta = c * d
        f *= delta
        if abs(delta - 1.0) < _EPS:
            return f
    raise RuntimeError("continued fraction did not converge")  # pragma: no cover


def _betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    return _betainc2(a, b, x, 1.0 - x)


def _betainc2(a: float, b: float, x: float, y: float) -> float:
    """I_x(a, b) with y = 1 - x given separately (exactly), to keep tail accuracy."""
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x)
    log_front += b * math.log(y)
    # NOTE: the continued fraction converges fast for x < (a + 1) / (a + b + 2); otherwise use
    # the symmetry I_x(a, b) = 1 - I_{1-x}(b, a).
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, y) / b


def _betacf(a: float, b: float, x: float) -> float:
    """Numerical Recipes' continued fraction of I_x(a, b): 1 / (1 + d1 / (1 + d2 / (1 + ...)))."""

    def term(k):
        if k % 2:  # d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1))
            m = (k - 1) // 2
            return -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)), 1.0
        m = k // 2  # d_{2m} = m(b-m) x / ((a+2m-1)(a+2m))
        return m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)), 1.0

    return 1.0 / _lentz(term, 1.0)


def _gammainc_series(a: float, x: float) -> float:
    """P(a, x) by its series; accurate for x < a + 1."""
    total = term = 1.0 / a
    ap = a
    for _ in range(_MAXIT):
        ap += 1.0
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gammaincc_cf(a: float, x: float) -> float:
    """Q(a, x) by its continued fraction; accurate for x >= a + 1."""

    def term(m):
        return -m * (m - a), x + 2 * m + 1 - a

    return math.exp(-x + a * math.log(x) - math.lgamma(a)) / _lentz(term, x + 1.0 - a)


def _gammainc(a: float, x: float) -> float:
    """The regularized lower incomplete gamma function P(a, x)."""
    if x <= 0.0:
        return 0.0
    if x < a + 1.0:
        return _gammainc_series(a, x)
    return 1.0 - _gammaincc_cf(a, x)


def _gammaincc(a: float, x: float) -> float:
    """The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x)."""
    if x <= 0.0:
        return 1.0
    if x < a + 1.0:
        return 1.0 - _gammainc_series(a, x)
    return _gammaincc_cf(a, x)


# ---- distributions --------------------------------------------------------------------------


def _norm_cdf(x: float) -> float:
    """Standard normal CDF."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _norm_sf(x: float) -> float:
    """Standard normal survival function 1 - CDF, accurate in the upper tail."""
    return 0.5 * math.erfc(x / math.sqrt(2.0))


def _norm_pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


# Acklam's rational approximation of the normal quantile (relative error 1.2e-9), refined below.
_A = (-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690,
      -30.66479806614716, 2.506628277459239)  # fmt: skip
_B = (-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
      -13.28068155288572)  # fmt: skip
_C = (-7.784894002430293e-03, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
      4.374664141464968, 2.938163982698783)  # fmt: skip
_D = (7.784695709041462e-03, 0.3224671290700398, 2.445134137142996, 3.754408661907416)


def _norm_ppf(q: float) -> float:
    """Standard normal quantile (inverse CDF)."""
    if not 0.0 <= q <= 1.0 or math.isnan(q):
        return math.nan
    if q == 0.0:
        return -math.inf
    if q == 1.0:
        return math.inf
    lo = 0.02425
    if q < lo or q > 1 - lo:
        r = math.sqrt(-2.0 * math.log(q if q < lo else 1.0 - q))
        x = (((((_C[0] * r + _C[1]) * r + _C[2]) * r + _C[3]) * r + _C[4]) * r + _C[5]) / (
            (((_D[0] * r + _D[1]) * r + _D[2]) * r + _D[3]) * r + 1.0
        )
        x = x if q < lo else -x
    else:
        r = q - 0.5
        s = r * r
        x = (
            (((((_A[0] * s + _A[1]) * s + _A[2]) * s + _A[3]) * s + _A[4]) * s + _A[5])
            * r
            / (((((_B[0] * s + _B[1]) * s + _B[2]) * s + _B[3]) * s + _B[4]) * s + 1.0)
        )
    # Two Halley steps on F(x) - q, written with the survival function in the upper half.
    for _ in range(2):
        err = _norm_cdf(x) - q if q <= 0.5 else (1.0 - q) - _norm_sf(x)
        u = err / _norm_pdf(x)
        x -= u / (1.0 + 0.5 * x * u)
    return x


def _t_sf(t: float, df: float) -> float:
    """Student t survival function P(T > t)."""
    if math.isinf(df):
        return _norm_sf(t)
    t2 = t * t
    # P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2), with 1 - x = t^2/(df+t^2) computed exactly.
    tail = 0.5 * _betainc2(0.5 * df, 0.5, df / (df + t2), t2 / (df + t2))
    return tail if t >= 0 else 1.0 - tail


def _t_cdf(t: float, df: float) -> float:
    """Student t CDF P(T <= t)."""
    return _t_sf(-t, df)


def _t_pdf(t: float, df: float) -> float:
    log_c = math.lgamma(0.5 * (df + 1)) - math.lgamma(0.5 * df) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - 0.5 * (df + 1) * math.log1p(t * t / df))


def _t_ppf(q: float, df: float) -> float:
    """Student t quantile: Newton's method on the CDF from the normal quantile, bracketed."""
    if not 0.0 <= q <= 1.0 or math.isnan(q):
        return math.nan
    if q == 0.0:
        return -math.inf
    if q == 1.0:
        return math.inf
    if math.isinf(df):
        return _norm_ppf(q)
    if q > 0.5:
        return -_t_ppf(1.0 - q, df)
    if q == 0.5:
        return 0.0
    # Lower half: solve sf(-x) = q for x < 0, i.e. tail(|x|) = q with tail decreasing in |x|.
    if df == 1.0:
        return -1.0 / math.tan(math.pi * q)  # the Cauchy quantile tan(pi (q - 1/2))
    lo, hi = 0.0, max(1.0, -_norm_ppf(q))
    while _t_sf(hi, df) > q:
        lo, hi = hi, 2.0 * hi
    x = 0.5 * (lo + hi)
    for _ in range(200):
        f = _t_sf(x, df) - q
        if f > 0:
            lo = x
        else:
            hi = x
        step = f / _t_pdf(x, df)
        new = x + step
        if not lo < new < hi:
            new = 0.5 * (lo + hi)
        if abs(new - x) <= 1e-15 * max(1.0, abs(x)):
            x = new
            break
        x = new
    return -x


def _chi2_sf(x: float, df: float) -> float:
    """Chi-square survival function P(X > x)."""
    return _gammaincc(0.5 * df, 0.5 * x)


def _chi2_cdf(x: float, df: float) -> float:
    """Chi-square CDF P(X <= x)."""
    return _gammainc(0.5 * df, 0.5 * x)


def _f_sf(f: float, dfn: float, dfd: float) -> float:
    """F distribution survival function P(F > f)."""
    if f <= 0:
        return 1.0
    denom = dfd + dfn * f
    return _betainc2(0.5 * dfd, 0.5 * dfn, dfd / denom, dfn * f / denom)


betainc = _elementwise(_betainc)
gammainc = _elementwise(_gammainc)
gammaincc = _elementwise(_gammaincc)
norm_cdf = _elementwise(_norm_cdf)
norm_sf = _elementwise(_norm_sf)
norm_ppf = _elementwise(_norm_ppf)
t_cdf = _elementwise(_t_cdf)
t_sf = _elementwise(_t_sf)
t_ppf = _elementwise(_t_ppf)
chi2_cdf = _elementwise(_chi2_cdf)
chi2_sf = _elementwise(_chi2_sf)
f_sf = _elementwise(_f_sf)
