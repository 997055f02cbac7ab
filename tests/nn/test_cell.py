"""nn.Cell: registration, naming, traversal, hooks, training mode, repr; Dense and activations."""

import numpy as np
import pytest

import minispore as ms
from minispore import Parameter, Tensor, nn, ops


class Sub(nn.Cell):
    def __init__(self):
        super().__init__()
        self.weight = Parameter(Tensor(np.ones(2, np.float32)))

    def construct(self, x):
        return x * self.weight


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.a = Parameter(Tensor(np.zeros(1, np.float32)))
        self.sub = Sub()
        self.c = Parameter(Tensor(np.zeros(3, np.float32)), name="explicit", requires_grad=False)

    def construct(self, x):
        return self.sub(x) + self.a


def test_parameter_names_follow_attribute_paths_and_explicit_names():
    net = Net()
    assert [p.name for p in net.get_parameters()] == ["a", "explicit", "sub.weight"]
    assert [n for n, _ in net.parameters_and_names()] == ["a", "c", "sub.weight"]
    assert [p.name for p in net.trainable_params()] == ["a", "sub.weight"]
    assert [p.name for p in net.untrainable_params()] == ["explicit"]
    assert list(net.parameters_dict()) == ["a", "explicit", "sub.weight"]


def test_cells_and_names_and_training_mode():
    net = Net()
    assert [n for n, _ in net.cells_and_names()] == ["", "sub"]
    assert list(net.name_cells()) == ["sub"]
    assert net.training is False and net.sub.training is False
    assert net.set_train() is net
    assert net.training and net.sub.training
    net.set_train(False)
    assert not net.sub.training


def test_forward_hooks_run_and_can_be_removed():
    net = Net()
    seen = []
    handle = net.register_forward_hook(lambda cell, inputs, out: seen.append(out.shape) or out * 2)
    x = Tensor(np.ones(2, np.float32))
    np.testing.assert_allclose(net(x).asnumpy(), [2.0, 2.0])
    assert seen == [(2,)]
    handle.remove()
    np.testing.assert_allclose(net(x).asnumpy(), [1.0, 1.0])
    pre = net.register_forward_pre_hook(lambda cell, inputs: (inputs[0] * 3,))
    np.testing.assert_allclose(net(x).asnumpy(), [3.0, 3.0])
    pre.remove()


def test_insert_param_and_child_and_name_checks():
    net = nn.Cell()
    net.insert_param_to_cell("p", Parameter(Tensor([1.0])))
    net.insert_child_to_cell("child", Sub())
    assert net.p.name == "p" and isinstance(net.child, Sub)
    with pytest.raises(KeyError, match="'.'"):
        net.insert_param_to_cell("a.b", Parameter(Tensor([1.0])))
    with pytest.raises(TypeError, match="Parameter"):
        net.insert_param_to_cell("q", Tensor([1.0]))
    with pytest.raises(TypeError, match="is a Parameter"):
        net.p = Tensor([2.0])


def test_cell_without_super_init_gets_a_clear_error():
    class Bad(nn.Cell):
        def __init__(self):
            self.w = Parameter(Tensor([1.0]))

    with pytest.raises(AttributeError, match="super"):
        Bad()


def test_cell_is_a_valid_fn_for_grad_and_weights_gradients():
    net = Net()
    x = Tensor(np.array([1.0, 2.0], np.float32))
    gx, (ga, gw) = ms.grad(lambda x: net(x).sum(), 0, [net.a, net.sub.weight])(x)
    np.testing.assert_allclose(gx.asnumpy(), [1.0, 1.0])
    np.testing.assert_allclose(ga.asnumpy(), [2.0])
    np.testing.assert_allclose(gw.asnumpy(), [1.0, 2.0])


def test_repr_is_pytorch_like():
    seq_net = Net()
    text = repr(seq_net)
    assert text.startswith("Net(\n  (sub): Sub()")
    d = nn.Dense(3, 2)
    assert repr(d) == "Dense(input_channels=3, output_channels=2, has_bias=True)"


