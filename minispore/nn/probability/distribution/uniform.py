"""The continuous Uniform distribution (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore import dtype as mstype
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import Distribution
from minispore.prims import elementwise as E


class Uniform(Distribution):
    r"""Uniform distribution on [low, high].

    Args:
        low: the lower bound. Default: None.
        high: the upper bound, > low. Default: None.
        seed: Default: None.
        dtype: a float dtype. Default: mstype.float32.
        name: Default: 'Uniform'.

    Per-call parameters: ``low``, ``high`` (both 'real' in `PARAMETERS`; high > low is required).
    The density is 1 / (high - low) on the closed interval, as in MindSpore; `mode` is not
    implemented (every point of the interval is one), as in MindSpore.

    Raises:
        ValueError: `low` >= `high`.
    """

    PARAMETERS = {"low": "real", "high": "real"}
    _REPR_LABELS = ("low", "high")

    def __init__(self, low=None, high=None, seed=None, dtype=mstype.float32, name="Uniform"):
        self._init_params(locals(), U.FLOAT_TYPES, low="_low", high="_high")
        if self._low is not None and self._high is not None:
            lo, hi = U.concrete_array(self._low), U.concrete_array(self._high)
            if not np.all(lo < hi):
                raise ValueError(
                    f"For '{name}', 'low' must be less than 'high', but got low {lo} and high {hi}"
                )

    @property
    def low(self):
        return self._low

    @property
    def high(self):
        return self._high

    def _mean(self, low, high):
        return E.mul(E.add(low, high), 0.5)

    def _var(self, low, high):
        return E.div(E.square(E.sub(high, low)), 12.0)

    def _entropy(self, low, high):
        return E.log(E.sub(high, low))

    def _inside(self, x, low, high):
        return E.logical_and(E.greater_equal(x, low), E.less_equal(x, high))

    def _prob(self, x, low, high):
        return E.where(self._inside(x, low, high), E.reciprocal(E.sub(high, low)), 0.0)

    def _log_prob(self, x, low, high):
        inside = self._inside(x, low, high)
        return E.where(inside, E.neg(E.log(E.sub(high, low))), -float("inf"))

    def _cdf(self, x, low, high):
        c = E.div(E.sub(x, low), E.sub(high, low))
        return E.where(E.less(x, low), 0.0, E.where(E.greater(x, high), 1.0, c))

    def _survival_function(self, x, low, high):
        s = E.div(E.sub(high, x), E.sub(high, low))
        return E.where(E.less(x, low), 1.0, E.where(E.greater(x, high), 0.0, s))

    def _kl_loss(self, a, b):
        (la, ha), (lb, hb) = a, b
        kl = E.sub(E.log(E.sub(hb, lb)), E.log(E.sub(ha, la)))
        covered = E.logical_and(E.less_equal(lb, la), E.less_equal(ha, hb))
        return E.where(covered, kl, float("inf"))

    def _sample(self, shape, dtype, low, high):
        u = E.cast(self._uniform(shape + self._batch(low, high), low=0.0), dtype=dtype)
        return E.add(low, E.mul(E.sub(high, low), u))
