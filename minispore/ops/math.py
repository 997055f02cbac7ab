"""Elementwise math and reductions with MindSpore's names and signatures."""

from __future__ import annotations

import numpy as np

from minispore._promote import promote
from minispore.ops._utils import axes, floating, np_dtype, scalar_or_value, value
from minispore.prims import elementwise as E
from minispore.prims import reduction as R
from minispore.tensor import _true_div, _wrap


def _bin(prim, name):
    def op(input, other):
        a, b = promote(scalar_or_value(input, name, "input"), scalar_or_value(other, name))
        if isinstance(a, (int, float, bool)) and isinstance(b, (int, float, bool)):
            a = value(a, name)
        return _wrap(prim(a, b))

    op.__name__ = name
    op.__doc__ = f"Elementwise `{name}` with broadcasting and MindSpore's type promotion."
    return op


add = _bin(E.add, "add")
sub = _bin(E.sub, "sub")
mul = _bin(E.mul, "mul")
maximum = _bin(E.maximum, "maximum")
minimum = _bin(E.minimum, "minimum")
equal = _bin(E.equal, "equal")
not_equal = _bin(E.not_equal, "not_equal")
ne = not_equal
less = _bin(E.less, "less")
lt = less
less_equal = _bin(E.less_equal, "less_equal")
le = less_equal
greater = _bin(E.greater, "greater")
gt = greater
greater_equal = _bin(E.greater_equal, "greater_equal")
ge = greater_equal
logical_and = _bin(E.logical_and, "logical_and")
logical_or = _bin(E.logical_or, "logical_or")
logical_xor = _bin(E.logical_xor, "logical_xor")
floor_divide = _bin(E.floor_divide, "floor_divide")
floor_mod = _bin(E.mod, "floor_mod")
remainder = floor_mod
subtract = sub
multiply = mul


def div(input, other, *, rounding_mode=None):
    """`input / other`; `rounding_mode` 'floor' or 'trunc' rounds the quotient."""
    q = _true_div(input, other)
    if rounding_mode is None:
        return q
    if rounding_mode == "floor":
        return _wrap(E.floor(q._value))
    if rounding_mode == "trunc":
        v = q._value
        return _wrap(E.where(E.less(v, 0), E.ceil(v), E.floor(v)))
    raise ValueError(
        f"For 'div', 'rounding_mode' must be None, 'floor' or 'trunc', got {rounding_mode!r}"
    )


divide = div
true_divide = div


def pow(input, exponent):
    """`input ** exponent`, elementwise."""
    a, b = promote(
        scalar_or_value(input, "pow", "input"), scalar_or_value(exponent, "pow", "exponent")
    )
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        a = value(a, "pow")  # two Python numbers: a 0-d tensor, as Tensor(number)
    return _wrap(E.power(a, b))


def _unary(prim, name, float_only=True):
    def op(input):
        v = value(input, name)
        return _wrap(prim(floating(v) if float_only else v))

    op.__name__ = name
    op.__doc__ = f"Elementwise `{name}`."
    return op


exp = _unary(E.exp, "exp")
log = _unary(E.log, "log")
log1p = _unary(E.log1p, "log1p")
expm1 = _unary(E.expm1, "expm1")


def sqrt(x):
    """Elementwise square root."""
    return _wrap(E.sqrt(floating(value(x, "sqrt", "x"))))


rsqrt = _unary(E.rsqrt, "rsqrt")
reciprocal = _unary(E.reciprocal, "reciprocal")


# NOTE: MindSpore's ops.inv is the elementwise reciprocal (matrix inverse: ops.inverse).
def inv(x):
    """Elementwise reciprocal 1/x."""
    return _wrap(E.reciprocal(floating(value(x, "inv", "x"))))


sin = _unary(E.sin, "sin")
cos = _unary(E.cos, "cos")
tan = _unary(E.tan, "tan")
tanh = _unary(E.tanh, "tanh")
asin = _unary(E.arcsin, "asin")
acos = _unary(E.arccos, "acos")
atan = _unary(E.arctan, "atan")
sinh = _unary(E.sinh, "sinh")
cosh = _unary(E.cosh, "cosh")
sigmoid = _unary(E.sigmoid, "sigmoid")
erf = _unary(E.erf, "erf")
neg = _unary(E.neg, "neg", float_only=False)
negative = neg
square = _unary(E.square, "square", float_only=False)
abs = _unary(E.abs_, "abs", float_only=False)
absolute = abs
sign = _unary(E.sign, "sign", float_only=False)
floor = _unary(E.floor, "floor")
ceil = _unary(E.ceil, "ceil")
round = _unary(E.round_, "round")
logical_not = _unary(E.logical_not, "logical_not", float_only=False)
isnan = _unary(E.isnan, "isnan", float_only=False)
isinf = _unary(E.isinf, "isinf", float_only=False)
isfinite = _unary(E.isfinite, "isfinite", float_only=False)


