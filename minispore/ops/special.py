"""Special functions with MindSpore's names: `lgamma`, `digamma`, `polygamma`, `igamma`,
`igammac`, `erfc`, and the operator class `Betainc` (layer 4)."""

from __future__ import annotations

import numpy as np

from minispore.core.capture import host_value
from minispore.ops._utils import floating, value
from minispore.prims import special as S
from minispore.tensor import Tensor, _wrap


def _unary(prim, name, doc):
    def op(input):
        return _wrap(prim(floating(value(input, name))))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


lgamma = _unary(
    S.lgamma,
    "lgamma",
    """log|Gamma(input)|, elementwise; +inf at the poles (0, -1, -2, ...).

    Its gradient is `digamma(input)`. Integer inputs are computed in float32.

    Example:
        >>> ops.lgamma(Tensor([0.5, 1.0, 3.0]))   # [log(sqrt(pi)), 0, log(2)]
    """,
)
digamma = _unary(
    S.digamma,
    "digamma",
    """The digamma function psi(input) = d/dx log Gamma(x), elementwise.

    psi(+0) is -inf and psi(-0) +inf; it is nan at the negative integers. Its gradient is
    `polygamma(1, input)`.
    """,
)
erfc = _unary(
    S.erfc,
    "erfc",
    """The complementary error function 1 - erf(input), accurate where it is tiny.""",
)


def polygamma(n, input):
    """The n-th derivative of the digamma function, psi^(n)(input), elementwise.

    Args:
        n: the order, a non-negative int or an integer scalar Tensor (MindSpore requires a
            Tensor; a Python int is accepted too).
        input: a Tensor; integers are computed in float32.

    Returns:
        A Tensor of `input`'s shape; `polygamma(0, x)` is `digamma(x)`.

    Raises:
        TypeError: `n` is not an integer.
        ValueError: `n` is negative (MindSpore returns nan).
    """
    if isinstance(n, Tensor):
        arr = np.asarray(host_value(n._value, "polygamma's 'n'"))
        if arr.size != 1 or arr.dtype.kind not in "iu":
            raise TypeError(
                f"For 'polygamma', 'n' must be an integer scalar Tensor, but got a "
                f"{arr.dtype} Tensor of shape {arr.shape}"
            )
        n = int(arr.reshape(()))
    elif isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"For 'polygamma', 'n' must be an int or an integer Tensor, got {n!r}")
    if n < 0:
        raise ValueError(f"For 'polygamma', 'n' must be non-negative, but got {n}")
    v = floating(value(input, "polygamma"))
    return _wrap(S.digamma(v) if n == 0 else S.polygamma(v, n=int(n)))


def _same_float(op, names, tensors):
    """Floating values of `tensors`, which must share a dtype and broadcast together."""
    vals = [floating(value(t, op, name)) for t, name in zip(tensors, names)]
    dtypes = {v.dtype for v in vals}
    if len(dtypes) > 1:
        got = ", ".join(f"'{n}' {v.dtype}" for n, v in zip(names, vals))
        raise TypeError(f"For '{op}', the inputs must have the same dtype, but got {got}")
    try:
        np.broadcast_shapes(*(v.shape for v in vals))
    except ValueError:
        got = ", ".join(f"'{n}' {tuple(v.shape)}" for n, v in zip(names, vals))
        raise ValueError(f"For '{op}', the input shapes do not broadcast: {got}") from None
    return vals


def igamma(input, other):
    """The regularized lower incomplete gamma function P(input, other), elementwise.

    P(a, x) = gamma(a, x) / Gamma(a) for a > 0, x >= 0 (nan elsewhere); it is the CDF of
    Gamma(a, 1) at x. Differentiable once in `input` (a second derivative there raises, as in
    MindSpore) and to any order in `other`.

    Args:
        input: a, the shape; a Tensor.
        other: x; a Tensor of the same dtype, broadcasting with `input`.

    Raises:
        TypeError: the dtypes differ.
        ValueError: the shapes do not broadcast.
    """
    a, x = _same_float("igamma", ("input", "other"), (input, other))
    return _wrap(S.igamma(a, x))


def igammac(input, other):
    """The regularized upper incomplete gamma function Q(input, other) = 1 - P(input, other).

    Computed directly, so it keeps its relative accuracy where it is tiny. Same arguments,
    derivatives and errors as `igamma`.
    """
    a, x = _same_float("igammac", ("input", "other"), (input, other))
    return _wrap(S.igammac(a, x))


class Betainc:
    """MindSpore's operator `ops.Betainc()(a, b, x)`: the regularized incomplete beta function.

    I_x(a, b) = B(x; a, b) / B(a, b) for a, b > 0 and 0 <= x <= 1 (nan elsewhere); the CDF of
    Beta(a, b) at x. Differentiable in `x` to any order.

    NOTE: the derivatives with respect to `a` and `b` raise NotImplementedError, where MindSpore
    silently returns zeros.

    Example:
        >>> ops.Betainc()(Tensor([1.0]), Tensor([2.0]), Tensor([0.3]))   # 1 - 0.7^2 = 0.51
    """

    def __call__(self, a, b, x):
        va, vb, vx = _same_float("Betainc", ("a", "b", "x"), (a, b, x))
        return _wrap(S.betainc(va, vb, vx))

    def __repr__(self):
        return "Prim[Betainc]"
