"""`Dataset`: the base of every pipeline node, with MindSpore's pipeline methods (layer 5).

A pipeline is a graph of nodes. Building one (`map`, `batch`, ...) only records the step; rows
flow when a pass runs. Every pass (an epoch of an iterator, `get_dataset_size` when the size is
not known in advance, `output_shapes`) asks the last node for a fresh generator of rows, which
asks its parents in turn, so a pipeline can be iterated any number of times and a node may
feed any number of consumers. A row is a tuple of NumPy arrays, one per column.
"""

from __future__ import annotations

import math

from minispore.dataset import config
from minispore.dataset._checks import check_int


class _Pass:
    """One run of a pipeline; `advance` is False for look-ahead runs that must not move the
    random nodes on to their next epoch's order."""

    __slots__ = ("advance",)

    def __init__(self, advance=True):
        self.advance = advance


class Dataset:
    """Base class of MindSpore's datasets: the source and every pipeline step.

    Subclasses set `children` and implement `_columns()` (the column names), `_rows(pass_)`
    (a generator of row tuples) and `_count()` (the row count, or None when only a pass can
    tell).
    """

    _op = "Dataset"

    def __init__(self, children=()):
        self.children = list(children)
        # The depth from the source salts random nodes' seeds, so a pipeline's shuffle steps
        # draw different orders while equal pipelines draw equal ones.
        self._salt = 1 + max((c._salt for c in self.children), default=-1)
        self._rng_generation = None
        self._rng_count = 0
        self._size = None

    # ----------------------------------------------------------------------------------------
    # Implemented by the nodes.

    def _columns(self):
        raise NotImplementedError

    def _rows(self, pass_):
        raise NotImplementedError

    def _count(self):
        return None

    def _can_batch(self):
        """Whether `_batches` can produce this node's rows already stacked (see `batch`)."""
        return False

    def _batches(self, pass_, size, drop_remainder):
        """Generate stacked batches of `size` rows: the same values `batch` would stack."""
        raise NotImplementedError

    def _pass_rng(self, pass_):
        return config.pass_rng(self, pass_.advance)

    # ----------------------------------------------------------------------------------------
    # Pipeline steps.

    def map(
        self,
        operations,
        input_columns=None,
        output_columns=None,
        num_parallel_workers=None,
        **kwargs,
    ):
        """Apply `operations` to `input_columns` of every row.

        Args:
            operations: a callable or a list of callables, applied in order; each receives the
                NumPy arrays of the columns (the previous one's outputs) and returns an array
                or a tuple of arrays (a tuple is several columns, a list is one column).
            input_columns: a column name or a list of them (default: the first column).
            output_columns: the names of the outputs (default: `input_columns`). With as many
                outputs as inputs they take the inputs' places; otherwise they come first,
                followed by the other columns, as in MindSpore.
            num_parallel_workers: with more than 1, rows are processed by a pool of threads
                (in order); None uses `config.get_num_parallel_workers()` (default 1).
            **kwargs: MindSpore's `python_multiprocessing`, `max_rowsize`, `cache`,
                `callbacks`, `offload` are accepted and ignored.

        Returns:
            Dataset: the mapped dataset.

        Raises:
            RuntimeError: an input column does not exist; at iteration, an operation fails or
                returns another number of columns than `output_columns` names.

        Example:
            >>> ds = ds.map(vision.Rescale(1.0 / 255.0, 0), input_columns="image")
        """
        from minispore.dataset.nodes import MapDataset

        _ignore_kwargs("map", kwargs, _MAP_KWARGS)
        return MapDataset(self, operations, input_columns, output_columns, num_parallel_workers)

    def batch(self, batch_size, drop_remainder=False, num_parallel_workers=None, **kwargs):
        """Stack `batch_size` consecutive rows into one, column by column.

        Args:
            batch_size (int): rows per batch (>= 1), or a callable `f(BatchInfo) -> int`.
            drop_remainder (bool): drop the last batch when it is short (default keeps it).
            num_parallel_workers: accepted for compatibility.
            **kwargs: `python_multiprocessing`, `max_rowsize` are accepted and ignored;
                `per_batch_map` is not supported.

        Raises:
            ValueError: `batch_size` is below 1.
            RuntimeError: at iteration, rows of one batch have different shapes or dtypes.
        """
        from minispore.dataset.nodes import BatchDataset

        _ignore_kwargs("batch", kwargs, _BATCH_KWARGS)
        return BatchDataset(self, batch_size, drop_remainder)

    def shuffle(self, buffer_size):
        """Shuffle rows through a buffer of `buffer_size` rows (>= 2), reshuffled every epoch;
        a buffer at least as large as the dataset gives a uniform shuffle."""
        from minispore.dataset.nodes import ShuffleDataset

        return ShuffleDataset(self, buffer_size)

    def repeat(self, count=None):
        """Repeat the rows `count` times (None or -1: endlessly)."""
        from minispore.dataset.nodes import RepeatDataset

        return RepeatDataset(self, count)

    def take(self, count=-1):
        """The first `count` rows (-1: all)."""
        from minispore.dataset.nodes import TakeDataset

        return TakeDataset(self, count)

    def skip(self, count):
        """All rows but the first `count`."""
        from minispore.dataset.nodes import SkipDataset

        return SkipDataset(self, count)

    def project(self, columns):
        """Keep `columns` (a name or a list), in that order."""
        from minispore.dataset.nodes import ProjectDataset

        return ProjectDataset(self, columns)

    def rename(self, input_columns, output_columns):
        """Rename `input_columns` to `output_columns` (names or lists of equal length)."""
        from minispore.dataset.nodes import RenameDataset

        return RenameDataset(self, input_columns, output_columns)

    def concat(self, datasets):
        """The rows of this dataset, then those of `datasets` (a dataset or a list); the
        columns must match. `a + b` is `a.concat(b)`."""
        from minispore.dataset.nodes import ConcatDataset

        if isinstance(datasets, Dataset):
            datasets = [datasets]
        return ConcatDataset([self, *datasets])

    def __add__(self, other):
        return self.concat(other)

    def zip(self, datasets):
        """Rows side by side with those of `datasets` (a dataset or a tuple); column names
        must differ; the shortest dataset sets the length."""
        from minispore.dataset.nodes import ZipDataset

        if isinstance(datasets, Dataset):
            datasets = (datasets,)
        return ZipDataset([self, *datasets])

    def split(self, sizes, randomize=True):
        """Split into disjoint datasets.

        Args:
            sizes (list): row counts summing to the dataset size, or fractions in (0, 1]
                summing to 1 (each rounded; the rounding error is taken up by the first split
                that can, as MindSpore does).
            randomize (bool): assign rows to splits at random (seeded by the pipeline seed and
                fixed for the splits' lifetime); otherwise in consecutive runs.

        Returns:
            tuple[Dataset]: one dataset per size. On a random-access source each split reads
            its own rows (in the source's order, or shuffled each epoch if the source
            shuffles); on any other pipeline a split's pass runs the parent and keeps its rows.

        Raises:
            TypeError, ValueError, RuntimeError: as MindSpore (see `docs/dataset.md`).
        """
        from minispore.dataset.nodes import split_dataset

        return split_dataset(self, sizes, randomize)

    # ----------------------------------------------------------------------------------------
    # Information.

    def get_col_names(self):
        """The column names, in order."""
        return list(self._columns())

    def get_dataset_size(self):
        """The number of rows (batches after `batch`) of one epoch.

        When the size cannot be known in advance (a generator source without `__len__`), it
        runs the pipeline once to count, as MindSpore does, and remembers the result.
        """
        if self._size is None:
            size = self._count()
            if size is None:
                size = sum(1 for _ in self._rows(_Pass(advance=False)))
            self._size = size
        return self._size

    def __len__(self):
        return self.get_dataset_size()

    def get_batch_size(self):
        """The batch size of the last `batch` step, or 1."""
        return self.children[0].get_batch_size() if self.children else 1

    def get_repeat_count(self):
        """The count of the last `repeat` step, or 1."""
        return self.children[0].get_repeat_count() if self.children else 1

    def _first_row(self, op):
        for row in self._rows(_Pass(advance=False)):
            return row
        raise RuntimeError(f"For '{op}', the dataset is empty: there is no row to inspect")

    def output_shapes(self, estimate=False):
        """The shape of each column (as lists), read from the first row."""
        return [list(getattr(col, "shape", ())) for col in self._first_row("output_shapes")]

    def output_types(self):
        """The NumPy dtype of each column, read from the first row."""
        return [getattr(col, "dtype", None) for col in self._first_row("output_types")]

    # ----------------------------------------------------------------------------------------
    # Iteration.

    def create_tuple_iterator(self, columns=None, num_epochs=-1, output_numpy=False, do_copy=False):
        """An iterator of rows, each a **list** of Tensors (NumPy arrays with `output_numpy`).

        Args:
            columns: the columns to return, in this order (default: all).
            num_epochs (int): how many epochs the iterator may run (-1: no limit); running it
                past the last one raises RuntimeError.
            output_numpy (bool): return NumPy arrays instead of Tensors.
            do_copy (bool): accepted for compatibility (Tensors never share the pipeline's
                buffers).
        """
        from minispore.dataset.iterators import TupleIterator

        return TupleIterator(self, columns, num_epochs, output_numpy)

    def create_dict_iterator(self, num_epochs=-1, output_numpy=False, do_copy=False):
        """An iterator of rows, each a dict column name -> Tensor (NumPy array with
        `output_numpy`); `num_epochs` as in `create_tuple_iterator`."""
        from minispore.dataset.iterators import DictIterator

        return DictIterator(self, None, num_epochs, output_numpy)

    def __iter__(self):
        return self.create_tuple_iterator(num_epochs=1)

    def __repr__(self):
        return f"<{type(self).__name__} columns={self.get_col_names()}>"


