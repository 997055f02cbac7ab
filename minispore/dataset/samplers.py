"""Samplers: which rows of a random-access source a pass reads, and in which order (layer 5).

A sampler turns the source's row count into an index array once per pass. Random samplers
draw from the pass generator the source hands them (`config.pass_rng`), so orders follow the
pipeline seed.
"""

from __future__ import annotations

import math

import numpy as np

from minispore.dataset._checks import check_bool, check_int, is_int


class Sampler:
    """Base of the samplers; `num_samples` caps how many indices a pass yields."""

    def __init__(self, num_samples=None):
        check_int(num_samples, type(self).__name__, "num_samples", 0, allow_none=True)
        self.num_samples = num_samples or None  # MindSpore reads 0 as "all"

    def _cap(self, count):
        return count if self.num_samples is None else min(count, self.num_samples)

    def _count(self, n):
        """How many indices a pass over `n` rows yields, without drawing them."""
        return self._cap(n)

    def _indices(self, n, rng):
        """The index array of one pass over `n` rows; `rng()` returns the pass generator."""
        raise NotImplementedError

    def is_shuffled(self):
        return False

    def is_sharded(self):
        return False


class SequentialSampler(Sampler):
    """Rows in order from `start_index`."""

    def __init__(self, start_index=None, num_samples=None):
        super().__init__(num_samples)
        self.start_index = check_int(
            0 if start_index is None else start_index, "SequentialSampler", "start_index", 0
        )

    def _count(self, n):
        return self._cap(max(n - self.start_index, 0))

    def _indices(self, n, rng):
        return np.arange(self.start_index, self.start_index + self._count(n))


class RandomSampler(Sampler):
    """A fresh random order every pass; with `replacement`, independent draws."""

    def __init__(self, replacement=False, num_samples=None):
        super().__init__(num_samples)
        self.replacement = check_bool(replacement, "RandomSampler", "replacement")

    def _indices(self, n, rng):
        count = self._count(n)
        if self.replacement:
            return rng().integers(0, n, size=count) if n else np.zeros(0, np.int64)
        return rng().permutation(n)[:count]

    def is_shuffled(self):
        return True


class SubsetSampler(Sampler):
    """The given indices, in the given order."""

    def __init__(self, indices, num_samples=None):
        super().__init__(num_samples)
        self.indices = _index_array(indices, type(self).__name__)

    def _count(self, n):
        return self._cap(len(self.indices))

    def _indices(self, n, rng):
        return _in_range(self.indices[: self._count(n)], n, type(self).__name__)


class SubsetRandomSampler(SubsetSampler):
    """The given indices, in a fresh random order every pass."""

    def _indices(self, n, rng):
        idx = self.indices[rng().permutation(len(self.indices))][: self._count(n)]
        return _in_range(idx, n, type(self).__name__)

    def is_shuffled(self):
        return True


class DistributedSampler(Sampler):
    """Shard `shard_id` of `num_shards`: rows shard_id, shard_id + num_shards, ... of the
    (optionally shuffled) order, wrapping around so every shard has ceil(n / num_shards)."""

    def __init__(self, num_shards, shard_id, shuffle=True, num_samples=None, offset=-1):
        super().__init__(num_samples)
        self.num_shards = check_int(num_shards, "DistributedSampler", "num_shards", 1)
        self.shard_id = check_int(shard_id, "DistributedSampler", "shard_id", 0, num_shards - 1)
        self.shuffle = check_bool(shuffle, "DistributedSampler", "shuffle")
        self.offset = check_int(offset, "DistributedSampler", "offset", -1)

    def _count(self, n):
        return self._cap(math.ceil(n / self.num_shards) if n else 0)

    def _indices(self, n, rng):
        if n == 0:
            return np.zeros(0, np.int64)
        order = rng().permutation(n) if self.shuffle else np.arange(n)
        positions = (self.shard_id + self.num_shards * np.arange(self._count(n))) % n
        return order[positions]

    def is_shuffled(self):
        return self.shuffle

    def is_sharded(self):
        return True


class _IterSampler(Sampler):
    """A user's iterable of indices, read afresh every pass."""

    def __init__(self, iterable, num_samples=None):
        super().__init__(num_samples)
        self.iterable = iterable

    def _count(self, n):
        return len(self._indices(n, None))

    def _indices(self, n, rng):
        idx = _index_array(list(iter(self.iterable)), "sampler")
        return SubsetSampler(idx, self.num_samples)._indices(n, rng)


def _in_range(idx, n, op):
    if len(idx) and (idx.min() < 0 or idx.max() >= n):
        raise RuntimeError(
            f"For '{op}', the indices must be within [0, {n - 1}] for a dataset of {n} rows, "
            f"but got values from {idx.min()} to {idx.max()}"
        )
    return idx


def _index_array(indices, op):
    arr = np.asarray(indices)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        raise TypeError(f"For '{op}', the indices must be a 1-D sequence of ints, got {indices!r}")
    return arr.astype(np.int64)


def select_sampler(num_samples, sampler, shuffle, num_shards, shard_id):
    """MindSpore's rule for a source's sampler from its arguments.

    NOTE: MindSpore draws `num_samples` rows *with replacement* when shuffling; this draws a
    random subset without replacement (no row twice in an epoch).
    """
    if sampler is not None:
        if isinstance(sampler, Sampler):
            if any(arg is not None for arg in (num_shards, shard_id, shuffle, num_samples)):
                raise ValueError(
                    "Conflicting arguments during sampler assignments. num_samples: "
                    f"{num_samples}, num_shards: {num_shards}, shard_id: {shard_id}, "
                    f"shuffle: {shuffle}."
                )
            return sampler
        if is_int(sampler):
            return SubsetSampler([sampler])
        if isinstance(sampler, (list, tuple, np.ndarray)):
            return SubsetSampler(sampler, num_samples)
        if hasattr(sampler, "__iter__") and not isinstance(sampler, str):
            return _IterSampler(sampler, num_samples)
        raise TypeError(f"Unsupported sampler object of type ({type(sampler).__name__})")
    if shuffle is not False:
        if num_shards is not None:
            return DistributedSampler(num_shards, shard_id, True, num_samples)
        return RandomSampler(num_samples=num_samples)
    if num_shards is not None:
        return DistributedSampler(num_shards, shard_id, False, num_samples)
    return SequentialSampler(num_samples=num_samples)


__all__ = [
    "DistributedSampler",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "SubsetSampler",
]
