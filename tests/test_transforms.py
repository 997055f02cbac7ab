"""grad / value_and_grad / get_grad: return structures, outputs, inputs, weights, sens, errors.

The behaviour under test is MindSpore 2.10's (docs/spec sections 2.1-2.9), with the deliberate
minispore differences: a non-Tensor input at a `grad_position` raises TypeError, the same Tensor
at two positions gets the partial derivative at each, integer inputs get float32 gradients, and
no state leaks out of a transform that raised.
"""

import numpy as np
import pytest

import minispore as ms
from minispore import Parameter, ParameterTuple, Tensor, nn, ops
from minispore.core import primitive as _primitive
from minispore.core import trace as _trace


def T(a, dtype=np.float32):
    return Tensor(np.asarray(a, dtype=dtype))


def assert_tree(got, want, rtol=1e-6, atol=1e-6, path="result"):
    """`want` is a tree of tuples / lists / dicts; ndarray leaves must be Tensors with the same
    shape, dtype and values; other leaves (ids, names, Python values) must be equal."""
    if isinstance(want, tuple):
        assert type(got) is tuple, (
            f"{path}: expected a tuple of {len(want)}, got {type(got).__name__}"
        )
        assert len(got) == len(want), f"{path}: expected {len(want)} items, got {len(got)}"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_tree(g, w, rtol, atol, f"{path}[{i}]")
    elif isinstance(want, list):
        assert type(got) is list, f"{path}: expected a list, got {type(got).__name__}"
        assert len(got) == len(want), f"{path}: expected {len(want)} items, got {len(got)}"
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_tree(g, w, rtol, atol, f"{path}[{i}]")
    elif isinstance(want, dict):
        assert isinstance(got, dict) and list(got) == list(want), f"{path}: {got!r}"
        for k in want:
            assert_tree(got[k], want[k], rtol, atol, f"{path}[{k!r}]")
    elif isinstance(want, np.ndarray):
        assert isinstance(got, Tensor), f"{path}: expected a Tensor, got {type(got).__name__}"
        g = got.asnumpy()
        assert g.shape == want.shape, f"{path}: shape {g.shape} != {want.shape}"
        assert g.dtype == want.dtype, f"{path}: dtype {g.dtype} != {want.dtype}"
        np.testing.assert_allclose(g, want, rtol=rtol, atol=atol, err_msg=path)
    else:
        assert got == want and type(got) is type(want), f"{path}: {got!r} != {want!r}"


def f32(*a):
    return np.array(a, np.float32)


def no_leaked_state():
    assert _trace._stack == [], f"trace stack not empty: {_trace._stack}"
    assert _primitive._suspended == [], "custom-gradient suspension flag leaked"


# Shared data (as in the golden cases): f(x, y) = sum(x * w * y + b).
X = f32(1.0, 2.0, 3.0)
Y = f32(-1.0, 0.5, 2.0)
W0 = f32(0.5, -1.0, 2.0)
B0 = f32(1.0)
G0 = W0 * Y  # df/dx
G1 = X * W0  # df/dy
GW = X * Y  # df/dw
GB = f32(3.0)  # df/db (b broadcast over 3 elements)
VALUE = np.float32((X * W0 * Y).sum() + 3 * B0[0])


@pytest.fixture
def xwb():
    x, y = T(X), T(Y)
    w = Parameter(T(W0), name="w")
    b = Parameter(T(B0), name="b")

    def f(x, y):
        return ops.sum(x * w * y + b)

    return f, x, y, w, b


# ---- 2.2: return structure of grad ------------------------------------------------------------

# (grad_position, weights spec, expected structure); "w"/"b" name the fixture's Parameters,
# "PT" wraps the list in a ParameterTuple, "T" in a tuple.
STRUCTURE_TABLE = [
    pytest.param(0, None, G0, id="int0"),
    pytest.param(1, None, G1, id="int1"),
    pytest.param((0,), None, G0, id="one_tuple_is_bare"),
    pytest.param((1,), None, G1, id="one_tuple_pos1_is_bare"),
    pytest.param((0, 1), None, (G0, G1), id="pair"),
    pytest.param((1, 0), None, (G1, G0), id="pair_reversed"),
    pytest.param(None, "w", GW, id="single_param_bare"),
    pytest.param(None, ["w"], (GW,), id="list_of_one_is_tuple"),
    pytest.param(None, ["w", "b"], (GW, GB), id="list"),
    pytest.param(None, ["b", "w"], (GB, GW), id="list_order"),
    pytest.param(None, ("T", "w", "b"), (GW, GB), id="tuple"),
    pytest.param(None, ("PT", "w", "b"), (GW, GB), id="ParameterTuple"),
    pytest.param(None, ("PT", "w"), (GW,), id="ParameterTuple_of_one"),
    pytest.param(None, [], (), id="empty_list"),
    pytest.param(0, ["w", "b"], (G0, (GW, GB)), id="int_and_list"),
    pytest.param(0, ("PT", "w", "b"), (G0, (GW, GB)), id="int_and_ParameterTuple"),
    pytest.param(1, "w", (G1, GW), id="int_and_param"),
    pytest.param(0, [], (G0, ()), id="int_and_empty"),
    pytest.param((0, 1), ["w"], ((G0, G1), (GW,)), id="pair_and_list"),
    pytest.param((0,), ["w"], (G0, (GW,)), id="one_tuple_and_list"),
    pytest.param((1, 0), ["b", "w"], ((G1, G0), (GB, GW)), id="pair_reversed_and_list"),
]


def _weights(spec, w, b):
    named = {"w": w, "b": b}
    if spec is None:
        return None
    if isinstance(spec, str):
        return named[spec]
    if isinstance(spec, list):
        return [named[n] for n in spec]
    kind, *names = spec
    ps = [named[n] for n in names]
    return tuple(ps) if kind == "T" else ParameterTuple(ps)


@pytest.mark.parametrize("pos, wspec, want", STRUCTURE_TABLE)
def test_grad_return_structure(xwb, pos, wspec, want):
    f, x, y, w, b = xwb
    got = ms.grad(f, pos, _weights(wspec, w, b))(x, y)
    assert_tree(got, want)


