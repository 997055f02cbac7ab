"""`minispore.ops` shape manipulation: reshape, transpose, squeeze, concat/stack/split/chunk, tile,
pad (PyTorch order: last axis first), gather/index_select, masked_fill, one_hot, ... against NumPy,
gradients of the composite ops against central differences, and error messages."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, ops
from tests.helpers import num_grad as _num_grad
from tests.helpers import rng as _rng


def _as_list(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _check_grad(op, x, seed=0):
    """grad of sum_k <op(x)_k, w_k> against central differences (op may return a tuple)."""
    x = np.asarray(x, dtype=np.float64)
    outs = [o.asnumpy() for o in _as_list(op(Tensor(x)))]
    rng = _rng(seed + 100)
    ws = [rng.normal(size=o.shape) for o in outs]

    def scalar(xv):
        return float(
            sum(np.sum(o.asnumpy() * w) for o, w in zip(_as_list(op(Tensor(xv))), ws, strict=True))
        )

    def loss(t):
        total = None
        for o, w in zip(_as_list(op(t)), ws, strict=True):
            s = ops.sum(o * Tensor(w))
            total = s if total is None else total + s
        return total

    g = ms.grad(loss)(Tensor(x))
    assert g.shape == x.shape and g.dtype == ms.float64
    np.testing.assert_allclose(g.asnumpy(), _num_grad(scalar, x), rtol=1e-6, atol=1e-8)


_X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


# ---- reshape family ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape", [(6, 4), (4, -1), (-1,), (2, 12), (1, 2, 3, 4), 24, (3, 2, 4), [4, 6]]
)
def test_reshape(shape):
    r = ops.reshape(Tensor(_X), shape)
    exp = _X.reshape(shape)
    assert r.shape == exp.shape
    np.testing.assert_array_equal(r.asnumpy(), exp)


@pytest.mark.parametrize("shape", [(5, 5), (7, -1), (-1, -1), (4, 2), (-2, 12)])
def test_reshape_incompatible_raises(shape):
    with pytest.raises(ValueError) as exc:
        ops.reshape(Tensor(_X), shape)
    msg = str(exc.value)
    assert "reshape" in msg and "(2, 3, 4)" in msg


@pytest.mark.parametrize("perm", [(0, 1, 2), (2, 1, 0), (1, 0, 2), (0, 2, 1), (-1, 0, 1)])
def test_transpose_permute(perm):
    exp = np.transpose(_X, perm)
    np.testing.assert_array_equal(ops.transpose(Tensor(_X), perm).asnumpy(), exp)
    np.testing.assert_array_equal(ops.permute(Tensor(_X), perm).asnumpy(), exp)


def test_transpose_bad_perm():
    with pytest.raises(ValueError, match="transpose"):
        ops.transpose(Tensor(_X), (0, 0, 1))
    with pytest.raises(ValueError, match="transpose"):
        ops.transpose(Tensor(_X), (0, 1))


@pytest.mark.parametrize("a, b", [(0, 1), (0, 2), (-1, 0), (1, 1)])
def test_swapaxes(a, b):
    np.testing.assert_array_equal(ops.swapaxes(Tensor(_X), a, b).asnumpy(), np.swapaxes(_X, a, b))


@pytest.mark.parametrize("axis", [0, 1, 3, -1, -4])
def test_expand_dims_unsqueeze(axis):
    exp = np.expand_dims(_X, axis)
    np.testing.assert_array_equal(ops.expand_dims(Tensor(_X), axis).asnumpy(), exp)
    np.testing.assert_array_equal(ops.unsqueeze(Tensor(_X), axis).asnumpy(), exp)
    assert ops.expand_dims(Tensor(_X), axis).shape == exp.shape


def test_expand_dims_out_of_range():
    with pytest.raises(ValueError, match="expand_dims"):
        ops.expand_dims(Tensor(_X), 4)


@pytest.mark.parametrize("axis", [None, 0, 2, (0, 2), -1])
def test_squeeze(axis):
    x = np.arange(6.0).reshape(1, 2, 1, 3, 1)
    ax = 4 if axis == -1 else axis
    exp = np.squeeze(x, axis=ax)
    r = ops.squeeze(Tensor(x), axis)
    assert r.shape == exp.shape
    np.testing.assert_array_equal(r.asnumpy(), exp)


def test_squeeze_non_unit_axis_raises():
    with pytest.raises(ValueError, match="squeeze"):
        ops.squeeze(Tensor(np.ones((1, 2))), 1)


@pytest.mark.parametrize("start, end", [(1, -1), (0, -1), (0, 1), (1, 2), (2, 2)])
def test_flatten(start, end):
    r = ops.flatten(Tensor(_X), start_dim=start, end_dim=end)
    e = end % 3
    exp_shape = _X.shape[:start] + (int(np.prod(_X.shape[start : e + 1])),) + _X.shape[e + 1 :]
    np.testing.assert_array_equal(r.asnumpy(), _X.reshape(exp_shape))
    assert ops.flatten(Tensor(np.array(3.0))).shape == (1,)
    assert ops.flatten(Tensor(_X)).shape == (2, 12)


@pytest.mark.parametrize("dims", [0, 1, (0, 2), (-1,), (0, 1, 2)])
def test_flip(dims):
    np.testing.assert_array_equal(ops.flip(Tensor(_X), dims).asnumpy(), np.flip(_X, dims))


def test_narrow():
    np.testing.assert_array_equal(ops.narrow(Tensor(_X), 2, 1, 2).asnumpy(), _X[:, :, 1:3])
    np.testing.assert_array_equal(ops.narrow(Tensor(_X), 0, 1, 1).asnumpy(), _X[1:2])


@pytest.mark.parametrize("start, length", [(-2, 2), (2, 5), (4, 1)])
def test_narrow_out_of_range_is_not_silent(start, length):
    # A negative start or a window past the end must either follow PyTorch (start counts from
    # the end) or raise; it must not return a silently truncated/empty tensor.
    x = np.arange(12.0).reshape(3, 4)
    try:
        r = ops.narrow(Tensor(x), 1, start, length)
    except (ValueError, IndexError):
        return
    s0 = start % 4
    assert s0 + length <= 4, f"narrow({start}, {length}) on length 4 returned shape {r.shape}"
    np.testing.assert_array_equal(r.asnumpy(), x[:, s0 : s0 + length])


def test_shape_rank_size():
    assert ops.shape(Tensor(_X)) == (2, 3, 4)
    assert ops.rank(Tensor(_X)) == 3
    assert ops.size(Tensor(_X)) == 24
    assert ops.rank(Tensor(1.0)) == 0


@pytest.mark.parametrize(
    "src, shape",
    [((3,), (2, 3)), ((3, 1), (3, 4)), ((1,), (2, 2)), ((2, 1), (3, 2, 5)), ((), (2,))],
)
def test_broadcast_to(src, shape):
    x = np.arange(int(np.prod(src)), dtype=np.float64).reshape(src)
    np.testing.assert_array_equal(
        ops.broadcast_to(Tensor(x), shape).asnumpy(), np.broadcast_to(x, shape)
    )


def test_broadcast_to_minus_one_and_error():
    x = np.arange(3.0).reshape(3, 1)
    np.testing.assert_array_equal(
        ops.broadcast_to(Tensor(x), (-1, 4)).asnumpy(), np.broadcast_to(x, (3, 4))
    )
    with pytest.raises(ValueError) as exc:
        ops.broadcast_to(Tensor(np.ones(3)), (2, 4))
    assert "broadcast_to" in str(exc.value) and "(3,)" in str(exc.value)


@pytest.mark.parametrize("dims", [(2,), (2, 1), (1, 3), (2, 2, 2), (3, 1, 1, 2)])
def test_tile(dims):
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(ops.tile(Tensor(x), dims).asnumpy(), np.tile(x, dims))


def test_cast():
    x = np.array([1.7, -2.5, 0.0])
    r = ops.cast(Tensor(x), ms.int32)
    assert r.dtype == ms.int32
    np.testing.assert_array_equal(r.asnumpy(), x.astype(np.int32))
    assert ops.cast(Tensor(x), ms.float16).dtype == ms.float16
    b = ops.cast(Tensor(x), ms.bool_)
    np.testing.assert_array_equal(b.asnumpy(), x.astype(bool))


# ---- joining and splitting -------------------------------------------------------------------


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_concat_cat(axis):
    rng = _rng(1)
    shapes = [list(_X.shape) for _ in range(3)]
    for k, s in enumerate(shapes):
        s[axis] = k + 1
    arrs = [rng.normal(size=s) for s in shapes]
    exp = np.concatenate(arrs, axis=axis)
    np.testing.assert_array_equal(ops.concat([Tensor(a) for a in arrs], axis).asnumpy(), exp)
    np.testing.assert_array_equal(ops.cat(tuple(Tensor(a) for a in arrs), axis=axis).asnumpy(), exp)


def test_concat_promotes_dtypes_and_single():
    r = ops.concat([Tensor(np.array([1, 2], np.int32)), Tensor(np.array([0.5], np.float32))])
    assert r.dtype == ms.float32
    np.testing.assert_array_equal(r.asnumpy(), [1.0, 2.0, 0.5])
    np.testing.assert_array_equal(ops.concat([Tensor(_X)]).asnumpy(), _X)


def test_concat_mismatched_shapes_raises():
    with pytest.raises(ValueError) as exc:
        ops.concat([Tensor(np.ones((2, 3))), Tensor(np.ones((2, 4)))])
    msg = str(exc.value)
    assert "concat" in msg and "(2, 3)" in msg and "(2, 4)" in msg
    with pytest.raises(ValueError, match="concat"):
        ops.concat([Tensor(np.ones((2, 3))), Tensor(np.ones((3,)))], 0)
    with pytest.raises(TypeError, match="concat"):
        ops.concat(Tensor(np.ones((2, 3))))
    with pytest.raises(ValueError, match="concat"):
        ops.concat([Tensor(np.ones((2, 3)))], 2)


@pytest.mark.parametrize("axis", [0, 1, 3, -1, -4])
def test_stack(axis):
    arrs = [_X + k for k in range(3)]
    exp = np.stack(arrs, axis=axis)
    r = ops.stack([Tensor(a) for a in arrs], axis)
    assert r.shape == exp.shape
    np.testing.assert_array_equal(r.asnumpy(), exp)


def test_stack_errors():
    with pytest.raises(ValueError) as exc:
        ops.stack([Tensor(np.ones((2, 3))), Tensor(np.ones((3, 2)))])
    assert "stack" in str(exc.value) and "(2, 3)" in str(exc.value) and "(3, 2)" in str(exc.value)
    with pytest.raises(ValueError, match="stack"):
        ops.stack([Tensor(np.ones(2))], 2)


@pytest.mark.parametrize(
    "arg, axis, sizes",
    [
        (2, 0, [2, 2, 1]),
        (1, 0, [1, 1, 1, 1, 1]),
        (5, 0, [5]),
        (3, 1, [3, 2]),
        ([1, 4], 1, [1, 4]),
        ((2, 2, 1), 0, [2, 2, 1]),
        (2, -1, [2, 2]),
    ],
)
def test_split(arg, axis, sizes):
    x = np.arange(5 * 4 * 4, dtype=np.float64).reshape(5, 4, 4)
    if axis == 1:
        x = np.arange(5 * 5 * 4, dtype=np.float64).reshape(5, 5, 4)
    if axis == -1:
        x = x[:, :, :4]
    parts = ops.split(Tensor(x), arg, axis)
    assert isinstance(parts, tuple)
    assert [p.shape[axis] for p in parts] == sizes
    np.testing.assert_array_equal(np.concatenate([p.asnumpy() for p in parts], axis=axis), x)
    exp = np.split(x, np.cumsum(sizes)[:-1], axis=axis)
    for p, e in zip(parts, exp, strict=True):
        np.testing.assert_array_equal(p.asnumpy(), e)


def test_split_errors():
    with pytest.raises(ValueError, match="split"):
        ops.split(Tensor(np.ones(5)), [2, 2])
    with pytest.raises(ValueError, match="split"):
        ops.split(Tensor(np.ones(5)), 0)
    with pytest.raises(TypeError, match="split"):
        ops.split(Tensor(np.ones(5)), 1.5)


@pytest.mark.parametrize(
    "n, chunks, exp_sizes",
    [(6, 3, [2, 2, 2]), (7, 3, [3, 3, 1]), (5, 2, [3, 2]), (3, 5, [1, 1, 1])],
)
def test_chunk(n, chunks, exp_sizes):
    x = np.arange(n * 2.0).reshape(n, 2)
    parts = ops.chunk(Tensor(x), chunks)
    assert [p.shape[0] for p in parts] == exp_sizes
    np.testing.assert_array_equal(np.concatenate([p.asnumpy() for p in parts]), x)
    parts1 = ops.chunk(Tensor(x.T), chunks, axis=1)
    assert [p.shape[1] for p in parts1] == exp_sizes


# ---- pad ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "padding, np_width",
    [
        ((1, 2), ((0, 0), (0, 0), (1, 2))),
        ((1, 0, 0, 2), ((0, 0), (0, 2), (1, 0))),
        ((0, 1, 2, 0, 1, 1), ((1, 1), (2, 0), (0, 1))),
        ((0, 0), ((0, 0), (0, 0), (0, 0))),
    ],
)
@pytest.mark.parametrize("value", [None, 0.0, -3.5])
def test_pad_last_axis_first(padding, np_width, value):
    r = ops.pad(Tensor(_X), padding, value=value)
    exp = np.pad(_X, np_width, constant_values=0 if value is None else value)
    assert r.shape == exp.shape
    assert r.dtype == ms.float32
    np.testing.assert_array_equal(r.asnumpy(), exp)


def test_pad_errors():
    with pytest.raises(ValueError, match="pad"):
        ops.pad(Tensor(_X), (1, 2, 3))
    with pytest.raises(ValueError, match="pad"):
        ops.pad(Tensor(np.ones(3)), (1, 1, 1, 1))
    with pytest.raises(ValueError, match="pad"):
        ops.pad(Tensor(np.ones(3)), (1, 1), mode="reflectx")


# ---- gather family --------------------------------------------------------------------------


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
@pytest.mark.parametrize("idx_shape", [(2,), (2, 2), ()])
def test_gather(axis, idx_shape):
    n = _X.shape[axis]
    idx = _rng(2).integers(0, n, size=idx_shape).astype(np.int32)
    r = ops.gather(Tensor(_X), Tensor(idx), axis)
    exp = np.take(_X, idx, axis=axis)
    assert r.shape == exp.shape
    np.testing.assert_array_equal(r.asnumpy(), exp)


def test_gather_out_of_bounds_and_float_indices():
    with pytest.raises(IndexError, match="gather"):
        ops.gather(Tensor(_X), Tensor(np.array([0, 3], np.int32)), 0)
    with pytest.raises(TypeError, match="gather"):
        ops.gather(Tensor(_X), Tensor(np.array([0.0, 1.0])), 0)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_index_select(axis):
    n = _X.shape[axis]
    idx = np.array([n - 1, 0, n - 1], np.int64)
    np.testing.assert_array_equal(
        ops.index_select(Tensor(_X), axis, Tensor(idx)).asnumpy(), np.take(_X, idx, axis=axis)
    )


def test_index_select_needs_1d_index():
    with pytest.raises(ValueError, match="index_select"):
        ops.index_select(Tensor(_X), 0, Tensor(np.zeros((1, 1), np.int32)))


def test_masked_fill():
    x = _rng(3).normal(size=(3, 4)).astype(np.float32)
    m = x > 0.2
    r = ops.masked_fill(Tensor(x), Tensor(m), -1.0)
    assert r.dtype == ms.float32
    np.testing.assert_array_equal(r.asnumpy(), np.where(m, np.float32(-1.0), x))
    row = np.array([True, False, False, True])  # broadcast mask
    np.testing.assert_array_equal(
        ops.masked_fill(Tensor(x), Tensor(row), Tensor(np.array(5.0, np.float32))).asnumpy(),
        np.where(row, np.float32(5.0), x),
    )
    with pytest.raises(TypeError, match="masked_fill"):
        ops.masked_fill(Tensor(x), Tensor(m.astype(np.int32)), 0.0)


def test_masked_fill_keeps_input_dtype():
    # MindSpore: the result "has the same type and shape as input_x"; the value is cast to it.
    x = Tensor(np.array([1, 2, 3], np.int32))
    r = ops.masked_fill(x, Tensor(np.array([True, False, True])), 2.5)
    assert r.dtype == ms.int32
    np.testing.assert_array_equal(r.asnumpy(), [2, 2, 2])


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_one_hot(axis):
    idx = np.array([[0, 2], [1, 3]], np.int32)
    r = ops.one_hot(
        Tensor(idx), 4, Tensor(np.array(1.0, np.float32)), Tensor(np.array(0.0, np.float32)), axis
    )
    exp = np.moveaxis(np.eye(4, dtype=np.float32)[idx], -1, axis)
    assert r.dtype == ms.float32
    assert r.shape == exp.shape
    np.testing.assert_array_equal(r.asnumpy(), exp)


def test_one_hot_python_values():
    r = ops.one_hot(Tensor(np.array([1, 0])), 3, 5.0, -1.0)
    np.testing.assert_array_equal(r.asnumpy(), [[-1, 5, -1], [5, -1, -1]])
    assert r.dtype == ms.float32


# ---- gradients ---------------------------------------------------------------------------------

_GRADS = {
    "tile": lambda t: ops.tile(t, (2, 1, 3)),
    "tile_more_dims": lambda t: ops.tile(t, (2, 1, 1, 2)),
    "split_int": lambda t: ops.split(t, 2, 2),
    "split_sections": lambda t: ops.split(t, [1, 2], 1),
    "chunk": lambda t: ops.chunk(t, 2, -1),
    "stack": lambda t: ops.stack([t, t * 2.0, ops.sin(t)], 1),
    "concat": lambda t: ops.concat([t, t * t], -1),
    "pad": lambda t: ops.pad(t, (1, 2, 0, 1), value=0.5),
    "pad_3axes": lambda t: ops.pad(t, (0, 1, 1, 0, 2, 2)),
    "gather": lambda t: ops.gather(t, Tensor(np.array([2, 0, 2, 1], np.int32)), 1),
    "gather_axis2_repeat": lambda t: ops.gather(t, Tensor(np.array([[3, 3], [0, 3]], np.int64)), 2),
    "index_select": lambda t: ops.index_select(t, 2, Tensor(np.array([1, 1, 0], np.int32))),
    "masked_fill": lambda t: ops.masked_fill(t, t > 0, 0.0),
    "transpose": lambda t: ops.transpose(t, (2, 0, 1)),
    "reshape": lambda t: ops.reshape(t, (4, -1)),
    "broadcast_to": lambda t: ops.broadcast_to(ops.reshape(t, (2, 1, 3, 4)), (2, 5, 3, 4)),
    "flip": lambda t: ops.flip(t, (0, 2)),
    "narrow": lambda t: ops.narrow(t, 1, 1, 2),
    "squeeze_unsqueeze": lambda t: ops.squeeze(ops.unsqueeze(t, 1), 1) * t,
    "flatten": lambda t: ops.flatten(t) ** 2,
    "swapaxes": lambda t: ops.swapaxes(t, 0, 2),
}


@pytest.mark.parametrize("name", sorted(_GRADS))
def test_shape_op_gradient(name):
    x = _rng(4).normal(size=(2, 3, 4))
    _check_grad(_GRADS[name], x)


def test_gather_repeated_index_gradient_accumulates():
    x = Tensor(np.arange(4.0))
    g = ms.grad(lambda t: ops.sum(ops.gather(t, Tensor(np.array([1, 1, 1, 3], np.int32)), 0)))(x)
    np.testing.assert_array_equal(g.asnumpy(), [0.0, 3.0, 0.0, 1.0])


# ---- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: ops.reshape(np.ones(3), (3,)),
        lambda: ops.transpose([1, 2], (0,)),
        lambda: ops.tile(np.ones(2), (2,)),
        lambda: ops.stack([np.ones(2), np.ones(2)]),
        lambda: ops.concat([Tensor(np.ones(2)), np.ones(2)]),
        lambda: ops.squeeze("x"),
        lambda: ops.expand_dims(np.ones(2), 0),
        lambda: ops.pad(np.ones(3), (1, 1)),
    ],
)
def test_non_tensor_input_raises_type_error(call):
    with pytest.raises(TypeError):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: ops.split(Tensor(_X), 1, 3),
        lambda: ops.chunk(Tensor(_X), 2, -4),
        lambda: ops.gather(Tensor(_X), Tensor(np.array([0])), 3),
        lambda: ops.squeeze(Tensor(_X), 5),
        lambda: ops.flip(Tensor(_X), 3),
        lambda: ops.swapaxes(Tensor(_X), 0, 3),
        lambda: ops.flatten(Tensor(_X), start_dim=4),
    ],
)
def test_bad_axis_raises_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_reshape_bad_shape_type():
    with pytest.raises(TypeError, match="reshape"):
        ops.reshape(Tensor(_X), (2.0, 12))
