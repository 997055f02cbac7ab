"""`minispore.ops` linear algebra: matmul (1-D, 2-D, batched, broadcast), bmm, dot, outer/ger,
dense (with and without bias), inverse/matrix_inverse, det, solve, cholesky, trace; forward values
against NumPy, gradients against central differences, and shape errors."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, ops
from tests.helpers import num_grad as _num_grad
from tests.helpers import rng as _rng


def _check_grads(op, args, rtol=1e-6, atol=1e-8):
    """Gradient of sum(op(*args) * w) w.r.t. every argument vs central differences (float64)."""
    args = [np.asarray(a, np.float64) for a in args]
    out = op(*[Tensor(a) for a in args]).asnumpy()
    w = _rng(99).normal(size=out.shape)
    pos = tuple(range(len(args)))
    grads = ms.grad(lambda *ts: ops.sum(op(*ts) * Tensor(w)), grad_position=pos)(
        *[Tensor(a) for a in args]
    )
    if len(args) == 1:
        grads = (grads,)
    for k, g in enumerate(grads):

        def scalar(v, k=k):
            call = [Tensor(a) for a in args]
            call[k] = Tensor(v)
            return float(np.sum(op(*call).asnumpy() * w))

        assert g.shape == args[k].shape
        np.testing.assert_allclose(
            g.asnumpy(), _num_grad(scalar, args[k]), rtol=rtol, atol=atol, err_msg=f"argument {k}"
        )


# ---- matmul ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sa, sb",
    [
        ((3,), (3,)),
        ((2, 3), (3,)),
        ((3,), (3, 4)),
        ((2, 3), (3, 4)),
        ((5, 2, 3), (3, 4)),
        ((2, 3), (5, 3, 4)),
        ((5, 2, 3), (5, 3, 4)),
        ((5, 1, 2, 3), (4, 3, 2)),
        ((3,), (5, 3, 4)),
        ((5, 2, 3), (3,)),
    ],
)
def test_matmul_matches_numpy(sa, sb):
    rng = _rng(1)
    a, b = rng.normal(size=sa), rng.normal(size=sb)
    r = ops.matmul(Tensor(a), Tensor(b))
    exp = np.matmul(a, b)
    assert r.shape == exp.shape
    np.testing.assert_allclose(r.asnumpy(), exp, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose((Tensor(a) @ Tensor(b)).asnumpy(), exp, rtol=1e-12, atol=1e-12)


def test_matmul_float32_and_promotion():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.arange(12, dtype=np.float32).reshape(3, 4)
    r = ops.matmul(Tensor(a), Tensor(b))
    assert r.dtype == ms.float32
    np.testing.assert_allclose(r.asnumpy(), a @ b, rtol=1e-6)
    assert ops.matmul(Tensor(a), Tensor(b.astype(np.float64))).dtype == ms.float64
    ri = ops.matmul(Tensor(np.array([[1, 2]], np.int32)), Tensor(np.array([[3], [4]], np.int32)))
    assert ri.asnumpy().tolist() == [[11]]


@pytest.mark.parametrize("sa, sb", [((2, 3), (4, 5)), ((3,), (4,)), ((2, 3), (2,)), ((4,), (3, 2))])
def test_matmul_shape_mismatch_names_both_shapes(sa, sb):
    with pytest.raises(ValueError) as exc:
        ops.matmul(Tensor(np.ones(sa)), Tensor(np.ones(sb)))
    msg = str(exc.value)
    assert "matmul" in msg and str(sa) in msg and str(sb) in msg


def test_matmul_batch_mismatch_and_scalar():
    with pytest.raises(ValueError, match="matmul"):
        ops.matmul(Tensor(np.ones((2, 2, 3))), Tensor(np.ones((3, 3, 4))))
    with pytest.raises(ValueError, match="matmul"):
        ops.matmul(Tensor(np.array(2.0)), Tensor(np.ones(3)))
    with pytest.raises(TypeError, match="matmul"):
        ops.matmul(np.ones((2, 2)), Tensor(np.ones((2, 2))))


def test_bmm_dot_outer():
    rng = _rng(2)
    a, b = rng.normal(size=(4, 2, 3)), rng.normal(size=(4, 3, 5))
    np.testing.assert_allclose(ops.bmm(Tensor(a), Tensor(b)).asnumpy(), a @ b, rtol=1e-12)
    with pytest.raises(ValueError, match="bmm"):
        ops.bmm(Tensor(a[0]), Tensor(b[0]))
    u, v = rng.normal(size=3), rng.normal(size=4)
    d = ops.dot(Tensor(u), Tensor(u))
    assert d.shape == ()
    np.testing.assert_allclose(d.asnumpy(), u @ u, rtol=1e-12)
    np.testing.assert_allclose(
        ops.outer(Tensor(u), Tensor(v)).asnumpy(), np.outer(u, v), rtol=1e-12
    )
    np.testing.assert_allclose(ops.ger(Tensor(u), Tensor(v)).asnumpy(), np.outer(u, v), rtol=1e-12)
    with pytest.raises(ValueError, match="outer"):
        ops.outer(Tensor(a[0]), Tensor(v))


# ---- dense ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("xshape", [(5, 3), (3,), (2, 5, 3)])
@pytest.mark.parametrize("with_bias", [False, True])
def test_dense(xshape, with_bias):
    rng = _rng(3)
    x, w, b = rng.normal(size=xshape), rng.normal(size=(4, 3)), rng.normal(size=(4,))
    r = ops.dense(Tensor(x), Tensor(w), Tensor(b) if with_bias else None)
    exp = x @ w.T + (b if with_bias else 0.0)
    assert r.shape == exp.shape
    np.testing.assert_allclose(r.asnumpy(), exp, rtol=1e-12, atol=1e-12)


def test_dense_float32_and_errors():
    x = np.ones((2, 3), np.float32)
    w = np.full((4, 3), 0.5, np.float32)
    r = ops.dense(Tensor(x), Tensor(w), Tensor(np.arange(4, dtype=np.float32)))
    assert r.dtype == ms.float32
    np.testing.assert_allclose(r.asnumpy(), np.tile([1.5, 2.5, 3.5, 4.5], (2, 1)))
    with pytest.raises(ValueError) as exc:
        ops.dense(Tensor(np.ones((2, 3))), Tensor(np.ones((4, 5))))
    assert "dense" in str(exc.value) and "(2, 3)" in str(exc.value) and "(4, 5)" in str(exc.value)
    with pytest.raises(ValueError, match="bias"):
        ops.dense(Tensor(np.ones((2, 3))), Tensor(np.ones((4, 3))), Tensor(np.ones(3)))


# ---- inverse / det / solve / cholesky / trace --------------------------------------------------


def _well_conditioned(rng, shape):
    a = rng.normal(size=shape)
    return a + 3.0 * np.eye(shape[-1])


def _spd(rng, n, batch=()):
    a = rng.normal(size=batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)])
@pytest.mark.parametrize("name", ["inverse", "matrix_inverse"])
def test_inverse(name, shape):
    a = _well_conditioned(_rng(4), shape)
    r = getattr(ops, name)(Tensor(a))
    np.testing.assert_allclose(r.asnumpy(), np.linalg.inv(a), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (2, 2)])
def test_det(shape):
    a = _rng(5).normal(size=shape)
    r = ops.det(Tensor(a))
    assert r.shape == shape[:-2]
    np.testing.assert_allclose(r.asnumpy(), np.linalg.det(a), rtol=1e-10)


@pytest.mark.parametrize("bshape", [(3,), (3, 2), (3, 1)])
def test_solve(bshape):
    rng = _rng(6)
    a = _well_conditioned(rng, (3, 3))
    b = rng.normal(size=bshape)
    x = ops.solve(Tensor(a), Tensor(b))
    assert x.shape == bshape
    np.testing.assert_allclose(x.asnumpy(), np.linalg.solve(a, b), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(a @ x.asnumpy(), b, rtol=1e-10, atol=1e-12)


def test_solve_batched():
    rng = _rng(7)
    a = _well_conditioned(rng, (4, 3, 3))
    b = rng.normal(size=(4, 3, 2))
    np.testing.assert_allclose(
        ops.solve(Tensor(a), Tensor(b)).asnumpy(), np.linalg.solve(a, b), rtol=1e-10
    )


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky(upper):
    a = _spd(_rng(8), 4)
    r = ops.cholesky(Tensor(a), upper).asnumpy()
    low = np.linalg.cholesky(a)
    np.testing.assert_allclose(r, low.T if upper else low, rtol=1e-10, atol=1e-12)
    if upper:
        assert np.allclose(np.tril(r, -1), 0)
        np.testing.assert_allclose(r.T @ r, a, rtol=1e-10)
    else:
        assert np.allclose(np.triu(r, 1), 0)
        np.testing.assert_allclose(r @ r.T, a, rtol=1e-10)


def test_cholesky_batched():
    a = _spd(_rng(9), 3, (2,))
    np.testing.assert_allclose(ops.cholesky(Tensor(a)).asnumpy(), np.linalg.cholesky(a), rtol=1e-10)


def test_trace():
    a = _rng(10).normal(size=(4, 4))
    np.testing.assert_allclose(ops.trace(Tensor(a)).asnumpy(), np.trace(a), rtol=1e-12)


@pytest.mark.parametrize("name", ["inverse", "det", "cholesky", "trace"])
def test_square_matrix_required(name):
    with pytest.raises(ValueError) as exc:
        getattr(ops, name)(Tensor(np.ones((2, 3))))
    assert name in str(exc.value) and "(2, 3)" in str(exc.value)


def test_solve_shape_errors():
    with pytest.raises(ValueError, match="solve"):
        ops.solve(Tensor(np.eye(3)), Tensor(np.ones(4)))
    with pytest.raises(ValueError, match="solve"):
        ops.solve(Tensor(np.eye(3)), Tensor(np.ones((2, 2))))


def test_integer_matrix_rejected_for_inverse():
    with pytest.raises(TypeError, match="inverse"):
        ops.inverse(Tensor(np.eye(2, dtype=np.int32)))


# ---- gradients ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sa, sb",
    [
        ((3,), (3,)),
        ((2, 3), (3,)),
        ((3,), (3, 4)),
        ((2, 3), (3, 4)),
        ((5, 2, 3), (3, 4)),
        ((2, 3), (2, 3, 4)),
        ((2, 1, 2, 3), (3, 3, 2)),
    ],
)
def test_matmul_gradient(sa, sb):
    rng = _rng(11)
    _check_grads(ops.matmul, [rng.normal(size=sa), rng.normal(size=sb)])


@pytest.mark.parametrize("xshape", [(5, 3), (3,), (2, 5, 3)])
def test_dense_gradient(xshape):
    rng = _rng(12)
    x, w, b = rng.normal(size=xshape), rng.normal(size=(4, 3)), rng.normal(size=(4,))
    _check_grads(ops.dense, [x, w, b])
    _check_grads(lambda a, c: ops.dense(a, c), [x, w])


def test_outer_bmm_trace_gradients():
    rng = _rng(13)
    _check_grads(ops.outer, [rng.normal(size=3), rng.normal(size=4)])
    _check_grads(ops.bmm, [rng.normal(size=(2, 2, 3)), rng.normal(size=(2, 3, 4))])
    _check_grads(ops.trace, [rng.normal(size=(3, 3))])


def test_inverse_det_solve_cholesky_gradients():
    rng = _rng(14)
    _check_grads(ops.inverse, [_well_conditioned(rng, (3, 3))], rtol=1e-5)
    _check_grads(ops.det, [_well_conditioned(rng, (2, 3, 3))], rtol=1e-5)
    _check_grads(ops.solve, [_well_conditioned(rng, (3, 3)), rng.normal(size=(3, 2))], rtol=1e-5)
    _check_grads(ops.solve, [_well_conditioned(rng, (3, 3)), rng.normal(size=(3,))], rtol=1e-5)
    # cholesky: differentiate through a symmetrised input so the perturbation stays symmetric
    a0 = _spd(rng, 3)
    _check_grads(lambda m: ops.cholesky((m + ops.transpose(m, (1, 0))) * 0.5), [a0], rtol=1e-5)


def test_det_gradient_at_singular_matrices_is_the_cofactor_matrix():
    # det is a polynomial, so its gradient (the cofactor matrix) exists at singular matrices too,
    # where det(A) inv(A)^T does not. (PyTorch 2.13 returns zeros for this matrix: wrong, as
    # perturbing a[0, 0] by e changes det by 4e.)
    a = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])
    cof = np.array([[4.0, 4.0, -4.0], [-2.0, -2.0, 2.0], [0.0, 0.0, 0.0]])
    g = ms.grad(ops.det)(Tensor(a))
    np.testing.assert_allclose(g.asnumpy(), cof, atol=1e-12)
    np.testing.assert_allclose(g.asnumpy(), _num_grad(np.linalg.det, a), atol=1e-6)
    # A rank-1 matrix (all cofactors 0) and its second derivative, against finite differences.
    b = np.outer([1.0, 2.0, 3.0], [1.0, -1.0, 2.0])
    np.testing.assert_allclose(ms.grad(ops.det)(Tensor(b)).asnumpy(), np.zeros((3, 3)), atol=1e-12)
    w = np.random.default_rng(5).normal(size=(3, 3))

    def dot_grad(m):
        return float(np.sum(ms.grad(ops.det)(Tensor(m)).asnumpy() * w))

    second = ms.grad(lambda m: ops.sum(ms.grad(ops.det)(m) * Tensor(w)))(Tensor(a))
    np.testing.assert_allclose(second.asnumpy(), _num_grad(dot_grad, a), atol=1e-5)


@pytest.mark.parametrize(
    "sa, sb", [((2, 3, 3), (1, 3, 2)), ((4, 3), (2, 3, 5)), ((2, 2, 3), (3,)), ((3,), (2, 3, 4))]
)
def test_dot_follows_numpy_dot_for_nd_inputs(sa, sb):
    # MindSpore 2.10: ops.dot((2,3,3), (1,3,2)).shape == (2, 3, 1, 2), np.dot's rule.
    rng = _rng(3)
    a, b = rng.normal(size=sa), rng.normal(size=sb)
    out = ops.dot(Tensor(a), Tensor(b))
    np.testing.assert_allclose(out.asnumpy(), np.dot(a, b), rtol=1e-12)
    w = rng.normal(size=np.dot(a, b).shape)
    ga, gb = ms.grad(lambda x, y: ops.sum(ops.dot(x, y) * Tensor(w)), (0, 1))(Tensor(a), Tensor(b))
    np.testing.assert_allclose(
        ga.asnumpy(), _num_grad(lambda v: np.sum(np.dot(v, b) * w), a), atol=1e-6
    )
    np.testing.assert_allclose(
        gb.asnumpy(), _num_grad(lambda v: np.sum(np.dot(a, v) * w), b), atol=1e-6
    )
