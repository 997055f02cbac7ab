"""`Adam`, `AdamWeightDecay` and minispore's `AdamW`: adaptive moment estimation (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore.core.primitive import _capturing
from minispore.nn.dynamic_lr import _check_bool, _check_number
from minispore.nn.optim.optimizer import Optimizer
from minispore.parameter import Parameter
from minispore.prims import elementwise as E
from minispore.tensor import _wrap

__all__ = ["Adam", "AdamWeightDecay", "AdamW"]

F32 = np.float32
_F32 = np.dtype(F32)
_F64 = np.dtype(np.float64)


def _check_betas(beta1, beta2, eps, owner):
    for arg, value in (("beta1", beta1), ("beta2", beta2)):
        _check_number(value, arg, owner, float)
        if not 0.0 < value < 1.0:
            raise ValueError(f"For '{owner}', '{arg}' must be in (0.0, 1.0), but got {value}")
    _check_number(eps, "eps", owner, float, 0.0)


def _update_moments(m, v, g, c1, c2):
    """`m += c1 (g - m)` and `v += c2 (g^2 - v)` in place, in MindSpore's order (c = 1 - beta)."""
    t = g - m
    t *= c1
    m += t
    t = g * g
    t -= v
    t *= c2
    v += t


def _moments_traced(m, v, g, c1, c2):
    """`_update_moments` with primitives: the new `(m, v)`."""
    m = E.add(m, E.mul(E.sub(g, m), c1))
    v = E.add(v, E.mul(E.sub(E.mul(g, g), v), c2))
    return m, v


def _amsgrad(vh, v):
    """The second moment the update uses: `v`, or with AMSGrad `vhat = max(vhat, v)`."""
    if vh is None:
        return v
    np.maximum(vh._value, v, out=vh._value)
    return vh._value


class _AdamBase(Optimizer):
    """The Adam family's shared setup: betas and eps as float32 (as MindSpore keeps them), beta
    powers, the moment estimates and their update."""

    def _init_adam(self, beta1, beta2, eps, owner):
        """Check the betas and eps and keep them as float32."""
        _check_betas(beta1, beta2, eps, owner)
        self.beta1 = _wrap(np.array(beta1, F32))
        self.beta2 = _wrap(np.array(beta2, F32))
        self.eps = _wrap(np.array(eps, F32))
        self._b1, self._b2, self._eps = F32(beta1), F32(beta2), F32(eps)
        self._c1, self._c2 = F32(1.0) - self._b1, F32(1.0) - self._b2

    def _init_moments(self, first, second, use_amsgrad=False):
        """The moment estimates, states named `first.<name>` and `second.<name>`, and with
        AMSGrad the running maximum `vhat.<name>`."""
        moments = self._state(first), self._state(second)
        if use_amsgrad:
            self.vhat = self._state("vhat")
        return moments

    def _vhats(self):
        return self.vhat if self.use_amsgrad else (None,) * self.param_length

    def _set_moments(self, m1, m2, vh, m, v):
        """Store the new moments (and the AMSGrad maximum); return the second moment to use."""
        self._set(m1, m)
        self._set(m2, v)
        if vh is None:
            return v
        vmax = E.maximum(vh._value, v)
        self._set(vh, vmax)
        return vmax

    def _powers(self):
        """Advance `beta1_power` and `beta2_power` in place (float32); return them."""
        b1p = self.beta1_power._value
        b2p = self.beta2_power._value
        b1p *= self._b1
        b2p *= self._b2
        return F32(b1p), F32(b2p)


