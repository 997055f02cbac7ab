"""Tensor, Parameter, ParameterTuple and dtypes (spec sections 3, 4 and 12).

Construction and dtype inference, attributes, MindSpore's type promotion, every operator, NumPy
indexing (read, write, and their gradients), printing basics, dtype objects, Parameter naming and
updates, and the errors a user meets.
"""

from __future__ import annotations

import operator
import re

import numpy as np
import pytest

import minispore as ms
from minispore import Parameter, ParameterTuple, Tensor, ops
from tests.helpers import num_grad as _num_grad
from tests.helpers import rng as _rng

# ---- construction and dtype inference ------------------------------------------------------


@pytest.mark.parametrize(
    "data, dtype",
    [
        (1, ms.int64),
        ([1, 2, 3], ms.int64),
        ([[1, 2], [3, 4]], ms.int64),
        ((1, 2), ms.int64),
        (1.5, ms.float32),
        ([1.0, 2.0], ms.float32),
        ([1, 2.5], ms.float32),  # a mixed list
        (np.float32(1.5), ms.float32),
        (True, ms.bool_),
        ([True, False], ms.bool_),
        (np.array([1.0, 2.0]), ms.float64),
        (np.array([1, 2], np.int32), ms.int32),
        (np.array([1, 2], np.int8), ms.int8),
        (np.array([1, 2], np.uint8), ms.uint8),
        (np.array([1.0], np.float16), ms.float16),
        (np.array([True]), ms.bool_),
        (np.int32(3), ms.int32),
    ],
)
def test_dtype_inference(data, dtype):
    t = Tensor(data)
    assert t.dtype == dtype
    np.testing.assert_array_equal(t.asnumpy(), np.asarray(data))


def test_tensor_function_form_matches_class():
    t = ms.tensor([1, 2])
    assert isinstance(t, Tensor) and t.dtype == ms.int64
    assert ms.tensor([1.0], ms.float64).dtype == ms.float64


def test_constructor_casts_to_dtype():
    arr = np.array([1.7, -2.2, 3.0])
    t = Tensor(arr, ms.float32)
    assert t.dtype == ms.float32
    assert t.asnumpy().dtype == np.float32
    np.testing.assert_allclose(t.asnumpy(), arr.astype(np.float32))
    ti = Tensor(arr, ms.int32)
    assert ti.dtype == ms.int32
    np.testing.assert_array_equal(ti.asnumpy(), arr.astype(np.int32))
    assert Tensor([1, 2], ms.float16).dtype == ms.float16
    assert Tensor(1, ms.float64).dtype == ms.float64


def test_constructor_from_tensor_copies():
    a = Tensor(np.arange(3.0))
    b = Tensor(a)
    b[0] = 10.0
    assert a.asnumpy()[0] == 0.0
    assert Tensor(a, ms.int32).dtype == ms.int32


def test_constructor_copies_numpy_array():
    arr = np.arange(4, dtype=np.float32)
    t = Tensor(arr)
    arr[0] = 100.0
    assert t.asnumpy()[0] == 0.0
    assert not np.shares_memory(t.asnumpy(), arr)


def test_from_numpy_shares_memory():
    arr = np.arange(4, dtype=np.float32)
    t = Tensor.from_numpy(arr)
    assert t.dtype == ms.float32
    arr[1] = 42.0
    assert t.asnumpy()[1] == 42.0
    assert np.shares_memory(t.asnumpy(), arr)


def test_asnumpy_shares_memory_with_tensor():
    # spec 3 / section 12 item 11: asnumpy() is a view, not a copy.
    t = Tensor(np.zeros(3, np.float32))
    view = t.asnumpy()
    view[2] = 7.0
    assert t.asnumpy()[2] == 7.0
    assert np.shares_memory(view, t.asnumpy())


def test_init_shape_dtype():
    from minispore.common.initializer import Normal, One

    t = Tensor(shape=(2, 3), dtype=ms.float32, init=One())
    assert t.shape == (2, 3) and t.dtype == ms.float32
    np.testing.assert_array_equal(t.init_data().asnumpy(), np.ones((2, 3), np.float32))
    n = Tensor(shape=(4,), dtype=ms.float64, init=Normal())
    assert n.dtype == ms.float64 and n.asnumpy().shape == (4,)
    z = Tensor(shape=(2,), dtype=ms.int32, init="zeros")
    np.testing.assert_array_equal(z.asnumpy(), np.zeros(2, np.int32))


