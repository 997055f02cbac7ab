"""Gradients of the distributions: `log_prob` to second order in the parameters and the value
(the Hessians maximum likelihood needs), the other methods to first order, all against central
differences (`minispore.testing.check_grads`); gradients reaching Parameters through `grad`."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
import minispore.nn.probability.distribution as msd
from minispore import Parameter, Tensor
from minispore.tensor import _wrap
from minispore.testing import check_grads

from .cases import CASES

# Parameters that are not differentiated: integers.
FIXED = {"Binomial": {"total_count"}}
# Methods whose derivative in a parameter is not implemented (betainc in its shapes).
NO_PARAM_GRAD = {"Beta": {"cdf", "log_cdf", "survival_function", "log_survival"}}


def _interior(case, rng, params):
    """Values inside the support, away from kinks and from the edges."""
    shape = (2,) + np.broadcast_shapes(*(np.shape(v) for v in params.values()))
    name = case.name
    if name in ("LogNormal", "Exponential", "Gamma"):
        return rng.uniform(0.3, 3.0, shape)
    if name == "Beta":
        return rng.uniform(0.15, 0.85, shape)
    if name == "Uniform":
        return rng.uniform(0.1, 0.9, shape)  # inside every interval of the batch case
    if case.discrete:
        return case.values(rng, params).clip(0, None)
    return rng.normal(0.0, 2.0, shape)


def _function(case, method):
    d = case.cls()

    def f(x, *ps):
        return getattr(d, method)(_wrap(x), *(_wrap(p) for p in ps))._value

    return f


def _diff_args(case, params, with_value):
    names = list(case.cls.PARAMETERS)
    idx = [i + 1 for i, n in enumerate(names) if n not in FIXED.get(case.name, set())]
    return ([0] if with_value else []) + idx


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_log_prob_gradients_to_second_order(case):
    rng = np.random.default_rng(0)
    params = case.params[1]
    x = _interior(case, rng, params)
    args = [x] + [np.asarray(v, np.float64) for v in params.values()]
    continuous = not case.discrete and case.name != "Uniform"
    check_grads(
        _function(case, "log_prob"),
        args,
        order=2,
        diff_args=_diff_args(case, params, continuous),
        rtol=1e-5,
        atol=1e-7,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_other_methods_have_first_order_gradients(case):
    rng = np.random.default_rng(1)
    params = case.params[1]
    # Discrete: at 0, where the cdf and the survival function are both positive.
    x = (
        np.zeros_like(_interior(case, rng, params))
        if case.discrete
        else _interior(case, rng, params)
    )
    arrays = [np.asarray(v, np.float64) for v in params.values()]
    for method in ("cdf", "log_cdf", "survival_function", "log_survival"):
        with_params = method not in NO_PARAM_GRAD.get(case.name, set())
        diff = _diff_args(case, params, not case.discrete)
        diff = diff if with_params else [0]
        if not diff:
            continue
        check_grads(
            _function(case, method), [x, *arrays], order=1, diff_args=diff, rtol=1e-5, atol=1e-7
        )
    d = case.cls()
    for method in ("mean", "var", "entropy"):
        if method in case.missing:
            continue
        f = lambda *ps, m=method: getattr(d, m)(*(_wrap(p) for p in ps))._value  # noqa: E731
        check_grads(f, arrays, order=1, diff_args=[i - 1 for i in _diff_args(case, params, False)])


@pytest.mark.parametrize(
    "case", [c for c in CASES if "kl_loss" not in c.missing], ids=lambda c: c.name
)
def test_kl_gradients(case):
    a = [np.asarray(v, np.float64) for v in case.params[1].values()]
    b = [np.asarray(v, np.float64) for v in case.params[0].values()]
    if case.name == "Uniform":  # b must contain a
        b = [np.asarray(-3.0), np.asarray(5.0)]
    if case.name == "Categorical":  # as many classes as a
        b = [np.random.default_rng(4).dirichlet(np.ones(a[0].shape[-1]))]
    d = case.cls()

    def f(*ps):
        k = len(a)
        ta, tb = ps[:k], ps[k:]
        return d.kl_loss(case.name, *(_wrap(p) for p in tb), *(_wrap(p) for p in ta))._value

    fixed = FIXED.get(case.name, set())
    names = list(case.cls.PARAMETERS)
    diff = [i for i, n in enumerate(names + names) if n not in fixed]
    if case.name == "Binomial":
        b[0] = np.broadcast_to(a[0], np.broadcast_shapes(a[0].shape, a[1].shape)).copy()
        a[0] = b[0]
    check_grads(f, a + b, order=1, diff_args=diff, rtol=1e-5, atol=1e-7)


def test_gamma_cdf_gradient_in_the_concentration_is_first_order_only():
    d = msd.Gamma()
    x, rate = Tensor(np.array([1.5])), Tensor(np.array([2.0]))
    g = ms.grad(lambda a: d.cdf(x, a, rate).sum())(Tensor(np.array([2.5]))).asnumpy()
    stats = pytest.importorskip("scipy.stats")
    h = 1e-6
    fd = (stats.gamma.cdf(1.5, 2.5 + h, scale=0.5) - stats.gamma.cdf(1.5, 2.5 - h, scale=0.5)) / (
        2 * h
    )
    np.testing.assert_allclose(g, [fd], rtol=1e-7)
    with pytest.raises(NotImplementedError, match="igamma.*second derivative"):
        ms.grad(ms.grad(lambda a: d.cdf(x, a, rate).sum()))(Tensor(np.array([2.5])))
    with pytest.raises(NotImplementedError, match="betainc"):
        ms.grad(lambda a: msd.Beta().cdf(Tensor([0.3]), a, Tensor([2.0])).sum())(Tensor([1.5]))


def test_gradients_reach_parameters_given_at_construction():
    rng = np.random.default_rng(2)
    x = rng.normal(1.0, 2.0, 50)
    mean = Parameter(Tensor(np.array(0.5)), name="mean")
    sd = Parameter(Tensor(np.array(1.5)), name="sd")
    n = msd.Normal(mean, sd, dtype=ms.float64)
    assert {p.name for p in n.trainable_params()} == {"mean", "sd"}

    def nll():
        return -n.log_prob(Tensor(x)).sum()

    loss, (g_mean, g_sd) = ms.value_and_grad(nll, None, [mean, sd])()
    np.testing.assert_allclose(g_mean.asnumpy(), -np.sum(x - 0.5) / 1.5**2, rtol=1e-12)
    np.testing.assert_allclose(
        g_sd.asnumpy(), len(x) / 1.5 - np.sum((x - 0.5) ** 2) / 1.5**3, rtol=1e-12
    )
    stats = pytest.importorskip("scipy.stats")
    np.testing.assert_allclose(loss.asnumpy(), -stats.norm.logpdf(x, 0.5, 1.5).sum(), rtol=1e-12)


def test_hessian_of_the_negative_log_likelihood():
    """The observed information of a Normal sample: [[n/s^2, 0], [0, 2n/s^2]] at the MLE."""
    rng = np.random.default_rng(3)
    x = rng.normal(2.0, 3.0, 200)
    m, s = x.mean(), x.std()
    d = msd.Normal()

    def nll(mean, sd):
        return -d.log_prob(Tensor(x), mean, sd).sum()

    h = ms.hessian(nll, grad_position=(0, 1))(Tensor(np.array(m)), Tensor(np.array(s)))
    got = np.array([[h[i][j].asnumpy() for j in range(2)] for i in range(2)])
    np.testing.assert_allclose(got, [[200 / s**2, 0.0], [0.0, 400 / s**2]], rtol=1e-10, atol=1e-9)


def test_reparameterized_samples_carry_gradients():
    ms.set_seed(0)
    mean = Tensor(np.array([1.0, 2.0]))
    sd = Tensor(np.array([0.5, 2.0]))
    d = msd.Normal()
    g = ms.grad(lambda m, s: d.sample((1000,), m, s).mean(), grad_position=(0, 1))(mean, sd)
    np.testing.assert_allclose(g[0].asnumpy(), [1 / 2, 1 / 2], rtol=1e-12)  # d mean / d mean
    assert np.all(np.abs(g[1].asnumpy()) < 0.1)  # the mean of the standard draws
