"""`minispore.nn`: cells, layers, losses, optimizers and learning-rate schedules (layer 5)."""

from minispore.nn.cell import Cell
from minispore.nn.layers.activation import GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from minispore.nn.layers.basic import Dropout, Flatten, Identity
from minispore.nn.layers.container import CellList, SequentialCell
from minispore.nn.layers.conv import Conv1d, Conv2d
from minispore.nn.layers.dense import Dense
from minispore.nn.layers.embedding import Embedding
from minispore.nn.layers.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from minispore.nn.layers.pooling import (
    AdaptiveAvgPool2d,
    AvgPool1d,
    AvgPool2d,
    MaxPool1d,
    MaxPool2d,
)
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
from minispore.nn.wrap import TrainOneStepCell, WithLossCell

__all__ = [
    "AdaptiveAvgPool2d",
    "AvgPool1d",
    "AvgPool2d",
    "BatchNorm1d",
    "BatchNorm2d",
    "Cell",
    "CellList",
    "Conv1d",
    "Conv2d",
    "Dense",
    "Dropout",
    "Embedding",
    "Flatten",
    "Identity",
    "LayerNorm",
    "LeakyReLU",
    "MaxPool1d",
    "MaxPool2d",
    "SequentialCell",
    "TrainOneStepCell",
    "WithLossCell",
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