def relu(input, inplace=False):
    """max(input, 0). With `inplace=True` the result is also written back into `input`."""
    out = _wrap(E.relu(value(input, "relu")))
    if inplace:
        input._value = out._value
    return out


def gelu(input, approximate="none"):
    """GELU: x Phi(x) (`approximate='none'`) or its tanh approximation (`'tanh'`)."""
    v = floating(value(input, "gelu", "input"))
    if approximate == "none":
        return _wrap(E.gelu(v))
    if approximate == "tanh":
        return _wrap(E.gelu_tanh(v))
    raise ValueError(f"For 'gelu', 'approximate' must be 'none' or 'tanh', but got {approximate!r}")


def softplus(input, beta=1, threshold=20):
    """log(1 + exp(beta x)) / beta; linear where beta x > threshold."""
    v = floating(value(input, "softplus"))
    if beta == 1:
        sp = E.softplus(v)
    else:
        sp = E.div(E.softplus(E.mul(v, beta)), beta)
    return _wrap(E.where(E.greater(E.mul(v, beta), threshold), v, sp))


def clamp(input, min=None, max=None):
    """Limit `input` to [min, max]; either bound may be None, a number or a Tensor."""
    if min is None and max is None:
        raise ValueError("For 'clamp', at least one of 'min' and 'max' must be given")
    v = value(input, "clamp")
    # NOTE: selections, not maximum/minimum: on a bound (x == min) the whole gradient goes to
    # the input, as in MindSpore and PyTorch, instead of being shared as at a tie.
    if min is not None:
        a, b = promote(v, scalar_or_value(min, "clamp", "min"))
        v = E.where(E.less(a, b), b, a)
    if max is not None:
        a, b = promote(v, scalar_or_value(max, "clamp", "max"))
        v = E.where(E.greater(a, b), b, a)
    return _wrap(v)


clip = clamp


def where(condition, input, other):
    """`input` where `condition` holds, else `other` (broadcasting)."""
    c = value(condition, "where", "condition")
    if c.dtype.kind != "b":
        raise TypeError(f"For 'where', 'condition' must be a bool Tensor, but got {c.dtype}")
    a, b = promote(
        scalar_or_value(input, "where", "input"), scalar_or_value(other, "where", "other")
    )
    if isinstance(a, (int, float, bool)) and isinstance(b, (int, float, bool)):
        a = value(a, "where")
    return _wrap(E.where(c, a, b))


def lerp(input, end, weight):
    return add(input, mul(sub(end, input), weight))


# ---- reductions ---------------------------------------------------------------------------


def _reduce(prim, x, axis, keepdims, op, dtype=None, float_only=False):
    v = value(x, op)
    if dtype is not None:
        v = E.cast(v, dtype=np_dtype(dtype, op=op))
    elif float_only:
        v = floating(v)
    if not isinstance(keepdims, bool):
        raise TypeError(f"For '{op}', 'keepdims' must be a bool, but got {type(keepdims).__name__}")
    return _wrap(prim(v, axis=axes(axis, v.ndim, op), keepdims=keepdims))


