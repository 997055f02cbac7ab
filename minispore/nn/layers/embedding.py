"""`Embedding`: a lookup table of `vocab_size` vectors, indexed by int tensors."""

from __future__ import annotations

import numbers

import numpy as np

from minispore import dtype as mstype
from minispore.common.initializer import initializer
from minispore.core.primitive import concrete
from minispore.errors import ShapeError
from minispore.nn.cell import Cell
from minispore.ops._utils import value
from minispore.parameter import Parameter
from minispore.prims import indexing as I
from minispore.prims import linalg as L
from minispore.tensor import _wrap


class Embedding(Cell):
    """Maps int indices of any shape to rows of `embedding_table` (vocab_size, embedding_size).

    `padding_idx` zeroes that row at initialisation. `use_one_hot` computes the lookup as a
    one-hot matrix product (same values and gradients). Out-of-range or non-integer indices
    raise a clear error instead of reading outside the table.
    """

    def __init__(
        self,
        vocab_size,
        embedding_size,
        use_one_hot=False,
        embedding_table="normal",
        dtype=mstype.float32,
        padding_idx=None,
    ):
        super().__init__()
        for arg, v in (("vocab_size", vocab_size), ("embedding_size", embedding_size)):
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
                raise ValueError(f"For 'Embedding', '{arg}' must be a positive int, but got {v!r}")
        if padding_idx is not None and not (
            isinstance(padding_idx, numbers.Integral) and 0 <= padding_idx < vocab_size
        ):
            raise ValueError(
                f"For 'Embedding', 'padding_idx' must be an int in [0, {vocab_size}), but got {padding_idx!r}"
            )
        self.vocab_size, self.embedding_size = int(vocab_size), int(embedding_size)
        self.use_one_hot, self.dtype, self.padding_idx = use_one_hot, dtype, padding_idx
        table = initializer(embedding_table, (vocab_size, embedding_size), dtype)
        self.embedding_table = Parameter(table, name="embedding_table")
        if padding_idx is not None:
            self.embedding_table._value[padding_idx] = 0

    def construct(self, ids):
        v = value(ids, "Embedding", "ids")
        if v.dtype.kind not in "iu":
            raise TypeError(
                f"For 'Embedding', 'ids' must be an int tensor, but got dtype {v.dtype}"
            )
        flat = np.asarray(concrete(v))
        if flat.size and (flat.min() < 0 or flat.max() >= self.vocab_size):
            raise ShapeError(
                f"For 'Embedding', every index must be in [0, {self.vocab_size}), but got values "
                f"from {flat.min()} to {flat.max()}"
            )
        table = self.embedding_table._value
        if self.use_one_hot:
            one_hot = (flat[..., None] == np.arange(self.vocab_size)).astype(table.dtype)
            return _wrap(L.matmul(one_hot, table))
        return _wrap(I.index_value(table, flat))

    def extend_repr(self):
        return (
            f"vocab_size={self.vocab_size}, embedding_size={self.embedding_size}, "
            f"use_one_hot={self.use_one_hot}, embedding_table={self.embedding_table}, "
            f"dtype={self.dtype}, "
            f"padding_idx={self.padding_idx}"
        )