@pytest.mark.parametrize("bad", [object(), "abc", ["a", "b"], {1: 2}, [[1, 2], [3]], None])
def test_bad_constructor_input_raises(bad):
    with pytest.raises((TypeError, ValueError)) as exc:
        Tensor(bad)
    if bad is not None and not (isinstance(bad, list) and isinstance(bad[0], list)):
        assert exc.type is TypeError


def test_bad_constructor_input_type_error_message():
    with pytest.raises(TypeError, match="Tensor"):
        Tensor(object())
    with pytest.raises(TypeError, match="Tensor"):
        Tensor(["a", "b"])


# ---- attributes --------------------------------------------------------------------------------


def test_attributes_int32_2x2():
    t = Tensor(np.array([[1, 2], [3, 4]], np.int32))
    assert t.shape == (2, 2) and isinstance(t.shape, tuple)
    assert t.dtype == ms.int32
    assert t.ndim == 2
    assert t.size == 4
    assert t.itemsize == 4
    assert t.nbytes == 16
    assert t.strides == (8, 4)
    assert len(t) == 2


def test_attributes_float64_3d():
    t = Tensor(np.zeros((2, 3, 4)))
    assert t.shape == (2, 3, 4)
    assert t.ndim == 3 and t.size == 24 and t.itemsize == 8 and t.nbytes == 192
    assert t.strides == (96, 32, 8)
    assert len(t) == 2


def test_zero_dim_attributes():
    t = Tensor(3.5)
    assert t.shape == () and t.ndim == 0 and t.size == 1
    with pytest.raises(TypeError):
        len(t)


def test_scalar_conversions():
    t = Tensor(np.array([2.5], np.float32))
    assert t.item() == 2.5 and isinstance(t.item(), float)
    assert float(t) == 2.5
    assert int(t) == 2
    assert bool(t) is True
    assert bool(Tensor(0.0)) is False
    assert Tensor(7).item() == 7 and isinstance(Tensor(7).item(), int)
    assert int(Tensor(np.array([[9]], np.int32))) == 9
    assert Tensor([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    assert Tensor([True, False]).tolist() == [True, False]
    np.testing.assert_allclose(Tensor([0.5, 1.5]).tolist(), [0.5, 1.5])


def test_scalar_conversion_of_many_elements_fails():
    t = Tensor([1.0, 2.0])
    with pytest.raises(ValueError):
        t.item()
    with pytest.raises(ValueError):
        bool(t)
    with pytest.raises((ValueError, TypeError)):
        float(t)


def test_astype_and_copy():
    t = Tensor([1.6, -2.4])
    i = t.astype(ms.int32)
    assert i.dtype == ms.int32
    np.testing.assert_array_equal(i.asnumpy(), np.array([1.6, -2.4], np.float32).astype(np.int32))
    c = t.copy()
    c[0] = 0.0
    assert t.asnumpy()[0] == np.float32(1.6)


def test_argmax_equality_sum_gives_numpy_int():
    pred = Tensor(np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], np.float32))
    label = Tensor(np.array([1, 0, 0], np.int32))
    assert pred.argmax(1).dtype == ms.int64
    n = (pred.argmax(1) == label).asnumpy().sum()
    assert isinstance(n, np.integer) and n == 2


# ---- type promotion ------------------------------------------------------------------------------

_I32 = Tensor(np.array([1, 2, 3], np.int32))
_I64 = Tensor(np.array([1, 2, 3], np.int64))
_F16 = Tensor(np.array([1, 2, 3], np.float16))
_F32 = Tensor(np.array([1, 2, 3], np.float32))
_F64 = Tensor(np.array([1, 2, 3], np.float64))
_BOOL = Tensor(np.array([True, False, True]))


