"""`minispore.nn`: cells and losses (layers and optimisers come with the nn work) (layer 5)."""

from minispore.nn.cell import Cell
from minispore.nn.layers.activation import GELU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from minispore.nn.layers.dense import Dense
from minispore.nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    LossBase,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
    SoftmaxCrossEntropyWithLogits,
)

__all__ = [
    "Cell",
    "Dense",
    "GELU",
    "LogSoftmax",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "LossBase",
    "MSELoss",
    "NLLLoss",
    "SmoothL1Loss",
    "SoftmaxCrossEntropyWithLogits",
]
