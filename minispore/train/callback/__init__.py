"""`minispore.train.callback`: `Callback`, `RunContext` and the callbacks `Model` runs, as in
`mindspore.train.callback`, plus minispore's `ProgressBar`."""

# The imports are the public names; `__all__` lists them from `_names`, which ruff cannot read.
# ruff: noqa: F401

from minispore.train._names import CALLBACK_NAMES
from minispore.train.callback._callback import Callback, RunContext
from minispore.train.callback._callback import _CallbackManager as _CallbackManager
from minispore.train.callback._callback import _InternalCallbackParam as _InternalCallbackParam
from minispore.train.callback._checkpoint import CheckpointConfig, ModelCheckpoint
from minispore.train.callback._early_stop import EarlyStopping
from minispore.train.callback._history import History
from minispore.train.callback._lambda_callback import LambdaCallback
from minispore.train.callback._loss_monitor import LossMonitor
from minispore.train.callback._lr_scheduler import LearningRateScheduler
from minispore.train.callback._progress import ProgressBar
from minispore.train.callback._time_monitor import TimeMonitor

__all__ = list(CALLBACK_NAMES)