@pytest.mark.parametrize("pos, wspec, want", STRUCTURE_TABLE)
def test_value_and_grad_return_structure(xwb, pos, wspec, want):
    f, x, y, w, b = xwb
    got = ms.value_and_grad(f, pos, _weights(wspec, w, b))(x, y)
    assert_tree(got, (np.array(VALUE), want))


def test_default_position_with_weights_gives_input_and_weight_grads(xwb):
    f, x, y, w, b = xwb
    assert_tree(ms.grad(f, weights=[w])(x, y), (G0, (GW,)))
    assert_tree(ms.grad(f, weights=w)(x, y), (G0, GW))
    assert_tree(ms.value_and_grad(f, weights=[b])(x, y), (np.array(VALUE), (G0, (GB,))))


def test_ops_aliases_are_the_same_transforms(xwb):
    f, x, y, w, b = xwb
    assert_tree(ms.ops.grad(f, grad_position=1)(x, y), G1)
    assert_tree(ms.ops.value_and_grad(f, (0, 1))(x, y), (np.array(VALUE), (G0, G1)))


def test_grad_of_cell_wrt_inputs_and_trainable_params():
    rng = np.random.default_rng(0)
    wv, bv, xv = rng.normal(size=(2, 3)), rng.normal(size=(3,)), rng.normal(size=(4, 2))

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(Tensor(wv), name="w")
            self.b = Parameter(Tensor(bv), name="b")

        def construct(self, x):
            return ops.sum(ops.tanh(ops.matmul(x, self.w) + self.b))

    net = Net()
    x = Tensor(xv)
    s = 1 - np.tanh(xv @ wv + bv) ** 2  # d tanh
    value, (gx, (gw, gb)) = ms.value_and_grad(net, 0, net.trainable_params())(x)
    np.testing.assert_allclose(value.asnumpy(), np.tanh(xv @ wv + bv).sum(), rtol=1e-12)
    np.testing.assert_allclose(gx.asnumpy(), s @ wv.T, rtol=1e-12)
    np.testing.assert_allclose(gw.asnumpy(), xv.T @ s, rtol=1e-12)
    np.testing.assert_allclose(gb.asnumpy(), s.sum(0), rtol=1e-12)
    assert gx.dtype == ms.float64 and gw.dtype == ms.float64


def test_grad_of_bound_method_and_of_grad_function():
    class Model:
        def __init__(self, k):
            self.k = k

        def loss(self, x):
            return ops.sum(x * x * self.k)

    x = T([1.0, -2.0])
    assert_tree(ms.grad(Model(3.0).loss)(x), f32(6.0, -12.0))
    # `fn` may itself be a grad function: d/dx sum(2 * 3 x) = 6.
    assert_tree(ms.grad(ms.grad(Model(3.0).loss))(x), f32(6.0, 6.0))


# ---- 2.3 / 2.4: has_aux -----------------------------------------------------------------------


def test_has_aux_grad_returns_aux_as_a_tuple():
    x, y = T(X), T(Y)

    def f(x, y):
        return ops.sum(x * y), x + 1

    g, aux = ms.grad(f, has_aux=True)(x, y)
    assert_tree(g, Y)
    assert_tree(aux, (X + 1,))


def test_has_aux_outputs_are_not_differentiated():
    # Without has_aux the x output would add 1 to the gradient; with it, it does not.
    x, y = T(X), T(Y)

    def f(x, y):
        return ops.sum(x * y), x, y

    assert_tree(ms.grad(f, 1, has_aux=True)(x, y), (X, (X, Y)))
    assert_tree(ms.grad(f, (0, 1), has_aux=False)(x, y), (Y + 1, X + 1))


def test_has_aux_nested_aux_stays_nested():
    x, y = T(X), T(Y)

    def f(x, y):
        return ops.sum(x * y), (x * 2, y * 3)

    assert_tree(ms.grad(f, (0, 1), has_aux=True)(x, y), ((Y, X), ((X * 2, Y * 3),)))


def test_has_aux_first_output_tuple_is_summed():
    x, y = T(X), T(Y)

    def f(x, y):
        return (x * y, x * x), y * 2

    assert_tree(ms.grad(f, 0, has_aux=True)(x, y), (Y + 2 * X, (Y * 2,)))


def test_has_aux_non_tensor_aux_is_returned_as_is():
    x, y = T(X), T(Y)

    def f(x, y):
        return ops.sum(x * y), 3, "tag"

    g, aux = ms.grad(f, 0, has_aux=True)(x, y)
    assert_tree(g, Y)
    assert aux == (3, "tag")


def test_has_aux_with_weights():
    x = T(X)
    w = Parameter(T(W0), name="w")

    def f(x):
        z = x * w
        return ops.sum(z), z

    assert_tree(ms.grad(f, None, [w], has_aux=True)(x), ((X,), (X * W0,)))
    assert_tree(ms.grad(f, 0, w, has_aux=True)(x), ((W0, X), (X * W0,)))


def test_value_and_grad_has_aux_value_is_the_full_output():
    x, y = T(X), T(Y)

    def f(x, y):
        return ops.sum(x * y), x * 2, y

    loss = np.array((X * Y).sum(), np.float32)
    assert_tree(ms.value_and_grad(f, 0, has_aux=True)(x, y), ((loss, X * 2, Y), Y))
    assert_tree(ms.value_and_grad(f, (0, 1), has_aux=True)(x, y), ((loss, X * 2, Y), (Y, X)))

    def f2(x, y):
        return ops.sum(x * y), (x, y)

    assert_tree(ms.value_and_grad(f2, 1, has_aux=True)(x, y), ((loss, (X, Y)), X))


def test_value_and_grad_has_aux_with_weights_tutorial_unpacking():
    x = T(X)
    w = Parameter(T(W0), name="w")

    def forward(x):
        z = x * w
        return ops.sum(z * z), z

    (loss, z), grads = ms.value_and_grad(forward, None, [w], has_aux=True)(x)
    np.testing.assert_allclose(loss.asnumpy(), ((X * W0) ** 2).sum(), rtol=1e-6)
    assert_tree(z, X * W0)
    assert_tree(grads, (2 * X * X * W0,))


