"""`mindspore.dataset.config`: the data pipeline's seed and default worker count (layer 5).

Randomness in pipelines (source shuffling, `shuffle`, `split`, random transforms) follows one
rule: with a seed set, by `config.set_seed` or by `minispore.set_seed` (the later call wins), a
pipeline built the same way gives the same orders, epoch after epoch, in every run; without a
seed every pass draws fresh entropy. Each random node counts its passes: pass k of a node draws
from a generator seeded by ``(seed, node depth, k)``, so epochs differ from one another, and
setting the seed again starts every node's count afresh.
"""

from __future__ import annotations

import random
import threading

import numpy as np

# MindSpore reports std::mt19937's default seed when none was set.
_DEFAULT_SEED = 5489
_UINT32_MAX = 2**32 - 1

_state = {"seed": None, "generation": 0, "workers": 1, "global_seen": None}
_lock = threading.Lock()


def set_seed(seed):
    """Seed the data pipeline, Python's `random` and NumPy's global generator, as MindSpore.

    Args:
        seed (int): a non-negative integer up to 2**32 - 1.

    Raises:
        TypeError: `seed` is not an int.
        ValueError: `seed` is out of range.

    Example:
        >>> import minispore.dataset as ds
        >>> ds.config.set_seed(1000)
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"For 'set_seed', 'seed' must be an int, but got {type(seed).__name__}")
    if seed < 0 or seed > _UINT32_MAX:
        raise ValueError(
            f"For 'set_seed', 'seed' must be within [0, UINT32_MAX(4294967295)], but got {seed}"
        )
    _reseed(seed)
    _state["global_seen"] = _global_seed()  # an earlier minispore.set_seed no longer applies
    random.seed(seed)
    np.random.seed(seed)


def get_seed():
    """The pipeline seed: the last one given to `set_seed` or `minispore.set_seed`, else 5489.

    5489 is the value MindSpore reports when no seed was set; an unseeded pipeline still
    shuffles with fresh entropy on every pass, as MindSpore's does.
    """
    seed = _effective_seed()
    return _DEFAULT_SEED if seed is None else seed


def set_num_parallel_workers(num):
    """Set the worker count `map` uses when its `num_parallel_workers` is None.

    The default is 1 (MindSpore's is 8): per-row work in Python gains nothing from threads
    unless it releases the GIL, so extra workers are opt-in.

    Raises:
        TypeError, ValueError: `num` is not a positive int.
    """
    if not isinstance(num, int) or isinstance(num, bool):
        raise TypeError(
            f"For 'set_num_parallel_workers', 'num' must be an int, but got {type(num).__name__}"
        )
    if num <= 0:
        raise ValueError(f"For 'set_num_parallel_workers', 'num' must be positive, but got {num}")
    _state["workers"] = num


def get_num_parallel_workers():
    """The worker count `map` uses when its `num_parallel_workers` is None (default 1)."""
    return _state["workers"]


def _reseed(seed):
    with _lock:
        _state["seed"] = seed
        _state["generation"] += 1


def _global_seed_set(seed):
    """Hook for `minispore.set_seed`: it seeds the pipeline too, as `mindspore.set_seed` does."""
    _reseed(seed)
    _state["global_seen"] = seed


def _effective_seed():
    """The pipeline seed, following a `minispore.set_seed` made since the last `set_seed`.

    `minispore.set_seed` is noticed by its value here, so that it seeds pipelines even when
    `minispore.context` does not call `_global_seed_set`.
    """
    seen = _global_seed()
    if seen is not None and seen != _state["global_seen"]:
        _global_seed_set(seen)
    return _state["seed"]


def _global_seed():
    from minispore.context import get_seed

    return get_seed()


def pass_rng(node, advance=True):
    """The generator for one pass of a random pipeline node (see the module docstring).

    Args:
        node: a node with `_salt` (its depth) and the `_rng_generation`/`_rng_count` slots.
        advance: count this pass (False for look-ahead passes such as `output_shapes`).
    """
    seed = _effective_seed()
    if seed is None:
        return np.random.default_rng()
    with _lock:
        generation = _state["generation"]
        if node._rng_generation != generation:
            node._rng_generation = generation
            node._rng_count = 0
        count = node._rng_count
        if advance:
            node._rng_count += 1
    return np.random.default_rng([seed, node._salt, count])


def fixed_rng(node):
    """A generator fixed once for a node's lifetime (`split`): from the pipeline seed and the
    node's depth, or fresh entropy without a seed."""
    seed = _effective_seed()
    return np.random.default_rng(None if seed is None else [seed, node._salt, 0x5B117])


def op_rng(op):
    """The generator of a random transform (`RandomCrop`, ...): seeded from the pipeline seed
    when one is set (restarting when it is set again), else from fresh entropy."""
    seed = _effective_seed()
    generation = _state["generation"] if seed is not None else None
    if op._rng is None or op._rng_generation != generation:
        op._rng_generation = generation
        op._rng = np.random.default_rng(None if seed is None else [seed, op._salt])
    return op._rng


__all__ = [
    "get_num_parallel_workers",
    "get_seed",
    "set_num_parallel_workers",
    "set_seed",
]
