"""The pipeline steps: map, batch, shuffle, repeat, take, skip, project, rename, concat, zip
and split (layer 5). Each is a `Dataset` node whose `_rows` pulls from its parents' `_rows`."""

from __future__ import annotations

import itertools
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from minispore.dataset import config
from minispore.dataset._checks import (
    INT32_MAX,
    check_bool,
    check_columns_exist,
    check_int,
    column_list,
    is_int,
)
from minispore.dataset._convert import to_array
from minispore.dataset.engine import BatchInfo, Dataset, batch_count, check_count


class MapDataset(Dataset):
    """`dataset.map(...)`: see `Dataset.map`."""

    def __init__(self, parent, operations, input_columns, output_columns, num_parallel_workers):
        super().__init__([parent])
        ops = list(operations) if isinstance(operations, (list, tuple)) else [operations]
        if not ops:
            raise ValueError("For 'map', 'operations' must not be empty")
        for op in ops:
            if not callable(op):
                raise ValueError(
                    "Parameter operations's element of method map should be a python function "
                    f"or class method which should be callable, but got: {op!r}. It doesn't "
                    "need parentheses for python function or class method."
                )
        self._ops = ops
        self._workers = check_int(
            num_parallel_workers, "map", "num_parallel_workers", 1, allow_none=True
        )
        parent_cols = parent.get_col_names()
        in_cols = column_list(input_columns, "map", "input_columns") or parent_cols[:1]
        check_columns_exist(in_cols, parent_cols, "map", "input_columns")
        out_cols = column_list(output_columns, "map", "output_columns") or in_cols
        self._in_cols, self._out_cols = in_cols, out_cols
        self._in_idx = [parent_cols.index(c) for c in in_cols]
        if len(in_cols) == len(out_cols):  # outputs take the inputs' places
            names = list(parent_cols)
            plan = [(False, i) for i in range(len(parent_cols))]
            for j, col in enumerate(in_cols):
                k = parent_cols.index(col)
                names[k], plan[k] = out_cols[j], (True, j)
        else:  # outputs first, then the untouched columns
            rest = [c for c in parent_cols if c not in in_cols]
            names = out_cols + rest
            plan = [(True, j) for j in range(len(out_cols))]
            plan += [(False, parent_cols.index(c)) for c in rest]
        # An output named like an untouched column replaces it, as in MindSpore.
        keep = [k for k, (is_out, _) in enumerate(plan) if is_out or names[k] not in out_cols]
        self._names = [names[k] for k in keep]
        self._plan = tuple(plan[k] for k in keep)

    def _columns(self):
        return self._names

    def _count(self):
        return self.children[0].get_dataset_size()

    def _failed(self, op, exc):
        name = getattr(op, "__name__", type(op).__name__)
        return RuntimeError(
            f"For 'map', the operation {name} failed on input columns {self._in_cols}: "
            f"{type(exc).__name__}: {exc}"
        )

    def _apply(self, row):
        args = [row[i] for i in self._in_idx]
        for op in self._ops:
            try:
                result = op(*args)
            except Exception as exc:
                raise self._failed(op, exc) from exc
            args = result if isinstance(result, tuple) else (result,)
        if len(args) != len(self._out_cols):
            raise RuntimeError(
                "For 'map', invalid columns, the number of columns returned in 'map' operations "
                "should match the number of 'output_columns', but got the number of columns "
                f"returned in 'map' operations: {len(args)}, the number of 'output_columns': "
                f"{len(self._out_cols)} ({self._out_cols})."
            )
        outs = [to_array(a, "For 'map'") for a in args]
        return tuple(outs[i] if is_out else row[i] for is_out, i in self._plan)

    def _can_batch(self):
        # Built-in operations (one input, one output) have a batch form; Python functions
        # see one row at a time.
        return (
            len(self._in_idx) == len(self._out_cols) == 1
            and all(getattr(op, "_apply_batch", None) is not None for op in self._ops)
            and self.children[0]._can_batch()
        )

    def _batches(self, pass_, size, drop_remainder):
        (i,) = self._in_idx
        steps = [(op, op._apply_batch) for op in self._ops]
        for cols in self.children[0]._batches(pass_, size, drop_remainder):
            x = cols[i]
            for op, step in steps:
                try:
                    x = step(x)
                except Exception as exc:
                    raise self._failed(op, exc) from exc
            yield tuple(x if is_out else cols[j] for is_out, j in self._plan)

    def _rows(self, pass_):
        rows = self.children[0]._rows(pass_)
        workers = self._workers or config.get_num_parallel_workers()
        if workers <= 1:
            apply = self._apply
            for row in rows:
                yield apply(row)
        else:
            yield from ordered_pool(self._apply, rows, workers)


