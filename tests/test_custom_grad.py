"""Custom gradients: `custom_vjp` functions (`defvjp`, `defjvp`), Cells with `bprop`, and the
older `ops.GradOperation` interface, as in MindSpore's derivation tutorial."""

import numpy as np
import pytest

import minispore as ms
from minispore import Parameter, ParameterTuple, Tensor, nn, ops
from minispore.core import primitive as _primitive
from minispore.core import trace as _trace


def T(a, dtype=np.float64):
    return Tensor(np.asarray(a, dtype=dtype))


def npv(t):
    assert isinstance(t, Tensor), f"expected a Tensor, got {type(t).__name__}"
    return t.asnumpy()


def no_leaked_state():
    assert _trace._stack == []
    assert _primitive._suspended == []


def make_square_times_ten():
    """x * x whose declared gradient is 10 * dout: easy to tell from the true 2x."""

    @ms.custom_vjp
    def sq(x):
        return x * x

    sq.defvjp(lambda x, out, dout: (dout * 10,))
    return sq


def make_exp():
    """exp with a bprop written with ops from `out`: differentiable again."""

    @ms.custom_vjp
    def cexp(x):
        return ops.exp(x)

    cexp.defvjp(lambda x, out, dout: (dout * out,))
    return cexp


def make_cube():
    """x^3 with a bprop written from the input: 3 x^2 dout."""

    @ms.custom_vjp
    def cube(x):
        return x * x * x

    cube.defvjp(lambda x, out, dout: (3 * x * x * dout,))
    return cube


XV = np.array([0.5, -1.0, 2.0])


# ---- custom_vjp under reverse mode -------------------------------------------------------------


def test_custom_vjp_bprop_replaces_the_gradient():
    sq = make_square_times_ten()
    x = T(XV)
    np.testing.assert_allclose(npv(sq(x)), XV * XV)  # forward is the function's
    np.testing.assert_allclose(npv(ms.grad(lambda x: ops.sum(sq(x)))(x)), [10.0, 10.0, 10.0])
    # The grad of a function returning the custom output directly (ones cotangent).
    np.testing.assert_allclose(npv(ms.grad(sq)(x)), [10.0, 10.0, 10.0])


def test_custom_vjp_bprop_receives_inputs_out_and_dout():
    seen = {}

    @ms.custom_vjp
    def f(x, y):
        return x * y + 1

    def bprop(x, y, out, dout):
        seen.update(x=npv(x), y=npv(y), out=npv(out), dout=npv(dout))
        return dout * y, dout * x

    f.defvjp(bprop)
    x, y, s = T([1.0, 2.0]), T([3.0, 4.0]), T([0.5, -1.0])
    gx, gy = ms.grad(f, (0, 1), sens_param=True)(x, y, s)
    np.testing.assert_allclose(seen["x"], [1.0, 2.0])
    np.testing.assert_allclose(seen["y"], [3.0, 4.0])
    np.testing.assert_allclose(seen["out"], [4.0, 9.0])
    np.testing.assert_allclose(seen["dout"], [0.5, -1.0])
    np.testing.assert_allclose(npv(gx), [1.5, -4.0])
    np.testing.assert_allclose(npv(gy), [0.5, -2.0])


def test_custom_vjp_value_and_grad():
    sq = make_square_times_ten()
    x = T(XV)
    v, g = ms.value_and_grad(lambda x: ops.sum(sq(x) * 2))(x)
    np.testing.assert_allclose(npv(v), 2 * (XV * XV).sum())
    np.testing.assert_allclose(npv(g), [20.0, 20.0, 20.0])


def test_custom_vjp_chain_rule_inside_a_larger_function():
    cexp = make_exp()

    def with_custom(x):
        return ops.sum(ops.sin(cexp(x * 3)) ** 2)

    def reference(x):
        return ops.sum(ops.sin(ops.exp(x * 3)) ** 2)

    x = T(XV)
    np.testing.assert_allclose(npv(ms.grad(with_custom)(x)), npv(ms.grad(reference)(x)), rtol=1e-13)
    u = np.exp(3 * XV)
    np.testing.assert_allclose(
        npv(ms.grad(with_custom)(x)), 2 * np.sin(u) * np.cos(u) * u * 3, rtol=1e-13
    )


