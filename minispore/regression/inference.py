"""Inference for the unpenalised linear and logistic models, as statsmodels' OLS and Logit report it.

Parameters are ordered as statsmodels orders them with `add_constant`: the intercept ("const")
first when the model has one, then the coefficients. OLS uses the t distribution with n - k
degrees of freedom; Logit uses the normal distribution and the inverse of the observed
information, the Hessian of the log-likelihood computed by `minispore.hessian`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from minispore import _stats
from minispore.regression._validation import SingularDesignError, check_fitted


@dataclass
class Inference:
    """Estimates with standard errors and the fit statistics of one model."""

    model: str  # "OLS" or "Logit"
    names: list[str]
    params: np.ndarray
    bse: np.ndarray
    df_resid: float  # used by the t distribution; inf for the normal
    llf: float
    nobs: int
    stats: dict = field(default_factory=dict)  # extra lines of the summary

    @property
    def k(self) -> int:
        return len(self.params)

    @property
    def aic(self) -> float:
        return -2.0 * self.llf + 2.0 * self.k

    @property
    def bic(self) -> float:
        return -2.0 * self.llf + np.log(self.nobs) * self.k

    @property
    def tvalues(self) -> np.ndarray:
        return self.params / self.bse

    @property
    def pvalues(self) -> np.ndarray:
        t = np.abs(self.tvalues)
        if np.isinf(self.df_resid):
            return 2.0 * _stats.norm_sf(t)
        return 2.0 * _stats.t_sf(t, self.df_resid)

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        if not 0.0 < alpha < 1.0:
            raise ValueError(f"conf_int: 'alpha' must be in (0, 1), but got {alpha!r}")
        q = 1.0 - alpha / 2.0
        crit = _stats.norm_ppf(q) if np.isinf(self.df_resid) else _stats.t_ppf(q, self.df_resid)
        return np.column_stack([self.params - crit * self.bse, self.params + crit * self.bse])

    def summary(self, title: str) -> str:
        return _summary_text(self, title)


def ols_inference(X: np.ndarray, y: np.ndarray, coef, intercept, fit_intercept: bool, where: str):
    """statsmodels OLS statistics at the fitted (coef, intercept) of a 1-D target."""
    n, p = X.shape
    X1 = np.column_stack([np.ones(n), X]) if fit_intercept else X
    params = np.concatenate([[intercept], coef]) if fit_intercept else np.asarray(coef, float)
    k = X1.shape[1]
    if n <= k:
        raise ValueError(
            f"{where}: inference needs more samples than parameters, but n = {n} <= k = {k}"
        )
    # NOTE: (X'X)^-1 from the R factor of X's QR decomposition, R^-1 R^-T, not by inverting X'X,
    # whose condition number is the square of X's (polynomial designs are ill-conditioned).
    R = np.linalg.qr(X1, mode="r")
    if np.min(np.abs(np.diag(R))) <= np.finfo(float).eps * max(n, k) * np.abs(R).max():
        raise SingularDesignError(
            f"{where}: X'X is singular, so the standard errors are undefined; drop the collinear "
            "columns"
        )
    R_inv = np.linalg.solve(R, np.eye(k))
    normalized_cov = R_inv @ R_inv.T
    resid = y - X1 @ params
    ssr = float(resid @ resid)
    df_resid = n - k
    scale = ssr / df_resid
    bse = np.sqrt(np.diag(normalized_cov) * scale)
    llf = -0.5 * n * (np.log(2 * np.pi) + np.log(ssr / n) + 1.0)
    tss = float(((y - y.mean()) ** 2).sum()) if fit_intercept else float(y @ y)
    r2 = 1.0 - ssr / tss if tss > 0 else np.nan
    df_model = k - (1 if fit_intercept else 0)
    stats = {
        "R-squared": r2,
        "Adj. R-squared": 1.0 - (1.0 - r2) * (n - (1 if fit_intercept else 0)) / df_resid,
    }
    if df_model > 0 and r2 < 1:
        fstat = (r2 / df_model) / ((1.0 - r2) / df_resid)
        stats["F-statistic"] = fstat
        stats["Prob (F-statistic)"] = float(_stats.f_sf(fstat, df_model, df_resid))
    stats["Df Model"] = df_model
    stats["Df Residuals"] = df_resid
    inf = Inference("OLS", _names(p, fit_intercept), params, bse, float(df_resid), llf, n, stats)
    inf.stats["scale"] = scale
    return inf


def logit_inference(X: np.ndarray, y: np.ndarray, coef, intercept, fit_intercept: bool, where: str):
    """statsmodels Logit statistics at the fitted (coef, intercept) of a binary 0/1 target."""
    from minispore import hessian
    from minispore.regression._objectives import logit_log_likelihood
    from minispore.tensor import _wrap

    n, p = X.shape
    X1 = np.column_stack([np.ones(n), X]) if fit_intercept else X
    params = np.concatenate([[intercept], coef]) if fit_intercept else np.asarray(coef, float)
    args = (_wrap(params), _wrap(X1), _wrap(y))
    llf = float(logit_log_likelihood(*args).asnumpy())
    H = hessian(logit_log_likelihood)(*args).asnumpy()
    try:
        cov = np.linalg.inv(-H)
    except np.linalg.LinAlgError:
        raise SingularDesignError(
            f"{where}: the Hessian of the log-likelihood is singular, so the standard errors "
            "are undefined; drop collinear columns"
        ) from None
    bse = np.sqrt(np.diag(cov))
    ybar = float(y.mean())
    llnull = n * (xlogy(ybar) + xlogy(1.0 - ybar))
    df_model = len(params) - 1
    stats = {"Pseudo R-squ.": 1.0 - llf / llnull if llnull else np.nan, "LL-Null": llnull}
    if df_model > 0:
        llr = 2.0 * (llf - llnull)
        stats["LLR p-value"] = float(_stats.chi2_sf(llr, df_model))
    stats["Df Model"] = df_model
    stats["Df Residuals"] = n - len(params)
    return Inference("Logit", _names(p, fit_intercept), params, bse, np.inf, llf, n, stats)


def xlogy(x: float) -> float:
    return float(x * np.log(x)) if x > 0 else 0.0


def _names(p: int, fit_intercept: bool) -> list[str]:
    return (["const"] if fit_intercept else []) + [f"x{j + 1}" for j in range(p)]


def _summary_text(inf: Inference, title: str) -> str:
    width = 78
    left = [
        ("Model:", inf.model),
        ("No. Observations:", f"{inf.nobs}"),
        ("Df Residuals:", f"{inf.stats['Df Residuals']}"),
        ("Df Model:", f"{inf.stats['Df Model']}"),
        ("Log-Likelihood:", f"{inf.llf:.6g}"),
    ]
    right = [
        (k, f"{v:.6g}" if k == "LL-Null" else f"{v:.4g}")
        for k, v in inf.stats.items()
        if k not in ("Df Residuals", "Df Model", "scale")
    ]
    right += [("AIC:", f"{inf.aic:.6g}"), ("BIC:", f"{inf.bic:.6g}")]
    right = [(k if k.endswith(":") else k + ":", v) for k, v in right]
    lines = [title.center(width), "=" * width]
    for i in range(max(len(left), len(right))):
        a = f"{left[i][0]:<20}{left[i][1]:>17}" if i < len(left) else " " * 37
        b = f"{right[i][0]:<22}{right[i][1]:>17}" if i < len(right) else ""
        lines.append(f"{a}   {b}".rstrip())
    stat = "z" if np.isinf(inf.df_resid) else "t"
    ci = inf.conf_int()
    name_w = max(8, *(len(n) for n in inf.names))
    lines.append("=" * width)
    header = (
        f"{'':<{name_w}}{'coef':>11}{'std err':>11}{stat:>9}{'P>|' + stat + '|':>9}"
        f"{'[0.025':>12}{'0.975]':>12}"
    )
    lines += [header, "-" * width]
    for j, name in enumerate(inf.names):
        lines.append(
            f"{name:<{name_w}}{inf.params[j]:>11.4f}{inf.bse[j]:>11.3f}{inf.tvalues[j]:>9.3f}"
            f"{inf.pvalues[j]:>9.3f}{ci[j, 0]:>12.3f}{ci[j, 1]:>12.3f}"
        )
    lines.append("=" * width)
    return "\n".join(lines)


class InferenceMixin:
    """Adds `bse_`, `tvalues_`, `pvalues_`, `llf_`, `aic_`, `bic_`, `conf_int`, `summary`.

    The statistics are computed on first use after `fit` (then cached), so fitting stays as fast
    as the point estimate alone. Subclasses define `_compute_inference()`.
    """

    def _inference(self) -> Inference:
        check_fitted(self)
        cached = getattr(self, "_inference_cache", None)
        if cached is None:
            cached = self._compute_inference()
            self._inference_cache = cached
        return cached

    @property
    def bse_(self) -> np.ndarray:
        """Standard errors of (intercept, coef...), as statsmodels' `bse`."""
        return self._inference().bse

    @property
    def tvalues_(self) -> np.ndarray:
        """Estimates divided by their standard errors (z-values for logistic regression)."""
        return self._inference().tvalues

    @property
    def pvalues_(self) -> np.ndarray:
        """Two-sided p-values: t distribution (linear) or normal (logistic), as statsmodels."""
        return self._inference().pvalues

    @property
    def llf_(self) -> float:
        """The maximised log-likelihood."""
        return self._inference().llf

    @property
    def aic_(self) -> float:
        """Akaike's criterion -2 llf + 2 k, k the number of estimated coefficients."""
        return self._inference().aic

    @property
    def bic_(self) -> float:
        """Schwarz's criterion -2 llf + log(n) k."""
        return self._inference().bic

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        """Confidence intervals, shape (k, 2): lower and upper bounds at level 1 - alpha."""
        return self._inference().conf_int(alpha)

    def summary(self) -> str:
        """A readable table of the estimates, their standard errors, tests and intervals."""
        return self._inference().summary(f"{type(self).__name__} results")
