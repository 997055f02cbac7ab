"""`Parameter` (a named, trainable Tensor) and `ParameterTuple` (layer 4)."""

from __future__ import annotations

import itertools
import weakref

import numpy as np

from minispore import dtype as mstype
from minispore.core.capture import is_captured
from minispore.prims import elementwise as E
from minispore.tensor import Tensor, _infer_array, _wrap

# NOTE: MindSpore 2.10 names the first default-named Parameter a user creates "Parameter#2"
# (golden 025); the count starts there so printed names agree.
_counter = itertools.count(2)

# Every live Parameter, by id: jit swaps their values for tracers while it captures a function,
# so that the Parameters the function reads become graph inputs (see core/capture.py).
_live: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def live_parameters() -> list[Parameter]:
    """The Parameters alive now (jit capture makes those a function reads graph inputs)."""
    return list(_live.values())


class Parameter(Tensor):
    """A Tensor that a network trains, MindSpore's `mindspore.Parameter`.

    Args:
        default_input: the initial data (Tensor, NumPy array, number, or an `Initializer`).
        name: the name; a default name is replaced by the attribute path when the parameter is
            assigned to a `Cell`. An explicit name is kept.
        requires_grad: whether optimisers and `grad(..., weights=...)` train it.
        layerwise_parallel, parallel_optimizer, storage_format, device: accepted for
            compatibility, unused on the CPU.
    """

    __slots__ = ("name", "requires_grad", "_default_name")

    def __init__(
        self,
        default_input,
        name=None,
        requires_grad=True,
        layerwise_parallel=False,
        parallel_optimizer=True,
        storage_format="",
        device=None,
    ):
        if hasattr(default_input, "init_data") and not isinstance(default_input, Tensor):
            default_input = default_input.init_data()
        if isinstance(default_input, Tensor):
            self._value = np.array(default_input._concrete(), copy=True)
        else:
            self._value = _infer_array(default_input, None)
        if name is not None and not isinstance(name, str):
            raise TypeError(f"For 'Parameter', 'name' must be a str, but got {type(name).__name__}")
        if name is not None and name == "":
            raise ValueError("For 'Parameter', 'name' must not be empty")
        self._default_name = name is None
        self.name = name if name is not None else f"Parameter#{next(_counter)}"
        if not isinstance(requires_grad, bool):
            raise TypeError("For 'Parameter', 'requires_grad' must be a bool")
        self.requires_grad = requires_grad
        _live[id(self)] = self

    def __repr__(self):
        return (
            f"Parameter (name={self.name}, shape={self.shape}, dtype={self.dtype}, "
            f"requires_grad={self.requires_grad})"
        )

    __str__ = __repr__

    def value(self) -> Tensor:
        """The current data as a plain Tensor."""
        return _wrap(self._value)

    def set_data(self, data, slice_shape=False):
        """Replace the data in place (keeping the dtype); returns the parameter.

        Inside `jit` (a Parameter or data being captured) the replacement is recorded in the
        graph, so that every call of the jitted function makes it.
        """
        if isinstance(data, Tensor) and (is_captured(data._value) or is_captured(self._value)):
            new = data._value
            if tuple(new.shape) != self.shape and not slice_shape:
                raise ValueError(
                    f"For 'Parameter.set_data', the new data's shape {tuple(new.shape)} differs "
                    f"from parameter '{self.name}' shape {self.shape}"
                )
            dt = self._value.dtype
            self._value = E.cast(new, dtype=dt) if new.dtype != dt else new
            return self
        if isinstance(data, Tensor):
            new = data._concrete()
        else:
            new = _infer_array(data, None)
        if tuple(np.shape(new)) != self.shape and not slice_shape:
            raise ValueError(
                f"For 'Parameter.set_data', the new data's shape {tuple(np.shape(new))} differs "
                f"from parameter '{self.name}' shape {self.shape}"
            )
        self._value = np.array(new, dtype=self._value.dtype, copy=True)
        return self

    def assign_value(self, value):
        """Write `value` into the parameter in place (as `ops.assign`); returns the parameter."""
        from minispore.ops.state import assign

        return assign(self, value)

    def clone(self, init="same"):
        p = Parameter(Tensor(self), self.name, self.requires_grad)
        p._default_name = self._default_name
        return p

    def __deepcopy__(self, memo):
        return self.clone()

    def __reduce__(self):
        return (Parameter, (Tensor(self), self.name, self.requires_grad))

    @property
    def data(self):
        return self

    @property
    def dtype(self):
        return mstype.from_numpy_dtype(self._value.dtype)


class ParameterTuple(tuple):
    """A tuple of Parameters with unique names, as `mindspore.ParameterTuple`."""

    def __new__(cls, iterable):
        items = tuple(iterable)
        seen = set()
        for p in items:
            if not isinstance(p, Parameter):
                raise TypeError(f"ParameterTuple holds Parameters only, but got {type(p).__name__}")
            if p.name in seen:
                raise ValueError(
                    f"ParameterTuple: its name '{p.name}' already exists; parameter names must be unique"
                )
            seen.add(p.name)
        return super().__new__(cls, items)

    def clone(self, prefix, init="same"):
        out = []
        for p in self:
            c = p.clone(init)
            c.name = f"{prefix}.{p.name}"
            out.append(c)
        return ParameterTuple(out)
