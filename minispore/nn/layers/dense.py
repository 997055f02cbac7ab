"""`nn.Dense`: the fully connected layer, `x @ weight.T + bias`."""

from __future__ import annotations

import math

from minispore import dtype as mstype
from minispore import ops
from minispore.common.initializer import HeUniform, Uniform, initializer
from minispore.nn.cell import Cell
from minispore.nn.layers.activation import get_activation
from minispore.parameter import Parameter


class Dense(Cell):
    """Applies `activation(x @ weight.T + bias)`; `weight` is (out_channels, in_channels).

    The default initialisation is MindSpore's: HeUniform(negative_slope=sqrt(5)) for the weight
    and Uniform(1/sqrt(in_channels)) for the bias (the same as PyTorch's Linear).
    """

    def __init__(
        self,
        in_channels,
        out_channels,
        weight_init=None,
        bias_init=None,
        has_bias=True,
        activation=None,
        dtype=mstype.float32,
    ):
        super().__init__()
        for name, v in (("in_channels", in_channels), ("out_channels", out_channels)):
            if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
                raise ValueError(f"For 'Dense', '{name}' must be a positive int, but got {v!r}")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.has_bias = has_bias
        if weight_init is None:
            weight_init = HeUniform(math.sqrt(5))
        self.weight = Parameter(
            initializer(weight_init, (out_channels, in_channels), dtype), name="weight"
        )
        self.bias = None
        if has_bias:
            if bias_init is None:
                bias_init = Uniform(1 / math.sqrt(in_channels))
            self.bias = Parameter(initializer(bias_init, (out_channels,), dtype), name="bias")
        self.activation = get_activation(activation)

    def construct(self, x):
        y = ops.dense(x, self.weight, self.bias)
        return y if self.activation is None else self.activation(y)

    def extend_repr(self):
        s = f"input_channels={self.in_channels}, output_channels={self.out_channels}, has_bias={self.has_bias}"
        if self.activation is not None:
            s += f", activation={self.activation}"
        return s
