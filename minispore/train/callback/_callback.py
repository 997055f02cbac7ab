"""`Callback`, `RunContext` and the plumbing `Model` uses to call a list of callbacks (layer 5).

A callback overrides hooks; `Model` calls them with a `RunContext` whose `original_args()` is
the dict-like `_InternalCallbackParam` holding MindSpore's fields (`cur_epoch_num`,
`cur_step_num`, `batch_num`, `net_outputs`, ...). Callbacks are also context managers, entered
for the whole run, so they can release resources even when training fails.
"""

from __future__ import annotations

from contextlib import ExitStack

import numpy as np

from minispore.tensor import Tensor


class Callback:
    """Base class of callbacks: override the hooks you need.

    Each `on_train_*`/`on_eval_*` hook calls its legacy alias by default (`on_train_step_end`
    calls `step_end`, ...), as in MindSpore; `Model.fit` refuses custom callbacks that define
    the legacy names, so new code should override the `on_*` hooks.

    Example:
        >>> class PrintStep(Callback):
        ...     def on_train_step_end(self, run_context):
        ...         cb_params = run_context.original_args()
        ...         print("step_num:", cb_params.cur_step_num)
    """

    def __enter__(self):
        return self

    def __exit__(self, *err):
        """Release resources; called once the run ends, also on an exception."""

    def begin(self, run_context):
        """Legacy alias of `on_train_begin` and `on_eval_begin`."""

    def epoch_begin(self, run_context):
        """Legacy alias of `on_train_epoch_begin` and `on_eval_epoch_begin`."""

    def epoch_end(self, run_context):
        """Legacy alias of `on_train_epoch_end` and `on_eval_epoch_end`."""

    def step_begin(self, run_context):
        """Legacy alias of `on_train_step_begin` and `on_eval_step_begin`."""

    def step_end(self, run_context):
        """Legacy alias of `on_train_step_end` and `on_eval_step_end`."""

    def end(self, run_context):
        """Legacy alias of `on_train_end` and `on_eval_end`."""

    def on_train_begin(self, run_context):
        """Called once before training."""
        self.begin(run_context)

    def on_train_epoch_begin(self, run_context):
        """Called before each training epoch."""
        self.epoch_begin(run_context)

    def on_train_epoch_end(self, run_context):
        """Called after each training epoch (after its validation in `Model.fit`)."""
        self.epoch_end(run_context)

    def on_train_step_begin(self, run_context):
        """Called before each training step."""
        self.step_begin(run_context)

    def on_train_step_end(self, run_context):
        """Called after each training step; `net_outputs` holds the step's loss."""
        self.step_end(run_context)

    def on_train_end(self, run_context):
        """Called once after training."""
        self.end(run_context)

    def on_eval_begin(self, run_context):
        """Called once before evaluation."""
        self.begin(run_context)

    def on_eval_epoch_begin(self, run_context):
        """Called before the evaluation pass."""
        self.epoch_begin(run_context)

    def on_eval_epoch_end(self, run_context):
        """Called after the evaluation pass."""
        self.epoch_end(run_context)

    def on_eval_step_begin(self, run_context):
        """Called before each evaluation step."""
        self.step_begin(run_context)

    def on_eval_step_end(self, run_context):
        """Called after each evaluation step; `net_outputs` holds the eval network's outputs."""
        self.step_end(run_context)

    def on_eval_end(self, run_context):
        """Called once after evaluation; `metrics` holds the results."""
        self.end(run_context)


_HOOKS = (
    "begin",
    "epoch_begin",
    "epoch_end",
    "step_begin",
    "step_end",
    "end",
    "on_train_begin",
    "on_train_epoch_begin",
    "on_train_epoch_end",
    "on_train_step_begin",
    "on_train_step_end",
    "on_train_end",
    "on_eval_begin",
    "on_eval_epoch_begin",
    "on_eval_epoch_end",
    "on_eval_step_begin",
    "on_eval_step_end",
    "on_eval_end",
)


