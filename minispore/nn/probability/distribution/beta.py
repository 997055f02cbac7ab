"""The Beta distribution (layer 5)."""

from __future__ import annotations

from minispore import dtype as mstype
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import F64, Distribution
from minispore.prims import elementwise as E
from minispore.prims import random as R
from minispore.prims import special as S


class Beta(Distribution):
    r"""Beta distribution on [0, 1] with density x^(a-1) (1-x)^(b-1) / B(a, b).

    Args:
        concentration1: a (alpha), > 0. Default: None. (MindSpore refuses Python floats here;
            they are accepted.)
        concentration0: b (beta), > 0. Default: None.
        seed: Default: None.
        dtype: a float dtype. Default: mstype.float32.
        name: Default: 'Beta'.

    Per-call parameters: ``concentration1``, ``concentration0`` (``..._a`` in `kl_loss`).
    NOTE: MindSpore's Beta has no `cdf`; here `cdf` and `survival_function` are the regularized
    incomplete beta function (differentiable in `value` only; in the concentrations it raises).
    `log_prob` is -inf outside [0, 1] (MindSpore: nan). `mode` is nan unless both
    concentrations exceed 1, as in MindSpore. Samples do not carry gradients.

    Raises:
        ValueError: a concentration <= 0.
    """

    PARAMETERS = {"concentration1": "positive", "concentration0": "positive"}
    _REPR_LABELS = ("concentration1", "concentration0")

    def __init__(
        self, concentration1=None, concentration0=None, seed=None, dtype=mstype.float32, name="Beta"
    ):
        self._init_params(
            locals(),
            U.FLOAT_TYPES,
            concentration1="_concentration1",
            concentration0="_concentration0",
        )

    @property
    def concentration1(self):
        return self._concentration1

    @property
    def concentration0(self):
        return self._concentration0

    def _mean(self, a, b):
        return E.div(a, E.add(a, b))

    def _var(self, a, b):
        total = E.add(a, b)
        return E.div(E.mul(a, b), E.mul(E.square(total), E.add(total, 1.0)))

    def _mode(self, a, b):
        both = E.logical_and(E.greater(a, 1.0), E.greater(b, 1.0))
        return E.where(both, E.div(E.sub(a, 1.0), E.sub(E.add(a, b), 2.0)), float("nan"))

    def _entropy(self, a, b):
        total = E.add(a, b)
        out = E.sub(U.lbeta(a, b), E.mul(E.sub(a, 1.0), S.digamma(a)))
        out = E.sub(out, E.mul(E.sub(b, 1.0), S.digamma(b)))
        return E.add(out, E.mul(E.sub(total, 2.0), S.digamma(total)))

    def _log_prob(self, x, a, b):
        inside = E.logical_and(E.greater_equal(x, 0), E.less_equal(x, 1))
        xs = U.safe(inside, x, 0.5)
        lp = E.add(U.xlogy(E.sub(a, 1.0), xs), U.xlog1py(E.sub(b, 1.0), E.neg(xs)))
        return E.where(inside, E.sub(lp, U.lbeta(a, b)), -float("inf"))

    def _cdf(self, x, a, b):
        clipped = E.minimum(E.maximum(x, 0.0), 1.0)
        inside = E.logical_and(E.greater(x, 0), E.less(x, 1))
        value = S.betainc(a, b, U.safe(inside, x, 0.5))
        return E.where(inside, value, clipped)

    def _survival_function(self, x, a, b):
        inside = E.logical_and(E.greater(x, 0), E.less(x, 1))
        value = S.betainc(b, a, E.sub(1.0, U.safe(inside, x, 0.5)))
        return E.where(inside, value, E.where(E.less_equal(x, 0), 1.0, 0.0))

    def _kl_loss(self, p, q):
        (a1, b1), (a2, b2) = p, q
        t1, t2 = E.add(a1, b1), E.add(a2, b2)
        out = E.sub(U.lbeta(a2, b2), U.lbeta(a1, b1))
        out = E.sub(out, E.mul(S.digamma(a1), E.sub(a2, a1)))
        out = E.sub(out, E.mul(S.digamma(b1), E.sub(b2, b1)))
        return E.add(out, E.mul(S.digamma(t1), E.sub(t2, t1)))

    def _sample(self, shape, dtype, a, b):
        return R.random_beta(a, b, shape=shape + self._batch(a, b), dtype=F64)
