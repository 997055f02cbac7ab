"""Convolution and max-pooling primitives over NCHW arrays, vectorised over the batch (layer 2).

A 2-D convolution is one matrix product over an im2col view: the input is padded, a strided
view of every window is copied into columns `(N, groups, C/groups * kh * kw, OH * OW)`, and the
weight `(groups, O/groups, C/groups * kh * kw)` multiplies them, giving NCHW output directly.
Its two transposes are primitives too: `conv2d_input_grad` (columns scattered back, one strided
add per kernel offset) and `conv2d_weight_grad` (columns times the cotangent). The three are
bilinear and each one's rules are written with the other two, so every derivative of every order
stays inside this family. Max pooling routes values through the argmax of each window:
`max_pool2d_scatter` sends cotangents to it and `max_pool2d_gather` reads from it; they transpose
each other, and the argmax itself is piecewise constant, so no gradient flows to the selector.
Conv1d, average and sum pooling are compositions in `minispore/ops/`.

Parameters (keyword-only, hashable): `stride=(sh, sw)`, `padding=((top, bottom), (left,
right))`, `dilation=(dh, dw)`, `groups`; the transposes also take the spatial size they give back
(`in_size` or `kernel_size`). Pooling takes `kernel_size`, `stride`, `padding`, `dilation`.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from minispore.core.batching import axis_size, batched, move_axis, reshape, with_primitive
from minispore.core.primitive import Primitive


def _out_size(size, pad, k, s, d):
    return (size + pad[0] + pad[1] - d * (k - 1) - 1) // s + 1


def _pad(x, padding, value=0.0):
    (pt, pb), (pl, pr) = padding
    if pt == pb == pl == pr == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)), constant_values=value)


def _windows(xp, kernel_size, stride, dilation, out_hw):
    """A read-only view `(N, C, kh, kw, OH, OW)` of every window of the padded input."""
    n, c = xp.shape[:2]
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel_size, stride, dilation, out_hw
    s0, s1, s2, s3 = xp.strides
    return as_strided(
        xp, (n, c, kh, kw, oh, ow), (s0, s1, s2 * dh, s3 * dw, s2 * sh, s3 * sw), writeable=False
    )


def _columns(x, kernel_size, stride, padding, dilation, groups):
    """im2col: `(N, groups, C/groups * kh * kw, OH * OW)` and the output size."""
    n, c, h, w = x.shape
    out_hw = tuple(
        _out_size(s, p, k, st, d)
        for s, p, k, st, d in zip((h, w), padding, kernel_size, stride, dilation)
    )
    win = _windows(_pad(x, padding), kernel_size, stride, dilation, out_hw)
    return win.reshape(n, groups, -1, out_hw[0] * out_hw[1]), out_hw


def _scatter_windows(cols, out_shape, kernel_size, stride, padding, dilation):
    """col2im: add `cols` `(N, C, kh, kw, OH, OW)` back into a zero input of `out_shape`."""
    (kh, kw), (sh, sw), (dh, dw) = kernel_size, stride, dilation
    (pt, pb), (pl, pr) = padding
    n, c, h, w = out_shape
    oh, ow = cols.shape[-2:]
    dx = np.zeros((n, c, h + pt + pb, w + pl + pr), dtype=cols.dtype)
    # NOTE: one strided add per kernel offset (kh * kw of them), never a loop over pixels.
    for i in range(kh):
        for j in range(kw):
            dx[
                :,
                :,
                i * dh : i * dh + sh * (oh - 1) + 1 : sh,
                j * dw : j * dw + sw * (ow - 1) + 1 : sw,
            ] += cols[:, :, i, j]
    return dx[:, :, pt : pt + h, pl : pl + w]


def _conv2d_impl(x, w, *, stride, padding, dilation, groups):
    o, cg, kh, kw = w.shape
    n = x.shape[0]
    cols, (oh, ow) = _columns(x, (kh, kw), stride, padding, dilation, groups)
    out = np.matmul(w.reshape(groups, o // groups, cg * kh * kw), cols)
    return out.reshape(n, o, oh, ow)


def _conv2d_input_grad_impl(ct, w, *, in_size, stride, padding, dilation, groups):
    o, cg, kh, kw = w.shape
    n, _, oh, ow = ct.shape
    wg = w.reshape(groups, o // groups, cg * kh * kw)
    cols = np.matmul(wg.transpose(0, 2, 1), ct.reshape(n, groups, o // groups, oh * ow))
    cols = cols.reshape(n, groups * cg, kh, kw, oh, ow)
    return _scatter_windows(
        cols, (n, groups * cg) + tuple(in_size), (kh, kw), stride, padding, dilation
    )


def _conv2d_weight_grad_impl(x, ct, *, kernel_size, stride, padding, dilation, groups):
    n, o, oh, ow = ct.shape
    cols, _ = _columns(x, kernel_size, stride, padding, dilation, groups)
    ctg = ct.reshape(n, groups, o // groups, oh * ow)
    # the sum over the batch of ct_n @ cols_n^T (a batched product beats einsum/tensordot here)
    dw = np.matmul(ctg, cols.transpose(0, 1, 3, 2)).sum(axis=0)
    return dw.reshape(o, x.shape[1] // groups, *kernel_size)


# ---- batching -------------------------------------------------------------------------------
# A batch of NCHW inputs through one kernel is one call on (B*N)CHW. When the kernels differ per
# example, the batch goes into the channels instead, N(B*C)HW, with B times the groups: group
# b*groups + g of the folded call is group g of example b.


def _fold(v, d):
    """(B, N, ...) -> (B*N, ...)."""
    v = move_axis(v, d, 0)
    return reshape(v, (v.shape[0] * v.shape[1],) + tuple(v.shape[2:]))


def _unfold(v, n):
    """(B*N, ...) -> (B, N, ...)."""
    return reshape(v, (n, v.shape[0] // n) + tuple(v.shape[1:]))


def _into_channels(v, d, n):
    """(N, C, H, W) batched along `d` (or not) -> (N, B*C, H, W)."""
    v = move_axis(batched(v, d, n), 0, 1)
    return reshape(v, (v.shape[0], n * v.shape[2]) + tuple(v.shape[3:]))


def _from_channels(v, n):
    """(N, B*C, H, W) -> (N, B, C, H, W): batch dimension 1."""
    return reshape(v, (v.shape[0], n, v.shape[1] // n) + tuple(v.shape[2:]))


def _conv2d_batch(args, dims, *, groups, **p):
    (x, w), (dx, dw) = args, dims
    n = axis_size(args, dims)
    if dw is None:
        return _unfold(conv2d(_fold(x, dx), w, groups=groups, **p), n), 0
    out = conv2d(_into_channels(x, dx, n), _fold(w, dw), groups=groups * n, **p)
    return _from_channels(out, n), 1


def _conv2d_input_grad_batch(args, dims, *, groups, **p):
    (ct, w), (dct, dw) = args, dims
    n = axis_size(args, dims)
    if dw is None:
        return _unfold(conv2d_input_grad(_fold(ct, dct), w, groups=groups, **p), n), 0
    out = conv2d_input_grad(_into_channels(ct, dct, n), _fold(w, dw), groups=groups * n, **p)
    return _from_channels(out, n), 1


def _conv2d_weight_grad_batch(args, dims, *, groups, **p):
    (x, ct), (dx, dct) = args, dims
    n = axis_size(args, dims)
    out = conv2d_weight_grad(
        _into_channels(x, dx, n), _into_channels(ct, dct, n), groups=groups * n, **p
    )
    return _unfold(out, n), 0


def _pool_batch_rule(prim, args, dims, **p):
    n = axis_size(args, dims)
    out = prim(*[_fold(batched(a, d, n), 0) for a, d in zip(args, dims)], **p)
    return _unfold(out, n), 0


_pool_batch = with_primitive(_pool_batch_rule)


conv2d = Primitive(
    "conv2d",
    _conv2d_impl,
    vjp=(
        lambda ct, out, x, w, **p: conv2d_input_grad(ct, w, in_size=x.shape[2:], **p),
        lambda ct, out, x, w, **p: conv2d_weight_grad(x, ct, kernel_size=w.shape[2:], **p),
    ),
    jvp=(
        lambda t, out, x, w, **p: conv2d(t, w, **p),
        lambda t, out, x, w, **p: conv2d(x, t, **p),
    ),
    batch=_conv2d_batch,
    fresh=True,
)

# z = A_w^T ct: the transpose of conv2d in its input. <g, A_w^T ct> = <conv2d(g, w), ct>.
conv2d_input_grad = Primitive(
    "conv2d_input_grad",
    _conv2d_input_grad_impl,
    vjp=(
        lambda g, out, ct, w, *, in_size, **p: conv2d(g, w, **p),
        lambda g, out, ct, w, *, in_size, **p: conv2d_weight_grad(
            g, ct, kernel_size=w.shape[2:], **p
        ),
    ),
    jvp=(
        lambda t, out, ct, w, **p: conv2d_input_grad(t, w, **p),
        lambda t, out, ct, w, **p: conv2d_input_grad(ct, t, **p),
    ),
    batch=_conv2d_input_grad_batch,
    fresh=True,
)

# z = B_x^T ct: the transpose of conv2d in its weight. <g, B_x^T ct> = <conv2d(x, g), ct>.
conv2d_weight_grad = Primitive(
    "conv2d_weight_grad",
    _conv2d_weight_grad_impl,
    vjp=(
        lambda g, out, x, ct, *, kernel_size, **p: conv2d_input_grad(
            ct, g, in_size=x.shape[2:], **p
        ),
        lambda g, out, x, ct, *, kernel_size, **p: conv2d(x, g, **p),
    ),
    jvp=(
        lambda t, out, x, ct, **p: conv2d_weight_grad(t, ct, **p),
        lambda t, out, x, ct, **p: conv2d_weight_grad(x, t, **p),
    ),
    batch=_conv2d_weight_grad_batch,
    fresh=True,
)


def _pool_windows(x, kernel_size, stride, padding, dilation, fill):
    n, c, h, w = x.shape
    out_hw = tuple(
        _out_size(s, p, k, st, d)
        for s, p, k, st, d in zip((h, w), padding, kernel_size, stride, dilation)
    )
    return _windows(_pad(x, padding, fill), kernel_size, stride, dilation, out_hw)


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _max_pool2d_impl(x, *, kernel_size, stride, padding, dilation):
    win = _pool_windows(x, kernel_size, stride, padding, dilation, _lowest(x.dtype))
    # NOTE: a running maximum over the kh * kw window offsets, each a strided slice: NumPy's
    # reductions over two non-contiguous axes at once are several times slower.
    out = win[:, :, 0, 0].copy()
    for i in range(win.shape[2]):
        for j in range(win.shape[3]):
            if i or j:
                np.maximum(out, win[:, :, i, j], out=out)
    return out


def _offsets(win):
    return [(i, j) for i in range(win.shape[2]) for j in range(win.shape[3])]


def _first_max_masks(x, kernel_size, stride, padding, dilation):
    """For each window offset `(i, j)`, where it holds its window's first maximum, `(N, C, OH, OW)`."""
    win = _pool_windows(x, kernel_size, stride, padding, dilation, _lowest(x.dtype))
    top = _max_pool2d_impl(
        x, kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation
    )
    taken = None
    for i, j in _offsets(win):
        m = win[:, :, i, j] == top
        if taken is None:
            taken = m.copy()
        else:
            np.greater(m, taken, out=m)  # m and not taken: ties keep the first maximum
            taken |= m
        yield i, j, m