def ordered_pool(fn, items, workers):
    """`fn` over `items` on a pool of threads, results in input order, a bounded queue ahead."""
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="minispore-dataset")
    pending = deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class BatchDataset(Dataset):
    """`dataset.batch(...)`: see `Dataset.batch`."""

    def __init__(self, parent, batch_size, drop_remainder):
        super().__init__([parent])
        if callable(batch_size) and not is_int(batch_size):
            self._size_fn, self._batch_size = batch_size, None
        else:
            if not is_int(batch_size):
                raise TypeError(
                    "For 'batch', 'batch_size' should either be an int or a callable, but got "
                    f"{type(batch_size).__name__}"
                )
            if batch_size < 1 or batch_size > INT32_MAX:
                raise ValueError(
                    "For 'batch', input batch_size is not within the required interval of "
                    f"[1, 2147483647]: got {batch_size}"
                )
            self._size_fn, self._batch_size = None, batch_size
        self._drop = check_bool(drop_remainder, "batch", "drop_remainder")
        self._epochs = 0

    def _columns(self):
        return self.children[0].get_col_names()

    def _count(self):
        if self._size_fn is not None:
            return None
        return batch_count(self.children[0].get_dataset_size(), self._batch_size, self._drop)

    def get_batch_size(self):
        return self._batch_size if self._size_fn is None else self._size_fn(BatchInfo(0, 0))

    def _next_size(self, batch_num, epoch):
        if self._size_fn is None:
            return self._batch_size
        size = self._size_fn(BatchInfo(batch_num, epoch))
        if not is_int(size) or size < 1:
            raise ValueError(f"For 'batch', the batch_size callable returned {size!r}")
        return size

    def _rows(self, pass_):
        if self._size_fn is None and self.children[0]._can_batch():
            yield from self.children[0]._batches(pass_, self._batch_size, self._drop)
            return
        names = self.get_col_names()
        epoch = self._epochs
        if pass_.advance:
            self._epochs += 1
        batch_num = 0
        size = self._next_size(batch_num, epoch)
        buf = []
        for row in self.children[0]._rows(pass_):
            buf.append(row)
            if len(buf) == size:
                yield stack_rows(buf, names)
                buf = []
                batch_num += 1
                size = self._next_size(batch_num, epoch)
        if buf and not self._drop:
            yield stack_rows(buf, names)


def stack_rows(rows, names):
    """Stack rows column by column; shapes and dtypes must agree within a column."""
    out = []
    for c, name in enumerate(names):
        values = [row[c] for row in rows]
        first = values[0]
        if isinstance(first, dict):
            raise RuntimeError(f"For 'batch', column '{name}' holds dicts, which cannot be batched")
        dtype = first.dtype
        for v in values:
            if v.shape != first.shape:
                raise RuntimeError(
                    f"For 'batch', cannot batch tensors with different shapes in column '{name}' "
                    f"({c}). First element had shape {first.shape} and this element had shape "
                    f"{v.shape}"
                )
            if v.dtype != dtype and not (v.dtype.kind == dtype.kind and dtype.kind in "US"):
                raise RuntimeError(
                    f"For 'batch', cannot batch tensors with different dtypes in column "
                    f"'{name}' ({c}): {dtype} and {v.dtype}"
                )
        out.append(np.stack(values))
    return tuple(out)


class ShuffleDataset(Dataset):
    """`dataset.shuffle(buffer_size)`: rows pass through a buffer from which a random one is
    emitted as each new row arrives; the rest leave in random order at the end."""

    def __init__(self, parent, buffer_size):
        super().__init__([parent])
        if not is_int(buffer_size):
            raise TypeError(
                f"For 'shuffle', 'buffer_size' must be an int, but got {type(buffer_size).__name__}"
            )
        if buffer_size < 2 or buffer_size > INT32_MAX:
            raise ValueError(
                "For 'shuffle', input buffer_size is not within the required interval of "
                f"[2, 2147483647]: got {buffer_size}"
            )
        self._buffer_size = buffer_size

    def _columns(self):
        return self.children[0].get_col_names()

    def _count(self):
        return self.children[0].get_dataset_size()

    def _rows(self, pass_):
        rng = self._pass_rng(pass_)
        size = self._buffer_size
        buf = []
        picks = iter(())
        for row in self.children[0]._rows(pass_):
            if len(buf) < size:
                buf.append(row)
                continue
            j = next(picks, None)
            if j is None:  # draw the random slots in blocks: one draw per row is slow
                picks = iter(rng.integers(0, size, 1024).tolist())
                j = next(picks)
            yield buf[j]
            buf[j] = row
        for j in rng.permutation(len(buf)).tolist():
            yield buf[j]


