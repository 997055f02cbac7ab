"""`LossMonitor`: prints the training loss every few steps, and the metrics after validation."""

from __future__ import annotations

import math

from minispore.train._checks import check_int
from minispore.train.callback._callback import Callback, _handle_loss


class LossMonitor(Callback):
    """Prints `epoch: 1 step: 100, loss is 1.1244218349456787` every `per_print_times` steps.

    The step is counted within the epoch; the loss is the step's loss as a Python float. The
    steps between prints are counted over the whole run, as MindSpore does (with 5 steps per
    epoch and `per_print_times=3`, it prints epoch 1 step 3, epoch 2 step 1, epoch 2 step 4).
    In `Model.fit` it also prints `Eval result: epoch 1, metrics: {...}` after each validation.
    A NaN or infinite loss stops training with a ValueError.

    Args:
        per_print_times (int): print every this many steps; 0 prints no losses.

    Raises:
        TypeError: `per_print_times` is not an int.
        ValueError: `per_print_times` is negative.

    Example:
        >>> model.train(2, dataset, callbacks=LossMonitor(100))
        epoch: 1 step: 100, loss is 1.1244218349456787
    """

    def __init__(self, per_print_times=1):
        super().__init__()
        self._per_print_times = check_int(per_print_times, "LossMonitor", "per_print_times")
        self._last_print_time = 0

    def on_train_step_end(self, run_context):
        """Print the loss when due; stop on NaN or infinity."""
        cb_params = run_context.original_args()
        cur_epoch_num = cb_params.get("cur_epoch_num", 1)
        loss = _handle_loss(cb_params.net_outputs)
        cur_step_num = cb_params.cur_step_num
        cur_step_in_epoch = (cur_step_num - 1) % cb_params.batch_num + 1
        if isinstance(loss, float) and (math.isnan(loss) or math.isinf(loss)):
            raise ValueError(
                f"In epoch: {cur_epoch_num} step: {cur_step_in_epoch}, loss is NAN or INF, "
                "training process cannot continue, terminating training."
            )
        every = self._per_print_times
        if every == 0:
            return
        # A new run (or an evaluation in between) restarts the step count: rewind.
        while cur_step_num <= self._last_print_time:
            self._last_print_time -= max(
                every, cb_params.batch_num if cb_params.get("dataset_sink_mode") else 1
            )
        if cur_step_num - self._last_print_time >= every:
            self._last_print_time = cur_step_num
            print(f"epoch: {cur_epoch_num} step: {cur_step_in_epoch}, loss is {loss}", flush=True)

    def on_train_epoch_end(self, run_context):
        """In `Model.fit`, print the validation metrics of this epoch, if any."""
        cb_params = run_context.original_args()
        metrics = cb_params.get("metrics")
        if metrics:
            print(f"Eval result: epoch {cb_params.cur_epoch_num}, metrics: {metrics}", flush=True)
