"""`mle.fit_distribution`: maximum likelihood fits of `minispore.nn.probability.distribution` classes.

Each distribution class declares its per-call parameters and their constraints in `PARAMETERS`;
a table here adds what a fit also needs per class: a check of the data's support and starting
values from moments. The objective is `-distribution.log_prob(data, *params).sum()`, minimised by
`fit` like any other negative log-likelihood.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from minispore import dtype as mstype
from minispore.mle.constraints import Positive, Real, Simplex, UnitInterval
from minispore.mle.fit import fit
from minispore.mle.result import MLEResult
from minispore.tensor import Tensor, _wrap

_EULER = 0.5772156649015329

# The constraint names of `Distribution.PARAMETERS`; a parameter of another kind (Binomial's
# 'nonnegative_integer' total_count) is not estimated and must be given in `fixed`.
_CONSTRAINTS = {
    "real": Real,
    "positive": Positive,
    "unit_interval": UnitInterval,
    "simplex": Simplex,
}


@dataclass(frozen=True)
class _Family:
    support: Callable  # data -> None, or the requirement it breaks
    start: Callable  # (data, fixed) -> {parameter: starting value} for the estimated ones


def _finite(x):
    return None if np.all(np.isfinite(x)) else "finite"


def _positive(x):
    return None if np.all(np.isfinite(x) & (x > 0)) else "positive"


def _non_negative(x):
    return None if np.all(np.isfinite(x) & (x >= 0)) else "non-negative"


def _counts(x):
    return (
        None if np.all(np.isfinite(x) & (x >= 0) & (x == np.round(x))) else "non-negative integers"
    )


def _binary(x):
    return None if np.all((x == 0) | (x == 1)) else "0 or 1"


def _unit(x):
    return None if np.all((x > 0) & (x < 1)) else "strictly between 0 and 1"


def _spread(x):
    sd = float(np.std(x))
    if not sd > 0:
        raise ValueError(
            "For 'fit_distribution', all observations are equal: the likelihood grows without "
            "bound as the scale goes to 0, so there is no maximum likelihood estimate"
        )
    return sd


def _interior(name, value, low, high, why):
    if not low < value < high:
        raise ValueError(
            f"For 'fit_distribution', the maximum likelihood estimate of '{name}' is {value:g}, "
            f"on the boundary of its range ({why}); the observed information is not defined there"
        )
    return value


def _location_scale(loc, scale):
    return lambda x, fixed: {"loc": loc(x), "scale": scale(x)}


def _gamma_start(x, fixed):
    m, v = x.mean(), _spread(x) ** 2
    return {"concentration": m * m / v, "rate": m / v}


def _beta_start(x, fixed):
    m, v = x.mean(), _spread(x) ** 2
    common = max(m * (1 - m) / v - 1, 1e-2)
    return {"concentration1": m * common, "concentration0": (1 - m) * common}


def _categorical_start(x, fixed):
    counts = np.bincount(x.astype(np.int64))
    missing = np.flatnonzero(counts == 0)
    if missing.size:
        raise ValueError(
            f"For 'fit_distribution', Categorical category {int(missing[0])} never occurs in the "
            f"data: its estimate is 0, on the boundary of the simplex; relabel the categories "
            f"0..k-1 so that each occurs"
        )
    return {"probs": counts / counts.sum()}


def _binomial_start(x, fixed):
    n = float(np.asarray(fixed["total_count"]))
    if np.any(x > n):
        raise ValueError(
            f"For 'fit_distribution', Binomial data must not exceed total_count={n:g}, but the "
            f"largest observation is {x.max():g}"
        )
    return {"probs": _interior("probs", x.mean() / n, 0, 1, "all 0 or all total_count")}


def _gumbel_scale(x):
    return _spread(x) * math.sqrt(6) / math.pi


FAMILIES = {
    "Normal": _Family(_finite, lambda x, f: {"mean": x.mean(), "sd": _spread(x)}),
    "LogNormal": _Family(
        _positive, _location_scale(lambda x: np.log(x).mean(), lambda x: _spread(np.log(x)))
    ),
    "Cauchy": _Family(
        _finite,
        _location_scale(
            np.median,
            lambda x: max(np.subtract(*np.percentile(x, [75, 25])) / 2, 1e-3 * _spread(x)),
        ),
    ),
    "Logistic": _Family(
        _finite, _location_scale(np.mean, lambda x: _spread(x) * math.sqrt(3) / math.pi)
    ),
    "Gumbel": _Family(
        _finite, _location_scale(lambda x: x.mean() - _EULER * _gumbel_scale(x), _gumbel_scale)
    ),
    "Exponential": _Family(
        _non_negative,
        lambda x, f: {"rate": 1 / _interior("mean", x.mean(), 0, math.inf, "all observations 0")},
    ),
    "Gamma": _Family(_positive, _gamma_start),
    "Beta": _Family(_unit, _beta_start),
    "Poisson": _Family(
        _counts,
        lambda x, f: {"rate": _interior("rate", x.mean(), 0, math.inf, "all observations 0")},
    ),
    "Bernoulli": _Family(
        _binary,
        lambda x, f: {"probs1": _interior("probs", x.mean(), 0, 1, "all observations equal")},
    ),
    "Geometric": _Family(  # MindSpore's Geometric counts the failures before the first success
        _counts,
        lambda x, f: {"probs1": _interior("probs", 1 / (1 + x.mean()), 0, 1, "all observations 0")},
    ),
    "Binomial": _Family(_counts, _binomial_start),
    "Categorical": _Family(_counts, _categorical_start),
}


def _parameters(cls) -> dict:
    """The class's per-call parameters in order, with their constraint names."""
    params = getattr(cls, "PARAMETERS", None)
    if not isinstance(params, dict) or not params:
        raise TypeError(
            f"For 'fit_distribution', 'distribution_class' must be a distribution of "
            f"minispore.nn.probability.distribution (a class with PARAMETERS), but got "
            f"{getattr(cls, '__name__', cls)!r}"
        )
    return params