@pytest.mark.parametrize(
    "out",
    [
        pytest.param(lambda x: ops.sum(x), id="single_tensor"),
        pytest.param(lambda x: (ops.sum(x),), id="one_tuple"),
        pytest.param(lambda x: [ops.sum(x), x], id="two_list"),
        pytest.param(lambda x: [ops.sum(x)], id="one_list"),
    ],
)
@pytest.mark.parametrize("transform", [ms.grad, ms.value_and_grad])
def test_has_aux_needs_a_tuple_of_two_or_more(transform, out):
    x = T(X)
    with pytest.raises(ValueError, match="has_aux"):
        transform(out, has_aux=True)(x)
    no_leaked_state()
    # The executor is not broken afterwards (MindSpore's is).
    assert_tree(x[0], np.array(1.0, np.float32))
    assert_tree(ms.grad(lambda x: ops.sum(x * x))(x), 2 * X)


# ---- 2.2: return_ids and 2.9: get_grad ---------------------------------------------------------


def test_return_ids_inputs_only(xwb):
    # NOTE: for a single non-zero position MindSpore 2.10 returns a 1-tuple holding a wrong 0-d
    # gradient (golden 099: ((1, 0.5),)); the spec's rule "every g becomes (id, g)" is kept.
    f, x, y, w, b = xwb
    assert_tree(ms.grad(f, 0, return_ids=True)(x, y), (0, G0))
    assert_tree(ms.grad(f, 1, return_ids=True)(x, y), (1, G1))
    assert_tree(ms.grad(f, (0, 1), return_ids=True)(x, y), ((0, G0), (1, G1)))
    assert_tree(ms.grad(f, (1, 0), return_ids=True)(x, y), ((1, G1), (0, G0)))
    assert_tree(ms.value_and_grad(f, 0, return_ids=True)(x, y), (np.array(VALUE), (0, G0)))


def test_return_ids_with_weights(xwb):
    f, x, y, w, b = xwb
    assert_tree(
        ms.grad(f, (0, 1), [w, b], return_ids=True)(x, y),
        (((0, G0), (1, G1)), (("w", GW), ("b", GB))),
    )
    assert_tree(ms.grad(f, None, [w, b], return_ids=True)(x, y), (("w", GW), ("b", GB)))
    assert_tree(ms.grad(f, None, [w], return_ids=True)(x, y), (("w", GW),))
    assert_tree(ms.grad(f, None, w, return_ids=True)(x, y), ("w", GW))
    assert_tree(ms.grad(f, 0, b, return_ids=True)(x, y), ((0, G0), ("b", GB)))
    assert_tree(
        ms.value_and_grad(f, 0, [b], return_ids=True)(x, y),
        (np.array(VALUE), ((0, G0), (("b", GB),))),
    )


def test_return_ids_with_has_aux(xwb):
    _, x, y, w, _ = xwb

    def g(x, y):
        return ops.sum(x * w * y), x

    assert_tree(
        ms.grad(g, 0, [w], has_aux=True, return_ids=True)(x, y),
        (((0, G0), (("w", GW),)), (X,)),
    )


def test_return_ids_uses_cell_parameter_names():
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.weight = Parameter(T([2.0, 3.0]))  # default name -> attribute name

        def construct(self, x):
            return ops.sum(x * self.weight)

    net = Net()
    x = T([1.0, -1.0])
    assert_tree(
        ms.grad(net, None, net.trainable_params(), return_ids=True)(x),
        (("weight", f32(1.0, -1.0)),),
    )


def test_get_grad_by_position_and_parameter(xwb):
    f, x, y, w, b = xwb
    r = ms.grad(f, (0, 1), [w, b], return_ids=True)(x, y)
    assert_tree(ms.get_grad(r, 0), G0)
    assert_tree(ms.get_grad(r, 1), G1)
    assert_tree(ms.get_grad(r, w), GW)
    assert_tree(ms.get_grad(r, b), GB)
    assert_tree(ms.ops.get_grad(r, w), GW)
    # From the second element of value_and_grad.
    v, r2 = ms.value_and_grad(f, 1, [w], return_ids=True)(x, y)
    assert_tree(ms.get_grad(r2, 1), G1)
    assert_tree(ms.get_grad(r2, w), GW)
    # A single-gradient result.
    assert_tree(ms.get_grad(ms.grad(f, None, w, return_ids=True)(x, y), w), GW)


def test_get_grad_on_input_only_results(xwb):
    f, x, y, w, b = xwb
    assert_tree(ms.get_grad(ms.grad(f, 0, return_ids=True)(x, y), 0), G0)
    assert_tree(ms.get_grad(ms.grad(f, (0, 1), return_ids=True)(x, y), 1), G1)


def test_get_grad_matches_parameters_by_name(xwb):
    f, x, y, w, b = xwb
    r = ms.grad(f, None, [w, b], return_ids=True)(x, y)
    twin = Parameter(T([0.0, 0.0, 0.0]), name="w")  # another object with the same name
    assert_tree(ms.get_grad(r, twin), GW)


def test_get_grad_missing_id_raises_runtime_error(xwb):
    f, x, y, w, b = xwb
    r = ms.grad(f, (0, 1), [w], return_ids=True)(x, y)
    with pytest.raises(RuntimeError, match="Parameter 5"):
        ms.get_grad(r, 5)
    with pytest.raises(RuntimeError, match="Parameter b"):
        ms.get_grad(r, b)  # a weight that was not differentiated


def test_get_grad_with_a_str_raises_type_error(xwb):
    f, x, y, w, b = xwb
    r = ms.grad(f, None, [w], return_ids=True)(x, y)
    with pytest.raises(TypeError, match="identifier|int|Parameter"):
        ms.get_grad(r, "w")


def test_get_grad_on_a_result_without_ids_raises_runtime_error(xwb):
    # Spec 2.9 and MindSpore 2.10 (golden 139, 1-element tensors) agree on RuntimeError. With
    # 2-element tensors MindSpore happens to raise ValueError ("The tensor should have only one
    # element"), from trying to read a gradient Tensor as an id: an accident, not its design.
    f, x, y, w, b = xwb
    plain = ms.grad(f, (0, 1))(x, y)
    with pytest.raises(RuntimeError, match="return_ids"):
        ms.get_grad(plain, 0)


