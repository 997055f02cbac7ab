"""`minispore.ops` elementwise math and reductions: forward values against NumPy, the gradients of
the composite ops (var, std, norm, clamp, ...) against central differences, and error messages.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, ops
from tests.helpers import num_grad as _num_grad
from tests.helpers import rng as _rng

SHAPES = [(), (3,), (3, 1), (1, 4), (2, 3, 4)]


def _check_grad(op, x, rtol=1e-6, atol=1e-7, seed=0):
    """grad of sum(op(x) * w) against central differences, float64, random cotangent w."""
    x = np.asarray(x, dtype=np.float64)
    out_shape = np.shape(op(Tensor(x)).asnumpy())
    w = _rng(seed + 100).normal(size=out_shape)

    def scalar(xv):
        return float(np.sum(op(Tensor(xv)).asnumpy() * w))

    g = ms.grad(lambda t: ops.sum(op(t) * Tensor(w)))(Tensor(x))
    assert g.shape == x.shape
    assert g.dtype == ms.float64
    np.testing.assert_allclose(g.asnumpy(), _num_grad(scalar, x), rtol=rtol, atol=atol)


# ---- unary elementwise -----------------------------------------------------------------------

_erf = np.vectorize(math.erf)


def _np_gelu(x):
    return 0.5 * x * (1 + _erf(x / np.sqrt(2)))


def _np_gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


# name -> (numpy reference, (low, high) sample domain)
_UNARY = {
    "abs": (np.abs, (-2, 2)),
    "absolute": (np.abs, (-2, 2)),
    "acos": (np.arccos, (-0.9, 0.9)),
    "asin": (np.arcsin, (-0.9, 0.9)),
    "atan": (np.arctan, (-2, 2)),
    "ceil": (np.ceil, (-3, 3)),
    "cos": (np.cos, (-3, 3)),
    "cosh": (np.cosh, (-2, 2)),
    "erf": (_erf, (-2, 2)),
    "exp": (np.exp, (-2, 2)),
    "expm1": (np.expm1, (-2, 2)),
    "floor": (np.floor, (-3, 3)),
    "gelu": (_np_gelu, (-3, 3)),
    "inv": (np.reciprocal, (0.5, 2)),
    "log": (np.log, (0.5, 2)),
    "log1p": (np.log1p, (-0.5, 2)),
    "neg": (np.negative, (-2, 2)),
    "negative": (np.negative, (-2, 2)),
    "reciprocal": (np.reciprocal, (0.5, 2)),
    "relu": (lambda x: np.maximum(x, 0), (-2, 2)),
    "round": (np.round, (-3, 3)),
    "rsqrt": (lambda x: 1 / np.sqrt(x), (0.5, 2)),
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), (-4, 4)),
    "sign": (np.sign, (-2, 2)),
    "sin": (np.sin, (-3, 3)),
    "sinh": (np.sinh, (-2, 2)),
    "softplus": (lambda x: np.log1p(np.exp(x)), (-4, 4)),
    "sqrt": (np.sqrt, (0.5, 2)),
    "square": (np.square, (-2, 2)),
    "tan": (np.tan, (-1.2, 1.2)),
    "tanh": (np.tanh, (-2, 2)),
}


@pytest.mark.parametrize("name", sorted(_UNARY))
@pytest.mark.parametrize("shape", [(), (3,), (2, 3, 4)])
def test_unary_forward_float32_and_float64(name, shape):
    ref, (lo, hi) = _UNARY[name]
    x = _rng().uniform(lo, hi, size=shape)
    fn = getattr(ops, name)
    for dt, rtol in ((np.float64, 1e-12), (np.float32, 2e-6)):
        xv = x.astype(dt)
        r = fn(Tensor(xv))
        assert r.shape == shape
        assert r.asnumpy().dtype == dt, f"{name}: dtype {r.dtype}"
        np.testing.assert_allclose(r.asnumpy(), ref(xv.astype(np.float64)), rtol=rtol, atol=rtol)


def test_unary_float_ops_on_integers_compute_in_float32():
    i = Tensor(np.array([1, 2, 4], np.int32))
    for name in ("exp", "log", "sqrt", "sin", "sigmoid", "tanh"):
        r = getattr(ops, name)(i)
        assert r.dtype == ms.float32, name
    np.testing.assert_allclose(ops.sqrt(i).asnumpy(), [1.0, np.sqrt(2), 2.0], rtol=1e-6)
    assert ops.abs(Tensor(np.array([-1, 2], np.int32))).dtype == ms.int32
    assert ops.square(Tensor(np.array([-3], np.int64))).asnumpy().tolist() == [9]
    assert ops.neg(Tensor(np.array([3], np.int32))).dtype == ms.int32


def test_gelu_tanh_approximation():
    x = _rng().normal(size=(4, 5))
    np.testing.assert_allclose(
        ops.gelu(Tensor(x), approximate="tanh").asnumpy(), _np_gelu_tanh(x), rtol=1e-12
    )
    with pytest.raises(ValueError, match="gelu"):
        ops.gelu(Tensor(x), approximate="bad")


def test_softplus_beta_threshold():
    x = np.array([-3.0, 0.0, 2.0, 15.0, 30.0])
    np.testing.assert_allclose(
        ops.softplus(Tensor(x)).asnumpy(), np.where(x > 20, x, np.log1p(np.exp(x))), rtol=1e-12
    )
    np.testing.assert_allclose(
        ops.softplus(Tensor(x), beta=2).asnumpy(),
        np.where(2 * x > 20, x, np.log1p(np.exp(2 * x)) / 2),
        rtol=1e-12,
    )


def test_predicates():
    x = np.array([1.0, np.nan, np.inf, -np.inf, 0.0])
    for name, ref in (("isnan", np.isnan), ("isinf", np.isinf), ("isfinite", np.isfinite)):
        r = getattr(ops, name)(Tensor(x))
        assert r.dtype == ms.bool_
        np.testing.assert_array_equal(r.asnumpy(), ref(x))
    b = np.array([True, False, True])
    np.testing.assert_array_equal(ops.logical_not(Tensor(b)).asnumpy(), ~b)


# ---- binary elementwise ------------------------------------------------------------------------

_BINARY = {
    "add": np.add,
    "sub": np.subtract,
    "subtract": np.subtract,
    "mul": np.multiply,
    "multiply": np.multiply,
    "div": np.true_divide,
    "divide": np.true_divide,
    "true_divide": np.true_divide,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "floor_divide": np.floor_divide,
    "floor_mod": np.mod,
    "remainder": np.mod,
    "pow": np.power,
    "equal": np.equal,
    "not_equal": np.not_equal,
    "ne": np.not_equal,
    "less": np.less,
    "lt": np.less,
    "less_equal": np.less_equal,
    "le": np.less_equal,
    "greater": np.greater,
    "gt": np.greater,
    "greater_equal": np.greater_equal,
    "ge": np.greater_equal,
}


@pytest.mark.parametrize("name", sorted(_BINARY))
@pytest.mark.parametrize(
    "shapes", [((3,), (3,)), ((3, 1), (1, 4)), ((2, 3, 4), (4,)), ((), (2, 3))]
)
def test_binary_forward_with_broadcasting(name, shapes):
    rng = _rng(1)
    a = rng.uniform(0.5, 2.0, size=shapes[0])
    b = rng.uniform(0.5, 2.0, size=shapes[1])
    if name not in ("pow",):
        a = a * np.sign(rng.normal(size=shapes[0]))
        b = b * np.sign(rng.normal(size=shapes[1]))
    r = getattr(ops, name)(Tensor(a), Tensor(b))
    exp = _BINARY[name](a, b)
    assert r.shape == exp.shape
    assert r.asnumpy().dtype == exp.dtype
    np.testing.assert_allclose(r.asnumpy(), exp, rtol=1e-12)


@pytest.mark.parametrize(
    "name", ["add", "sub", "mul", "div", "maximum", "minimum", "pow", "greater"]
)
def test_binary_with_python_scalar(name):
    x = np.array([0.5, 1.5, 2.5], np.float32)
    r = getattr(ops, name)(Tensor(x), 2)
    np.testing.assert_allclose(
        r.asnumpy(), _BINARY.get(name, getattr(np, name, None))(x, np.float32(2)), rtol=1e-6
    )
    if name != "greater":
        assert r.dtype == ms.float32


def test_binary_dtype_promotion():
    i32 = Tensor(np.array([1, 2, 3], np.int32))
    f32 = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
    assert ops.add(i32, f32).dtype == ms.float32
    assert ops.mul(i32, 2).dtype == ms.int32
    assert ops.add(i32, 1.5).dtype == ms.float32
    assert ops.add(f32, Tensor(np.ones(3))).dtype == ms.float64
    assert ops.div(i32, 2).dtype == ms.float32
    assert ops.div(2, i32).dtype == ms.float32


def test_div_int_tensor_by_int_tensor_is_float32():
    # spec 3: int32 / int32 gives Float32 (NumPy would give float64)
    i32 = Tensor(np.array([1, 2, 3], np.int32))
    r = ops.div(i32, i32)
    assert r.dtype == ms.float32
    np.testing.assert_allclose(r.asnumpy(), [1.0, 1.0, 1.0])


def test_pow_with_python_scalar_base_keeps_tensor_dtype():
    # A Python scalar is weak on either side (spec 3), as `2 ** t` already does.
    f32 = Tensor(np.array([1.0, 2.0], np.float32))
    f16 = Tensor(np.array([1.0, 2.0], np.float16))
    i32 = Tensor(np.array([1, 2], np.int32))
    assert (2**f32).dtype == ms.float32
    assert (2**i32).dtype == ms.int32
    assert ops.pow(f32, 2).dtype == ms.float32
    assert ops.pow(2, f32).dtype == ms.float32
    assert ops.pow(2.0, f16).dtype == ms.float16
    assert ops.pow(2, i32).dtype == ms.int32
    np.testing.assert_allclose(ops.pow(2, f32).asnumpy(), [2.0, 4.0])


def test_where_python_scalar_branch_is_weak_on_both_sides():
    c = Tensor(np.array([True, False]))
    f16 = Tensor(np.array([1.0, 2.0], np.float16))
    i32 = Tensor(np.array([1, 2], np.int32))
    assert ops.where(c, f16, 1.0).dtype == ms.float16
    assert ops.where(c, 1.0, f16).dtype == ms.float16
    assert ops.where(c, i32, 1).dtype == ms.int32
    assert ops.where(c, 1, i32).dtype == ms.int32
    np.testing.assert_array_equal(ops.where(c, 5, i32).asnumpy(), [5, 2])


def test_max_with_tuple_axis_is_consistent_or_rejected():
    x = Tensor(_rng(20).normal(size=(2, 3)))
    try:
        values, indices = ops.max(x, (0, 1))
    except (TypeError, ValueError):
        return
    assert values.shape == indices.shape, f"values {values.shape} vs indices {indices.shape}"


def test_div_rounding_modes():
    a = np.array([7.0, -7.0, 5.5, -5.5])
    b = np.array([2.0, 2.0, -2.0, 2.0])
    np.testing.assert_array_equal(
        ops.div(Tensor(a), Tensor(b), rounding_mode="floor").asnumpy(), np.floor(a / b)
    )
    np.testing.assert_array_equal(
        ops.div(Tensor(a), Tensor(b), rounding_mode="trunc").asnumpy(), np.trunc(a / b)
    )
    with pytest.raises(ValueError, match="rounding_mode"):
        ops.div(Tensor(a), Tensor(b), rounding_mode="up")


def test_integer_floor_divide_and_mod_match_numpy():
    a = np.array([7, -7, 9, -3], np.int32)
    b = np.array([2, 3, -4, 5], np.int32)
    np.testing.assert_array_equal(ops.floor_divide(Tensor(a), Tensor(b)).asnumpy(), a // b)
    np.testing.assert_array_equal(ops.floor_mod(Tensor(a), Tensor(b)).asnumpy(), a % b)
    assert ops.floor_divide(Tensor(a), Tensor(b)).dtype == ms.int32


def test_logical_binary():
    a, b = np.array([True, True, False, False]), np.array([True, False, True, False])
    np.testing.assert_array_equal(ops.logical_and(Tensor(a), Tensor(b)).asnumpy(), a & b)
    np.testing.assert_array_equal(ops.logical_or(Tensor(a), Tensor(b)).asnumpy(), a | b)
    np.testing.assert_array_equal(ops.logical_xor(Tensor(a), Tensor(b)).asnumpy(), a ^ b)


def test_where_and_lerp():
    rng = _rng(2)
    c = rng.normal(size=(2, 3)) > 0
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(3,))
    np.testing.assert_array_equal(
        ops.where(Tensor(c), Tensor(a), Tensor(b)).asnumpy(), np.where(c, a, b)
    )
    np.testing.assert_array_equal(
        ops.where(Tensor(c), Tensor(a), 0.0).asnumpy(), np.where(c, a, 0.0)
    )
    with pytest.raises(TypeError, match="where"):
        ops.where(Tensor(a), Tensor(a), Tensor(b))
    np.testing.assert_allclose(
        ops.lerp(Tensor(a), Tensor(b), 0.25).asnumpy(), a + 0.25 * (b - a), rtol=1e-12
    )


@pytest.mark.parametrize("name", ["clamp", "clip"])
def test_clamp(name):
    fn = getattr(ops, name)
    x = _rng(3).normal(size=(3, 4))
    np.testing.assert_array_equal(fn(Tensor(x), -0.5, 0.5).asnumpy(), np.clip(x, -0.5, 0.5))
    np.testing.assert_array_equal(fn(Tensor(x), min=0.0).asnumpy(), np.maximum(x, 0.0))
    np.testing.assert_array_equal(fn(Tensor(x), max=0.1).asnumpy(), np.minimum(x, 0.1))
    lo = np.array([-1.0, -0.2, 0.0, 0.3])
    np.testing.assert_array_equal(fn(Tensor(x), Tensor(lo), 0.8).asnumpy(), np.clip(x, lo, 0.8))
    with pytest.raises(ValueError, match="clamp"):
        fn(Tensor(x))


def test_isclose_allclose():
    a = np.array([1.0, 2.0, 3.0])
    b = np.array([1.0, 2.0 + 1e-9, 3.1])
    np.testing.assert_array_equal(ops.isclose(Tensor(a), Tensor(b)).asnumpy(), np.isclose(a, b))
    assert ops.allclose(Tensor(a), Tensor(a)) is True
    assert ops.allclose(Tensor(a), Tensor(b)) is False
    assert ops.allclose(Tensor(a), Tensor(b), atol=0.2) is True


# ---- reductions ---------------------------------------------------------------------------------

_X = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 4.0 - 2.0
_AXES = [None, 0, 1, -1, (0, 2), (1, 2), (0, 1, 2)]


@pytest.mark.parametrize("axis", _AXES)
@pytest.mark.parametrize("keep", [False, True])
def test_sum_mean_prod(axis, keep):
    x = _X
    np.testing.assert_allclose(
        ops.sum(Tensor(x), axis, keep).asnumpy(), np.sum(x, axis=axis, keepdims=keep), rtol=1e-6
    )
    np.testing.assert_allclose(
        ops.sum(Tensor(x), dim=axis, keepdim=keep).asnumpy(),
        np.sum(x, axis=axis, keepdims=keep),
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        ops.reduce_sum(Tensor(x), axis, keep).asnumpy(),
        np.sum(x, axis=axis, keepdims=keep),
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        ops.mean(Tensor(x), axis, keep).asnumpy(), np.mean(x, axis=axis, keepdims=keep), rtol=1e-6
    )
    np.testing.assert_allclose(
        ops.mean(Tensor(x), axis=axis, keep_dims=keep).asnumpy(),
        np.mean(x, axis=axis, keepdims=keep),
        rtol=1e-6,
    )
    y = x / 3.0 + 1.5
    np.testing.assert_allclose(
        ops.prod(Tensor(y), axis, keep).asnumpy(), np.prod(y, axis=axis, keepdims=keep), rtol=1e-5
    )
    assert ops.sum(Tensor(x), axis, keep).shape == np.sum(x, axis=axis, keepdims=keep).shape


def test_reduction_dtypes():
    i = Tensor(np.array([[1, 2], [3, 4]], np.int32))
    assert ops.sum(i).item() == 10
    assert ops.sum(i, dtype=ms.float32).dtype == ms.float32
    assert ops.mean(i).dtype == ms.float32
    np.testing.assert_allclose(ops.mean(i).asnumpy(), 2.5)
    assert ops.sum(Tensor(_X)).dtype == ms.float32
    assert ops.mean(Tensor(_X.astype(np.float64))).dtype == ms.float64


@pytest.mark.parametrize("axis", _AXES)
@pytest.mark.parametrize("keep", [False, True])
def test_amax_amin(axis, keep):
    x = _rng(4).normal(size=(2, 3, 4))
    np.testing.assert_array_equal(
        ops.amax(Tensor(x), axis, keep).asnumpy(), np.amax(x, axis=axis, keepdims=keep)
    )
    np.testing.assert_array_equal(
        ops.amin(Tensor(x), axis, keep).asnumpy(), np.amin(x, axis=axis, keepdims=keep)
    )


@pytest.mark.parametrize("axis", [0, 1, -1, 2])
@pytest.mark.parametrize("keep", [False, True])
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_with_axis_return_values_and_indices(name, axis, keep):
    x = _rng(5).normal(size=(2, 3, 4))
    out = getattr(ops, name)(Tensor(x), axis, keep)
    assert isinstance(out, tuple) and len(out) == 2
    values, indices = out
    ref = np.max if name == "max" else np.min
    argref = np.argmax if name == "max" else np.argmin
    np.testing.assert_array_equal(values.asnumpy(), ref(x, axis=axis, keepdims=keep))
    assert indices.dtype == ms.int64
    exp_idx = argref(x, axis=axis)
    if keep:
        exp_idx = np.expand_dims(exp_idx, axis)
    np.testing.assert_array_equal(indices.asnumpy(), exp_idx)


def test_max_min_without_axis_value():
    x = np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 0.5]], np.float32)
    # MindSpore 2.10 returns (value, index) even without an axis; accept either form, check the value.
    mx, mn = ops.max(Tensor(x)), ops.min(Tensor(x))
    mx = mx[0] if isinstance(mx, tuple) else mx
    mn = mn[0] if isinstance(mn, tuple) else mn
    assert float(mx) == 5.0 and float(mn) == 0.5


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("keep", [False, True])
def test_argmax_argmin(axis, keep):
    x = _rng(6).normal(size=(3, 5))
    for fn, ref in ((ops.argmax, np.argmax), (ops.argmin, np.argmin)):
        r = fn(Tensor(x), axis, keep)
        # MindSpore 2.10 (golden 058): argmax is Int64; argmin along an axis is Int32.
        assert r.dtype == (ms.int32 if fn is ops.argmin and axis is not None else ms.int64)
        exp = ref(x, axis=axis, keepdims=keep)
        np.testing.assert_array_equal(r.asnumpy(), exp)
        assert r.shape == np.shape(exp)


def test_argmax_keyword_names():
    x = _rng(7).normal(size=(3, 5))
    np.testing.assert_array_equal(
        ops.argmax(Tensor(x), dim=1, keepdim=True).asnumpy(), x.argmax(1)[:, None]
    )
    np.testing.assert_array_equal(ops.argmin(Tensor(x), axis=0).asnumpy(), x.argmin(0))
    assert ops.argmax(Tensor(np.array([1, 7, 3], np.int32))).item() == 1


@pytest.mark.parametrize("axis", [0, 1, -1, (0, 1)])
@pytest.mark.parametrize("keep", [False, True])
def test_logsumexp(axis, keep):
    from scipy.special import logsumexp as ref

    x = _rng(8).normal(size=(3, 4)) * 3
    np.testing.assert_allclose(
        ops.logsumexp(Tensor(x), axis, keep).asnumpy(), ref(x, axis=axis, keepdims=keep), rtol=1e-12
    )
    big = np.array([[1000.0, 1000.0], [-1000.0, 0.0]], np.float32)
    r = ops.logsumexp(Tensor(big), 1).asnumpy()
    assert np.all(np.isfinite(r))
    np.testing.assert_allclose(r, [1000 + np.log(2), 0.0], rtol=1e-6)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cumsum(axis):
    x = _rng(9).normal(size=(3, 4))
    np.testing.assert_allclose(
        ops.cumsum(Tensor(x), axis).asnumpy(), np.cumsum(x, axis=axis), rtol=1e-12
    )
    i = Tensor(np.array([1, 2, 3], np.int32))
    assert ops.cumsum(i, 0, dtype=ms.float32).dtype == ms.float32


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1), -1])
@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("keep", [False, True])
def test_var_std(axis, ddof, keep):
    x = _rng(10).normal(size=(4, 5))
    np.testing.assert_allclose(
        ops.var(Tensor(x), axis, ddof, keep).asnumpy(),
        np.var(x, axis=axis, ddof=ddof, keepdims=keep),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        ops.std(Tensor(x), axis, ddof, keep).asnumpy(),
        np.std(x, axis=axis, ddof=ddof, keepdims=keep),
        rtol=1e-12,
    )
    v, m = ops.var_mean(Tensor(x), axis, ddof, keep)
    np.testing.assert_allclose(
        v.asnumpy(), np.var(x, axis=axis, ddof=ddof, keepdims=keep), rtol=1e-12
    )
    np.testing.assert_allclose(m.asnumpy(), np.mean(x, axis=axis, keepdims=keep), rtol=1e-12)
    s, m = ops.std_mean(Tensor(x), axis, ddof, keep)
    np.testing.assert_allclose(
        s.asnumpy(), np.std(x, axis=axis, ddof=ddof, keepdims=keep), rtol=1e-12
    )
    np.testing.assert_allclose(m.asnumpy(), np.mean(x, axis=axis, keepdims=keep), rtol=1e-12)


@pytest.mark.parametrize(
    "ord, dim, shape",
    [
        (None, None, (5,)),
        (None, None, (3, 4)),
        ("fro", None, (3, 4)),
        (None, 1, (3, 4)),
        (None, (0, 1), (3, 4)),
        (2, None, (5,)),
        (2, 0, (3, 4)),
        (1, None, (5,)),
        (1, 1, (3, 4)),
        (3, None, (5,)),
        (0.5, -1, (3, 4)),
        (float("inf"), None, (5,)),
        (float("-inf"), 1, (3, 4)),
        (0, None, (5,)),
    ],
)
@pytest.mark.parametrize("keep", [False, True])
def test_norm(ord, dim, shape, keep):
    x = _rng(11).normal(size=shape)
    x.flat[0] = 0.0
    r = ops.norm(Tensor(x), ord, dim, keep)
    if dim is None and len(shape) == 2:
        exp = np.linalg.norm(x, "fro", keepdims=keep)
    else:
        exp = np.linalg.norm(x, ord if ord != "fro" else None, axis=dim, keepdims=keep)
    np.testing.assert_allclose(r.asnumpy(), exp, rtol=1e-12)


def test_all_any():
    b = np.array([[True, False, True], [True, True, True]])
    for axis in (None, 0, 1, (0, 1)):
        for keep in (False, True):
            np.testing.assert_array_equal(
                ops.all(Tensor(b), axis, keep).asnumpy(), np.all(b, axis=axis, keepdims=keep)
            )
            np.testing.assert_array_equal(
                ops.any(Tensor(~b), axis, keep).asnumpy(), np.any(~b, axis=axis, keepdims=keep)
            )


# ---- gradients of composite ops -------------------------------------------------------------

_GRAD_CASES = {
    "var": lambda t: ops.var(t),
    "var_axis_ddof": lambda t: ops.var(t, 1, 1, True),
    "var_axes": lambda t: ops.var(t, (0, 2)),
    "std": lambda t: ops.std(t),
    "std_axis": lambda t: ops.std(t, 0, 1),
    "var_mean": lambda t: ops.var_mean(t, 1)[0] + ops.var_mean(t, 1)[1] * 2.0,
    "std_mean": lambda t: ops.std_mean(t, -1)[0] * ops.std_mean(t, -1)[1],
    "norm": lambda t: ops.norm(t),
    "norm_dim": lambda t: ops.norm(t, None, 1),
    "norm_p1": lambda t: ops.norm(t, 1, -1),
    "norm_p3": lambda t: ops.norm(t, 3, 0),
    "norm_inf": lambda t: ops.norm(t, float("inf"), 2),
    "clamp": lambda t: ops.clamp(t, -0.5, 0.6),
    "clamp_min": lambda t: ops.clamp(t, min=0.1),
    "clip_max": lambda t: ops.clip(t, max=-0.2),
    "logsumexp": lambda t: ops.logsumexp(t, 1),
    "mean": lambda t: ops.mean(t, (0, 1), True),
    "prod": lambda t: ops.prod(t, 2),
    "amax": lambda t: ops.amax(t, 1),
    "max_values": lambda t: ops.max(t, 1)[0],
    "min_values": lambda t: ops.min(t, 0)[0],
    "cumsum": lambda t: ops.cumsum(t, 1),
    "lerp": lambda t: ops.lerp(t, t * t, 0.3),
    "where": lambda t: ops.where(t > 0, t * 2.0, ops.exp(t)),
    "softplus_beta": lambda t: ops.softplus(t, beta=2),
    "gelu_tanh": lambda t: ops.gelu(t, approximate="tanh"),
    "gelu": lambda t: ops.gelu(t),
    "div_scalar_left": lambda t: ops.div(2.0, t * t + 1.0),
    "pow_tensor": lambda t: ops.pow(ops.abs(t) + 0.5, t),
}


@pytest.mark.parametrize("name", sorted(_GRAD_CASES))
def test_composite_gradient_matches_central_differences(name):
    x = _rng(12).uniform(-1.0, 1.0, size=(2, 3, 4))
    # keep |x| away from 0 and from the clamp bounds, and distinct (for max/min)
    x = np.sign(x) * (0.05 + np.abs(x)) + np.arange(24).reshape(2, 3, 4) * 1e-3
    for b in (-0.5, 0.6, 0.1, -0.2):
        x[np.abs(x - b) < 0.02] += 0.05
    _check_grad(_GRAD_CASES[name], x, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(
    "name", ["exp", "log", "sqrt", "sin", "tanh", "sigmoid", "erf", "atan", "rsqrt"]
)
@pytest.mark.parametrize("shape", SHAPES)
def test_unary_gradient(name, shape):
    x = _rng(13).uniform(0.5, 2.0, size=shape)
    _check_grad(getattr(ops, name), x, rtol=1e-6, atol=1e-8)


def test_clamp_with_tensor_bounds_gradient():
    x = np.array([-2.0, -0.3, 0.2, 0.9, 3.0])
    lo = Tensor(np.array([-1.0, -1.0, 0.5, 0.0, 0.0]))
    g = ms.grad(lambda t: ops.sum(ops.clamp(t, lo, 1.0)))(Tensor(x))
    np.testing.assert_array_equal(g.asnumpy(), [0.0, 1.0, 0.0, 1.0, 0.0])


# ---- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "maximum", "equal"])
def test_broadcast_failure_names_op_and_shapes(name):
    with pytest.raises(ValueError) as exc:
        getattr(ops, name)(Tensor(np.ones((2, 3))), Tensor(np.ones((4,))))
    msg = str(exc.value)
    assert f"'{name}'" in msg
    assert "(2, 3)" in msg and "(4,)" in msg


@pytest.mark.parametrize(
    "call",
    [
        lambda x: ops.sum(x, 2),
        lambda x: ops.mean(x, -3),
        lambda x: ops.max(x, 5),
        lambda x: ops.argmax(x, 2),
        lambda x: ops.var(x, 3),
        lambda x: ops.logsumexp(x, 2),
        lambda x: ops.cumsum(x, 2),
        lambda x: ops.amax(x, (0, 4)),
        lambda x: ops.norm(x, None, 7),
    ],
)
def test_axis_out_of_range_raises_value_error(call):
    with pytest.raises(ValueError, match="axis|dim|out of range"):
        call(Tensor(np.ones((2, 3))))


@pytest.mark.parametrize("name", ["exp", "sum", "mean", "abs", "relu", "sigmoid", "argmax", "var"])
@pytest.mark.parametrize("bad", [np.ones(3), [1.0, 2.0], "x"])
def test_non_tensor_input_raises_type_error(name, bad):
    with pytest.raises(TypeError, match=name):
        getattr(ops, name)(bad)


def test_binary_non_tensor_raises_type_error():
    with pytest.raises(TypeError, match="add"):
        ops.add(Tensor([1.0]), np.array([1.0]))
    with pytest.raises(TypeError, match="mul"):
        ops.mul([1.0], Tensor([1.0]))


def test_keepdims_must_be_bool():
    with pytest.raises(TypeError, match="keepdims"):
        ops.sum(Tensor(np.ones(3)), 0, "yes")


def test_clamp_passes_the_whole_gradient_on_a_bound():
    x = Tensor(np.array([-1.0, 0.0, 0.5, 1.0, 2.0]))
    g = ms.grad(lambda x: ops.clamp(x, 0.0, 1.0).sum())(x)
    np.testing.assert_allclose(g.asnumpy(), [0.0, 1.0, 1.0, 1.0, 0.0])
    lo, hi = Tensor(np.zeros(5)), Tensor(np.ones(5))
    glo, ghi = ms.grad(lambda a, b: ops.clamp(x, a, b).sum(), (0, 1))(lo, hi)
    np.testing.assert_allclose(glo.asnumpy(), [1.0, 0.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(ghi.asnumpy(), [0.0, 0.0, 0.0, 0.0, 1.0])
