"""The Logistic distribution (layer 5)."""

from __future__ import annotations

import math

from minispore import dtype as mstype
from minispore.nn.probability.distribution.distribution import _LocScale
from minispore.prims import elementwise as E


class Logistic(_LocScale):
    r"""Logistic distribution: cdf sigmoid((x - loc) / scale).

    Args:
        loc: the location. Default: None.
        scale: the scale, > 0. Default: None.
        seed: Default: None.
        dtype: a float dtype. Default: mstype.float32.
        name: Default: 'Logistic'.

    Per-call parameters: ``loc``, ``scale``. `kl_loss` and `cross_entropy` are not implemented
    (no closed form), as in MindSpore.

    Raises:
        ValueError: `scale` <= 0.
    """

    _REPR_LABELS = ("location", "scale")

    def __init__(self, loc=None, scale=None, seed=None, dtype=mstype.float32, name="Logistic"):
        self._init_loc_scale(locals())

    def _mean(self, loc, scale):
        return loc

    def _mode(self, loc, scale):
        return loc

    def _sd(self, loc, scale):
        return E.mul(scale, math.pi / math.sqrt(3))

    def _entropy(self, loc, scale):
        return E.add(E.log(scale), 2.0)

    def _log_prob(self, x, loc, scale):
        z = E.div(E.sub(x, loc), scale)
        return E.sub(E.sub(E.neg(z), E.mul(2.0, E.softplus(E.neg(z)))), E.log(scale))

    def _cdf(self, x, loc, scale):
        return E.sigmoid(E.div(E.sub(x, loc), scale))

    def _log_cdf(self, x, loc, scale):
        return E.neg(E.softplus(E.div(E.sub(loc, x), scale)))

    def _survival_function(self, x, loc, scale):
        return E.sigmoid(E.div(E.sub(loc, x), scale))

    def _log_survival(self, x, loc, scale):
        return E.neg(E.softplus(E.div(E.sub(x, loc), scale)))

    def _sample(self, shape, dtype, loc, scale):
        u = self._uniform(shape + self._batch(loc, scale))
        z = E.cast(E.sub(E.log(u), E.log1p(E.neg(u))), dtype=dtype)
        return E.add(loc, E.mul(scale, z))
