"""Learning-rate schedules: cells that map the global step to a learning rate (layer 5).

An optimizer given a `LearningRateSchedule` as `learning_rate` calls it with its `global_step`
before every update. The arithmetic runs in float32 in MindSpore's order of operations, so the
values agree with MindSpore's to the last bit or two. It is written with primitives (on plain
arrays they are the NumPy functions), so that inside `jit` the rate follows the traced step.
"""

from __future__ import annotations

import math

import numpy as np

from minispore.core.primitive import Tracer
from minispore.nn.cell import Cell
from minispore.nn.dynamic_lr import (
    _check_bool,
    _check_lr_range,
    _check_non_negative_float,
    _check_positive_float,
    _check_positive_int,
)
from minispore.prims import elementwise as E
from minispore.tensor import Tensor, _wrap

__all__ = [
    "LearningRateSchedule",
    "ExponentialDecayLR",
    "NaturalExpDecayLR",
    "InverseDecayLR",
    "CosineDecayLR",
    "PolynomialDecayLR",
    "WarmUpLR",
]

F32 = np.float32


def _step_value(global_step, owner):
    """The global step as an integer ndarray (any shape: MindSpore keeps the step's shape), or
    its traced value inside a transform."""
    if isinstance(global_step, Tensor):
        value = global_step._value
        if not isinstance(value, Tracer):
            value = np.asarray(value)
    elif isinstance(global_step, (int, np.integer)) and not isinstance(global_step, bool):
        value = np.asarray(global_step)
    else:
        raise TypeError(
            f"For '{owner}', 'global_step' must be an int or an integer Tensor, but got "
            f"{type(global_step).__name__}"
        )
    if value.dtype.kind not in "iu":
        raise TypeError(
            f"For '{owner}', 'global_step' must be an integer, but got dtype {value.dtype}"
        )
    return value


def _lr_tensor(value):
    if isinstance(value, Tracer):
        return _wrap(value if value.dtype == F32 else E.cast(value, dtype=np.dtype(F32)))
    return _wrap(np.asarray(value, dtype=F32))


class LearningRateSchedule(Cell):
    """Base class of learning-rate schedules: `construct(global_step)` returns the learning rate.

    Subclasses return a float32 Tensor with the shape of `global_step`.
    """

    def construct(self, global_step):
        raise NotImplementedError(f"{type(self).__name__} must define construct(global_step)")


class _DecayLR(LearningRateSchedule):
    """The arguments and checks of the exponential, natural-exponential and inverse decays."""

    def __init__(self, learning_rate, decay_rate, decay_steps, is_stair=False):
        super().__init__()
        owner = type(self).__name__
        _check_positive_int(decay_steps, "decay_steps", owner)
        _check_positive_float(learning_rate, "learning_rate", owner)
        _check_positive_float(decay_rate, "decay_rate", owner)
        _check_bool(is_stair, "is_stair", owner)
        self.learning_rate = learning_rate
        self.decay_rate = decay_rate
        self.decay_steps = decay_steps
        self.is_stair = is_stair

    def _periods(self, global_step, owner):
        """`global_step / decay_steps` in float32, floored when `is_stair`."""
        p = _step_value(global_step, owner).astype(F32) / self.decay_steps
        return E.floor(p) if self.is_stair else p


class ExponentialDecayLR(_DecayLR):
    """`learning_rate * decay_rate ** p` with `p = global_step / decay_steps` (floored when
    `is_stair`).

    Args:
        learning_rate (float): the initial learning rate, > 0.
        decay_rate (float): the decay rate, > 0.
        decay_steps (int): steps per decay period, > 0.
        is_stair (bool): decay in steps of `decay_steps` instead of continuously.

    Example:
        >>> ExponentialDecayLR(0.1, 0.9, 4)(Tensor(2, mindspore.int32))  # 0.1 * 0.9 ** 0.5
    """

    def construct(self, global_step):
        p = self._periods(global_step, "ExponentialDecayLR")
        return _lr_tensor(self.learning_rate * E.power(F32(self.decay_rate), p))


class NaturalExpDecayLR(_DecayLR):
    """`learning_rate * e ** (-decay_rate * p)` with `p = global_step` (rounded down to a multiple
    of `decay_steps` when `is_stair`).

    Args: as `ExponentialDecayLR`.
    """

    def construct(self, global_step):
        p = _step_value(global_step, "NaturalExpDecayLR").astype(F32)
        if self.is_stair:
            p = E.floor_divide(p, F32(self.decay_steps)) * self.decay_steps
        return _lr_tensor(self.learning_rate * E.power(F32(math.e), -self.decay_rate * p))


