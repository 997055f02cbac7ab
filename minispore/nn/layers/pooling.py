"""Pooling cells: `MaxPool1d/2d`, `AvgPool1d/2d` (pad_mode 'valid'/'same'/'pad') and `AdaptiveAvgPool2d`."""

from __future__ import annotations

from minispore import ops
from minispore.nn.cell import Cell
from minispore.ops import conv_pool as CP
from minispore.ops._utils import value
from minispore.tensor import _wrap


def _shown(v):
    return tuple(v) if isinstance(v, list) else v


class _Pool(Cell):
    _name = "MaxPool2d"
    _ndim = 2

    def __init__(self, kernel_size, stride, pad_mode, padding, ceil_mode):
        super().__init__()
        cls, n = self._name, self._ndim
        self.kernel_size = CP.pair(kernel_size, cls, "kernel_size", n)
        self.stride = CP.pair(stride, cls, "stride", n)
        if not isinstance(pad_mode, str) or pad_mode.lower() not in CP.PAD_MODES:
            raise ValueError(
                f"For '{cls}', 'pad_mode' must be one of {list(CP.PAD_MODES)}, but got {pad_mode!r}"
            )
        self.pad_mode = pad_mode.lower()
        explicit = CP.explicit_padding(padding, cls, n)
        if self.pad_mode != "pad" and any(p for pp in explicit for p in pp):
            raise ValueError(
                f"For '{cls}', 'padding' must be 0 when 'pad_mode' is '{self.pad_mode}', but got "
                f"{padding!r}; use pad_mode='pad'"
            )
        if self.pad_mode == "same" and ceil_mode:
            raise ValueError(f"For '{cls}', 'ceil_mode' needs pad_mode 'pad' or 'valid'")
        self.padding = padding
        self._explicit = explicit
        self.ceil_mode = bool(ceil_mode)
        self._shown = (_shown(kernel_size), _shown(stride))

    def _batched(self, x):
        """The input as a batch, and whether it came without one ((C, H, W) or (C, L))."""
        v = value(x, self._name, "x")
        want = self._ndim + 2
        if v.ndim == want - 1:
            return CP.S.reshape(v, shape=(1,) + tuple(v.shape)), True
        if v.ndim != want:
            layout = "(N, C, H, W) or (C, H, W)" if self._ndim == 2 else "(N, C, L) or (C, L)"
            raise ValueError(
                f"For '{self._name}', the input must be {want}-D or {want - 1}-D {layout}, "
                f"but got shape {tuple(v.shape)}"
            )
        return v, False

    def _unbatched(self, y, unbatched):
        return CP.S.reshape(y, shape=tuple(y.shape[1:])) if unbatched else y

    def _geometry(self, v, dilation):
        """(kernel, stride, padding, dilation) of the 2-D primitive for batched input `v`."""
        cls = self._name
        size = tuple(v.shape[2:])
        if self.pad_mode == "same":
            pads = CP.same_padding(size, self.kernel_size, self.stride, dilation)
            CP._check_fits(size, pads, self.kernel_size, dilation, cls)
        else:
            pads = CP.pool_padding(
                size,
                self._explicit,
                self.kernel_size,
                self.stride,
                dilation,
                self.ceil_mode,
                cls,
                self.padding,
            )
        if self._ndim == 1:
            return (1,) + self.kernel_size, (1,) + self.stride, ((0, 0),) + pads, (1,) + dilation
        return self.kernel_size, self.stride, pads, dilation

    def _as_4d(self, v):
        return v if self._ndim == 2 else CP.height1(v)

    def _from_4d(self, y):
        return y if self._ndim == 2 else CP.drop_height(y)

    def extend_repr(self):
        k, s = self._shown
        if self._ndim == 1 and self._name == "MaxPool1d":
            k, s = self._shown_1d(k, s, (1, 1) if self.pad_mode == "pad" else (1,))
        elif self._ndim == 1 and self.pad_mode != "pad":
            k, s = self._shown_1d(k, s, (1,))
        return f"kernel_size={k}, stride={s}, pad_mode={self.pad_mode.upper()}"

    @staticmethod
    def _shown_1d(k, s, lead):
        # MindSpore 2.10 prints the 1-D windows as the 2-D (or 3-D) ones it runs.
        return lead + (k if isinstance(k, tuple) else (k,)), lead + (
            s if isinstance(s, tuple) else (s,)
        )