def test_custom_vjp_used_twice_in_one_function():
    sq = make_square_times_ten()
    x = T(XV)
    # d/dx sum(sq(x) + sq(2x)) by the declared rule: 10 + 20
    np.testing.assert_allclose(
        npv(ms.grad(lambda x: ops.sum(sq(x) + sq(x * 2)))(x)), [30.0, 30.0, 30.0]
    )
    # Composition: sq(sq(x)): 10 * 10
    np.testing.assert_allclose(npv(ms.grad(lambda x: ops.sum(sq(sq(x))))(x)), [100.0] * 3)


def test_custom_vjp_with_weights_outside_the_custom_function():
    sq = make_square_times_ten()
    w = Parameter(T([2.0, 3.0, 4.0]), name="w")
    x = T(XV)
    gx, (gw,) = ms.grad(lambda x: ops.sum(sq(x * w)), 0, [w])(x)
    np.testing.assert_allclose(npv(gx), 10 * np.array([2.0, 3.0, 4.0]))
    np.testing.assert_allclose(npv(gw), 10 * XV)


def test_custom_vjp_grad_of_grad():
    cube = make_cube()
    x = T(XV)
    d1 = ms.grad(cube)
    d2 = ms.grad(d1)
    d3 = ms.grad(d2)
    np.testing.assert_allclose(npv(d1(x)), 3 * XV**2)
    np.testing.assert_allclose(npv(d2(x)), 6 * XV)
    np.testing.assert_allclose(npv(d3(x)), [6.0, 6.0, 6.0])
    cexp = make_exp()
    np.testing.assert_allclose(npv(ms.grad(ms.grad(cexp))(x)), np.exp(XV), rtol=1e-14)


def test_custom_vjp_second_order_follows_the_bprop_not_the_body():
    # Second derivative of x*x via a bprop of 10 * dout: d/dx 10 = 0 (the true one would be 2).
    sq = make_square_times_ten()
    np.testing.assert_allclose(npv(ms.grad(ms.grad(sq))(T(XV))), [0.0, 0.0, 0.0])

    @ms.custom_vjp
    def g(x):
        return x * x

    g.defvjp(lambda x, out, dout: (dout * x * 5,))  # declared derivative 5x
    np.testing.assert_allclose(npv(ms.grad(ms.grad(g))(T(XV))), [5.0, 5.0, 5.0])


def test_custom_vjp_jacrev_uses_the_bprop():
    sq = make_square_times_ten()
    np.testing.assert_allclose(npv(ms.jacrev(sq)(T(XV))), 10 * np.eye(3))


def test_custom_vjp_vjp_uses_the_bprop():
    sq = make_square_times_ten()
    out, vjp_fn = ms.vjp(sq, T(XV))
    np.testing.assert_allclose(npv(out), XV * XV)
    np.testing.assert_allclose(npv(vjp_fn(T([1.0, 2.0, 3.0]))[0]), [10.0, 20.0, 30.0])
    np.testing.assert_allclose(npv(vjp_fn(T([1.0, 2.0, 3.0]))[0]), [10.0, 20.0, 30.0])


# ---- custom_vjp under forward mode -------------------------------------------------------------


def test_custom_vjp_jvp_without_defjvp_goes_through_the_body():
    sq = make_square_times_ten()
    out, tan = ms.jvp(sq, T(XV), T([1.0, 1.0, 1.0]))
    np.testing.assert_allclose(npv(out), XV * XV)
    np.testing.assert_allclose(npv(tan), 2 * XV)
    np.testing.assert_allclose(npv(ms.jacfwd(sq)(T(XV))), np.diag(2 * XV))


def test_custom_vjp_jvp_with_defjvp_uses_the_rule():
    @ms.custom_vjp
    def sq(x):
        return x * x

    sq.defvjp(lambda x, out, dout: (dout * 10,))
    seen = {}

    def rule(primals, tangents):
        seen["primals"] = [npv(p) for p in primals]
        seen["tangents"] = [npv(t) for t in tangents]
        return tangents[0] * 7

    sq.defjvp(rule)
    v = T([1.0, 2.0, -1.0])
    out, tan = ms.jvp(sq, T(XV), v)
    np.testing.assert_allclose(npv(out), XV * XV)
    np.testing.assert_allclose(npv(tan), [7.0, 14.0, -7.0])
    np.testing.assert_allclose(seen["primals"][0], XV)
    np.testing.assert_allclose(seen["tangents"][0], [1.0, 2.0, -1.0])
    np.testing.assert_allclose(npv(ms.jacfwd(sq)(T(XV))), 7 * np.eye(3))
    # Reverse mode is unaffected by the JVP rule.
    np.testing.assert_allclose(npv(ms.jacrev(sq)(T(XV))), 10 * np.eye(3))


