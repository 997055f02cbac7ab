"""Learning-rate lists computed ahead of training, MindSpore's `nn.dynamic_lr` (layer 5).

Each function returns a Python list with one learning rate per step; pass it to an optimizer as
`learning_rate`. The module also holds the argument checks the optimizers and schedules share.
"""

from __future__ import annotations

import math

__all__ = [
    "piecewise_constant_lr",
    "exponential_decay_lr",
    "natural_exp_decay_lr",
    "inverse_decay_lr",
    "cosine_decay_lr",
    "polynomial_decay_lr",
    "warmup_lr",
]


def _where(owner):
    return f"For '{owner}', the" if owner else "The"


def _check_number(value, arg, owner, kind, low=None, strict=True):
    """Check that `value` is a finite `kind` (int or float, never bool) and above `low`.

    As MindSpore's checks: a float argument refuses an int and an int argument refuses a bool.
    """
    if isinstance(value, bool) or not isinstance(value, kind):
        raise TypeError(
            f"{_where(owner)} '{arg}' must be {kind.__name__}, but got {type(value).__name__}"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{_where(owner)} '{arg}' must be a finite number, but got {value}")
    if low is not None and (value <= low if strict else value < low):
        raise ValueError(
            f"{_where(owner)} '{arg}' must be {'>' if strict else '>='} {low}, but got {value}"
        )
    return value


def _check_positive_int(value, arg, owner=None):
    return _check_number(value, arg, owner, int, 0)


def _check_positive_float(value, arg, owner=None):
    return _check_number(value, arg, owner, float, 0.0)


def _check_non_negative_float(value, arg, owner=None):
    return _check_number(value, arg, owner, float, 0.0, strict=False)


def _check_bool(value, arg, owner=None):
    if not isinstance(value, bool):
        raise TypeError(f"{_where(owner)} '{arg}' must be a bool, but got {type(value).__name__}")
    return value


def _check_lr_range(min_lr, max_lr, owner, **counts):
    """The checks of a cosine decay: `min_lr` >= 0, `max_lr` > 0, each of `counts` a positive
    int, and `max_lr` > `min_lr`."""
    _check_non_negative_float(min_lr, "min_lr", owner)
    _check_positive_float(max_lr, "max_lr", owner)
    for arg, value in counts.items():
        _check_positive_int(value, arg, owner)
    if min_lr >= max_lr:
        raise ValueError(
            f"For '{owner}', 'max_lr' must be greater than 'min_lr', but got max_lr={max_lr}, "
            f"min_lr={min_lr}"
        )


def _epochs(total_step, step_per_epoch):
    """The epoch of every step: `step // step_per_epoch`."""
    return [math.floor(i / step_per_epoch) for i in range(total_step)]


def _decay_lr(
    owner, rate, learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair
):
    """The list of the three decay functions: `rate(epoch)` per step, after their shared checks."""
    _check_positive_int(total_step, "total_step", owner)
    _check_positive_int(step_per_epoch, "step_per_epoch", owner)
    _check_positive_int(decay_epoch, "decay_epoch", owner)
    _check_positive_float(learning_rate, "learning_rate", owner)
    _check_positive_float(decay_rate, "decay_rate", owner)
    _check_bool(is_stair, "is_stair", owner)
    return [rate(epoch) for epoch in _epochs(total_step, step_per_epoch)]


def piecewise_constant_lr(milestone, learning_rates):
    """A constant learning rate per interval: `learning_rates[t]` for steps in
    `[milestone[t-1], milestone[t])`.

    Args:
        milestone (Union[list[int], tuple[int]]): increasing positive step counts.
        learning_rates (Union[list[float], tuple[float]]): one float per milestone.

    Returns:
        list[float]: `milestone[-1]` values.

    Raises:
        TypeError: if an argument is not a list or tuple, or holds the wrong type.
        ValueError: if the lengths differ or the milestones decrease.

    Example:
        >>> piecewise_constant_lr([2, 5], [0.1, 0.05])
        [0.1, 0.1, 0.05, 0.05, 0.05]
    """
    owner = "piecewise_constant_lr"
    for arg, value in (("milestone", milestone), ("learning_rates", learning_rates)):
        if not isinstance(value, (list, tuple)):
            raise TypeError(
                f"For '{owner}', '{arg}' must be a list or tuple, but got {type(value).__name__}"
            )
    if len(milestone) != len(learning_rates):
        raise ValueError(
            f"For '{owner}', 'milestone' and 'learning_rates' must have the same length, but got "
            f"{len(milestone)} and {len(learning_rates)}"
        )
    lr = []
    last = 0
    for i, item in enumerate(milestone):
        _check_positive_int(item, f"milestone[{i}]", owner)
        _check_number(learning_rates[i], f"learning_rates[{i}]", owner, float)
        if item < last:
            raise ValueError(
                f"For '{owner}', milestone[{i}] must be >= milestone[{i - 1}], but got {item} < {last}"
            )
        lr += [learning_rates[i]] * (item - last)
        last = item
    return lr


def exponential_decay_lr(
    learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair=False
):
    """`learning_rate * decay_rate ** (epoch / decay_epoch)` per step, `epoch = step // step_per_epoch`
    (the exponent floored when `is_stair`).

    Args:
        learning_rate (float): the initial learning rate, > 0.
        decay_rate (float): the decay rate, > 0.
        total_step (int): the number of steps (the list's length).
        step_per_epoch (int): steps per epoch.
        decay_epoch (int): epochs per decay period.
        is_stair (bool): decay once every `decay_epoch` epochs instead of continuously.

    Returns:
        list[float]: `total_step` learning rates.

    Example:
        >>> exponential_decay_lr(0.1, 0.9, 4, 1, 2)[:2]
        [0.1, 0.0948683298050514]
    """

    def rate(epoch):
        p = epoch / decay_epoch
        return learning_rate * decay_rate ** (math.floor(p) if is_stair else p)

    args = (learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    return _decay_lr("exponential_decay_lr", rate, *args)


def natural_exp_decay_lr(
    learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair=False
):
    """`learning_rate * e ** (-decay_rate * epoch)` per step, `epoch = step // step_per_epoch`
    (rounded down to a multiple of `decay_epoch` when `is_stair`).

    Args and Returns: as `exponential_decay_lr`.
    """

    def rate(epoch):
        if is_stair:
            epoch = math.floor(epoch / decay_epoch) * decay_epoch
        return learning_rate * math.e ** (-decay_rate * epoch)

    args = (learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    return _decay_lr("natural_exp_decay_lr", rate, *args)


def inverse_decay_lr(
    learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair=False
):
    """`learning_rate / (1 + decay_rate * epoch / decay_epoch)` per step,
    `epoch = step // step_per_epoch` (the ratio floored when `is_stair`).

    Args and Returns: as `exponential_decay_lr`.
    """

    def rate(epoch):
        if is_stair:
            return learning_rate / (1 + decay_rate * math.floor(epoch / decay_epoch))
        return learning_rate / (1 + decay_rate * epoch / decay_epoch)

    args = (learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    return _decay_lr("inverse_decay_lr", rate, *args)


def cosine_decay_lr(min_lr, max_lr, total_step, step_per_epoch, decay_epoch):
    """`min_lr + (max_lr - min_lr) * (1 + cos(pi * epoch / decay_epoch)) / 2` per step,
    `epoch = min(step // step_per_epoch, decay_epoch)`.

    Args:
        min_lr (float): the final learning rate, >= 0.
        max_lr (float): the initial learning rate, > `min_lr`.
        total_step (int): the number of steps.
        step_per_epoch (int): steps per epoch.
        decay_epoch (int): epochs to decay over.

    Returns:
        list[float]: `total_step` learning rates.
    """
    _check_lr_range(
        min_lr,
        max_lr,
        "cosine_decay_lr",
        total_step=total_step,
        step_per_epoch=step_per_epoch,
        decay_epoch=decay_epoch,
    )
    delta = 0.5 * (max_lr - min_lr)
    return [
        min_lr + delta * (1 + math.cos(math.pi * min(epoch, decay_epoch) / decay_epoch))
        for epoch in _epochs(total_step, step_per_epoch)
    ]


def polynomial_decay_lr(
    learning_rate,
    end_learning_rate,
    total_step,
    step_per_epoch,
    decay_epoch,
    power,
    update_decay_epoch=False,
):
    """`(learning_rate - end_learning_rate) * (1 - epoch / decay) ** power + end_learning_rate` per
    step, with `epoch = min(step // step_per_epoch, decay_epoch)` and `decay = decay_epoch`; when
    `update_decay_epoch`, the epoch is not clipped and `decay` grows to the next multiple of
    `decay_epoch`.

    Args:
        learning_rate (float): the initial learning rate, > 0.
        end_learning_rate (float): the final learning rate, >= 0.
        total_step (int): the number of steps.
        step_per_epoch (int): steps per epoch.
        decay_epoch (int): epochs to decay over.
        power (float): the polynomial's power, > 0.
        update_decay_epoch (bool): restart the decay every `decay_epoch` epochs.

    Returns:
        list[float]: `total_step` learning rates.
    """
    owner = "polynomial_decay_lr"
    _check_positive_float(learning_rate, "learning_rate", owner)
    _check_non_negative_float(end_learning_rate, "end_learning_rate", owner)
    _check_positive_float(power, "power", owner)
    _check_positive_int(total_step, "total_step", owner)
    _check_positive_int(step_per_epoch, "step_per_epoch", owner)
    _check_positive_int(decay_epoch, "decay_epoch", owner)
    _check_bool(update_decay_epoch, "update_decay_epoch", owner)
    delta = learning_rate - end_learning_rate
    lr = []
    for epoch in _epochs(total_step, step_per_epoch):
        if update_decay_epoch:
            decay = decay_epoch * max(math.ceil(epoch / decay_epoch), 1)
        else:
            decay, epoch = decay_epoch, min(epoch, decay_epoch)
        lr.append(delta * (1 - epoch / decay) ** power + end_learning_rate)
    return lr


def warmup_lr(learning_rate, total_step, step_per_epoch, warmup_epoch):
    """`learning_rate * min(epoch, warmup_epoch) / warmup_epoch` per step,
    `epoch = step // step_per_epoch`.

    Args:
        learning_rate (float): the learning rate reached after warm-up, >= 0.
        total_step (int): the number of steps.
        step_per_epoch (int): steps per epoch.
        warmup_epoch (int): epochs of warm-up.

    Returns:
        list[float]: `total_step` learning rates.
    """
    owner = "warmup_lr"
    _check_non_negative_float(learning_rate, "learning_rate", owner)
    _check_positive_int(warmup_epoch, "warmup_epoch", owner)
    _check_positive_int(total_step, "total_step", owner)
    _check_positive_int(step_per_epoch, "step_per_epoch", owner)
    return [
        learning_rate * min(epoch, warmup_epoch) / warmup_epoch
        for epoch in _epochs(total_step, step_per_epoch)
    ]