def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum over `dim` (None: all axes)."""
    return _reduce(R.reduce_sum, input, dim, keepdim, "sum", dtype)


def reduce_sum(x, axis=None, keep_dims=False):
    return _reduce(R.reduce_sum, x, axis, keep_dims, "reduce_sum")


def mean(x, axis=None, keep_dims=False):
    """Mean over `axis` (None: all axes). NOTE: integer inputs give a float32 mean (MindSpore
    returns the integer dtype, truncated)."""
    return _reduce(R.reduce_mean, x, axis, keep_dims, "mean", float_only=True)


def prod(input, axis=None, keep_dims=False, dtype=None):
    """Product over `axis`."""
    return _reduce(R.reduce_prod, input, axis, keep_dims, "prod", dtype)


def amax(input, axis=None, keepdims=False):
    return _reduce(R.reduce_max, input, axis, keepdims, "amax")


def amin(input, axis=None, keepdims=False):
    return _reduce(R.reduce_min, input, axis, keepdims, "amin")


def _extreme_with_index(prim, argprim, input, axis, keepdims, op):
    v = value(input, op)
    if axis is None:
        # MindSpore 2.10 returns (value, index) here too; the index is into the flattened input.
        vals = _wrap(prim(v, axis=None, keepdims=keepdims))
        idx = argprim(v, axis=None, keepdims=False)
        if keepdims:
            idx = np.reshape(idx, (1,) * v.ndim)
        return vals, _wrap(E.cast(idx, dtype=np.dtype(np.int64)))
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(
            f"For '{op}', 'axis' must be an int or None (it returns values and indices along one "
            f"axis), but got {axis!r}; use ops.amax/amin for several axes"
        )
    from minispore.ops._utils import axis1

    ax = axis1(axis, v.ndim, op)
    vals = _wrap(prim(v, axis=(ax,), keepdims=keepdims))
    idx = _wrap(E.cast(argprim(v, axis=ax, keepdims=keepdims), dtype=np.dtype(np.int64)))
    return vals, idx


def max(input, axis=None, keepdims=False, *, initial=None, where=None):
    """The tuple `(values, indices)` of the maximum along `axis` (all axes when None), as
    MindSpore's `ops.max`; `Tensor.max` and `ops.amax` return the values only."""
    return _extreme_with_index(R.reduce_max, R.argmax, input, axis, keepdims, "max")


def min(input, axis=None, keepdims=False, *, initial=None, where=None):
    """The tuple `(values, indices)` of the minimum along `axis`, as MindSpore's `ops.min`."""
    return _extreme_with_index(R.reduce_min, R.argmin, input, axis, keepdims, "min")


def _arg(prim, input, axis, keepdims, op, dtype=np.dtype(np.int64)):
    from minispore.ops._utils import axis1

    v = value(input, op)
    if axis is None:
        out = prim(v, axis=None, keepdims=False)
        if keepdims:
            out = np.reshape(out, (1,) * v.ndim)
    else:
        out = prim(v, axis=axis1(axis, v.ndim, op), keepdims=keepdims)
    return _wrap(E.cast(out, dtype=dtype))


def argmax(input, dim=None, keepdim=False):
    """Index of the maximum (Int64)."""
    return _arg(R.argmax, input, dim, keepdim, "argmax")


def argmin(input, axis=None, keepdims=False):
    """Index of the minimum. NOTE: Int32 when an axis is given, Int64 over all axes, exactly as
    MindSpore 2.10 (golden 058)."""
    return _arg(
        R.argmin,
        input,
        axis,
        keepdims,
        "argmin",
        np.dtype(np.int64) if axis is None else np.dtype(np.int32),
    )


def logsumexp(input, dim, keepdim=False):
    """log(sum(exp(input))) over `dim`, computed stably."""
    return _reduce(R.logsumexp, input, dim, keepdim, "logsumexp", float_only=True)


def cumsum(input, axis, dtype=None):
    from minispore.ops._utils import axis1

    v = value(input, "cumsum")
    if dtype is not None:
        v = E.cast(v, dtype=np_dtype(dtype, op="cumsum"))
    return _wrap(R.cumsum(v, axis=axis1(axis, v.ndim, "cumsum")))


def var(input, axis=None, ddof=0, keepdims=False):
    """Variance over `axis` with `ddof` delta degrees of freedom."""
    v = floating(value(input, "var"))
    ax = axes(axis, v.ndim, "var")
    n = v.size if ax is None else int(np.prod([v.shape[a] for a in ax]))
    if isinstance(ddof, bool):
        ddof = int(ddof)
    centred = E.sub(v, R.reduce_mean(v, axis=ax, keepdims=True))
    ss = R.reduce_sum(E.square(centred), axis=ax, keepdims=keepdims)
    return _wrap(E.div(ss, n - ddof))


def std(input, axis=None, ddof=0, keepdims=False):
    """Standard deviation over `axis`."""
    return _wrap(E.sqrt(var(input, axis, ddof, keepdims)._value))


def var_mean(input, axis=None, ddof=0, keepdims=False):
    return var(input, axis, ddof, keepdims), mean(input, axis, keepdims)


