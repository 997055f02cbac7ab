"""`LambdaCallback`: a callback made of functions, one per hook."""

from __future__ import annotations

from minispore.train.callback._callback import Callback

_NAMES = (
    "on_train_epoch_begin",
    "on_train_epoch_end",
    "on_train_step_begin",
    "on_train_step_end",
    "on_train_begin",
    "on_train_end",
    "on_eval_epoch_begin",
    "on_eval_epoch_end",
    "on_eval_step_begin",
    "on_eval_step_end",
    "on_eval_begin",
    "on_eval_end",
)


def _skip(run_context):
    return None


class LambdaCallback(Callback):
    """Runs the given functions, each `f(run_context)`, at their hooks; the others do nothing.

    Example:
        >>> cb = LambdaCallback(on_train_epoch_end=lambda rc: print(rc.original_args().net_outputs))
    """

    def __init__(
        self,
        on_train_epoch_begin=None,
        on_train_epoch_end=None,
        on_train_step_begin=None,
        on_train_step_end=None,
        on_train_begin=None,
        on_train_end=None,
        on_eval_epoch_begin=None,
        on_eval_epoch_end=None,
        on_eval_step_begin=None,
        on_eval_step_end=None,
        on_eval_begin=None,
        on_eval_end=None,
    ):
        super().__init__()
        given = locals()
        for name in _NAMES:
            fn = given[name]
            if fn is not None and not callable(fn):
                raise TypeError(
                    f"For 'LambdaCallback', '{name}' must be callable or None, but got "
                    f"{type(fn).__name__}"
                )
            setattr(self, name, fn if fn is not None else _skip)
