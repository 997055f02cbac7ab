"""`MLEResult`: estimates, standard errors and fit statistics of a maximum likelihood fit."""

from __future__ import annotations

import math

import numpy as np

from minispore._stats import norm_ppf, norm_sf


class MLEResult:
    """The outcome of `mle.fit` or `mle.fit_distribution`.

    Attributes:
        params: the estimates on the natural scale, shaped like `init` (a float64 Tensor, or a
            tuple of them when `init` was a tuple).
        bse: standard errors, shaped like `params`: square roots of the diagonal of `cov`.
        cov: the covariance matrix of the flattened estimates (NumPy, `(k, k)` in the order of
            `names`): the inverse observed information, mapped to the natural scale by the delta
            method when parameters are constrained.
        flat_params, flat_bse: `params` and `bse` flattened and concatenated (NumPy).
        names: a label per entry of `flat_params`.
        llf: the maximised log-likelihood, `-neg_log_likelihood(params, *args)`.
        df_model: the number of free parameters (`k` in AIC and BIC).
        nobs: the number of observations (None when unknown; `bic` is then NaN).
        aic, bic: `2 k - 2 llf` and `k log(nobs) - 2 llf`.
        converged, n_iter, method, message: how the optimiser finished.
        distribution: for `fit_distribution`, the fitted distribution instance; otherwise None.
    """

    def __init__(
        self,
        *,
        params,
        bse,
        flat_params,
        flat_bse,
        cov,
        names,
        llf,
        df_model,
        nobs,
        converged,
        n_iter,
        method,
        message,
        distribution=None,
    ):
        self.params = params
        self.bse = bse
        self.flat_params = flat_params
        self.flat_bse = flat_bse
        self.cov = cov
        self.names = list(names)
        self.llf = float(llf)
        self.df_model = int(df_model)
        self.nobs = nobs
        self.converged = bool(converged)
        self.n_iter = int(n_iter)
        self.method = method
        self.message = message
        self.distribution = distribution

    @property
    def aic(self) -> float:
        return 2.0 * self.df_model - 2.0 * self.llf

    @property
    def bic(self) -> float:
        if self.nobs is None:
            return math.nan
        return self.df_model * math.log(self.nobs) - 2.0 * self.llf

    @property
    def zvalues(self) -> np.ndarray:
        """Wald statistics `estimate / bse` for the hypothesis that each parameter is 0."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.flat_params / self.flat_bse

    @property
    def pvalues(self) -> np.ndarray:
        """Two-sided p-values of `zvalues` under the standard normal."""
        return 2.0 * norm_sf(np.abs(self.zvalues))

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        """Wald intervals `estimate -/+ z_(1 - alpha/2) bse` on the natural scale, shape (k, 2)."""
        if not 0 < alpha < 1:
            raise ValueError(
                f"For 'MLEResult.conf_int', 'alpha' must be in (0, 1), but got {alpha}"
            )
        q = float(norm_ppf(1 - alpha / 2))
        return np.stack(
            [self.flat_params - q * self.flat_bse, self.flat_params + q * self.flat_bse], 1
        )

    def summary(self, alpha: float = 0.05) -> str:
        """A table of estimates, standard errors, z, p-values and intervals, with fit statistics."""
        ci = self.conf_int(alpha)
        lo, hi = f"[{alpha / 2:g}", f"{1 - alpha / 2:g}]"
        width = max([len(n) for n in self.names] + [9])
        head = f"{'':{width}} {'coef':>11} {'std err':>11} {'z':>9} {'P>|z|':>7} {lo:>11} {hi:>11}"
        rule = "=" * len(head)
        nobs = "unknown" if self.nobs is None else str(self.nobs)
        stats = [
            ("Method:", self.method, "Log-likelihood:", f"{self.llf:.6g}"),
            ("Converged:", str(self.converged), "AIC:", f"{self.aic:.6g}"),
            ("Iterations:", str(self.n_iter), "BIC:", f"{self.bic:.6g}"),
            ("No. observations:", nobs, "Parameters:", str(self.df_model)),
        ]
        half = len(head) // 2
        lines = ["Maximum likelihood results".center(len(head)).rstrip(), rule]
        for a, b, c, d in stats:
            left = f"{a:<18}{b:>{half - 20}}"
            lines.append(f"{left}  {c:<16}{d:>{len(head) - len(left) - 18}}")
        lines += [rule, head, "-" * len(head)]
        for i, name in enumerate(self.names):
            lines.append(
                f"{name:{width}} {self.flat_params[i]:>11.4g} {self.flat_bse[i]:>11.4g} "
                f"{self.zvalues[i]:>9.3f} {self.pvalues[i]:>7.3f} {ci[i, 0]:>11.4g} {ci[i, 1]:>11.4g}"
            )
        lines.append(rule)
        if not self.converged:
            lines.append(f"Warning: {self.message}.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        est = ", ".join(f"{n}={v:.6g}" for n, v in zip(self.names, self.flat_params))
        return f"MLEResult({est}; llf={self.llf:.6g}, converged={self.converged})"
