"""`kl_loss` and `cross_entropy` against their definitions: numerical integration (continuous),
direct sums (discrete) and a Monte-Carlo estimate; H(a, b) = H(a) + KL(a || b)."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
import minispore.nn.probability.distribution as msd
from minispore import Tensor

from .cases import BY_NAME

integrate = pytest.importorskip("scipy.integrate")

# (distribution, parameters of a, parameters of b), scalars.
PAIRS = [
    ("Normal", (0.5, 2.0), (-1.0, 1.3)),
    ("LogNormal", (0.3, 0.5), (0.0, 0.8)),
    ("Exponential", (2.0,), (0.7,)),
    ("Uniform", (-1.0, 2.0), (-1.5, 3.0)),
    ("Cauchy", (0.5, 2.0), (-1.0, 0.7)),
    ("Gumbel", (0.5, 2.0), (-1.0, 1.3)),
    ("Gamma", (2.5, 1.5), (1.2, 0.8)),
    ("Beta", (2.0, 3.0), (0.8, 1.7)),
    ("Poisson", (3.5,), (1.2,)),
    ("Bernoulli", (0.3,), (0.75,)),
    ("Geometric", (0.3,), (0.6,)),
    ("Binomial", (10.0, 0.3), (10.0, 0.55)),
    ("Categorical", (np.array([0.2, 0.3, 0.5]),), (np.array([0.6, 0.1, 0.3]),)),
]


def _reference_kl(case, pa, pb):
    names = list(case.cls.PARAMETERS)
    ra = case.ref(**dict(zip(names, pa)))
    rb = case.ref(**dict(zip(names, pb)))
    if case.discrete:
        k = np.arange(0, 400, dtype=np.float64)
        p = ra.pmf(k)
        keep = p > 0
        return np.sum(p[keep] * (ra.logpmf(k[keep]) - rb.logpmf(k[keep])))
    lo, hi = ra.support()

    def integrand(x):
        p = ra.pdf(x)
        return 0.0 if p == 0 else p * (ra.logpdf(x) - rb.logpdf(x))

    with np.errstate(all="ignore"):  # the tails overflow to a zero density
        return integrate.quad(integrand, lo, hi, epsabs=1e-13, epsrel=1e-12, limit=500)[0]


def _tensors(values):
    return [Tensor(np.asarray(v, np.float64)) for v in values]


@pytest.mark.parametrize("name, pa, pb", PAIRS, ids=[p[0] for p in PAIRS])
def test_kl_and_cross_entropy_match_their_definitions(name, pa, pb):
    case = BY_NAME[name]
    a = case.cls(*pa, dtype=ms.float64)
    kl = a.kl_loss(name, *_tensors(pb)).asnumpy()
    np.testing.assert_allclose(kl, _reference_kl(case, pa, pb), rtol=1e-8, atol=1e-12)
    # The same with a's parameters per call, by name (MindSpore's `<name>_b` keywords).
    names = list(case.cls.PARAMETERS)
    kw = {f"{n}_b": t for n, t in zip(names, _tensors(pb))}
    kw.update(dict(zip(names, _tensors(pa))))
    np.testing.assert_allclose(case.cls().kl_loss(name, **kw).asnumpy(), kl, rtol=1e-14)
    ce = a.cross_entropy(name, *_tensors(pb)).asnumpy()
    np.testing.assert_allclose(ce, a.entropy().asnumpy() + kl, rtol=1e-12)
    assert np.all(kl >= 0)
    np.testing.assert_allclose(a.kl_loss(name, *_tensors(pa)).asnumpy(), 0.0, atol=1e-12)


def test_kl_by_monte_carlo():
    ms.set_seed(11)
    a = msd.Gamma(2.5, 1.5, dtype=ms.float64)
    b = (Tensor(np.array(1.2)), Tensor(np.array(0.8)))
    x = a.sample((200_000,))
    estimate = (a.log_prob(x) - a.log_prob(x, *b)).asnumpy()
    kl = a.kl_loss("Gamma", *b).asnumpy()
    se = estimate.std() / np.sqrt(estimate.size)
    assert abs(estimate.mean() - kl) < 4 * se, (estimate.mean(), kl, se)


def test_uniform_kl_is_infinite_when_b_misses_part_of_a():
    u = msd.Uniform(0.0, 2.0, dtype=ms.float64)
    got = u.kl_loss(
        "Uniform", Tensor(np.array([0.5, -1.0])), Tensor(np.array([3.0, 1.0]))
    ).asnumpy()
    np.testing.assert_array_equal(got, [np.inf, np.inf])


def test_binomial_kl_needs_equal_total_counts():
    b = msd.Binomial(10, 0.3)
    with pytest.raises(ValueError, match=r"Binomial.kl_loss.*total counts.*equal"):
        b.kl_loss("Binomial", Tensor([12.0]), Tensor([0.3]))


def test_kl_argument_errors():
    n = msd.Normal(0.0, 1.0)
    with pytest.raises(ValueError, match="Expected dist input is Normal, but got Gamma"):
        n.kl_loss("Gamma", Tensor([0.0]), Tensor([1.0]))
    with pytest.raises(ValueError, match="dist"):
        n.kl_loss(None, Tensor([0.0]), Tensor([1.0]))
    with pytest.raises(TypeError, match=r"Normal.kl_loss.*distribution b.*'sd_b'"):
        n.kl_loss("Normal", Tensor([0.0]))
    with pytest.raises(TypeError, match=r"Normal.cross_entropy.*unexpected argument 'scale'"):
        n.cross_entropy("Normal", Tensor([0.0]), Tensor([1.0]), scale=Tensor([1.0]))
    # a's parameters may be named plainly or with MindSpore's `_a` suffix
    g = msd.Gamma()
    args = dict(concentration_b=Tensor([1.0]), rate_b=Tensor([2.0]))
    x = g.kl_loss("Gamma", concentration_a=Tensor([2.0]), rate_a=Tensor([1.0]), **args)
    y = g.kl_loss("Gamma", concentration=Tensor([2.0]), rate=Tensor([1.0]), **args)
    np.testing.assert_array_equal(x.asnumpy(), y.asnumpy())
