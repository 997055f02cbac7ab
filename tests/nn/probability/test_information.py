"""The seed's information-theory examples, with Categorical and Bernoulli: entropy, KL
divergence, cross entropy, H(p, q) = D_KL(p || q) + H(p). Expected values worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

import minispore as ms
import minispore.nn.probability.distribution as msd
from minispore import Tensor


def _t(x):
    return Tensor(np.asarray(x, np.float64))


def test_entropy_is_the_expected_information():
    # H(p) = -sum p log p = 0.2 log 5 + 0.3 log(10/3) + 0.5 log 2
    p = msd.Categorical(np.array([0.2, 0.3, 0.5]), dtype=ms.float64)
    by_hand = 0.2 * math.log(5) + 0.3 * math.log(10 / 3) + 0.5 * math.log(2)
    assert p.entropy().asnumpy() == pytest.approx(by_hand, rel=1e-14)
    assert by_hand == pytest.approx(1.0296530140645737, rel=1e-15)
    # the information of one event is -log p(x)
    np.testing.assert_allclose(
        -p.log_prob(_t([0, 1, 2])).asnumpy(), [math.log(5), math.log(10 / 3), math.log(2)]
    )


def test_binary_entropy():
    # H = -p log p - (1 - p) log(1 - p): log 2 at p = 1/2, 0 for a certain outcome
    b = msd.Bernoulli(dtype=ms.float64)
    got = b.entropy(_t([0.5, 0.0, 1.0, 0.1])).asnumpy()
    np.testing.assert_allclose(
        got, [math.log(2), 0.0, 0.0, -(0.1 * math.log(0.1) + 0.9 * math.log(0.9))]
    )


def test_the_cat_pig_dog_example():
    # Target p = (cat 1, pig 0, dog 0), prediction q = (0.6, 0.2, 0.2):
    # H(p, q) = -(1 log 0.6 + 0 log 0.2 + 0 log 0.2) = -log 0.6; H(p) = 0; so D_KL(p || q) = -log 0.6
    p = msd.Categorical(np.array([1.0, 0.0, 0.0]), dtype=ms.float64)
    q = _t([0.6, 0.2, 0.2])
    assert p.cross_entropy("Categorical", q).asnumpy() == pytest.approx(-math.log(0.6), rel=1e-15)
    assert p.entropy().asnumpy() == 0.0
    assert p.kl_loss("Categorical", q).asnumpy() == pytest.approx(-math.log(0.6), rel=1e-15)
    # It is the negative log-likelihood of the true class under q.
    assert p.cross_entropy("Categorical", q).asnumpy() == pytest.approx(
        -msd.Categorical(dtype=ms.float64).log_prob(_t(0), q).asnumpy()
    )


def test_single_label_example():
    # Label (cat 0, frog 1, mouse 0), prediction (0.3, 0.6, 0.1): loss = -log 0.6
    label = _t([0.0, 1.0, 0.0])
    loss = msd.Categorical(dtype=ms.float64).cross_entropy(
        "Categorical", _t([0.3, 0.6, 0.1]), label
    )
    assert loss.asnumpy() == pytest.approx(-math.log(0.6), rel=1e-15)


def test_multi_label_example_is_one_bernoulli_per_node():
    # Labels (0, 1, 1), sigmoid outputs (0.1, 0.7, 0.8): -log 0.9, -log 0.7, -log 0.8 per node
    b = msd.Bernoulli(dtype=ms.float64)
    per_node = b.cross_entropy("Bernoulli", _t([0.1, 0.7, 0.8]), _t([0.0, 1.0, 1.0])).asnumpy()
    np.testing.assert_allclose(
        per_node, [-math.log(0.9), -math.log(0.7), -math.log(0.8)], rtol=1e-15
    )


def test_binary_cross_entropy_example():
    # L = -1/3 [log 0.8 + log(1 - 0.2) + log(1 - 0.4)] = 0.31903 (labels 1, 0, 0)
    b = msd.Bernoulli(dtype=ms.float64)
    loss = b.cross_entropy("Bernoulli", _t([0.8, 0.2, 0.4]), _t([1.0, 0.0, 0.0])).mean()
    by_hand = -(math.log(0.8) + math.log(0.8) + math.log(0.6)) / 3
    assert loss.asnumpy() == pytest.approx(by_hand, rel=1e-15)
    assert by_hand == pytest.approx(0.31903, abs=1e-5)  # the seed prints 0.31903


def test_cross_entropy_is_kl_plus_entropy():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(5), size=(4,))
    q = rng.dirichlet(np.ones(5), size=(4,))
    d = msd.Categorical(dtype=ms.float64)
    h_pq = d.cross_entropy("Categorical", _t(q), _t(p)).asnumpy()
    kl = d.kl_loss("Categorical", _t(q), _t(p)).asnumpy()
    h_p = d.entropy(_t(p)).asnumpy()
    np.testing.assert_allclose(h_pq, kl + h_p, rtol=1e-14)
    np.testing.assert_allclose(h_pq, -(p * np.log(q)).sum(-1), rtol=1e-14)
    np.testing.assert_allclose(kl, (p * np.log(p / q)).sum(-1), rtol=1e-13)


def test_kl_properties():
    p, q = _t([0.7, 0.2, 0.1]), _t([0.1, 0.3, 0.6])
    d = msd.Categorical(dtype=ms.float64)
    pq = d.kl_loss("Categorical", q, p).asnumpy()
    qp = d.kl_loss("Categorical", p, q).asnumpy()
    # By hand: 0.7 log 7 + 0.2 log(2/3) + 0.1 log(1/6) and 0.1 log(1/7) + 0.3 log(3/2) + 0.6 log 6
    assert pq == pytest.approx(0.7 * math.log(7) + 0.2 * math.log(2 / 3) + 0.1 * math.log(1 / 6))
    assert qp == pytest.approx(0.1 * math.log(1 / 7) + 0.3 * math.log(1.5) + 0.6 * math.log(6))
    assert pq > 0 and qp > 0 and pq != pytest.approx(qp)  # not symmetric
    assert d.kl_loss("Categorical", p, p).asnumpy() == 0.0
