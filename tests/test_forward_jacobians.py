"""jvp, vjp, jacfwd, jacrev and hessian: return structures and shapes (spec 2.12), numeric
correctness against central differences in float64, and their errors."""

import numpy as np
import pytest

import minispore as ms
from minispore import Parameter, Tensor, nn, ops
from minispore.core import trace as _trace


def T(a, dtype=np.float64):
    return Tensor(np.asarray(a, dtype=dtype))


def F32(a):
    return Tensor(np.asarray(a, np.float32))


def npv(t):
    assert isinstance(t, Tensor), f"expected a Tensor, got {type(t).__name__}"
    return t.asnumpy()


def close(t, want, rtol=1e-6, atol=1e-7):
    np.testing.assert_allclose(npv(t), want, rtol=rtol, atol=atol)


# A two-input, two-output test function in float64: x (2,), y (3, 2).
#   out0 = sin(y) * exp(x)      -> (3, 2)
#   out1 = sum((y @ x)^2)       -> ()
def F(x, y):
    return ops.sin(y) * ops.exp(x), ops.sum(ops.matmul(y, x) ** 2)


_rng = np.random.default_rng(1)
XV = _rng.normal(size=2)
YV = _rng.normal(size=(3, 2))


def fd_jacobian(fn, args, pos, out_index, eps=1e-6):
    """Central-difference Jacobian of output `out_index` w.r.t. argument `pos`: out.shape + in.shape."""
    base = [np.array(a, dtype=np.float64) for a in args]
    out0 = npv(fn(*[Tensor(a) for a in base])[out_index])
    jac = np.zeros(out0.shape + base[pos].shape)
    for idx in np.ndindex(*base[pos].shape):
        plus = [a.copy() for a in base]
        minus = [a.copy() for a in base]
        plus[pos][idx] += eps
        minus[pos][idx] -= eps
        diff = npv(fn(*[Tensor(a) for a in plus])[out_index]) - npv(
            fn(*[Tensor(a) for a in minus])[out_index]
        )
        jac[(Ellipsis,) + idx] = diff / (2 * eps)
    return jac


@pytest.fixture(scope="module")
def fd_jacs():
    """{(out, pos): Jacobian} of F at (XV, YV) by central differences."""
    return {(o, p): fd_jacobian(F, (XV, YV), p, o) for o in (0, 1) for p in (0, 1)}


# ---- jvp ---------------------------------------------------------------------------------------


def test_jvp_single_input_single_output():
    x, v = F32([1.0, 2.0]), F32([1.0, 1.0])
    out, tan = ms.jvp(lambda x: x**3, x, v)
    assert isinstance(out, Tensor) and isinstance(tan, Tensor)
    close(out, [1.0, 8.0])
    close(tan, [3.0, 12.0])
    assert tan.dtype == ms.float32
    out2, tan2 = ms.ops.jvp(lambda x: x**3, x, v)
    close(tan2, [3.0, 12.0])


def test_jvp_tuple_inputs_and_tuple_outputs():
    x, y = F32([1.0, 2.0]), F32([3.0, -1.0])
    v = F32([1.0, 1.0])
    out, tan = ms.jvp(lambda x, y: x * y, (x, y), (v, v))
    close(out, [3.0, -2.0])
    close(tan, [4.0, 1.0])
    out, tan = ms.jvp(lambda x, y: (x * y, x + y), (x, y), (v, F32([0.0, 2.0])))
    assert type(out) is tuple and type(tan) is tuple and len(out) == len(tan) == 2
    close(out[0], [3.0, -2.0])
    close(out[1], [4.0, 1.0])
    close(tan[0], [3.0, 3.0])
    close(tan[1], [1.0, 3.0])


def test_jvp_one_tuple_works():
    # Deliberate difference: MindSpore 2.10 raises TypeError for jvp(f, (x,), (v,)).
    x = F32([1.0, 2.0])
    out, tan = ms.jvp(lambda x: x * x, (x,), (F32([1.0, 0.5]),))
    close(out, [1.0, 4.0])
    close(tan, [2.0, 2.0])


def test_jvp_has_aux_one_aux_is_bare():
    x, v = F32([1.0, 2.0]), F32([1.0, 0.5])
    r = ms.jvp(lambda x: (x**2, x * 10), x, v, has_aux=True)
    assert type(r) is tuple and len(r) == 3
    out, tan, aux = r
    close(out, [1.0, 4.0])
    close(tan, [2.0, 2.0])
    assert isinstance(aux, Tensor)
    close(aux, [10.0, 20.0])