@pytest.mark.parametrize(
    "expr, dtype, expected",
    [
        (lambda: _I32 + 1.5, ms.float32, [2.5, 3.5, 4.5]),
        (lambda: 1.5 + _I32, ms.float32, [2.5, 3.5, 4.5]),
        (lambda: _I32 * 0.5, ms.float32, [0.5, 1.0, 1.5]),
        (lambda: _I32 / _I32, ms.float32, [1.0, 1.0, 1.0]),
        (lambda: _I32 / 2, ms.float32, [0.5, 1.0, 1.5]),
        (lambda: 3 / _I32, ms.float32, [3.0, 1.5, 1.0]),
        (lambda: _I32 // 2, ms.int32, [0, 1, 1]),
        (lambda: _I32 * 2, ms.int32, [2, 4, 6]),
        (lambda: _I32 + 2, ms.int32, [3, 4, 5]),
        (lambda: 2 - _I32, ms.int32, [1, 0, -1]),
        (lambda: _I32 % 2, ms.int32, [1, 0, 1]),
        (lambda: _I32**2, ms.int32, [1, 4, 9]),
        (lambda: _I64 + 1, ms.int64, [2, 3, 4]),
        (lambda: _F16 + _F32, ms.float32, [2, 4, 6]),
        (lambda: _F32 + _F16, ms.float32, [2, 4, 6]),
        (lambda: _F32 + _F64, ms.float64, [2, 4, 6]),
        (lambda: _F64 * _F32, ms.float64, [1, 4, 9]),
        (lambda: _I32 + _F32, ms.float32, [2, 4, 6]),
        (lambda: _F32 * _I64, ms.float32, [1, 4, 9]),
        (lambda: _I64 - _F16, ms.float16, [0, 0, 0]),
        (lambda: _I32 + _I64, ms.int64, [2, 4, 6]),
        (lambda: _F16 + 1.0, ms.float16, [2, 3, 4]),
        (lambda: _F16 * 2, ms.float16, [2, 4, 6]),
        (lambda: _F32 + 1, ms.float32, [2, 3, 4]),
        (lambda: _BOOL + 1, ms.int64, [2, 1, 2]),
        (lambda: 1 + _BOOL, ms.int64, [2, 1, 2]),
        (lambda: _BOOL + 1.5, ms.float32, [2.5, 1.5, 2.5]),
        (lambda: _BOOL + _I32, ms.int32, [2, 2, 4]),
    ],
)
def test_type_promotion(expr, dtype, expected):
    r = expr()
    assert r.dtype == dtype, f"got {r.dtype}, expected {dtype}"
    np.testing.assert_allclose(r.asnumpy().astype(np.float64), np.asarray(expected, np.float64))


@pytest.mark.parametrize(
    "op", [operator.add, operator.sub, operator.mul, operator.truediv, operator.lt, operator.eq]
)
def test_tensor_with_ndarray_raises_type_error(op):
    t = Tensor(np.ones(3, np.float32))
    arr = np.ones(3, np.float32)
    with pytest.raises(TypeError):
        op(t, arr)
    with pytest.raises(TypeError):
        op(arr, t)


def test_tensor_plus_ndarray_message_mentions_numpy():
    with pytest.raises(TypeError, match="add"):
        Tensor([1.0]) + np.array([1.0])


# ---- arithmetic and comparison operators ---------------------------------------------------------

_A = np.array([[1.5, -2.0, 3.25], [0.5, 4.0, -1.0]], np.float32)
_B = np.array([[2.0, 0.5, -1.5], [3.0, -2.5, 2.0]], np.float32)

_BINARY = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "truediv": operator.truediv,
    "floordiv": operator.floordiv,
    "mod": operator.mod,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
    "eq": operator.eq,
    "ne": operator.ne,
}


@pytest.mark.parametrize("name", sorted(_BINARY))
def test_binary_operator_tensor_tensor(name):
    op = _BINARY[name]
    r = op(Tensor(_A), Tensor(_B))
    exp = op(_A, _B)
    assert isinstance(r, Tensor)
    assert r.dtype == ms.pytype_to_dtype(exp.dtype)
    np.testing.assert_allclose(r.asnumpy(), exp, rtol=1e-6)


@pytest.mark.parametrize("name", sorted(_BINARY))
@pytest.mark.parametrize("scalar", [2, 1.5, -3])
def test_binary_operator_with_python_scalar_both_sides(name, scalar):
    op = _BINARY[name]
    left = op(Tensor(_A), scalar)
    right = op(scalar, Tensor(_A))
    np.testing.assert_allclose(left.asnumpy(), op(_A, np.float32(scalar)), rtol=1e-6)
    np.testing.assert_allclose(right.asnumpy(), op(np.float32(scalar), _A), rtol=1e-6)
    if name in ("lt", "le", "gt", "ge", "eq", "ne"):
        assert left.dtype == ms.bool_ and right.dtype == ms.bool_
    else:
        assert left.dtype == ms.float32 and right.dtype == ms.float32


def test_pow_operators():
    x = np.array([0.5, 1.5, 2.0], np.float32)
    np.testing.assert_allclose((Tensor(x) ** 2).asnumpy(), x**2, rtol=1e-6)
    np.testing.assert_allclose((Tensor(x) ** 0.5).asnumpy(), x**0.5, rtol=1e-6)
    np.testing.assert_allclose((2 ** Tensor(x)).asnumpy(), 2**x, rtol=1e-6)
    np.testing.assert_allclose((Tensor(x) ** Tensor(x)).asnumpy(), x**x, rtol=1e-6)