class RepeatDataset(Dataset):
    """`dataset.repeat(count)`."""

    def __init__(self, parent, count):
        super().__init__([parent])
        if count is None:
            count = -1
        check_int(count, "repeat", "count")
        if count != -1 and not 1 <= count <= INT32_MAX:
            raise ValueError(
                "For 'repeat', 'count' should be either -1 or positive integer, "
                f"range[1, INT32_MAX], but got {count}."
            )
        self._repeat = count

    def _columns(self):
        return self.children[0].get_col_names()

    def _count(self):
        size = self.children[0].get_dataset_size()
        # NOTE: MindSpore reports one pass's size for an endless repeat; so does minispore.
        return size if self._repeat == -1 else size * self._repeat

    def get_repeat_count(self):
        return self._repeat

    def _rows(self, pass_):
        parent = self.children[0]
        times = itertools.count() if self._repeat == -1 else range(self._repeat)
        for _ in times:
            yield from parent._rows(pass_)


class TakeDataset(Dataset):
    """`dataset.take(count)`."""

    def __init__(self, parent, count):
        super().__init__([parent])
        self._take = check_count(count, "take", allow_minus_one=True)

    def _columns(self):
        return self.children[0].get_col_names()

    def _count(self):
        size = self.children[0].get_dataset_size()
        return size if self._take == -1 else min(size, self._take)

    def _rows(self, pass_):
        rows = self.children[0]._rows(pass_)
        return rows if self._take == -1 else itertools.islice(rows, self._take)


class SkipDataset(Dataset):
    """`dataset.skip(count)`."""

    def __init__(self, parent, count):
        super().__init__([parent])
        self._skip = check_int(count, "skip", "count", 0, INT32_MAX)

    def _columns(self):
        return self.children[0].get_col_names()

    def _count(self):
        return max(self.children[0].get_dataset_size() - self._skip, 0)

    def _rows(self, pass_):
        return itertools.islice(self.children[0]._rows(pass_), self._skip, None)


class ProjectDataset(Dataset):
    """`dataset.project(columns)`."""

    def __init__(self, parent, columns):
        super().__init__([parent])
        self._names = column_list(columns, "project", "columns", allow_none=False)
        parent_cols = parent.get_col_names()
        check_columns_exist(self._names, parent_cols, "project", "columns")
        self._idx = tuple(parent_cols.index(c) for c in self._names)

    def _columns(self):
        return self._names

    def _count(self):
        return self.children[0].get_dataset_size()

    def _rows(self, pass_):
        idx = self._idx
        for row in self.children[0]._rows(pass_):
            yield tuple(row[i] for i in idx)

    def _can_batch(self):
        return self.children[0]._can_batch()

    def _batches(self, pass_, size, drop_remainder):
        idx = self._idx
        for cols in self.children[0]._batches(pass_, size, drop_remainder):
            yield tuple(cols[i] for i in idx)


class RenameDataset(Dataset):
    """`dataset.rename(input_columns, output_columns)`."""

    def __init__(self, parent, input_columns, output_columns):
        super().__init__([parent])
        old = column_list(input_columns, "rename", "input_columns", allow_none=False)
        new = column_list(output_columns, "rename", "output_columns", allow_none=False)
        if len(old) != len(new):
            raise ValueError(
                "For 'rename', number of column in input_columns and output_columns is not "
                f"equal: {old} and {new}."
            )
        names = parent.get_col_names()
        check_columns_exist(old, names, "rename", "input_columns")
        for a, b in zip(old, new):
            names[names.index(a)] = b
        if len(set(names)) != len(names):
            raise ValueError(f"For 'rename', the new column names {names} are not unique")
        self._names = names

    def _columns(self):
        return self._names

    def _count(self):
        return self.children[0].get_dataset_size()

    def _rows(self, pass_):
        return self.children[0]._rows(pass_)

    def _can_batch(self):
        return self.children[0]._can_batch()

    def _batches(self, pass_, size, drop_remainder):
        return self.children[0]._batches(pass_, size, drop_remainder)


