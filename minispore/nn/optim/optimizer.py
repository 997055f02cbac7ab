"""`Optimizer`: the base of MindSpore's optimizers: parameters, groups, learning rate, decay (layer 5).

Subclasses update the concrete arrays of their Parameters in place with a few NumPy operations
per parameter. `_begin_step` does the shared work of one call, in MindSpore's order: check the
gradients, add weight decay, centralize, undo the loss scale, read the learning rate, and
increment `global_step`. Inside `jit` (while a graph is captured) the values are tracers:
subclasses then run `_construct_traced`, the same update written with primitives and functional
assignments (`_begin_step_traced`, `_set`), which the capture records as one graph.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from minispore.core.primitive import Tracer, _capturing
from minispore.nn.cell import Cell
from minispore.nn.dynamic_lr import _check_bool, _check_number
from minispore.nn.learning_rate_schedule import LearningRateSchedule
from minispore.nn.optim._groups import _ParameterGroups
from minispore.nn.optim._rates import (
    _ConvertToCell,
    _IteratorLearningRate,
    _LearningRateList,
    _scalar,
    _WrappedWeightDecay,
)
from minispore.parameter import Parameter, ParameterTuple
from minispore.prims import elementwise as E
from minispore.prims import reduction as R
from minispore.prims import shape as S
from minispore.tensor import Tensor, _wrap

__all__ = ["Optimizer"]

F32 = np.float32


class Optimizer(_ParameterGroups, Cell):
    """Base class of optimizers, MindSpore's `mindspore.nn.Optimizer`.

    Never used directly: subclasses define `construct(gradients)`. A custom optimizer may call
    `get_lr()`, `decay_weight()`, `gradients_centralization()` and `scale_grad()` as in MindSpore.

    Args:
        learning_rate (Union[float, int, Tensor, Iterable, LearningRateSchedule]): a fixed rate
            (>= 0; a 0-d Tensor), one rate per step (a 1-D Tensor or an iterable), or a schedule
            called with `global_step` before every update. Stored as a Parameter named
            `learning_rate` (a fixed rate) or as a cell (a dynamic one).
        parameters (Union[list[Parameter], list[dict]]): the parameters, or parameter groups:
            dicts with the keys `'params'` (required), `'lr'`, `'weight_decay'`,
            `'grad_centralization'`, or a single `'order_params'` key that fixes the order of
            all grouped parameters.
        weight_decay (Union[float, int, Cell]): L2 penalty added to the gradients, >= 0, or a
            cell called with `global_step`. Without groups it skips parameters whose names
            contain 'beta' or 'gamma'; in groups it applies where the group's value is > 0.
        loss_scale (float): gradients are divided by it (and the weight decay multiplied).

    Raises:
        TypeError: a parameter is neither a Parameter nor a dict, or an argument has the wrong type.
        ValueError: no parameters, a negative learning rate or weight decay, `loss_scale <= 0`,
            a Tensor learning rate of rank > 1.

    NOTE: minispore also rejects negative values in a per-step learning-rate list or Tensor,
    and parameters that are not floating point; MindSpore accepts them.

    Example:
        >>> class PlainSGD(nn.Optimizer):
        ...     def __init__(self, params, learning_rate):
        ...         super().__init__(learning_rate, params)
        ...
        ...     def construct(self, gradients):
        ...         gradients = self.scale_grad(self.decay_weight(gradients))
        ...         lr = self.get_lr()
        ...         for p, g in zip(self.parameters, gradients):
        ...             ops.assign(p, p - lr * g)
        ...         return True
    """

    _support_parallel_optimizer = False

    def __init__(self, learning_rate, parameters, weight_decay=0.0, loss_scale=1.0):
        super().__init__(auto_prefix=False)
        owner = type(self).__name__
        parameters = self._parameters_base_check(parameters, "parameters")
        if not all(isinstance(x, Parameter) for x in parameters) and not all(
            isinstance(x, dict) for x in parameters
        ):
            bad = next((x for x in parameters if not isinstance(x, (Parameter, dict))), None)
            raise TypeError(
                f"For '{owner}', 'parameters' must be all Parameters or all group dicts, but "
                f"found a {type(bad).__name__}"
                if bad is not None
                else f"For '{owner}', 'parameters' must not mix Parameters and group dicts"
            )
        if isinstance(loss_scale, int) and not isinstance(loss_scale, bool):
            loss_scale = float(loss_scale)
        _check_number(loss_scale, "loss_scale", owner, float, 0.0)
        self.loss_scale = loss_scale
        self.dynamic_weight_decay = False
        self.grad_centralization = False
        self.dynamic_lr = False
        self._unique = True
        self._target = "CPU"
        self.global_step = Parameter(np.zeros(1, np.int32), name="global_step")
        self.is_group = False
        self.is_group_lr = False
        self.is_group_params_ordered = False
        learning_rate = self._preprocess_single_lr(learning_rate)
        if isinstance(parameters[0], dict):
            self._init_group_params(parameters, learning_rate, weight_decay)
        self._init_opt_attrs(learning_rate, parameters, weight_decay)

    # ---- construction ------------------------------------------------------------------------
    def _parameters_base_check(self, parameters, what):
        owner = type(self).__name__
        if parameters is None:
            raise ValueError(f"For '{owner}', the argument '{what}' must not be None")
        if not isinstance(parameters, Iterable) or isinstance(parameters, (str, Tensor)):
            raise TypeError(
                f"For '{owner}', the argument '{what}' must be a list, but got "
                f"{type(parameters).__name__}"
            )
        parameters = list(parameters)
        if not parameters:
            raise ValueError(f"For '{owner}', the argument '{what}' must not be empty")
        return parameters

    def _preprocess_single_lr(self, learning_rate):
        """A float (fixed), a float32 1-D array (one value per step) or a schedule."""
        owner = type(self).__name__
        if isinstance(learning_rate, (float, int)) and not isinstance(learning_rate, bool):
            learning_rate = float(learning_rate)
            _check_number(learning_rate, "learning_rate", owner, float, 0.0, strict=False)
            return learning_rate
        if isinstance(learning_rate, LearningRateSchedule):
            self.dynamic_lr = True
            return learning_rate
        if isinstance(learning_rate, Tensor):
            values = np.asarray(learning_rate._concrete(), dtype=F32)
        elif isinstance(learning_rate, Iterable) and not isinstance(
            learning_rate, (str, bytes, dict)
        ):
            try:
                values = np.array(list(learning_rate), dtype=F32)
            except (TypeError, ValueError):
                raise TypeError(
                    f"For '{owner}', a learning-rate list must hold numbers, but got "
                    f"{learning_rate!r}"
                ) from None
            if values.ndim != 1 or values.size == 0:
                raise ValueError(
                    f"For '{owner}', a learning-rate list must be a non-empty flat list of numbers, "
                    f"but got shape {values.shape}"
                )
        else:
            raise TypeError(
                f"For '{owner}', 'learning_rate' must be a float, int, Tensor, iterable or "
                f"LearningRateSchedule, but got {type(learning_rate).__name__}"
            )
        if values.ndim > 1:
            raise ValueError(
                f"For '{owner}', a Tensor 'learning_rate' must have rank 0 or 1, but got shape "
                f"{values.shape}"
            )
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise ValueError(
                f"For '{owner}', 'learning_rate' values must be finite and >= 0, but got "
                f"{values.tolist()}"
            )
        if values.ndim == 0:
            return float(values)
        self.dynamic_lr = True
        return values

    def _build_single_lr(self, learning_rate, name):
        """A Parameter for a fixed rate, a cell for a dynamic one."""
        if isinstance(learning_rate, float):
            param = Parameter(F32(learning_rate), name=name)
            if self.is_group_lr and self.dynamic_lr:
                return _ConvertToCell(param)
            return param
        if isinstance(learning_rate, np.ndarray):
            return _IteratorLearningRate(learning_rate, name)
        return learning_rate

    def _preprocess_weight_decay(self, weight_decay):
        owner = type(self).__name__
        if isinstance(weight_decay, (float, int)) and not isinstance(weight_decay, bool):
            weight_decay = float(weight_decay)
            _check_number(weight_decay, "weight_decay", owner, float, 0.0, strict=False)
            return weight_decay * self.loss_scale
        if isinstance(weight_decay, Cell):
            self.dynamic_weight_decay = True
            return _WrappedWeightDecay(weight_decay, self.loss_scale)
        raise TypeError(
            f"For '{owner}', 'weight_decay' must be a float, int or Cell, but got "
            f"{type(weight_decay).__name__}"
        )

    def _register(self, param):
        """Register a Parameter under its own name (as a MindSpore ParameterTuple attribute)."""
        known = self._params.get(param.name)
        if known is not None and known is not param:
            raise ValueError(
                f"For '{type(self).__name__}', two different parameters are named '{param.name}'"
            )
        self.insert_param_to_cell(param.name, param, check_name_contain_dot=False)

    def _set_tuple(self, name, params):
        # NOTE: not through Cell.__setattr__, which would prefix default-named parameters.
        for p in params:
            self._register(p)
        object.__setattr__(self, name, params)

    def _init_opt_attrs(self, learning_rate, parameters, weight_decay):
        owner = type(self).__name__
        weight_decay = self._preprocess_weight_decay(weight_decay)
        if self.is_group_lr:
            if self.dynamic_lr:
                self.learning_rate = _LearningRateList(self.group_lr)
            else:
                unique = list({id(p): p for p in self.group_lr}.values())
                for p in unique:
                    self._register(p)
                object.__setattr__(self, "learning_rate", tuple(self.group_lr))
        else:
            self.learning_rate = self._build_single_lr(learning_rate, "learning_rate")

        params = self.group_params if self.is_group else parameters
        names = set()
        generated = 1
        for p in params:
            if p._value.dtype.kind != "f":
                raise TypeError(
                    f"For '{owner}', parameter '{p.name}' has dtype {p.dtype}; optimizers update "
                    "floating-point parameters only"
                )
            if p._default_name and p.name.startswith("Parameter#"):
                # MindSpore renames generated names inside an optimizer ("Parameter$1", ...).
                p.name = f"Parameter${generated}"
                generated += 1
            if p.name in names:
                raise ValueError(
                    f"For '{owner}', parameter '{p.name}' is given twice; names must be unique"
                )
            names.add(p.name)
        self._set_tuple("parameters", ParameterTuple(params))
        object.__setattr__(self, "_parameters", self.parameters)

        if self.is_group:
            wds = self.group_weight_decay
            self.decay_flags = tuple(isinstance(x, Cell) or x > 0 for x in wds)
            self.dynamic_decay_flags = tuple(isinstance(x, Cell) for x in wds)
            self.weight_decay = tuple(
                x if isinstance(x, Cell) else _wrap(np.array(x, F32)) for x in wds
            )
            self.exec_weight_decay = any(self.decay_flags)
            self.grad_centralization_flags = tuple(self.group_grad_centralization)
        else:
            self.decay_flags = tuple(
                "beta" not in p.name and "gamma" not in p.name for p in self._parameters
            )
            self.dynamic_decay_flags = isinstance(weight_decay, Cell)
            self.exec_weight_decay = self.dynamic_decay_flags or weight_decay > 0
            self.weight_decay = (
                weight_decay if self.dynamic_decay_flags else _wrap(np.array(weight_decay, F32))
            )
            self.grad_centralization_flags = (False,) * len(self._parameters)
        self._any_gc = any(self.grad_centralization_flags)
        self.reciprocal_scale = _wrap(np.array(1.0 / self.loss_scale, F32))
        self.need_scale = self.loss_scale != 1.0
        self.param_length = len(self._parameters)
        self._success = (True,) * self.param_length

    def _state(self, prefix, fill=0.0):
        """A registered ParameterTuple of per-parameter state named `prefix.<parameter name>`."""
        state = ParameterTuple(
            Parameter(np.full_like(p._value, fill), name=f"{prefix}.{p.name}")
            for p in self._parameters
        )
        for p in state:
            self._register(p)
        return state

    # ---- properties --------------------------------------------------------------------------
    @property
    def unique(self):
        """Whether gradients are made unique (sparse gradients only; kept for compatibility)."""
        return self._unique

    @unique.setter
    def unique(self, value):
        _check_bool(value, "unique", type(self).__name__)
        self._unique = value

    @property
    def target(self):
        """Where parameters are updated: always "CPU" in minispore."""
        return self._target

    # ---- learning rate and weight decay ------------------------------------------------------
    def get_lr(self):
        """The learning rate of the current step.

        Returns:
            The `learning_rate` Parameter for a fixed rate, a 0-d Tensor for a dynamic one, or a
            tuple with one of those per parameter when groups set their own rates.
        """
        if not self.dynamic_lr:
            return self.learning_rate
        if _capturing:
            lrs = tuple(_wrap(v) for v in self._lr_traced())
            return lrs if self.is_group_lr else lrs[0]
        if self.is_group_lr:
            return tuple(
                _wrap(np.asarray(c(self.global_step)._value).reshape(()))
                for c in self.learning_rate
            )
        return _wrap(np.asarray(self.learning_rate(self.global_step)._value).reshape(()))

    def get_lr_parameter(self, param):
        """The learning rate that applies to `param` (a Parameter or a list of them).

        Returns:
            A Parameter (a fixed rate, or a per-step list's values) or the schedule cell; a list
            of those when `param` is a list.

        Raises:
            TypeError: `param` is not a Parameter or a list of Parameters.
            ValueError: a parameter is not in this optimizer.
        """
        owner = type(self).__name__
        if isinstance(param, Parameter):
            items = [param]
        elif isinstance(param, list):
            items = param
        else:
            raise TypeError(
                f"For '{owner}.get_lr_parameter', 'param' must be a Parameter or a list, but got "
                f"{type(param).__name__}"
            )
        ids = [id(p) for p in self._parameters]
        out = []
        for p in items:
            if not isinstance(p, Parameter):
                raise TypeError(
                    f"For '{owner}.get_lr_parameter', expected Parameters, got {type(p).__name__}"
                )
            if id(p) not in ids:
                raise ValueError(
                    f"For '{owner}.get_lr_parameter', parameter '{p.name}' is not in the optimizer"
                )
            lr = self.learning_rate[ids.index(id(p))] if self.is_group_lr else self.learning_rate
            if isinstance(lr, (_ConvertToCell, _IteratorLearningRate)):
                lr = lr.learning_rate
            out.append(lr)
        return out if isinstance(param, list) else out[0]

    def get_weight_decay(self):
        """The weight decay of the current step: a Tensor, or a tuple per parameter in groups."""
        if not self.dynamic_weight_decay:
            return self.weight_decay
        if self.is_group:
            return tuple(
                w(self.global_step) if isinstance(w, Cell) else w for w in self.weight_decay
            )
        return self.weight_decay(self.global_step)

    def _lr_values(self):
        """The current learning rate of every parameter, as Python floats."""
        if not self.is_group_lr:
            if self.dynamic_lr:
                lr = _scalar(
                    self.learning_rate(self.global_step), "learning-rate", type(self).__name__
                )
            else:
                lr = float(self.learning_rate._value)
            return [lr] * self.param_length
        cache = {}
        out = []
        for src in self.learning_rate:
            lr = cache.get(id(src))
            if lr is None:
                if isinstance(src, Parameter):
                    lr = float(src._value)
                else:
                    lr = _scalar(src(self.global_step), "learning-rate", type(self).__name__)
                cache[id(src)] = lr
            out.append(lr)
        return out

    def _weight_decay_values(self):
        """The current weight decay of every parameter as floats (0.0 where it does not apply)."""
        owner = type(self).__name__
        if not self.is_group:
            if self.dynamic_decay_flags:
                wd = _scalar(self.weight_decay(self.global_step), "weight-decay", owner)
            else:
                wd = float(self.weight_decay._value)
            return [wd if f else 0.0 for f in self.decay_flags]
        cache = {}
        out = []
        for w, f in zip(self.weight_decay, self.decay_flags):
            if not f:
                out.append(0.0)
                continue
            v = cache.get(id(w))
            if v is None:
                v = cache[id(w)] = (
                    _scalar(w(self.global_step), "weight-decay", owner)
                    if isinstance(w, Cell)
                    else float(w._value)
                )
            out.append(v)
        return out

    # ---- gradient preparation ----------------------------------------------------------------
    def _grad_values(self, gradients):
        """The gradients' arrays, checked against the parameters (count, type, shape)."""
        owner = type(self).__name__
        if not isinstance(gradients, (tuple, list)):
            raise TypeError(
                f"For '{owner}', 'gradients' must be a tuple of Tensors aligned with "
                f"optimizer.parameters, but got {type(gradients).__name__}"
            )
        if len(gradients) != self.param_length:
            raise ValueError(
                f"For '{owner}', got {len(gradients)} gradients for {self.param_length} "
                "parameters; pass one gradient per parameter, in the order of optimizer.parameters"
            )
        out = []
        for p, g in zip(self._parameters, gradients):
            v = g._value if isinstance(g, Tensor) else None
            if v.__class__ is not np.ndarray:
                v = self._odd_grad(p, g, v)
            if v.shape != p._value.shape:
                raise ValueError(
                    f"For '{owner}', the gradient of parameter '{p.name}' has shape {v.shape}, "
                    f"but the parameter has shape {p._value.shape}"
                )
            out.append(v)
        return out

    def _odd_grad(self, p, g, v):
        owner = type(self).__name__
        if not isinstance(g, Tensor):
            raise TypeError(
                f"For '{owner}', the gradient of parameter '{p.name}' must be a Tensor, but got "
                f"{type(g).__name__}"
            )
        if isinstance(v, np.generic):
            return np.asarray(v)
        if _capturing and isinstance(v, Tracer):
            return v  # inside jit: the update is recorded with the gradients (_construct_traced)
        raise TypeError(
            f"For '{owner}', the gradient of parameter '{p.name}' is traced: call the optimizer "
            "outside grad/value_and_grad, with the gradients they return"
        )

    def _decayed(self, grads):
        out = []
        for p, g, wd in zip(self._parameters, grads, self._weight_decay_values()):
            if wd:
                d = p._value * wd
                d += g
                out.append(d)
            else:
                out.append(g)
        return out

    def _centralized(self, grads):
        out = []
        for g, flag in zip(grads, self.grad_centralization_flags):
            # As MindSpore: only gradients of rank >= 2 whose second axis is a multiple of 16.
            if flag and g.ndim >= 2 and g.shape[1] % 16 == 0:
                g = g - g.mean(axis=tuple(range(1, g.ndim)), keepdims=True)
            out.append(g)
        return out

    def _scaled(self, grads):
        r = float(self.reciprocal_scale._value)
        return [g * r for g in grads]

    def _begin_step(self, gradients, decay=True):
        """Checked and prepared gradient arrays and per-parameter learning rates; counts the step."""
        grads = self._grad_values(gradients)
        if decay:
            if self.exec_weight_decay:
                grads = self._decayed(grads)
            if self._any_gc:
                grads = self._centralized(grads)
            if self.need_scale:
                grads = self._scaled(grads)
        lrs = self._lr_values()
        self.global_step._value += 1
        return grads, lrs

    # ---- the same step while jit captures a graph ----------------------------------------------
    def _begin_step_traced(self, gradients, decay=True):
        """`_begin_step` with primitives: the values may be tracers, and nothing is in place.

        Learning rates are raw values (0-d, float32) of the rate Parameters or schedules, so a
        rate changed between calls of the jitted step is seen.
        """
        grads = self._grad_values(gradients)
        if decay:
            if self.exec_weight_decay:
                grads = self._decayed_traced(grads)
            if self._any_gc:
                grads = self._centralized_traced(grads)
            if self.need_scale:
                grads = self._scaled_traced(grads)
        lrs = self._lr_traced()
        step = self.global_step
        step._value = E.add(step._value, np.ones((), step._value.dtype))
        return grads, lrs

    def _decayed_traced(self, grads):
        return [
            g if wd is None else E.add(E.mul(p._value, wd), g)
            for p, g, wd in zip(self._parameters, grads, self._weight_decay_traced())
        ]

    def _centralized_traced(self, grads):
        return [
            E.sub(g, R.reduce_mean(g, axis=tuple(range(1, g.ndim)), keepdims=True))
            if flag and g.ndim >= 2 and g.shape[1] % 16 == 0
            else g
            for g, flag in zip(grads, self.grad_centralization_flags)
        ]

    def _scaled_traced(self, grads):
        r = float(self.reciprocal_scale._value)
        return [E.mul(g, r) for g in grads]

    def _lr_traced(self):
        """The learning rate of every parameter as a 0-d float32 raw value (maybe a tracer)."""
        if not self.is_group_lr:
            lr = self._one_lr_traced(self.learning_rate)
            return [lr] * self.param_length
        cache = {}
        out = []
        for src in self.learning_rate:
            lr = cache.get(id(src))
            if lr is None:
                lr = cache[id(src)] = self._one_lr_traced(src)
            out.append(lr)
        return out

    def _one_lr_traced(self, src):
        if isinstance(src, Parameter):
            v = src._value
        else:
            v = src(self.global_step)._value
            if v.size != 1:
                raise ValueError(
                    f"For '{type(self).__name__}', the learning-rate schedule must return one "
                    f"value, but returned shape {tuple(v.shape)}"
                )
            v = S.reshape(v, shape=())
        return v if v.dtype == F32 else E.cast(v, dtype=np.dtype(F32))

    def _weight_decay_traced(self):
        """The weight decay of every parameter: a float, a 0-d raw value, or None (no decay)."""
        if not self.is_group:
            if self.dynamic_decay_flags:
                wd = self._scalar_traced(self.weight_decay(self.global_step))
            else:
                wd = float(self.weight_decay._value)
            return [wd if f else None for f in self.decay_flags]
        out = []
        for w, f in zip(self.weight_decay, self.decay_flags):
            if not f:
                out.append(None)
            elif isinstance(w, Cell):
                out.append(self._scalar_traced(w(self.global_step)))
            else:
                out.append(float(w._value))
        return out

    def _scalar_traced(self, value):
        v = value._value if isinstance(value, Tensor) else np.asarray(value)
        if v.size != 1:
            raise ValueError(
                f"For '{type(self).__name__}', the weight-decay schedule must return one value, "
                f"but returned shape {tuple(v.shape)}"
            )
        v = S.reshape(v, shape=())
        return v if v.dtype == F32 else E.cast(v, dtype=np.dtype(F32))

    @staticmethod
    def _set(param, new):
        """Give `param` the value `new` (a functional update, cast to its dtype): jit's capture
        records it as an assignment and writes it back after every call."""
        dt = param._value.dtype
        param._value = new if new.dtype == dt else E.cast(new, dtype=dt)

    # ---- MindSpore's hooks for custom optimizers ----------------------------------------------
    def decay_weight(self, gradients):
        """Add `weight_decay * parameter` to each gradient that decays (a tuple of Tensors)."""
        if not self.exec_weight_decay:
            return gradients
        decayed = self._decayed_traced if _capturing else self._decayed
        return tuple(_wrap(g) for g in decayed(self._grad_values(gradients)))

    def gradients_centralization(self, gradients):
        """Centralize the gradients of groups with `grad_centralization=True`."""
        if not self._any_gc:
            return gradients
        centralized = self._centralized_traced if _capturing else self._centralized
        return tuple(_wrap(g) for g in centralized(self._grad_values(gradients)))

    def scale_grad(self, gradients):
        """Divide the gradients by `loss_scale`."""
        if not self.need_scale:
            return gradients
        scaled = self._scaled_traced if _capturing else self._scaled
        return tuple(_wrap(g) for g in scaled(self._grad_values(gradients)))

    def flatten_gradients(self, gradients):
        """The gradients unchanged (minispore does not flatten parameters)."""
        return gradients

    def construct(self, *hyper_params):
        raise NotImplementedError(f"{type(self).__name__} must define construct(gradients)")
