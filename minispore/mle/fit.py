"""`mle.fit`: maximum likelihood estimates of any minispore negative log-likelihood.

The objective is a minispore function; its gradient comes from `minispore.value_and_grad`, its
Hessian (the observed information) from `minispore.hessian`. The optimisers step in NumPy over the
flat vector of free parameters; standard errors come from the inverse Hessian at the optimum.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable

import numpy as np

from minispore.errors import ConvergenceWarning  # noqa: F401  (re-exported)
from minispore.mle._layout import Layout
from minispore.mle.optimize import DEFAULT_MAXITER, METHODS, minimize
from minispore.mle.result import MLEResult
from minispore.tensor import Tensor, _wrap
from minispore.transforms import hessian, jacfwd, value_and_grad


# NOTE: trial steps outside the model's domain (log of a negative scale, exp overflow) are
# expected and rejected by the line search; NumPy's warnings about them would only be noise.
def _quiet():
    return np.errstate(divide="ignore", invalid="ignore", over="ignore")


class _Objective:
    """The negative log-likelihood as a function of the free vector phi, in NumPy terms."""

    def __init__(self, nll, layout: Layout, args: tuple):
        self.layout = layout
        self.args = args
        self._nll = nll
        self._vg = value_and_grad(self.of_phi)
        self._hess = hessian(self.of_phi)

    def of_phi(self, phi: Tensor) -> Tensor:
        params = self.layout.structure(self.layout.to_natural(phi))
        out = self._nll(params, *self.args)
        if not isinstance(out, Tensor):
            raise TypeError(
                f"For 'mle.fit', 'neg_log_likelihood' must return a scalar Tensor computed with "
                f"minispore ops, but it returned {type(out).__name__}"
            )
        if out.size != 1:
            raise ValueError(
                f"For 'mle.fit', 'neg_log_likelihood' must return a scalar Tensor, but it returned "
                f"shape {tuple(out.shape)} (sum the per-observation terms)"
            )
        return out.reshape(())

    # NOTE: a trial point where the objective is not finite, its gradient is not finite, or a
    # distribution rejects a parameter with ValueError (a scale that underflowed to 0) lies
    # outside the model's domain: the line searches treat it as +inf and shorten the step.
    # At the starting point the same conditions are errors (`fit` evaluates it directly).
    def value(self, x: np.ndarray) -> float:
        try:
            with _quiet():
                f = float(self.of_phi(_wrap(x)).asnumpy())
        except ValueError:
            return np.inf
        return f if np.isfinite(f) else np.inf

    def value_and_grad(self, x: np.ndarray):
        try:
            with _quiet():
                f, g = self._vg(_wrap(x))
        except ValueError:
            return np.inf, np.full(len(x), np.nan)
        f, g = float(f.asnumpy()), np.asarray(g.asnumpy(), dtype=np.float64)
        if not (np.isfinite(f) and np.all(np.isfinite(g))):
            return np.inf, g
        return f, g

    def hessian(self, x: np.ndarray) -> np.ndarray:
        with _quiet():
            h = np.asarray(self._hess(_wrap(x)).asnumpy(), dtype=np.float64)
        return h.reshape(len(x), len(x))


def _infer_nobs(args) -> int | None:
    for a in args:
        shape = a.shape if isinstance(a, (Tensor, np.ndarray)) else None
        if shape is not None and len(shape) >= 1:
            return int(shape[0])
    return None


def _check_options(method, tol, maxiter):
    if method not in METHODS:
        raise ValueError(f"For 'mle.fit', 'method' must be one of {METHODS}, but got {method!r}")
    if isinstance(tol, bool) or not (isinstance(tol, numbers.Real) and tol > 0):
        raise ValueError(f"For 'mle.fit', 'tol' must be a positive number, but got {tol!r}")
    if maxiter is None:
        return DEFAULT_MAXITER[method]
    if isinstance(maxiter, bool) or not isinstance(maxiter, int) or maxiter < 0:
        raise ValueError(f"For 'mle.fit', 'maxiter' must be an int >= 0, but got {maxiter!r}")
    return maxiter


def _describe(layout: Layout, theta: np.ndarray) -> str:
    shown = ", ".join(f"{n}={v:.6g}" for n, v in zip(layout.names[:6], theta[:6]))
    return shown + (", ..." if len(theta) > 6 else "")


def _covariance(h: np.ndarray, jac: np.ndarray | None) -> np.ndarray:
    """The inverse observed information, mapped to the natural scale by `jac` (delta method).

    NaN, with a warning, when the Hessian is not finite or not positive definite: its inverse
    (or a pseudo-inverse) would then describe no sampling distribution.
    """
    k = len(h)
    h = 0.5 * (h + h.T)
    problem = None
    if not np.all(np.isfinite(h)):
        problem = "is not finite"
    else:
        try:
            np.linalg.cholesky(h)
        except np.linalg.LinAlgError:
            problem = (
                f"is not positive definite (smallest eigenvalue {np.linalg.eigvalsh(h)[0]:.3g}): "
                "the likelihood has no strict maximum there (parameters not identified, an "
                "estimate on the boundary, or a saddle point)"
            )
    if problem is not None:
        warnings.warn(
            f"mle.fit: the Hessian of the negative log-likelihood at the optimum {problem}; "
            "standard errors are NaN",
            RuntimeWarning,
            stacklevel=3,
        )
        cov = np.full((k, k), np.nan)
    else:
        cov = np.linalg.inv(h)
    return cov if jac is None else jac @ cov @ jac.T


def fit(
    neg_log_likelihood: Callable[..., Tensor],
    init,
    args=(),
    method: str = "newton",
    constraints=None,
    names=None,
    nobs: int | None = None,
    tol: float = 1e-10,
    maxiter: int | None = None,
) -> MLEResult:
    """Maximum likelihood estimates by minimising `neg_log_likelihood(params, *args)`.

    The gradient comes from `minispore.value_and_grad` and the Hessian from `minispore.hessian`;
    optimisation runs over the free (unconstrained) parameters in float64, and standard errors
    are the square roots of the diagonal of the inverse observed information (the Hessian of
    the negative log-likelihood at the optimum), mapped to the natural scale of constrained
    parameters by the delta method, `cov = J H^-1 J^T` with `J` the Jacobian of the transform.

    Args:
        neg_log_likelihood: a function of `params` and `*args` returning the negative
            log-likelihood of the whole sample as a scalar Tensor, written with minispore ops.
        init: starting values: a Tensor, an array or a number (`params` is then one float64
            Tensor of that shape), or a tuple of them (`params` is then a tuple of Tensors).
        args: further arguments passed to `neg_log_likelihood` unchanged (a tuple; a single
            non-tuple value is wrapped).
        method: 'newton' (Newton with an Armijo line search; a shifted Hessian where it is not
            positive definite), 'bfgs' or 'lbfgs' (strong-Wolfe line search).
        constraints: None (all real), one constraint for a single parameter Tensor, a sequence
            with one constraint per element of it, or, for a tuple `init`, a tuple with one entry
            per component (each a constraint, a per-element sequence, or None). A constraint is
            a `Constraint` (`mle.positive()`, `mle.positive('softplus')`, `mle.probability()`,
            `mle.unit_interval()`, `mle.interval(a, b)`, `mle.simplex()`) or one of the names
            'real', 'positive', 'softplus', 'probability', 'unit_interval', 'simplex'.
        names: labels for the summary: one per component, or, for a single Tensor, one per
            element. Defaults to 'par0', 'par1', ... (statsmodels' names).
        nobs: the number of observations, for BIC. Defaults to the length of the first axis of
            the first Tensor or array in `args` (None, and BIC NaN, when there is none).
        tol: converged when `max|grad| <= tol * max(1, |nll|)` on the free scale.
        maxiter: the iteration limit; None gives 100 for Newton and 1000 for BFGS and L-BFGS.

    Returns:
        An `MLEResult` with `params`, `bse`, `cov`, `llf`, `aic`, `bic`, `converged`, `n_iter`,
        `zvalues`, `pvalues`, `conf_int()` and `summary()`.

    Raises:
        ValueError: an unknown method or constraint, starting values outside their constraints,
            or a negative log-likelihood (or its gradient) that is not finite at the start.
        TypeError: `neg_log_likelihood` does not return a Tensor.

    Warns:
        ConvergenceWarning: the optimiser stopped before the gradient test was met (the message
            gives the method and the iteration count).
        RuntimeWarning: the Hessian at the optimum is not positive definite.

    Example:
        >>> x = Tensor(np.array([2.1, 1.9, 3.2, 2.6]))
        >>> def nll(p, x):
        ...     mean, sd = p
        ...     return (0.5 * ((x - mean) / sd) ** 2 + ops.log(sd)).sum() + 2 * math.log(2 * math.pi)
        >>> res = mle.fit(nll, (2.0, 1.0), args=(x,), constraints=(None, "positive"))
        >>> res.params  # (mean, sd) = (sample mean, sample sd with ddof=0)
    """
    maxiter = _check_options(method, tol, maxiter)
    args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
    layout = Layout(init, constraints, names)
    obj = _Objective(neg_log_likelihood, layout, args)
    phi0 = layout.to_free(layout.init)
    with _quiet():
        f0, g0 = obj._vg(_wrap(phi0))
    f0 = float(f0.asnumpy())
    if not np.isfinite(f0):
        raise ValueError(
            f"For 'mle.fit', the negative log-likelihood is {f0} at the starting values "
            f"({_describe(layout, layout.init)}); check the data (NaN, values outside the "
            f"distribution's support) and the starting values"
        )
    if not np.all(np.isfinite(g0.asnumpy())):
        raise ValueError(
            f"For 'mle.fit', the gradient of the negative log-likelihood is not finite at the "
            f"starting values ({_describe(layout, layout.init)}): {g0.asnumpy().tolist()}"
        )

    opt = minimize(obj, phi0, method, tol, maxiter)
    if not opt.converged:
        warnings.warn(
            f"mle.fit: {opt.message} (stopped after {opt.n_iter} iterations with "
            f"max|grad| = {np.max(np.abs(opt.grad)):.3g}, tol = {tol:g} * max(1, |nll|)); "
            f"raise 'maxiter', try another method or better starting values, or check that the "
            f"likelihood has a maximum",
            ConvergenceWarning,
            stacklevel=2,
        )

    phi = _wrap(opt.x)
    theta = np.asarray(layout.to_natural(phi).asnumpy(), dtype=np.float64).reshape(-1)
    jac = None
    if not layout.all_real:
        jac = np.asarray(jacfwd(layout.to_natural)(phi).asnumpy()).reshape(len(theta), len(opt.x))
    cov = _covariance(obj.hessian(opt.x), jac)
    with np.errstate(invalid="ignore"):
        flat_bse = np.sqrt(np.where(np.diag(cov) >= 0, np.diag(cov), np.nan))
    return MLEResult(
        params=layout.structure_numpy(theta.copy()),
        bse=layout.structure_numpy(flat_bse.copy()),
        flat_params=theta,
        flat_bse=flat_bse,
        cov=cov,
        names=layout.names,
        llf=-opt.fun,
        df_model=layout.n_free,
        nobs=_infer_nobs(args) if nobs is None else int(nobs),
        converged=opt.converged,
        n_iter=opt.n_iter,
        method=method,
        message=opt.message,
    )
