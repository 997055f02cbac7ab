"""`minispore.nn.optim`: MindSpore's optimizers, updating Parameters in place with NumPy (layer 5)."""

from minispore.nn.optim.ada_grad import Adagrad
from minispore.nn.optim.adam import Adam, AdamW, AdamWeightDecay
from minispore.nn.optim.momentum import Momentum
from minispore.nn.optim.optimizer import Optimizer
from minispore.nn.optim.rmsprop import RMSProp
from minispore.nn.optim.sgd import SGD

__all__ = ["Optimizer", "SGD", "Momentum", "Adam", "AdamWeightDecay", "AdamW", "RMSProp", "Adagrad"]
