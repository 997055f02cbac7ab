"""`ProgressBar`: a tqdm progress bar per training epoch (minispore's own; not in MindSpore).

On a terminal the bar is live; elsewhere (a log file, a pipe, a notebook's captured output) it
prints one plain line per epoch, so logs stay readable. tqdm is imported only when a live bar
is drawn.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from minispore.train._checks import check_bool
from minispore.train.callback._callback import Callback, _handle_loss

_BAR_FORMAT = (
    "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}{postfix}]"
)


class ProgressBar(Callback):
    """Shows training progress: epoch i/n, step, running loss, samples per second and ETA.

    On a terminal each epoch gets a live tqdm bar, kept when the epoch ends::

        Epoch 1/5: 100%|██████████| 23/23 [00:01<00:00, loss=0.4721, 1843 samples/s, accuracy=0.9]

    When the output is not a terminal it prints one line per epoch instead::

        Epoch 1/5: 23/23 steps, 1.25 s, loss=0.4721, 1843 samples/s, accuracy=0.9, ETA 0:00:05

    `loss` is the mean of the epoch's step losses so far; `accuracy=...` (any scalar validation
    metric) appears in `Model.fit` on the epochs that were validated; the ETA is for the rest of
    the run. Lines other callbacks print (`LossMonitor`) appear above a live bar, not inside it.

    Args:
        file (file-like): where the bar goes; default `sys.stderr` at the time training starts.
        dynamic (bool): True forces a live bar, False plain lines; None (default) chooses a live
            bar when `file` is a terminal.
        leave (bool): keep each finished epoch's bar on screen (live bars only).

    Raises:
        ImportError: a live bar is needed and tqdm is not installed
            (`pip install "minispore[examples]"`).

    Example:
        >>> model.train(5, dataset, callbacks=[ProgressBar()])
    """

    def __init__(self, file=None, dynamic=None, leave=True):
        super().__init__()
        if dynamic is not None:
            check_bool(dynamic, "ProgressBar", "dynamic")
        self.file = file
        self.dynamic = dynamic
        self.leave = check_bool(leave, "ProgressBar", "leave")
        self._bar = None
        self._stdout = None
        self._epochs_total = None
        self._run_start = None
        self._epochs_done = 0

    # ---- hooks -----------------------------------------------------------------------------
    def on_train_begin(self, run_context):
        """Choose the output mode and, for a live bar, route `print` around it."""
        self._out = self.file if self.file is not None else sys.stderr
        self._live = self.dynamic if self.dynamic is not None else _isatty(self._out)
        if self._live:
            self._tqdm = _import_tqdm()
            self._stdout = sys.stdout
            sys.stdout = _AroundBar(self._stdout, self._tqdm, self._out)
        self._epochs_total = None
        self._epochs_done = 0
        self._run_start = time.perf_counter()

    def on_train_epoch_begin(self, run_context):
        """Start the epoch's bar and counters."""
        cb_params = run_context.original_args()
        epoch = cb_params.get("cur_epoch_num", 1)
        if self._epochs_total is None:
            self._epochs_total = epoch - 1 + cb_params.get("epoch_num", 1)
        self._desc = f"Epoch {epoch}/{self._epochs_total}"
        self._steps_total = cb_params.get("batch_num")
        self._steps = 0
        self._loss_sum = 0.0
        self._loss_count = 0
        self._samples = 0
        self._epoch_start = time.perf_counter()
        if self._live:
            self._bar = self._tqdm(
                total=self._steps_total,
                desc=self._desc,
                file=self._out,
                leave=self.leave,
                unit="step",
                dynamic_ncols=True,
                bar_format=_BAR_FORMAT,
            )

    def on_train_step_end(self, run_context):
        """Count the step and refresh the bar."""
        cb_params = run_context.original_args()
        self._steps += 1
        loss = _handle_loss(cb_params.get("net_outputs"))
        if hasattr(loss, "asnumpy"):
            loss = float(np.mean(loss.asnumpy()))
        if isinstance(loss, float):
            self._loss_sum += loss
            self._loss_count += 1
        self._samples += _batch_size(cb_params.get("train_dataset_element"))
        if self._bar is not None:
            self._bar.set_postfix_str(self._postfix(), refresh=False)
            self._bar.update(1)

    def on_train_epoch_end(self, run_context):
        """Close the epoch's bar, or print its line."""
        metrics = run_context.original_args().get("metrics") or {}
        extra = "".join(
            f", {k}={_fmt(v)}" for k, v in metrics.items() if np.ndim(v) == 0 and v is not None
        )
        self._epochs_done += 1
        if self._bar is not None:
            self._bar.set_postfix_str(self._postfix() + extra, refresh=True)
            self._bar.close()
            self._bar = None
        else:
            seconds = time.perf_counter() - self._epoch_start
            total = self._steps_total if self._steps_total else self._steps
            line = f"{self._desc}: {self._steps}/{total} steps, {seconds:.2f} s, {self._postfix()}"
            line += extra + self._eta()
            print(line, file=self._out, flush=True)

    def on_train_end(self, run_context):
        """Close any open bar and restore `sys.stdout`."""
        self._close()

    def __exit__(self, *err):
        self._close()

    # ---- helpers -----------------------------------------------------------------------------
    def _postfix(self):
        parts = []
        if self._loss_count:
            parts.append(f"loss={self._loss_sum / self._loss_count:.4f}")
        seconds = max(time.perf_counter() - self._epoch_start, 1e-9)
        if self._samples:
            parts.append(f"{self._samples / seconds:.0f} samples/s")
        else:
            parts.append(f"{self._steps / seconds:.1f} steps/s")
        return ", ".join(parts)

    def _eta(self):
        left = (self._epochs_total or 0) - self._epochs_done
        if left <= 0 or not self._epochs_done:
            return ""
        per_epoch = (time.perf_counter() - self._run_start) / self._epochs_done
        s = int(round(per_epoch * left))
        return f", ETA {s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"

    def _close(self):
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if self._stdout is not None:
            around, sys.stdout = sys.stdout, self._stdout
            self._stdout = None
            if isinstance(around, _AroundBar):
                around._flush_pending()


class _AroundBar:
    """`sys.stdout` while a live bar is shown: whole lines are written above the bar."""

    def __init__(self, stream, tqdm, bar_file):
        self._stream = stream
        self._tqdm = tqdm
        self._bar_file = bar_file
        self._pending = ""

    def write(self, s):
        self._pending += s
        cut = self._pending.rfind("\n")
        if cut >= 0:
            text, self._pending = self._pending[: cut + 1], self._pending[cut + 1 :]
            with self._tqdm.external_write_mode(file=self._bar_file):
                self._stream.write(text)
                self._stream.flush()
        return len(s)

    def flush(self):
        """Partial lines wait for their newline (writing them would collide with the bar)."""

    def _flush_pending(self):
        if self._pending:
            self._stream.write(self._pending)
            self._pending = ""
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _isatty(stream):
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _import_tqdm():
    try:
        from tqdm import tqdm
    except ImportError as e:
        raise ImportError(
            "ProgressBar draws its live bar with tqdm: pip install tqdm (or pip install "
            '"minispore[examples]"), or use ProgressBar(dynamic=False) for plain lines'
        ) from e
    return tqdm


def _batch_size(element):
    """Rows in the step's batch: the first axis of its first array-like column (0 if unknown)."""
    if isinstance(element, (list, tuple)) and element:
        shape = getattr(element[0], "shape", None)
        if shape:
            return int(shape[0])
    return 0


def _fmt(v):
    return f"{float(v):.4g}" if isinstance(v, (float, np.floating)) else str(v)
