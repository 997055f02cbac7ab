"""Shape and regularisation cells: `Flatten`, `Identity`, `Dropout`."""

from __future__ import annotations

import numbers

from minispore import dtype as mstype
from minispore import ops
from minispore.nn.cell import Cell


class Flatten(Cell):
    """Flattens the axes `start_dim` .. `end_dim` into one (by default all but the batch axis)."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def construct(self, x):
        ndim = getattr(x, "ndim", None)
        if ndim is not None and not all(
            -ndim <= d < max(ndim, 1) for d in (self.start_dim, self.end_dim)
        ):
            raise ValueError(
                f"For 'Flatten', 'start_dim' {self.start_dim} or 'end_dim' {self.end_dim} is out of "
                f"range for an input of shape {tuple(x.shape)}"
            )
        return ops.flatten(x, start_dim=self.start_dim, end_dim=self.end_dim)


class Identity(Cell):
    """Returns its input."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def construct(self, x):
        return x


class Dropout(Cell):
    """Zeroes each entry with probability `p` in training and scales the rest by 1 / (1 - p).

    In inference mode (the default until `set_train()`) it is the identity. `keep_prob` is
    MindSpore's deprecated spelling of `1 - p`; `p` wins when both are given.
    """

    def __init__(self, keep_prob=0.5, p=None, dtype=mstype.float32):
        super().__init__()
        self._shown = f"p={p}" if p is not None else f"keep_prob={keep_prob}"
        if p is None:
            if not isinstance(keep_prob, numbers.Real) or not 0 < keep_prob <= 1:
                raise ValueError(
                    f"For 'Dropout', 'keep_prob' must be in (0, 1], but got {keep_prob!r}"
                )
            p = 1.0 - keep_prob
        elif not isinstance(p, numbers.Real) or isinstance(p, bool) or not 0 <= p < 1:
            raise ValueError(f"For 'Dropout', 'p' must be in [0, 1), but got {p!r}")
        self.p = float(p)
        self.keep_prob = 1.0 - self.p

    def construct(self, x):
        if not self.training or self.p == 0:
            return x
        return ops.dropout(x, p=self.p, training=True)

    def extend_repr(self):
        return self._shown
