"""`ops.stop_gradient` (spec 2.10): a new object cut from the graph that keeps its value."""

import numpy as np
import pytest

import minispore as ms
from minispore import Parameter, Tensor, nn, ops


def T(a, dtype=np.float32):
    return Tensor(np.asarray(a, dtype=dtype))


def npv(t):
    assert isinstance(t, Tensor), f"expected a Tensor, got {type(t).__name__}"
    return t.asnumpy()


def test_returns_a_new_tensor_with_the_same_value_and_dtype():
    for arr in (
        np.array([2.0], np.float32),
        np.array([[1.0, -2.0]], np.float64),
        np.array([1, 2], np.int32),
        np.array(3.5, np.float16),
    ):
        x = Tensor(arr)
        s = ops.stop_gradient(x)
        assert s is not x
        assert isinstance(s, Tensor)
        assert s.dtype == x.dtype and s.shape == x.shape
        np.testing.assert_array_equal(npv(s), arr)


def test_parameter_input_gives_a_plain_new_tensor():
    p = Parameter(T([1.0, 2.0]), name="p")
    s = ops.stop_gradient(p)
    assert s is not p
    np.testing.assert_array_equal(npv(s), [1.0, 2.0])


def test_maps_over_a_tuple():
    x, y = T([2.0]), T([3.0])
    r = ops.stop_gradient((x, y))
    assert type(r) is tuple and len(r) == 2
    assert r[0] is not x and r[1] is not y
    np.testing.assert_array_equal(npv(r[0]), [2.0])
    np.testing.assert_array_equal(npv(r[1]), [3.0])


def test_tuple_mapping_stops_every_element_under_grad():
    x, y = T([2.0, 1.0]), T([3.0, -1.0])

    def f(x, y):
        a, b = ops.stop_gradient((x * y, x + y))
        return ops.sum(a * x + b * y)

    gx, gy = ms.grad(f, (0, 1))(x, y)
    np.testing.assert_allclose(npv(gx), [6.0, -1.0])  # a = x*y held constant
    np.testing.assert_allclose(npv(gy), [5.0, 0.0])  # b = x+y held constant


@pytest.mark.parametrize("value", [2.5, 3, True, None])
def test_python_scalar_is_returned_unchanged(value):
    assert ops.stop_gradient(value) is value


def test_stopped_value_still_contributes_its_value():
    # d/dy [(stop(x*y) + x*y) * y] = x*y + 2xy = 3xy
    x, y = T([2.0]), T([3.0])

    def f(x, y):
        return (ops.stop_gradient(x * y) + x * y) * y

    np.testing.assert_allclose(npv(ms.grad(f, 1)(x, y)), [18.0])
    # d/dx = y * y (only the unstopped product)
    np.testing.assert_allclose(npv(ms.grad(f, 0)(x, y)), [9.0])
    v, _ = ms.value_and_grad(f, 1)(x, y)
    np.testing.assert_allclose(npv(v), [36.0])


def test_three_x_y_rule_in_float64():
    rng = np.random.default_rng(0)
    xv, yv = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))

    def f(x, y):
        return ops.sum((ops.stop_gradient(x * y) + x * y) * y)

    gy = ms.grad(f, 1)(Tensor(xv), Tensor(yv))
    assert gy.dtype == ms.float64
    np.testing.assert_allclose(npv(gy), 3 * xv * yv, rtol=1e-14)


def test_fully_stopped_output_gives_zeros():
    x = T([2.0])
    g = ms.grad(lambda x: ops.stop_gradient(x * x))(x)
    assert g.shape == (1,) and g.dtype == ms.float32
    np.testing.assert_array_equal(npv(g), [0.0])
    x64 = Tensor(np.ones((2, 3), np.float64))
    g = ms.grad(lambda x: ops.sum(ops.stop_gradient(ops.exp(x))))(x64)
    assert g.shape == (2, 3) and g.dtype == ms.float64
    np.testing.assert_array_equal(npv(g), np.zeros((2, 3)))


def test_docstring_example_gives_0d_zero():
    g = ms.grad(lambda x: ops.stop_gradient(x) ** 2)(ms.tensor(3.0))
    assert isinstance(g, Tensor)
    assert g.shape == ()
    assert g.dtype == ms.float32
    assert float(g) == 0.0


