"""`EarlyStopping`: stops training when a monitored quantity stops improving."""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from minispore.train._checks import check_bool, check_int
from minispore.train.callback._callback import Callback, _handle_loss

_SMALLER_BETTER = (
    "hausdorff_distance",
    "mae",
    "mse",
    "loss",
    "perplexity",
    "mean_surface_distance",
    "root_mean_square_distance",
    "eval_loss",
)


class EarlyStopping(Callback):
    """Stops training once `monitor` has not improved for `patience` epochs.

    At each epoch end the monitored value is compared with the best so far: it improves when it
    is better by more than `min_delta`. The wait counter restarts on an improvement (that also
    beats `baseline`, when given) and training stops once the counter reaches `patience`.

    Args:
        monitor (str): 'loss' (the last step's training loss), or with `Model.fit` 'eval_loss'
            (the validation loss) or a metric name given to `Model`.
        min_delta (float): the smallest change that counts as an improvement.
        patience (int): epochs without improvement to wait; 0 stops at the first one.
        verbose (bool): print `Epoch 00003: early stopping` at the end of training.
        mode (str): 'min', 'max', or 'auto' ('min' for losses and errors, 'max' otherwise).
        baseline (float): a value the monitored quantity must beat to reset the counter.
        restore_best_weights (bool): load the weights of the best epoch when stopping.

    Attributes:
        stopped_epoch (int): the epoch training stopped at (0 if it did not).
        best: the best monitored value (a 0-d ndarray once seen).

    Raises:
        ValueError: `mode` is not 'auto', 'min' or 'max', or the monitored value is not a scalar.

    Note:
        MindSpore 2.10 replaces `baseline` by `min_delta` and treats a monitored value of
        exactly 0 as missing; minispore uses `baseline` and counts 0 as a value.

    Example:
        >>> model.fit(10, train_dataset, valid_dataset,
        ...           callbacks=EarlyStopping(monitor="accuracy", patience=3))
    """

    def __init__(
        self,
        monitor="eval_loss",
        min_delta=0,
        patience=0,
        verbose=False,
        mode="auto",
        baseline=None,
        restore_best_weights=False,
    ):
        super().__init__()
        op = "EarlyStopping"
        if not isinstance(monitor, str):
            raise TypeError(f"For '{op}', 'monitor' must be a str, but got {monitor!r}")
        if not isinstance(min_delta, numbers.Real) or isinstance(min_delta, bool):
            raise TypeError(
                f"For '{op}', 'min_delta' must be a float or int, but got {min_delta!r}"
            )
        if baseline is not None and (
            not isinstance(baseline, numbers.Real) or isinstance(baseline, bool)
        ):
            raise TypeError(
                f"For '{op}', 'baseline' must be a float, int or None, but got {baseline!r}"
            )
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"For '{op}', 'mode' must be 'auto', 'min' or 'max', but got {mode!r}")
        self.monitor = monitor
        self.min_delta = abs(min_delta)
        self.patience = check_int(patience, op, "patience")
        self.verbose = check_bool(verbose, op, "verbose")
        self.mode = mode
        self.baseline = baseline
        self.restore_best_weights = check_bool(restore_best_weights, op, "restore_best_weights")
        self._minimize = mode == "min" or (mode == "auto" and monitor in _SMALLER_BETTER)
        self._reset()

    def _reset(self):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf if self._minimize else -np.inf
        self.best_weights_param_dict = None

    def is_improvement(self, a, b):
        """Whether `a` is better than `b` by more than `min_delta`."""
        if self._minimize:
            return bool(np.less(a, b - self.min_delta))
        return bool(np.greater(a, b + self.min_delta))

    def on_train_begin(self, run_context):
        """Reset the counter and the best value."""
        self._reset()

    def on_train_epoch_end(self, run_context):
        """Compare the monitored value with the best one; request a stop when patience ran out."""
        cb_params = run_context.original_args()
        current = self._get_monitor_value(cb_params)
        if current is None:
            return
        network = cb_params.train_network
        if self.restore_best_weights and self.best_weights_param_dict is None:
            self.best_weights_param_dict = _snapshot(network)
        self.wait += 1
        if self.is_improvement(current, self.best):
            self.best = current
            if self.restore_best_weights:
                self.best_weights_param_dict = _snapshot(network)
            if self.baseline is None or self.is_improvement(current, self.baseline):
                self.wait = 0
        if self.wait >= self.patience:
            self.stopped_epoch = cb_params.get("cur_epoch_num")
            run_context.request_stop()
            if self.restore_best_weights and self.best_weights_param_dict is not None:
                if self.verbose:
                    print("Restoring model weights from the end of the best epoch.")
                for p in network.get_parameters():
                    if p.name in self.best_weights_param_dict:
                        p.set_data(self.best_weights_param_dict[p.name])

    def on_train_end(self, run_context):
        """With `verbose`, print the epoch training stopped at."""
        if self.stopped_epoch > 0 and self.verbose:
            print(f"Epoch {self.stopped_epoch:05d}: early stopping")

    def _get_monitor_value(self, cb_params):
        candidates = {}
        if self.monitor == "loss":
            value = _handle_loss(cb_params.get("net_outputs"))
            if hasattr(value, "asnumpy"):
                value = value.asnumpy()
        else:
            candidates = cb_params.get("eval_results") or {}
            value = candidates.get(self.monitor)
        if value is None:
            warnings.warn(
                f"EarlyStopping is conditioned on {self.monitor!r}, which is not available. "
                f"Available choices are: {sorted({'loss', *candidates})}",
                stacklevel=2,
            )
            return None
        value = np.array(value)
        if value.shape != ():
            raise ValueError(
                f"For 'EarlyStopping', the monitored value {self.monitor!r} must be a scalar, but "
                f"got shape {value.shape}"
            )
        return value


def _snapshot(network):
    return {p.name: p.asnumpy().copy() for p in network.get_parameters()}
