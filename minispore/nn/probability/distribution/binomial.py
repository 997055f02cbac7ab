"""The Binomial distribution, which MindSpore 2.10 lacks, with MindSpore's conventions (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore import dtype as mstype
from minispore.core.primitive import concrete
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import F64, Distribution
from minispore.prims import elementwise as E
from minispore.prims import random as R
from minispore.prims import special as S


class Binomial(Distribution):
    r"""Binomial distribution: successes in `total_count` Bernoulli(probs) trials.

    MindSpore 2.10 has no Binomial; this one follows the conventions of its Bernoulli (argument
    order, `seed`/`dtype`/`name`, per-call parameters, errors).

    Args:
        total_count: the number of trials, a non-negative integer. Default: None.
        probs: the success probability, in [0, 1]. Default: None.
        seed: Default: None.
        dtype: the samples' dtype. Default: mstype.int32.
        name: Default: 'Binomial'.

    Per-call parameters: ``total_count``, ``probs``. `log_prob` at a non-integer value in
    [0, total_count] is the continuous extension (lgamma for the factorials), like Poisson's;
    `cdf` is the step function I_{1-p}(n - k, k + 1), differentiable in `probs`. `kl_loss` needs
    equal total counts.

    Raises:
        ValueError: `total_count` not a non-negative integer, or `probs` outside [0, 1].

    Example:
        >>> b = msd.Binomial(10, 0.3)
        >>> b.prob(Tensor([3.0]))     # [0.26682793]
    """

    PARAMETERS = {"total_count": "nonnegative_integer", "probs": "unit_interval"}
    _REPR_LABELS = ("total_count", "probs")

    def __init__(
        self, total_count=None, probs=None, seed=None, dtype=mstype.int32, name="Binomial"
    ):
        self._init_params(locals(), U.NUMBER_TYPES, total_count="_total_count", probs="_probs")
        U.check_values(
            name,
            self._total_count,
            "total_count",
            lambda v: (v >= 0) & (v == np.floor(v)),
            "a non-negative integer",
        )
        U.probability(name, self._probs, "probs")

    @property
    def total_count(self):
        return self._total_count

    @property
    def probs(self):
        return self._probs

    def _mean(self, n, p):
        return E.mul(n, p)

    def _var(self, n, p):
        return E.mul(E.mul(n, p), E.sub(1.0, p))

    def _mode(self, n, p):
        return self._out(E.minimum(E.floor(E.mul(E.add(n, 1.0), p)), n), p.dtype)

    def _log_prob(self, x, n, p):
        inside = E.logical_and(E.greater_equal(x, 0), E.less_equal(x, n))
        k = U.safe(inside, x, 0.0)
        rest = E.sub(n, k)
        log_choose = E.sub(
            S.lgamma(E.add(n, 1.0)), E.add(S.lgamma(E.add(k, 1.0)), S.lgamma(E.add(rest, 1.0)))
        )
        lp = E.add(log_choose, E.add(U.xlogy(k, p), U.xlog1py(rest, E.neg(p))))
        return E.where(inside, lp, -float("inf"))

    def _split(self, x, n):
        """floor(x), and masks: below the support, at or above n, strictly inside."""
        k = E.floor(x)
        below, above = E.less(k, 0), E.greater_equal(k, n)
        inside = E.logical_not(E.logical_or(below, above))
        return U.safe(inside, k, 0.0), below, above, inside

    def _cdf(self, x, n, p):
        k, below, above, inside = self._split(x, n)
        n_safe = U.safe(inside, n, 1.0)
        value = S.betainc(E.sub(n_safe, k), E.add(k, 1.0), E.sub(1.0, p))
        return E.where(below, 0.0, E.where(above, 1.0, value))

    def _survival_function(self, x, n, p):
        k, below, above, inside = self._split(x, n)
        n_safe = U.safe(inside, n, 1.0)
        value = S.betainc(E.add(k, 1.0), E.sub(n_safe, k), p)
        return E.where(below, 1.0, E.where(above, 0.0, value))

    def _entropy(self, n, p):
        nv, pv = (np.asarray(concrete(v), np.float64) for v in (n, p))
        dtype = np.asarray(concrete(p)).dtype
        return U.window_entropy(
            lambda k: self._log_prob(k, n, p), nv * pv, np.sqrt(nv * pv * (1 - pv)), dtype, nv
        )

    def _kl_loss(self, a, b):
        (na, pa), (nb, pb) = a, b
        if not np.array_equal(*np.broadcast_arrays(concrete(na), concrete(nb))):
            raise ValueError(
                f"For '{self.name}.kl_loss', the total counts of the two distributions must be "
                f"equal, but got {np.asarray(concrete(na))} and {np.asarray(concrete(nb))}"
            )
        qa = E.sub(1.0, pa)
        per_trial = E.sub(
            E.add(U.xlogy(pa, pa), U.xlog1py(qa, E.neg(pa))),
            E.add(U.xlogy(pa, pb), U.xlog1py(qa, E.neg(pb))),
        )
        return E.mul(na, per_trial)

    def _sample(self, shape, dtype, n, p):
        return R.random_binomial(n, p, shape=shape + self._batch(n, p), dtype=F64)