def test_jvp_has_aux_several_aux_is_a_tuple():
    x, v = F32([1.0, 2.0]), F32([1.0, 0.5])
    out, tan, aux = ms.jvp(lambda x: (x**2, x * 10, x + 1), x, v, has_aux=True)
    close(tan, [2.0, 2.0])
    assert type(aux) is tuple and len(aux) == 2
    close(aux[0], [10.0, 20.0])
    close(aux[1], [2.0, 3.0])


def test_jvp_output_independent_of_input_has_zero_tangent():
    x, v = T([1.0, 2.0]), T([1.0, 1.0])
    out, tan = ms.jvp(lambda x: (x * 2, T([[5.0]])), x, v)
    close(tan[0], [2.0, 2.0])
    assert tan[1].shape == (1, 1)
    close(tan[1], [[0.0]])


def test_jvp_matches_finite_differences(fd_jacs):
    rng = np.random.default_rng(2)
    vx, vy = rng.normal(size=XV.shape), rng.normal(size=YV.shape)
    out, tan = ms.jvp(F, (T(XV), T(YV)), (T(vx), T(vy)))
    for o in (0, 1):
        jx, jy = fd_jacs[(o, 0)], fd_jacs[(o, 1)]
        want = np.tensordot(jx, vx, axes=vx.ndim) + np.tensordot(jy, vy, axes=vy.ndim)
        np.testing.assert_allclose(npv(tan[o]), want, rtol=1e-6, atol=1e-8)
        assert tan[o].dtype == ms.float64


