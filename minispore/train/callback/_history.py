"""`History`: records the network's output and the validation metrics of every epoch."""

from __future__ import annotations

import numpy as np

from minispore.tensor import Tensor
from minispore.train.callback._callback import Callback


class History(Callback):
    """Records, per epoch, the network output (the loss: the mean of a Tensor, the first element
    of a tuple) as `history['net_output']`, and in `Model.fit` each validation metric.

    Attributes:
        epoch (dict): `{'epoch': [1, 2, ...]}`, the epochs seen.
        history (dict): `{'net_output': [...], 'accuracy': [...], ...}`, one value per epoch
            (metrics only for the epochs that were validated).

    Example:
        >>> history = History()
        >>> model.train(2, dataset, callbacks=history)
        >>> history.epoch
        {'epoch': [1, 2]}
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = None

    def on_train_begin(self, run_context):
        """Start a new `epoch` list (`history` keeps accumulating across runs)."""
        self.epoch = {"epoch": []}

    def on_train_epoch_end(self, run_context):
        """Append this epoch's network output and metrics."""
        cb_params = run_context.original_args()
        if self.epoch is None:
            self.epoch = {"epoch": []}
        self.epoch["epoch"].append(cb_params.get("cur_epoch_num", 1))
        net_output = cb_params.get("net_outputs")
        if (
            isinstance(net_output, (tuple, list))
            and net_output
            and isinstance(net_output[0], Tensor)
        ):
            net_output = net_output[0]
        if isinstance(net_output, Tensor):
            net_output = np.mean(net_output.asnumpy())
        current = {"net_output": net_output}
        metrics = cb_params.get("metrics")
        if metrics:
            current.update(metrics)
        for key, value in current.items():
            self.history.setdefault(key, []).append(value)
