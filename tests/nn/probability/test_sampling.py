"""`sample`: shapes, dtypes, seeding, the support, and sample moments against mean and var
(a fixed seed, statistical tolerances of 5 standard errors)."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
import minispore.nn.probability.distribution as msd
from minispore import Tensor

from .cases import CASES, constructor_kwargs

N = 20_000


@pytest.fixture(autouse=True)
def _seeded():
    ms.set_seed(1234)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_shapes_and_dtypes(case):
    params = case.params[1]
    batch = np.broadcast_shapes(*(np.shape(v) for v in params.values()))
    if case.name == "Categorical":
        batch = np.shape(params["probs"])[:-1]
    d = case.cls(**constructor_kwargs(case, params))
    expected = (
        ms.int32
        if case.name in ("Bernoulli", "Geometric", "Binomial", "Categorical")
        else ms.float32
    )
    for shape in ((), (5,), (2, 3)):
        s = d.sample(shape)
        assert s.shape == shape + batch, (case.name, shape, s.shape)
        assert s.dtype == expected, (case.name, s.dtype)
    # per-call parameters, and a float64 distribution
    per_call = case.cls().sample(
        (4,), *(Tensor(np.asarray(v, np.float64)) for v in params.values())
    )
    assert per_call.shape == (4,) + batch
    d64 = case.cls(**constructor_kwargs(case, params), dtype=ms.float64)
    assert d64.sample((3,)).dtype == ms.float64


def _moments_ok(name, x, mean, var, kurtosis):
    """|sample mean - mean| and |sample var - var| within 5 standard errors."""
    n = x.shape[0]
    se_mean = np.sqrt(var / n)
    # Var(sample var) ~ (kurtosis + 2) var^2 / n, plus the O(1/n^2) term that remains at kurtosis -2
    se_var = np.sqrt((kurtosis + 2.0) * var**2 / n + 2 * var**2 / n**2)
    assert np.all(np.abs(x.mean(0) - mean) < 5 * se_mean + 1e-12), (name, x.mean(0), mean)
    assert np.all(np.abs(x.var(0) - var) < 5 * se_var + 1e-12), (name, x.var(0), var)


@pytest.mark.parametrize("case", [c for c in CASES if c.name != "Cauchy"], ids=lambda c: c.name)
def test_sample_moments(case):
    params = case.params[1]
    d = case.cls(**constructor_kwargs(case, params), dtype=ms.float64)
    x = d.sample((N,)).asnumpy()
    mean, var = d.mean().asnumpy(), d.var().asnumpy()
    if case.name == "Categorical":
        p = params["probs"]
        k = np.arange(p.shape[-1])
        kurt = (p * (k - mean[..., None]) ** 4).sum(-1) / var**2 - 3
    else:
        kurt = np.asarray(case.ref(**params).stats(moments="k"), np.float64)
    _moments_ok(case.name, x, mean, var, kurt)


def test_samples_lie_in_the_support():
    cases = {
        "Exponential": (msd.Exponential(2.0), lambda x: x >= 0),
        "Gamma": (msd.Gamma(0.3, 1.0), lambda x: x >= 0),
        "Beta": (msd.Beta(0.5, 0.5), lambda x: (x >= 0) & (x <= 1)),
        "Uniform": (msd.Uniform(-1.0, 2.0), lambda x: (x >= -1) & (x < 2)),
        "LogNormal": (msd.LogNormal(0.0, 1.0), lambda x: x > 0),
        "Poisson": (msd.Poisson(3.0), lambda x: (x >= 0) & (x == np.floor(x))),
        "Binomial": (msd.Binomial(7, 0.4), lambda x: (x >= 0) & (x <= 7)),
        "Geometric": (msd.Geometric(1.0), lambda x: x == 0),
        "Bernoulli": (msd.Bernoulli(0.5), lambda x: (x == 0) | (x == 1)),
        "Categorical": (msd.Categorical(np.array([0.5, 0.0, 0.5])), lambda x: (x == 0) | (x == 2)),
    }
    for name, (d, ok) in cases.items():
        x = d.sample((2000,)).asnumpy()
        assert ok(x).all(), name


def test_cauchy_quantiles():
    c = msd.Cauchy(1.0, 2.0, dtype=ms.float64)
    x = c.sample((N,)).asnumpy()
    q1, med, q3 = np.percentile(x, [25, 50, 75])
    # quartiles loc -+ scale; the sample quartiles' standard error is about 1.6 scale / sqrt(N)
    for got, want in ((q1, -1.0), (med, 1.0), (q3, 3.0)):
        assert abs(got - want) < 5 * 1.6 * 2.0 / np.sqrt(N)


def test_seeding():
    n = msd.Normal(0.0, 1.0)
    ms.set_seed(7)
    first, second = n.sample((5,)).asnumpy(), n.sample((5,)).asnumpy()
    ms.set_seed(7)
    np.testing.assert_array_equal(n.sample((5,)).asnumpy(), first)
    assert not np.array_equal(first, second)
    for cls, args in ((msd.Gamma, (2.0, 1.0)), (msd.Categorical, (np.array([0.3, 0.7]),))):
        ms.set_seed(3)
        a = cls(*args).sample((6,)).asnumpy()
        ms.set_seed(3)
        np.testing.assert_array_equal(cls(*args).sample((6,)).asnumpy(), a)
    # A positive seed: the distribution's own stream, whatever the global generator does.
    ms.set_seed(1)
    a = msd.Normal(0.0, 1.0, seed=42).sample((5,)).asnumpy()
    ms.set_seed(2)
    np.testing.assert_array_equal(msd.Normal(0.0, 1.0, seed=42).sample((5,)).asnumpy(), a)


def test_bad_shapes_are_refused():
    n = msd.Normal(0.0, 1.0)
    for shape in ([2], 3, (2.0,), (-1,)):
        with pytest.raises(TypeError, match=r"Normal.sample.*'shape' must be a tuple"):
            n.sample(shape)