def test_jvp_errors():
    x, y = F32([1.0, 2.0]), F32([3.0, 4.0])
    with pytest.raises(TypeError):
        ms.jvp(lambda x: x * 2, 1, 1)
    with pytest.raises(ValueError, match="invalid length"):
        ms.jvp(lambda x, y: x * y, (x, y), x)
    with pytest.raises(ValueError, match="invalid length"):
        ms.jvp(lambda x, y: x * y, (x, y), (x,))
    with pytest.raises(ValueError, match="invalid length"):
        ms.jvp(lambda x, y: x * y, (x, y), (x, y, y))
    with pytest.raises(ValueError, match=r"\(3,\)"):
        ms.jvp(lambda x: x, x, F32([1.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="has_aux"):
        ms.jvp(lambda x: x * 2, x, x, has_aux=True)
    assert _trace._stack == []
    close(ms.jvp(lambda x: x * 2, x, x)[1], [2.0, 4.0])


# ---- vjp ---------------------------------------------------------------------------------------


def test_vjp_returns_a_tuple_of_input_gradients():
    x, y = F32([1.0, 2.0]), F32([3.0, -1.0])
    out, vjp_fn = ms.vjp(lambda x: x**3, x)
    close(out, [1.0, 8.0])
    r = vjp_fn(F32([1.0, 1.0]))
    assert type(r) is tuple and len(r) == 1
    close(r[0], [3.0, 12.0])
    out, vjp_fn = ms.vjp(lambda x, y: x * y, x, y)
    gx, gy = vjp_fn(F32([2.0, 3.0]))
    close(gx, [6.0, -3.0])
    close(gy, [2.0, 6.0])
    out, vjp_fn = ms.ops.vjp(lambda x: x**3, x)
    close(vjp_fn(F32([1.0, 1.0]))[0], [3.0, 12.0])


def test_vjp_multiple_outputs_separate_or_tuple_cotangents():
    x, y = F32([1.0, 2.0]), F32([3.0, -1.0])
    out, vjp_fn = ms.vjp(lambda x, y: (x * y, x + y), x, y)
    assert type(out) is tuple
    close(out[0], [3.0, -2.0])
    close(out[1], [4.0, 1.0])
    u0, u1 = F32([1.0, 1.0]), F32([0.0, 2.0])
    for r in (vjp_fn(u0, u1), vjp_fn((u0, u1))):
        assert type(r) is tuple and len(r) == 2
        close(r[0], [3.0, 1.0])
        close(r[1], [1.0, 4.0])


def test_vjp_with_weights():
    x = F32([1.0, 2.0])
    w = Parameter(F32([0.5, -2.0]), name="w")
    b = Parameter(F32([1.0, 1.0]), name="b")
    v = F32([1.0, 3.0])

    def f(x):
        return x * w + b

    out, vjp_fn = ms.vjp(f, x, weights=[w, b])
    close(out, [1.5, -3.0])
    (gx,), (gw, gb) = vjp_fn(v)
    close(gx, [0.5, -6.0])
    close(gw, [1.0, 6.0])
    close(gb, [1.0, 3.0])
    out, vjp_fn = ms.vjp(f, x, weights=w)
    r = vjp_fn(v)
    assert type(r) is tuple and type(r[0]) is tuple and isinstance(r[1], Tensor)
    close(r[1], [1.0, 6.0])
    # The weights are restored after the forward pass and after each pullback.
    assert isinstance(w._value, np.ndarray)
    np.testing.assert_array_equal(w.asnumpy(), [0.5, -2.0])


def test_vjp_with_weights_of_a_cell_matches_finite_differences():
    rng = np.random.default_rng(4)
    wv, xv, uv = rng.normal(size=(3, 2)), rng.normal(size=(4, 3)), rng.normal(size=(4, 2))

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(Tensor(wv.copy()), name="w")

        def construct(self, x):
            return ops.tanh(ops.matmul(x, self.w))

    net = Net()
    _, vjp_fn = ms.vjp(net, Tensor(xv), weights=net.trainable_params())
    (gx,), (gw,) = vjp_fn(Tensor(uv))
    s = (1 - np.tanh(xv @ wv) ** 2) * uv
    np.testing.assert_allclose(npv(gx), s @ wv.T, rtol=1e-12)
    np.testing.assert_allclose(npv(gw), xv.T @ s, rtol=1e-12)


def test_vjp_has_aux():
    x, v = F32([1.0, 2.0]), F32([1.0, 3.0])
    r = ms.vjp(lambda x: (x * x, x + 5), x, has_aux=True)
    assert type(r) is tuple and len(r) == 3
    out, vjp_fn, aux = r
    close(out, [1.0, 4.0])
    assert isinstance(aux, Tensor)
    close(aux, [6.0, 7.0])
    (g,) = vjp_fn(v)
    close(g, [2.0, 12.0])  # aux is not differentiated
    out, vjp_fn, aux = ms.vjp(lambda x: (x * x, x + 5, x - 5), x, has_aux=True)
    assert type(aux) is tuple and len(aux) == 2
    close(aux[1], [-4.0, -3.0])
    close(vjp_fn(v)[0], [2.0, 12.0])


def test_vjp_fn_can_be_called_repeatedly_without_rerunning_fn():
    calls = []

    def f(x, y):
        calls.append(1)
        return ops.sin(x) * y, ops.sum(x * y)

    x, y = T(XV), T(YV[0])
    _, vjp_fn = ms.vjp(f, x, y)
    u = (T([1.0, -2.0]), T(0.5))
    first = vjp_fn(*u)
    second = vjp_fn(*u)
    assert len(calls) == 1
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(npv(a), npv(b))
    # Linearity across calls: vjp(2u) == 2 vjp(u).
    doubled = vjp_fn(T([2.0, -4.0]), T(1.0))
    for a, b in zip(first, doubled, strict=True):
        np.testing.assert_allclose(npv(b), 2 * npv(a), rtol=1e-14)
    assert len(calls) == 1


def test_vjp_matches_finite_differences(fd_jacs):
    rng = np.random.default_rng(6)
    u0, u1 = rng.normal(size=(3, 2)), rng.normal()
    _, vjp_fn = ms.vjp(F, T(XV), T(YV))
    gx, gy = vjp_fn(T(u0), T(u1))
    for p, g in ((0, gx), (1, gy)):
        want = np.tensordot(u0, fd_jacs[(0, p)], axes=2) + u1 * fd_jacs[(1, p)]
        np.testing.assert_allclose(npv(g), want, rtol=1e-6, atol=1e-8)
        assert g.dtype == ms.float64


def test_jvp_and_vjp_agree_exactly():
    # <u, J v> computed by forward and by reverse mode: no finite-difference noise.
    rng = np.random.default_rng(8)
    vx, vy = rng.normal(size=XV.shape), rng.normal(size=YV.shape)
    u0, u1 = rng.normal(size=(3, 2)), rng.normal()
    _, (t0, t1) = ms.jvp(F, (T(XV), T(YV)), (T(vx), T(vy)))
    _, vjp_fn = ms.vjp(F, T(XV), T(YV))
    gx, gy = vjp_fn(T(u0), T(u1))
    lhs = (u0 * npv(t0)).sum() + u1 * float(npv(t1))
    rhs = (npv(gx) * vx).sum() + (npv(gy) * vy).sum()
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)


def test_vjp_errors():
    x = F32([1.0, 2.0])
    with pytest.raises(TypeError):
        ms.vjp(lambda x: x * 2, 1)
    with pytest.raises(TypeError):
        ms.vjp(lambda x: x * 2, np.array([1.0, 2.0]))
    _, two = ms.vjp(lambda x: (x * 2, x * 3), x)
    with pytest.raises(RuntimeError, match="2"):
        two(x)  # one cotangent for two outputs
    with pytest.raises(RuntimeError):
        two(x, x, x)
    _, one = ms.vjp(lambda x: x * 2, x)
    with pytest.raises(RuntimeError):
        one(x, x)
    with pytest.raises(RuntimeError, match=r"shape"):
        one(F32(1.0))  # 0-d cotangent for a vector output
    with pytest.raises(RuntimeError, match=r"\(2, 1\)"):
        one(Tensor(np.ones((2, 1), np.float32)))
    with pytest.raises(ValueError, match="has_aux"):
        ms.vjp(lambda x: x * 2, x, has_aux=True)
    assert _trace._stack == []
    # The pullback still works after the failed calls.
    close(one(F32([1.0, 1.0]))[0], [2.0, 2.0])
    close(two(x, x)[0], [5.0, 10.0])


# ---- jacfwd / jacrev -----------------------------------------------------------------------------

JACS = [pytest.param(ms.jacfwd, id="jacfwd"), pytest.param(ms.jacrev, id="jacrev")]


@pytest.mark.parametrize("jac", JACS)
def test_jacobian_of_elementwise_2x2_is_2x2x2x2(jac):
    x = F32([[1.0, 2.0], [3.0, 4.0]])
    j = jac(lambda x: x * x)(x)
    assert j.shape == (2, 2, 2, 2)
    want = np.zeros((2, 2, 2, 2), np.float32)
    for i in range(2):
        for k in range(2):
            want[i, k, i, k] = 2 * npv(x)[i, k]
    np.testing.assert_array_equal(npv(j), want)
    assert j.dtype == ms.float32


@pytest.mark.parametrize("jac", JACS)
def test_jacobian_shapes(jac):
    j = jac(lambda v: ops.sum(v**2))(F32([1.0, 2.0, 3.0]))
    assert j.shape == (3,)
    close(j, [2.0, 4.0, 6.0])
    j0 = jac(lambda v: v * v * v)(F32(2.0))
    assert j0.shape == () and float(j0) == 12.0
    jm = jac(lambda a: ops.matmul(a, F32([[1.0], [2.0]])))(F32([[1.0, 1.0]]))
    assert jm.shape == (1, 1, 1, 2)
    close(jm, [[[[1.0, 2.0]]]])
    A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32)
    jl = jac(lambda v: ops.matmul(F32(A), v))(F32([1.0, 1.0, 1.0]))
    close(jl, A)
    # scalar -> vector
    js = jac(lambda s: s * F32([1.0, -2.0, 3.0]))(F32(2.0))
    assert js.shape == (3,)
    close(js, [1.0, -2.0, 3.0])


