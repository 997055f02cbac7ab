"""The Geometric distribution: failures before the first success (layer 5)."""

from __future__ import annotations

from minispore import dtype as mstype
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import Distribution
from minispore.prims import elementwise as E


class Geometric(Distribution):
    r"""Geometric distribution: P(k) = probs (1 - probs)^k, k = 0, 1, 2, ... failures before the
    first success of Bernoulli(probs) trials (scipy's `geom` counts trials: it is shifted by 1).

    Args:
        probs: the success probability, in (0, 1]. Default: None.
        seed: Default: None.
        dtype: the samples' dtype. Default: mstype.int32.
        name: Default: 'Geometric'.

    Per-call parameter: ``probs1`` (MindSpore's name). Values are floored, as in MindSpore.
    NOTE: probs = 1 is accepted (MindSpore requires probs < 1).

    Raises:
        ValueError: `probs` outside (0, 1].
    """

    PARAMETERS = {"probs1": "unit_interval"}
    _REPR_LABELS = ("probs",)

    def __init__(self, probs=None, seed=None, dtype=mstype.int32, name="Geometric"):
        self._init_params(locals(), U.NUMBER_TYPES, probs="_probs")
        U.probability(name, self._probs, "probs", open_low=True)

    @property
    def probs(self):
        return self._probs

    def _mean(self, p):
        return E.div(E.sub(1.0, p), p)

    def _var(self, p):
        return E.div(E.sub(1.0, p), E.square(p))

    def _mode(self, p):
        return self._out(E.mul(p, 0.0), p.dtype)

    def _entropy(self, p):
        neg = E.add(U.xlogy(p, p), U.xlog1py(E.sub(1.0, p), E.neg(p)))
        return U.minus(E.div(neg, p))

    def _log_prob(self, x, p):
        k = E.floor(x)
        neg = E.less(k, 0)
        lp = E.add(E.log(p), U.xlog1py(U.safe(neg, 0.0, k), E.neg(p)))
        return E.where(neg, -float("inf"), lp)

    def _log_survival(self, x, p):
        k = E.floor(x)
        neg = E.less(k, 0)
        return E.where(neg, 0.0, U.xlog1py(E.add(U.safe(neg, 0.0, k), 1.0), E.neg(p)))

    def _survival_function(self, x, p):
        return E.exp(self._log_survival(x, p))

    def _cdf(self, x, p):
        return E.neg(E.expm1(self._log_survival(x, p)))

    def _kl_loss(self, a, b):
        (pa,), (pb,) = a, b
        qa = E.sub(1.0, pa)
        tail = E.sub(U.xlog1py(qa, E.neg(pa)), U.xlog1py(qa, E.neg(pb)))
        return E.add(E.sub(E.log(pa), E.log(pb)), E.div(tail, pa))

    def _sample(self, shape, dtype, p):
        u = self._uniform(shape + self._batch(p))
        return E.floor(E.div(E.log(u), E.log1p(E.neg(p))))
