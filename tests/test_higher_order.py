"""Higher-order differentiation: grad of grad, forward over reverse, reverse over forward,
several routes to the same derivatives, nested transforms inside Cells, perturbation confusion,
closures over outer tracers, and weights at every level (spec 2.11, STYLE.md section 9)."""

import numpy as np
import pytest

import minispore as ms
from minispore import Parameter, Tensor, nn, ops
from minispore.core import trace as _trace


def T(a, dtype=np.float64):
    return Tensor(np.asarray(a, dtype=dtype))


def npv(t):
    assert isinstance(t, Tensor), f"expected a Tensor, got {type(t).__name__}"
    return t.asnumpy()


# f(x) = sum(x^2 sin x) + x^T A x, with closed-form gradient, Hessian and third derivative.
N = 3
_rng = np.random.default_rng(7)
A = _rng.normal(size=(N, N))
X0 = _rng.uniform(-1.5, 1.5, size=N)
V0 = _rng.normal(size=N)


def f_poly(x):
    return ops.sum(x * x * ops.sin(x)) + ops.sum(x * ops.matmul(T(A), x))


def grad_exact(x):
    return 2 * x * np.sin(x) + x * x * np.cos(x) + (A + A.T) @ x


def hess_exact(x):
    d2 = 2 * np.sin(x) + 4 * x * np.cos(x) - x * x * np.sin(x)
    return np.diag(d2) + A + A.T


def third_exact(x):
    d3 = 6 * np.cos(x) - 6 * x * np.sin(x) - x * x * np.cos(x)
    out = np.zeros((N, N, N))
    for i in range(N):
        out[i, i, i] = d3[i]
    return out


# ---- the spec's examples -----------------------------------------------------------------------


def test_grad_of_grad_3x_cubed_at_2():
    def f(x):
        return 3 * x**3

    x = Tensor(np.array([2.0], np.float32))
    d1 = ms.grad(f)
    d2 = ms.grad(d1)
    d3 = ms.grad(d2)
    d4 = ms.grad(d3)
    np.testing.assert_allclose(npv(f(x)), [24.0])
    np.testing.assert_allclose(npv(d1(x)), [36.0])
    np.testing.assert_allclose(npv(d2(x)), [36.0])
    np.testing.assert_allclose(npv(d3(x)), [18.0])
    np.testing.assert_allclose(npv(d4(x)), [0.0])
    assert d3(x).dtype == ms.float32
    # 0-d input stays 0-d at every order.
    g0 = ms.grad(ms.grad(f))(Tensor(2.0))
    assert g0.shape == () and float(g0) == 36.0


def test_grad_of_grad_of_multi_output_is_second_derivative_of_the_sum():
    def f2(x):
        return x**3, 2 * x * x

    x = Tensor(np.array([2.0], np.float32))
    np.testing.assert_allclose(npv(ms.grad(ms.grad(f2))(x)), [16.0])  # 6x + 4


def test_grad_of_grad_with_tuple_positions():
    def g(x, y):
        return x * x * y

    a, b = Tensor(np.array([1.0, 2.0], np.float32)), Tensor(np.array([3.0, 4.0], np.float32))
    ga, gb = ms.grad(ms.grad(g, (0, 1)), (0, 1))(a, b)
    # inner: (2xy, x^2), summed: 2xy + x^2 -> (2y + 2x, 2x)
    np.testing.assert_allclose(npv(ga), [8.0, 12.0])
    np.testing.assert_allclose(npv(gb), [2.0, 4.0])


def test_grad_inside_a_cell_that_is_differentiated():
    class Inner(nn.Cell):
        def construct(self, x):
            return x**3

    class Outer(nn.Cell):
        def __init__(self):
            super().__init__()
            self.inner = Inner()
            self.dfn = ms.grad(self.inner)

        def construct(self, x):
            return self.dfn(x)

    x = Tensor(np.array([1.0, 2.0], np.float32))
    net = Outer()
    np.testing.assert_allclose(npv(net(x)), [3.0, 12.0])
    np.testing.assert_allclose(npv(ms.grad(net)(x)), [6.0, 12.0])

    class Net2(nn.Cell):
        def construct(self, x):
            return ms.grad(ops.sin)(x) * x

    xv = np.array([1.0, 2.0])
    np.testing.assert_allclose(
        npv(ms.grad(Net2())(T(xv))), np.cos(xv) - xv * np.sin(xv), rtol=1e-13
    )


