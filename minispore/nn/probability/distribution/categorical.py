"""The Categorical distribution over 0, ..., K - 1 (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore import dtype as mstype
from minispore.core.primitive import concrete
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import F64, Distribution
from minispore.prims import elementwise as E
from minispore.prims import reduction as R
from minispore.prims import shape as Sh


def _last_sum(x):
    return R.reduce_sum(x, axis=(np.ndim(concrete(x)) - 1,), keepdims=False)


class Categorical(Distribution):
    r"""Categorical distribution: P(k) = probs[..., k] for k = 0, ..., K - 1.

    Args:
        probs: event probabilities along the last axis (rank >= 1, entries in [0, 1], summing
            to 1); the batch shape is `probs.shape[:-1]`. Default: None.
        seed: Default: None.
        dtype: the samples' dtype. Default: mstype.int32.
        name: Default: 'Categorical'.

    Per-call parameter: ``probs``. Values are floored (values in (-1, 0) count as 0), as in
    MindSpore. NOTE, where MindSpore differs: probabilities of exactly 0 are accepted (MindSpore
    requires 0 < p < 1, which rules out one-hot distributions); `entropy`, `kl_loss` and
    `cross_entropy` use 0 log 0 = 0 (MindSpore gives nan for a zero probability); `log_prob`
    of a value outside 0..K-1 is -inf (MindSpore: nan); `mean` and `var` have the batch shape
    (MindSpore keeps a trailing axis of 1).

    Raises:
        ValueError: `probs` of rank 0, outside [0, 1], or not summing to 1.

    Example:
        >>> p = msd.Categorical(Tensor([1.0, 0.0, 0.0]))
        >>> p.cross_entropy('Categorical', Tensor([0.6, 0.2, 0.2]))   # -log 0.6 = 0.5108256
    """

    PARAMETERS = {"probs": "simplex"}
    _REPR_LABELS = ("probs",)

    def __init__(self, probs=None, seed=None, dtype=mstype.int32, name="Categorical"):
        self._init_params(locals(), U.NUMBER_TYPES, probs="_probs")
        if self._probs is not None:
            v = U.concrete_array(self._probs).astype(np.float64)
            if v.ndim == 0:
                raise ValueError(f"For '{name}', 'probs' must have rank >= 1, but got a scalar")
            U.probability(name, self._probs, "probs")
            total = v.sum(axis=-1)
            tol = 10 * v.shape[-1] * np.finfo(self.parameter_type.np).eps
            if not np.allclose(total, 1.0, rtol=0.0, atol=tol):
                raise ValueError(
                    f"For '{name}', 'probs' must sum to 1 along the last axis, but the sums are "
                    f"{np.ravel(total)[:5]}"
                )
            self._is_scalar_batch = v.ndim == 1
            self._broadcast_shape = self._batch_shape = v.shape[:-1]

    @property
    def probs(self):
        return self._probs

    @staticmethod
    def _index(probs):
        k = np.shape(concrete(probs))[-1]
        return np.arange(k, dtype=np.asarray(concrete(probs)).dtype)

    def _mean(self, probs):
        return _last_sum(E.mul(probs, self._index(probs)))

    def _var(self, probs):
        i = self._index(probs)
        second = _last_sum(E.mul(probs, i * i))
        return E.sub(second, E.square(self._mean(probs)))

    def _mode(self, probs):
        index = R.argmax(probs, axis=np.ndim(concrete(probs)) - 1, keepdims=False)
        return self._out(index, probs.dtype)

    def _entropy(self, probs):
        return U.minus(_last_sum(U.xlogy(probs, probs)))

    def _kl_loss(self, a, b):
        (pa,), (pb,) = a, b
        return _last_sum(E.sub(U.xlogy(pa, pa), U.xlogy(pa, pb)))

    def _cross_entropy(self, a, b):
        (pa,), (pb,) = a, b
        return U.minus(_last_sum(U.xlogy(pa, pb)))

    @staticmethod
    def _classes(x):
        """floor(x) (with (-1, 0) mapped to 0, as MindSpore), with a trailing axis for classes."""
        k = E.where(E.logical_and(E.greater(x, -1.0), E.less(x, 0.0)), 0.0, E.floor(x))
        return Sh.reshape(k, shape=np.shape(concrete(k)) + (1,))

    def _log_prob(self, x, probs):
        k = self._classes(x)
        hit = E.equal(k, self._index(probs))
        picked = E.log(E.where(hit, probs, 1.0))
        found = _last_sum(E.where(hit, 1.0, 0.0))
        return E.where(E.greater(found, 0), _last_sum(E.where(hit, picked, 0.0)), -float("inf"))

    def _cdf(self, x, probs):
        k = self._classes(x)
        index = self._index(probs)
        partial = _last_sum(E.where(E.less_equal(index, k), probs, 0.0))
        # NOTE: exactly 1 from the last class on, whatever the rounding of the sum.
        last = E.greater_equal(Sh.reshape(k, shape=np.shape(concrete(k))[:-1]), index[-1])
        return E.where(last, 1.0, partial)

    def _sample(self, shape, dtype, probs):
        # The class is the number of cumulative probabilities <= a uniform draw: every step is a
        # primitive, so a captured graph draws afresh and follows the probabilities it is given.
        pshape = np.shape(concrete(probs))
        full = shape + pshape[:-1]
        u = Sh.reshape(self._uniform(full, low=0.0), shape=full + (1,))
        cum = R.cumsum(self._float64(probs), axis=len(pshape) - 1)
        index = _last_sum(E.cast(E.greater_equal(u, cum), dtype=F64))
        return E.minimum(index, float(pshape[-1] - 1))  # rounding: the last cumsum may be < 1
