"""`minispore.nn`: cells, layers, losses, optimizers and learning-rate schedules (layer 5)."""

from minispore.nn.cell import Cell
from minispore.nn.dynamic_lr import (
    cosine_decay_lr,
    exponential_decay_lr,
    inverse_decay_lr,
    natural_exp_decay_lr,
    piecewise_constant_lr,
    polynomial_decay_lr,
    warmup_lr,
)
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
from minispore.nn.learning_rate_schedule import (
    CosineDecayLR,
    ExponentialDecayLR,
    InverseDecayLR,
    LearningRateSchedule,
    NaturalExpDecayLR,
    PolynomialDecayLR,
    WarmUpLR,
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
from minispore.nn.optim import (
    SGD,
    Adagrad,
    Adam,
    AdamW,
    AdamWeightDecay,
    Momentum,
    Optimizer,
    RMSProp,
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
    "Optimizer",
    "SGD",
    "Momentum",
    "Adam",
    "AdamWeightDecay",
    "AdamW",
    "RMSProp",
    "Adagrad",
    "LearningRateSchedule",
    "ExponentialDecayLR",
    "NaturalExpDecayLR",
    "InverseDecayLR",
    "CosineDecayLR",
    "PolynomialDecayLR",
    "WarmUpLR",
    "piecewise_constant_lr",
    "exponential_decay_lr",
    "natural_exp_decay_lr",
    "inverse_decay_lr",
    "cosine_decay_lr",
    "polynomial_decay_lr",
    "warmup_lr",
]


def __getattr__(name):
    # `nn.probability` (14 distributions) loads on first use, so `import minispore` stays fast.
    if name == "probability":
        import importlib

        return importlib.import_module("minispore.nn.probability")
    raise AttributeError(f"module 'minispore.nn' has no attribute '{name}'")
