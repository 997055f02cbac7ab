"""`SGD`: stochastic gradient descent with optional momentum, dampening and Nesterov (layer 5)."""

from __future__ import annotations

import numpy as np

from minispore.core.primitive import _capturing, concrete
from minispore.nn.dynamic_lr import _check_bool, _check_number
from minispore.nn.optim.optimizer import Optimizer
from minispore.parameter import Parameter
from minispore.prims import elementwise as E

__all__ = ["SGD"]


def _float_arg(value, arg, owner):
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    return _check_number(value, arg, owner, float, 0.0, strict=False)


class SGD(Optimizer):
    """Stochastic gradient descent, MindSpore's `mindspore.nn.SGD`.

    With momentum `u > 0`: `v = g` on the first step, then `v = u * v + (1 - dampening) * g`;
    `p -= lr * (g + u * v)` with Nesterov, else `p -= lr * v`. With `u = 0`: `p -= lr * g`.
    `g` is the gradient after weight decay (`g + weight_decay * p`) and loss scaling.

    Args:
        params (Union[list[Parameter], list[dict]]): the parameters or parameter groups.
        learning_rate (Union[float, int, Tensor, Iterable, LearningRateSchedule]): default 0.1.
        momentum (float): >= 0. Default 0.0.
        dampening (float): >= 0. Default 0.0.
        weight_decay (Union[float, int]): >= 0 (a dynamic weight decay is not supported).
        nesterov (bool): Nesterov momentum; needs `momentum > 0` and `dampening == 0`.
        loss_scale (float): gradients are divided by it. Default 1.0.

    Inputs:
        gradients (tuple[Tensor]): one per parameter, in the order of `optimizer.parameters`.

    Outputs:
        tuple[bool]: `True` per parameter.

    State: `momentum` (a Parameter), `accum.<name>` (velocity), `stat.<name>` (1 until the first
    step with momentum, then 0).

    Example:
        >>> opt = nn.SGD(net.trainable_params(), learning_rate=0.1, momentum=0.9)
        >>> loss, grads = value_and_grad(forward, None, opt.parameters)(x, y)
        >>> opt(grads)
    """

    def __init__(
        self,
        params,
        learning_rate=0.1,
        momentum=0.0,
        dampening=0.0,
        weight_decay=0.0,
        nesterov=False,
        loss_scale=1.0,
    ):
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        owner = "SGD"
        momentum = _float_arg(momentum, "momentum", owner)
        self.dampening = _float_arg(dampening, "dampening", owner)
        self.nesterov = _check_bool(nesterov, "nesterov", owner)
        if nesterov and (momentum <= 0.0 or dampening != 0.0):
            raise ValueError(
                f"For 'SGD', 'nesterov' needs 'momentum' > 0 and 'dampening' == 0, but got "
                f"momentum={momentum}, dampening={dampening}"
            )
        if self.dynamic_weight_decay:
            raise TypeError(
                "For 'SGD', a dynamic weight decay is not supported: give 'weight_decay' as a "
                "float or int"
            )
        self.momentum = Parameter(np.float32(momentum), name="momentum")
        self.accum = self._state("accum")
        self.stat = self._state("stat", 1.0)

    def construct(self, gradients):
        if _capturing:
            return self._construct_traced(gradients)
        grads, lrs = self._begin_step(gradients)
        momentum = float(self.momentum._value)
        keep = 1.0 - self.dampening
        nesterov = self.nesterov
        for p, g, lr, a, s in zip(self._parameters, grads, lrs, self.accum, self.stat):
            w = p._value
            if momentum <= 0.0:
                w -= lr * g
                continue
            v = a._value
            first = s._value
            if first.size and first.flat[0] > 0:
                v[...] = g
                first.fill(0)
            else:
                v *= momentum
                v += g if keep == 1.0 else keep * g
            if nesterov:
                step = v * momentum
                step += g
                step *= lr
                w -= step
            else:
                w -= lr * v
        return self._success

    def _construct_traced(self, gradients):
        """`construct` with primitives, for jit: the same operations in the same order."""
        grads, lrs = self._begin_step_traced(gradients)
        u = self.momentum._value
        # The form of the update follows the momentum at capture time; its value is an input.
        plain = float(concrete(u)) <= 0.0
        keep = 1.0 - self.dampening
        for p, g, lr, a, s in zip(self._parameters, grads, lrs, self.accum, self.stat):
            w = p._value
            if plain:
                self._set(p, E.sub(w, E.mul(lr, g)))
                continue
            # First step (stat > 0): v = g; later: v = u * v + (1 - dampening) * g.
            later = E.add(E.mul(a._value, u), g if keep == 1.0 else E.mul(keep, g))
            v = E.where(E.greater(s._value, 0), g, later)
            self._set(a, v)
            self._set(s, E.mul(s._value, 0))
            if self.nesterov:
                step = E.mul(E.add(E.mul(v, u), g), lr)
                self._set(p, E.sub(w, step))
            else:
                self._set(p, E.sub(w, E.mul(lr, v)))
        return self._success
