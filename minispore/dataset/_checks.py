"""Argument checks shared by the dataset classes and transforms; messages name the operation."""

from __future__ import annotations

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_int(value, op: str, arg: str, low=None, high=None, allow_none=False):
    """`value` must be an int in [low, high] (None bounds are open); returns it."""
    if value is None and allow_none:
        return value
    if not is_int(value):
        raise TypeError(f"For '{op}', '{arg}' must be an int, but got {type(value).__name__}")
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        raise ValueError(f"For '{op}', '{arg}' must be within [{lo}, {hi}], but got {value}")
    return value


def check_bool(value, op: str, arg: str, allow_none=False):
    if value is None and allow_none:
        return value
    if not isinstance(value, bool):
        raise TypeError(f"For '{op}', '{arg}' must be a bool, but got {type(value).__name__}")
    return value


def column_list(columns, op: str, arg: str, allow_none=True):
    """A column argument (a str or a list of str) as a list; None stays None when allowed."""
    if columns is None and allow_none:
        return None
    if isinstance(columns, str):
        columns = [columns]
    if not isinstance(columns, (list, tuple)) or not columns:
        raise TypeError(
            f"For '{op}', '{arg}' must be a str or a non-empty list of str, but got {columns!r}"
        )
    for name in columns:
        if not isinstance(name, str) or not name:
            raise TypeError(
                f"For '{op}', every name in '{arg}' must be a non-empty str, but got {name!r}"
            )
    if len(set(columns)) != len(columns):
        raise ValueError(f"For '{op}', '{arg}' has duplicate names: {list(columns)}")
    return list(columns)


def check_columns_exist(columns, available, op: str, arg: str):
    """Every name in `columns` must be one of `available` (RuntimeError, as MindSpore)."""
    for name in columns:
        if name not in available:
            raise RuntimeError(
                f"For '{op}', column name: {name} in '{arg}' does not exist in the dataset "
                f"columns {list(available)}"
            )


def sampling_args(op, num_samples, num_parallel_workers, shuffle, num_shards, shard_id):
    """The checks MindSpore's source datasets share."""
    if num_samples is not None:
        if not is_int(num_samples):
            raise TypeError(
                f"For '{op}', 'num_samples' must be an int, but got {type(num_samples).__name__}"
            )
        if num_samples < 0 or num_samples > INT64_MAX:
            raise ValueError(
                f"For '{op}', 'num_samples' exceeds the boundary between 0 and "
                f"9223372036854775807(INT64_MAX): got {num_samples}"
            )
    check_int(num_parallel_workers, op, "num_parallel_workers", 1, allow_none=True)
    check_bool(shuffle, op, "shuffle", allow_none=True)
    if shard_id is not None and num_shards is None:
        raise RuntimeError(f"For '{op}', 'shard_id' is given but 'num_shards' is not")
    if num_shards is not None:
        check_int(num_shards, op, "num_shards", 1, INT32_MAX)
        if shard_id is None:
            raise RuntimeError(f"For '{op}', 'num_shards' is given but 'shard_id' is not")
        check_int(shard_id, op, "shard_id", 0, num_shards - 1)
