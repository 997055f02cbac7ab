"""Training wrappers: `WithLossCell` (network + loss) and `TrainOneStepCell` (one optimizer step)."""

from __future__ import annotations

from minispore.nn.cell import Cell
from minispore.nn.layers.basic import Identity
from minispore.transforms import value_and_grad


class WithLossCell(Cell):
    """`loss_fn(backbone(data), label)`: the network with its loss, as one cell."""

    def __init__(self, backbone, loss_fn):
        super().__init__(auto_prefix=False)
        if not isinstance(backbone, Cell):
            raise TypeError(
                f"For 'WithLossCell', 'backbone' must be a Cell, but got {type(backbone).__name__}"
            )
        self._backbone = backbone
        self._loss_fn = loss_fn

    def construct(self, data, label):
        return self._loss_fn(self._backbone(data), label)

    @property
    def backbone_network(self):
        """The wrapped network."""
        return self._backbone


class TrainOneStepCell(Cell):
    """Calls `network(*inputs)` (a loss), differentiates it w.r.t. the optimizer's parameters,
    applies the optimizer and returns the loss (and the gradients when `return_grad`).

    `sens` scales the gradients (the cotangent of the loss); None means 1.0.
    """

    def __init__(self, network, optimizer, sens=None, return_grad=False):
        super().__init__(auto_prefix=False)
        if not isinstance(network, Cell):
            raise TypeError(
                f"For 'TrainOneStepCell', 'network' must be a Cell, but got {type(network).__name__}"
            )
        self.network = network
        self.network.set_grad()
        self.optimizer = optimizer
        self.weights = optimizer.parameters
        self.sens = 1.0 if sens is None else sens
        self.return_grad = return_grad
        self.grad_reducer = Identity()  # MindSpore's data-parallel reducer; one process here
        self._grad_fn = value_and_grad(self.network, None, self.weights)

    def construct(self, *inputs):
        loss, grads = self._grad_fn(*inputs)
        if self.sens != 1.0:
            grads = tuple(g * self.sens for g in grads)
        self.optimizer(grads)
        if self.return_grad:
            return loss, {w.name: g for w, g in zip(self.weights, grads)}
        return loss
