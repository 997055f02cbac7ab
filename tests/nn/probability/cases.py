"""Shared test cases: each distribution with parameter sets (a scalar batch and a broadcast
batch), values to evaluate, and its SciPy reference (a frozen `scipy.stats` distribution)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest

import minispore.nn.probability.distribution as msd

stats = pytest.importorskip("scipy.stats")

F64 = np.float64


@dataclass
class Case:
    cls: type
    params: list  # parameter sets: {name: float or float64 array}, names as in PARAMETERS
    values: Callable  # (rng, params) -> float64 values in (and around) the support
    ref: Callable | None  # (**params) -> frozen scipy distribution
    mode: Callable | None  # (**params) -> the expected mode
    discrete: bool = False
    missing: set = field(default_factory=set)  # methods that raise by design

    @property
    def name(self):
        return self.cls.__name__


def _batch(params):
    return np.broadcast_shapes(*(np.shape(v) for v in params.values()))


def _continuous(low_scale):
    def values(rng, p):
        return rng.normal(0.0, low_scale, (2,) + _batch(p))

    return values


def _positive(rng, p):
    x = rng.gamma(1.5, 1.5, (2,) + _batch(p))
    x[0, ...] = np.where(rng.random(x.shape[1:]) < 0.2, -1.0, x[0, ...])  # outside the support
    return x


def _unit(rng, p):
    x = rng.uniform(0.01, 0.99, (2,) + _batch(p))
    x.flat[0] = -0.5
    x.flat[-1] = 1.5
    return x


def _counts(high):
    def values(rng, p):
        return rng.integers(-1, high + 1, (2,) + _batch(p)).astype(F64)

    return values


def _binomial_values(rng, p):
    n = np.broadcast_to(p["total_count"], _batch(p))
    return np.floor(
        rng.uniform(-1.0, 1.0, (2,) + n.shape) + rng.uniform(0, 1, (2,) + n.shape) * (n + 1)
    )


def _categorical_values(rng, p):
    k = np.shape(p["probs"])[-1]
    return rng.integers(0, k, (2,) + np.shape(p["probs"])[:-1]).astype(F64)


def _gamma_mode(concentration, rate):
    return np.where(concentration >= 1, (concentration - 1) / rate, np.nan)


def _beta_mode(concentration1, concentration0):
    a, b = np.broadcast_arrays(concentration1, concentration0)
    return np.where((a > 1) & (b > 1), (a - 1) / (a + b - 2), np.nan)


class _CategoricalRef:
    """`scipy.stats`-like methods of a Categorical distribution (SciPy has none)."""

    def __init__(self, probs):
        self.p = np.asarray(probs, F64)
        self.k = np.arange(self.p.shape[-1])

    def _at(self, table, x):
        idx = np.clip(x, 0, len(self.k) - 1).astype(int)
        picked = np.take_along_axis(
            np.broadcast_to(table, x.shape + table.shape[-1:]), idx[..., None], -1
        )[..., 0]
        return picked

    def pmf(self, x):
        inside = (x >= 0) & (x < len(self.k))
        return np.where(inside, self._at(self.p, x), 0.0)

    def logpmf(self, x):
        with np.errstate(divide="ignore"):
            return np.log(self.pmf(x))

    def cdf(self, x):
        c = self._at(np.cumsum(self.p, -1), x)
        return np.where(x < 0, 0.0, np.where(x >= len(self.k) - 1, 1.0, c))

    def logcdf(self, x):
        return np.log(self.cdf(x))

    def sf(self, x):
        return 1.0 - self.cdf(x)

    def logsf(self, x):
        with np.errstate(divide="ignore"):
            return np.log(self.sf(x))

    def mean(self):
        return (self.p * self.k).sum(-1)

    def var(self):
        return (self.p * self.k**2).sum(-1) - self.mean() ** 2

    def std(self):
        return np.sqrt(self.var())

    def entropy(self):
        return stats.entropy(self.p, axis=-1)


A3 = np.array([[-1.0], [0.5], [2.0]])
S4 = np.array([0.5, 1.0, 2.0, 3.5])

CASES = [
    Case(
        msd.Normal,
        [{"mean": 0.5, "sd": 2.0}, {"mean": A3, "sd": S4}],
        _continuous(3.0),
        lambda mean, sd: stats.norm(mean, sd),
        lambda mean, sd: np.broadcast_to(mean, _batch({"m": mean, "s": sd})),
    ),
    Case(
        msd.LogNormal,
        [
            {"loc": 0.3, "scale": 0.5},
            {"loc": np.array([[-0.5], [0.3], [1.0]]), "scale": np.array([0.2, 0.5, 1.0, 1.5])},
        ],
        _positive,
        lambda loc, scale: stats.lognorm(scale, scale=np.exp(loc)),
        lambda loc, scale: np.exp(loc - np.square(scale)),
    ),
    Case(
        msd.Exponential,
        [{"rate": 2.0}, {"rate": np.array([0.3, 1.0, 2.5])}],
        _positive,
        lambda rate: stats.expon(scale=1 / rate),
        lambda rate: np.zeros_like(rate),
    ),
    Case(
        msd.Uniform,
        [
            {"low": -1.0, "high": 2.0},
            {"low": np.array([[-2.0], [-1.0], [0.0]]), "high": np.array([1.0, 2.0, 3.0, 4.0])},
        ],
        _continuous(3.0),
        lambda low, high: stats.uniform(low, high - low),
        None,
        missing={"mode"},
    ),
    Case(
        msd.Cauchy,
        [{"loc": 0.5, "scale": 2.0}, {"loc": A3, "scale": S4}],
        _continuous(5.0),
        lambda loc, scale: stats.cauchy(loc, scale),
        lambda loc, scale: np.broadcast_to(loc, _batch({"l": loc, "s": scale})),
        missing={"mean", "sd", "var"},
    ),
    Case(
        msd.Logistic,
        [{"loc": 0.5, "scale": 2.0}, {"loc": A3, "scale": S4}],
        _continuous(4.0),
        lambda loc, scale: stats.logistic(loc, scale),
        lambda loc, scale: np.broadcast_to(loc, _batch({"l": loc, "s": scale})),
        missing={"kl_loss", "cross_entropy"},
    ),
    Case(
        msd.Gumbel,
        [{"loc": 0.5, "scale": 2.0}, {"loc": A3, "scale": S4}],
        _continuous(3.0),
        lambda loc, scale: stats.gumbel_r(loc, scale),
        lambda loc, scale: np.broadcast_to(loc, _batch({"l": loc, "s": scale})),
    ),
    Case(
        msd.Gamma,
        [
            {"concentration": 2.5, "rate": 1.5},
            {
                "concentration": np.array([[0.5], [1.0], [2.5]]),
                "rate": np.array([0.5, 1.0, 2.0, 4.0]),
            },
        ],
        _positive,
        lambda concentration, rate: stats.gamma(concentration, scale=1 / rate),
        _gamma_mode,
    ),
    Case(
        msd.Beta,
        [
            {"concentration1": 2.0, "concentration0": 3.0},
            {
                "concentration1": np.array([[0.5], [1.5], [3.0]]),
                "concentration0": np.array([0.7, 1.0, 2.0, 5.0]),
            },
        ],
        _unit,
        lambda concentration1, concentration0: stats.beta(concentration1, concentration0),
        _beta_mode,
    ),
    Case(
        msd.Poisson,
        [{"rate": 3.5}, {"rate": np.array([0.5, 3.0, 12.0])}],
        _counts(20),
        lambda rate: stats.poisson(rate),
        lambda rate: np.floor(rate),
        discrete=True,
    ),
    Case(
        msd.Bernoulli,
        [{"probs1": 0.3}, {"probs1": np.array([0.1, 0.5, 0.8])}],
        _counts(1),
        lambda probs1: stats.bernoulli(probs1),
        lambda probs1: (np.asarray(probs1) > 0.5).astype(F64),
        discrete=True,
    ),
    Case(
        msd.Geometric,
        [{"probs1": 0.3}, {"probs1": np.array([0.1, 0.5, 0.9])}],
        _counts(15),
        lambda probs1: stats.geom(probs1, loc=-1),
        lambda probs1: np.zeros_like(probs1),
        discrete=True,
    ),
    Case(
        msd.Binomial,
        [
            {"total_count": 10.0, "probs": 0.3},
            {"total_count": np.array([[5.0], [12.0]]), "probs": np.array([0.2, 0.5, 0.9])},
        ],
        _binomial_values,
        lambda total_count, probs: stats.binom(total_count, probs),
        lambda total_count, probs: np.minimum(np.floor((total_count + 1) * probs), total_count),
        discrete=True,
    ),
    Case(
        msd.Categorical,
        [
            {"probs": np.array([0.2, 0.3, 0.5])},
            {"probs": np.random.default_rng(7).dirichlet(np.ones(4), size=3)},
        ],
        _categorical_values,
        lambda probs: _CategoricalRef(probs),
        lambda probs: np.argmax(probs, -1).astype(F64),
        discrete=True,
    ),
]

BY_NAME = {c.name: c for c in CASES}


def constructor_kwargs(case, params):
    """Constructor arguments for `params` (per-call names mapped to the constructor's)."""
    renamed = {"probs1": "probs"}
    return {renamed.get(k, k): v for k, v in params.items()}