def test_matmul_operator():
    rng = _rng()
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    np.testing.assert_allclose((Tensor(a) @ Tensor(b)).asnumpy(), a @ b, rtol=1e-12)
    v = rng.normal(size=3)
    np.testing.assert_allclose((Tensor(a) @ Tensor(v)).asnumpy(), a @ v, rtol=1e-12)


def test_unary_operators():
    x = np.array([[1.5, -2.0], [0.0, 3.0]], np.float32)
    np.testing.assert_array_equal((-Tensor(x)).asnumpy(), -x)
    np.testing.assert_array_equal((+Tensor(x)).asnumpy(), x)
    np.testing.assert_array_equal(abs(Tensor(x)).asnumpy(), np.abs(x))
    b = np.array([True, False])
    r = ~Tensor(b)
    assert r.dtype == ms.bool_
    np.testing.assert_array_equal(r.asnumpy(), ~b)


def test_integer_operators_match_numpy():
    a = np.array([7, -7, 9, -3], np.int32)
    b = np.array([2, 3, -4, 5], np.int32)
    ta, tb = Tensor(a), Tensor(b)
    np.testing.assert_array_equal((ta // tb).asnumpy(), a // b)
    np.testing.assert_array_equal((ta % tb).asnumpy(), a % b)
    np.testing.assert_array_equal((ta * tb).asnumpy(), a * b)
    np.testing.assert_array_equal((ta - tb).asnumpy(), a - b)
    assert (ta // tb).dtype == ms.int32


def test_bitwise_operators_on_bool():
    a, b = np.array([True, True, False]), np.array([True, False, False])
    np.testing.assert_array_equal((Tensor(a) & Tensor(b)).asnumpy(), a & b)
    np.testing.assert_array_equal((Tensor(a) | Tensor(b)).asnumpy(), a | b)
    np.testing.assert_array_equal((Tensor(a) ^ Tensor(b)).asnumpy(), a ^ b)


def test_broadcasting_in_operators():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    c = np.array([[10.0], [20.0]], np.float32)
    np.testing.assert_array_equal((Tensor(a) + Tensor(c)).asnumpy(), a + c)
    np.testing.assert_array_equal((Tensor(c) * Tensor(a[0])).asnumpy(), c * a[0])


def test_broadcast_failure_in_operator():
    with pytest.raises(ValueError) as exc:
        Tensor(np.ones((2, 3))) + Tensor(np.ones((4,)))
    msg = str(exc.value)
    assert "add" in msg and "(2, 3)" in msg and "(4,)" in msg


def test_inplace_operators():
    t = Tensor(np.array([1.0, 2.0], np.float32))
    ident = id(t)
    t += 1
    t *= 3
    t -= 2
    t /= 2
    assert id(t) == ident
    np.testing.assert_allclose(t.asnumpy(), ((np.array([1.0, 2.0]) + 1) * 3 - 2) / 2)


def test_comparison_with_none():
    t = Tensor([1.0])
    assert (t == None) is False  # noqa: E711
    assert (t != None) is True  # noqa: E711


_MX = np.array([[0.5, -1.0, 2.0], [1.0, 3.0, -0.5]], np.float32)

_METHODS = {
    "tanh": (lambda t: t.tanh(), lambda x: np.tanh(x)),
    "sin": (lambda t: t.sin(), lambda x: np.sin(x)),
    "sum": (lambda t: t.sum(), lambda x: x.sum()),
    "sum_axis": (lambda t: t.sum(1), lambda x: x.sum(1)),
    "mean": (lambda t: t.mean(), lambda x: x.mean()),
    "max": (lambda t: t.max(), lambda x: x.max()),
    "argmax": (lambda t: t.argmax(1), lambda x: x.argmax(1)),
    "reshape_args": (lambda t: t.reshape(3, 2), lambda x: x.reshape(3, 2)),
    "reshape_tuple": (lambda t: t.reshape((3, 2)), lambda x: x.reshape(3, 2)),
    "view": (lambda t: t.view(6), lambda x: x.reshape(6)),
    "transpose": (lambda t: t.transpose(), lambda x: x.T),
    "transpose_perm": (lambda t: t.transpose(1, 0), lambda x: x.T),
    "T": (lambda t: t.T, lambda x: x.T),
    "expand_dims": (lambda t: t.expand_dims(0), lambda x: x[None]),
    "squeeze": (lambda t: t.reshape(1, 2, 1, 3).squeeze(), lambda x: x),
}


@pytest.mark.parametrize("name", sorted(_METHODS))
def test_tensor_method_forms(name):
    # spec 3, "Methods used in tutorials and tests".
    method, ref = _METHODS[name]
    r = method(Tensor(_MX))
    exp = ref(_MX)
    assert isinstance(r, Tensor)
    assert r.shape == np.shape(exp)
    np.testing.assert_allclose(r.asnumpy(), exp, rtol=1e-6)


def test_tensor_argmax_method_is_int64():
    assert Tensor(_MX).argmax(1).dtype == ms.int64


# ---- indexing ---------------------------------------------------------------------------------

_X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
_MASK1 = np.array([True, False])
_MASK2 = np.array([[True, False, True], [False, True, False]])

_INDICES = {
    "int": 1,
    "neg_int": -1,
    "int_pair": (1, 2),
    "int_triple": (1, 1, 2),
    "neg_triple": (-1, -2, -3),
    "slice": slice(0, 1),
    "slice_step": (slice(None), slice(None, None, 2)),
    "neg_slice": (slice(None), slice(-2, None)),
    "reverse_slice": (slice(None), slice(None, None, -1)),
    "ellipsis": (Ellipsis, 0),
    "ellipsis_mid": (0, Ellipsis, slice(1, 3)),
    "none": None,
    "none_mid": (slice(None), None, 1),
    "int_slice": (1, slice(1, None)),
    "slice_int_slice": (slice(None), 1, slice(0, 2)),
    "mask1": "mask1",
    "mask2": "mask2",
    "mask_full": "mask_full",
    "int_tensor": "int_tensor",
    "int_tensor_2d": "int_tensor_2d",
    "int_tensor_axis1": "int_tensor_axis1",
    "two_int_tensors": "two_int_tensors",
    "int_tensor_ellipsis": "int_tensor_ellipsis",
    "list": [1, 0, 1],
    "negative_int_tensor": "negative_int_tensor",
}


def _materialise(key, as_tensor):
    wrap = Tensor if as_tensor else (lambda a: a)
    if key == "mask1":
        return wrap(_MASK1)
    if key == "mask2":
        return wrap(_MASK2)
    if key == "mask_full":
        return wrap(_X > 10)
    if key == "int_tensor":
        return wrap(np.array([1, 0, 1], np.int32))
    if key == "int_tensor_2d":
        return wrap(np.array([[0, 1], [1, 1]], np.int64))
    if key == "int_tensor_axis1":
        return (slice(None), wrap(np.array([2, 0], np.int32)))
    if key == "two_int_tensors":
        return (wrap(np.array([0, 1, 1], np.int32)), wrap(np.array([2, 0, 1], np.int32)))
    if key == "int_tensor_ellipsis":
        return (Ellipsis, wrap(np.array([3, 0], np.int32)))
    if key == "negative_int_tensor":
        return (slice(None), wrap(np.array([-1, -3], np.int64)))
    return _INDICES[key]


@pytest.mark.parametrize("key", sorted(_INDICES))
def test_getitem_matches_numpy(key):
    ms_idx = _materialise(key, True) if isinstance(_INDICES[key], str) else _INDICES[key]
    np_idx = _materialise(key, False) if isinstance(_INDICES[key], str) else _INDICES[key]
    r = Tensor(_X)[ms_idx]
    exp = _X[np_idx]
    assert isinstance(r, Tensor)
    assert r.shape == exp.shape
    assert r.dtype == ms.float32
    np.testing.assert_array_equal(r.asnumpy(), exp)


def test_scalar_index_gives_0d_tensor():
    m = Tensor(np.array([[0.0, 1.0], [2.0, 3.0]], np.float32))
    r = m[1, 1]
    assert isinstance(r, Tensor) and r.shape == ()
    assert str(r) == "3.0"
    assert Tensor([10, 20, 30])[-1].item() == 30


def test_float_index_raises_index_error_naming_getitem():
    t = Tensor(np.arange(4.0))
    with pytest.raises(IndexError, match="getitem"):
        t[1.5]
    with pytest.raises(IndexError, match="getitem"):
        t[Tensor(np.array([0.0, 1.0]))]
    with pytest.raises(IndexError, match="getitem"):
        t[0.5:2]


def test_out_of_range_index_raises():
    with pytest.raises(IndexError):
        Tensor(np.arange(4.0))[4]


def test_iteration_yields_rows():
    t = Tensor(np.arange(6).reshape(3, 2))
    rows = list(t)
    assert len(rows) == 3 and all(isinstance(r, Tensor) for r in rows)
    np.testing.assert_array_equal(rows[2].asnumpy(), [4, 5])


# ---- differentiable indexing --------------------------------------------------------------------


def test_grad_through_repeated_int_tensor_index_accumulates():
    x = Tensor(np.arange(5, dtype=np.float64))
    idx = Tensor(np.array([0, 2, 2, 4, 2], np.int32))
    g = ms.grad(lambda v: ops.sum(v[idx] * Tensor(np.array([1.0, 2, 3, 4, 5]))))(x)
    np.testing.assert_allclose(g.asnumpy(), [1.0, 0.0, 2 + 3 + 5, 0.0, 4.0])


@pytest.mark.parametrize(
    "index",
    [1, (slice(None), 2), (Ellipsis, slice(1, 3)), (None, 0), "mask", "ints", "two_ints"],
)
def test_grad_of_getitem_matches_central_differences(index):
    rng = _rng(1)
    x = rng.normal(size=(3, 4))
    if index == "mask":
        index = Tensor(x > 0)
    elif index == "ints":
        index = Tensor(np.array([2, 0, 2], np.int64))
    elif index == "two_ints":
        index = (Tensor(np.array([0, 1, 1])), Tensor(np.array([3, 3, 0])))
    w = rng.normal(size=np.asarray(x[_np_index(index)]).shape)

    def f(t):
        return (
            ops.sum(t[index] * Tensor(w))
            if isinstance(t, Tensor)
            else float((t[_np_index(index)] * w).sum())
        )

    g = ms.grad(f)(Tensor(x))
    np.testing.assert_allclose(g.asnumpy(), _num_grad(f, x), rtol=1e-6, atol=1e-8)


def _np_index(index):
    if isinstance(index, Tensor):
        return index.asnumpy()
    if isinstance(index, tuple):
        return tuple(i.asnumpy() if isinstance(i, Tensor) else i for i in index)
    return index


# ---- item assignment ---------------------------------------------------------------------------


def test_setitem_int_slice_and_scalar():
    t = Tensor(np.zeros((2, 3), np.float32))
    t[0, 1] = 5.0
    t[:, 2] = -1.0
    exp = np.zeros((2, 3), np.float32)
    exp[0, 1] = 5.0
    exp[:, 2] = -1.0
    np.testing.assert_array_equal(t.asnumpy(), exp)
    assert t.dtype == ms.float32


def test_setitem_tensor_value_and_mask():
    t = Tensor(np.zeros((2, 3), np.float32))
    t[1] = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
    t[t > 1.5] = 9.0
    np.testing.assert_array_equal(t.asnumpy(), [[0, 0, 0], [1, 9, 9]])
    t[Tensor(np.array([True, False]))] = Tensor(np.array([4.0, 5.0, 6.0], np.float32))
    np.testing.assert_array_equal(t.asnumpy(), [[4, 5, 6], [1, 9, 9]])


def test_setitem_int_tensor_index_and_list_value():
    t = Tensor(np.arange(5, dtype=np.float32))
    t[Tensor(np.array([0, 3], np.int32))] = Tensor(np.array([-1.0, -2.0], np.float32))
    t[4] = 10
    np.testing.assert_array_equal(t.asnumpy(), [-1, 1, 2, -2, 10])
    t[1:3] = [7.0, 8.0]
    np.testing.assert_array_equal(t.asnumpy(), [-1, 7, 8, -2, 10])


def test_setitem_keeps_int_dtype():
    i = Tensor(np.array([1, 2, 3], np.int32))
    i[0] = 7
    assert i.dtype == ms.int32
    np.testing.assert_array_equal(i.asnumpy(), [7, 2, 3])
    i[1] = Tensor(np.array(5.9, np.float64))
    assert i.dtype == ms.int32
    assert i.asnumpy()[1] == 5


def test_grad_through_setitem_wrt_tensor_and_value():
    rng = _rng(2)
    x0 = rng.normal(size=(3, 4))
    v0 = rng.normal(size=(4,))
    w = rng.normal(size=(3, 4))

    def f(x, v):
        y = x * 2.0
        y[1] = v * 3.0
        return ops.sum(y * Tensor(w))

    gx, gv = ms.grad(f, grad_position=(0, 1))(Tensor(x0), Tensor(v0))
    exp_gx = 2.0 * w
    exp_gx[1] = 0.0
    np.testing.assert_allclose(gx.asnumpy(), exp_gx, rtol=1e-12)
    np.testing.assert_allclose(gv.asnumpy(), 3.0 * w[1], rtol=1e-12)


def test_grad_through_masked_setitem():
    rng = _rng(3)
    x0 = rng.normal(size=(2, 5))
    mask = Tensor(x0 > 0)
    w = rng.normal(size=(2, 5))

    def f(x):
        y = x * 1.0
        y[mask] = 0.0
        return ops.sum(y * Tensor(w))

    g = ms.grad(f)(Tensor(x0))
    np.testing.assert_allclose(g.asnumpy(), np.where(x0 > 0, 0.0, w))


def test_grad_through_setitem_broadcast_value():
    # A 0-d Tensor value written into a slice broadcasts; its gradient sums over the slice.
    w = np.arange(6.0).reshape(2, 3)

    def f(x, v):
        y = x * 1.0
        y[:, 1:] = v
        return ops.sum(y * Tensor(w))

    gx, gv = ms.grad(f, grad_position=(0, 1))(Tensor(np.ones((2, 3))), Tensor(np.array(2.0)))
    np.testing.assert_allclose(gx.asnumpy(), [[0, 0, 0], [3, 0, 0]])
    assert gv.shape == ()
    np.testing.assert_allclose(gv.asnumpy(), w[:, 1:].sum())


# ---- printing basics -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arr",
    [
        np.ones(3, np.float32),
        np.array(1.3423151, np.float32),
        np.arange(6).reshape(2, 3),
        np.array([True, False]),
        np.linspace(-1, 1, 5),
    ],
)
def test_str_is_numpy_str(arr):
    assert str(Tensor(arr)) == str(arr)


def test_repr_basics():
    t = Tensor(np.array([[1.0, -2.0, 0.5], [3.0, 4.0, -5.0]], np.float32))
    r = repr(t)
    assert r.startswith("Tensor(shape=[2, 3], dtype=Float32, value=\n")
    assert " 1.00000000e+00" in r and "-2.00000000e+00" in r and " 5.00000000e-01" in r
    assert re.search(r"\[\[ 1\.00000000e\+00, -2\.00000000e\+00,  5\.00000000e-01\]", r)
    assert r.endswith(")")
    one_d = repr(Tensor(np.array([3.0, -1.0], np.float32)))
    assert one_d == "Tensor(shape=[2], dtype=Float32, value= [ 3.00000000e+00, -1.00000000e+00])"
    assert (
        repr(Tensor(np.array([1, 2], np.int64))) == "Tensor(shape=[2], dtype=Int64, value= [1, 2])"
    )
    assert repr(Tensor(2)) == "Tensor(shape=[], dtype=Int64, value= 2)"


def test_repr_in_tuple():
    a, b = Tensor([1]), Tensor([2])
    assert repr((a, b)) == f"({repr(a)}, {repr(b)})"


def test_format_with_spec():
    # One-element tensors take number formats (MindSpore raises; docs/differences.md row 26);
    # larger tensors raise TypeError.
    assert format(Tensor(1.5), ">7f") == "1.500000"
    with pytest.raises(TypeError):
        format(Tensor([1.5, 2.0]), ">7f")


# ---- dtype objects -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dt, s, r",
    [
        (ms.float32, "Float32", "mindspore.float32"),
        (ms.int64, "Int64", "mindspore.int64"),
        (ms.bool_, "Bool", "mindspore.bool"),
        (ms.uint8, "UInt8", "mindspore.uint8"),
        (ms.float16, "Float16", "mindspore.float16"),
        (ms.float64, "Float64", "mindspore.float64"),
        (ms.int32, "Int32", "mindspore.int32"),
    ],
)
def test_dtype_str_repr(dt, s, r):
    assert str(dt) == s
    assert repr(dt) == r


def test_dtype_module_and_aliases():
    assert ms.dtype.float32 is ms.float32
    assert ms.float64 is ms.double and ms.float16 is ms.half and ms.float32 is ms.single
    assert ms.dtype_to_nptype(ms.int32) is np.int32
    assert ms.pytype_to_dtype(int) == ms.int64
    assert ms.pytype_to_dtype(float) == ms.float32
    assert str(Tensor([1.0]).dtype) == "Float32"
    assert Tensor([1.0]).dtype != ms.float64


# ---- Parameter / ParameterTuple -----------------------------------------------------------


def test_parameter_is_tensor_and_arithmetic_is_plain_tensor():
    p = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="w")
    assert isinstance(p, Tensor) and isinstance(p, Parameter)
    q = p + 1
    assert type(q) is Tensor
    np.testing.assert_array_equal(q.asnumpy(), [2.0, 3.0])
    v = p.value()
    assert type(v) is Tensor
    np.testing.assert_array_equal(v.asnumpy(), [1.0, 2.0])
    assert type(p * p) is Tensor and type(-p) is Tensor and type(p[0]) is Tensor


