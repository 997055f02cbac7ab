"""Convolution and pooling in `mindspore.ops`: argument checks and geometry over the primitives.

Padding geometry is resolved here, once, into the explicit `((top, bottom), (left, right))` the
primitives take: MindSpore's 'same' puts the odd pixel at the bottom/right, 'valid' pads
nothing, 'pad' uses `padding`, and `ceil_mode` adds the partial last window as extra
bottom/right padding. Average pooling is a sum over windows (a convolution with a ones kernel,
one channel at a time) divided by each window's count; adaptive average pooling is two small
averaging matrices, `A_h @ x @ A_w^T`.
"""

from __future__ import annotations

import functools
import math
import numbers

import numpy as np

from minispore.core.capture import host_value
from minispore.errors import ShapeError
from minispore.ops._utils import floating, value
from minispore.prims import conv as C
from minispore.prims import elementwise as E
from minispore.prims import linalg as L
from minispore.prims import shape as S
from minispore.tensor import _wrap

PAD_MODES = ("same", "valid", "pad")


def pair(v, op, arg, n=2, minimum=1):
    """An int or a tuple of `n` ints, each at least `minimum`, as a tuple."""
    t = (v,) * n if isinstance(v, numbers.Integral) and not isinstance(v, bool) else v
    if (
        not isinstance(t, (tuple, list))
        or len(t) != n
        or not all(isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in t)
    ):
        raise TypeError(f"For '{op}', '{arg}' must be an int or a tuple of {n} ints, but got {v!r}")
    if any(i < minimum for i in t):
        raise ValueError(f"For '{op}', every entry of '{arg}' must be >= {minimum}, but got {v!r}")
    return tuple(int(i) for i in t)


def explicit_padding(padding, op, ndim=2, lengths=None):
    """`padding` as `((top, bottom), (left, right))`: an int, `(h, w)`, or `(top, bottom, left, right)`.

    `lengths` limits the tuple forms accepted (MindSpore's functions differ: `ops.conv2d` takes
    2, `nn.Conv2d` and `ops.avg_pool2d` take 4, `nn.Conv1d` only an int).
    """
    lengths = (ndim, 2 * ndim) if lengths is None else lengths
    if isinstance(padding, (tuple, list)) and len(padding) not in lengths:
        forms = " or ".join(["an int"] + [f"a tuple of {n} ints" for n in lengths])
        raise (ValueError if lengths else TypeError)(
            f"For '{op}', 'padding' must be {forms}, but got {padding!r}"
        )
    if isinstance(padding, (tuple, list)) and len(padding) == 2 * ndim:
        p = pair(padding, op, "padding", 2 * ndim, minimum=0)
        return tuple((p[2 * i], p[2 * i + 1]) for i in range(ndim))
    p = pair(padding, op, "padding", ndim, minimum=0)
    return tuple((i, i) for i in p)


