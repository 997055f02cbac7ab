"""Argument checks and gradient dtypes shared by the transforms (layer 3)."""

from __future__ import annotations

import numpy as np

from minispore.core.primitive import REGISTRY
from minispore.parameter import Parameter, ParameterTuple
from minispore.tensor import Tensor

_F32 = np.dtype(np.float32)


def _is_tensor(x):
    return isinstance(x, Tensor)


# ---- argument checks (run when the transformed function is called, as MindSpore does) -------


def _positions(grad_position, nargs, weights, op="F.grad"):
    """Validate `grad_position`; return (tuple of positions, whether the result is a tuple)."""
    if grad_position is None:  # weights only (both None is refused when grad() is created)
        return (), False
    if isinstance(grad_position, bool) or not isinstance(grad_position, (int, tuple)):
        raise TypeError(
            f"For '{op}', the 'grad_position' must be int or tuple, but got "
            f"{type(grad_position).__name__}."
        )
    if isinstance(grad_position, int):
        items, many = (grad_position,), False
    else:
        if not grad_position:
            raise RuntimeError("grad_position should not be empty when grad by position!")
        for p in grad_position:
            if isinstance(p, bool) or not isinstance(p, int):
                raise TypeError(
                    f"For '{op}', the 'grad_position' must be int or tuple of int, but got {grad_position!r}."
                )
        if len(set(grad_position)) != len(grad_position):
            raise ValueError(f"There are duplicate positions in `grad_position`: {grad_position}.")
        # NOTE: MindSpore returns a bare gradient for a 1-tuple position, as for an int.
        items, many = grad_position, len(grad_position) > 1
    for p in items:
        if p < 0:
            raise ValueError(f"grad_position must be >= 0, but got {p}.")
        if p >= nargs:
            raise RuntimeError(
                f"Position index {p} is exceed input size. The function takes {nargs} positional "
                f"input(s); grad_position={grad_position}."
            )
    return items, many


def _check_not_both_none(grad_position, weights):
    # MindSpore 2.10 checks this one when grad() is created; the other checks run at call time.
    if grad_position is None and weights is None:
        raise ValueError("`grad_position` and `weight` can not be None at the same time.")


def _weights(weights):
    """Validate `weights`; return (list of Parameters, whether the result is a single gradient)."""
    if weights is None:
        return [], False
    if isinstance(weights, Parameter):
        return [weights], True
    if isinstance(weights, Tensor):
        raise TypeError(
            "For 'grad', 'weights' must be a Parameter, a list/tuple of Parameters or a "
            "ParameterTuple, but got a plain Tensor; wrap it in Parameter(...)"
        )
    if isinstance(weights, (list, tuple, ParameterTuple)):
        for w in weights:
            if not isinstance(w, Parameter):
                raise TypeError(
                    f"For 'grad', every item of 'weights' must be a Parameter, but got {type(w).__name__}"
                )
        return list(weights), False
    raise TypeError(
        f"For 'grad', 'weights' must be a Parameter, list, tuple or ParameterTuple, but got "
        f"{type(weights).__name__}"
    )


def _grad_dtype(value):
    return value.dtype if value.dtype.kind in "fc" else _F32


def _zeros_for(value):
    return np.zeros(tuple(value.shape), _grad_dtype(value))


def _as_grad(g, value):
    """Integer and bool inputs get float32 gradients (MindSpore would truncate to the int dtype)."""
    if g is None:
        return _zeros_for(value)
    if value.dtype.kind not in "fc" and g.dtype != _F32:
        return REGISTRY["cast"](g, dtype=_F32)
    return g


def _check_fn(fn, op):
    if not callable(fn):
        raise TypeError(
            f"For '{op}', 'fn' must be a function or a Cell, but got {type(fn).__name__}"
        )
