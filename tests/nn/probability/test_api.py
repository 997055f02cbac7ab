"""The distributions' API: construction and its errors, per-call parameters, dtypes, repr,
`construct`, properties, `PARAMETERS`, and Cell behaviour."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
import minispore.nn.probability.distribution as msd
from minispore import Parameter, Tensor, nn

from .cases import CASES

CONSTRAINTS = {"real", "positive", "unit_interval", "simplex", "nonnegative_integer"}


def test_exports():
    assert nn.probability.distribution is msd
    expected = {
        "Distribution", "Normal", "Bernoulli", "Binomial", "Categorical", "Poisson", "Exponential",
        "Gamma", "Beta", "Uniform", "LogNormal", "Geometric", "Cauchy", "Logistic", "Gumbel",
    }  # fmt: skip
    assert set(msd.__all__) == expected
    for name in expected - {"Distribution"}:
        cls = getattr(msd, name)
        assert issubclass(cls, msd.Distribution) and issubclass(cls, nn.Cell)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_parameters_attribute_documents_the_per_call_names(case):
    spec = case.cls.PARAMETERS
    assert list(spec) == list(case.params[0]), case.name
    assert set(spec.values()) <= CONSTRAINTS
    d = case.cls()
    assert d.parameter_names == list(spec)
    assert d.default_parameters == [None] * len(spec)
    with pytest.raises(
        TypeError, match=f"{case.name}.mean.*parameter '{next(iter(spec))}' is not given"
    ):
        d.mean()


def test_constructor_defaults_follow_mindspore():
    n = msd.Normal()
    assert (n.name, n.seed, n.dtype, n.get_dist_type()) == ("Normal", 0, ms.float32, "Normal")
    assert msd.Bernoulli().dtype == ms.int32 and msd.Categorical().dtype == ms.int32
    assert msd.Geometric().dtype == ms.int32 and msd.Poisson().dtype == ms.float32
    assert msd.LogNormal().seed == 0 and msd.Gumbel().seed == 0
    n = msd.Normal(3.0, 4.0, seed=5, name="n")
    assert n.seed == 5 and n.name == "n"
    assert n.parameters["param_dict"] == {"mean": 3.0, "sd": 4.0}
    assert n.batch_shape == () and n.is_scalar_batch
    b = msd.Normal(np.array([0.0, 1.0]), np.array([[1.0], [2.0]]))
    assert b.batch_shape == (2, 2) and not b.is_scalar_batch
    assert msd.Categorical(np.ones((4, 3)) / 3).batch_shape == (4,)
    assert msd.Normal().batch_shape is None


def test_repr_follows_mindspore():
    assert repr(msd.Normal(3.0, 4.0)) == "Normal(mean = 3.0, standard deviation = 4.0)"
    assert repr(msd.Normal(np.array([1.0, 2.0]), 4.0)) == "Normal(batch_shape = (2,))"
    assert repr(msd.Normal()) == "Normal(mean = None, standard deviation = None)"
    assert repr(msd.Bernoulli(0.3)) == "Bernoulli(probs = 0.3)"
    assert repr(msd.Categorical(np.array([0.2, 0.3, 0.5]))) == "Categorical(probs = [0.2 0.3 0.5])"
    assert repr(msd.Cauchy(0.5, 2.0)) == "Cauchy(location = 0.5, scale = 2.0)"
    assert repr(msd.Gumbel(0.0, 1.0)) == "Gumbel(loc = 0.0, scale = 1.0)"
    assert repr(msd.Poisson(Tensor([2.0, 3.5]))) == "Poisson(batch_shape = (2,))"


def test_per_call_parameters_leave_the_distribution_unchanged():
    n = msd.Normal(0.0, 1.0, dtype=ms.float64)
    x = Tensor(np.array([0.5]))
    before = n.log_prob(x).asnumpy()
    other = n.log_prob(x, Tensor(np.array([1.0])), Tensor(np.array([2.0]))).asnumpy()
    np.testing.assert_allclose(other, [-0.5 * 0.25**2 - np.log(2.0) - 0.5 * np.log(2 * np.pi)])
    np.testing.assert_array_equal(n.log_prob(x).asnumpy(), before)
    # one parameter per call, the other from the constructor
    np.testing.assert_allclose(
        n.log_prob(x, sd=Tensor(np.array(2.0))).asnumpy(),
        n.log_prob(x, Tensor(np.array(0.0)), Tensor(np.array(2.0))).asnumpy(),
    )
    assert n.get_dist_args()[0] is n.default_parameters[0]
    m = Tensor(np.array([5.0]))
    assert n.get_dist_args(m)[0] is m


def test_dtypes():
    x32 = Tensor(np.array([0.5], np.float32))
    assert msd.Normal(0.0, 1.0).log_prob(x32).dtype == ms.float32
    assert (
        msd.Normal(0.0, 1.0).log_prob(Tensor(np.array([0.5]))).dtype == ms.float32
    )  # as MindSpore
    assert msd.Normal(np.array([0.0]), np.array([1.0])).mean().dtype == ms.float32  # as MindSpore
    assert msd.Normal(0.0, 1.0, dtype=ms.float64).log_prob(x32).dtype == ms.float64
    # a float64 Tensor per call computes in float64 (MindSpore would cast it to float32)
    f64 = Tensor(np.array([0.0]))
    assert msd.Normal().log_prob(x32, f64, Tensor(np.array([1.0]))).dtype == ms.float64
    assert msd.Bernoulli(0.3).mean().dtype == ms.float32
    assert msd.Categorical(np.array([0.2, 0.8])).mode().dtype == ms.int32
    assert msd.Geometric(0.3).mode().dtype == ms.int32
    assert msd.Bernoulli(0.7).mode().dtype == ms.int32
    assert msd.Poisson(2.5).mode().dtype == ms.float32


def test_construct_dispatches_by_name():
    n = msd.Normal(0.0, 1.0)
    x = Tensor([1.0])
    np.testing.assert_array_equal(n("log_prob", x).asnumpy(), n.log_prob(x).asnumpy())
    np.testing.assert_array_equal(n("mean").asnumpy(), n.mean().asnumpy())
    assert n("get_dist_type") == "Normal"
    with pytest.raises(NotImplementedError, match="foo is not implemented for Normal"):
        n("foo")


def test_properties_return_the_parameters():
    assert msd.Bernoulli(0.3).probs.asnumpy() == pytest.approx(0.3)
    g = msd.Gamma(2.0, 3.0)
    assert (float(g.concentration.asnumpy()), float(g.rate.asnumpy())) == (2.0, 3.0)
    u = msd.Uniform(-1.0, 1.0)
    assert (float(u.low.asnumpy()), float(u.high.asnumpy())) == (-1.0, 1.0)
    assert float(msd.Beta(2.0, 3.0).concentration0.asnumpy()) == 3.0
    assert float(msd.Binomial(10, 0.5).total_count.asnumpy()) == 10.0


def test_parameters_become_cell_parameters():
    p = Parameter(Tensor(np.array([0.3], np.float32)), name="p")
    b = msd.Bernoulli(p)
    assert b.trainable_params() == [p]
    p.set_data(Tensor(np.array([0.6], np.float32)))
    np.testing.assert_allclose(b.mean().asnumpy(), [0.6])


INVALID = [
    (lambda: msd.Normal(0.0, -1.0), ValueError, r"Normal.*'sd' must be greater than zero.*-1"),
    (lambda: msd.Normal(0.0, np.array([1.0, 0.0])), ValueError, r"'sd' must be greater than zero.*0\..*shape \(2,\)"),
    (lambda: msd.LogNormal(0.0, 0.0), ValueError, "LogNormal.*'scale'"),
    (lambda: msd.Bernoulli(1.5), ValueError, r"Bernoulli.*'probs' must be in \[0, 1\]"),
    (lambda: msd.Bernoulli(-0.1), ValueError, "Bernoulli.*'probs'"),
    (lambda: msd.Geometric(0.0), ValueError, r"Geometric.*'probs' must be in \(0, 1\]"),
    (lambda: msd.Binomial(2.5, 0.5), ValueError, "Binomial.*'total_count' must be a non-negative integer"),
    (lambda: msd.Binomial(-1, 0.5), ValueError, "Binomial.*'total_count'"),
    (lambda: msd.Categorical(np.array([0.2, 0.3])), ValueError, "Categorical.*sum to 1"),
    (lambda: msd.Categorical(np.array([1.2, -0.2])), ValueError, r"Categorical.*'probs' must be in \[0, 1\]"),
    (lambda: msd.Categorical(np.array(1.0)), ValueError, "Categorical.*rank >= 1"),
    (lambda: msd.Poisson(0.0), ValueError, "Poisson.*'rate'"),
    (lambda: msd.Exponential(-1.0), ValueError, "Exponential.*'rate'"),
    (lambda: msd.Gamma(0.0, 1.0), ValueError, "Gamma.*'concentration'"),
    (lambda: msd.Beta(1.0, -1.0), ValueError, "Beta.*'concentration0'"),
    (lambda: msd.Uniform(1.0, 1.0), ValueError, "Uniform.*'low' must be less than 'high'"),
    (lambda: msd.Cauchy(0.0, -2.0), ValueError, "Cauchy.*'scale'"),
    (lambda: msd.Logistic(0.0, 0.0), ValueError, "Logistic.*'scale'"),
    (lambda: msd.Gumbel(0.0, -1.0), ValueError, "Gumbel.*'scale'"),
    (lambda: msd.Normal(0.0, 1.0, dtype=ms.int32), TypeError, "Normal.*'dtype' should be one of"),
    (lambda: msd.Bernoulli(0.5, dtype=ms.bool_), TypeError, "Bernoulli.*'dtype'"),
    (lambda: msd.Normal(0.0, 1.0, seed=-1), ValueError, "Normal.*'seed' must be int and must >= 0"),
    (lambda: msd.Normal(0.0, 1.0, seed=1.5), ValueError, "'seed'"),
    (lambda: msd.Normal(0.0, 1.0, name=3), TypeError, "Normal.*'name' must be a str"),
    (lambda: msd.Normal(True, 1.0), TypeError, "Normal.*'mean' cannot be a bool"),
    (lambda: msd.Normal("a", 1.0), TypeError, "Normal.*unable to convert 'mean'"),
]  # fmt: skip


@pytest.mark.parametrize("make, error, match", INVALID)
def test_invalid_parameters_are_refused_clearly(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_invalid_calls_are_refused_clearly():
    n = msd.Normal(0.0, 1.0)
    with pytest.raises(TypeError, match=r"Normal.log_prob.*'value' must be a Tensor.*float"):
        n.log_prob(1.0)
    with pytest.raises(TypeError, match=r"Normal.log_prob.*'mean' must be a Tensor.*float"):
        n.log_prob(Tensor([1.0]), mean=1.0)
    with pytest.raises(TypeError, match=r"Normal.log_prob.*unexpected argument 'loc'"):
        n.log_prob(Tensor([1.0]), loc=Tensor([1.0]))
    with pytest.raises(TypeError, match=r"Normal.log_prob.*at most 2 parameters"):
        n.log_prob(Tensor([1.0]), Tensor([1.0]), Tensor([1.0]), Tensor([1.0]))
    with pytest.raises(TypeError, match=r"Normal.cdf.*'mean' was given twice"):
        n.cdf(Tensor([1.0]), Tensor([0.0]), mean=Tensor([1.0]))
    with pytest.raises(TypeError, match=r"Normal.log_prob.*parameter 'sd' is not given"):
        msd.Normal(0.0).log_prob(Tensor([1.0]))
    with pytest.raises(ValueError, match=r"For 'sub'.*\(2,\).*\(3,\)"):
        msd.Normal(np.zeros(2), 1.0).log_prob(Tensor(np.zeros(3, np.float32)))


def test_mindspore_scalar_restrictions_are_lifted():
    """MindSpore refuses Python scalars for Gamma, Beta and Poisson; they work here."""
    assert float(msd.Gamma(2.0, 1.0).mean().asnumpy()) == 2.0
    assert float(msd.Beta(1.0, 3.0).mean().asnumpy()) == 0.25
    assert float(msd.Poisson(2.0).var().asnumpy()) == 2.0