def std_mean(input, axis=None, ddof=0, keepdims=False):
    return std(input, axis, ddof, keepdims), mean(input, axis, keepdims)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """Vector or matrix norm: `ord` None/'fro' (2-norm / Frobenius), 'nuc' is not supported,
    numbers p (vector p-norm), inf and -inf."""
    v = floating(value(A, "norm", "A"))
    if ord is not None and not isinstance(ord, (int, float, str)):
        raise TypeError(f"For 'norm', 'ord' must be None, a number or 'fro', but got {ord!r}")
    if dtype is not None:
        v = E.cast(v, dtype=np_dtype(dtype, op="norm"))
    ax = axes(dim, v.ndim, "norm", "dim")
    if ord is None or ord == "fro" or ord == 2 and (ax is None or len(ax) == 1):
        if ord == 2 and ax is None and v.ndim != 1:
            raise ValueError("For 'norm', ord=2 needs a 1-D input or a single 'dim'")
        return _wrap(_safe_root(R.reduce_sum(E.square(v), axis=ax, keepdims=keepdim), 0.5))
    if isinstance(ord, (int, float)) and (
        ax is None and v.ndim == 1 or ax is not None and len(ax) == 1
    ):
        a = E.abs_(v)
        if ord == float("inf"):
            return _wrap(R.reduce_max(a, axis=ax, keepdims=keepdim))
        if ord == float("-inf"):
            return _wrap(R.reduce_min(a, axis=ax, keepdims=keepdim))
        if ord == 0:
            return _wrap(
                R.reduce_sum(E.cast(E.not_equal(v, 0), dtype=v.dtype), axis=ax, keepdims=keepdim)
            )
        if ord == 1:
            return _wrap(R.reduce_sum(a, axis=ax, keepdims=keepdim))
        s = R.reduce_sum(_safe_root(a, ord), axis=ax, keepdims=keepdim)
        return _wrap(_safe_root(s, 1.0 / ord))
    raise ValueError(f"For 'norm', ord={ord!r} with dim={dim!r} is not supported")


def _safe_root(s, p):
    """s ** p for s >= 0, with derivative 0 (not 0 * inf = nan) where s == 0.

    NOTE: a norm has no derivative at 0; like PyTorch we take the subgradient 0 there. The root
    only ever sees positive values, so no branch produces an infinity.
    """
    positive = E.greater(s, 0)
    return E.where(positive, E.power(E.where(positive, s, 1), p), 0)


def _bool_reduce(input, axis, keep_dims, op, reduce, empty):
    """`all`/`any` with primitives (so jit and vmap see them): the min/max of a bool view."""
    v = value(input, op)
    ax = axes(axis, v.ndim, op)
    if v.size == 0:  # no values to read: the result depends on the shape only
        return _wrap(empty(np.zeros(v.shape, bool), axis=ax, keepdims=keep_dims))
    b = v if v.dtype == np.bool_ else E.not_equal(v, 0)
    return _wrap(reduce(b, axis=ax, keepdims=keep_dims))


def all(input, axis=None, keep_dims=False):
    return _bool_reduce(input, axis, keep_dims, "all", R.reduce_min, np.all)


def any(input, axis=None, keep_dims=False):
    return _bool_reduce(input, axis, keep_dims, "any", R.reduce_max, np.any)


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """`|a - b| <= atol + rtol * |b|` elementwise, as NumPy; infinities are close only to
    themselves. Written with primitives, so it is traced like any other op."""
    a = value(input, "isclose")
    b = value(other, "isclose", "other")
    if a.dtype.kind not in "fc" or b.dtype.kind not in "fc":
        a, b = E.cast(a, dtype=np.dtype(np.float64)), E.cast(b, dtype=np.dtype(np.float64))
    finite = E.logical_and(E.isfinite(a), E.isfinite(b))
    # NOTE: zero the non-finite entries first, so inf - inf never computes a nan.
    fa, fb = E.where(finite, a, 0), E.where(finite, b, 0)
    near = E.less_equal(E.abs_(E.sub(fa, fb)), E.add(E.mul(E.abs_(fb), rtol), atol))
    close = E.where(finite, near, E.equal(a, b))
    if equal_nan:
        close = E.logical_or(close, E.logical_and(E.isnan(a), E.isnan(b)))
    return _wrap(close)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.all(isclose(input, other, rtol, atol, equal_nan)._value))
