"""Containers: `SequentialCell` (calls its cells in order) and `CellList` (holds them)."""

from __future__ import annotations

from collections import OrderedDict

from minispore.nn.cell import Cell


def _check_cell(cell, owner):
    if not isinstance(cell, Cell):
        raise TypeError(f"For '{owner}', every item must be a Cell, but got {type(cell).__name__}")
    return cell


class _IndexedCells(Cell):
    """Cells registered under the names '0', '1', ...; indexable, sliceable, iterable."""

    def _reset(self, cells):
        """Register `cells` under '0', '1', ... afresh, renaming their parameters by position."""
        self.__dict__["_cells"] = OrderedDict()
        for i, c in enumerate(cells):
            self._add(str(i), c)

    def _add(self, name, cell):
        _check_cell(cell, type(self).__name__)
        if self._auto_prefix:
            # A cell added after this container was registered is named from the full path.
            cell._prefix_names(f"{self._param_prefix}.{name}" if self._param_prefix else name)
        self._cells[name] = cell

    def _index(self, i):
        n = len(self._cells)
        if isinstance(i, bool) or not isinstance(i, int):
            raise TypeError(
                f"For '{type(self).__name__}', an index must be an int, but got {type(i).__name__}"
            )
        if not -n <= i < n:
            raise IndexError(
                f"For '{type(self).__name__}', index {i} is out of range for {n} cells"
            )
        return i % n

    def __getitem__(self, i):
        cells = list(self._cells.values())
        if isinstance(i, slice):
            return type(self)(cells[i])
        return cells[self._index(i)]

    def __setitem__(self, i, cell):
        self._add(list(self._cells)[self._index(i)], cell)

    def __delitem__(self, i):
        cells = list(self._cells.values())
        if isinstance(i, slice):
            del cells[i]
        else:
            del cells[self._index(i)]
        self._reset(cells)  # as MindSpore 2.10: keys and parameter names follow the new positions

    def __len__(self):
        return len(self._cells)

    def __iter__(self):
        return iter(self._cells.values())

    def append(self, cell):
        """Add `cell` at the end."""
        self._add(str(len(self._cells)), cell)
        return self

    def extend(self, cells):
        for c in cells:
            self.append(c)
        return self

    def insert(self, index, cell):
        """Insert `cell` before `index`; as MindSpore, every cell is renamed by its new position."""
        cells = list(self._cells.values())
        cells.insert(index, _check_cell(cell, type(self).__name__))
        self._reset(cells)


class SequentialCell(_IndexedCells):
    """Calls its cells in order, each on the previous one's output.

    Takes cells as arguments, one list of cells, or an `OrderedDict` name -> cell (then the cells
    keep those names).
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, c in args[0].items():
                self.insert_child_to_cell(name, _check_cell(c, "SequentialCell"))
                if self._auto_prefix:
                    c._prefix_names(name)
            return
        if len(args) == 1 and isinstance(args[0], list):
            args = tuple(args[0])
        for i, c in enumerate(args):
            self._add(str(i), c)

    def construct(self, input_data):
        for cell in self._cells.values():
            input_data = cell(input_data)
        return input_data


class CellList(_IndexedCells):
    """A list of cells whose parameters the owner sees; it has no `construct` of its own."""

    def __init__(self, *args, **kwargs):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], (list, tuple)):
            args = tuple(args[0])
        for i, c in enumerate(args):
            self._add(str(i), c)

    def construct(self, *inputs):
        raise NotImplementedError("CellList has no construct; call its cells")
