"""The LogNormal distribution: exp of a Normal (layer 5)."""

from __future__ import annotations

from minispore import dtype as mstype
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import _LocScale
from minispore.nn.probability.distribution.normal import Normal
from minispore.prims import elementwise as E
from minispore.prims import random as R


class LogNormal(_LocScale):
    r"""LogNormal distribution: X = exp(Y) with Y ~ N(loc, scale^2), on (0, inf).

    MindSpore's `msd.LogNormal` (a TransformedDistribution of Normal by the Exp bijector; here a
    plain Distribution, so its repr lists no sub-cells).

    Args:
        loc: the mean of log X. Default: None.
        scale: the standard deviation of log X, > 0. Default: None.
        seed: Default: 0.
        dtype: a float dtype. Default: mstype.float32.
        name: Default: 'LogNormal'.

    Per-call parameters: ``loc``, ``scale``. NOTE: `log_prob` is -inf (prob 0) for values <= 0,
    where MindSpore returns nan.

    Raises:
        ValueError: `scale` <= 0.
    """

    def __init__(self, loc=None, scale=None, seed=0, dtype=mstype.float32, name="LogNormal"):
        self._init_loc_scale(locals())

    def _z(self, x, loc, scale):
        """(log x - loc) / scale on a safe input, and where x > 0."""
        inside = E.greater(x, 0)
        return E.div(E.sub(E.log(U.safe(inside, x, 1.0)), loc), scale), inside

    def _mean(self, loc, scale):
        return E.exp(E.add(loc, E.mul(0.5, E.square(scale))))

    def _mode(self, loc, scale):
        return E.exp(E.sub(loc, E.square(scale)))

    def _var(self, loc, scale):
        s2 = E.square(scale)
        return E.mul(E.expm1(s2), E.exp(E.add(E.mul(2.0, loc), s2)))

    def _entropy(self, loc, scale):
        return E.add(E.add(loc, E.log(scale)), 0.5 + 0.5 * U.LOG_2PI)

    def _log_prob(self, x, loc, scale):
        z, inside = self._z(x, loc, scale)
        logx = E.log(U.safe(inside, x, 1.0))
        lp = E.sub(E.mul(-0.5, E.square(z)), E.add(E.add(E.log(scale), 0.5 * U.LOG_2PI), logx))
        return E.where(inside, lp, -float("inf"))

    def _cdf(self, x, loc, scale):
        z, inside = self._z(x, loc, scale)
        return E.where(inside, U.ndtr(z), 0.0)

    def _survival_function(self, x, loc, scale):
        z, inside = self._z(x, loc, scale)
        return E.where(inside, U.ndtr(E.neg(z)), 1.0)

    def _log_cdf(self, x, loc, scale):
        z, inside = self._z(x, loc, scale)
        return E.where(inside, U.log_ndtr(z), -float("inf"))

    def _log_survival(self, x, loc, scale):
        z, inside = self._z(x, loc, scale)
        return E.where(inside, U.log_ndtr(E.neg(z)), 0.0)

    def _kl_loss(self, a, b):
        return Normal._kl_loss(self, a, b)

    def _sample(self, shape, dtype, loc, scale):
        eps = R.random_normal(shape=shape + self._batch(loc, scale), dtype=dtype)
        return E.exp(E.add(loc, E.mul(scale, eps)))
