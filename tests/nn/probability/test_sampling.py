"""`sample`: shapes, dtypes, seeding, the support, and sample moments against mean and var
(a fixed seed, statistical tolerances of 5 standard errors)."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
import minispore.nn.probability.distribution as msd
import minispore.prims.random as prims_random
from minispore import Tensor
from minispore.core.primitive import REGISTRY, Primitive

from .cases import BY_NAME, CASES, constructor_kwargs

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


# ---- every draw is a random primitive (so a captured graph draws afresh) --------------------------

RANDOM = {n: p for n, p in REGISTRY.items() if p.impl.__module__ == prims_random.__name__}
DRAWS = {
    "Normal": "random_normal",
    "LogNormal": "random_normal",
    "Gamma": "random_gamma",
    "Beta": "random_beta",
    "Poisson": "random_poisson",
    "Binomial": "random_binomial",
}


class _Guarded:
    """The generator, refusing to draw except inside the implementation of a random primitive."""

    def __init__(self, rng):
        self.rng = rng
        self.inside = None

    def __getattr__(self, name):
        if self.inside is None:
            raise AssertionError(f"generator.{name} was called outside every random primitive")
        return getattr(self.rng, name)


@pytest.fixture
def draws(monkeypatch):
    """The names of the random primitives called, with the generator guarded meanwhile."""
    guarded, called = _Guarded(np.random.default_rng(0)), []
    for name, prim in RANDOM.items():

        def impl(*args, _impl=prim.impl, _name=name, **params):
            guarded.inside = _name
            called.append(_name)
            try:
                return _impl(*args, **params)
            finally:
                guarded.inside = None

        monkeypatch.setattr(prim, "impl", impl)
    saved = prims_random.get_generator()
    prims_random.set_generator(guarded)
    yield called
    prims_random.set_generator(saved)


def test_the_distributions_draws_are_registered():
    assert set(DRAWS.values()) | {"random_uniform"} <= set(RANDOM)
    for name in ("random_gamma", "random_beta", "random_poisson", "random_binomial"):
        assert REGISTRY[name].vjp is None and REGISTRY[name].jvp is None, name


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_draw_goes_through_a_random_primitive(case, draws):
    params = case.params[1]
    d = case.cls(**constructor_kwargs(case, params))
    d.sample((3,))
    d.sample((2,), *(Tensor(np.asarray(v, np.float32)) for v in params.values()))
    assert draws == [DRAWS.get(case.name, "random_uniform")] * 2


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_distribution_is_reproducible_under_set_seed(case):
    d = case.cls(**constructor_kwargs(case, case.params[1]))
    ms.set_seed(5)
    first, second = d.sample((40,)).asnumpy(), d.sample((40,)).asnumpy()
    ms.set_seed(5)
    np.testing.assert_array_equal(d.sample((40,)).asnumpy(), first)
    assert not np.array_equal(first, second), case.name


def test_seeded_draws_are_numpys():
    """The primitives call NumPy's samplers: a seed gives the generator's own numbers."""
    a, r = np.array([[0.5], [2.5]]), np.array([0.5, 1.0, 4.0])
    n, p = np.array([[5], [12]]), np.array([0.2, 0.5, 0.9])
    cases = [
        (msd.Gamma(a, r, dtype=ms.float64), lambda g: g.gamma(a, 1 / r, (4, 2, 3))),
        (msd.Beta(a, r, dtype=ms.float64), lambda g: g.beta(a, r, (4, 2, 3))),
        (msd.Poisson(r * 3, dtype=ms.float64), lambda g: g.poisson(r * 3, (4, 3))),
        (msd.Binomial(n, p), lambda g: g.binomial(n, p, (4, 2, 3))),
    ]
    for d, numpy_draw in cases:
        ms.set_seed(9)
        got = d.sample((4,)).asnumpy()
        np.testing.assert_array_equal(got, numpy_draw(np.random.default_rng(9)), err_msg=d.name)


@pytest.mark.parametrize("name", ["Gamma", "Beta", "Poisson", "Binomial", "Categorical"])
def test_traced_parameters_draw_the_same_numbers_without_gradient(name):
    """Under `vjp` the parameters are tracers: the draws take them as arguments, draw what
    concrete parameters draw, and pass no gradient back (these samples are not reparameterized)."""
    case = BY_NAME[name]
    params = [Tensor(np.asarray(v, np.float64)) for v in case.params[1].values()]
    d = case.cls()
    ms.set_seed(4)
    expected = d.sample((6,), *params).asnumpy()
    ms.set_seed(4)
    out, pullback = ms.vjp(lambda *ps: d.sample((6,), *ps).astype(ms.float64), *params)
    np.testing.assert_array_equal(out.asnumpy(), expected)
    grads = pullback(ms.ops.ones(out.shape, ms.float64))
    grads = grads if isinstance(grads, tuple) else (grads,)
    assert all(np.all(g.asnumpy() == 0) for g in grads), (name, grads)


# A tiny graph capture, as a `jit` would make: every bind is recorded, then replayed on new
# parameters. A draw or a step computed outside the primitives would replay frozen.
_NEW = {
    "real": lambda v: v + 1.0,
    "positive": lambda v: v * 1.7,
    "unit_interval": lambda v: 1.0 - v,
    "simplex": lambda v: v[..., ::-1],
    "nonnegative_integer": lambda v: v + 3.0,
}


@pytest.fixture
def tape(monkeypatch):
    """Every primitive call, `(primitive, args, params, out)`, in order."""
    calls, call = [], Primitive.__call__

    def recording(self, *args, **params):
        out = call(self, *args, **params)
        calls.append((self, args, params, out))
        return out

    monkeypatch.setattr(Primitive, "__call__", recording)
    return calls


def _replay(calls, inputs, new_inputs):
    env = {id(a): b for a, b in zip(inputs, new_inputs)}
    for prim, args, params, out in calls:
        env[id(out)] = prim.impl(*(env.get(id(a), a) for a in args), **params)
    return env


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_recorded_sample_replays_with_new_parameters(case, tape):
    old = [np.asarray(v, np.float64) for v in case.params[1].values()]
    new = [_NEW[case.cls.PARAMETERS[k]](v) for k, v in zip(case.cls.PARAMETERS, old)]
    d = case.cls()
    inputs = [Tensor(v) for v in old]
    ms.set_seed(6)
    recorded = d.sample((50,), *inputs)
    calls = list(tape)
    ms.set_seed(6)
    replayed = _replay(calls, [t._value for t in inputs], new)[id(recorded._value)]
    ms.set_seed(6)
    fresh = d.sample((50,), *(Tensor(v) for v in new)).asnumpy()
    assert not np.array_equal(fresh, recorded.asnumpy()), case.name  # the parameters matter
    np.testing.assert_array_equal(replayed, fresh, err_msg=case.name)
