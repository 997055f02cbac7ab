"""Source datasets from Python data: `GeneratorDataset` and `NumpySlicesDataset` (layer 5).

`MappableSource` is the base of every random-access source (these two, `MnistDataset`,
`DigitsDataset`): a row count, `_get(i)` for one row, and a sampler choosing the indices of each
pass (shuffled by default, as in MindSpore).
"""

from __future__ import annotations

import copy
import types

import numpy as np

from minispore.dataset._checks import column_list, sampling_args
from minispore.dataset._convert import source_row, to_array
from minispore.dataset.engine import Dataset
from minispore.dataset.nodes import ordered_pool
from minispore.dataset.samplers import (
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    SubsetSampler,
    select_sampler,
)


class MappableSource(Dataset):
    """A random-access source: subclasses give `_num_rows()` and `_get(i)` (a row tuple)."""

    def __init__(
        self, op, num_samples, num_parallel_workers, shuffle, sampler, num_shards, shard_id
    ):
        super().__init__()
        sampling_args(op, num_samples, num_parallel_workers, shuffle, num_shards, shard_id)
        self._sampler = select_sampler(num_samples, sampler, shuffle, num_shards, shard_id)
        self._workers = num_parallel_workers or 1

    def _num_rows(self):
        raise NotImplementedError

    def _get(self, index):
        raise NotImplementedError

    def _count(self):
        return self._sampler._count(self._num_rows())

    def _indices(self, pass_):
        return self._sampler._indices(self._num_rows(), lambda: self._pass_rng(pass_))

    def _rows(self, pass_):
        indices = self._indices(pass_).tolist()
        if self._workers > 1:
            yield from ordered_pool(self._get, indices, self._workers)
        else:
            get = self._get
            for i in indices:
                yield get(i)

    def _can_batch(self):
        return getattr(self, "_get_batch", None) is not None

    def _batches(self, pass_, size, drop_remainder):
        indices = self._indices(pass_)
        stop = len(indices) - len(indices) % size if drop_remainder else len(indices)
        for start in range(0, stop, size):
            yield self._get_batch(indices[start : start + size])

    def is_shuffled(self):
        return self._sampler.is_shuffled()

    def is_sharded(self):
        return self._sampler.is_sharded()

    def _plain_sampler(self):
        """True when every row is read once per pass, so `split` can partition the rows."""
        s = self._sampler
        if type(s) is SequentialSampler:
            return s.start_index == 0 and s.num_samples is None
        return type(s) is RandomSampler and not s.replacement and s.num_samples is None

    def _subset(self, indices):
        """A copy reading only `indices` (in that order, or shuffled if this source shuffles)."""
        part = copy.copy(self)
        shuffled = self._sampler.is_shuffled()
        part._sampler = (SubsetRandomSampler if shuffled else SubsetSampler)(indices)
        part._rng_generation, part._rng_count, part._size = None, 0, None
        return part


class ImageLabelSource(MappableSource):
    """A source of ``image`` and ``label`` columns held as two arrays in memory (MNIST-like).

    Subclasses call `_set_arrays(images, labels)` after `MappableSource.__init__`.
    """

    def _set_arrays(self, images, labels):
        self._images, self._labels = images, labels
        self._workers = 1  # rows are slices of arrays in memory: threads would only cost

    def _columns(self):
        return ["image", "label"]

    def _num_rows(self):
        return len(self._labels)

    def _get(self, index):
        return self._images[index].copy(), np.array(self._labels[index])

    def _get_batch(self, indices):
        return self._images[indices], self._labels[indices]


