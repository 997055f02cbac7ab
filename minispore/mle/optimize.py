"""Newton, BFGS and L-BFGS minimisers in NumPy over a flat float64 parameter vector.

Each takes an objective with `value(x)`, `value_and_grad(x)` and `hessian(x)` (NumPy in, NumPy
out; `fit` builds it from `minispore.grad` and `minispore.hessian`) and stops when
`max|grad| <= tol * max(1, |f|)`: the gradient of a log-likelihood grows with the number of
observations, as `f` does, so the test is independent of the sample size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from minispore.mle._linesearch import backtrack, wolfe

METHODS = ("newton", "bfgs", "lbfgs")
DEFAULT_MAXITER = {"newton": 100, "bfgs": 1000, "lbfgs": 1000}


@dataclass
class OptimizeResult:
    """Where a minimiser stopped: the point, its value and gradient, and why it stopped."""

    x: np.ndarray
    fun: float
    grad: np.ndarray
    n_iter: int
    converged: bool
    message: str


def _small(g: np.ndarray, f: float, tol: float) -> bool:
    return bool(np.max(np.abs(g), initial=0.0) <= tol * max(1.0, abs(f)))


def _done(x, f, g, it, tol, maxiter, name):
    if _small(g, f, tol):
        return OptimizeResult(x, f, g, it, True, "the gradient test was met")
    return OptimizeResult(x, f, g, it, False, f"{name} did not converge in {maxiter} iterations")


def _fail(x, f, g, it, name):
    return OptimizeResult(
        x, f, g, it, False, f"{name}: the line search found no decrease after {it} iterations"
    )


def newton_direction(h: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Solve `(H + tau I) d = -g`, with `tau = 0` when H is positive definite.

    NOTE: otherwise tau grows tenfold from a small fraction of H's diagonal until the shifted
    matrix has a Cholesky factor (Nocedal & Wright, Algorithm 3.3): a step between Newton's
    and steepest descent, always a descent direction. A non-finite H gives steepest descent.
    """
    h = 0.5 * (h + h.T)
    if not np.all(np.isfinite(h)):
        return -g
    eye = np.eye(len(g))
    tau = 0.0
    floor = 1e-8 * max(float(np.max(np.abs(np.diag(h)), initial=0.0)), 1e-8)
    for _ in range(40):
        try:
            np.linalg.cholesky(h + tau * eye)
            return np.linalg.solve(h + tau * eye, -g)
        except np.linalg.LinAlgError:
            tau = max(10.0 * tau, floor)
    return -g


def newton(obj, x0, tol, maxiter):
    """Newton's method with an Armijo backtracking line search and a shifted Hessian
    where the Hessian is not positive definite."""
    x = np.array(x0, dtype=np.float64)
    f, g = obj.value_and_grad(x)
    for it in range(maxiter):
        if _small(g, f, tol):
            return OptimizeResult(x, f, g, it, True, "the gradient test was met")
        d = newton_direction(obj.hessian(x), g)
        if not float(g @ d) < 0:
            d = -g
        step = backtrack(obj.value, x, f, g, d)
        if step is None:
            return _fail(x, f, g, it, "Newton")
        x = x + step[0] * d
        f, g = obj.value_and_grad(x)
    return _done(x, f, g, maxiter, tol, maxiter, "Newton")


def _first_step(g):
    # The first quasi-Newton step has no curvature information: keep it of unit length.
    return min(1.0, 1.0 / max(float(np.max(np.abs(g))), 1e-300))


def bfgs(obj, x0, tol, maxiter):
    """BFGS on the inverse Hessian with a strong-Wolfe line search (Nocedal & Wright, 6.1)."""
    x = np.array(x0, dtype=np.float64)
    n = len(x)
    f, g = obj.value_and_grad(x)
    hinv = np.eye(n)
    fresh = True
    for it in range(maxiter):
        if _small(g, f, tol):
            return OptimizeResult(x, f, g, it, True, "the gradient test was met")
        d = -hinv @ g
        if not float(g @ d) < 0:
            hinv, fresh, d = np.eye(n), True, -g
        step = wolfe(obj.value_and_grad, x, f, g, d, _first_step(g) if fresh else 1.0)
        if step is None and not fresh:  # a stale inverse Hessian: restart from steepest descent
            hinv, fresh, d = np.eye(n), True, -g
            step = wolfe(obj.value_and_grad, x, f, g, d, _first_step(g))
        if step is None:
            return _fail(x, f, g, it, "BFGS")
        alpha, f_new, g_new = step
        s, y = alpha * d, g_new - g
        sy = float(s @ y)
        if sy > 1e-12 * np.linalg.norm(s) * np.linalg.norm(y):
            if fresh:  # scale the identity to the curvature just seen (N&W eq. 6.20)
                hinv = (sy / float(y @ y)) * np.eye(n)
            rho = 1.0 / sy
            v = np.eye(n) - rho * np.outer(s, y)
            hinv = v @ hinv @ v.T + rho * np.outer(s, s)
            fresh = False
        x, f, g = x + s, f_new, g_new
    return _done(x, f, g, maxiter, tol, maxiter, "BFGS")


def lbfgs(obj, x0, tol, maxiter, memory=10):
    """Limited-memory BFGS (two-loop recursion over the last `memory` pairs)."""
    x = np.array(x0, dtype=np.float64)
    f, g = obj.value_and_grad(x)
    pairs = []  # (s, y, 1 / y.s), oldest first
    for it in range(maxiter):
        if _small(g, f, tol):
            return OptimizeResult(x, f, g, it, True, "the gradient test was met")
        d = _two_loop(g, pairs)
        if not float(g @ d) < 0:
            pairs, d = [], -g
        step = wolfe(obj.value_and_grad, x, f, g, d, 1.0 if pairs else _first_step(g))
        if step is None and pairs:
            pairs, d = [], -g
            step = wolfe(obj.value_and_grad, x, f, g, d, _first_step(g))
        if step is None:
            return _fail(x, f, g, it, "L-BFGS")
        alpha, f_new, g_new = step
        s, y = alpha * d, g_new - g
        sy = float(s @ y)
        if sy > 1e-12 * np.linalg.norm(s) * np.linalg.norm(y):
            pairs.append((s, y, 1.0 / sy))
            del pairs[:-memory]
        x, f, g = x + s, f_new, g_new
    return _done(x, f, g, maxiter, tol, maxiter, "L-BFGS")


def _two_loop(g, pairs):
    """-H g for the L-BFGS inverse-Hessian approximation H built from `pairs`."""
    q = g.copy()
    alphas = []
    for s, y, rho in reversed(pairs):
        a = rho * float(s @ q)
        alphas.append(a)
        q -= a * y
    if pairs:
        s, y, _ = pairs[-1]
        q *= float(s @ y) / float(y @ y)
    for (s, y, rho), a in zip(pairs, reversed(alphas)):
        b = rho * float(y @ q)
        q += (a - b) * s
    return -q


def minimize(obj, x0, method, tol, maxiter):
    """Run `method` ('newton', 'bfgs' or 'lbfgs') from `x0`."""
    run = {"newton": newton, "bfgs": bfgs, "lbfgs": lbfgs}[method]
    return run(obj, x0, tol, maxiter)