def test_parameter_repr_and_str():
    p = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="w")
    exp = "Parameter (name=w, shape=(2,), dtype=Float32, requires_grad=True)"
    assert repr(p) == exp
    assert str(p) == exp
    p2 = Parameter(Tensor(np.zeros((3, 2), np.int32)), name="b", requires_grad=False)
    assert repr(p2) == "Parameter (name=b, shape=(3, 2), dtype=Int32, requires_grad=False)"


def test_parameter_default_names_unique():
    ps = [Parameter(Tensor([1.0])) for _ in range(5)]
    names = [p.name for p in ps]
    assert len(set(names)) == 5
    assert all(re.fullmatch(r"Parameter#\d+", n) for n in names)


def test_parameter_explicit_name_and_bad_name():
    assert Parameter(Tensor([1.0]), name="bias").name == "bias"
    with pytest.raises(TypeError):
        Parameter(Tensor([1.0]), name=3)


def test_parameter_from_numpy_and_number():
    p = Parameter(np.array([1, 2], np.int32), name="i")
    assert p.dtype == ms.int32
    p2 = Parameter(2.0, name="s")
    assert p2.dtype == ms.float32 and p2.shape == ()


def test_parameter_copies_its_input():
    t = Tensor(np.array([1.0, 2.0], np.float32))
    p = Parameter(t, name="w")
    t[0] = 9.0
    assert p.asnumpy()[0] == 1.0


