"""Elementwise primitives: arithmetic, comparisons, transcendental functions and activations.

Every rule here is written with primitives so it can be differentiated again. The engine undoes
broadcasting, so the binary rules return full-shape cotangents.
"""

from __future__ import annotations

import math

import numpy as np

from minispore.core.batching import elementwise
from minispore.core.primitive import Primitive

_erf_backend = []


def _erf_impl(x):
    # SciPy's erf is vectorised and exact; it is optional and slow to import, so it is loaded on
    # first use, with the standard library's math.erf, entry by entry, as the fallback.
    if not _erf_backend:
        try:
            from scipy.special import erf as scipy_erf

            _erf_backend.append(scipy_erf)
        except ImportError:  # pragma: no cover - exercised only without SciPy
            _erf_backend.append(np.vectorize(math.erf, otypes=[np.float64]))
    x = np.asarray(x)
    return _erf_backend[0](x).astype(x.dtype if x.dtype.kind == "f" else np.float64, copy=False)


def _same(t, out, *args, **params):
    return t


def _negated(t, out, *args, **params):
    return neg(t)


# ---- arithmetic -------------------------------------------------------------------------------

add = Primitive("add", np.add, vjp=(_same, _same), jvp=(_same, _same), batch=elementwise)
sub = Primitive("sub", np.subtract, vjp=(_same, _negated), jvp=(_same, _negated), batch=elementwise)
neg = Primitive("neg", np.negative, vjp=(_negated,), jvp=(_negated,), batch=elementwise)

mul = Primitive(
    "mul",
    np.multiply,
    vjp=(lambda ct, out, x, y: mul(ct, y), lambda ct, out, x, y: mul(ct, x)),
    jvp=(lambda t, out, x, y: mul(t, y), lambda t, out, x, y: mul(x, t)),
    batch=elementwise,
)


def _div_vjp_y(ct, out, x, y):
    return neg(mul(ct, div(out, y)))  # d(x/y)/dy = -x/y^2 = -out/y


div = Primitive(
    "div",
    np.true_divide,
    vjp=(lambda ct, out, x, y: div(ct, y), _div_vjp_y),
    jvp=(lambda t, out, x, y: div(t, y), lambda t, out, x, y: _div_vjp_y(t, out, x, y)),
    batch=elementwise,
)


def _pow_vjp_x(ct, out, x, y):
    # NOTE: d x^y / dx = y x^(y-1); written as y * x^(y-1) rather than y*out/x so x = 0 works.
    ym1 = y - 1 if isinstance(y, (int, float)) else sub(y, 1)  # keep Python scalars weak
    return mul(ct, mul(y, power(x, ym1)))


def _pow_vjp_y(ct, out, x, y):
    # d x^y / dy = x^y log x; NOTE: taken as 0 where x == 0 (the limit for y > 0).
    safe = where(equal(x, 0), 1, x)
    return mul(ct, where(equal(x, 0), 0, mul(out, log(safe))))


power = Primitive(
    "pow",
    np.power,
    vjp=(_pow_vjp_x, _pow_vjp_y),
    jvp=(_pow_vjp_x, _pow_vjp_y),
    batch=elementwise,
)

square = Primitive(
    "square",
    np.square,
    vjp=(lambda ct, out, x: mul(ct, mul(x, 2)),),
    jvp=(lambda t, out, x: mul(t, mul(x, 2)),),
    batch=elementwise,
)


def _mod_vjp_y(ct, out, x, y):
    return mul(ct, neg(floor(div(x, y))))  # x mod y = x - floor(x/y) y


def _mod_impl(x, y):
    r = np.mod(x, y)
    if r.dtype.kind == "f":
        r += 0.0  # NOTE: -0.0 + 0.0 is +0.0: MindSpore prints 0, not -0, for e.g. 3 % -1
    return r


mod = Primitive(
    "mod",
    _mod_impl,
    vjp=(_same, _mod_vjp_y),
    jvp=(_same, _mod_vjp_y),
    batch=elementwise,
    fresh=True,
)


def _tie_share(ct, x, y, pick):
    # NOTE: at ties (x == y) the gradient is shared equally, half to each argument.
    return mul(ct, where(equal(x, y), 0.5, where(pick, 1.0, 0.0)))