def _data(data) -> np.ndarray:
    x = data.asnumpy() if isinstance(data, Tensor) else data
    try:
        x = np.asarray(x, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise TypeError(
            f"For 'fit_distribution', 'data' must be a Tensor or an array of numbers, but got "
            f"{type(data).__name__}"
        ) from None
    if x.size < 2:
        raise ValueError(
            f"For 'fit_distribution', 'data' needs at least 2 observations, but got {x.size}"
        )
    return x


def _make(cls, values: list):
    """An instance of `cls` with the given parameters (in `PARAMETERS` order); float64 when the
    class samples floats by default (the discrete classes keep their integer sample dtype)."""
    dtype = inspect.signature(cls).parameters.get("dtype")
    floating = dtype is not None and dtype.default in mstype.float_type
    return cls(*values, dtype=mstype.float64) if floating else cls(*values)


def _fit_uniform(cls, x: np.ndarray) -> MLEResult:
    low, high = float(x.min()), float(x.max())
    params = (_wrap(np.array(low)), _wrap(np.array(high)))
    nan = (_wrap(np.array(np.nan)), _wrap(np.array(np.nan)))
    return MLEResult(
        params=params,
        bse=nan,
        flat_params=np.array([low, high]),
        flat_bse=np.full(2, np.nan),
        cov=np.full((2, 2), np.nan),
        names=["low", "high"],
        llf=-len(x) * math.log(high - low),
        df_model=2,
        nobs=len(x),
        converged=True,
        n_iter=0,
        method="closed form",
        message="the sample minimum and maximum; the likelihood is not differentiable there, "
        "so there are no standard errors",
        distribution=_make(cls, list(params)),
    )


def fit_distribution(
    distribution_class,
    data,
    init: dict | None = None,
    fixed: dict | None = None,
    method: str = "newton",
    tol: float = 1e-10,
    maxiter: int | None = None,
) -> MLEResult:
    """Fit a distribution of `minispore.nn.probability.distribution` by maximum likelihood.

    Minimises `-d.log_prob(data, *params).sum()` with `mle.fit`, each parameter on the
    unconstrained scale its `PARAMETERS` constraint gives ('positive': exp; 'unit_interval':
    sigmoid; 'simplex': softmax with the last category as reference), from moment estimates.
    `Uniform` has the closed form (sample minimum, maximum) and NaN standard errors: its
    likelihood is not differentiable at the maximum.

    Args:
        distribution_class: a distribution class (or an instance, whose own parameters are then
            ignored): Normal, LogNormal, Cauchy, Logistic, Gumbel, Exponential, Gamma, Beta,
            Poisson, Bernoulli, Geometric, Binomial, Categorical, Uniform; another subclass of
            `Distribution` with `PARAMETERS` is fitted when `init` gives every starting value.
        data: the observations (flattened); Categorical takes labels 0..k-1.
        init: starting values by parameter name, replacing the moment estimates.
        fixed: parameters held fixed, by name; Binomial needs `{'total_count': n}`.
        method, tol, maxiter: as for `mle.fit`.

    Returns:
        An `MLEResult`: `params` is a tuple of the estimated parameters in `PARAMETERS` order
        (`names`; Bernoulli's and Geometric's probability is `probs1`, MindSpore's per-call
        name), and `distribution` the fitted instance (fixed parameters included).

    Raises:
        TypeError: `distribution_class` is not a distribution, or `data` is not numeric.
        ValueError: data outside the distribution's support, an estimate on the boundary (all
            observations equal, a category never seen), unknown or missing parameters.

    Example:
        >>> res = mle.fit_distribution(msd.Normal, np.array([2.1, 1.9, 3.2, 2.6]))
        >>> res.params  # (mean, sd): the sample mean and the standard deviation with ddof=0
    """
    cls = distribution_class if isinstance(distribution_class, type) else type(distribution_class)
    spec = _parameters(cls)
    name = cls.__name__
    x = _data(data)
    fixed, init = dict(fixed or {}), dict(init or {})
    unknown = sorted((set(fixed) | set(init)) - set(spec))
    if unknown:
        raise ValueError(
            f"For 'fit_distribution', {name} has parameters {tuple(spec)}, but got {unknown}"
        )
    if name == "Uniform":
        if fixed or not np.all(np.isfinite(x)):
            raise ValueError(
                "For 'fit_distribution', Uniform takes finite data and no 'fixed' parameters "
                "(its estimates are the sample minimum and maximum)"
            )
        return _fit_uniform(cls, x)
    for p, kind in spec.items():
        if kind not in _CONSTRAINTS and p not in fixed:
            raise ValueError(
                f"For 'fit_distribution', {name}'s '{p}' ({kind.replace('_', ' ')}) is not "
                f"estimated: give it in 'fixed', e.g. fixed={{'{p}': 10}}"
            )
    free = [p for p in spec if p not in fixed]
    family = FAMILIES.get(name)
    if family is not None:
        problem = family.support(x)
        if problem is not None:
            bad = next(v for v in x if family.support(np.array([v])) is not None)
            raise ValueError(
                f"For 'fit_distribution', {name} data must be {problem}, but got {bad:g}"
            )
        start = {**family.start(x, fixed), **init}
    else:
        start = init
    missing = [p for p in free if p not in start]
    if missing:
        raise ValueError(
            f"For 'fit_distribution', there are no default starting values for {name}: give "
            f"{missing} in 'init'"
        )
    fixed_t = {k: Tensor(np.asarray(v, dtype=np.float64)) for k, v in fixed.items()}

    def all_params(estimated):
        it = iter(estimated)
        return [fixed_t[p] if p in fixed_t else next(it) for p in spec]

    instance = _make(cls, [])

    def nll(params, value):
        return -instance.log_prob(value, *all_params(params)).sum()

    res = fit(
        nll,
        tuple(np.asarray(start[p], dtype=np.float64) for p in free),
        args=(Tensor(x),),
        method=method,
        constraints=tuple(_CONSTRAINTS[spec[p]]() for p in free),
        names=free,
        nobs=len(x),
        tol=tol,
        maxiter=maxiter,
    )
    res.distribution = _make(cls, all_params(res.params))
    return res
