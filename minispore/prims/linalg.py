"""Linear algebra primitives: matmul, dense, inverse, determinant, solve, Cholesky.

`matmul` follows `np.matmul`, 1-D operands included: a vector-matrix product is one node, not
three (reshape, matmul, reshape), which matters on small problems where the per-node cost
dominates. Leading axes are batch axes; the engine sums cotangents of broadcast batch axes.
"""

from __future__ import annotations

import numpy as np

from minispore.core.batching import align, elementwise, leading, to_front
from minispore.core.primitive import Primitive, concrete
from minispore.prims.elementwise import add, mul, neg
from minispore.prims.indexing import index_value
from minispore.prims.reduction import reduce_sum
from minispore.prims.shape import reshape, transpose


def mT(x):
    """Swap the last two axes (a NumPy view for a plain array: no node is needed there)."""
    if type(x) is np.ndarray:
        return x.swapaxes(-1, -2)
    n = x.ndim
    return transpose(x, perm=tuple(range(n - 2)) + (n - 1, n - 2))


def _col(v):
    """Append a unit axis: (..., n) -> (..., n, 1). A view for plain arrays."""
    if type(v) is np.ndarray:
        return v[..., None]
    return reshape(v, shape=tuple(v.shape) + (1,))


def _row(v):
    """Insert a unit axis before the last: (..., n) -> (..., 1, n). A view for plain arrays."""
    if type(v) is np.ndarray:
        return v[..., None, :]
    return reshape(v, shape=tuple(v.shape[:-1]) + (1, v.shape[-1]))


def _matmul_vjp_a(ct, out, a, b):
    if b.ndim == 1:
        return mul(_col(ct) if ct.ndim else ct, b)  # (..., n, 1) * (k,): outer product
    if a.ndim == 1:
        return matmul(_row(ct), mT(b))  # (..., 1, m) @ (..., m, k); the engine sums batch axes
    return matmul(ct, mT(b))


def _matmul_vjp_b(ct, out, a, b):
    if b.ndim == 1:
        return mul(
            a, _col(ct) if ct.ndim else ct
        )  # (..., n, k) * (..., n, 1), summed by the engine
    if a.ndim == 1:
        return mul(_col(a), _row(ct))  # outer(a, ct): (k, 1) * (..., 1, m)
    return matmul(mT(a), ct)


def _matmul_batch(args, dims):
    (a, b), (da, db) = args, dims
    if da is None and db is None:  # reached from dense when only its bias is batched
        return matmul(a, b), None
    ra = a.ndim - (da is not None)
    rb = b.ndim - (db is not None)
    if db is None and ra == 1 and rb == 2:  # a batch of vectors times one matrix
        return matmul(to_front(a, da), b), 0
    if da is None and ra == 2 and rb == 1:  # one matrix times a batch of vectors: (n, B)
        return matmul(a, mT(to_front(b, db))), 1
    # Mapped vectors become matrices ((1, k) rows, (k, 1) columns), squeezed again below.
    row = da is not None and ra == 1
    col = db is not None and rb == 1
    if row:
        a, ra = _row(to_front(a, da)), 2
        da = 0
    if col:
        b, rb = _col(to_front(b, db)), 2
        db = 0
    # Mapped operands get the batch axis first and as many stack axes as the other operand.
    rank = max(r for r in (ra, rb) if r >= 2)
    if da is not None:
        a = align(a, da, rank)
    if db is not None:
        b = align(b, db, rank)
    out = matmul(a, b)
    if row or col:
        shape = tuple(out.shape)
        if row and col:
            shape = shape[:-2]
        elif col:
            shape = shape[:-1]
        else:
            shape = shape[:-2] + shape[-1:] if rb >= 2 else shape[:-1]
        out = reshape(out, shape=shape)
    return out, 0


matmul = Primitive(
    "matmul",
    np.matmul,
    vjp=(_matmul_vjp_a, _matmul_vjp_b),
    jvp=(
        lambda t, out, a, b: matmul(t, b),
        lambda t, out, a, b: matmul(a, t),
    ),
    batch=_matmul_batch,
)


def _dense_impl(x, w, b):
    out = np.matmul(x, w.T)
    out += b  # the product is fresh, so the bias can be added in place
    return out


def _flat2(a):
    return reshape(a, shape=(-1, a.shape[-1])) if a.ndim != 2 else a


def _dense_batch(args, dims):
    (x, w, b), (dx, dw, db) = args, dims
    if dw is None and db is None:  # a batch of inputs through one layer: one product
        return dense(to_front(x, dx), w, b), 0
    # Per-example weights or biases: x @ w^T, then + b, each batched by its own rule.
    wt = mT(w) if dw is None else transpose(to_front(w, dw), perm=(0, 2, 1))
    y, dy = _matmul_batch([x, wt], [dx, None if dw is None else 0])
    return elementwise(add, [y, b], [dy, db])