@pytest.mark.parametrize("jac", JACS)
def test_jacobian_tuple_positions_and_multiple_outputs_are_output_major(jac):
    x, y = F32([1.0, 2.0]), F32([3.0, 4.0])
    r = jac(lambda x, y: (x * y, x + y), (0, 1))(x, y)
    assert type(r) is tuple and len(r) == 2
    assert type(r[0]) is tuple and len(r[0]) == 2
    close(r[0][0], np.diag([3.0, 4.0]))  # dO0/dx
    close(r[0][1], np.diag([1.0, 2.0]))  # dO0/dy
    close(r[1][0], np.eye(2))
    close(r[1][1], np.eye(2))
    # Single output with a tuple position: (dO/dx0, dO/dx1).
    r = jac(lambda x, y: x * y, (0, 1))(x, y)
    assert type(r) is tuple and len(r) == 2 and isinstance(r[0], Tensor)
    close(r[0], np.diag([3.0, 4.0]))
    close(r[1], np.diag([1.0, 2.0]))
    # Several outputs, int position: one Jacobian per output.
    r = jac(lambda x, y: (x * y, ops.sum(x)), 1)(x, y)
    assert type(r) is tuple and len(r) == 2
    close(r[0], np.diag([1.0, 2.0]))
    assert r[1].shape == (2,)
    close(r[1], [0.0, 0.0])
    close(jac(lambda x, y: x * y, 1)(x, y), np.diag([1.0, 2.0]))


