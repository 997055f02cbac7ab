"""`RMSProp`: root-mean-square propagation, plain or centered, with momentum (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore.core.primitive import _capturing
from minispore.nn.dynamic_lr import (
    _check_bool,
    _check_non_negative_float,
    _check_positive_float,
)
from minispore.nn.optim.optimizer import Optimizer
from minispore.prims import elementwise as E

__all__ = ["RMSProp"]


class RMSProp(Optimizer):
    """RMSProp, MindSpore's `mindspore.nn.RMSProp`.

    `s = decay * s + (1 - decay) * g^2`, `mom = momentum * mom + lr * g / sqrt(s + epsilon)`,
    `p -= mom`. Centered: `mg = decay * mg + (1 - decay) * g` and the root is
    `sqrt(s - mg^2 + epsilon)`. `g` is the gradient after weight decay and loss scaling.
    NOTE: as MindSpore, the mean square `s` starts at ones and `epsilon` sits inside the root
    (PyTorch starts at zeros and adds eps outside).

    Args:
        params (Union[list[Parameter], list[dict]]): the parameters or parameter groups.
        learning_rate (Union[float, int, Tensor, Iterable, LearningRateSchedule]): default 0.1.
        decay (float): >= 0. Default 0.9.
        momentum (float): >= 0. Default 0.0.
        epsilon (float): > 0. Default 1e-10.
        use_locking (bool): accepted for compatibility.
        centered (bool): normalise by the variance estimate. Default False.
        loss_scale (float): gradients are divided by it. Default 1.0.
        weight_decay (Union[float, int, Cell]): >= 0. Default 0.0.

    Outputs:
        tuple[bool]: `True` per parameter.

    State: `mean_grad.<name>` (centered only), `mean_square.<name>`, `moment.<name>`.
    """

    def __init__(
        self,
        params,
        learning_rate=0.1,
        decay=0.9,
        momentum=0.0,
        epsilon=1e-10,
        use_locking=False,
        centered=False,
        loss_scale=1.0,
        weight_decay=0.0,
    ):
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        owner = "RMSProp"
        _check_non_negative_float(decay, "decay", owner)
        _check_non_negative_float(momentum, "momentum", owner)
        _check_positive_float(epsilon, "epsilon", owner)
        _check_bool(use_locking, "use_locking", owner)
        _check_bool(centered, "centered", owner)
        self.centered = centered
        if centered:
            self.mg = self._state("mean_grad")
        self.momentum = momentum
        self.ms = self._state("mean_square", 1.0)
        self.moment = self._state("moment")
        self.epsilon = epsilon
        self.decay = decay

    def construct(self, gradients):
        if _capturing:
            return self._construct_traced(gradients)
        grads, lrs = self._begin_step(gradients)
        keep = 1.0 - self.decay
        momentum, eps = self.momentum, self.epsilon
        mgs = self.mg if self.centered else (None,) * self.param_length
        for p, g, lr, mg, ms, mom in zip(self._parameters, grads, lrs, mgs, self.ms, self.moment):
            s = ms._value
            t = g * g
            t -= s
            t *= keep
            s += t
            denom = s + eps
            if mg is not None:
                a = mg._value
                t = g - a
                t *= keep
                a += t
                # NOTE: MindSpore's order: (s - mg^2) + eps.
                denom = s - a * a
                denom += eps
            np.sqrt(denom, out=denom)
            m = mom._value
            m *= momentum
            step = g * lr
            step /= denom
            m += step
            p._value -= m
        return self._success

    def _construct_traced(self, gradients):
        """`construct` with primitives, for jit: the same operations in the same order."""
        grads, lrs = self._begin_step_traced(gradients)
        keep = 1.0 - self.decay
        momentum, eps = self.momentum, self.epsilon
        mgs = self.mg if self.centered else (None,) * self.param_length
        for p, g, lr, mg, ms, mom in zip(self._parameters, grads, lrs, mgs, self.ms, self.moment):
            s = E.add(ms._value, E.mul(E.sub(E.mul(g, g), ms._value), keep))
            self._set(ms, s)
            if mg is None:
                denom = E.add(s, eps)
            else:
                a = E.add(mg._value, E.mul(E.sub(g, mg._value), keep))
                self._set(mg, a)
                denom = E.add(E.sub(s, E.mul(a, a)), eps)
            m = E.add(E.mul(mom._value, momentum), E.div(E.mul(g, lr), E.sqrt(denom)))
            self._set(mom, m)
            self._set(p, E.sub(p._value, m))
        return self._success
