"""Initializers (`mindspore.common.initializer`): objects that fill a new tensor's data.

`initializer(init, shape, dtype)` accepts an `Initializer`, a name ('zeros', 'ones', 'normal',
'uniform', 'he_uniform', 'he_normal', 'xavier_uniform', 'xavier_normal', 'truncatednormal'), a
number, or a Tensor. Draws use minispore's generator, seeded by `set_seed`.
"""

from __future__ import annotations

import math

import numpy as np

from minispore import dtype as mstype
from minispore.prims import random as _rnd
from minispore.tensor import Tensor, _wrap


def _fans(shape):
    if len(shape) < 2:
        n = shape[0] if shape else 1
        return n, n
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _rng():
    return _rnd._state.rng


class Initializer:
    """Base class: subclasses implement `_fill(shape) -> ndarray`."""

    def __call__(self, arr):
        arr[...] = self._fill(arr.shape)

    def _fill(self, shape):
        raise NotImplementedError

    def init_data(self, shape, dtype):
        return self._fill(tuple(shape)).astype(mstype.to_numpy_dtype(dtype))


class Zero(Initializer):
    def _fill(self, shape):
        return np.zeros(shape)


class One(Initializer):
    def _fill(self, shape):
        return np.ones(shape)


class Constant(Initializer):
    def __init__(self, value):
        self.value = value

    def _fill(self, shape):
        return np.full(shape, self.value)


class Normal(Initializer):
    def __init__(self, sigma=0.01, mean=0.0):
        self.sigma, self.mean = sigma, mean

    def _fill(self, shape):
        return _rng().normal(self.mean, self.sigma, shape)


class Uniform(Initializer):
    def __init__(self, scale=0.07):
        self.scale = scale

    def _fill(self, shape):
        return _rng().uniform(-self.scale, self.scale, shape)


class TruncatedNormal(Initializer):
    def __init__(self, sigma=0.01, mean=0.0, a=-2.0, b=2.0):
        self.sigma, self.mean, self.a, self.b = sigma, mean, a, b

    def _fill(self, shape):
        out = _rng().normal(self.mean, self.sigma, shape)
        bad = (out < self.a) | (out > self.b)
        while bad.any():
            out[bad] = _rng().normal(self.mean, self.sigma, int(bad.sum()))
            bad = (out < self.a) | (out > self.b)
        return out


def _gain(nonlinearity, param):
    if nonlinearity in ("relu",):
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        a = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + a * a))
    if nonlinearity == "tanh":
        return 5.0 / 3
    return 1.0


class HeUniform(Initializer):
    def __init__(self, negative_slope=0, mode="fan_in", nonlinearity="leaky_relu"):
        self.negative_slope, self.mode, self.nonlinearity = negative_slope, mode, nonlinearity

    def _fill(self, shape):
        fan_in, fan_out = _fans(shape)
        fan = fan_in if self.mode == "fan_in" else fan_out
        bound = _gain(self.nonlinearity, self.negative_slope) * math.sqrt(3.0 / fan)
        return _rng().uniform(-bound, bound, shape)


class HeNormal(HeUniform):
    def _fill(self, shape):
        fan_in, fan_out = _fans(shape)
        fan = fan_in if self.mode == "fan_in" else fan_out
        return _rng().normal(
            0, _gain(self.nonlinearity, self.negative_slope) / math.sqrt(fan), shape
        )


class XavierUniform(Initializer):
    def __init__(self, gain=1):
        self.gain = gain

    def _fill(self, shape):
        fan_in, fan_out = _fans(shape)
        bound = self.gain * math.sqrt(6.0 / (fan_in + fan_out))
        return _rng().uniform(-bound, bound, shape)


class XavierNormal(XavierUniform):
    def _fill(self, shape):
        fan_in, fan_out = _fans(shape)
        return _rng().normal(0, self.gain * math.sqrt(2.0 / (fan_in + fan_out)), shape)


_NAMES = {
    "zeros": Zero,
    "zero": Zero,
    "ones": One,
    "one": One,
    "normal": Normal,
    "uniform": Uniform,
    "truncatednormal": TruncatedNormal,
    "he_uniform": HeUniform,
    "heuniform": HeUniform,
    "he_normal": HeNormal,
    "henormal": HeNormal,
    "xavier_uniform": XavierUniform,
    "xavieruniform": XavierUniform,
    "xavier_normal": XavierNormal,
    "xaviernormal": XavierNormal,
}


def initializer(init, shape=None, dtype=mstype.float32):
    """A Tensor of `shape` and `dtype` filled by `init` (an Initializer, name, number or Tensor)."""
    if isinstance(shape, int):
        shape = (shape,)
    shape = tuple(shape) if shape is not None else None
    if isinstance(init, Tensor):
        if shape is not None and init.shape != shape:
            raise ValueError(
                f"For 'initializer', the Tensor's shape {init.shape} differs from shape {shape}"
            )
        return Tensor(init, dtype)
    if shape is None:
        raise ValueError("For 'initializer', 'shape' is required")
    if isinstance(init, str):
        cls = _NAMES.get(init.lower())
        if cls is None:
            raise ValueError(
                f"For 'initializer', unknown initializer name {init!r}; known: {sorted(_NAMES)}"
            )
        init = cls()
    elif isinstance(init, (int, float)) and not isinstance(init, bool):
        init = Constant(init)
    if not isinstance(init, Initializer):
        raise TypeError(
            f"For 'initializer', 'init' must be an Initializer, str, number or Tensor, got {type(init).__name__}"
        )
    return _wrap(init.init_data(shape, dtype))
