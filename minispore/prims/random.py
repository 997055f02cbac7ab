"""Random draws as primitives, so that a captured graph draws afresh on every replay.

None has a gradient. The plain draws take no array arguments; those of the distributions
(gamma, beta, Poisson, binomial) take their parameters as arrays, which broadcast to `shape`.
One generator, reseeded by `set_seed`.
"""

from __future__ import annotations

import numpy as np

from minispore.core.batching import align, axis_size, loop_batch, with_primitive
from minispore.core.primitive import Primitive


class _State:
    """Holds the generator; it is created on first use, since numpy.random is slow to import."""

    _rng = None

    @property
    def rng(self):
        if self._rng is None:
            self._rng = np.random.default_rng()
        return self._rng

    def __getitem__(self, key):  # _state.rng, kept for the initializers
        return self.rng

    def reseed(self, seed):
        self._rng = np.random.default_rng(seed)


_state = _State()


def seed_generator(seed):
    _state.reseed(seed)


def get_generator():
    """The generator random primitives draw from (tests save and restore it)."""
    return _state.rng


def set_generator(rng):
    _state._rng = rng


def _normal_impl(*, shape, dtype, mean=0.0, stddev=1.0):
    return _state.rng.normal(mean, stddev, size=shape).astype(dtype)


def _uniform_impl(*, shape, dtype, low=0.0, high=1.0):
    return _state.rng.uniform(low, high, size=shape).astype(dtype)


def _randint_impl(*, shape, dtype, low, high):
    return _state.rng.integers(low, high, size=shape).astype(dtype)


def _permutation_impl(*, n, dtype):
    return _state.rng.permutation(n).astype(dtype)


def _f64(x):
    return np.asarray(x, dtype=np.float64)


# The distributions' draws call NumPy's own samplers in float64, then cast: a seed gives the
# numbers the generator gives when called directly.
def _gamma_impl(concentration, *, shape, dtype):
    return _state.rng.standard_gamma(_f64(concentration), size=shape).astype(dtype)


def _beta_impl(a, b, *, shape, dtype):
    return _state.rng.beta(_f64(a), _f64(b), size=shape).astype(dtype)


def _poisson_impl(rate, *, shape, dtype):
    return _state.rng.poisson(_f64(rate), size=shape).astype(dtype)


def _binomial_impl(total_count, probs, *, shape, dtype):
    n = np.asarray(total_count)
    if n.dtype.kind not in "iu":
        n = n.astype(np.int64)  # float counts truncate toward zero
    return _state.rng.binomial(n, _f64(probs), size=shape).astype(dtype)


def _draw_batch_rule(prim, args, dims, *, shape, dtype):
    # Independent draws for every example: one call drawing the batched shape, with each
    # parameter array given the batch axis first (unmapped ones broadcast as they are).
    n = axis_size(args, dims)
    call = [a if d is None else align(a, d, len(shape)) for a, d in zip(args, dims)]
    return prim(*call, shape=(n,) + tuple(shape), dtype=dtype), 0


_draw_batch = with_primitive(_draw_batch_rule)

# The plain draws take no array argument, so vmap never batches them: one draw, the same for
# every example (as MindSpore's vmap documents). Their rule is the loop, for completeness.
random_normal = Primitive("random_normal", _normal_impl, pure=False, batch=loop_batch, fresh=True)
random_uniform = Primitive(
    "random_uniform", _uniform_impl, pure=False, batch=loop_batch, fresh=True
)
random_randint = Primitive(
    "random_randint", _randint_impl, pure=False, batch=loop_batch, fresh=True
)
random_permutation = Primitive(
    "random_permutation", _permutation_impl, pure=False, batch=loop_batch, fresh=True
)
# Unit rate: Gamma(a, rate) is random_gamma(a) / rate.
random_gamma = Primitive("random_gamma", _gamma_impl, pure=False, batch=_draw_batch, fresh=True)
random_beta = Primitive("random_beta", _beta_impl, pure=False, batch=_draw_batch, fresh=True)
random_poisson = Primitive(
    "random_poisson", _poisson_impl, pure=False, batch=_draw_batch, fresh=True
)
random_binomial = Primitive(
    "random_binomial", _binomial_impl, pure=False, batch=_draw_batch, fresh=True
)
