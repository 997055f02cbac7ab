"""The Bernoulli distribution (layer 5)."""

from __future__ import annotations

from minispore import dtype as mstype
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import Distribution
from minispore.prims import elementwise as E


def _neg_entropy(p):
    """p log p + (1 - p) log(1 - p), with 0 log 0 = 0."""
    return E.add(U.xlogy(p, p), U.xlog1py(E.sub(1.0, p), E.neg(p)))


class Bernoulli(Distribution):
    r"""Bernoulli distribution: P(1) = probs, P(0) = 1 - probs.

    Args:
        probs: the probability of 1, in [0, 1]. Default: None.
        seed: Default: None.
        dtype: the samples' dtype. Default: mstype.int32.
        name: Default: 'Bernoulli'.

    Per-call parameter: ``probs1`` (MindSpore's name; ``probs1_b``, ``probs1`` in `kl_loss`).
    NOTE: probs of exactly 0 or 1 are accepted (MindSpore requires 0 < probs < 1), and `log_prob`
    uses 0 log 0 = 0 instead of MindSpore's clamping of probs to [eps, 1 - eps]. `mode` is 1 where
    probs > 0.5, else 0 (MindSpore's `mode` fails with a TypeError).

    Raises:
        ValueError: `probs` outside [0, 1].
    """

    PARAMETERS = {"probs1": "unit_interval"}
    _REPR_LABELS = ("probs",)

    def __init__(self, probs=None, seed=None, dtype=mstype.int32, name="Bernoulli"):
        self._init_params(locals(), U.NUMBER_TYPES, probs="_probs")
        U.probability(name, self._probs, "probs")

    @property
    def probs(self):
        return self._probs

    def _mean(self, p):
        return p

    def _mode(self, p):
        return self._out(E.where(E.greater(p, 0.5), 1.0, 0.0), p.dtype)

    def _var(self, p):
        return E.mul(p, E.sub(1.0, p))

    def _entropy(self, p):
        return U.minus(_neg_entropy(p))

    def _log_prob(self, x, p):
        # NOTE: x log p + (1 - x) log(1 - p) on [0, 1] (MindSpore's formula, which also serves
        # soft labels); -inf outside, where MindSpore extends the formula.
        inside = E.logical_and(E.greater_equal(x, 0), E.less_equal(x, 1))
        xs = U.safe(inside, x, 0.0)
        lp = E.add(U.xlogy(xs, p), U.xlog1py(E.sub(1.0, xs), E.neg(p)))
        return E.where(inside, lp, -float("inf"))

    def _cdf(self, x, p):
        k = E.floor(x)
        return E.where(E.less(k, 0), 0.0, E.where(E.less(k, 1), E.sub(1.0, p), 1.0))

    def _survival_function(self, x, p):
        k = E.floor(x)
        return E.where(E.less(k, 0), 1.0, E.where(E.less(k, 1), p, 0.0))

    def _kl_loss(self, a, b):
        (pa,), (pb,) = a, b
        cross = E.add(U.xlogy(pa, pb), U.xlog1py(E.sub(1.0, pa), E.neg(pb)))
        return E.sub(_neg_entropy(pa), cross)

    def _cross_entropy(self, a, b):
        (pa,), (pb,) = a, b
        return U.minus(E.add(U.xlogy(pa, pb), U.xlog1py(E.sub(1.0, pa), E.neg(pb))))

    def _sample(self, shape, dtype, p):
        u = self._uniform(shape + self._batch(p), low=0.0)
        return E.less(u, p)
