"""Operations on state and on the gradient flow: `assign`, `stop_gradient`, `depend`."""

from __future__ import annotations

import numpy as np

from minispore.core.primitive import Tracer, concrete
from minispore.parameter import Parameter
from minispore.prims import elementwise as E
from minispore.prims import shape as S
from minispore.tensor import Tensor, _wrap


def stop_gradient(value):
    """`value` cut from the graph: a new Tensor (or a tuple of them) that carries no gradient.
    Python scalars are returned unchanged."""
    if isinstance(value, Tensor):
        return _wrap(E.stop_gradient(value._value))
    if isinstance(value, (tuple, list)):
        return type(value)(stop_gradient(v) for v in value)
    return value


def assign(variable, value):
    """Write `value` into the Parameter `variable` in place (cast to its dtype); returns it."""
    value_ = value
    _check_variable(variable, "assign")
    v = value_._value if isinstance(value_, Tensor) else np.asarray(value_)
    shape = variable.shape
    try:
        fits = np.broadcast_shapes(tuple(v.shape), shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"For 'assign', 'value' of shape {tuple(v.shape)} does not fit Parameter "
            f"'{variable.name}' of shape {shape}"
        )
    if isinstance(variable._value, Tracer) or isinstance(v, Tracer):
        # Under a transform the update is functional: the parameter's value becomes the new
        # one, and when the trace that made it ends the parameter keeps the plain value.
        dt = variable._value.dtype
        new = v if tuple(v.shape) == shape else S.broadcast_to(v, shape=shape)
        if new.dtype != dt:
            new = E.cast(new, dtype=dt)
        variable._value = new
        _settle_later(variable, new)
    elif isinstance(variable._value, np.ndarray) and variable._value.flags.writeable:
        # In place, as MindSpore: arrays from asnumpy() see the update.
        np.copyto(variable._value, concrete(v), casting="unsafe")
    else:
        variable._value = np.array(
            np.broadcast_to(concrete(v), variable.shape), dtype=variable._value.dtype
        )
    return variable


def _settle_later(variable, new):
    if not isinstance(new, Tracer):
        return
    trace = new._trace

    def settle():
        if variable._value is new:
            variable._value = new.primal
            _settle_later(variable, new.primal)

    trace.on_exit.append(settle)


def _check_variable(variable, op):
    if not isinstance(variable, Parameter):
        raise TypeError(
            f"For '{op}', 'variable' must be a Parameter, but got {type(variable).__name__}"
        )


def assign_add(variable, value):
    """`variable += value` in place; returns the Parameter."""
    _check_variable(variable, "assign_add")
    return assign(variable, _wrap(variable._value) + value)


def assign_sub(variable, value):
    """`variable -= value` in place; returns the Parameter."""
    _check_variable(variable, "assign_sub")
    return assign(variable, _wrap(variable._value) - value)


def depend(value_, expr):
    """Returns `value` (MindSpore uses it to order side effects in graphs)."""
    return value_