# ---- 2.8: sens_param -----------------------------------------------------------------------


def test_sens_param_single_output():
    x, y = T([1.0, 2.0]), T([3.0, -1.0])

    def f(x, y):
        return x * x * y

    assert_tree(ms.grad(f, 0, sens_param=True)(x, y, T([1.0, 10.0])), f32(6.0, -40.0))
    assert_tree(
        ms.value_and_grad(f, 1, sens_param=True)(x, y, T([2.0, 2.0])),
        (f32(3.0, -4.0), f32(2.0, 8.0)),
    )
    # A zero sens gives a zero gradient; the sens also reaches weights.
    w = Parameter(T([1.0, 1.0]), name="w")
    assert_tree(
        ms.grad(lambda x: x * w, 0, w, sens_param=True)(x, T([0.0, 5.0])),
        (f32(0.0, 5.0), f32(0.0, 10.0)),
    )


def test_sens_param_multiple_outputs_takes_a_tuple():
    x, y = T([1.0, 2.0]), T([3.0, -1.0])

    def f2(x, y):
        return x * y, x + y

    s = (T([1.0, 2.0]), T([0.5, 0.5]))
    assert_tree(ms.grad(f2, (0, 1), sens_param=True)(x, y, s), (f32(3.5, -1.5), f32(1.5, 4.5)))


def test_sens_param_doc_example():
    class Net(nn.Cell):
        def construct(self, x, y, z):
            return x * y * z

    x, y, z = T([1, 2]), T([-2, 3]), T([0, 3])
    got = ms.grad(Net(), (1, 2), sens_param=True)(x, y, z, Tensor([1, 2], ms.float32))
    assert_tree(got, (f32(0.0, 12.0), f32(-2.0, 12.0)))


def test_sens_param_as_keyword():
    x, y = T([1.0, 2.0]), T([3.0, -1.0])
    assert_tree(
        ms.grad(lambda x, y: x * x * y, 0, sens_param=True)(x, y, sens=T([1.0, 10.0])),
        f32(6.0, -40.0),
    )


def test_sens_param_position_counts_without_the_sens():
    # The sens is not an input: position 2 does not exist for a two-input function.
    x, y = T([1.0, 2.0]), T([3.0, -1.0])
    with pytest.raises(RuntimeError, match="exceed"):
        ms.grad(lambda x, y: x * y, 2, sens_param=True)(x, y, T([1.0, 1.0]))


def test_sens_param_wrong_shape_or_count_raises():
    x, y = T([1.0, 2.0]), T([3.0, -1.0])
    with pytest.raises(ValueError, match=r"\(3,\)|shape"):
        ms.grad(lambda x, y: x * y, 0, sens_param=True)(x, y, T([1.0, 1.0, 1.0]))
    with pytest.raises(ValueError):
        ms.grad(lambda x, y: (x * y, x + y), 0, sens_param=True)(x, y, (T([1.0, 1.0]),))
    no_leaked_state()


# ---- 2.4: outputs ------------------------------------------------------------------------------

X2 = f32(1.0, 2.0)


@pytest.mark.parametrize(
    "fn, want",
    [
        pytest.param(lambda x: (x**3, 2 * x), 3 * X2**2 + 2, id="tuple_3x2_plus_2"),
        pytest.param(lambda x: [x * x, x], 2 * X2 + 1, id="list"),
        pytest.param(lambda x: {"a": x * x, "b": 3 * x}, 2 * X2 + 3, id="dict"),
        pytest.param(lambda x: (x * x, (x, 4 * x)), 2 * X2 + 5, id="nested"),
        pytest.param(lambda x: [{"a": (x * x,)}, [x * 2]], 2 * X2 + 2, id="deeply_nested"),
        pytest.param(lambda x: (x * x, 3, None, "s", slice(1)), 2 * X2, id="non_tensor_ignored"),
        pytest.param(lambda x: (x, x), f32(2.0, 2.0), id="input_returned_twice"),
        pytest.param(lambda x: x, f32(1.0, 1.0), id="identity"),
        pytest.param(lambda x: (ops.sum(x * x), x), 2 * X2 + 1, id="scalar_and_input"),
    ],
)
def test_all_tensor_outputs_are_summed(fn, want):
    assert_tree(ms.grad(fn)(T(X2)), want)


def test_value_and_grad_multi_output_value_is_full_output():
    x = T(X2)
    assert_tree(ms.value_and_grad(lambda x: (x**3, 2 * x))(x), ((X2**3, 2 * X2), 3 * X2**2 + 2))
    assert_tree(ms.value_and_grad(lambda x: [x * x, 7])(x), ([X2 * X2, 7], 2 * X2))


def test_outputs_that_are_inputs_or_parameters_add_one():
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(T([2.0, 2.0]), name="w")

        def construct(self, x):
            res = x * self.w
            return res, x, self.w

    net = Net()
    x = T([3.0, 4.0])
    assert_tree(ms.grad(net, 0, net.trainable_params())(x), (f32(3.0, 3.0), (f32(4.0, 5.0),)))


def test_output_that_is_a_listed_weight_gets_ones():
    w = Parameter(T([1.0, 2.0, 3.0]), name="w2")
    x = T([3.0, 4.0])
    assert_tree(ms.grad(lambda x: w, None, w)(x), f32(1.0, 1.0, 1.0))
    assert_tree(
        ms.grad(lambda x: (ops.sum(x * w[0]), w), 0, [w])(x), (f32(1.0, 1.0), (f32(8.0, 1.0, 1.0),))
    )


