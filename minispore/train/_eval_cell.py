"""`WithEvalCell`: the network and its loss for evaluation, returning `(loss, outputs, label)`."""

from __future__ import annotations

from minispore import dtype as mstype
from minispore.nn.cell import Cell
from minispore.ops import cast


class WithEvalCell(Cell):
    """`(loss_fn(network(data), label), network(data), label)`, as `mindspore.nn.WithEvalCell`.

    `Model` builds one from `network` and `loss_fn` to compute metrics.

    Args:
        network (Cell): the forward network.
        loss_fn (Cell): the loss function.
        add_cast_fp32 (bool): cast the outputs and the label to float32 before the loss.
    """

    def __init__(self, network, loss_fn, add_cast_fp32=False):
        super().__init__(auto_prefix=False)
        if not isinstance(add_cast_fp32, bool):
            raise TypeError(
                f"For 'WithEvalCell', 'add_cast_fp32' must be a bool, but got {add_cast_fp32!r}"
            )
        self._network = network
        self._loss_fn = loss_fn
        self.add_cast_fp32 = add_cast_fp32

    def construct(self, data, label):
        outputs = self._network(data)
        if self.add_cast_fp32:
            label = cast(label, mstype.float32)
            outputs = cast(outputs, mstype.float32)
        loss = self._loss_fn(outputs, label)
        return loss, outputs, label