def test_parameter_set_data():
    p = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="w")
    out = p.set_data(Tensor(np.array([5.0, 6.0], np.float32)))
    assert out is p
    np.testing.assert_array_equal(p.asnumpy(), [5.0, 6.0])
    assert p.dtype == ms.float32
    p.set_data(Tensor(np.array([1, 2], np.int64)))  # keeps its dtype
    assert p.dtype == ms.float32
    np.testing.assert_array_equal(p.asnumpy(), [1.0, 2.0])
    with pytest.raises(ValueError) as exc:
        p.set_data(Tensor(np.zeros((3,), np.float32)))
    assert "(3,)" in str(exc.value) and "(2,)" in str(exc.value)


def test_parameter_clone_keeps_name_and_copies():
    p = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="w", requires_grad=False)
    c = p.clone()
    assert isinstance(c, Parameter) and c is not p
    assert c.name == "w" and c.requires_grad is False
    c.set_data(Tensor(np.array([3.0, 4.0], np.float32)))
    np.testing.assert_array_equal(p.asnumpy(), [1.0, 2.0])


def test_parameter_requires_grad_settable():
    p = Parameter(Tensor([1.0]), name="w")
    assert p.requires_grad is True
    p.requires_grad = False
    assert p.requires_grad is False
    assert "requires_grad=False" in repr(p)