maximum = Primitive(
    "maximum",
    np.maximum,
    vjp=(
        lambda ct, out, x, y: _tie_share(ct, x, y, greater(x, y)),
        lambda ct, out, x, y: _tie_share(ct, x, y, greater(y, x)),
    ),
    jvp=(
        lambda t, out, x, y: _tie_share(t, x, y, greater(x, y)),
        lambda t, out, x, y: _tie_share(t, x, y, greater(y, x)),
    ),
    batch=elementwise,
)
minimum = Primitive(
    "minimum",
    np.minimum,
    vjp=(
        lambda ct, out, x, y: _tie_share(ct, x, y, less(x, y)),
        lambda ct, out, x, y: _tie_share(ct, x, y, less(y, x)),
    ),
    jvp=(
        lambda t, out, x, y: _tie_share(t, x, y, less(x, y)),
        lambda t, out, x, y: _tie_share(t, x, y, less(y, x)),
    ),
    batch=elementwise,
)


def _where_impl(c, x, y):
    return np.where(c, x, y)


where = Primitive(
    "where",
    _where_impl,
    vjp=(
        None,
        lambda ct, out, c, x, y: where(c, ct, 0),
        lambda ct, out, c, x, y: where(c, 0, ct),
    ),
    jvp=(
        None,
        lambda t, out, c, x, y: where(c, t, 0),
        lambda t, out, c, x, y: where(c, 0, t),
    ),
    batch=elementwise,
    fresh=True,
)

# ---- comparisons and other piecewise-constant functions: no gradient ------------------------

equal = Primitive("equal", np.equal, batch=elementwise)
not_equal = Primitive("not_equal", np.not_equal, batch=elementwise)
less = Primitive("less", np.less, batch=elementwise)
less_equal = Primitive("less_equal", np.less_equal, batch=elementwise)
greater = Primitive("greater", np.greater, batch=elementwise)
greater_equal = Primitive("greater_equal", np.greater_equal, batch=elementwise)
logical_and = Primitive("logical_and", np.logical_and, batch=elementwise)
logical_or = Primitive("logical_or", np.logical_or, batch=elementwise)
logical_not = Primitive("logical_not", np.logical_not, batch=elementwise)
logical_xor = Primitive("logical_xor", np.logical_xor, batch=elementwise)
sign = Primitive("sign", np.sign, batch=elementwise)
floor = Primitive("floor", np.floor, batch=elementwise)
ceil = Primitive("ceil", np.ceil, batch=elementwise)
round_ = Primitive("round", np.round, batch=elementwise)
floor_divide = Primitive("floor_divide", np.floor_divide, batch=elementwise)
isnan = Primitive("isnan", np.isnan, batch=elementwise)
isinf = Primitive("isinf", np.isinf, batch=elementwise)
isfinite = Primitive("isfinite", np.isfinite, batch=elementwise)
bitwise_and = Primitive("bitwise_and", np.bitwise_and, batch=elementwise)
bitwise_or = Primitive("bitwise_or", np.bitwise_or, batch=elementwise)
bitwise_xor = Primitive("bitwise_xor", np.bitwise_xor, batch=elementwise)
invert = Primitive("invert", np.invert, batch=elementwise)

# ---- unary functions ----------------------------------------------------------------------


def _unary(name, impl, deriv):
    """A unary primitive whose VJP and JVP both multiply by `deriv(out, x)`; every `impl` given
    here returns a new array."""
    return Primitive(
        name,
        impl,
        vjp=(lambda ct, out, x: mul(ct, deriv(out, x)),),
        jvp=(lambda t, out, x: mul(t, deriv(out, x)),),
        batch=elementwise,
        fresh=True,
    )


exp = _unary("exp", np.exp, lambda out, x: out)
log = _unary("log", np.log, lambda out, x: div(1, x))
log1p = _unary("log1p", np.log1p, lambda out, x: div(1, add(x, 1)))
expm1 = _unary("expm1", np.expm1, lambda out, x: add(out, 1))
sqrt = _unary("sqrt", np.sqrt, lambda out, x: div(0.5, out))


def _rsqrt_impl(x):
    return 1 / np.sqrt(x)


rsqrt = _unary("rsqrt", _rsqrt_impl, lambda out, x: mul(-0.5, div(out, x)))
reciprocal = _unary("reciprocal", np.reciprocal, lambda out, x: neg(square(out)))
# NOTE: |x| has subgradient 0 at x = 0 (sign(0) = 0), as in MindSpore and PyTorch.
abs_ = _unary("abs", np.abs, lambda out, x: sign(x))
sin = _unary("sin", np.sin, lambda out, x: cos(x))
cos = _unary("cos", np.cos, lambda out, x: neg(sin(x)))
tan = _unary("tan", np.tan, lambda out, x: add(1, square(out)))
tanh = _unary("tanh", np.tanh, lambda out, x: sub(1, square(out)))
arcsin = _unary("asin", np.arcsin, lambda out, x: rsqrt(sub(1, square(x))))
arccos = _unary("acos", np.arccos, lambda out, x: neg(rsqrt(sub(1, square(x)))))
arctan = _unary("atan", np.arctan, lambda out, x: div(1, add(1, square(x))))
sinh = _unary("sinh", np.sinh, lambda out, x: cosh(x))
cosh = _unary("cosh", np.cosh, lambda out, x: sinh(x))


