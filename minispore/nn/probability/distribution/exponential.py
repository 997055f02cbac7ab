"""The Exponential distribution (layer 5)."""

from __future__ import annotations

from minispore import dtype as mstype
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import Distribution
from minispore.prims import elementwise as E


class Exponential(Distribution):
    r"""Exponential distribution with density rate * exp(-rate x) on [0, inf).

    Args:
        rate: the rate, > 0. Default: None.
        seed: Default: None.
        dtype: a float dtype. Default: mstype.float32.
        name: Default: 'Exponential'.

    Per-call parameters: ``rate``.

    Raises:
        ValueError: `rate` <= 0.
    """

    PARAMETERS = {"rate": "positive"}
    _REPR_LABELS = ("rate",)

    def __init__(self, rate=None, seed=None, dtype=mstype.float32, name="Exponential"):
        self._init_params(locals(), U.FLOAT_TYPES, rate="_rate")

    @property
    def rate(self):
        return self._rate

    def _mean(self, rate):
        return E.reciprocal(rate)

    def _sd(self, rate):
        return E.reciprocal(rate)

    def _mode(self, rate):
        return E.mul(rate, 0.0)

    def _entropy(self, rate):
        return E.sub(1.0, E.log(rate))

    def _log_prob(self, x, rate):
        return E.where(E.less(x, 0), -float("inf"), E.sub(E.log(rate), E.mul(rate, x)))

    def _cdf(self, x, rate):
        # NOTE: -expm1(-rate x) rather than 1 - exp(-rate x): exact for small x.
        return E.where(E.less(x, 0), 0.0, E.neg(E.expm1(E.neg(E.mul(rate, x)))))

    def _survival_function(self, x, rate):
        return E.where(E.less(x, 0), 1.0, E.exp(E.neg(E.mul(rate, x))))

    def _log_survival(self, x, rate):
        return E.where(E.less(x, 0), 0.0, E.neg(E.mul(rate, x)))

    def _kl_loss(self, a, b):
        (ra,), (rb,) = a, b
        return E.sub(E.add(E.sub(E.log(ra), E.log(rb)), E.div(rb, ra)), 1.0)

    def _sample(self, shape, dtype, rate):
        u = self._uniform(shape + self._batch(rate))
        return E.div(E.neg(E.log(u)), rate)