def test_assign_updates_parameter_in_place():
    p = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="w")
    view = p.asnumpy()
    ops.assign(p, Tensor(np.array([3.0, 4.0], np.float32)))
    np.testing.assert_array_equal(p.asnumpy(), [3.0, 4.0])
    np.testing.assert_array_equal(view, [3.0, 4.0])


def test_parameter_tuple():
    a = Parameter(Tensor([1.0]), name="a")
    b = Parameter(Tensor([2.0]), name="b")
    pt = ParameterTuple([a, b])
    assert isinstance(pt, tuple) and len(pt) == 2 and pt[0] is a and pt[1] is b


def test_parameter_tuple_duplicate_names_raise():
    a = Parameter(Tensor([1.0]), name="a")
    a2 = Parameter(Tensor([2.0]), name="a")
    with pytest.raises(ValueError, match="its name 'a' already exists"):
        ParameterTuple([a, a2])


def test_grad_wrt_parameter_weights():
    w = Parameter(Tensor(np.array([1.0, -2.0, 0.5])), name="w")
    x = Tensor(np.array([3.0, 4.0, 5.0]))

    def f(x):
        return ops.sum(x * w * w)

    gw = ms.grad(f, grad_position=None, weights=[w])(x)
    assert isinstance(gw, tuple) and len(gw) == 1
    np.testing.assert_allclose(gw[0].asnumpy(), 2 * x.asnumpy() * w.asnumpy())


# ---- context -----------------------------------------------------------------------------------


def test_context_mode_and_device():
    assert ms.PYNATIVE_MODE == 1 and ms.GRAPH_MODE == 0
    old = ms.get_context("mode")
    try:
        ms.set_context(mode=ms.GRAPH_MODE)
        assert ms.get_context("mode") == 0
    finally:
        ms.set_context(mode=old)
    assert ms.get_context("device_target") == "CPU"
    with pytest.raises(ValueError):
        ms.set_context(mode=5)


def test_set_seed_get_seed():
    ms.set_seed(7)
    assert ms.get_seed() == 7
    with pytest.raises(ValueError):
        ms.set_seed(-1)
