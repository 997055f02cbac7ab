"""`minispore.nn`: cells, losses and (later) layers and optimisers (layer 5)."""

from minispore.nn.cell import Cell
from minispore.nn.loss import BCEWithLogitsLoss, LossBase

__all__ = ["Cell", "BCEWithLogitsLoss", "LossBase"]