dense = Primitive(
    "dense",
    _dense_impl,
    vjp=(
        lambda ct, out, x, w, b: matmul(ct, w),
        lambda ct, out, x, w, b: matmul(mT(_flat2(ct)), _flat2(x)),
        lambda ct, out, x, w, b: ct,
    ),
    jvp=(
        lambda t, out, x, w, b: matmul(t, mT(w)),
        lambda t, out, x, w, b: matmul(x, mT(t)),
        lambda t, out, x, w, b: t,
    ),
    batch=_dense_batch,
    fresh=True,
)

inv = Primitive(
    "inv",
    np.linalg.inv,
    # d inv(A) = -inv(A) dA inv(A)
    vjp=(lambda ct, out, a: neg(matmul(mT(out), matmul(ct, mT(out)))),),
    jvp=(lambda t, out, a: neg(matmul(out, matmul(t, out))),),
    batch=leading,
    fresh=True,
)


def _det_factor(out, a):
    """Reshape batched determinants so they broadcast over (n, n)."""
    return reshape(out, shape=tuple(out.shape) + (1, 1))


def _cofactors(out, a):
    """d det(A) / dA: the cofactor matrix, det(A) inv(A)^T.

    NOTE: det is a polynomial, so its gradient exists everywhere, but det(A) inv(A)^T fails at
    singular A. There the cofactors are formed from the (n-1) x (n-1) minors, stacked and passed
    to det again: exact, and differentiable to any order like every composition of primitives.
    """
    n = a.shape[-1]
    if np.all(np.linalg.matrix_rank(np.asarray(concrete(a))) == n):
        return mul(_det_factor(out, a), mT(inv(a)))
    keep = np.array([[j for j in range(n) if j != i] for i in range(n)], dtype=np.intp)
    rows = keep[:, None, :, None]  # (n, 1, n-1, 1): minor (i, j) drops row i ...
    cols = keep[None, :, None, :]  # (1, n, 1, n-1): ... and column j
    minors = index_value(a, (Ellipsis, rows, cols))  # (..., n, n, n-1, n-1)
    sign = np.where(np.add.outer(np.arange(n), np.arange(n)) % 2 == 0, 1.0, -1.0)
    return mul(det(minors), sign.astype(a.dtype))


det = Primitive(
    "det",
    np.linalg.det,
    vjp=(lambda ct, out, a: mul(_det_factor(ct, a), _cofactors(out, a)),),
    jvp=(
        lambda t, out, a: reduce_sum(
            mul(_cofactors(out, a), t), axis=(a.ndim - 2, a.ndim - 1), keepdims=False
        ),
    ),
    batch=leading,
    fresh=True,
)


def _solve_impl(a, b):
    return np.linalg.solve(a, b)


# x = A^-1 b: b_bar = A^-T x_bar, A_bar = -b_bar x^T
def _solve_batch(args, dims):
    (a, b), (da, db) = args, dims
    if db is not None and b.ndim == 2:  # a batch of vectors: solve for (n, 1) columns
        out, d = leading(solve, [a, _col(to_front(b, db))], [da, 0])
        return reshape(out, shape=tuple(out.shape)[:-1]), d
    return leading(solve, args, dims)


solve = Primitive(
    "solve",
    _solve_impl,
    vjp=(
        lambda ct, out, a, b: neg(matmul(solve(mT(a), ct), mT(out))),
        lambda ct, out, a, b: solve(mT(a), ct),
    ),
    jvp=(
        lambda t, out, a, b: neg(solve(a, matmul(t, out))),
        lambda t, out, a, b: solve(a, t),
    ),
    batch=_solve_batch,
    fresh=True,
)


def _tril_impl(x):
    return np.tril(x)


tril = Primitive(
    "tril",
    _tril_impl,
    vjp=(lambda ct, out, x: tril(ct),),
    jvp=(lambda t, out, x: tril(t),),
    batch=leading,
    fresh=True,
)


def _phi(x):
    """Lower triangle with the diagonal halved."""
    n = x.shape[-1]
    half = np.tril(np.ones((n, n), dtype=x.dtype)) - 0.5 * np.eye(n, dtype=x.dtype)
    return mul(x, half)


def _cholesky_vjp(ct, out, a):
    # Murray (2016): A_bar = sym(L^-T Phi(L^T L_bar) L^-1), with sym(X) = (X + X^T) / 2.
    linv = inv(out)
    p = _phi(matmul(mT(out), tril(ct)))
    s = matmul(mT(linv), matmul(p, linv))
    return mul(0.5, add(s, mT(s)))


def _cholesky_jvp(t, out, a):
    # dL = L Phi(L^-1 dA L^-T), with the symmetric part of dA
    linv = inv(out)
    ts = mul(0.5, add(t, mT(t)))
    return matmul(out, _phi(matmul(linv, matmul(ts, mT(linv)))))


cholesky = Primitive(
    "cholesky",
    np.linalg.cholesky,
    vjp=(_cholesky_vjp,),
    jvp=(_cholesky_jvp,),
    batch=leading,
    fresh=True,
)