def test_grad_inside_cell_with_weights_at_both_levels():
    # Inner grad w.r.t. the input, outer grad w.r.t. the cell's weight: d/dw sum(d/dx (w x^2))
    # = d/dw sum(2 w x) = sum(2x).
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(T([1.5]), name="w")

        def energy(self, x):
            return ops.sum(self.w * x * x)

        def construct(self, x):
            return ms.grad(self.energy)(x)

    net = Net()
    x = T([1.0, -3.0, 4.0])
    gx, (gw,) = ms.grad(net, 0, net.trainable_params())(x)
    np.testing.assert_allclose(npv(gx), [3.0, 3.0, 3.0])
    np.testing.assert_allclose(npv(gw), [4.0])


# ---- forward over reverse, reverse over forward -----------------------------------------------


def test_jvp_of_grad_is_hessian_vector_product_golden():
    def f(x):
        return ops.sum(x**3) + x[0] * x[1]

    x = Tensor(np.array([1.0, 2.0], np.float32))
    v = Tensor(np.array([1.0, 0.0], np.float32))
    g, hv = ms.jvp(ms.grad(f), x, v)
    np.testing.assert_allclose(npv(g), [5.0, 13.0])
    np.testing.assert_allclose(npv(hv), [6.0, 1.0])


def test_jvp_of_grad_matches_hessian_times_v():
    x, v = T(X0), T(V0)
    g, hv = ms.jvp(ms.grad(f_poly), x, v)
    np.testing.assert_allclose(npv(g), grad_exact(X0), rtol=1e-12)
    np.testing.assert_allclose(npv(hv), hess_exact(X0) @ V0, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(npv(hv), npv(ms.hessian(f_poly)(x)) @ V0, rtol=1e-12, atol=1e-12)


def test_grad_of_jvp_matches_hessian_times_v():
    x, v = T(X0), T(V0)

    def directional(x):
        return ms.jvp(f_poly, x, v)[1]  # <grad f(x), v>

    np.testing.assert_allclose(npv(directional(x)), grad_exact(X0) @ V0, rtol=1e-12)
    np.testing.assert_allclose(
        npv(ms.grad(directional)(x)), hess_exact(X0) @ V0, rtol=1e-12, atol=1e-12
    )


def test_jvp_of_jvp_is_second_directional_derivative():
    x, v = T(X0), T(V0)
    u = T(_rng.normal(size=N))

    def dir_u(x):
        return ms.jvp(f_poly, x, u)[1]

    _, second = ms.jvp(dir_u, x, v)
    np.testing.assert_allclose(npv(second), npv(u) @ hess_exact(X0) @ V0, rtol=1e-12)


def test_vjp_inside_grad():
    x, y = T(X0), T(V0)

    def h(x):
        _, pull = ms.vjp(lambda y: x * ops.sin(y), y)
        return ops.sum(pull(T(np.ones(N)))[0])  # sum(x cos y)

    np.testing.assert_allclose(npv(ms.grad(h)(x)), np.cos(V0), rtol=1e-13)


# ---- several routes to the same second derivative ----------------------------------------------


def test_all_routes_to_the_hessian_agree():
    x = T(X0)
    want = hess_exact(X0)
    routes = {
        "hessian": ms.hessian(f_poly),
        "jacfwd(jacrev)": ms.jacfwd(ms.jacrev(f_poly)),
        "jacrev(jacrev)": ms.jacrev(ms.jacrev(f_poly)),
        "jacrev(jacfwd)": ms.jacrev(ms.jacfwd(f_poly)),
        "jacfwd(jacfwd)": ms.jacfwd(ms.jacfwd(f_poly)),
        "jacrev(grad)": ms.jacrev(ms.grad(f_poly)),
        "jacfwd(grad)": ms.jacfwd(ms.grad(f_poly)),
    }
    for name, route in routes.items():
        h = route(x)
        assert h.shape == (N, N), name
        assert h.dtype == ms.float64, name
        np.testing.assert_allclose(npv(h), want, rtol=1e-11, atol=1e-12, err_msg=name)
    # grad of grad differentiates the summed gradient: H @ 1.
    np.testing.assert_allclose(npv(ms.grad(ms.grad(f_poly))(x)), want.sum(0), rtol=1e-11)
    # Row by row with grad of one component of grad.
    for i in range(N):
        row = ms.grad(lambda x, i=i: ms.grad(f_poly)(x)[i])(x)
        np.testing.assert_allclose(npv(row), want[i], rtol=1e-11, atol=1e-12)


def test_hessian_of_two_inputs_agrees_with_mixed_grads():
    rng = np.random.default_rng(3)
    xv, yv = rng.normal(size=2), rng.normal(size=2)

    def f(x, y):
        return ops.sum(ops.sin(x) * y * y) + ops.sum(x * x * x)

    x, y = T(xv), T(yv)
    H = ms.hessian(f, (0, 1))(x, y)
    hxx = np.diag(-np.sin(xv) * yv * yv + 6 * xv)
    hxy = np.diag(2 * np.cos(xv) * yv)
    hyy = np.diag(2 * np.sin(xv))
    np.testing.assert_allclose(npv(H[0][0]), hxx, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(npv(H[0][1]), hxy, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(npv(H[1][0]), hxy.T, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(npv(H[1][1]), hyy, rtol=1e-12, atol=1e-14)
    # Mixed partial by grad of grad: d/dy sum(df/dx) = 2 cos(x) y.
    np.testing.assert_allclose(
        npv(ms.grad(ms.grad(f, 0), 1)(x, y)), 2 * np.cos(xv) * yv, rtol=1e-12
    )
    np.testing.assert_allclose(
        npv(ms.grad(ms.grad(f, 1), 0)(x, y)), 2 * np.cos(xv) * yv, rtol=1e-12
    )


# ---- third order -----------------------------------------------------------------------------


def test_third_order_routes():
    x = T(X0)
    want = third_exact(X0)
    np.testing.assert_allclose(npv(ms.jacrev(ms.hessian(f_poly))(x)), want, atol=1e-11)
    np.testing.assert_allclose(npv(ms.jacfwd(ms.jacrev(ms.grad(f_poly)))(x)), want, atol=1e-11)
    # grad of grad of grad: sum over the last two axes.
    np.testing.assert_allclose(
        npv(ms.grad(ms.grad(ms.grad(f_poly)))(x)), want.sum((0, 1)), atol=1e-11
    )
    # Forward over forward over reverse along one direction.
    v = T(V0)
    d3 = ms.jvp(lambda x: ms.jvp(ms.grad(f_poly), x, v)[1], x, v)[1]
    np.testing.assert_allclose(npv(d3), np.einsum("ijk,j,k->i", want, V0, V0), atol=1e-11)


def test_third_derivative_of_sin():
    xv = np.array([0.0, 0.5, 2.0])
    d3 = ms.grad(ms.grad(ms.grad(ops.sin)))(T(xv))
    np.testing.assert_allclose(npv(d3), -np.cos(xv), rtol=1e-14)
    d2 = ms.grad(ms.grad(ops.sin))(Tensor(np.array([0.0, 1.0], np.float32)))
    np.testing.assert_allclose(npv(d2), [-0.0, -np.sin(1.0)], rtol=1e-6)


# ---- perturbation confusion --------------------------------------------------------------------


def test_perturbation_confusion_siskind_pearlmutter():
    # d/dx [x * (d/dy (x + y))|_{y=c}] = d/dx [x * 1] = 1; a confused implementation gives 2.
    c = T(3.0)
    for x0 in (T(1.0), T(-2.5)):
        got = ms.grad(lambda x: x * ms.grad(lambda y: x + y)(c))(x0)
        assert got.shape == ()
        np.testing.assert_allclose(npv(got), 1.0)


def test_perturbation_confusion_product():
    # d/dx [x * (d/dy (x * y))|_{y=c}] = d/dx [x * x] = 2x.
    c = T(0.7)
    x0 = T(1.25)
    np.testing.assert_allclose(npv(ms.grad(lambda x: x * ms.grad(lambda y: x * y)(c))(x0)), 2.5)


def test_perturbation_confusion_inner_called_at_the_outer_variable():
    # d/dx [(d/dy (x * y))|_{y=x}] = d/dx [x] = 1 (not 2): y is a new variable even though it is
    # given the outer tracer itself.
    x0 = T(1.5)
    np.testing.assert_allclose(npv(ms.grad(lambda x: ms.grad(lambda y: x * y)(x))(x0)), 1.0)
    np.testing.assert_allclose(npv(ms.grad(lambda x: ms.grad(lambda y: y * y * x)(x))(x0)), 6.0)


def test_perturbation_confusion_forward_mode():
    one, c, x0 = T(1.0), T(3.0), T(2.0)
    # D_x [x * D_y (x + y)] = 1
    got = ms.jvp(lambda x: x * ms.jvp(lambda y: x + y, c, one)[1], x0, one)[1]
    np.testing.assert_allclose(npv(got), 1.0)
    # reverse over forward: d/dx [x * D_y (x y)] = 2x
    got = ms.grad(lambda x: x * ms.jvp(lambda y: x * y, c, one)[1])(x0)
    np.testing.assert_allclose(npv(got), 4.0)
    # forward over reverse, inner at the outer variable: D_x [d/dy (x y)|_{y=x}] = 1
    got = ms.jvp(lambda x: ms.grad(lambda y: x * y)(x), x0, one)[1]
    np.testing.assert_allclose(npv(got), 1.0)


# ---- closures over outer tracers ---------------------------------------------------------------


def test_closure_over_outer_tracer_in_inner_grad():
    rng = np.random.default_rng(11)
    xv, yv = rng.normal(size=4), rng.normal(size=4)
    y0 = T(yv)

    def outer(x):
        inner = ms.grad(lambda y: ops.sum(ops.sin(x * y)))(y0)  # x cos(x y0)
        return ops.sum(inner)

    np.testing.assert_allclose(npv(outer(T(xv))), (xv * np.cos(xv * yv)).sum(), rtol=1e-13)
    want = np.cos(xv * yv) - xv * yv * np.sin(xv * yv)
    np.testing.assert_allclose(npv(ms.grad(outer)(T(xv))), want, rtol=1e-12)
    np.testing.assert_allclose(npv(ms.jvp(outer, T(xv), T(np.ones(4)))[1]), want.sum(), rtol=1e-12)


def test_closure_over_outer_tracer_in_inner_jacobians():
    xv, yv = np.array([0.5, -1.0]), np.array([2.0, 3.0])
    y0 = T(yv)

    def via_jacrev(x):
        return ops.sum(ms.jacrev(lambda y: x * y * y)(y0))  # sum(2 x y0)

    def via_jacfwd(x):
        return ops.sum(ms.jacfwd(lambda y: x * y * y)(y0))

    np.testing.assert_allclose(npv(ms.grad(via_jacrev)(T(xv))), 2 * yv, rtol=1e-14)
    np.testing.assert_allclose(npv(ms.grad(via_jacfwd)(T(xv))), 2 * yv, rtol=1e-14)


def test_inner_result_used_after_inner_transform_finished():
    # The inner gradient (a function of the outer tracer) is used in further computation.
    def outer(x):
        g = ms.grad(lambda z: ops.sum(z**4))(x)  # 4 x^3
        return ops.sum(g * x)  # 4 x^4

    xv = np.array([0.5, 1.5])
    np.testing.assert_allclose(npv(ms.grad(outer)(T(xv))), 16 * xv**3, rtol=1e-13)
    assert _trace._stack == []


# ---- higher order with value_and_grad and weights ----------------------------------------------


def test_value_and_grad_of_value_and_grad_golden():
    x = Tensor(np.array([0.5, 1.5], np.float32))

    def f(x):
        return ops.sum(x**4)

    def first(x):
        v, g = ms.value_and_grad(f)(x)
        return ops.sum(g)

    v, g = ms.value_and_grad(first)(x)
    np.testing.assert_allclose(npv(v), 14.0, rtol=1e-6)
    np.testing.assert_allclose(npv(g), [3.0, 27.0], rtol=1e-6)

    def first2(x):
        return ms.grad(f)(x)

    v, g = ms.value_and_grad(first2)(x)
    np.testing.assert_allclose(npv(v), [0.5, 13.5], rtol=1e-6)
    np.testing.assert_allclose(npv(g), [3.0, 27.0], rtol=1e-6)


def test_higher_order_value_and_grad_with_weights():
    w = Parameter(T([0.5, -2.0]), name="w")
    x = T([3.0, 1.5])
    wv, xv = np.array([0.5, -2.0]), np.array([3.0, 1.5])

    def loss(x):
        return ops.sum(w**3 * x)

    def penalised(x):
        v, (gw,) = ms.value_and_grad(loss, None, [w])(x)  # (sum w^3 x, 3 w^2 x)
        return v + ops.sum(gw)

    value, (gx, (gw,)) = ms.value_and_grad(penalised, 0, [w])(x)
    np.testing.assert_allclose(npv(value), (wv**3 * xv + 3 * wv**2 * xv).sum(), rtol=1e-13)
    np.testing.assert_allclose(npv(gx), wv**3 + 3 * wv**2, rtol=1e-13)
    np.testing.assert_allclose(npv(gw), 3 * wv**2 * xv + 6 * wv * xv, rtol=1e-13)
    # grad of grad, both w.r.t. the weight.
    np.testing.assert_allclose(
        npv(ms.grad(ms.grad(loss, None, w), None, w)(x)), 6 * wv * xv, rtol=1e-13
    )
    assert isinstance(w._value, np.ndarray)
    np.testing.assert_array_equal(w.asnumpy(), wv)


def test_gradient_penalty_on_a_cell_matches_finite_differences():
    # WGAN-GP style: outer grad w.r.t. the weights of ||d net / d x||^2.
    rng = np.random.default_rng(5)
    wv, xv = rng.normal(size=(3, 2)), rng.normal(size=(4, 3))

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.weight = Parameter(Tensor(wv.copy()), name="weight")

        def construct(self, x):
            return ops.sum(ops.tanh(ops.matmul(x, self.weight)))

    net = Net()

    def penalty(x):
        gx = ms.grad(net)(x)
        return ops.sum(gx * gx)

    (gw,) = ms.grad(penalty, None, net.trainable_params())(Tensor(xv))

    def penalty_np(W):
        s = 1 - np.tanh(xv @ W) ** 2
        return ((s @ W.T) ** 2).sum()

    eps, fd = 1e-6, np.zeros_like(wv)
    for idx in np.ndindex(*wv.shape):
        d = np.zeros_like(wv)
        d[idx] = eps
        fd[idx] = (penalty_np(wv + d) - penalty_np(wv - d)) / (2 * eps)
    np.testing.assert_allclose(npv(gw), fd, rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(net.weight.asnumpy(), wv)


def test_jit_composes_with_grad():
    x = T(X0)
    want = grad_exact(X0)
    np.testing.assert_allclose(npv(ms.jit(ms.grad(f_poly))(x)), want, rtol=1e-12)
    np.testing.assert_allclose(npv(ms.grad(ms.jit(f_poly))(x)), want, rtol=1e-12)
    np.testing.assert_allclose(
        npv(ms.grad(ms.jit(ms.grad(f_poly)))(x)), hess_exact(X0).sum(0), rtol=1e-11
    )


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_nth_derivative_of_exp_is_exp(order):
    xv = np.array([-0.3, 0.4, 1.1])
    g = lambda x: ops.sum(ops.exp(x))  # noqa: E731
    for _ in range(order):
        g = ms.grad(g)
    np.testing.assert_allclose(npv(g(T(xv))), np.exp(xv), rtol=1e-14)