class GeneratorDataset(MappableSource):
    """A dataset whose rows come from Python: MindSpore's `GeneratorDataset`.

    Args:
        source: a random-access object (`__getitem__` and `__len__`; also a list, tuple or
            array), read in a sampled order, shuffled by default; an iterable (`__iter__`),
            read in its own order each epoch; or a callable returning an iterator (such as
            `lambda: my_generator()`), called each epoch. A generator object is read once and
            replayed. Each item is one column's value or a tuple of them: arrays, Tensors,
            Python numbers (ints are Int64, floats Float64) or strings.
        column_names: a name or a list of names, one per value of a row (required).
        column_types: a list of dtypes; the columns are cast to them.
        schema: not supported (deprecated in MindSpore 2.8).
        num_samples: read at most this many rows per epoch.
        num_parallel_workers: with more than 1, rows of a random-access source are read by a
            thread pool (in order).
        shuffle: shuffle a random-access source (default True; ignored, as in MindSpore, for
            iterables and callables).
        sampler: a sampler from `minispore.dataset` or an iterable of indices.
        num_shards, shard_id: read shard `shard_id` of `num_shards`.
        python_multiprocessing, max_rowsize: accepted and ignored (threads, not processes).

    Raises:
        TypeError: `source` is neither callable, iterable nor random-access.
        ValueError: no `column_names`.
        RuntimeError: at iteration, a row has another number of values than `column_names`.

    Example:
        >>> dataset = GeneratorDataset(lambda: ((i, i * i) for i in range(4)), ["x", "y"])
        >>> [int(x) for x, _ in dataset]
        [0, 1, 2, 3]
    """

    def __init__(
        self,
        source,
        column_names=None,
        column_types=None,
        schema=None,
        num_samples=None,
        num_parallel_workers=1,
        shuffle=None,
        sampler=None,
        num_shards=None,
        shard_id=None,
        python_multiprocessing=True,
        max_rowsize=None,
        batch_sampler=None,
        collate_fn=None,
    ):
        op = type(self).__name__
        if schema is not None or batch_sampler is not None or collate_fn is not None:
            raise NotImplementedError(
                f"For '{op}', 'schema', 'batch_sampler' and 'collate_fn' are not supported by "
                "minispore"
            )
        if not callable(source):
            try:
                iter(source)
            except TypeError:
                raise TypeError(
                    f"For '{op}', input `source` should be callable, iterable or random "
                    "accessible, commonly it should implement one of the method like yield, "
                    f"__getitem__ or __next__(__iter__), but got {type(source).__name__}."
                ) from None
        if column_names is None:
            raise ValueError(f"For '{op}', neither column_names nor schema are provided.")
        self._names = column_list(column_names, op, "column_names", allow_none=False)
        self._types = None
        if column_types is not None:
            from minispore.dtype import to_numpy_dtype

            if len(column_types) != len(self._names):
                raise ValueError(
                    f"For '{op}', 'column_types' has {len(column_types)} entries for "
                    f"{len(self._names)} columns"
                )
            self._types = [to_numpy_dtype(t) for t in column_types]
        self._random_access = hasattr(source, "__getitem__") and not isinstance(
            source, (str, bytes, dict)
        )
        if self._random_access and not hasattr(source, "__len__"):
            raise RuntimeError(
                f"For '{op}', attempt to construct a random access dataset, '__len__' method is "
                "required!"
            )
        if isinstance(source, types.GeneratorType):
            source = _Replay(source)
        super().__init__(
            op, num_samples, num_parallel_workers, shuffle, sampler, num_shards, shard_id
        )
        self.source = source
        self._num_samples = num_samples or None
        self._where = f"For '{op}'"

    def _columns(self):
        return self._names

    def _num_rows(self):
        return len(self.source)

    def _row(self, value):
        row = source_row(value, self._where)
        if len(row) != len(self._names):
            raise RuntimeError(
                f"{self._where}, the 'source' should return same number of NumPy arrays as "
                f"specified in column_names, the size of column_names is:{len(self._names)} and "
                f"number of returned NumPy array is:{len(row)}"
            )
        if self._types is not None:
            row = tuple(a.astype(t, copy=False) for a, t in zip(row, self._types))
        return row

    def _get(self, index):
        return self._row(self.source[index])

    def _count(self):
        if self._random_access:
            return super()._count()
        if hasattr(self.source, "__len__"):
            n = len(self.source)
            return n if self._num_samples is None else min(n, self._num_samples)
        return None

    def _rows(self, pass_):
        if self._random_access:
            yield from super()._rows(pass_)
            return
        items = iter(self.source) if hasattr(self.source, "__iter__") else self.source()
        row = self._row
        for k, value in enumerate(items):
            if self._num_samples is not None and k >= self._num_samples:
                return
            yield row(value)

    def _plain_sampler(self):
        return self._random_access and super()._plain_sampler()