def _argmax(x, kernel_size, stride, padding, dilation):
    """Index `i * kw + j` of each window's first maximum, `(N, C, OH, OW)`."""
    kw = kernel_size[1]
    idx = None
    for i, j, m in _first_max_masks(x, kernel_size, stride, padding, dilation):
        if idx is None:
            idx = np.zeros(m.shape, dtype=np.intp)
        np.copyto(idx, i * kw + j, where=m)
    return idx


def _max_pool2d_scatter_impl(ct, x, *, kernel_size, stride, padding, dilation):
    (sh, sw), (dh, dw) = stride, dilation
    (pt, pb), (pl, pr) = padding
    n, c, h, w = x.shape
    oh, ow = ct.shape[2:]
    dx = np.zeros((n, c, h + pt + pb, w + pl + pr), dtype=ct.dtype)
    for i, j, m in _first_max_masks(x, kernel_size, stride, padding, dilation):
        dx[
            :, :, i * dh : i * dh + sh * (oh - 1) + 1 : sh, j * dw : j * dw + sw * (ow - 1) + 1 : sw
        ] += ct * m
    return dx[:, :, pt : pt + h, pl : pl + w]


def _max_pool2d_gather_impl(g, x, *, kernel_size, stride, padding, dilation):
    win = _pool_windows(g, kernel_size, stride, padding, dilation, 0)
    out = None
    for i, j, m in _first_max_masks(x, kernel_size, stride, padding, dilation):
        part = win[:, :, i, j] * m
        out = part if out is None else np.add(out, part, out=out)
    return out


# NOTE: ties go to the first maximum of the window in row-major order, as MindSpore and PyTorch.
max_pool2d = Primitive(
    "max_pool2d",
    _max_pool2d_impl,
    vjp=(lambda ct, out, x, **p: max_pool2d_scatter(ct, x, **p),),
    jvp=(lambda t, out, x, **p: max_pool2d_gather(t, x, **p),),
    batch=_pool_batch,
    fresh=True,
)

max_pool2d_scatter = Primitive(
    "max_pool2d_scatter",
    _max_pool2d_scatter_impl,
    vjp=(lambda g, out, ct, x, **p: max_pool2d_gather(g, x, **p), None),
    jvp=(lambda t, out, ct, x, **p: max_pool2d_scatter(t, x, **p), None),
    batch=_pool_batch,
    fresh=True,
)

max_pool2d_gather = Primitive(
    "max_pool2d_gather",
    _max_pool2d_gather_impl,
    vjp=(lambda ct, out, g, x, **p: max_pool2d_scatter(ct, x, **p), None),
    jvp=(lambda t, out, g, x, **p: max_pool2d_gather(t, x, **p), None),
    batch=_pool_batch,
    fresh=True,
)
