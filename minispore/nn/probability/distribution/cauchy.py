"""The Cauchy distribution (layer 5)."""

from __future__ import annotations

import math

from minispore import dtype as mstype
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import _LocScale
from minispore.prims import elementwise as E


def _undefined(what):
    return ValueError(f"{what} is undefined for Cauchy distribution.")


class Cauchy(_LocScale):
    r"""Cauchy distribution with density 1 / (pi scale (1 + ((x - loc) / scale)^2)).

    Args:
        loc: the location. Default: None.
        scale: the scale, > 0. Default: None.
        seed: Default: None.
        dtype: a float dtype. Default: mstype.float32.
        name: Default: 'Cauchy'.

    Per-call parameters: ``loc``, ``scale``. `mean`, `sd` and `var` raise ValueError (they do
    not exist), as in MindSpore. The CDF uses atan(-1 / z) / pi below the location, so its log
    keeps its relative accuracy in the left tail.

    Raises:
        ValueError: `scale` <= 0.
    """

    _REPR_LABELS = ("location", "scale")

    def __init__(self, loc=None, scale=None, seed=None, dtype=mstype.float32, name="Cauchy"):
        self._init_loc_scale(locals())

    def _mean(self, loc, scale):
        raise _undefined("mean")

    def _sd(self, loc, scale):
        raise _undefined("standard deviation")

    def _var(self, loc, scale):
        raise _undefined("variance")

    def _mode(self, loc, scale):
        return loc

    def _entropy(self, loc, scale):
        return E.add(E.log(scale), math.log(4 * math.pi))

    def _log_prob(self, x, loc, scale):
        z = E.div(E.sub(x, loc), scale)
        return E.neg(E.add(E.log1p(E.square(z)), E.log(E.mul(math.pi, scale))))

    @staticmethod
    def _tail(z):
        """P(Z <= z) for the standard Cauchy: atan(-1/z)/pi for z < 0 (no cancellation)."""
        neg = E.less(z, 0)
        left = E.div(E.arctan(E.div(-1.0, U.safe(neg, z, -1.0))), math.pi)
        return E.where(neg, left, E.add(0.5, E.div(E.arctan(z), math.pi)))

    def _cdf(self, x, loc, scale):
        return self._tail(E.div(E.sub(x, loc), scale))

    def _survival_function(self, x, loc, scale):
        return self._tail(E.div(E.sub(loc, x), scale))

    def _kl_loss(self, a, b):
        (la, sa), (lb, sb) = a, b
        num = E.add(E.square(E.add(sa, sb)), E.square(E.sub(la, lb)))
        return E.sub(E.log(num), E.log(E.mul(4.0, E.mul(sa, sb))))

    def _sample(self, shape, dtype, loc, scale):
        u = E.cast(self._uniform(shape + self._batch(loc, scale), low=0.0), dtype=dtype)
        return E.add(loc, E.mul(scale, E.tan(E.mul(math.pi, E.sub(u, 0.5)))))
