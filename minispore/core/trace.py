"""Trace levels: the stack of active traces, and helpers to start one.

Each transform pushes a trace with the next level. A tracer belongs to exactly one trace; to any
other trace it is a constant. `bind` hands a call to the highest level among its arguments, so
nested and closed-over transforms stay correct (no perturbation confusion).
"""

from __future__ import annotations

from contextlib import contextmanager

_stack: list = []


def current_level() -> int:
    return len(_stack)


def outer_trace_active() -> bool:
    """True while some trace is running: cotangents may then be tracers, so no in-place tricks."""
    return bool(_stack)


@contextmanager
def new_trace(cls, *args):
    """Push a new trace of class `cls` one level above the current top; pop it however we leave."""
    trace = cls(len(_stack) + 1, *args)
    _stack.append(trace)
    try:
        yield trace
    finally:
        _stack.pop()
        trace.alive = False