def _sigmoid_impl(x):
    # NOTE: e^min(x,0) / (1 + e^-|x|) is 1/(1+e^-x) for x >= 0 and e^x/(1+e^x) for x < 0:
    # exp never overflows and nothing cancels. (No np.where: it is slow on small arrays.)
    x = np.asarray(x)
    den = np.exp(-np.abs(x))
    den += 1
    num = np.exp(np.minimum(x, 0))
    num /= den
    return num


sigmoid = _unary("sigmoid", _sigmoid_impl, lambda out, x: mul(out, sub(1, out)))


# `out=` is for compiled graphs (`writes_out`); eager calls skip the keyword, which costs a ufunc
# about 100 ns.
def _relu_impl(x, *, out=None):
    return np.maximum(x, 0) if out is None else np.maximum(x, 0, out=out)


def _relu_grad_impl(ct, y, *, out=None):
    return ct * (y > 0) if out is None else np.multiply(ct, y > 0, out=out)


# ct * (out > 0) as one node: the VJP of relu on the hot path of every MLP. Linear in ct; the
# mask is piecewise constant, so `out` gets no gradient.
relu_grad = Primitive(
    "relu_grad",
    _relu_grad_impl,
    vjp=(lambda ct2, o, ct, out: relu_grad(ct2, out), None),
    jvp=(lambda t, o, ct, out: relu_grad(t, out), None),
    batch=elementwise,
    fresh=True,
    writes_out=True,
)

# NOTE: relu'(0) = 0, as in MindSpore and PyTorch.
relu = Primitive(
    "relu",
    _relu_impl,
    vjp=(lambda ct, out, x: relu_grad(ct, out),),
    jvp=(lambda t, out, x: relu_grad(t, out),),
    batch=elementwise,
    fresh=True,
    writes_out=True,
)


def _softplus_impl(x):
    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|), stable for large |x|.
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


softplus = _unary("softplus", _softplus_impl, lambda out, x: sigmoid(x))
erf = _unary("erf", _erf_impl, lambda out, x: mul(2 / math.sqrt(math.pi), exp(neg(square(x)))))


def _gelu_impl(x):
    return (0.5 * x * (1 + _erf_impl(x / math.sqrt(2)))).astype(x.dtype, copy=False)


def _gelu_deriv(out, x):
    # d/dx x Phi(x) = Phi(x) + x phi(x)
    cdf = mul(0.5, add(1, erf(mul(x, 1 / math.sqrt(2)))))
    pdf = mul(1 / math.sqrt(2 * math.pi), exp(mul(-0.5, square(x))))
    return add(cdf, mul(x, pdf))


gelu = _unary("gelu", _gelu_impl, _gelu_deriv)


def _gelu_tanh_impl(x):
    c = math.sqrt(2 / math.pi)
    return (0.5 * x * (1 + np.tanh(c * (x + 0.044715 * x**3)))).astype(x.dtype, copy=False)


def _gelu_tanh_deriv(out, x):
    c = math.sqrt(2 / math.pi)
    inner = mul(c, add(x, mul(0.044715, power(x, 3))))
    th = tanh(inner)
    dinner = mul(c, add(1, mul(3 * 0.044715, square(x))))
    return add(mul(0.5, add(1, th)), mul(mul(0.5, x), mul(sub(1, square(th)), dinner)))


gelu_tanh = _unary("gelu_tanh", _gelu_tanh_impl, _gelu_tanh_deriv)


def _cast_impl(x, *, dtype):
    return np.asarray(x).astype(dtype, copy=False)


def _truncates(x, dtype):
    """A cast from floating to integer or bool is piecewise constant: no gradient flows."""
    return x.dtype.kind in "fc" and dtype.kind not in "fc"


def _cast_back(ct, out, x, *, dtype):
    # NOTE: the cotangent returns to the input's dtype only when that is floating: an integer
    # input gets a floating gradient, never a truncated one.
    if _truncates(x, dtype):
        return None
    xdt = x.dtype
    return cast(ct, dtype=xdt) if xdt.kind in "fc" else ct


def _cast_tangent(t, out, x, *, dtype):
    if _truncates(x, dtype):
        return None
    return cast(t, dtype=dtype) if dtype.kind in "fc" else t


cast = Primitive("cast", _cast_impl, vjp=(_cast_back,), jvp=(_cast_tangent,), batch=elementwise)


def _stop_gradient_impl(x):
    return x


stop_gradient = Primitive("stop_gradient", _stop_gradient_impl, batch=elementwise)
