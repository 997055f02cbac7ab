"""`Conv1d` and `Conv2d` with MindSpore's defaults: pad_mode 'same' and no bias."""

from __future__ import annotations

import math
import numbers

from minispore import dtype as mstype
from minispore.common.initializer import HeUniform, Uniform, initializer
from minispore.errors import ShapeError
from minispore.nn.cell import Cell
from minispore.ops import conv_pool as CP
from minispore.ops._utils import value
from minispore.parameter import Parameter
from minispore.tensor import Tensor, _wrap


def _positive(v, cls, arg):
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v <= 0:
        raise ValueError(f"For '{cls}', '{arg}' must be a positive int, but got {v!r}")
    return int(v)


class _Conv(Cell):
    """Shared set-up: checks, the weight (out, in/group, kh, kw) and the optional bias."""

    _name = "Conv2d"
    _padding_forms = (4,)  # nn.Conv2d takes an int or (top, bottom, left, right)

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel,
        stride,
        pad_mode,
        padding,
        dilation,
        group,
        has_bias,
        weight_init,
        bias_init,
        dtype,
    ):
        super().__init__()
        cls = self._name
        self.in_channels = _positive(in_channels, cls, "in_channels")
        self.out_channels = _positive(out_channels, cls, "out_channels")
        self.group = _positive(group, cls, "group")
        if in_channels % group or out_channels % group:
            raise ValueError(
                f"For '{cls}', 'group' {group} must divide in_channels {in_channels} and "
                f"out_channels {out_channels}"
            )
        if not isinstance(pad_mode, str) or pad_mode not in CP.PAD_MODES:
            raise ValueError(
                f"For '{cls}', 'pad_mode' must be one of {list(CP.PAD_MODES)}, but got {pad_mode!r}"
            )
        self.pad_mode = pad_mode
        self.kernel_size, self.stride, self.dilation = kernel, stride, dilation
        self.padding = padding
        explicit = CP.explicit_padding(padding, cls, 2, self._padding_forms)
        if self.pad_mode != "pad" and any(p for pp in explicit for p in pp):
            raise ValueError(
                f"For '{cls}', 'padding' must be 0 when 'pad_mode' is '{self.pad_mode}', but got "
                f"{padding!r}; use pad_mode='pad'"
            )
        self.has_bias = has_bias
        self.data_format = "NCHW"
        fan_in = in_channels // group * kernel[0] * kernel[1]
        self.weight_init = HeUniform(math.sqrt(5)) if weight_init is None else weight_init
        self.weight = Parameter(
            initializer(self.weight_init, (out_channels, in_channels // group) + kernel, dtype),
            name="weight",
        )
        self.bias_init = None
        self.bias = None
        if has_bias:
            self.bias_init = Uniform(1 / math.sqrt(fan_in)) if bias_init is None else bias_init
            self.bias = Parameter(initializer(self.bias_init, (out_channels,), dtype), name="bias")

    def _pads(self, size):
        return CP.resolve_padding(
            self.pad_mode,
            self.padding,
            size,
            self.kernel_size,
            self.stride,
            self.dilation,
            self._name,
            self._padding_forms,
        )

    def extend_repr(self):
        return (
            f"input_channels={self.in_channels}, output_channels={self.out_channels}, "
            f"kernel_size={self.kernel_size}, stride={self.stride}, pad_mode={self.pad_mode}, "
            f"padding={self._shown_padding()}, dilation={self.dilation}, group={self.group}, "
            f"has_bias={self.has_bias}, weight_init={self.weight_init}, bias_init={self.bias_init}, "
            f"format={self.data_format}"
        )

    def _shown_padding(self):
        return self.padding


class Conv2d(_Conv):
    """2-D convolution over (N, C_in, H, W) input: `weight` is (C_out, C_in/group, kh, kw).

    `pad_mode` 'same' (the default: output ceil(H / stride), the odd pixel of padding at the
    bottom/right), 'valid' (no padding) or 'pad' (`padding`: an int or `(top, bottom, left,
    right)`). Default initialisation: HeUniform(sqrt(5)) weight, Uniform(1/sqrt(fan_in)) bias.
    """

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        pad_mode="same",
        padding=0,
        dilation=1,
        group=1,
        has_bias=False,
        weight_init=None,
        bias_init=None,
        data_format="NCHW",
        dtype=mstype.float32,
    ):
        if data_format != "NCHW":
            raise ValueError(
                f"For 'Conv2d', only data_format='NCHW' is supported, but got {data_format!r}"
            )
        super().__init__(
            in_channels,
            out_channels,
            CP.pair(kernel_size, "Conv2d", "kernel_size"),
            CP.pair(stride, "Conv2d", "stride"),
            pad_mode,
            padding,
            CP.pair(dilation, "Conv2d", "dilation"),
            group,
            has_bias,
            weight_init,
            bias_init,
            dtype,
        )

    def construct(self, x):
        v = value(x, "Conv2d", "x")
        if v.ndim != 4:
            raise ValueError(
                f"For 'Conv2d', the input must be 4-D (N, C, H, W), but got shape {tuple(v.shape)}"
            )
        b = None if self.bias is None else self.bias._value
        return _wrap(
            CP.conv2d_value(
                v,
                self.weight._value,
                b,
                self.stride,
                self._pads(v.shape[2:]),
                self.dilation,
                self.group,
                "Conv2d",
            )
        )


class Conv1d(_Conv):
    """1-D convolution over (N, C_in, L) input.

    As MindSpore, the weight is stored 4-D, (C_out, C_in/group, 1, k), so checkpoints move
    between the two unchanged.
    """

    _name = "Conv1d"

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        pad_mode="same",
        padding=0,
        dilation=1,
        group=1,
        has_bias=False,
        weight_init=None,
        bias_init=None,
        dtype=mstype.float32,
    ):
        (k,) = CP.pair(kernel_size, "Conv1d", "kernel_size", 1)
        (s,) = CP.pair(stride, "Conv1d", "stride", 1)
        (d,) = CP.pair(dilation, "Conv1d", "dilation", 1)
        ((a, b),) = CP.explicit_padding(padding, "Conv1d", 1, lengths=())  # an int only
        self._padding_1d = (a, b)
        if isinstance(weight_init, Tensor) and weight_init.ndim == 3:
            # a (C_out, C_in/group, k) tensor, stored 4-D as MindSpore does
            weight_init = weight_init.expand_dims(2)
        super().__init__(
            in_channels,
            out_channels,
            (1, k),
            (1, s),
            pad_mode,
            (0, 0, a, b),
            (1, d),
            group,
            has_bias,
            weight_init,
            bias_init,
            dtype,
        )

    def construct(self, x):
        v = value(x, "Conv1d", "x")
        if v.ndim != 3:
            raise ValueError(
                f"For 'Conv1d', the input must be 3-D (N, C, L), but got shape {tuple(v.shape)}"
            )
        n, c, length = v.shape
        pads = self._pads((1, length))
        (_, k), (_, d) = self.kernel_size, self.dilation
        if length + sum(pads[1]) < d * (k - 1) + 1:
            raise ShapeError(
                f"For 'Conv1d', the kernel size {k} (dilation {d}) is larger than the input length "
                f"{length} plus padding {pads[1]}: input shape {tuple(v.shape)}"
            )
        x4 = CP.height1(v)
        b = None if self.bias is None else self.bias._value
        y = CP.conv2d_value(
            x4,
            self.weight._value,
            b,
            self.stride,
            self._pads((1, length)),
            self.dilation,
            self.group,
            "Conv1d",
        )
        return _wrap(CP.drop_height(y))

    def _shown_padding(self):
        return (0, 0) + self._padding_1d