@pytest.mark.parametrize("jac", JACS)
def test_jacobian_has_aux(jac):
    x = F32([1.0, 2.0])
    j, aux = jac(lambda x: (x * x, x + 1), has_aux=True)(x)
    close(j, np.diag([2.0, 4.0]))
    assert isinstance(aux, Tensor)
    close(aux, [2.0, 3.0])
    j, aux = jac(lambda x: (x * x, x + 1, x - 1), has_aux=True)(x)
    close(j, np.diag([2.0, 4.0]))
    assert type(aux) is tuple and len(aux) == 2
    close(aux[1], [0.0, 1.0])


@pytest.mark.parametrize("jac", JACS)
@pytest.mark.parametrize("pos", [None, [0, 1], 1.5])
def test_jacobian_position_type_errors(jac, pos):
    x, y = F32([1.0, 2.0]), F32([3.0, 4.0])
    with pytest.raises(TypeError, match="grad_position"):
        jac(lambda x, y: x * y, pos)(x, y)
    assert _trace._stack == []


@pytest.mark.parametrize("jac", JACS)
def test_jacobian_matches_finite_differences(jac, fd_jacs):
    r = jac(F, (0, 1))(T(XV), T(YV))
    for o in (0, 1):
        for p in (0, 1):
            assert r[o][p].shape == fd_jacs[(o, p)].shape, (o, p)
            assert r[o][p].dtype == ms.float64
            np.testing.assert_allclose(
                npv(r[o][p]), fd_jacs[(o, p)], rtol=1e-6, atol=1e-8, err_msg=f"d out{o} / d in{p}"
            )


def test_jacfwd_and_jacrev_agree_exactly():
    a = ms.jacfwd(F, (0, 1))(T(XV), T(YV))
    b = ms.jacrev(F, (0, 1))(T(XV), T(YV))
    for o in (0, 1):
        for p in (0, 1):
            np.testing.assert_allclose(npv(a[o][p]), npv(b[o][p]), rtol=1e-13, atol=1e-15)


# ---- hessian -------------------------------------------------------------------------------------


def _scalar(x):
    return ops.sum(ops.exp(x) * ops.sin(x)) + ops.sum(x) ** 2


def test_hessian_shape_is_in_shape_twice_and_matches_finite_differences():
    rng = np.random.default_rng(9)
    xv = rng.normal(size=(2, 2))
    H = ms.hessian(_scalar)(T(xv))
    assert H.shape == (2, 2, 2, 2)
    # Finite differences of the (exact) gradient.
    fd = fd_jacobian(lambda x: (ms.grad(_scalar)(x),), (xv,), 0, 0)
    np.testing.assert_allclose(npv(H), fd, rtol=1e-6, atol=1e-8)
    Hm = npv(H).reshape(4, 4)
    np.testing.assert_allclose(Hm, Hm.T, rtol=1e-12)
    h0 = ms.hessian(lambda s: s**4)(T(1.5))
    assert h0.shape == ()
    np.testing.assert_allclose(npv(h0), 12 * 1.5**2)


def test_hessian_tuple_positions_gives_blocks():
    def f(x, y):
        return ops.sum(x * x * y) + ops.sum(y**3)

    xv, yv = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    H = ms.hessian(f, (0, 1))(T(xv), T(yv))
    assert type(H) is tuple and len(H) == 2 and type(H[0]) is tuple
    np.testing.assert_allclose(npv(H[0][0]), np.diag(2 * yv))
    np.testing.assert_allclose(npv(H[0][1]), np.diag(2 * xv))
    np.testing.assert_allclose(npv(H[1][0]), np.diag(2 * xv))
    np.testing.assert_allclose(npv(H[1][1]), np.diag(6 * yv))
    np.testing.assert_allclose(npv(ms.hessian(f, 1)(T(xv), T(yv))), np.diag(6 * yv))


def test_forward_mode_through_a_cell():
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(T([2.0, -1.0]), name="w")

        def construct(self, x):
            return x * x * self.w

    net = Net()
    _, tan = ms.jvp(net, T([1.0, 3.0]), T([1.0, 1.0]))
    np.testing.assert_allclose(npv(tan), [4.0, -6.0])
    np.testing.assert_allclose(npv(ms.jacfwd(net)(T([1.0, 3.0]))), np.diag([4.0, -6.0]))
    np.testing.assert_allclose(npv(ms.jacrev(net)(T([1.0, 3.0]))), np.diag([4.0, -6.0]))


