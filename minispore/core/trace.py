"""Trace levels: the stack of active traces, and helpers to start one.

Each transform pushes a trace with the next level. A tracer belongs to exactly one trace; to any
other trace it is a constant. `bind` hands a call to the highest level among its arguments, so
nested and closed-over transforms stay correct (no perturbation confusion).
"""

from __future__ import annotations

_stack: list = []


def outer_trace_active() -> bool:
    """True while some trace is running: cotangents may then be tracers, so no in-place tricks."""
    return bool(_stack)


class new_trace:
    """`with new_trace(cls) as trace:` pushes a trace of class `cls` one level above the current
    top and pops it however the block is left. (A class, not @contextmanager: it is cheaper.)"""

    __slots__ = ("trace",)

    def __init__(self, cls, *args):
        self.trace = cls(len(_stack) + 1, *args)

    def __enter__(self):
        _stack.append(self.trace)
        return self.trace

    def __exit__(self, *exc):
        _stack.pop()
        trace = self.trace
        trace.alive = False
        if trace.on_exit:
            for callback in trace.on_exit:
                callback()
        return False