def test_dense_defaults_shapes_and_activation():
    ms.set_seed(0)
    d = nn.Dense(4, 3, activation="relu")
    assert d.weight.shape == (3, 4) and d.bias.shape == (3,)
    assert d.weight.name == "weight"
    bound = 1 / np.sqrt(4)
    assert np.all(np.abs(d.weight.asnumpy()) <= bound) and np.all(np.abs(d.bias.asnumpy()) <= bound)
    x = Tensor(np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32))
    ref = np.maximum(x.asnumpy() @ d.weight.asnumpy().T + d.bias.asnumpy(), 0)
    np.testing.assert_allclose(d(x).asnumpy(), ref, rtol=1e-6)
    assert nn.Dense(4, 3, has_bias=False).bias is None
    with pytest.raises(ValueError, match="in_channels"):
        nn.Dense(0, 3)
    with pytest.raises(ValueError, match="unknown activation"):
        nn.Dense(4, 3, activation="nope")


def test_activation_cells_match_ops():
    x = Tensor(np.array([[-1.0, 0.5, 2.0]], np.float32))
    for cell, fn in [
        (nn.ReLU(), ops.relu),
        (nn.Sigmoid(), ops.sigmoid),
        (nn.Tanh(), ops.tanh),
        (nn.Softmax(), ops.softmax),
        (nn.LogSoftmax(), ops.log_softmax),
    ]:
        np.testing.assert_allclose(cell(x).asnumpy(), fn(x).asnumpy())


def test_set_grad_to_float_and_update_parameters_name():
    net = Net()
    assert net.set_grad() is net and net.requires_grad is True
    assert net.to_float(ms.float16) is net
    assert {p.dtype for p in net.get_parameters()} == {ms.float16}
    # MindSpore 2.10 renames by attribute path: the explicit name "explicit" becomes "model.c".
    net.update_parameters_name("model.")
    assert [p.name for p in net.get_parameters()] == [
        "model.a",
        "model.c",
        "model.sub.weight",
    ]


def test_loss_base_get_loss_weights_and_reduces():
    x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
    w = Tensor(np.array([1.0, 0.5], np.float32))
    np.testing.assert_allclose(nn.LossBase().get_loss(x).asnumpy(), 2.5)
    np.testing.assert_allclose(nn.LossBase("sum").get_loss(x, w).asnumpy(), 1 + 1 + 3 + 2)
    np.testing.assert_allclose(nn.LossBase("none").get_loss(x, w).asnumpy(), [[1, 1], [3, 2]])
    with pytest.raises(ValueError, match="reduction"):
        nn.LossBase("avg")


def test_registered_attributes_stay_in_step_with_the_registries():
    net = Net()
    assert net.sub is net._cells["sub"] and net.a is net._params["a"]
    p = Parameter(Tensor(np.ones(2, np.float32)), name="inserted")
    net.insert_param_to_cell("extra", p)
    assert net.extra is p and "extra" in dict(net.parameters_and_names())
    child = nn.Dense(2, 2)
    net.insert_child_to_cell("child", child)
    assert net.child is child
    net.sub = None  # a cell attribute set to None is unregistered, as in MindSpore
    assert net.sub is None and "sub.weight" not in dict(net.parameters_and_names())
    del net.a
    assert "a" not in dict(net.parameters_and_names())
    with pytest.raises(AttributeError):
        _ = net.a
    net.a = Parameter(Tensor(np.zeros(1, np.float32)))
    assert net.a is net._params["a"]
    net.a = None
    assert net.a is None and "a" not in dict(net.parameters_and_names())


def test_bprop_is_detected_per_class():
    class WithBprop(nn.Cell):
        def construct(self, x):
            return x * 2

        def bprop(self, x, out, dout):
            return (dout * 10,)

    assert WithBprop._has_bprop and not nn.Dense._has_bprop
    g = ms.grad(WithBprop())(Tensor(np.ones(2, np.float32)))
    np.testing.assert_allclose(g.asnumpy(), [10, 10])