class Adam(_AdamBase):
    """Adam, MindSpore's `mindspore.nn.Adam`.

    With `t` the step, `m = b1 * m + (1 - b1) * g`, `v = b2 * v + (1 - b2) * g^2`,
    `lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t)`, then `p -= lr_t * m / (sqrt(v) + eps)`.
    With `use_nesterov`: `p -= lr_t * (b1 * m + (1 - b1) * g) / (sqrt(v) + eps)`.
    With `use_amsgrad`: `vhat = max(vhat, v)` takes the place of `v` in the update.
    `g` is the gradient after weight decay (`g + weight_decay * p`, L2, not decoupled) and loss
    scaling. NOTE: `eps` is added to `sqrt(v)`, not to the bias-corrected `sqrt(v / (1 - b2^t))`
    as in PyTorch, as MindSpore does.

    Args:
        params (Union[list[Parameter], list[dict]]): the parameters or parameter groups.
        learning_rate (Union[float, int, Tensor, Iterable, LearningRateSchedule]): default 1e-3.
        beta1 (float): in (0, 1). Default 0.9.
        beta2 (float): in (0, 1). Default 0.999.
        eps (float): > 0. Default 1e-8.
        use_locking (bool): accepted for compatibility; updates never race here.
        use_nesterov (bool): Nesterov momentum. Default False.
        weight_decay (Union[float, int, Cell]): L2 penalty added to the gradient. Default 0.0.
        loss_scale (float): gradients are divided by it. Default 1.0.
        use_amsgrad (bool): AMSGrad. Default False.
        **kwargs: `use_lazy` and `use_offload` (bool). On dense gradients lazy Adam is plain Adam;
            minispore has no sparse gradients and no device to offload from, so both run the
            rule above.

    Outputs:
        tuple[bool]: `True` per parameter.

    State: `beta1_power`, `beta2_power`, `moment1.<name>`, `moment2.<name>`, and `vhat.<name>`
    with AMSGrad.

    Example:
        >>> opt = nn.Adam(net.trainable_params(), learning_rate=1e-3)
        >>> loss, grads = value_and_grad(forward, None, opt.parameters)(x, y)
        >>> opt(grads)
    """

    def __init__(
        self,
        params,
        learning_rate=1e-3,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        use_locking=False,
        use_nesterov=False,
        weight_decay=0.0,
        loss_scale=1.0,
        use_amsgrad=False,
        **kwargs,
    ):
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        owner = "Adam"
        unknown = set(kwargs) - {"use_lazy", "use_offload"}
        if unknown:
            raise KeyError(
                f"For 'Adam', the only extra keyword arguments are 'use_lazy' and 'use_offload', "
                f"but got {sorted(unknown)}"
            )
        use_lazy = kwargs.get("use_lazy", False)
        use_offload = kwargs.get("use_offload", False)
        self._init_adam(beta1, beta2, eps, owner)
        for arg, value in (
            ("use_locking", use_locking),
            ("use_nesterov", use_nesterov),
            ("use_amsgrad", use_amsgrad),
            ("use_lazy", use_lazy),
            ("use_offload", use_offload),
        ):
            _check_bool(value, arg, owner)
        if use_lazy and use_offload:
            raise ValueError("For 'Adam', 'use_lazy' and 'use_offload' cannot both be True")
        if use_amsgrad and (use_lazy or use_offload):
            raise ValueError(
                "For 'Adam', 'use_amsgrad' cannot be combined with 'use_lazy' or 'use_offload'"
            )
        self.beta1_power = Parameter(F32(1.0), name="beta1_power")
        self.beta2_power = Parameter(F32(1.0), name="beta2_power")
        self.use_nesterov = use_nesterov
        self.use_locking = use_locking
        self.use_amsgrad = use_amsgrad
        self.use_lazy = use_lazy
        self.use_offload = use_offload
        self.moment1, self.moment2 = self._init_moments("moment1", "moment2", use_amsgrad)

    def construct(self, gradients):
        if _capturing:
            return self._construct_traced(gradients)
        grads, lrs = self._begin_step(gradients)
        b1p, b2p = self._powers()
        b1, c1, c2, eps = self._b1, self._c1, self._c2, self._eps
        correction = (1.0 - float(b2p)) ** 0.5 / (1.0 - float(b1p))
        for p, g, lr, m1, m2, vh in zip(
            self._parameters, grads, lrs, self.moment1, self.moment2, self._vhats()
        ):
            m, v = m1._value, m2._value
            _update_moments(m, v, g, c1, c2)
            v = _amsgrad(vh, v)
            lr_t = lr * correction
            denom = np.sqrt(v)
            denom += eps
            if self.use_nesterov:
                num = m * b1
                num += c1 * g
                num *= lr_t
            else:
                num = m * lr_t
            num /= denom
            p._value -= num
        return self._success

    def _construct_traced(self, gradients):
        """`construct` with primitives, for jit: the same operations in the same order (the bias
        correction in float64, as the eager step computes it with Python floats)."""
        grads, lrs = self._begin_step_traced(gradients)
        b1p = E.mul(self.beta1_power._value, self._b1)
        b2p = E.mul(self.beta2_power._value, self._b2)
        self._set(self.beta1_power, b1p)
        self._set(self.beta2_power, b2p)
        b1, c1, c2, eps = self._b1, self._c1, self._c2, self._eps
        correction = E.div(
            E.sqrt(E.sub(1.0, E.cast(b2p, dtype=_F64))), E.sub(1.0, E.cast(b1p, dtype=_F64))
        )
        for p, g, lr, m1, m2, vh in zip(
            self._parameters, grads, lrs, self.moment1, self.moment2, self._vhats()
        ):
            m, v = _moments_traced(m1._value, m2._value, g, c1, c2)
            v = self._set_moments(m1, m2, vh, m, v)
            lr_t = E.cast(E.mul(E.cast(lr, dtype=_F64), correction), dtype=_F32)
            denom = E.add(E.sqrt(v), eps)
            if self.use_nesterov:
                num = E.mul(E.add(E.mul(m, b1), E.mul(c1, g)), lr_t)
            else:
                num = E.mul(m, lr_t)
            self._set(p, E.sub(p._value, E.div(num, denom)))
        return self._success


