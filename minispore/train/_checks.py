"""Argument checks shared by `Model`, callbacks and checkpoint settings; errors name the owner."""

from __future__ import annotations


def check_bool(value, op, arg):
    """`value` if it is a bool; TypeError naming `op` and `arg` otherwise."""
    if not isinstance(value, bool):
        raise TypeError(f"For '{op}', the argument '{arg}' must be a bool, but got {value!r}")
    return value


def check_int(value, op, arg, minimum=0):
    """`value` if it is an int >= `minimum`; TypeError or ValueError otherwise."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(
            f"For '{op}', the argument '{arg}' must be an int, but got {type(value).__name__} "
            f"{value!r}"
        )
    if value < minimum:
        raise ValueError(f"For '{op}', the argument '{arg}' must be >= {minimum}, but got {value}")
    return value