def test_custom_vjp_defjvp_with_two_inputs_gets_zero_tangents_for_the_other():
    @ms.custom_vjp
    def mul(x, y):
        return x * y

    mul.defvjp(lambda x, y, out, dout: (dout * y, dout * x))
    mul.defjvp(lambda p, t: t[0] * p[1] + p[0] * t[1])
    x, y = T([1.0, 2.0]), T([3.0, 5.0])
    _, tan = ms.jvp(mul, (x, y), (T([1.0, 1.0]), T([0.0, 0.0])))
    np.testing.assert_allclose(npv(tan), [3.0, 5.0])
    _, tan = ms.jvp(mul, (x, y), (T([1.0, 0.0]), T([0.0, 1.0])))
    np.testing.assert_allclose(npv(tan), [3.0, 2.0])
    j = ms.jacfwd(mul, (0, 1))(x, y)
    np.testing.assert_allclose(npv(j[0]), np.diag([3.0, 5.0]))
    np.testing.assert_allclose(npv(j[1]), np.diag([1.0, 2.0]))


def test_custom_vjp_forward_over_reverse_hvp():
    cube = make_cube()
    # grad is 3 x^2 (from the bprop, built from ops), its JVP gives 6 x v.
    g, hv = ms.jvp(ms.grad(cube), T(XV), T([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(npv(g), 3 * XV**2)
    np.testing.assert_allclose(npv(hv), 6 * XV * np.array([1.0, 2.0, 3.0]))


# ---- bprop errors ------------------------------------------------------------------------------


def test_bprop_returning_the_wrong_count_raises_value_error():
    @ms.custom_vjp
    def f(x, y):
        return x * y

    f.defvjp(lambda x, y, out, dout: (dout * y,))
    x, y = T([1.0, 2.0]), T([3.0, 4.0])
    with pytest.raises(ValueError, match=r"2 gradient|one per input"):
        ms.grad(f, (0, 1))(x, y)
    no_leaked_state()

    f.defvjp(lambda x, y, out, dout: (dout * y, dout * x, dout))
    with pytest.raises(ValueError, match=r"length 3|3"):
        ms.grad(f, 0)(x, y)
    no_leaked_state()


def test_bprop_returning_the_wrong_shape_raises_value_error():
    @ms.custom_vjp
    def f(x):
        return x * 2

    f.defvjp(lambda x, out, dout: (ops.sum(dout),))
    x = T([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match=r"shape.*\(\).*\(2, 2\)|\(2, 2\).*\(\)"):
        ms.grad(f)(x)
    no_leaked_state()
    # The next call with a fixed bprop works.
    f.defvjp(lambda x, out, dout: (dout * 2,))
    np.testing.assert_allclose(npv(ms.grad(f)(x)), 2 * np.ones((2, 2)))


def test_bprop_raising_leaves_no_state_and_weights_restored():
    w = Parameter(T([1.0, 2.0]), name="w")

    @ms.custom_vjp
    def f(x):
        return x * 3

    def bad(x, out, dout):
        raise ArithmeticError("bprop failed")

    f.defvjp(bad)
    with pytest.raises(ArithmeticError, match="bprop failed"):
        ms.grad(lambda x: ops.sum(f(x * w)), 0, [w])(T([1.0, 1.0]))
    no_leaked_state()
    assert isinstance(w._value, np.ndarray)
    np.testing.assert_array_equal(w.asnumpy(), [1.0, 2.0])


def test_forward_error_inside_custom_function_leaves_no_state():
    @ms.custom_vjp
    def f(x):
        raise LookupError("forward failed")

    f.defvjp(lambda x, out, dout: (dout,))
    with pytest.raises(LookupError):
        ms.grad(f)(T([1.0]))
    no_leaked_state()
    # Tracers are not suspended any more: an ordinary grad still records.
    np.testing.assert_allclose(npv(ms.grad(lambda x: ops.sum(x * x))(T([3.0]))), [6.0])


def test_custom_vjp_without_bprop_raises_when_differentiated():
    @ms.custom_vjp
    def f(x):
        return x * 2

    np.testing.assert_allclose(npv(f(T([1.0]))), [2.0])
    with pytest.raises(RuntimeError, match="defvjp"):
        ms.grad(f)(T([1.0]))
    no_leaked_state()


def test_custom_vjp_non_tensor_positional_input_raises():
    sq = make_square_times_ten()
    with pytest.raises(TypeError):
        sq(2.0)


# ---- Cells with bprop --------------------------------------------------------------------------


class MatMulPlusOneBprop(nn.Cell):
    """The derivation tutorial's custom-bprop Cell: dx = x + 1, dy = y + 1."""

    def construct(self, x, y):
        return ops.matmul(x, y)

    def bprop(self, x, y, out, dout):
        return x + 1, y + 1


TUT_X = np.array([[0.8, 0.6, 0.2], [1.8, 1.3, 1.1]], np.float32)
TUT_Y = np.array([[0.11, 3.3, 1.1], [1.1, 0.2, 1.4], [1.1, 2.2, 0.3]], np.float32)


def test_cell_bprop_tutorial_example():
    net = MatMulPlusOneBprop()
    x, y = Tensor(TUT_X), Tensor(TUT_Y)
    np.testing.assert_allclose(npv(net(x, y)), TUT_X @ TUT_Y, rtol=1e-6)
    gx, gy = ms.grad(net, (0, 1))(x, y)
    np.testing.assert_allclose(npv(gx), TUT_X + 1, rtol=1e-6)
    np.testing.assert_allclose(npv(gy), TUT_Y + 1, rtol=1e-6)
    gx, gy = ops.GradOperation(get_all=True)(net)(x, y)
    np.testing.assert_allclose(npv(gx), TUT_X + 1, rtol=1e-6)
    np.testing.assert_allclose(npv(gy), TUT_Y + 1, rtol=1e-6)


class ScaledSquare(nn.Cell):
    """x * x * k with a bprop that uses dout and an attribute: dout * 2 k x (the true one)."""

    def __init__(self, k):
        super().__init__()
        self.k = k
        self.calls = 0

    def construct(self, x):
        return x * x * self.k

    def bprop(self, x, out, dout):
        self.calls += 1
        return (dout * 2 * self.k * x,)


def test_cell_bprop_is_called_and_chains_with_dout():
    net = ScaledSquare(1.5)
    x = T(XV)
    v, g = ms.value_and_grad(lambda x: ops.sum(ops.sin(net(x))))(x)
    np.testing.assert_allclose(npv(v), np.sin(1.5 * XV**2).sum(), rtol=1e-14)
    np.testing.assert_allclose(npv(g), np.cos(1.5 * XV**2) * 3 * XV, rtol=1e-14)
    assert net.calls == 1


def test_cell_bprop_grad_of_grad():
    net = ScaledSquare(2.0)
    x = T(XV)
    np.testing.assert_allclose(npv(ms.grad(net)(x)), 4 * XV)
    np.testing.assert_allclose(npv(ms.grad(ms.grad(net))(x)), [4.0, 4.0, 4.0])


def test_cell_bprop_under_jvp_and_jacobians():
    net = MatMulPlusOneBprop()
    rng = np.random.default_rng(0)
    xv, yv = rng.normal(size=(2, 3)), rng.normal(size=(3, 2))
    vx = rng.normal(size=(2, 3))
    # No JVP rule: forward mode runs through construct (the true derivative).
    _, tan = ms.jvp(lambda x: net(x, T(yv)), T(xv), T(vx))
    np.testing.assert_allclose(npv(tan), vx @ yv, rtol=1e-13)
    # jacrev follows the bprop: every output element's pullback gives x + 1.
    j = ms.jacrev(lambda x: net(x, T(yv)))(T(xv))
    assert j.shape == (2, 2, 2, 3)
    np.testing.assert_allclose(npv(j[1, 0]), xv + 1, rtol=1e-13)
    np.testing.assert_allclose(npv(j[0, 1]), xv + 1, rtol=1e-13)


def test_cell_with_bprop_inside_a_bigger_network():
    class Clip(nn.Cell):
        """Identity forward, gradient clipped to [-1, 1] (a straight-through clip)."""

        def construct(self, h):
            return h * 1

        def bprop(self, h, out, dout):
            return (ops.clamp(dout, -1.0, 1.0),)

    class Net(nn.Cell):
        def __init__(self, wv):
            super().__init__()
            self.w = Parameter(Tensor(wv), name="w")
            self.clip = Clip()

        def construct(self, x):
            h = ops.matmul(x, self.w)
            return ops.sum(self.clip(h) * 5)

    rng = np.random.default_rng(1)
    wv, xv = rng.normal(size=(3, 2)), rng.normal(size=(4, 3))
    net = Net(wv)
    v, (gx, (gw,)) = ms.value_and_grad(net, 0, net.trainable_params())(Tensor(xv))
    np.testing.assert_allclose(npv(v), 5 * (xv @ wv).sum(), rtol=1e-13)
    dh = np.ones((4, 2))  # dout = 5, clipped to 1
    np.testing.assert_allclose(npv(gw), xv.T @ dh, rtol=1e-13)
    np.testing.assert_allclose(npv(gx), dh @ wv.T, rtol=1e-13)
    assert [p.name for p in net.trainable_params()] == ["w"]


def test_cell_bprop_wrong_count_and_shape_raise_value_error():
    class WrongCount(nn.Cell):
        def construct(self, x, y):
            return x * y

        def bprop(self, x, y, out, dout):
            return (dout,)

    class WrongShape(nn.Cell):
        def construct(self, x):
            return x * 2

        def bprop(self, x, out, dout):
            return (dout[0],)

    x, y = T([1.0, 2.0]), T([3.0, 4.0])
    with pytest.raises(ValueError, match="WrongCount"):
        ms.grad(WrongCount(), (0, 1))(x, y)
    no_leaked_state()
    with pytest.raises(ValueError, match=r"WrongShape.*shape|shape.*WrongShape"):
        ms.grad(WrongShape())(x)
    no_leaked_state()
    np.testing.assert_allclose(npv(ms.grad(lambda x: ops.sum(x * y))(x)), [3.0, 4.0])


# ---- ops.GradOperation (derivation tutorial) ----------------------------------------------------


class TutorialNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.matmul = ops.MatMul()
        self.z = Parameter(Tensor(np.array([1.0], np.float32)), name="z")

    def construct(self, x, y):
        x = x * self.z
        return self.matmul(x, y)


class GradNetWrtX(nn.Cell):
    def __init__(self, net, grad_op, with_params=False):
        super().__init__()
        self.net = net
        self.params = ParameterTuple(net.trainable_params())
        self.grad_op = grad_op
        self.with_params = with_params

    def construct(self, *args):
        fn = self.grad_op(self.net, self.params) if self.with_params else self.grad_op(self.net)
        return fn(*args)


def _tut_inputs():
    return Tensor(TUT_X), Tensor(TUT_Y)


def test_grad_operation_default_is_first_input():
    out = GradNetWrtX(TutorialNet(), ops.GradOperation())(*_tut_inputs())
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(npv(out), np.tile(TUT_Y.sum(1), (2, 1)), rtol=1e-6)
    np.testing.assert_allclose(npv(out), [[4.51, 2.7, 3.6], [4.51, 2.7, 3.6]], rtol=1e-5)


def test_grad_operation_get_all():
    out = GradNetWrtX(TutorialNet(), ops.GradOperation(get_all=True))(*_tut_inputs())
    assert type(out) is tuple and len(out) == 2
    np.testing.assert_allclose(npv(out[0]), [[4.51, 2.7, 3.6]] * 2, rtol=1e-5)
    np.testing.assert_allclose(npv(out[1]), [[2.6] * 3, [1.9] * 3, [1.3] * 3], rtol=1e-5)
    # One input: still a tuple.
    single = ops.GradOperation(get_all=True)(lambda x: ops.sum(x * x))(T([1.0, 2.0]))
    assert type(single) is tuple and len(single) == 1
    np.testing.assert_allclose(npv(single[0]), [2.0, 4.0])


def test_grad_operation_get_by_list():
    out = GradNetWrtX(TutorialNet(), ops.GradOperation(get_by_list=True), with_params=True)(
        *_tut_inputs()
    )
    assert type(out) is tuple and len(out) == 1
    np.testing.assert_allclose(npv(out[0]), [21.536], rtol=1e-5)


def test_grad_operation_get_all_and_get_by_list():
    out = GradNetWrtX(
        TutorialNet(), ops.GradOperation(get_all=True, get_by_list=True), with_params=True
    )(*_tut_inputs())
    (gx, gy), (gz,) = out
    np.testing.assert_allclose(npv(gx), [[4.51, 2.7, 3.6]] * 2, rtol=1e-5)
    np.testing.assert_allclose(npv(gy), [[2.6] * 3, [1.9] * 3, [1.3] * 3], rtol=1e-5)
    np.testing.assert_allclose(npv(gz), [21.536], rtol=1e-5)


def test_grad_operation_sens_param():
    sens = Tensor(np.array([[0.1, 0.6, 0.2], [0.8, 1.3, 1.1]], np.float32))
    out = GradNetWrtX(TutorialNet(), ops.GradOperation(sens_param=True))(*_tut_inputs(), sens)
    np.testing.assert_allclose(npv(out), [[2.211, 0.51, 1.49], [5.588, 2.68, 4.07]], rtol=1e-5)
    out = GradNetWrtX(TutorialNet(), ops.GradOperation(get_all=True, sens_param=True))(
        *_tut_inputs(), sens
    )
    assert type(out) is tuple and len(out) == 2
    np.testing.assert_allclose(npv(out[1]), TUT_X.T @ npv(sens), rtol=1e-5)


def test_grad_operation_stop_gradient_tutorial():
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.matmul = ops.MatMul()

        def construct(self, x, y):
            out1 = self.matmul(x, y)
            out2 = ops.stop_gradient(self.matmul(x, y))
            return out1 + out2

    gx, gy = ops.GradOperation(get_all=True)(Net())(*_tut_inputs())
    np.testing.assert_allclose(npv(gx), [[4.51, 2.7, 3.6]] * 2, rtol=1e-5)
    np.testing.assert_allclose(npv(gy), [[2.6] * 3, [1.9] * 3, [1.3] * 3], rtol=1e-5)


def test_grad_operation_get_by_list_without_weights_raises():
    with pytest.raises((ValueError, TypeError)):
        ops.GradOperation(get_by_list=True)(TutorialNet())(*_tut_inputs())
    no_leaked_state()


# ---- keyword arguments -------------------------------------------------------------------------


def test_custom_vjp_called_with_keywords_keeps_both_rules():
    @ms.custom_vjp
    def scale(x, k=1.0):
        return x * k

    scale.defvjp(lambda x, out, dout: (dout * 100,))
    scale.defjvp(lambda p, t: t[0] * 7)
    x, v = T([1.0, 2.0]), T([1.0, 1.0])
    np.testing.assert_allclose(npv(ms.grad(lambda x: ops.sum(scale(x, k=3.0)))(x)), [100.0, 100.0])
    np.testing.assert_allclose(npv(ms.jvp(lambda x: scale(x), x, v)[1]), [7.0, 7.0])
    out, tan = ms.jvp(lambda x: scale(x, k=3.0), x, v)
    np.testing.assert_allclose(npv(out), [3.0, 6.0])
    np.testing.assert_allclose(npv(tan), [7.0, 7.0])  # the JVP rule, not the body's 3


def test_cell_bprop_is_not_silently_ignored_when_called_with_keywords():
    class Scaled(nn.Cell):
        def construct(self, x, k=1.0):
            return x * k

        def bprop(self, x, out, dout):
            return (dout * 100,)

    net = Scaled()
    x = T([1.0, 2.0])
    np.testing.assert_allclose(npv(ms.grad(lambda x: ops.sum(net(x)))(x)), [100.0, 100.0])
    # With a keyword the user's bprop must still decide the gradient, or the call must fail
    # clearly; falling back to the autodiff of construct hides the custom rule.
    try:
        g = ms.grad(lambda x: ops.sum(net(x, k=2.0)))(x)
    except (TypeError, ValueError):
        no_leaked_state()
    else:
        np.testing.assert_allclose(npv(g), [100.0, 100.0])


def test_gradient_reversal_used_twice_with_different_coefficients():
    # A custom function whose forward returns its first input unchanged, used twice on the same
    # input with different second inputs: each use must get its own bprop call.
    @ms.custom_vjp
    def reverse_grad(x, lam):
        return x

    reverse_grad.defvjp(lambda x, lam, out, dout: (-lam * dout, ops.zeros_like(lam)))
    x = T([1.0, 2.0])
    a, b = T([0.5, 0.5]), T([3.0, 3.0])
    g = ms.grad(lambda x: reverse_grad(x, a) + reverse_grad(x, b))(x)
    np.testing.assert_allclose(npv(g), [-3.5, -3.5])

    @ms.custom_vjp
    def first(x, y):
        return x

    first.defvjp(lambda x, y, out, dout: (dout * y, dout * x))
    y1, y2 = T([3.0, 4.0]), T([10.0, 20.0])
    gx, g1, g2 = ms.grad(lambda x, p, q: first(x, p) + first(x, q), (0, 1, 2))(x, y1, y2)
    np.testing.assert_allclose(npv(gx), [13.0, 24.0])
    np.testing.assert_allclose(npv(g1), [1.0, 2.0])
    np.testing.assert_allclose(npv(g2), [1.0, 2.0])