class AdamWeightDecay(_AdamBase):
    """Adam with weight decay and without bias correction, MindSpore's `nn.AdamWeightDecay`.

    `m = b1 * m + (1 - b1) * g`, `v = b2 * v + (1 - b2) * g^2`, then
    `p -= lr * (m / (sqrt(v) + eps) + weight_decay * p)` (the decay term only for parameters it
    applies to: without groups, names without 'beta' or 'gamma').

    Args:
        params (Union[list[Parameter], list[dict]]): the parameters or parameter groups.
        learning_rate (Union[float, int, Tensor, Iterable, LearningRateSchedule]): default 1e-3.
        beta1 (float): in (0, 1). Default 0.9.
        beta2 (float): in (0, 1). Default 0.999.
        eps (float): > 0. Default 1e-6.
        weight_decay (Union[float, int, Cell]): >= 0. Default 0.0.

    Outputs:
        tuple[bool]: `True` per parameter.

    State: `adam_m.<name>` and `adam_v.<name>` (attributes `moments1`, `moments2`).
    """

    def __init__(
        self, params, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-6, weight_decay=0.0
    ):
        super().__init__(learning_rate, params, weight_decay)
        self._init_adam(beta1, beta2, eps, "AdamWeightDecay")
        self.moments1, self.moments2 = self._init_moments("adam_m", "adam_v")

    def construct(self, gradients):
        if _capturing:
            return self._construct_traced(gradients)
        grads, lrs = self._begin_step(gradients, decay=False)
        decays = self._weight_decay_values()
        c1, c2, eps = self._c1, self._c2, self._eps
        for p, g, lr, wd, m1, m2 in zip(
            self._parameters, grads, lrs, decays, self.moments1, self.moments2
        ):
            m, v, w = m1._value, m2._value, p._value
            _update_moments(m, v, g, c1, c2)
            update = np.sqrt(v)
            update += eps
            np.divide(m, update, out=update)
            if wd:
                update += wd * w
            update *= lr
            w -= update
        return self._success

    def _construct_traced(self, gradients):
        """`construct` with primitives, for jit: the same operations in the same order."""
        grads, lrs = self._begin_step_traced(gradients, decay=False)
        decays = self._weight_decay_traced()
        c1, c2, eps = self._c1, self._c2, self._eps
        for p, g, lr, wd, m1, m2 in zip(
            self._parameters, grads, lrs, decays, self.moments1, self.moments2
        ):
            m, v = _moments_traced(m1._value, m2._value, g, c1, c2)
            self._set_moments(m1, m2, None, m, v)
            w = p._value
            update = E.div(m, E.add(E.sqrt(v), eps))
            if wd is not None and (not isinstance(wd, float) or wd):
                update = E.add(update, E.mul(wd, w))
            self._set(p, E.sub(w, E.mul(update, lr)))
        return self._success


