"""Linear algebra with MindSpore's names: matmul (1-D and batched), dot, outer, bmm, dense,
inverse, det, solve, cholesky."""

from __future__ import annotations

import numpy as np

from minispore._promote import promote
from minispore.ops._utils import value
from minispore.prims import linalg as L
from minispore.prims import shape as S
from minispore.tensor import _wrap


def _operands(a, b, op, names=("input", "other")):
    x, y = promote(value(a, op, names[0]), value(b, op, names[1]))
    return x, y


def _matmul_values(x, y, op="matmul"):
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(
            f"For '{op}', inputs must not be scalars, but got shapes {tuple(x.shape)} and {tuple(y.shape)}"
        )
    xs, ys = tuple(x.shape), tuple(y.shape)
    k1 = xs[-1]
    k2 = ys[-2] if y.ndim >= 2 else ys[0]
    if k1 != k2:
        raise ValueError(
            f"For '{op}', the last dimension of 'input' ({k1}) must equal the "
            f"{'second-to-last' if y.ndim >= 2 else 'only'} dimension of 'other' ({k2}), "
            f"but got shapes {xs} and {ys}"
        )
    if x.ndim > 2 and y.ndim > 2:
        try:
            np.broadcast_shapes(xs[:-2], ys[:-2])
        except ValueError:
            raise ValueError(
                f"For '{op}', batch dimensions of shapes {xs} and {ys} do not broadcast"
            ) from None
    return L.matmul(x, y)


def matmul(input, other):
    """Matrix product with NumPy's rules for 1-D and batched operands."""
    x, y = _operands(input, other, "matmul")
    return _wrap(_matmul_values(x, y))


def bmm(input_x, mat2):
    x, y = _operands(input_x, mat2, "bmm", ("input_x", "mat2"))
    if x.ndim != 3 or y.ndim != 3:
        raise ValueError(
            f"For 'bmm', inputs must be 3-D, but got shapes {tuple(x.shape)} and {tuple(y.shape)}"
        )
    return _wrap(_matmul_values(x, y, "bmm"))


def dot(input, other):
    """`np.dot`: contracts the last axis of `input` with the second-to-last of `other`
    (the last, if `other` is 1-D); the result has shape
    `input.shape[:-1] + other.shape[:-2] + other.shape[-1:]`, as MindSpore 2.10's `ops.dot`.
    Two 1-D tensors give their inner product (MindSpore raises; docs/differences.md)."""
    x, y = _operands(input, other, "dot")
    if x.ndim <= 2 and y.ndim <= 2:
        return _wrap(_matmul_values(x, y, "dot"))
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(
            f"For 'dot', inputs must not be scalars, got {tuple(x.shape)}, {tuple(y.shape)}"
        )
    n = x.shape[-1]
    k = y.shape[-2] if y.ndim >= 2 else y.shape[0]
    if n != k:
        raise ValueError(
            f"For 'dot', the last dimension of 'input' ({n}) must equal the contracted dimension "
            f"of 'other' ({k}), but got shapes {tuple(x.shape)} and {tuple(y.shape)}"
        )
    # (..., n) . (B..., n, m) = reshape((-1, n) @ (n, B... m))
    x2 = S.reshape(x, shape=(-1, n))
    if y.ndim == 1:
        y2 = S.reshape(y, shape=(n, 1))
        rest = ()
    else:
        perm = (y.ndim - 2,) + tuple(i for i in range(y.ndim) if i != y.ndim - 2)
        y2 = S.reshape(S.transpose(y, perm=perm), shape=(n, -1))
        rest = tuple(y.shape[:-2]) + tuple(y.shape[-1:])
    out = L.matmul(x2, y2)
    return _wrap(S.reshape(out, shape=tuple(x.shape[:-1]) + rest))


def outer(input, vec2):
    x, y = _operands(input, vec2, "outer", ("input", "vec2"))
    if x.ndim != 1 or y.ndim != 1:
        raise ValueError(
            f"For 'outer', inputs must be 1-D, but got shapes {tuple(x.shape)} and {tuple(y.shape)}"
        )
    return _wrap(L.matmul(S.reshape(x, shape=(x.shape[0], 1)), S.reshape(y, shape=(1, y.shape[0]))))


ger = outer


def dense(input, weight, bias=None):
    """`input @ weight.T + bias`; `weight` is (out, in), `input` is (*, in)."""
    x, w = _operands(input, weight, "dense", ("input", "weight"))
    if w.ndim != 2 or x.ndim < 1 or x.shape[-1] != w.shape[1]:
        raise ValueError(
            f"For 'dense', 'input' must be (*, in) and 'weight' (out, in), but got shapes "
            f"{tuple(x.shape)} and {tuple(w.shape)}"
        )
    if bias is None:
        return _wrap(_matmul_values(x, L.mT(w), "dense"))
    b = value(bias, "dense", "bias")
    if b.dtype != x.dtype:
        from minispore.prims.elementwise import cast

        b = cast(b, dtype=x.dtype)
    if tuple(b.shape) not in ((w.shape[0],), ()):
        raise ValueError(
            f"For 'dense', 'bias' must have shape ({w.shape[0]},), but got {tuple(b.shape)}"
        )
    if x.ndim == 1:
        return _wrap(
            S.reshape(L.dense(S.reshape(x, shape=(1, x.shape[0])), w, b), shape=(w.shape[0],))
        )
    return _wrap(L.dense(x, w, b))


def _square(v, op):
    if v.ndim < 2 or v.shape[-1] != v.shape[-2]:
        raise ValueError(
            f"For '{op}', the input must be a (batch of) square matrices, but got shape {tuple(v.shape)}"
        )
    if v.dtype.kind not in "fc":
        raise TypeError(f"For '{op}', the input must be a float tensor, but got {v.dtype}")
    return v


def inverse(input):
    """Matrix inverse (batched over leading axes)."""
    return _wrap(L.inv(_square(value(input, "inverse"), "inverse")))


matrix_inverse = inverse


def det(input):
    """Determinant (batched over leading axes)."""
    return _wrap(L.det(_square(value(input, "det"), "det")))


def solve(a, b):
    """Solve `a @ x = b` for x; `b` may be a vector or a matrix."""
    av = _square(value(a, "solve", "a"), "solve")
    bv = value(b, "solve", "b")
    av, bv = promote(av, bv)
    if bv.ndim == 1:
        if bv.shape[0] != av.shape[-1]:
            raise ValueError(
                f"For 'solve', shapes {tuple(av.shape)} and {tuple(bv.shape)} do not match"
            )
        out = L.solve(av, S.reshape(bv, shape=(bv.shape[0], 1)))  # (..., n, 1): keep batch axes
        return _wrap(S.reshape(out, shape=tuple(out.shape[:-1])))
    if bv.shape[-2] != av.shape[-1]:
        raise ValueError(
            f"For 'solve', shapes {tuple(av.shape)} and {tuple(bv.shape)} do not match"
        )
    return _wrap(L.solve(av, bv))


def cholesky(input_x, upper=False):
    """Cholesky factor of a symmetric positive-definite matrix (lower, or upper if asked)."""
    v = _square(value(input_x, "cholesky", "input_x"), "cholesky")
    low = L.cholesky(v)
    return _wrap(L.mT(low) if upper else low)


def trace(input):
    from minispore.prims.elementwise import mul
    from minispore.prims.reduction import reduce_sum

    v = _square(value(input, "trace"), "trace")
    return _wrap(
        reduce_sum(mul(v, np.eye(v.shape[-1], dtype=v.dtype)), axis=(v.ndim - 2, v.ndim - 1))
    )
