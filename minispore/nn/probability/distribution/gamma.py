"""The Gamma distribution (layer 5)."""

from __future__ import annotations

from minispore import dtype as mstype
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import F64, Distribution
from minispore.prims import elementwise as E
from minispore.prims import random as R
from minispore.prims import special as S


class Gamma(Distribution):
    r"""Gamma distribution with density rate^a x^(a-1) e^(-rate x) / Gamma(a), a = concentration.

    Args:
        concentration: the shape a, > 0. Default: None. (MindSpore refuses Python scalars here;
            they are accepted.)
        rate: the rate, > 0. Default: None. (Likewise.)
        seed: Default: None.
        dtype: a float dtype. Default: mstype.float32.
        name: Default: 'Gamma'.

    Per-call parameters: ``concentration``, ``rate``; `kl_loss` and `cross_entropy` name those
    of this distribution ``concentration_a``, ``rate_a``. `cdf` is igamma(a, rate x):
    differentiable in `value` and `rate` to any order, in `concentration` once. `mode` is
    (a - 1) / rate for a >= 1 and nan below (MindSpore: nan also at a = 1, where it is 0).
    `log_prob` is -inf for values < 0 (MindSpore: nan). Samples do not carry gradients.

    Raises:
        ValueError: `concentration` or `rate` <= 0.
    """

    PARAMETERS = {"concentration": "positive", "rate": "positive"}
    _REPR_LABELS = ("concentration", "rate")

    def __init__(
        self, concentration=None, rate=None, seed=None, dtype=mstype.float32, name="Gamma"
    ):
        self._init_params(locals(), U.FLOAT_TYPES, concentration="_concentration", rate="_rate")

    @property
    def concentration(self):
        return self._concentration

    @property
    def rate(self):
        return self._rate

    def _mean(self, a, rate):
        return E.div(a, rate)

    def _var(self, a, rate):
        return E.div(a, E.square(rate))

    def _sd(self, a, rate):
        return E.div(E.sqrt(a), rate)

    def _mode(self, a, rate):
        return E.where(E.greater_equal(a, 1.0), E.div(E.sub(a, 1.0), rate), float("nan"))

    def _entropy(self, a, rate):
        # a - log rate + lgamma(a) + (1 - a) digamma(a)
        head = E.add(E.sub(a, E.log(rate)), S.lgamma(a))
        return E.add(head, E.mul(E.sub(1.0, a), S.digamma(a)))

    def _log_prob(self, x, a, rate):
        neg = E.less(x, 0)
        xs = U.safe(neg, 1.0, x)
        lp = E.sub(E.sub(U.xlogy(E.sub(a, 1.0), xs), E.mul(rate, xs)), S.lgamma(a))
        lp = E.add(lp, E.mul(a, E.log(rate)))
        return E.where(neg, -float("inf"), lp)

    def _cdf(self, x, a, rate):
        neg = E.less(x, 0)
        return E.where(neg, 0.0, S.igamma(a, E.mul(rate, U.safe(neg, 0.0, x))))

    def _survival_function(self, x, a, rate):
        neg = E.less(x, 0)
        return E.where(neg, 1.0, S.igammac(a, E.mul(rate, U.safe(neg, 0.0, x))))

    def _kl_loss(self, a, b):
        (ca, ra), (cb, rb) = a, b
        # (ca - cb) psi(ca) + lgamma(cb) - lgamma(ca) + cb (log ra - log rb) + ca (rb / ra - 1)
        out = E.mul(E.sub(ca, cb), S.digamma(ca))
        out = E.add(out, E.sub(S.lgamma(cb), S.lgamma(ca)))
        out = E.add(out, E.mul(cb, E.sub(E.log(ra), E.log(rb))))
        return E.add(out, E.mul(ca, E.sub(E.div(rb, ra), 1.0)))

    def _sample(self, shape, dtype, a, rate):
        g = R.random_gamma(a, shape=shape + self._batch(a, rate), dtype=F64)
        # g * (1 / rate), as NumPy's gamma(a, scale) computes it; the rate is held constant, so
        # that no gradient flows through the draw in either parameter.
        scale = E.reciprocal(self._float64(E.stop_gradient(rate)))
        return E.mul(g, scale)
