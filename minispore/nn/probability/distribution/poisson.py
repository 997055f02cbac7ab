"""The Poisson distribution (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore import dtype as mstype
from minispore.core.primitive import concrete
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import F64, Distribution
from minispore.prims import elementwise as E
from minispore.prims import random as R
from minispore.prims import special as S


class Poisson(Distribution):
    r"""Poisson distribution: P(k) = rate^k e^-rate / k! on k = 0, 1, 2, ....

    Args:
        rate: the mean, > 0. Default: None. (MindSpore refuses Python scalars; accepted here.)
        seed: Default: None.
        dtype: the samples' dtype. Default: mstype.float32.
        name: Default: 'Poisson'.

    Per-call parameters: ``rate``. `log_prob` at a non-integer value is the continuous extension
    k log rate - rate - lgamma(k + 1), as in MindSpore (-inf below 0). `cdf` is the step function
    igammac(floor(k) + 1, rate) (MindSpore uses k + 1 unfloored, which is wrong between
    integers). NOTE: MindSpore has no `entropy`, `kl_loss` or `cross_entropy` for Poisson: the
    entropy here is the series -sum p log p over rate +- 12 sd (its asymptotic expansion above
    rate 1000), KL the closed form.

    Raises:
        ValueError: `rate` <= 0.
    """

    PARAMETERS = {"rate": "positive"}
    _REPR_LABELS = ("rate",)

    def __init__(self, rate=None, seed=None, dtype=mstype.float32, name="Poisson"):
        self._init_params(locals(), U.NUMBER_TYPES, rate="_rate")

    @property
    def rate(self):
        return self._rate

    def _mean(self, rate):
        return rate

    def _var(self, rate):
        return rate

    def _mode(self, rate):
        return E.floor(rate)

    def _log_prob(self, x, rate):
        neg = E.less(x, 0)
        xs = U.safe(neg, 0.0, x)
        lp = E.sub(E.sub(U.xlogy(xs, rate), rate), S.lgamma(E.add(xs, 1.0)))
        return E.where(neg, -float("inf"), lp)

    def _cdf(self, x, rate):
        neg = E.less(x, 0)
        k1 = E.add(E.floor(U.safe(neg, 0.0, x)), 1.0)
        return E.where(neg, 0.0, S.igammac(k1, rate))

    def _survival_function(self, x, rate):
        neg = E.less(x, 0)
        k1 = E.add(E.floor(U.safe(neg, 0.0, x)), 1.0)
        return E.where(neg, 1.0, S.igamma(k1, rate))

    def _entropy(self, rate):
        # -sum p log p over the window for rates below 1000; above, where the terms of log p
        # cancel (lgamma(k + 1) ~ k log k), the asymptotic expansion, exact there to 1e-14:
        # H = log(2 pi e rate) / 2 - 1/(12 rate) - 1/(24 rate^2) - 19/(360 rate^3) + O(rate^-4)
        large = E.greater_equal(rate, 1000.0)
        small_rate = U.safe(large, 1.0, rate)
        r = np.asarray(concrete(small_rate), np.float64)
        dtype = np.asarray(concrete(rate)).dtype
        series = U.window_entropy(lambda k: self._log_prob(k, small_rate), r, np.sqrt(r), dtype)
        big = U.safe(large, rate, 1000.0)
        inv = E.reciprocal(big)
        tail = E.mul(inv, E.add(1 / 12, E.mul(inv, E.add(1 / 24, E.mul(inv, 19 / 360)))))
        asymptotic = E.sub(E.mul(0.5, E.log(E.mul(2 * np.pi * np.e, big))), tail)
        return E.where(large, asymptotic, series)

    def _kl_loss(self, a, b):
        (ra,), (rb,) = a, b
        return E.add(E.sub(U.xlogy(ra, E.div(ra, rb)), ra), rb)

    def _sample(self, shape, dtype, rate):
        return R.random_poisson(rate, shape=shape + self._batch(rate), dtype=F64)
