"""Iterators over a pipeline's rows: `TupleIterator` (a list per row) and `DictIterator`.

An iterator runs up to `num_epochs` passes; each `for` loop over it runs one (its `__iter__`
returns itself, as MindSpore's), and running past the last one raises RuntimeError, where
MindSpore blocks or raises. Arrays become Tensors without a copy: the pipeline's arrays are
fresh for every row.
"""

from __future__ import annotations

import numpy as np

from minispore.dataset._checks import check_bool, check_columns_exist, check_int, column_list
from minispore.tensor import _wrap


def _tensor(value):
    # String columns stay NumPy arrays, as in MindSpore (Tensors hold numbers only).
    if isinstance(value, np.ndarray) and value.dtype.kind not in "USO":
        return _wrap(value)
    return value


class _Iterator:
    def __init__(self, dataset, columns, num_epochs, output_numpy):
        op = f"create_{self._kind}_iterator"
        check_int(num_epochs, op, "num_epochs")
        if num_epochs == 0 or num_epochs < -1:
            raise ValueError(f"For '{op}', 'num_epochs' must be -1 or positive, got {num_epochs}")
        check_bool(output_numpy, op, "output_numpy")
        self.dataset = dataset
        names = dataset.get_col_names()
        cols = column_list(columns, op, "columns")
        if cols is not None:
            check_columns_exist(cols, names, op, "columns")
            self._idx = [names.index(c) for c in cols]
            names = cols
        else:
            self._idx = None
        self._col_names = names
        self._num_epochs = num_epochs
        self._output_numpy = output_numpy
        self._epochs_done = 0
        self._rows = None

    def get_col_names(self):
        return list(self._col_names)

    def __iter__(self):
        return self

    def __next__(self):
        if self._rows is None:
            if self._num_epochs != -1 and self._epochs_done >= self._num_epochs:
                raise RuntimeError(
                    f"The iterator has run its num_epochs={self._num_epochs} epoch(s): "
                    "fetching data beyond the specified number of epochs; create the iterator "
                    "with a larger num_epochs (or -1)"
                )
            from minispore.dataset.engine import _Pass

            self._rows = self.dataset._rows(_Pass())
        try:
            row = next(self._rows)
        except StopIteration:
            self._rows = None
            self._epochs_done += 1
            raise
        if self._idx is not None:
            row = tuple(row[i] for i in self._idx)
        if not self._output_numpy:
            row = tuple(_tensor(v) for v in row)
        return self._pack(row)

    def stop(self):
        """End the current pass and release its resources (worker threads)."""
        if self._rows is not None:
            self._rows.close()
            self._rows = None

    release = stop


class TupleIterator(_Iterator):
    """Rows as lists of Tensors (or NumPy arrays)."""

    _kind = "tuple"

    def _pack(self, row):
        return list(row)


class DictIterator(_Iterator):
    """Rows as dicts column name -> Tensor (or NumPy array)."""

    _kind = "dict"

    def _pack(self, row):
        return dict(zip(self._col_names, row))