class MaxPool2d(_Pool):
    """Max over windows of (N, C, H, W) input; padding counts as -inf."""

    def __init__(
        self,
        kernel_size=1,
        stride=1,
        pad_mode="valid",
        padding=0,
        dilation=1,
        return_indices=False,
        ceil_mode=False,
        data_format="NCHW",
    ):
        super().__init__(kernel_size, stride, pad_mode, padding, ceil_mode)
        self.dilation = CP.pair(dilation, self._name, "dilation", self._ndim)
        self.return_indices = return_indices
        if self.pad_mode != "pad" and (
            self.ceil_mode or return_indices or self.dilation != (1,) * self._ndim
        ):
            raise ValueError(
                f"For '{self._name}', 'dilation', 'return_indices' and 'ceil_mode' need "
                f"pad_mode='pad' (as MindSpore), but got pad_mode='{self.pad_mode}'"
            )

    def construct(self, x):
        v, unbatched = self._batched(x)
        geom = self._geometry(v, self.dilation)
        v4 = self._as_4d(v)
        out = _wrap(self._unbatched(self._from_4d(CP.max_pool2d_value(v4, *geom)), unbatched))
        if self.return_indices:
            idx = self._from_4d(CP._argmax_indices(v4, *geom))
            return out, _wrap(self._unbatched(idx, unbatched))
        return out


class MaxPool1d(MaxPool2d):
    """Max over windows of (N, C, L) input."""

    _name = "MaxPool1d"
    _ndim = 1

    def __init__(
        self,
        kernel_size=1,
        stride=1,
        pad_mode="valid",
        padding=0,
        dilation=1,
        return_indices=False,
        ceil_mode=False,
    ):
        super().__init__(
            kernel_size, stride, pad_mode, padding, dilation, return_indices, ceil_mode
        )


class AvgPool2d(_Pool):
    """Mean over windows of (N, C, H, W) input.

    With pad_mode 'same' the implicit padding is never counted (the mean is over real entries);
    with 'pad' it is counted when `count_include_pad`. `divisor_override` replaces the count.
    """

    _name = "AvgPool2d"

    def __init__(
        self,
        kernel_size=1,
        stride=1,
        pad_mode="valid",
        padding=0,
        ceil_mode=False,
        count_include_pad=True,
        divisor_override=None,
        data_format="NCHW",
    ):
        super().__init__(kernel_size, stride, pad_mode, padding, ceil_mode)
        if divisor_override is not None and (
            isinstance(divisor_override, bool)
            or not isinstance(divisor_override, int)
            or divisor_override <= 0
        ):
            raise ValueError(
                f"For '{self._name}', 'divisor_override' must be a positive int or None, but got "
                f"{divisor_override!r}"
            )
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def construct(self, x):
        v, unbatched = self._batched(x)
        kernel, stride, pads, _ = self._geometry(v, (1,) * self._ndim)
        counted = self._explicit if self.pad_mode == "pad" else ((0, 0),) * self._ndim
        if self._ndim == 1:
            counted = ((0, 0),) + counted
        y = CP.avg_pool2d_value(
            self._as_4d(v),
            kernel,
            stride,
            pads,
            counted,
            self.count_include_pad,
            self.divisor_override,
        )
        return _wrap(self._unbatched(self._from_4d(y), unbatched))


class AvgPool1d(AvgPool2d):
    """Mean over windows of (N, C, L) input."""

    _name = "AvgPool1d"
    _ndim = 1

    def __init__(
        self,
        kernel_size=1,
        stride=1,
        pad_mode="valid",
        padding=0,
        ceil_mode=False,
        count_include_pad=True,
    ):
        super().__init__(kernel_size, stride, pad_mode, padding, ceil_mode, count_include_pad)


class AdaptiveAvgPool2d(Cell):
    """Average pooling of (N, C, H, W) or (C, H, W) input to a fixed `output_size`."""

    def __init__(self, output_size):
        super().__init__()
        sizes = output_size if isinstance(output_size, (tuple, list)) else (output_size,)
        if not all(
            s is None or (isinstance(s, int) and not isinstance(s, bool) and s > 0) for s in sizes
        ):
            raise ValueError(
                f"For 'AdaptiveAvgPool2d', 'output_size' must be positive ints (or None), but got "
                f"{output_size!r}"
            )
        self.output_size = output_size

    def construct(self, x):
        return ops.adaptive_avg_pool2d(x, self.output_size)