def test_unused_inputs_and_weights_get_zeros_of_the_right_shape_and_dtype():
    x, y = T([1.0, 2.0]), T([[3.0], [4.0]])
    u = Parameter(T([5.0, 6.0, 7.0]), name="u")
    u64 = Parameter(Tensor(np.array([[1.0]], np.float64)), name="u64")

    def f(x, y):
        return x * 2

    assert_tree(ms.grad(f, (0, 1))(x, y), (f32(2.0, 2.0), np.zeros((2, 1), np.float32)))
    assert_tree(
        ms.grad(f, 0, [u, u64])(x, y),
        (f32(2.0, 2.0), (np.zeros(3, np.float32), np.zeros((1, 1), np.float64))),
    )
    z64 = Tensor(np.ones((2, 3), np.float64))
    assert_tree(ms.grad(lambda a, b: a * 2, 1)(x, z64), np.zeros((2, 3), np.float64))
    zi = Tensor(np.array([1, 2, 3], np.int32))
    assert_tree(ms.grad(lambda a, b: a * 2, 1)(x, zi), np.zeros(3, np.float32))


@pytest.mark.parametrize(
    "fn",
    [
        pytest.param(lambda x: Tensor(np.array([1.0], np.float32)), id="constant_tensor"),
        pytest.param(lambda x: 3.0, id="python_float"),
        pytest.param(lambda x: None, id="none"),
        pytest.param(lambda x: (T([1.0]), 2), id="constant_tuple"),
        pytest.param(lambda x: ops.stop_gradient(x * x), id="stopped"),
    ],
)
def test_outputs_independent_of_the_input_give_zeros(fn):
    x = T([[1.0, 2.0]])
    assert_tree(ms.grad(fn)(x), np.zeros((1, 2), np.float32))
    v, g = ms.value_and_grad(fn)(x)
    assert_tree(g, np.zeros((1, 2), np.float32))


# ---- 2.5: inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize("np_dtype", [np.float64, np.float16, np.float32])
def test_gradient_dtype_follows_float_input_dtype(np_dtype):
    x = Tensor(np.array([1.0, 2.0], np_dtype))
    assert_tree(ms.grad(lambda x: ops.sum(x * x))(x), np.array([2.0, 4.0], np_dtype))
    v, g = ms.value_and_grad(lambda x: ops.sum(x * x * x))(x)
    assert v.dtype == x.dtype
    assert_tree(g, np.array([3.0, 12.0], np_dtype), rtol=1e-3)


def test_float64_gradient_is_exact_to_double_precision():
    x = Tensor(np.array([0.1, 0.7], np.float64))
    g = ms.grad(lambda x: ops.sum(ops.exp(x) * ops.sin(x)))(x).asnumpy()
    xv = np.array([0.1, 0.7])
    np.testing.assert_allclose(g, np.exp(xv) * (np.sin(xv) + np.cos(xv)), rtol=1e-14)


@pytest.mark.parametrize(
    "fn, want",
    [
        pytest.param(lambda x: ops.sum(x * 2.5), f32(2.5, 2.5), id="x*2.5"),
        pytest.param(lambda x: ops.sum(x * x), f32(2.0, 4.0), id="x*x"),
        pytest.param(lambda x: ops.sum(x * x * x), f32(3.0, 12.0), id="x*x*x"),
        pytest.param(lambda x: ops.sum(x / 4), f32(0.25, 0.25), id="x/4"),
        pytest.param(lambda x: ops.sum((x * x) * 2.5), f32(5.0, 10.0), id="(x*x)*2.5"),
        pytest.param(lambda x: ops.sum(ops.cast(x, ms.float64) * 3), f32(3.0, 3.0), id="cast_f64"),
    ],
)
def test_integer_inputs_get_float32_gradients_with_correct_values(fn, want):
    # Deliberate difference: MindSpore gives int32 gradients ([2, 2] for x*2.5, truncated).
    i = Tensor(np.array([1, 2], np.int32))
    assert_tree(ms.grad(fn)(i), want)


def test_int64_input_gets_float32_gradient():
    i64 = Tensor(np.array([[3]], np.int64))
    assert_tree(ms.grad(lambda x: x * 0.5)(i64), np.array([[0.5]], np.float32))


def test_bool_inputs_get_float32_gradients():
    bmask = Tensor(np.array([True, False]))
    assert_tree(ms.grad(lambda x: ops.sum(x * 1.5))(bmask), f32(1.5, 1.5))


def test_parameter_passed_positionally_is_differentiable():
    p = Parameter(T([1.0, 2.0]), name="p")
    x = T([3.0, 4.0])
    assert_tree(ms.grad(lambda p, x: ops.sum(p * x), (0, 1))(p, x), (f32(3.0, 4.0), f32(1.0, 2.0)))
    assert isinstance(p._value, np.ndarray)
    np.testing.assert_array_equal(p.asnumpy(), [1.0, 2.0])


def test_same_tensor_at_two_positions_gets_partial_derivatives():
    # Deliberate difference: MindSpore treats them as one variable and gives (2x, 2x).
    x = T([1.0, 2.0])
    assert_tree(ms.grad(lambda a, b: a * b, (0, 1))(x, x), (f32(1.0, 2.0), f32(1.0, 2.0)))
    assert_tree(ms.grad(lambda a, b: a * b * b, (0, 1))(x, x), (f32(1.0, 4.0), f32(2.0, 8.0)))
    v, g = ms.value_and_grad(lambda a, b: a - b, (0, 1))(x, x)
    assert_tree((v, g), (f32(0.0, 0.0), (f32(1.0, 1.0), f32(-1.0, -1.0))))


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(2.0, id="float"),
        pytest.param(3, id="int"),
        pytest.param(np.array([1.0, 2.0], np.float32), id="ndarray"),
        pytest.param((T([1.0]), T([2.0])), id="tuple_of_tensors"),
        pytest.param([T([1.0])], id="list_of_tensors"),
        pytest.param(None, id="none"),
    ],
)
def test_non_tensor_input_at_grad_position_raises_type_error(bad):
    # Deliberate difference: MindSpore silently drops such positions from the result.
    x = T([1.0, 2.0])
    with pytest.raises(TypeError, match="grad_position"):
        ms.grad(lambda a, b: a * 2, 1)(x, bad)
    with pytest.raises(TypeError, match="Tensor"):
        ms.value_and_grad(lambda a, b: b, (0, 1))(x, bad)
    no_leaked_state()


def test_non_tensor_inputs_outside_grad_position_are_fine():
    x = T([1.0, 2.0])

    def f(x, k, pair, arr):
        return x * k * pair[0] * float(arr[0])

    g = ms.grad(f)(x, 3.0, (T([2.0]), "unused"), np.array([0.5]))
    assert_tree(g, f32(3.0, 3.0))