class ConcatDataset(Dataset):
    """`dataset.concat(datasets)` and `a + b`."""

    def __init__(self, datasets):
        for d in datasets:
            if not isinstance(d, Dataset):
                raise TypeError(f"For 'concat', expected datasets, but got {type(d).__name__}")
        super().__init__(datasets)
        names = datasets[0].get_col_names()
        for d in datasets[1:]:
            if d.get_col_names() != names:
                raise ValueError(
                    f"For 'concat', every dataset must have the columns {names}, but one has "
                    f"{d.get_col_names()}"
                )

    def _columns(self):
        return self.children[0].get_col_names()

    def _count(self):
        return sum(d.get_dataset_size() for d in self.children)

    def _rows(self, pass_):
        for d in self.children:
            yield from d._rows(pass_)


class ZipDataset(Dataset):
    """`dataset.zip(datasets)`."""

    def __init__(self, datasets):
        for d in datasets:
            if not isinstance(d, Dataset):
                raise TypeError(f"For 'zip', expected datasets, but got {type(d).__name__}")
        super().__init__(datasets)
        names = [c for d in datasets for c in d.get_col_names()]
        if len(set(names)) != len(names):
            raise ValueError(f"For 'zip', the datasets' column names must differ, got {names}")
        self._names = names

    def _columns(self):
        return self._names

    def _count(self):
        return min(d.get_dataset_size() for d in self.children)

    def _rows(self, pass_):
        for parts in zip(*(d._rows(pass_) for d in self.children)):
            yield tuple(col for part in parts for col in part)


class SplitPart(Dataset):
    """One part of `split` on a pipeline that is not a random-access source: a pass runs the
    parent and keeps the rows at this part's positions, in the parent's order."""

    def __init__(self, parent, positions):
        super().__init__([parent])
        self._positions = np.sort(positions)
        self._keep = set(self._positions.tolist())

    def _columns(self):
        return self.children[0].get_col_names()

    def _count(self):
        return len(self._positions)

    def _rows(self, pass_):
        if not len(self._positions):
            return
        last = int(self._positions[-1])
        keep = self._keep
        for pos, row in enumerate(self.children[0]._rows(pass_)):
            if pos in keep:
                yield row
            if pos >= last:
                return


def split_sizes(sizes, total):
    """MindSpore's checks and rounding of `split`'s sizes."""
    if not isinstance(sizes, list):
        raise TypeError(
            f"For 'split', argument sizes with value {sizes!r} is not of type [<class 'list'>], "
            f"but got {type(sizes)}."
        )
    if not sizes:
        raise ValueError("For 'split', sizes cannot be empty.")
    all_int = all(is_int(s) for s in sizes)
    all_float = all(isinstance(s, float) for s in sizes)
    if not (all_int or all_float):
        raise ValueError(f"For 'split', sizes should be list of int or list of float: {sizes}")
    if all_int:
        if any(s <= 0 for s in sizes):
            raise ValueError(
                "For 'split', sizes is a list of int, but there should be no negative or zero "
                f"numbers: {sizes}"
            )
        if sum(sizes) != total:
            raise RuntimeError(
                f"For 'split', sum of split sizes {sum(sizes)} is not equal to dataset size "
                f"{total}."
            )
        return list(sizes)
    if not all(0 < s <= 1 for s in sizes):
        raise ValueError(
            "For 'split', sizes is a list of float, but there should be no numbers outside the "
            f"range (0, 1]: {sizes}"
        )
    if abs(sum(sizes) - 1) >= 1e-5:
        raise ValueError(
            f"For 'split', sizes is a list of float, but the percentages do not sum up to 1: {sizes}"
        )
    counts = []
    for s in sizes:
        count = int(round(s * total))
        if count == 0:
            raise RuntimeError(f"For 'split', split percentage {s} is too small.")
        counts.append(count)
    diff = total - sum(counts)
    if diff > 0:
        counts[0] += diff
    else:
        for i, c in enumerate(counts):
            if c + diff > 0:
                counts[i] += diff
                break
    return counts


def split_dataset(dataset, sizes, randomize):
    check_bool(randomize, "split", "randomize")
    total = dataset.get_dataset_size()
    if total <= 0:
        raise RuntimeError("For 'split', the dataset size is unknown or 0, unable to split.")
    counts = split_sizes(sizes, total)
    order = config.fixed_rng(dataset).permutation(total) if randomize else np.arange(total)
    bounds = np.cumsum([0, *counts])
    parts = [order[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    subset = getattr(dataset, "_subset", None)
    if subset is not None and dataset._plain_sampler():
        return tuple(subset(part) for part in parts)
    return tuple(SplitPart(dataset, part) for part in parts)