class AdamW(_AdamBase):
    """Adam with decoupled weight decay (Loshchilov and Hutter), PyTorch's `torch.optim.AdamW` rule.

    NOTE: MindSpore 2.10 has no `nn.AdamW` (it has `mint.optim.AdamW` with PyTorch's arguments).
    This is minispore's, with `nn`-style arguments and the update of `torch.optim.AdamW`:
    `p *= 1 - lr * weight_decay`, `m = b1 * m + (1 - b1) * g`, `v = b2 * v + (1 - b2) * g^2`,
    `p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)` (with AMSGrad,
    `vhat = max(vhat, v)` replaces `v`). Without groups the decay skips parameters whose names
    contain 'beta' or 'gamma', as every `nn` optimizer (PyTorch decays all of them).

    Args:
        params (Union[list[Parameter], list[dict]]): the parameters or parameter groups.
        learning_rate (Union[float, int, Tensor, Iterable, LearningRateSchedule]): default 1e-3.
        beta1 (float): in (0, 1). Default 0.9.
        beta2 (float): in (0, 1). Default 0.999.
        eps (float): > 0. Default 1e-8.
        weight_decay (Union[float, int, Cell]): decoupled decay, >= 0. Default 1e-2.
        use_amsgrad (bool): AMSGrad. Default False.

    Outputs:
        tuple[bool]: `True` per parameter.

    State: `moment1.<name>`, `moment2.<name>`, and `vhat.<name>` with AMSGrad; the step count
    for the bias corrections is `global_step`.
    """

    def __init__(
        self,
        params,
        learning_rate=1e-3,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        weight_decay=1e-2,
        use_amsgrad=False,
    ):
        super().__init__(learning_rate, params, weight_decay)
        self._init_adam(beta1, beta2, eps, "AdamW")
        self.use_amsgrad = _check_bool(use_amsgrad, "use_amsgrad", "AdamW")
        self._betas = (beta1, beta2, eps)
        self.moment1, self.moment2 = self._init_moments("moment1", "moment2", use_amsgrad)

    def construct(self, gradients):
        if _capturing:
            return self._construct_traced(gradients)
        grads, lrs = self._begin_step(gradients, decay=False)
        decays = self._weight_decay_values()
        # As PyTorch: bias corrections from the step count, in double precision.
        count = int(self.global_step._value[0])
        b1, b2, eps = self._betas
        c1, c2 = 1.0 - b1, 1.0 - b2
        bc1, bc2_sqrt = 1.0 - b1**count, (1.0 - b2**count) ** 0.5
        for p, g, lr, wd, m1, m2, vh in zip(
            self._parameters, grads, lrs, decays, self.moment1, self.moment2, self._vhats()
        ):
            m, v, w = m1._value, m2._value, p._value
            if wd:
                w *= 1.0 - lr * wd
            t = g - m
            t *= c1
            m += t
            v *= b2
            t = g * g
            t *= c2
            v += t
            v = _amsgrad(vh, v)
            denom = np.sqrt(v)
            denom /= bc2_sqrt
            denom += eps
            step = m / denom
            step *= lr / bc1
            w -= step
        return self._success

    def _construct_traced(self, gradients):
        """`construct` with primitives, for jit: the same operations in the same order (the
        bias corrections and the rate factors in float64, as the eager step's Python floats)."""
        grads, lrs = self._begin_step_traced(gradients, decay=False)
        decays = self._weight_decay_traced()
        count = E.cast(self.global_step._value[0], dtype=_F64)
        b1, b2, eps = self._betas
        c1, c2 = 1.0 - b1, 1.0 - b2
        bc1 = E.sub(1.0, E.power(b1, count))
        bc2_sqrt = E.sqrt(E.sub(1.0, E.power(b2, count)))
        for p, g, lr, wd, m1, m2, vh in zip(
            self._parameters, grads, lrs, decays, self.moment1, self.moment2, self._vhats()
        ):
            w = p._value
            lr64 = E.cast(lr, dtype=_F64)
            if wd is not None and (not isinstance(wd, float) or wd):
                w = E.mul(w, E.cast(E.sub(1.0, E.mul(lr64, wd)), dtype=_F32))
            m = E.add(m1._value, E.mul(E.sub(g, m1._value), c1))
            v = E.add(E.mul(m2._value, b2), E.mul(E.mul(g, g), c2))
            v = self._set_moments(m1, m2, vh, m, v)
            denom = E.add(E.div(E.sqrt(v), E.cast(bc2_sqrt, dtype=_F32)), eps)
            step = E.mul(E.div(m, denom), E.cast(E.div(lr64, bc1), dtype=_F32))
            self._set(p, E.sub(w, step))
        return self._success