def same_padding(size, kernel, stride, dilation):
    """MindSpore's 'same': output ceil(size / stride), the odd pixel of padding at the end."""
    pads = []
    for n, k, s, d in zip(size, kernel, stride, dilation):
        need = max((math.ceil(n / s) - 1) * s + d * (k - 1) + 1 - n, 0)
        pads.append((need // 2, need - need // 2))
    return tuple(pads)


def resolve_padding(pad_mode, padding, size, kernel, stride, dilation, op, lengths=None):
    """The explicit padding for `pad_mode` ('same', 'valid' or 'pad', lower case as MindSpore's
    convolutions require), checked."""
    if not isinstance(pad_mode, str) or pad_mode not in PAD_MODES:
        raise ValueError(
            f"For '{op}', 'pad_mode' must be one of {list(PAD_MODES)}, but got {pad_mode!r}"
        )
    mode = pad_mode.lower()
    explicit = explicit_padding(padding, op, len(size), lengths)
    if mode != "pad" and any(p for pp in explicit for p in pp):
        raise ValueError(
            f"For '{op}', 'padding' must be 0 when 'pad_mode' is '{mode}', but got {padding!r}; "
            "use pad_mode='pad' to pad explicitly"
        )
    if mode == "same":
        return same_padding(size, kernel, stride, dilation)
    return explicit


def _check_input(v, ndim, op, layout):
    if v.ndim != ndim:
        raise ValueError(
            f"For '{op}', the input must be {ndim}-D {layout}, but got shape {tuple(v.shape)}"
        )


def _check_fits(size, padding, kernel, dilation, op):
    for n, (a, b), k, d in zip(size, padding, kernel, dilation):
        if n + a + b < d * (k - 1) + 1:
            raise ShapeError(
                f"For '{op}', the kernel {tuple(kernel)} (dilation {tuple(dilation)}) is larger "
                f"than the padded input {tuple(s + p[0] + p[1] for s, p in zip(size, padding))}"
            )


def conv2d_value(x, w, b, stride, padding, dilation, groups, op="conv2d"):
    """The convolution on raw values, `padding` already explicit; checks shapes and channels."""
    _check_input(x, 4, op, "(N, C, H, W)")
    if w.ndim != 4:
        raise ValueError(
            f"For '{op}', 'weight' must be 4-D (C_out, C_in/groups, kh, kw), but got shape {tuple(w.shape)}"
        )
    if isinstance(groups, bool) or not isinstance(groups, numbers.Integral) or groups < 1:
        raise ValueError(f"For '{op}', 'groups' must be a positive int, but got {groups!r}")
    c, o = x.shape[1], w.shape[0]
    if c % groups or o % groups:
        raise ValueError(
            f"For '{op}', 'groups' {groups} must divide the input channels {c} and the output channels {o}"
        )
    if w.shape[1] * groups != c:
        raise ShapeError(
            f"For '{op}', the input has {c} channels but 'weight' {tuple(w.shape)} expects "
            f"{w.shape[1] * groups} (weight.shape[1] * groups)"
        )
    _check_fits(x.shape[2:], padding, w.shape[2:], dilation, op)
    if x.dtype != w.dtype or x.dtype.kind != "f":
        raise TypeError(
            f"For '{op}', the input and 'weight' must be float tensors of the same dtype, but got "
            f"input {x.dtype} and weight {w.dtype}"
        )
    y = C.conv2d(x, w, stride=stride, padding=padding, dilation=dilation, groups=int(groups))
    if b is not None:
        if tuple(b.shape) != (o,):
            raise ValueError(f"For '{op}', 'bias' must have shape ({o},), but got {tuple(b.shape)}")
        y = E.add(y, S.reshape(b, shape=(1, o, 1, 1)))
    return y


def _optional(v, op, arg):
    return None if v is None else value(v, op, arg)


def conv2d(input, weight, bias=None, stride=1, pad_mode="valid", padding=0, dilation=1, groups=1):
    """2-D cross-correlation of (N, C, H, W) `input` with (C_out, C/groups, kh, kw) `weight`.

    `pad_mode` is 'valid' (no padding), 'same' (output ceil(H / stride)) or 'pad' (`padding`:
    an int, `(h, w)` or `(top, bottom, left, right)`).
    """
    x, w = value(input, "conv2d"), value(weight, "conv2d", "weight")
    stride, dilation = pair(stride, "conv2d", "stride"), pair(dilation, "conv2d", "dilation")
    _check_input(x, 4, "conv2d", "(N, C, H, W)")
    pads = resolve_padding(
        pad_mode, padding, x.shape[2:], w.shape[2:], stride, dilation, "conv2d", lengths=(2,)
    )
    b = _optional(bias, "conv2d", "bias")
    return _wrap(conv2d_value(x, w, b, stride, pads, dilation, groups))


def height1(v):
    """(N, C, L) as (N, C, 1, L): 1-D convolution and pooling run as 2-D ones."""
    return S.reshape(v, shape=(v.shape[0], v.shape[1], 1, v.shape[2]))


def drop_height(y):
    """(N, C, 1, L) back to (N, C, L)."""
    return S.reshape(y, shape=(y.shape[0], y.shape[1], y.shape[3]))


def conv1d_value(x, w, b, stride, padding, dilation, groups, op="conv1d"):
    """1-D convolution as a 2-D one of height 1: `x` (N, C, L), `w` (C_out, C/groups, k)."""
    _check_input(x, 3, op, "(N, C, L)")
    if w.ndim != 3:
        raise ValueError(
            f"For '{op}', 'weight' must be 3-D (C_out, C_in/groups, k), but got shape {tuple(w.shape)}"
        )
    n, c, length = x.shape
    y = conv2d_value(
        height1(x),
        height1(w),
        b,
        (1, stride),
        ((0, 0), padding),
        (1, dilation),
        groups,
        op,
    )
    return drop_height(y)


def conv1d(input, weight, bias=None, stride=1, pad_mode="valid", padding=0, dilation=1, groups=1):
    """1-D cross-correlation of (N, C, L) `input` with (C_out, C/groups, k) `weight`."""
    x, w = value(input, "conv1d"), value(weight, "conv1d", "weight")
    (stride,), (dilation,) = (
        pair(stride, "conv1d", "stride", 1),
        pair(dilation, "conv1d", "dilation", 1),
    )
    _check_input(x, 3, "conv1d", "(N, C, L)")
    (pads,) = resolve_padding(
        pad_mode, padding, x.shape[2:], w.shape[2:], (stride,), (dilation,), "conv1d"
    )
    b = _optional(bias, "conv1d", "bias")
    return _wrap(conv1d_value(x, w, b, stride, pads, dilation, groups))


def ceil_padding(size, padding, kernel, stride, dilation):
    """Extra bottom/right padding that `ceil_mode` needs for the last, partial window.

    As PyTorch and MindSpore: a last window that would start in the right padding is dropped.
    """
    out = []
    for n, (a, b), k, s, d in zip(size, padding, kernel, stride, dilation):
        span = n + a + b - d * (k - 1) - 1
        count = -(-span // s) + 1
        if (count - 1) * s >= n + a:
            count -= 1
        out.append((a, b + max((count - 1) * s - span, 0)))
    return tuple(out)


def _pool_geometry(x, kernel_size, stride, padding, dilation, ceil_mode, op, ndim=2):
    kernel = pair(kernel_size, op, "kernel_size", ndim)
    stride = kernel if stride is None or stride == 0 else pair(stride, op, "stride", ndim)
    dilation = pair(dilation, op, "dilation", ndim)
    pads = padding if _is_explicit(padding, ndim) else explicit_padding(padding, op, ndim)
    pads = pool_padding(x.shape[2:], pads, kernel, stride, dilation, ceil_mode, op, padding)
    return kernel, stride, pads, dilation


def pool_padding(size, pads, kernel, stride, dilation, ceil_mode, op, shown):
    """Explicit pooling padding, checked (at most half the kernel, as MindSpore; the windows
    fit), with `ceil_mode`'s extra bottom/right padding; `shown` is the user's `padding`."""
    for k, (a, b) in zip(kernel, pads):
        if max(a, b) > k // 2:
            raise ValueError(
                f"For '{op}', 'padding' {shown!r} must be at most half of 'kernel_size' {kernel}"
            )
    if ceil_mode:
        pads = ceil_padding(size, pads, kernel, stride, dilation)
    _check_fits(size, pads, kernel, dilation, op)
    return pads


def _is_explicit(padding, ndim):
    return (
        isinstance(padding, tuple)
        and len(padding) == ndim
        and all(isinstance(p, tuple) and len(p) == 2 for p in padding)
    )


def max_pool2d_value(x, kernel, stride, pads, dilation):
    return C.max_pool2d(x, kernel_size=kernel, stride=stride, padding=pads, dilation=dilation)


def _argmax_indices(x, kernel, stride, pads, dilation):
    """Flat `h * W + w` input positions of each window's maximum, as MindSpore's `return_indices`."""
    x = np.asarray(host_value(x, "max_pool2d's return_indices"))
    idx = C._argmax(x, kernel, stride, pads, dilation)
    (_, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    oh, ow = idx.shape[2:]
    rows = np.arange(oh)[:, None] * sh + (idx // kw) * dh - pads[0][0]
    cols = np.arange(ow)[None, :] * sw + (idx % kw) * dw - pads[1][0]
    return (rows * x.shape[3] + cols).astype(np.int64)


def max_pool2d(
    x, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False
):
    """Max over each window of (N, C, H, W) `x`; padding counts as -inf."""
    v = value(x, "max_pool2d", "x")
    _check_input(v, 4, "max_pool2d", "(N, C, H, W)")
    geom = _pool_geometry(v, kernel_size, stride, padding, dilation, ceil_mode, "max_pool2d")
    out = _wrap(max_pool2d_value(v, *geom))
    if return_indices:
        return out, _wrap(_argmax_indices(v, *geom))
    return out


@functools.lru_cache(maxsize=256)
def _window_counts(size, pads, kernel, stride, dilation, count_pad):
    """How many entries each window averages: real ones, and `count_pad` explicit padding ones."""
    (pt, pb), (pl, pr) = count_pad
    h, w = size
    ones = np.zeros((1, 1, h + pads[0][0] + pads[0][1], w + pads[1][0] + pads[1][1]))
    ones[:, :, pads[0][0] - pt : pads[0][0] + h + pb, pads[1][0] - pl : pads[1][0] + w + pr] = 1
    k = np.ones((1, 1) + kernel)
    return C.conv2d(ones, k, stride=stride, padding=((0, 0), (0, 0)), dilation=dilation, groups=1)


def sum_pool2d_value(x, kernel, stride, pads, dilation):
    """Sums over windows: a convolution with a ones kernel, each channel as its own image."""
    n, c, h, w = x.shape
    ones = np.ones((1, 1) + kernel, dtype=x.dtype)
    y = C.conv2d(
        S.reshape(x, shape=(n * c, 1, h, w)),
        ones,
        stride=stride,
        padding=pads,
        dilation=dilation,
        groups=1,
    )
    return S.reshape(y, shape=(n, c) + tuple(y.shape[2:]))


def avg_pool2d_value(x, kernel, stride, pads, explicit, count_include_pad, divisor_override):
    """Average pooling; `explicit` is the user's padding (counted when `count_include_pad`)."""
    x = floating(x)
    total = sum_pool2d_value(x, kernel, stride, pads, (1, 1))
    if divisor_override:
        return E.div(total, np.asarray(divisor_override, dtype=x.dtype))
    count_pad = explicit if count_include_pad else ((0, 0), (0, 0))
    counts = _window_counts(tuple(x.shape[2:]), pads, kernel, stride, (1, 1), count_pad)
    return E.div(total, counts.astype(x.dtype))


def avg_pool2d(
    input_x,
    kernel_size=1,
    stride=1,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=0,
):
    """Mean over each window of (N, C, H, W) `input_x`."""
    v = value(input_x, "avg_pool2d", "input_x")
    _check_input(v, 4, "avg_pool2d", "(N, C, H, W)")
    explicit = explicit_padding(padding, "avg_pool2d", lengths=(4,))
    kernel, stride, pads, _ = _pool_geometry(
        v, kernel_size, stride, explicit, 1, ceil_mode, "avg_pool2d"
    )
    return _wrap(
        avg_pool2d_value(v, kernel, stride, pads, explicit, count_include_pad, divisor_override)
    )


def avg_pool1d(
    input_x, kernel_size=1, stride=1, padding=0, ceil_mode=False, count_include_pad=True
):
    """Mean over each window of (N, C, L) `input_x`."""
    v = value(input_x, "avg_pool1d", "input_x")
    _check_input(v, 3, "avg_pool1d", "(N, C, L)")
    v = height1(v)
    (k,), (s,) = (
        pair(kernel_size, "avg_pool1d", "kernel_size", 1),
        pair(stride, "avg_pool1d", "stride", 1),
    )
    ((a, b),) = explicit_padding(padding, "avg_pool1d", 1)
    explicit = ((0, 0), (a, b))
    kernel, stride, pads, _ = _pool_geometry(
        v, (1, k), (1, s), explicit, 1, ceil_mode, "avg_pool1d"
    )
    return _wrap(
        drop_height(avg_pool2d_value(v, kernel, stride, pads, explicit, count_include_pad, 0))
    )


@functools.lru_cache(maxsize=256)
def adaptive_matrix(size, out, dtype):
    """(out, size) matrix averaging the windows [floor(i*size/out), ceil((i+1)*size/out))."""
    m = np.zeros((out, size), dtype=dtype)
    for i in range(out):
        lo, hi = (i * size) // out, -(-((i + 1) * size) // out)
        m[i, lo:hi] = 1.0 / (hi - lo)
    m.setflags(write=False)
    return m


def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a fixed `output_size` (an int, or a pair whose None entries keep the input size)."""
    v = floating(value(input, "adaptive_avg_pool2d"))
    if v.ndim not in (3, 4):
        raise ValueError(
            f"For 'adaptive_avg_pool2d', the input must be 3-D or 4-D, but got shape {tuple(v.shape)}"
        )
    h, w = v.shape[-2:]
    size = (
        (output_size, output_size)
        if isinstance(output_size, numbers.Integral)
        else tuple(output_size)
    )
    if len(size) != 2:
        raise ValueError(
            f"For 'adaptive_avg_pool2d', 'output_size' must be an int or a pair, but got {output_size!r}"
        )
    oh, ow = (h if size[0] is None else size[0]), (w if size[1] is None else size[1])
    if not (
        isinstance(oh, numbers.Integral) and isinstance(ow, numbers.Integral) and oh > 0 and ow > 0
    ):
        raise ValueError(
            f"For 'adaptive_avg_pool2d', 'output_size' must be positive, but got {output_size!r}"
        )
    y = v
    if oh != h:
        y = L.matmul(adaptive_matrix(h, int(oh), v.dtype), y)
    if ow != w:
        y = L.matmul(y, adaptive_matrix(w, int(ow), v.dtype).T)
    return _wrap(y)
