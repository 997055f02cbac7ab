"""`Momentum`: gradient descent with (Nesterov) momentum, MindSpore's ApplyMomentum (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore.core.primitive import _capturing
from minispore.nn.dynamic_lr import _check_bool, _check_number
from minispore.nn.optim.optimizer import Optimizer
from minispore.parameter import Parameter
from minispore.prims import elementwise as E

__all__ = ["Momentum"]


class Momentum(Optimizer):
    """Momentum, MindSpore's `mindspore.nn.Momentum`.

    `v = u * v + g`; then `p -= lr * v`, or with Nesterov `p -= g * lr + v * u * lr`. `g` is the
    gradient after weight decay (`g + weight_decay * p`) and loss scaling.

    Args:
        params (Union[list[Parameter], list[dict]]): the parameters or parameter groups.
        learning_rate (Union[float, int, Tensor, Iterable, LearningRateSchedule]): required.
        momentum (float): required, >= 0; an int is refused, as in MindSpore.
        weight_decay (Union[float, int, Cell]): >= 0, or a cell of the global step. Default 0.0.
        loss_scale (float): gradients are divided by it. Default 1.0.
        use_nesterov (bool): Nesterov momentum. Default False.

    Inputs:
        gradients (tuple[Tensor]): one per parameter, in the order of `optimizer.parameters`.

    Outputs:
        tuple[bool]: `True` per parameter.

    State: `momentum` (a Parameter) and `moments.<name>`.

    Example:
        >>> opt = nn.Momentum(net.trainable_params(), learning_rate=0.01, momentum=0.9)
        >>> loss, grads = value_and_grad(forward, None, opt.parameters)(x, y)
        >>> opt(grads)
    """

    def __init__(
        self, params, learning_rate, momentum, weight_decay=0.0, loss_scale=1.0, use_nesterov=False
    ):
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        _check_number(momentum, "momentum", "Momentum", float, 0.0, strict=False)
        self.momentum = Parameter(np.float32(momentum), name="momentum")
        object.__setattr__(self, "params", self._parameters)
        self.use_nesterov = _check_bool(use_nesterov, "use_nesterov", "Momentum")
        self.moments = self._state("moments")

    def construct(self, gradients):
        if _capturing:
            return self._construct_traced(gradients)
        grads, lrs = self._begin_step(gradients)
        momentum = float(self.momentum._value)
        if self.use_nesterov:
            for p, g, lr, m in zip(self._parameters, grads, lrs, self.moments):
                v = m._value
                v *= momentum
                v += g
                step = g * lr
                tail = v * momentum
                tail *= lr
                step += tail
                p._value -= step
            return self._success
        for p, g, lr, m in zip(self._parameters, grads, lrs, self.moments):
            v = m._value
            v *= momentum
            v += g
            w = p._value
            w -= lr * v
        return self._success

    def _construct_traced(self, gradients):
        """`construct` with primitives, for jit: the same operations in the same order."""
        grads, lrs = self._begin_step_traced(gradients)
        u = self.momentum._value
        for p, g, lr, m in zip(self._parameters, grads, lrs, self.moments):
            v = E.add(E.mul(m._value, u), g)
            self._set(m, v)
            if self.use_nesterov:
                step = E.add(E.mul(g, lr), E.mul(E.mul(v, u), lr))
            else:
                step = E.mul(lr, v)
            self._set(p, E.sub(p._value, step))
        return self._success