def test_keyword_arguments_are_forwarded_and_not_differentiated():
    x, s = T([1.0, 2.0]), T([3.0, 5.0])

    def f(x, scale=None, power=2):
        return ops.sum(x**power * scale)

    assert_tree(ms.grad(f)(x, scale=s), f32(6.0, 20.0))
    assert_tree(ms.grad(f)(x, scale=s, power=3), f32(9.0, 60.0))
    assert_tree(ms.value_and_grad(f)(x, scale=s), (np.array(23.0, np.float32), f32(6.0, 20.0)))
    # A Tensor keyword is not an input: position 1 does not exist.
    with pytest.raises(RuntimeError, match="exceed"):
        ms.grad(f, 1)(x, scale=s)
    # Weights combine with keywords.
    w = Parameter(T([1.0, 1.0]), name="w")
    assert_tree(
        ms.grad(lambda x, scale: ops.sum(x * w * scale), None, [w])(x, scale=s), (f32(3.0, 10.0),)
    )


# ---- 2.6: weights ------------------------------------------------------------------------------


class _NetWB(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(T([1.0, 2.0]), name="w")
        self.b = Parameter(T([3.0, 4.0]), name="b", requires_grad=False)

    def construct(self, x):
        return ops.sum(x * self.w + self.b * self.b)


def test_requires_grad_false_weight_gets_zeros():
    net = _NetWB()
    x = T([5.0, 6.0])
    assert_tree(ms.grad(net, None, [net.w, net.b])(x), (f32(5.0, 6.0), f32(0.0, 0.0)))
    assert [p.name for p in net.trainable_params()] == ["w"]
    assert_tree(ms.grad(net, None, net.trainable_params())(x), (f32(5.0, 6.0),))
    net.w.requires_grad = False
    assert_tree(ms.grad(net, None, [net.w, net.b])(x), (f32(0.0, 0.0), f32(0.0, 0.0)))
    assert net.trainable_params() == []
    net.b.requires_grad = True
    assert_tree(ms.grad(net, None, [net.w, net.b])(x), (f32(0.0, 0.0), f32(6.0, 8.0)))


def test_requires_grad_switched_off_inside_construct_gives_zeros():
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(T([1.0, 2.0]), name="w")
            self.b = Parameter(T([3.0, 4.0]), name="b")

        def construct(self, x):
            self.b.requires_grad = False
            return ops.sum(x * self.w * self.b)

    net = Net()
    x = T([5.0, 6.0])
    gw, gb = ms.grad(net, None, [net.w, net.b])(x)
    assert_tree((gw, gb), (f32(15.0, 24.0), f32(0.0, 0.0)))
    assert net.b.requires_grad is False
    np.testing.assert_array_equal(net.b.asnumpy(), [3.0, 4.0])


def test_weights_of_a_cell_in_trainable_params_order():
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.a = Parameter(T([2.0]), name="a")
            self.c = Parameter(T([[1.0, 1.0]]), name="c")

        def construct(self, x):
            return ops.sum(self.a * x * self.c)

    net = Net()
    x = T([3.0, 4.0])
    assert_tree(
        ms.grad(net, None, net.trainable_params())(x),
        (f32(7.0), np.array([[6.0, 8.0]], np.float32)),
    )


def test_parameters_are_read_at_call_time():
    w = Parameter(T([1.0, 2.0]), name="w")
    x = T([3.0, 4.0])

    def f(x):
        return ops.sum(x * w * w)

    gf = ms.value_and_grad(f, None, [w])
    assert_tree(gf(x), (np.array(19.0, np.float32), (f32(6.0, 16.0),)))
    w.set_data(T([10.0, 20.0]))
    assert_tree(gf(x), (np.array(1900.0, np.float32), (f32(60.0, 160.0),)))
    ops.assign(w, T([-1.0, 0.5]))
    assert_tree(gf(x), (np.array(4.0, np.float32), (f32(-6.0, 4.0),)))
    np.testing.assert_array_equal(w.asnumpy(), [-1.0, 0.5])
    # A weight that is not listed is read at call time too (as a constant).
    g_only_x = ms.grad(f)
    assert_tree(g_only_x(x), f32(1.0, 0.25))
    w.set_data(T([2.0, 2.0]))
    assert_tree(g_only_x(x), f32(4.0, 4.0))


def test_weights_are_restored_after_the_call():
    w = Parameter(T([1.0, 2.0]), name="w")
    before = w.asnumpy().copy()
    ms.grad(lambda x: ops.sum(x * w), None, [w, w])(T([1.0, 1.0]))
    assert isinstance(w._value, np.ndarray)
    np.testing.assert_array_equal(w.asnumpy(), before)
    assert_tree(w + 1, f32(2.0, 3.0))


def test_plain_tensor_as_weights_is_rejected():
    # MindSpore accepts it and returns garbage ([0.]); the spec says treat it as an error.
    t = T([1.0, 2.0])
    x = T([3.0, 4.0])
    with pytest.raises(TypeError, match="Parameter"):
        ms.grad(lambda x: ops.sum(x * t), None, t)(x)
    with pytest.raises(TypeError, match="Parameter"):
        ms.grad(lambda x: ops.sum(x * t), None, [t])(x)
    no_leaked_state()


def test_duplicate_names_in_parameter_tuple_raise():
    with pytest.raises(ValueError, match="already exists"):
        ParameterTuple([Parameter(T([1.0]), name="a"), Parameter(T([2.0]), name="a")])


def test_assign_to_an_unlisted_parameter_inside_grad_leaves_no_tracer():
    # ops.assign inside a differentiated function runs as in eager mode; afterwards the
    # Parameter must hold a plain array, not a tracer of the finished transform.
    m = Parameter(T([0.0, 0.0]), name="m")
    x = T([1.0, 2.0])

    def f(x):
        ops.assign(m, x * 3)
        return ops.sum(x * x)

    assert_tree(ms.grad(f)(x), f32(2.0, 4.0))
    assert isinstance(m._value, np.ndarray), f"Parameter holds {type(m._value).__name__}"
    np.testing.assert_array_equal(m.asnumpy(), [3.0, 6.0])


# ---- 2.7: errors -------------------------------------------------------------------------------


def _f2(x, y):
    return ops.sum(x * y)


@pytest.mark.parametrize("transform", [ms.grad, ms.value_and_grad])
@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        pytest.param(dict(grad_position=(0, 0)), ValueError, "duplicate", id="duplicate"),
        pytest.param(dict(grad_position=(1, 0, 1)), ValueError, "duplicate", id="duplicate3"),
        pytest.param(dict(grad_position=-1), ValueError, ">= 0", id="negative"),
        pytest.param(dict(grad_position=(0, -1)), ValueError, ">= 0", id="negative_in_tuple"),
        pytest.param(dict(grad_position=[0, 1]), TypeError, "int or tuple", id="list"),
        pytest.param(dict(grad_position=1.5), TypeError, "int or tuple", id="float"),
        pytest.param(dict(grad_position="0"), TypeError, "int or tuple", id="str"),
        pytest.param(dict(grad_position=(0, 1.0)), TypeError, "grad_position", id="float_in_tuple"),
        pytest.param(dict(grad_position=()), RuntimeError, "empty", id="empty"),
        pytest.param(dict(grad_position=2), RuntimeError, "exceed", id="too_large"),
        pytest.param(dict(grad_position=(0, 2)), RuntimeError, "exceed", id="too_large_in_tuple"),
        pytest.param(dict(has_aux=True), ValueError, "more than one output", id="has_aux_single"),
    ],
)
def test_argument_errors(transform, kwargs, exc, match):
    x, y = T([1.0, 2.0]), T([3.0, 4.0])
    gf = transform(_f2, **kwargs)  # the checks run when called, not when created
    with pytest.raises(exc, match=match):
        gf(x, y)
    no_leaked_state()
    assert_tree(ms.grad(_f2, (0, 1))(x, y), (f32(3.0, 4.0), f32(1.0, 2.0)))


