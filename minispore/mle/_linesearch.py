"""Line searches for `minispore.mle`'s optimisers, in NumPy over a flat parameter vector.

`backtrack` (Armijo, for Newton steps) and `wolfe` (strong Wolfe conditions, Nocedal & Wright
Algorithms 3.5 and 3.6, for BFGS and L-BFGS). A non-finite objective value counts as +inf: the
step was too long (a variance pushed negative, an overflow), so the search shortens it.
"""

from __future__ import annotations

import numpy as np

C1 = 1e-4  # sufficient decrease
C2 = 0.9  # curvature, the usual value for quasi-Newton methods


def _slack(f: float) -> float:
    # NOTE: near the optimum a step's true decrease can fall below the rounding of f itself;
    # accepting a change of a few ulps lets the gradient test, not rounding, end the run.
    return 16 * np.finfo(np.float64).eps * max(1.0, abs(f))


def _armijo(f_new: float, f0: float, alpha: float, slope: float) -> bool:
    return bool(np.isfinite(f_new)) and f_new <= f0 + C1 * alpha * slope + _slack(f0)


def backtrack(value, x, f0, g0, d, max_steps=60):
    """Shrink a step from 1 until `value(x + a d)` decreases enough; return (a, f) or None."""
    slope = float(g0 @ d)
    alpha = 1.0
    for _ in range(max_steps):
        f = value(x + alpha * d)
        if _armijo(f, f0, alpha, slope):
            return alpha, f
        if np.isfinite(f):
            # Minimiser of the quadratic through f0, slope and f, kept within [0.1a, 0.5a].
            denom = 2.0 * (f - f0 - slope * alpha)
            trial = -slope * alpha * alpha / denom if denom > 0 else 0.5 * alpha
            alpha = min(max(trial, 0.1 * alpha), 0.5 * alpha)
        else:
            alpha *= 0.25
    return None


def wolfe(value_and_grad, x, f0, g0, d, alpha0=1.0, max_steps=40):
    """A step satisfying the strong Wolfe conditions: return (a, f, g) or None.

    Brackets an acceptable step by doubling, then narrows the bracket by safeguarded quadratic
    interpolation (`_zoom`). When the bracket cannot be narrowed further, a step with sufficient
    decrease is still returned, so the caller makes progress.
    """
    slope0 = float(g0 @ d)
    a_prev, f_prev, s_prev, g_prev = 0.0, f0, slope0, g0
    alpha = alpha0
    for i in range(max_steps):
        f, g = value_and_grad(x + alpha * d)
        if not _armijo(f, f0, alpha, slope0) or (i > 0 and f >= f_prev):
            lo = (a_prev, f_prev, s_prev, g_prev)
            return _zoom(value_and_grad, x, d, f0, slope0, lo, (alpha, f))
        slope = float(g @ d)
        if abs(slope) <= -C2 * slope0:
            return alpha, f, g
        if slope >= 0:
            return _zoom(value_and_grad, x, d, f0, slope0, (alpha, f, slope, g), (a_prev, f_prev))
        a_prev, f_prev, s_prev, g_prev = alpha, f, slope, g
        alpha *= 2.0
    return (a_prev, f_prev, g_prev) if a_prev > 0 else None


def _zoom(value_and_grad, x, d, f0, slope0, lo, hi, max_steps=40):
    """Narrow the bracket between `lo` = (a, f, slope, g), which has sufficient decrease, and
    `hi` = (a, f), which has not or lies past a minimum; return (a, f, g) or None."""
    a_lo, f_lo, s_lo, g_lo = lo
    a_hi, f_hi = hi
    for _ in range(max_steps):
        width = a_hi - a_lo
        if np.isfinite(f_hi):
            denom = 2.0 * (f_hi - f_lo - s_lo * width)
            alpha = a_lo - s_lo * width * width / denom if denom > 0 else a_lo + 0.5 * width
        else:
            alpha = a_lo + 0.25 * width
        lo_end, hi_end = sorted((a_lo, a_hi))
        margin = 0.1 * abs(width)
        if not lo_end + margin <= alpha <= hi_end - margin:
            alpha = a_lo + 0.5 * width
        f, g = value_and_grad(x + alpha * d)
        if not _armijo(f, f0, alpha, slope0) or f >= f_lo:
            a_hi, f_hi = alpha, f
            continue
        slope = float(g @ d)
        if abs(slope) <= -C2 * slope0:
            return alpha, f, g
        if slope * (a_hi - a_lo) >= 0:
            a_hi, f_hi = a_lo, f_lo
        a_lo, f_lo, s_lo, g_lo = alpha, f, slope, g
    return (a_lo, f_lo, g_lo) if a_lo > 0 else None