def _dispatcher(hook):
    def call(self, run_context):
        for cb in self._callbacks:
            getattr(cb, hook)(run_context)

    call.__name__ = hook
    call.__doc__ = f"Calls `{hook}` of every callback, in order."
    return call


class _CallbackManager(Callback):
    """Calls each hook on every callback of a list, in order; enters them as context managers."""

    def __init__(self, callbacks, op="Model.train"):
        self._callbacks, self._stack = [], None
        if isinstance(callbacks, Callback):
            callbacks = [callbacks]
        elif callbacks is None:
            callbacks = []
        elif not isinstance(callbacks, list):
            raise TypeError(
                f"For '{op}', 'callbacks' must be a Callback or a list of Callback, but got "
                f"{type(callbacks).__name__}"
            )
        for i, cb in enumerate(callbacks):
            if not isinstance(cb, Callback):
                raise TypeError(
                    f"For '{op}', every element of 'callbacks' must be a Callback, but element "
                    f"{i} is {type(cb).__name__} {cb!r}"
                )
            self._callbacks.append(cb)

    def __enter__(self):
        if self._stack is None:
            self._stack = ExitStack().__enter__()
            entered = []
            for cb in self._callbacks:
                target = self._stack.enter_context(cb)
                entered.append(target if isinstance(target, Callback) else cb)
            self._callbacks = entered
        return self

    def __exit__(self, *err):
        return self._stack.__exit__(*err)


for _hook in _HOOKS:
    setattr(_CallbackManager, _hook, _dispatcher(_hook))


class _InternalCallbackParam(dict):
    """The run's fields, readable as keys or attributes (`cb_params.cur_step_num`).

    Note:
        A missing field raises AttributeError (MindSpore: KeyError), so `hasattr` and
        `getattr(cb_params, name, default)` work.
    """

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(
                f"The callback parameters have no field {key!r}; present: {sorted(self)}"
            ) from None

    def __setattr__(self, key, value):
        self[key] = value


class RunContext:
    """What a callback receives: the run's fields and a way to stop the run.

    Args:
        original_args (dict): the fields, returned by `original_args()`.

    Fields set by `Model` (train / eval): `train_network`, `network`, `optimizer`, `loss_fn`,
    `train_dataset`, `epoch_num` (epochs this call runs), `cur_epoch_num` (1-based),
    `cur_step_num` (counted over the whole run, not per epoch), `batch_num` (steps per epoch),
    `net_outputs` (the step's loss; in eval the eval network's outputs), `mode`
    ('train'/'eval'), `dataset_sink_mode`, `list_callback`, `train_dataset_element`;
    in eval `eval_network`, `valid_dataset`, `metrics`, and in `Model.fit` `eval_results`
    (metrics plus `eval_loss`).

    Example:
        >>> run_context = RunContext({"cur_epoch_num": 4, "cur_step_num": 2})
        >>> run_context.get_stop_requested()
        False
    """

    def __init__(self, original_args):
        if not isinstance(original_args, dict):
            raise TypeError(
                "For 'RunContext', the argument 'original_args' must be a dict, but got "
                f"{type(original_args).__name__}"
            )
        self._original_args = original_args
        self._stop_requested = False

    def original_args(self):
        """The fields of the run (a dict, readable by attribute when `Model` made it)."""
        return self._original_args

    def request_stop(self):
        """Ask the run to stop: `Model` ends the epoch (step loop) and then the run."""
        self._stop_requested = True

    def get_stop_requested(self):
        """Whether `request_stop` was called."""
        return self._stop_requested


def _handle_loss(loss):
    """The loss to report from `net_outputs`: the first element of a tuple, the mean of a
    Tensor as a Python float, anything else unchanged."""
    if isinstance(loss, (tuple, list)):
        if loss and isinstance(loss[0], Tensor):
            loss = loss[0]
    elif isinstance(loss, Tensor):
        loss = float(np.mean(loss.asnumpy()))
    return loss