class _Replay:
    """A generator object made re-iterable: what it yields is kept and replayed."""

    def __init__(self, generator):
        self._generator = generator
        self._seen = []
        self._done = False

    def __iter__(self):
        yield from self._seen
        if self._done:
            return
        for item in self._generator:
            self._seen.append(item)
            yield item
        self._done = True


class NumpySlicesDataset(GeneratorDataset):
    """Rows sliced along the first axis of Python or NumPy data: MindSpore's
    `NumpySlicesDataset`.

    Args:
        data: a list or array (one column, `column_0`), a tuple of them (one column each,
            `column_0`, `column_1`, ...) or a dict name -> list or array (columns named by
            the keys). Lists become arrays as NumPy makes them (Python ints Int64, floats
            Float64).
        column_names: names overriding the defaults, one per column.
        num_samples, shuffle, sampler, num_shards, shard_id: as in `GeneratorDataset`;
            shuffled by default.
        num_parallel_workers: accepted; slicing arrays in memory needs no threads.

    Raises:
        ValueError: the columns have different lengths, or `column_names` another count.

    Example:
        >>> dataset = NumpySlicesDataset(([1, 2, 3], [0, 1, 0]), ["data", "label"], shuffle=False)
        >>> dataset.get_dataset_size()
        3
    """

    def __init__(
        self,
        data,
        column_names=None,
        num_samples=None,
        num_parallel_workers=1,
        shuffle=None,
        sampler=None,
        num_shards=None,
        shard_id=None,
    ):
        op = "NumpySlicesDataset"
        keys = None
        if isinstance(data, dict):
            keys = list(data)
            columns = [getattr(v, "values", v) for v in data.values()]
        elif isinstance(data, tuple):
            columns = list(data)
        else:
            columns = [data]
        if not columns:
            raise ValueError(f"For '{op}', 'data' has no columns")
        columns = [_column(c, op) for c in columns]
        lengths = [len(c) for c in columns]
        if lengths[1:] != lengths[:-1]:
            raise ValueError(f"For '{op}', data length in each column is not equal: {lengths}.")
        if column_names is None:
            column_names = keys or [f"column_{i}" for i in range(len(columns))]
        names = column_list(column_names, op, "column_names", allow_none=False)
        if len(names) != len(columns):
            raise ValueError(
                f"For '{op}', num of input column names is {len(names)}, but required is "
                f"{len(columns)}."
            )
        self._columns_data = columns
        super().__init__(
            _Slices(columns),
            names,
            num_samples=num_samples,
            num_parallel_workers=num_parallel_workers,
            shuffle=shuffle,
            sampler=sampler,
            num_shards=num_shards,
            shard_id=shard_id,
        )
        self._workers = 1  # rows are slices of arrays in memory: threads would only cost

    def _get(self, index):
        return tuple(
            np.array(c[index])
            if isinstance(c, np.ndarray)
            else to_array(c[index], self._where, True)
            for c in self._columns_data
        )

    def _can_batch(self):
        return all(isinstance(c, np.ndarray) and c.dtype != object for c in self._columns_data)

    def _get_batch(self, indices):
        return tuple(c[indices] for c in self._columns_data)


def _column(values, op):
    """A column as an array when NumPy can make a regular one, else as a list of items."""
    if isinstance(values, np.ndarray):
        if values.ndim == 0:
            raise ValueError(f"For '{op}', a column must have at least one dimension")
        return values
    try:
        len(values)
    except TypeError:
        raise TypeError(
            f"For '{op}', each column must be a list, tuple or array, but got "
            f"{type(values).__name__}"
        ) from None
    try:
        arr = np.asarray(values)
    except ValueError:  # ragged
        return list(values)
    return list(values) if arr.dtype == object or arr.ndim == 0 else arr


class _Slices:
    """The random-access view `GeneratorDataset` reads (kept for `dataset.source`)."""

    def __init__(self, columns):
        self.columns = columns

    def __len__(self):
        return len(self.columns[0])

    def __getitem__(self, index):
        return tuple(c[index] for c in self.columns)