@pytest.mark.parametrize("transform", [ms.grad, ms.value_and_grad])
def test_none_none_raises_when_the_transform_is_created(transform):
    # Unlike the other checks, MindSpore 2.10 rejects this one at grad() time (golden case 130).
    with pytest.raises(ValueError, match="can not be None at the same time"):
        transform(_f2, None, None)
    no_leaked_state()


# ---- no leaked state after errors --------------------------------------------------------------


def test_error_inside_fn_restores_weights_and_trace_stack():
    w = Parameter(T([1.0, 2.0]), name="w")
    before = w.asnumpy().copy()
    x = T([1.0, 1.0])

    def bad(x):
        y = x * w
        ops.assign(w, y * 10)
        raise KeyError("boom")

    for transform in (ms.grad, ms.value_and_grad):
        with pytest.raises(KeyError, match="boom"):
            transform(bad, 0, [w])(x)
        no_leaked_state()
        assert isinstance(w._value, np.ndarray)
        np.testing.assert_array_equal(w.asnumpy(), before)
    assert_tree(ms.grad(lambda x: ops.sum(x * w), 0, [w])(x), (f32(1.0, 2.0), (f32(1.0, 1.0),)))


def test_error_in_nested_transform_leaves_nothing_behind():
    w = Parameter(T([2.0]), name="w")
    x = T([3.0])

    def inner(x):
        raise ZeroDivisionError("inner")

    def outer(x):
        return ms.grad(inner, 0, w)(x * w)

    with pytest.raises(ZeroDivisionError):
        ms.grad(outer, 0, w)(x)
    no_leaked_state()
    assert isinstance(w._value, np.ndarray)
    np.testing.assert_array_equal(w.asnumpy(), [2.0])
    # Errors from argument checks of an inner transform.
    with pytest.raises(RuntimeError, match="exceed"):
        ms.grad(lambda x: ms.grad(_f2, 3)(x, x), 0, w)(x)
    no_leaked_state()
    np.testing.assert_array_equal(w.asnumpy(), [2.0])
    assert_tree(ms.grad(lambda x: ms.grad(lambda z: z * z * w)(x))(x), f32(4.0))


def test_numpy_failure_inside_fn_is_clean():
    x = T([1.0, 2.0])
    with pytest.raises(ValueError):
        ms.grad(lambda x: ops.matmul(x, T([[1.0, 2.0, 3.0]])))(x)
    no_leaked_state()
    assert_tree(ms.grad(lambda x: ops.sum(x * x))(x), f32(2.0, 4.0))


# ---- shapes, dtypes and concreteness of results -----------------------------------------------


@pytest.mark.parametrize(
    "xshape, yshape, want",
    [
        pytest.param((3, 1), (1, 4), np.full((3, 1), 4.0), id="column_vs_row"),
        pytest.param((), (2, 3), np.array(6.0), id="scalar_vs_matrix"),
        pytest.param((1,), (2, 3), np.array([6.0]), id="one_vs_matrix"),
        pytest.param((2, 1, 3), (4, 1), np.full((2, 1, 3), 4.0), id="3d_vs_2d"),
    ],
)
def test_broadcast_inputs_get_gradients_of_their_own_shape(xshape, yshape, want):
    x = Tensor(np.ones(xshape, np.float64))
    y = Tensor(np.ones(yshape, np.float64))
    assert_tree(ms.grad(lambda a, b: a + b)(x, y), want.astype(np.float64))
    copies = np.prod(np.broadcast_shapes(xshape, yshape)) // np.prod(yshape, dtype=int)
    assert_tree(ms.grad(lambda a, b: a * b * 2, 1)(x, y), np.full(yshape, 2.0 * copies))


def test_integer_valued_outputs_give_zero_gradients():
    x = T([1.0, 3.0, 2.0])
    assert_tree(ms.grad(lambda x: ops.argmax(x))(x), np.zeros(3, np.float32))
    assert_tree(ms.grad(lambda x: (x > 1.5, ops.sum(x)))(x), np.ones(3, np.float32))


def test_positional_parameter_with_requires_grad_false_is_still_differentiated():
    p = Parameter(T([1.0, 2.0]), name="frozen", requires_grad=False)
    assert_tree(ms.grad(lambda p: ops.sum(p * p))(p), f32(2.0, 4.0))


