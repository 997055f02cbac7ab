"""`Adagrad`: per-coordinate learning rates from the accumulated squared gradients (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore.core.primitive import _capturing
from minispore.nn.dynamic_lr import _check_bool, _check_non_negative_float
from minispore.nn.optim.optimizer import Optimizer
from minispore.prims import elementwise as E

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad, MindSpore's `mindspore.nn.Adagrad`.

    `accum += g^2` (when `update_slots`), then `p -= lr * g / sqrt(accum)`; `g` is the gradient
    after weight decay and loss scaling. NOTE: as MindSpore, no epsilon is added to the root.

    Args:
        params (Union[list[Parameter], list[dict]]): the parameters or parameter groups.
        accum (float): the accumulator's initial value, >= 0. Default 0.1.
        learning_rate (Union[float, int, Tensor, Iterable, LearningRateSchedule]): default 0.001.
        update_slots (bool): accumulate the squared gradients. Default True.
        loss_scale (float): gradients are divided by it. Default 1.0.
        weight_decay (Union[float, int, Cell]): >= 0. Default 0.0.

    Outputs:
        tuple[bool]: `True` per parameter.

    State: `accum.<name>`.
    """

    def __init__(
        self,
        params,
        accum=0.1,
        learning_rate=0.001,
        update_slots=True,
        loss_scale=1.0,
        weight_decay=0.0,
    ):
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        _check_non_negative_float(accum, "accum", "Adagrad")
        self.update_slots = _check_bool(update_slots, "update_slots", "Adagrad")
        self.accum = self._state("accum", accum)

    def construct(self, grads):
        if _capturing:
            return self._construct_traced(grads)
        grads, lrs = self._begin_step(grads)
        for p, g, lr, acc in zip(self._parameters, grads, lrs, self.accum):
            a = acc._value
            if self.update_slots:
                a += g * g
            step = g * lr
            step /= np.sqrt(a)
            p._value -= step
        return self._success

    def _construct_traced(self, grads):
        """`construct` with primitives, for jit: the same operations in the same order."""
        grads, lrs = self._begin_step_traced(grads)
        for p, g, lr, acc in zip(self._parameters, grads, lrs, self.accum):
            a = acc._value
            if self.update_slots:
                a = E.add(a, E.mul(g, g))
                self._set(acc, a)
            self._set(p, E.sub(p._value, E.div(E.mul(g, lr), E.sqrt(a))))
        return self._success