# ---- edge cases ----------------------------------------------------------------------------------


@pytest.mark.parametrize("jac", JACS)
def test_jacobian_of_a_constant_output_is_zeros(jac):
    j = jac(lambda x: T(np.ones(3)))(T([1.0, 2.0]))
    assert j.shape == (3, 2) and j.dtype == ms.float64
    np.testing.assert_array_equal(npv(j), np.zeros((3, 2)))


@pytest.mark.parametrize("jac", JACS)
def test_jacobian_of_integer_input_is_float32(jac):
    j = jac(lambda x: x * 2.5)(Tensor(np.array([1, 2], np.int32)))
    assert j.dtype == ms.float32
    np.testing.assert_array_equal(npv(j), np.diag([2.5, 2.5]))


@pytest.mark.parametrize("jac", JACS)
@pytest.mark.parametrize(
    "fn, shape, want_shape",
    [
        pytest.param(lambda x: x * 2, (0,), (0, 0), id="empty_to_empty"),
        pytest.param(lambda x: ops.sum(x * 2), (0, 3), (0, 3), id="empty_to_scalar"),
        pytest.param(lambda x: x[:0] * 2, (3,), (0, 3), id="vector_to_empty"),
    ],
)
def test_jacobian_with_empty_arrays_keeps_float64(jac, fn, shape, want_shape):
    j = jac(fn)(Tensor(np.zeros(shape, np.float64)))
    assert j.shape == want_shape
    assert j.dtype == ms.float64, f"{j.dtype} for a float64 input"


def test_vjp_with_empty_weights_and_constant_output():
    x = T([1.0, 2.0])
    r = ms.vjp(lambda x: x * 2, x, weights=[])[1](x)
    assert type(r) is tuple and len(r) == 2 and r[1] == ()
    np.testing.assert_allclose(npv(r[0][0]), [2.0, 4.0])
    (g,) = ms.vjp(lambda x: T(np.ones(3)), x)[1](T(np.ones(3)))
    assert g.shape == (2,)
    np.testing.assert_array_equal(npv(g), [0.0, 0.0])


def test_vjp_fn_is_differentiable_in_its_cotangent():
    # u -> J^T u is linear: grad_u sum(J^T u) = J @ 1.
    xv = np.array([1.0, 2.0])
    _, vjp_fn = ms.vjp(lambda x: ops.sin(x) * 3, T(xv))
    g = ms.grad(lambda u: ops.sum(vjp_fn(u)[0]))(T([1.0, 1.0]))
    np.testing.assert_allclose(npv(g), 3 * np.cos(xv), rtol=1e-14)
    _, tan = ms.jvp(lambda u: vjp_fn(u)[0], T([1.0, 1.0]), T([2.0, -1.0]))
    np.testing.assert_allclose(npv(tan), 3 * np.cos(xv) * [2.0, -1.0], rtol=1e-14)


def test_vjp_fn_leaves_cotangents_untouched_and_repeats_with_weights():
    x = T([1.0, 2.0])
    w = Parameter(T([3.0, -1.0]), name="w")
    u = T([1.0, 1.0])
    _, vjp_fn = ms.vjp(lambda x: (x + 0, x + w, x * w, x * 1), x, weights=[w])
    first = vjp_fn(u, u, u, u)
    second = vjp_fn(u, u, u, u)
    for r in (first, second):
        (gx,), (gw,) = r
        np.testing.assert_allclose(npv(gx), [6.0, 2.0])  # 1 + 1 + w + 1
        np.testing.assert_allclose(npv(gw), [2.0, 3.0])  # 1 + x
    np.testing.assert_array_equal(npv(u), [1.0, 1.0])
    np.testing.assert_array_equal(npv(w), [3.0, -1.0])


@pytest.mark.parametrize("jac", [ms.jacfwd, ms.jacrev])
def test_jacobian_rejects_negative_and_out_of_range_positions(jac):
    a, b = Tensor(np.array([1.0])), Tensor(np.array([3.0]))
    with pytest.raises(ValueError, match=">= 0"):
        jac(lambda x, y: x * y, -1)(a, b)
    with pytest.raises(RuntimeError, match="exceed input size"):
        jac(lambda x, y: x * y, (0, 2))(a, b)