def test_unused_float16_weight_gets_float16_zeros():
    w16 = Parameter(Tensor(np.array([1.0, 2.0], np.float16)), name="w16")
    assert_tree(
        ms.grad(lambda x: x * 2, 0, w16)(T([1.0, 2.0])), (f32(2.0, 2.0), np.zeros(2, np.float16))
    )


def test_integer_input_second_order_is_float32():
    i = Tensor(np.array([1, 2], np.int32))
    assert_tree(ms.grad(ms.grad(lambda x: ops.sum(x * x * x)))(i), f32(6.0, 12.0))


def _concrete(tree):
    leaves = []

    def walk(t):
        if isinstance(t, (tuple, list)):
            for c in t:
                walk(c)
        elif isinstance(t, dict):
            for c in t.values():
                walk(c)
        elif isinstance(t, Tensor):
            leaves.append(t)

    walk(tree)
    for t in leaves:
        assert isinstance(t._value, (np.ndarray, np.generic)), (
            f"a {type(t._value).__name__} escaped"
        )
    return len(leaves)


def test_values_aux_and_gradients_hold_concrete_arrays():
    x = T([1.0, 2.0])
    w = Parameter(T([3.0, 4.0]), name="w")

    def f(x):
        return ops.sum(x * w), {"a": [x * 3]}, (x, w * 1)

    r = ms.grad(f, 0, [w], has_aux=True)(x)
    assert _concrete(r) == 5
    r = ms.value_and_grad(f, 0, [w], has_aux=True)(x)
    assert _concrete(r) == 6
    r = ms.value_and_grad(lambda x: (x * w, [x]), (0,), w)(x)
    assert _concrete(r) == 4


# ---- the autograd tutorial -----------------------------------------------------------------------


def test_autograd_tutorial_extra_output_adds_exactly_one():
    rng = np.random.default_rng(0)
    wv = rng.normal(size=(5, 3)).astype(np.float32)
    bv = rng.normal(size=(3,)).astype(np.float32)
    x = ops.ones(5, ms.float32)
    y = ops.zeros(3, ms.float32)
    w = Parameter(Tensor(wv), name="w")
    b = Parameter(Tensor(bv), name="b")

    def function(x, y, w, b):
        z = ops.matmul(x, w) + b
        return ops.binary_cross_entropy_with_logits(z, y, ops.ones_like(z), ops.ones_like(z))

    def function_with_logits(x, y, w, b):
        z = ops.matmul(x, w) + b
        loss = ops.binary_cross_entropy_with_logits(z, y, ops.ones_like(z), ops.ones_like(z))
        return loss, z

    zv = wv.sum(0) + bv
    dz = 1 / (1 + np.exp(-zv)) / 3  # d mean(softplus(z)) / dz, as y = 0
    gw, gb = ms.grad(function, (2, 3))(x, y, w, b)
    np.testing.assert_allclose(gw.asnumpy(), np.tile(dz, (5, 1)), rtol=1e-5)
    np.testing.assert_allclose(gb.asnumpy(), dz, rtol=1e-5)
    gw2, gb2 = ms.grad(function_with_logits, (2, 3))(x, y, w, b)
    np.testing.assert_allclose(gw2.asnumpy() - gw.asnumpy(), np.ones((5, 3)), rtol=1e-5)
    np.testing.assert_allclose(gb2.asnumpy() - gb.asnumpy(), np.ones(3), rtol=1e-5)
    (gw3, gb3), (z,) = ms.grad(function_with_logits, (2, 3), has_aux=True)(x, y, w, b)
    np.testing.assert_allclose(gw3.asnumpy(), gw.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(z.asnumpy(), zv, rtol=1e-6)
    # The weights form of the same gradient.
    loss, (gw4, gb4) = ms.value_and_grad(lambda x, y: function(x, y, w, b), None, [w, b])(x, y)
    np.testing.assert_allclose(loss.asnumpy(), np.log1p(np.exp(zv)).mean(), rtol=1e-5)
    np.testing.assert_allclose(gw4.asnumpy(), gw.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(gb4.asnumpy(), gb.asnumpy(), rtol=1e-6)


def test_assign_to_a_listed_weight_inside_grad_keeps_the_new_value():
    w = ms.Parameter(T([1.0, 2.0]), name="w_assigned")

    def f(x):
        y = ops.sum(x * w)
        ops.assign(w, w * 10)
        return y

    gx, (gw,) = ms.grad(f, 0, [w])(T([3.0, 4.0]))
    np.testing.assert_allclose(gx.asnumpy(), [1.0, 2.0])
    np.testing.assert_allclose(gw.asnumpy(), [3.0, 4.0])
    assert type(w._value) is np.ndarray
    np.testing.assert_allclose(w.asnumpy(), [10.0, 20.0])


def test_weight_listed_twice_gets_one_tracer_and_is_restored():
    w = ms.Parameter(T([1.0, 2.0]), name="w_twice")
    before = w._value
    g1, g2 = ms.grad(lambda x: ops.sum(x * w), None, [w, w])(T([3.0, 4.0]))
    np.testing.assert_allclose(g1.asnumpy(), [3.0, 4.0])
    np.testing.assert_allclose(g2.asnumpy(), [3.0, 4.0])
    assert w._value is before


def test_assign_rejects_a_value_that_does_not_fit():
    w = ms.Parameter(T([1.0, 2.0]), name="w_fit")
    with pytest.raises(ValueError, match="does not fit"):
        ops.assign(w, T([1.0, 2.0, 3.0]))


@pytest.mark.parametrize("name", ["grad", "value_and_grad", "jacfwd", "jacrev", "hessian"])
def test_non_callable_fn_is_a_clear_error(name):
    with pytest.raises(TypeError, match=f"For '{name}', 'fn' must be a function or a Cell"):
        getattr(ms, name)(123)
    with pytest.raises(TypeError, match="For 'jvp', 'fn'"):
        ms.jvp(123, T([1.0]), T([1.0]))
    with pytest.raises(TypeError, match="For 'vjp', 'fn'"):
        ms.vjp(123, T([1.0]))
