"""The Normal distribution (layer 5)."""

from __future__ import annotations

from minispore import dtype as mstype
from minispore.nn.probability.distribution import _utils as U
from minispore.nn.probability.distribution.distribution import Distribution
from minispore.prims import elementwise as E
from minispore.prims import random as R


class Normal(Distribution):
    r"""Normal distribution N(mean, sd^2) on the real line, MindSpore's `msd.Normal`.

    Args:
        mean: the mean (int, float, list, ndarray or Tensor). Default: None (then given per call).
        sd: the standard deviation, > 0. Default: None.
        seed: seed of `sample` (see `Distribution`). Default: None.
        dtype: a float dtype. Default: mstype.float32.
        name: Default: 'Normal'.

    Per-call parameters: ``mean``, ``sd``. `cdf`, `survival_function` and their logarithms use
    erfc and log Phi, so they keep their relative accuracy in the tails (MindSpore's `log_cdf` is
    -inf below about -9 in float32).

    Raises:
        ValueError: `sd` <= 0.
        TypeError: `dtype` is not a float type.

    Example:
        >>> n = msd.Normal(3.0, 4.0)
        >>> n.prob(Tensor([1.0, 2.0]))               # [0.08801612 0.09666692]
        >>> n.log_prob(Tensor([1.0]), mean=Tensor([0.0]), sd=Tensor([1.0]))  # [-1.4189385]
    """

    PARAMETERS = {"mean": "real", "sd": "positive"}
    _REPR_LABELS = ("mean", "standard deviation")

    def __init__(self, mean=None, sd=None, seed=None, dtype=mstype.float32, name="Normal"):
        self._init_params(locals(), U.FLOAT_TYPES, mean="_mean_value", sd="_sd_value")

    def _mean(self, mean, sd):
        return mean

    def _mode(self, mean, sd):
        return mean

    def _sd(self, mean, sd):
        return sd

    def _entropy(self, mean, sd):
        return E.add(0.5 * (U.LOG_2PI + 1.0), E.log(sd))

    def _log_prob(self, x, mean, sd):
        z = E.div(E.sub(x, mean), sd)
        return E.sub(E.mul(-0.5, E.square(z)), E.add(E.log(sd), 0.5 * U.LOG_2PI))

    def _cdf(self, x, mean, sd):
        return U.ndtr(E.div(E.sub(x, mean), sd))

    def _survival_function(self, x, mean, sd):
        return U.ndtr(E.div(E.sub(mean, x), sd))

    def _log_cdf(self, x, mean, sd):
        return U.log_ndtr(E.div(E.sub(x, mean), sd))

    def _log_survival(self, x, mean, sd):
        return U.log_ndtr(E.div(E.sub(mean, x), sd))

    def _kl_loss(self, a, b):
        (mean_a, sd_a), (mean_b, sd_b) = a, b
        # NOTE: MindSpore's form, 0.5 ((ma - mb)/sb)^2 + 0.5 expm1(2 d) - d with d = log sa - log sb,
        # exact as the two distributions approach each other.
        d = E.sub(E.log(sd_a), E.log(sd_b))
        sq = E.square(E.div(E.sub(mean_a, mean_b), sd_b))
        return E.sub(E.add(E.mul(0.5, sq), E.mul(0.5, E.expm1(E.mul(2.0, d)))), d)

    def _sample(self, shape, dtype, mean, sd):
        eps = R.random_normal(shape=shape + self._batch(mean, sd), dtype=dtype)
        return E.add(mean, E.mul(sd, eps))
