"""`LearningRateScheduler`: changes the optimizer's learning rate after every step."""

from __future__ import annotations

import math

import numpy as np

from minispore.parameter import Parameter
from minispore.train.callback._callback import Callback


class LearningRateScheduler(Callback):
    """After each step, sets the learning rate to `learning_rate_function(lr, cur_step_num)`.

    Args:
        learning_rate_function (Callable): `(lr: float, cur_step_num: int) -> float`; `lr` is
            the current rate as printed in float32 (0.1, not 0.10000000149011612) and
            `cur_step_num` counts steps over the whole run.

    Example:
        >>> def learning_rate_function(lr, cur_step_num):
        ...     return lr * 0.1 if cur_step_num % 1000 == 0 else lr
        >>> model.train(1, dataset, callbacks=[LearningRateScheduler(learning_rate_function)])
    """

    def __init__(self, learning_rate_function):
        super().__init__()
        if not callable(learning_rate_function):
            raise TypeError(
                "For 'LearningRateScheduler', 'learning_rate_function' must be callable, but got "
                f"{type(learning_rate_function).__name__}"
            )
        self.learning_rate_function = learning_rate_function

    def on_train_step_end(self, run_context):
        """Apply the function to the optimizer's learning rate."""
        cb_params = run_context.original_args()
        param = getattr(cb_params.get("optimizer"), "learning_rate", None)
        if not isinstance(param, Parameter):
            raise TypeError(
                "For 'LearningRateScheduler', the optimizer must have a fixed learning rate (a "
                f"Parameter 'learning_rate'), but got {type(param).__name__}"
            )
        lr = float(np.array2string(param.asnumpy()))
        new_lr = self.learning_rate_function(lr, cb_params.cur_step_num)
        if not math.isclose(lr, new_lr, rel_tol=1e-10):
            param.set_data(np.asarray(new_lr, dtype=param.asnumpy().dtype))
