"""`TimeMonitor`: prints the time of each epoch and the time per step."""

from __future__ import annotations

import time

from minispore.train._checks import check_bool, check_int
from minispore.train.callback._callback import Callback


class TimeMonitor(Callback):
    """Prints `Train epoch time: 96.945 ms, per step time: 19.389 ms` after each epoch
    (`Eval epoch time: ...` after a validation pass in `Model.fit` or `Model.eval`).

    Args:
        data_size (int): steps per epoch, used only when the run does not know `batch_num`.
        data_time (bool): also print the mean time spent waiting for data per step
            (` (data time: 0.123 ms)`).

    Raises:
        TypeError: `data_size` is not None or an int, or `data_time` is not a bool.
        ValueError: `data_size` is not positive.

    Note:
        The train epoch time runs from the epoch's start to the end of its last step, so it
        excludes the validation of `Model.fit` (MindSpore restarts the clock when the
        validation pass starts and reports that span instead).
    """

    def __init__(self, data_size=None, data_time=False):
        super().__init__()
        if data_size is not None:
            check_int(data_size, "TimeMonitor", "data_size", minimum=1)
        self.data_size = data_size
        self.data_time = check_bool(data_time, "TimeMonitor", "data_time")
        self._start = {"train": time.time(), "eval": time.time()}
        self._train_last_step = None
        self._data_time_sum = 0.0
        self._data_time_start = 0.0

    def on_train_epoch_begin(self, run_context):
        """Start the epoch's clock."""
        self._start["train"] = time.time()
        self._train_last_step = None
        self._data_time_sum = 0.0
        self._data_time_start = time.time()

    def on_train_step_begin(self, run_context):
        """Count the time since the last step ended as data time."""
        if self.data_time:
            self._data_time_sum += time.time() - self._data_time_start

    def on_train_step_end(self, run_context):
        """Mark the end of a step."""
        now = time.time()
        self._train_last_step = now
        self._data_time_start = now

    def on_train_epoch_end(self, run_context):
        """Print the epoch time."""
        end = self._train_last_step if self._train_last_step is not None else time.time()
        self._report(run_context, end - self._start["train"], "Train")

    def on_eval_epoch_begin(self, run_context):
        """Start the validation pass's clock."""
        self._start["eval"] = time.time()

    def on_eval_epoch_end(self, run_context):
        """Print the validation pass's time."""
        self._report(run_context, time.time() - self._start["eval"], "Eval")

    def _report(self, run_context, seconds, mode):
        cb_params = run_context.original_args()
        steps = self.data_size
        batch_num = cb_params.get("batch_num")
        if isinstance(batch_num, int) and batch_num > 0:
            steps = batch_num
        if steps is None:
            raise ValueError(
                "For 'TimeMonitor', the run has no 'batch_num'; pass 'data_size' (steps per epoch)"
            )
        epoch_ms = seconds * 1000
        line = f"{mode} epoch time: {epoch_ms:5.3f} ms, per step time: {epoch_ms / steps:5.3f} ms"
        if self.data_time and mode == "Train":
            line += f" (data time: {self._data_time_sum * 1000 / steps:5.3f} ms)"
        print(line, flush=True)