class InverseDecayLR(_DecayLR):
    """`learning_rate / (1 + decay_rate * p)` with `p = global_step / decay_steps` (floored when
    `is_stair`).

    Args: as `ExponentialDecayLR`.
    """

    def construct(self, global_step):
        p = self._periods(global_step, "InverseDecayLR")
        return _lr_tensor(self.learning_rate / (1 + self.decay_rate * p))


class CosineDecayLR(LearningRateSchedule):
    """`min_lr + (max_lr - min_lr) * (1 + cos(pi * p)) / 2` with
    `p = min(global_step, decay_steps) / decay_steps`.

    Args:
        min_lr (float): the final learning rate, >= 0.
        max_lr (float): the initial learning rate, > `min_lr`.
        decay_steps (int): steps to decay over, > 0.
    """

    def __init__(self, min_lr, max_lr, decay_steps):
        super().__init__()
        _check_lr_range(min_lr, max_lr, "CosineDecayLR", decay_steps=decay_steps)
        self.min_lr = min_lr
        self.max_lr = max_lr
        self.decay_steps = decay_steps
        self.delta = 0.5 * (max_lr - min_lr)

    def construct(self, global_step):
        step = _step_value(global_step, "CosineDecayLR")
        p = E.minimum(step, self.decay_steps).astype(F32)
        # NOTE: MindSpore writes cos(pi * x) as sin(pi * (x + 0.5)); the same form rounds alike.
        angle = E.mul(F32(math.pi), E.add(p / self.decay_steps, F32(0.5)))
        return _lr_tensor(self.min_lr + self.delta * E.add(F32(1.0), E.sin(angle)))


class PolynomialDecayLR(LearningRateSchedule):
    """`(learning_rate - end_learning_rate) * (1 - p) ** power + end_learning_rate` with
    `p = min(global_step, decay_steps) / decay_steps`; when `update_decay_steps`, the step is not
    clipped and the decay period grows to the next multiple of `decay_steps`.

    Args:
        learning_rate (float): the initial learning rate, > 0.
        end_learning_rate (float): the final learning rate, >= 0.
        decay_steps (int): steps to decay over, > 0.
        power (float): the polynomial's power, > 0.
        update_decay_steps (bool): restart the decay every `decay_steps` steps.
    """

    def __init__(
        self, learning_rate, end_learning_rate, decay_steps, power, update_decay_steps=False
    ):
        super().__init__()
        owner = "PolynomialDecayLR"
        _check_positive_float(learning_rate, "learning_rate", owner)
        _check_non_negative_float(end_learning_rate, "end_learning_rate", owner)
        _check_positive_int(decay_steps, "decay_steps", owner)
        _check_bool(update_decay_steps, "update_decay_steps", owner)
        _check_positive_float(power, "power", owner)
        self.decay_steps = decay_steps
        self.start_learning_rate = learning_rate
        self.end_learning_rate = end_learning_rate
        self.diff_learning_rate = learning_rate - end_learning_rate
        self.power = power
        self.update_decay_steps = update_decay_steps

    def construct(self, global_step):
        step = _step_value(global_step, "PolynomialDecayLR").astype(F32)
        decay = self.decay_steps
        if self.update_decay_steps:
            decay = decay * E.maximum(E.ceil(step / decay), F32(1.0))
        else:
            step = E.minimum(step, F32(decay))
        p = step / decay
        lr = self.diff_learning_rate * E.power(E.sub(F32(1.0), p), F32(self.power))
        return _lr_tensor(lr + self.end_learning_rate)


class WarmUpLR(LearningRateSchedule):
    """`learning_rate * min(global_step, warmup_steps) / warmup_steps`.

    Args:
        learning_rate (float): the learning rate reached after warm-up, >= 0.
        warmup_steps (int): steps of warm-up, > 0.
    """

    def __init__(self, learning_rate, warmup_steps):
        super().__init__()
        _check_non_negative_float(learning_rate, "learning_rate", "WarmUpLR")
        _check_positive_int(warmup_steps, "warmup_steps", "WarmUpLR")
        self.warmup_steps = warmup_steps
        self.learning_rate = learning_rate

    def construct(self, global_step):
        step = _step_value(global_step, "WarmUpLR")
        percent = E.minimum(step, self.warmup_steps).astype(F32) / self.warmup_steps
        return _lr_tensor(self.learning_rate * percent)