def test_stop_gradient_on_a_weight():
    w = Parameter(T([1.0, 2.0]), name="w")
    x = T([3.0, 4.0])

    def f(x):
        return ops.sum(ops.stop_gradient(w) * x + w * w)

    gx, (gw,) = ms.grad(f, 0, [w])(x)
    np.testing.assert_allclose(npv(gx), [1.0, 2.0])
    np.testing.assert_allclose(npv(gw), [2.0, 4.0])  # only w*w


def test_stopped_extra_outputs_contribute_no_gradient():
    # Like has_aux, but as ordinary outputs: stopped outputs add nothing to the summed gradient.
    x = T([1.0, 2.0])
    g = ms.grad(lambda x: (x * x, ops.stop_gradient(x * 3)))(x)
    np.testing.assert_allclose(npv(g), [2.0, 4.0])
    g_aux, aux = ms.grad(lambda x: (x * x, x * 3), has_aux=True)(x)
    np.testing.assert_allclose(npv(g_aux), npv(g))


def test_stop_gradient_in_forward_mode_gives_zero_tangent():
    x, v = T([1.0, 2.0]), T([1.0, 1.0])
    _, tan = ms.jvp(lambda x: ops.stop_gradient(x * x) + x * 5, x, v)
    np.testing.assert_allclose(npv(tan), [5.0, 5.0])
    _, tan = ms.jvp(lambda x: ops.stop_gradient(x * x), x, v)
    np.testing.assert_allclose(npv(tan), [0.0, 0.0])
    np.testing.assert_allclose(
        npv(ms.jacfwd(lambda x: ops.stop_gradient(x) * x)(x)), np.diag([1.0, 2.0])
    )
    np.testing.assert_allclose(
        npv(ms.jacrev(lambda x: ops.stop_gradient(x) * x)(x)), np.diag([1.0, 2.0])
    )


def test_stop_gradient_in_higher_order():
    # f(x) = stop(x^2) * x^2: f' = 2x * x^2 (stopped factor constant); grad of grad treats the
    # stopped factor as constant at every level: f'' = 2 x^2.
    x = T([1.5], np.float64)
    f = lambda x: ops.stop_gradient(x * x) * x * x  # noqa: E731
    np.testing.assert_allclose(npv(ms.grad(f)(x)), [2 * 1.5**3])
    np.testing.assert_allclose(npv(ms.grad(ms.grad(f))(x)), [2 * 1.5**2])


def test_stop_gradient_inside_an_inner_grad():
    y0 = T(2.0, np.float64)
    x0 = T(3.0, np.float64)

    # Inner: d/dy [stop(y*y) * y * x] = y0^2 * x; x is outside the stop, so the outer
    # derivative is y0^2.
    def outer(x):
        return ms.grad(lambda y: ops.stop_gradient(y * y) * y * x)(y0)

    np.testing.assert_allclose(npv(outer(x0)), 12.0)
    np.testing.assert_allclose(npv(ms.grad(outer)(x0)), 4.0)

    # Inner: d/dy [stop(x*y) * y] = stop(x*y0); the stop cuts every level, so the outer
    # derivative is 0 while the value is x*y0.
    def outer2(x):
        return ms.grad(lambda y: ops.stop_gradient(x * y) * y)(y0)

    np.testing.assert_allclose(npv(outer2(x0)), 6.0)
    np.testing.assert_allclose(npv(ms.grad(outer2)(x0)), 0.0)


def test_stop_gradient_in_a_cell_tutorial_style():
    class Net(nn.Cell):
        def construct(self, x, y):
            out1 = ops.matmul(x, y)
            out2 = ops.stop_gradient(ops.matmul(x, y))
            return out1 + out2

    rng = np.random.default_rng(2)
    xv, yv = rng.normal(size=(2, 3)), rng.normal(size=(3, 2))
    v, (gx, gy) = ms.value_and_grad(Net(), (0, 1))(Tensor(xv), Tensor(yv))
    np.testing.assert_allclose(npv(v), 2 * xv @ yv, rtol=1e-14)
    np.testing.assert_allclose(npv(gx), np.ones((2, 2)) @ yv.T, rtol=1e-14)
    np.testing.assert_allclose(npv(gy), xv.T @ np.ones((2, 2)), rtol=1e-14)
