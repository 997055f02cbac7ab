"""The Gumbel distribution (layer 5)."""

from __future__ import annotations

import math

from minispore import dtype as mstype
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import _LocScale
from minispore.prims import elementwise as E
from minispore.prims import special as S

_EULER = 0.5772156649015329


class Gumbel(_LocScale):
    r"""Gumbel (maximum) distribution: cdf exp(-exp(-(x - loc) / scale)).

    MindSpore's `msd.Gumbel` (a TransformedDistribution there; a plain Distribution here, so its
    repr lists no sub-cells).

    Args:
        loc: the location. MindSpore requires it; here it may be None and given per call.
        scale: the scale, > 0. Likewise.
        seed: Default: 0.
        dtype: a float dtype. Default: mstype.float32.
        name: Default: 'Gumbel'.

    Per-call parameters: ``loc``, ``scale``. NOTE: MindSpore's Gumbel takes its parameters at
    construction only; here they may also be given per call, like every other distribution
    (and `kl_loss('Gumbel', loc_b, scale_b[, loc_a, scale_a])`).

    Raises:
        ValueError: `scale` <= 0.
    """

    def __init__(self, loc=None, scale=None, seed=0, dtype=mstype.float32, name="Gumbel"):
        self._init_loc_scale(locals())

    def _mean(self, loc, scale):
        return E.add(loc, E.mul(scale, _EULER))

    def _mode(self, loc, scale):
        return loc

    def _sd(self, loc, scale):
        return E.mul(scale, math.pi / math.sqrt(6))

    def _entropy(self, loc, scale):
        return E.add(E.log(scale), 1.0 + _EULER)

    def _log_prob(self, x, loc, scale):
        z = E.div(E.sub(x, loc), scale)
        return E.sub(E.neg(E.add(z, E.exp(E.neg(z)))), E.log(scale))

    def _log_cdf(self, x, loc, scale):
        return E.neg(E.exp(E.div(E.sub(loc, x), scale)))

    def _cdf(self, x, loc, scale):
        return E.exp(self._log_cdf(x, loc, scale))

    def _survival_function(self, x, loc, scale):
        return E.neg(E.expm1(self._log_cdf(x, loc, scale)))

    def _log_survival(self, x, loc, scale):
        # log(1 - e^-t) with t = -log cdf: log1p(-e^-t) where the cdf is small (t > log 2),
        # log(-expm1(-t)) where it is close to 1.
        t = E.exp(E.div(E.sub(loc, x), scale))
        big = E.greater(t, math.log(2.0))
        far = E.log1p(E.neg(E.exp(E.neg(U.safe(big, t, 1.0)))))
        near = E.log(E.neg(E.expm1(E.neg(U.safe(big, 1.0, t)))))
        return E.where(big, far, near)

    def _kl_loss(self, a, b):
        (la, sa), (lb, sb) = a, b
        ratio = E.div(sa, sb)
        # log(sb/sa) + gamma (sa/sb - 1) + (la - lb)/sb + exp((lb - la)/sb) Gamma(sa/sb + 1) - 1
        first = E.add(E.log(E.div(sb, sa)), E.mul(_EULER, E.sub(ratio, 1.0)))
        shift = E.div(E.sub(la, lb), sb)
        last = E.expm1(E.add(E.neg(shift), S.lgamma(E.add(ratio, 1.0))))
        return E.add(E.add(first, shift), last)

    def _sample(self, shape, dtype, loc, scale):
        u = self._uniform(shape + self._batch(loc, scale))
        g = E.cast(E.neg(E.log(E.neg(E.log(u)))), dtype=dtype)
        return E.add(loc, E.mul(scale, g))
