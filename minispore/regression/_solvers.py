"""Optimisers on concrete arrays: coordinate descent, proximal Newton, Newton and L-BFGS.

The estimators hand these functions values, gradients and Hessians computed by minispore from the
objective functions; the solvers themselves only do NumPy linear algebra on plain arrays.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def soft_threshold(x, t):
    """sign(x) * max(|x| - t, 0): the proximal operator of t * |x|."""
    return np.sign(x) * np.maximum(np.abs(x) - t, 0.0)


# ---- coordinate descent on a quadratic ------------------------------------------------------


def cd_quadratic(
    Q: np.ndarray,
    q: np.ndarray,
    w: np.ndarray,
    l1: np.ndarray,
    l2: np.ndarray,
    *,
    max_iter: int,
    tol_dw: float,
    check: Callable[[np.ndarray, np.ndarray], bool],
) -> tuple[np.ndarray, int, bool]:
    """Minimise 0.5 w'Qw - q'w + sum_j l1_j |w_j| + 0.5 sum_j l2_j w_j^2 by cyclic coordinates.

    Each sweep updates every coordinate in turn (`Qw` is kept up to date with one row update per
    changed coordinate). After a sweep in which the support and the signs did not change, an
    active-set step (`_active_set_step`) solves the problem on the support exactly, which ends
    the iterations at machine precision instead of a slow linear tail.

    `check(w, Qw)` is the final test (a duality gap for the lasso); it is called, as in
    scikit-learn, when the largest update of a sweep is below `tol_dw` times the largest
    coefficient, and after an active-set step that reached the optimum.

    Returns:
        (w, number of sweeps, converged).
    """
    w = np.array(w, dtype=np.float64)
    Qw = Q @ w
    diag = np.diag(Q)
    denom = (diag + l2).tolist()
    rows = list(Q)
    qs, l1s, ds = q.tolist(), l1.tolist(), diag.tolist()
    usable = [j for j in range(len(w)) if denom[j] > 0]
    free = (l1 == 0) & (diag + l2 > 0)
    prev_pattern = None
    for n_iter in range(1, max_iter + 1):
        w_max = d_w_max = 0.0
        for j in usable:
            w_j = float(w[j])
            tmp = qs[j] - float(Qw[j]) + w_j * ds[j]
            a = abs(tmp) - l1s[j]
            new = (a if tmp > 0 else -a) / denom[j] if a > 0 else 0.0
            if new != w_j:
                Qw += (new - w_j) * rows[j]
                w[j] = new
                d = abs(new - w_j)
                if d > d_w_max:
                    d_w_max = d
            if abs(new) > w_max:
                w_max = abs(new)
        if (w_max == 0.0 or d_w_max <= tol_dw * w_max) and check(w, Qw):
            return w, n_iter, True
        pattern = np.sign(w)
        if prev_pattern is not None and np.array_equal(pattern, prev_pattern):
            w, Qw, optimal = _active_set_step(Q, q, w, l1, l2, free)
            if optimal and check(w, Qw):
                return w, n_iter, True
            pattern = np.sign(w)
        prev_pattern = pattern
    return w, max_iter, False


def _active_set_step(Q, q, w, l1, l2, free):
    """One feature-sign step (Lee et al., 2007) from w; returns (w, Qw, optimal?).

    On the orthant of w's signs the objective is a quadratic, minimised on the support by one
    linear solve. If that minimiser keeps the signs it is taken; otherwise w moves towards it
    until the first coordinate reaches zero (the objective decreases along the way, as the
    segment stays in the orthant), that coordinate leaves the support, and the solve is
    repeated. `optimal` reports whether the zero coordinates satisfy the optimality conditions.
    """
    w = w.copy()
    while True:
        signs = np.sign(w)
        idx = np.flatnonzero((signs != 0) | free)
        if idx.size == 0:
            break
        A = Q[np.ix_(idx, idx)] + np.diag(l2[idx])
        rhs = q[idx] - l1[idx] * signs[idx]
        try:
            sol = np.linalg.solve(A, rhs)
        except np.linalg.LinAlgError:
            sol = np.linalg.lstsq(A, rhs, rcond=None)[0]
        cur = w[idx]
        flips = (l1[idx] > 0) & (signs[idx] != 0) & (np.sign(sol) != signs[idx])
        if not flips.any():
            w[idx] = sol
            break
        ratios = np.full(idx.size, np.inf)
        ratios[flips] = cur[flips] / (cur[flips] - sol[flips])
        first = int(np.argmin(ratios))
        w[idx] = cur + ratios[first] * (sol - cur)
        w[idx[first]] = 0.0
    Qw = Q @ w
    zero = (w == 0) & ~free
    violation = np.abs(q[zero] - Qw[zero]) - l1[zero]
    scale = max(1.0, float(np.abs(q).max(initial=0.0)))
    return w, Qw, not np.any(violation > 1e-10 * scale)


def fista_quadratic(Q, q, w, l1: float, l2: float, *, max_iter: int, check):
    """The same problem as `cd_quadratic` (scalar penalties) by FISTA, the accelerated proximal
    gradient method, with adaptive restart (O'Donoghue and Candes) and step 1 / lambda_max.

    The gradient of the quadratic part is Q w - q + l2 w; `check(w, Qw)` runs every 10 steps.
    Returns (w, n_iter, converged).
    """
    L = float(np.linalg.eigvalsh(Q)[-1]) + l2
    if L <= 0:
        return np.zeros_like(w), 0, True
    w = np.array(w, dtype=np.float64)
    z, t = w.copy(), 1.0
    for it in range(1, max_iter + 1):
        grad = Q @ z - q + l2 * z
        w_new = soft_threshold(z - grad / L, l1 / L)
        if float((z - w_new) @ (w_new - w)) > 0:  # momentum points uphill: restart it
            t = 1.0
        t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        z = w_new + ((t - 1.0) / t_new) * (w_new - w)
        w, t = w_new, t_new
        if it % 10 == 0 and check(w, Q @ w):
            return w, it, True
    return w, max_iter, False


def enet_gap(w, alpha, beta, R_norm2, Ry, XtR):
    """scikit-learn's duality gap of 0.5||y - Xw||^2 + alpha ||w||_1 + beta/2 ||w||^2.

    `XtR = X'(y - Xw)`. Formulation A for alpha > 0, B for ridge (alpha = 0), and the squared
    gradient norm for least squares (alpha = beta = 0), as in scikit-learn's `_cd_fast`.
    """
    l2sq = float(w @ w) if beta > 0 else 0.0
    if alpha == 0:
        dual_norm = float(XtR @ XtR)
        if beta == 0:
            return dual_norm
        return R_norm2 + 0.5 * beta * l2sq - Ry + dual_norm / (2 * beta)
    XtA = XtR - beta * w
    dual_norm = float(np.abs(XtA).max(initial=0.0))
    primal = 0.5 * (R_norm2 + beta * l2sq) + alpha * float(np.abs(w).sum())
    scale = alpha / dual_norm if dual_norm > alpha else 1.0
    dual = -0.5 * scale**2 * (R_norm2 + beta * l2sq) + scale * Ry
    return primal - dual


def cd_residual(X, y, w, alpha, beta, *, max_iter, tol):
    """The same coordinate descent for many features (p > n): residuals instead of a Gram matrix.

    Returns (w, n_iter, gap, converged), with the gap test of `enet_gap` against tol * ||y||^2.
    """
    w = np.array(w, dtype=np.float64)
    R = y - X @ w
    norms = (X * X).sum(axis=0)
    denom = norms + beta
    y_norm2 = float(y @ y)
    tol_gap = tol * y_norm2
    gap = np.inf
    for n_iter in range(1, max_iter + 1):
        w_max = d_w_max = 0.0
        for j in range(X.shape[1]):
            if denom[j] == 0:
                continue
            col = X[:, j]
            w_j = w[j]
            tmp = col @ R + w_j * norms[j]
            a = abs(tmp) - alpha
            new = (a if tmp > 0 else -a) / denom[j] if a > 0 else 0.0
            if new != w_j:
                R -= (new - w_j) * col
                w[j] = new
                d_w_max = max(d_w_max, abs(new - w_j))
            w_max = max(w_max, abs(new))
        if w_max == 0.0 or d_w_max <= tol * w_max or n_iter == max_iter:
            gap = enet_gap(w, alpha, beta, float(R @ R), float(R @ y), X.T @ R)
            if gap <= tol_gap:
                return w, n_iter, gap, True
    return w, max_iter, gap, False


# ---- Newton, proximal Newton, L-BFGS ---------------------------------------------------------


def _newton_direction(H, g):
    """Solve H d = -g by Cholesky; minimum-norm least squares when H is singular."""
    try:
        L = np.linalg.cholesky(H)
        return -np.linalg.solve(L.T, np.linalg.solve(L, g))
    except np.linalg.LinAlgError:
        return -np.linalg.lstsq(H, g, rcond=None)[0]


def optimality(g, x, l1):
    """The largest violation of the optimality conditions of f(x) + sum l1_j |x_j|."""
    viol = np.where(x != 0, np.abs(g + l1 * np.sign(x)), np.maximum(np.abs(g) - l1, 0.0))
    return float(viol.max(initial=0.0))


def prox_newton(
    value: Callable[[np.ndarray], float],
    derivatives: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    x0: np.ndarray,
    l1: np.ndarray | None,
    *,
    tol: float,
    max_iter: int,
):
    """Minimise f(x) + sum_j l1_j |x_j| by (proximal) Newton steps with a backtracking search.

    `value(x)` is f and `derivatives(x)` its gradient and Hessian. Without an l1 term each step
    solves H d = -g (Newton's method); with one, each step minimises the quadratic model plus the
    l1 term by coordinate descent (`cd_quadratic`), as glmnet and newGLMNET do. The search halves
    the step until the sufficient-decrease condition of Tseng and Yun holds.

    Returns (x, n_iter, converged, optimality violation at x).
    """
    x = np.array(x0, dtype=np.float64)
    has_l1 = l1 is not None and np.any(l1 > 0)
    l1v = l1 if has_l1 else np.zeros_like(x)
    f = value(x)
    for it in range(max_iter + 1):
        g, H = derivatives(x)
        viol = optimality(g, x, l1v)
        if viol <= tol:
            return x, it, True, viol
        if it == max_iter:
            break
        if has_l1:
            z, _, _ = cd_quadratic(
                H,
                H @ x - g,
                x,
                l1v,
                np.zeros_like(x),
                max_iter=1000,
                tol_dw=1e-12,
                check=lambda w, Qw: True,
            )
            d = z - x
        else:
            d = _newton_direction(H, g)
        l1_x = float(l1v @ np.abs(x))
        decrease = float(g @ d) + float(l1v @ np.abs(x + d)) - l1_x
        if decrease >= 0:  # no descent left at machine precision
            return x, it, viol <= 10 * tol, viol
        t = 1.0
        while True:
            x_new = x + t * d
            f_new = value(x_new)
            F_new = f_new + float(l1v @ np.abs(x_new))
            if F_new <= f + l1_x + 1e-4 * t * decrease or (t == 1.0 and _roundoff(F_new, f + l1_x)):
                break
            t *= 0.5
            if t < 1e-12:
                return x, it, False, viol
        x, f = x_new, f_new
    return x, max_iter, False, viol


def _roundoff(f_new: float, f: float) -> bool:
    """Whether two objective values differ by no more than rounding error."""
    return abs(f_new - f) <= 64 * np.finfo(float).eps * max(1.0, abs(f))


def lbfgs(
    fun: Callable[[np.ndarray], tuple[float, np.ndarray]],
    x0: np.ndarray,
    *,
    tol: float,
    max_iter: int,
    memory: int = 10,
):
    """Limited-memory BFGS with a backtracking (Armijo) search; stops when max|grad| <= tol.

    `fun(x)` returns the value and the gradient. Returns (x, n_iter, converged, max|grad|).
    """
    x = np.array(x0, dtype=np.float64)
    f, g = fun(x)
    s_list: list[np.ndarray] = []
    y_list: list[np.ndarray] = []
    for it in range(max_iter + 1):
        gmax = float(np.abs(g).max(initial=0.0))
        if gmax <= tol:
            return x, it, True, gmax
        if it == max_iter:
            break
        d = -_two_loop(g, s_list, y_list)
        slope = float(g @ d)
        if slope >= 0:
            s_list.clear()
            y_list.clear()
            d, slope = -g, -float(g @ g)
        t = 1.0 if s_list else min(1.0, 1.0 / max(float(np.abs(g).sum()), 1e-12))
        while True:
            x_new = x + t * d
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * t * slope:
                break
            # NOTE: near the optimum the decrease falls below rounding error in f; then a step
            # that reduces the gradient is taken (as scikit-learn's Newton solver does).
            if _roundoff(f_new, f) and np.abs(g_new).sum() < np.abs(g).sum():
                break
            t *= 0.5
            if t < 1e-20:
                return x, it, False, gmax
        s, yv = x_new - x, g_new - g
        if float(s @ yv) > 1e-12 * float(np.sqrt((s @ s) * (yv @ yv))):
            s_list.append(s)
            y_list.append(yv)
            if len(s_list) > memory:
                s_list.pop(0)
                y_list.pop(0)
        x, f, g = x_new, f_new, g_new
    return x, max_iter, False, float(np.abs(g).max(initial=0.0))


def _two_loop(g, s_list, y_list):
    """The L-BFGS product H_k g by the two-loop recursion."""
    q = g.copy()
    alphas = []
    for s, y in zip(reversed(s_list), reversed(y_list)):
        a = (s @ q) / (y @ s)
        alphas.append(a)
        q -= a * y
    if s_list:
        s, y = s_list[-1], y_list[-1]
        q *= (s @ y) / (y @ y)
    for (s, y), a in zip(zip(s_list, y_list), reversed(alphas)):
        b = (y @ q) / (y @ s)
        q += (a - b) * s
    return q