class BatchInfo:
    """What a callable `batch_size` receives: the batch and epoch counts so far (from 0)."""

    __slots__ = ("_batch_num", "_epoch_num")

    def __init__(self, batch_num, epoch_num):
        self._batch_num = batch_num
        self._epoch_num = epoch_num

    def get_batch_num(self):
        return self._batch_num

    def get_epoch_num(self):
        return self._epoch_num


_MAP_KWARGS = ("python_multiprocessing", "max_rowsize", "cache", "callbacks", "offload")
_BATCH_KWARGS = ("python_multiprocessing", "max_rowsize")
_BATCH_UNSUPPORTED = ("per_batch_map", "input_columns", "output_columns", "pad_info")


def _ignore_kwargs(op, kwargs, known):
    """Accept MindSpore's performance keywords; refuse features minispore lacks and typos."""
    for key, value in kwargs.items():
        if op == "batch" and key in _BATCH_UNSUPPORTED:
            if value is not None:
                raise NotImplementedError(f"For 'batch', '{key}' is not supported by minispore")
        elif key not in known:
            raise TypeError(f"For '{op}', got an unexpected keyword argument '{key}'")


def batch_count(rows, batch_size, drop_remainder):
    if rows is None:
        return None
    return rows // batch_size if drop_remainder else math.ceil(rows / batch_size)


def check_count(count, op, allow_minus_one):
    """`take`/`repeat` counts: -1 or a positive int (MindSpore's messages)."""
    check_int(count, op, "count")
    if allow_minus_one and count == -1:
        return count
    if count <= 0 or count > 2**31 - 1:
        raise ValueError(
            f"For '{op}', 'count' should be either -1 or within the required interval of "
            f"(0, 2147483647], got {count}."
        )
    return count


__all__ = ["BatchInfo", "Dataset"]
