"""Loss cells (layer 5). Each delegates to its functional counterpart in `minispore.ops`."""

from __future__ import annotations

from minispore import ops
from minispore.nn.cell import Cell


class LossBase(Cell):
    """Base of loss cells; `reduction` is 'mean', 'sum' or 'none'."""

    def __init__(self, reduction="mean"):
        super().__init__()
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"For '{type(self).__name__}', 'reduction' must be 'mean', 'sum' or 'none', got {reduction!r}")
        self.reduction = reduction

    def extend_repr(self):
        return ""


class BCEWithLogitsLoss(LossBase):
    """Sigmoid + binary cross entropy on logits; `weight` and `pos_weight` as in
    `ops.binary_cross_entropy_with_logits`."""

    def __init__(self, reduction="mean", weight=None, pos_weight=None):
        super().__init__(reduction)
        self.weight = weight
        self.pos_weight = pos_weight

    def construct(self, logits, labels):
        return ops.binary_cross_entropy_with_logits(logits, labels, self.weight, self.pos_weight, self.reduction)
