"""`jit` and state: Parameters as graph inputs, their mutation, optimizer steps, GRAPH_MODE cells."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
from minispore import Parameter, Tensor, nn, ops


def t(*shape, dtype=np.float32, seed=0):
    return Tensor(np.random.default_rng(seed).normal(size=shape).astype(dtype))


@pytest.fixture
def pynative():
    yield
    ms.set_context(mode=ms.PYNATIVE_MODE)


# ---- Parameters read: graph inputs, read at every call ------------------------------------------


def test_parameters_are_read_afresh_at_every_call():
    w = Parameter(Tensor(np.ones(3, np.float32)), name="w_fresh")

    @ms.jit
    def f(x):
        return (x * w).sum()

    x = Tensor(np.arange(3, dtype=np.float32))
    assert float(f(x)) == 3.0
    w.set_data(Tensor(np.full(3, 2.0, np.float32)))
    assert float(f(x)) == 6.0
    ops.assign(w, Tensor(np.array([1.0, 0.0, 0.0], np.float32)))
    assert float(f(x)) == 0.0
    assert f.cache_info() == (2, 1, 1)
    (graph,) = f.graphs()
    assert graph.meta["params"] == [w] and graph.inputs[1].name == "w_fresh"


def test_a_parameter_given_a_new_shape_means_a_new_capture():
    w = Parameter(Tensor(np.ones(3, np.float32)), name="w_shape")
    f = ms.jit(lambda: w.sum() * 1)
    assert float(f()) == 3.0
    w.set_data(Tensor(np.ones(5, np.float32)), slice_shape=True)
    assert float(f()) == 5.0
    assert f.cache_info().misses == 2


def test_an_eager_optimizer_step_between_calls_is_seen():
    ms.set_seed(0)
    net = nn.Dense(3, 2)
    opt = nn.SGD(net.trainable_params(), learning_rate=0.5)
    predict = ms.jit(net)
    x = t(4, 3)
    before = predict(x).asnumpy()
    loss_fn = ms.value_and_grad(lambda x: net(x).sum(), None, opt.parameters)
    _, grads = loss_fn(x)
    opt(grads)
    after = predict(x).asnumpy()
    np.testing.assert_allclose(after, net(x).asnumpy(), rtol=1e-6)
    assert not np.allclose(before, after) and predict.cache_info().hits == 1


# ---- Parameters assigned: written back after every call, in place -------------------------------


@pytest.mark.parametrize(
    "update",
    [
        lambda w, x: ops.assign(w, w + x),
        lambda w, x: ops.assign_add(w, x),
        lambda w, x: w.assign_value(w + x),
        lambda w, x: w.set_data(w + x),
    ],
)
def test_assignments_inside_jit_happen_at_every_call(update):
    w = Parameter(Tensor(np.zeros(3, np.float32)), name="w_acc")
    held = w.asnumpy()  # shares memory with the Parameter, as in MindSpore

    @ms.jit
    def step(x):
        update(w, x)
        return w * 1

    x = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
    for k in range(1, 4):
        np.testing.assert_array_equal(step(x).asnumpy(), x.asnumpy() * k)
        np.testing.assert_array_equal(w.asnumpy(), x.asnumpy() * k)
    np.testing.assert_array_equal(held, x.asnumpy() * 3)  # updated in place
    assert step.cache_info() == (2, 1, 1)
    (graph,) = step.graphs()
    assert [p for p, _ in graph.meta["assigns"]] == [w]


def test_set_data_of_another_shape_inside_jit_is_refused():
    w = Parameter(Tensor(np.zeros(3, np.float32)), name="w_shape")

    @ms.jit
    def step(x):
        w.set_data(x)
        return w * 1

    with pytest.raises(ValueError, match=r"set_data.*\(4,\).*'w_shape'.*\(3,\)"):
        step(Tensor(np.ones(4, np.float32)))
    np.testing.assert_array_equal(w.asnumpy(), np.zeros(3))  # nothing was written


def test_item_assignment_and_returned_parameters():
    w = Parameter(Tensor(np.zeros(3, np.float32)), name="w_item")

    @ms.jit
    def f(v):
        w[1] = v
        return w

    for k in (1.0, 2.0):
        out = f(Tensor(np.float32(k)))
        assert out is w
        np.testing.assert_array_equal(w.asnumpy(), [0.0, k, 0.0])


def test_a_parameter_argument_is_keyed_by_identity():
    a = Parameter(Tensor(np.ones(2, np.float32)), name="pa")
    b = Parameter(Tensor(np.ones(2, np.float32)), name="pb")

    @ms.jit
    def double(p):
        ops.assign(p, p * 2)
        return p.sum() * 1

    assert float(double(a)) == 4.0 and float(double(a)) == 8.0
    assert float(double(b)) == 4.0
    np.testing.assert_array_equal(a.asnumpy(), [4.0, 4.0])
    np.testing.assert_array_equal(b.asnumpy(), [2.0, 2.0])
    assert double.cache_info() == (1, 2, 2)


def test_jit_inside_grad_with_weights():
    w = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="w_g")
    f = ms.jit(lambda x: (x * w * w).sum())
    x = Tensor(np.array([3.0, 4.0], np.float32))
    for _ in range(2):  # the capture happens under grad, then a replay through bind
        loss, (gx, gw) = ms.value_and_grad(f, 0, [w])(x)
        assert float(loss) == 19.0
        np.testing.assert_allclose(gx.asnumpy(), [1.0, 4.0])
        np.testing.assert_allclose(gw[0].asnumpy(), [6.0, 16.0])
    assert isinstance(w._value, np.ndarray)


# ---- optimizer steps: forward, backward and update as one graph ---------------------------------


def _model(make_opt, seed=0):
    ms.set_seed(seed)
    net = nn.SequentialCell(nn.Dense(4, 8), nn.ReLU(), nn.Dense(8, 3))
    opt = make_opt(net.trainable_params())
    loss_fn = nn.CrossEntropyLoss()
    grad_fn = ms.value_and_grad(lambda x, y: loss_fn(net(x), y), None, opt.parameters)

    def step(x, y):
        loss, grads = grad_fn(x, y)
        opt(grads)
        return loss

    return net, opt, step


OPTIMIZERS = {
    "SGD": lambda p: nn.SGD(p, 0.1),
    "SGD-momentum": lambda p: nn.SGD(p, 0.1, momentum=0.9, weight_decay=0.01, nesterov=True),
    "Momentum": lambda p: nn.Momentum(p, 0.1, 0.9, loss_scale=2.0, use_nesterov=True),
    "Adam": lambda p: nn.Adam(p, 0.01, weight_decay=0.1),
    "Adam-amsgrad": lambda p: nn.Adam(p, 0.01, use_amsgrad=True, use_nesterov=True),
    "AdamWeightDecay": lambda p: nn.AdamWeightDecay(p, 0.01, weight_decay=0.1),
    "AdamW": lambda p: nn.AdamW(p, 0.01),
    "RMSProp-centered": lambda p: nn.RMSProp(p, 0.01, momentum=0.9, centered=True),
    "Adagrad": lambda p: nn.Adagrad(p, learning_rate=0.1),
    "SGD-schedule": lambda p: nn.SGD(p, nn.CosineDecayLR(0.01, 0.1, 3)),
    "Adam-list-lr": lambda p: nn.Adam(p, [0.1, 0.05, 0.02, 0.01]),
    "Momentum-groups": lambda p: nn.Momentum(
        [
            {"params": p[:2], "lr": 0.05, "weight_decay": 0.01, "grad_centralization": True},
            {"params": p[2:], "lr": nn.ExponentialDecayLR(0.1, 0.9, 2, True)},
        ],
        0.1,
        0.9,
    ),
}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_jitted_training_step_matches_eager(name):
    rng = np.random.default_rng(0)
    xs = [Tensor(rng.normal(size=(6, 4)).astype(np.float32)) for _ in range(4)]
    ys = [Tensor(rng.integers(0, 3, size=6).astype(np.int32)) for _ in range(4)]
    _, opt1, eager = _model(OPTIMIZERS[name])
    _, opt2, step = _model(OPTIMIZERS[name])
    jitted = ms.jit(step)
    for x, y in zip(xs, ys):
        np.testing.assert_allclose(float(jitted(x, y)), float(eager(x, y)), rtol=1e-6)
    for p, q in zip(opt1.get_parameters(), opt2.get_parameters()):
        np.testing.assert_allclose(q.asnumpy(), p.asnumpy(), rtol=1e-6, atol=1e-7, err_msg=p.name)
    assert jitted.cache_info() == (3, 1, 1)
    # One graph: the update of every parameter and state is computed by its equations.
    (graph,) = jitted.graphs()
    assigned = {p.name for p, _ in graph.meta["assigns"]}
    assert {p.name for p in opt2.parameters} <= assigned and "global_step" in assigned
    made = {id(eq.out) for eq in graph.eqns}
    assert all(id(graph.outputs[i]) in made for _, i in graph.meta["assigns"])
    assert any(eq.prim.name == "softmax_cross_entropy" for eq in graph.eqns)


def test_train_one_step_cell_jit_and_graph_mode(pynative):
    def build():
        ms.set_seed(1)
        net = nn.SequentialCell(
            nn.Conv2d(1, 4, 3),
            nn.BatchNorm2d(4),
            nn.ReLU(),
            nn.Flatten(),
            nn.Dense(144, 3),
            nn.Dropout(p=0.5),
        )
        net.set_train()
        opt = nn.Momentum(net.trainable_params(), 0.1, 0.9)
        return nn.TrainOneStepCell(nn.WithLossCell(net, nn.CrossEntropyLoss()), opt), net

    rng = np.random.default_rng(0)
    xs = [Tensor(rng.normal(size=(5, 1, 6, 6)).astype(np.float32)) for _ in range(3)]
    ys = [Tensor(rng.integers(0, 3, size=5).astype(np.int32)) for _ in range(3)]
    runs = []
    for how in ("eager", "jit", "graph"):
        train, net = build()
        call = ms.jit(train) if how == "jit" else train
        if how == "graph":
            ms.set_context(mode=ms.GRAPH_MODE)
        ms.set_seed(5)  # the same dropout masks in every run
        losses = [float(call(x, y)) for x, y in zip(xs, ys)]
        ms.set_context(mode=ms.PYNATIVE_MODE)
        runs.append((losses, [p.asnumpy().copy() for p in net.get_parameters()]))
        if how == "graph":
            assert train._graph_jit.cache_info() == (2, 1, 1)
            assert "_graph_jit" not in train.optimizer.__dict__  # traced into the one graph
            names = [eq.prim.name for eq in train._graph_jit.graphs()[0].eqns]
            assert {"conv2d", "conv2d_weight_grad", "random_uniform"} <= set(names)
    for losses, params in runs[1:]:
        np.testing.assert_allclose(losses, runs[0][0], rtol=1e-6)
        for p, q in zip(params, runs[0][1]):
            np.testing.assert_allclose(p, q, rtol=1e-5, atol=1e-6)


# ---- GRAPH_MODE and jit on methods ----------------------------------------------------------------


class Scale(nn.Cell):
    def __init__(self):
        super().__init__()
        self.k = Parameter(Tensor(np.array([2.0], np.float32)), name="k")
        self.inner = nn.Dropout(p=0.5)

    def construct(self, x):
        return self.inner(x) * self.k


def test_graph_mode_cells_run_jitted_with_a_cache_each(pynative):
    a, b = Scale(), Scale()
    ms.set_context(mode=ms.GRAPH_MODE)
    x = Tensor(np.ones(4, np.float32))
    for _ in range(2):
        np.testing.assert_array_equal(a(x).asnumpy(), np.full(4, 2.0))
    b(x)
    assert a._graph_jit.cache_info() == (1, 1, 1) and b._graph_jit.cache_info() == (0, 1, 1)
    assert "_graph_jit" not in a.inner.__dict__
    a.set_train()  # the training flag keys the cache: dropout is captured now
    out = a(x).asnumpy()
    assert set(np.unique(out)) <= {0.0, 4.0} and a._graph_jit.cache_info().misses == 2
    ms.set_context(mode=ms.PYNATIVE_MODE)
    c = Scale()
    c(x)
    assert "_graph_jit" not in c.__dict__


def test_graph_mode_control_flow_error_names_jit(pynative):
    class Branchy(nn.Cell):
        def construct(self, x):
            return x if x.sum() > 0 else -x

    ms.set_context(mode=ms.GRAPH_MODE)
    with pytest.raises(TypeError, match=r"jit: bool\(\).*ops.where"):
        Branchy()(Tensor(np.ones(2, np.float32)))


class WithMethods(nn.Cell):
    def __init__(self, k):
        super().__init__()
        self.k = Parameter(Tensor(np.array(k, np.float32)), name="k")

    @ms.jit
    def construct(self, x):
        return x * self.k

    @ms.jit
    def twice(self, x, n=2):
        return x * self.k * n


def test_jit_on_construct_and_on_methods():
    one, three = WithMethods(1.0), WithMethods(3.0)
    x = Tensor(np.array([1.0, 2.0], np.float32))
    for _ in range(2):
        np.testing.assert_array_equal(one(x).asnumpy(), [1.0, 2.0])
        np.testing.assert_array_equal(three(x).asnumpy(), [3.0, 6.0])
        np.testing.assert_array_equal(three.twice(x).asnumpy(), [6.0, 12.0])
    np.testing.assert_array_equal(three.twice(x, n=3).asnumpy(), [9.0, 18.0])
    assert WithMethods.construct.cache_info() == (2, 2, 2)  # one graph per instance
    assert WithMethods.twice.cache_info() == (1, 2, 2)
    three.k.set_data(Tensor(np.array(4.0, np.float32)))
    np.testing.assert_array_equal(three(x).asnumpy(), [4.0, 8.0])


def test_batchnorm_running_statistics_update_inside_jit():
    bn_eager, bn_jit = nn.BatchNorm1d(3), nn.BatchNorm1d(3)
    bn_eager.set_train()
    bn_jit.set_train()
    f = ms.jit(bn_jit)
    for seed in range(3):
        x = t(8, 3, seed=seed)
        np.testing.assert_allclose(f(x).asnumpy(), bn_eager(x).asnumpy(), rtol=1e-5, atol=1e-6)
    for p, q in zip(bn_eager.get_parameters(), bn_jit.get_parameters()):
        np.testing.assert_allclose(q.asnumpy(), p.asnumpy(), rtol=1e-6, err_msg=p.name)
    assert f.cache_info().hits == 2
    assert not np.allclose(bn_jit.moving_mean.asnumpy(), 0.0)


def test_freezing_a_weight_means_a_new_capture():
    w = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="w_frozen")
    step = ms.jit(ms.grad(lambda x: (x * w).sum(), None, [w]))
    x = Tensor(np.array([3.0, 4.0], np.float32))
    np.testing.assert_array_equal(step(x)[0].asnumpy(), [3.0, 4.0])
    w.requires_grad = False
    np.testing.assert_array_equal(step(x)[0].asnumpy(), [0.0, 0.0])
    assert step.cache_info().misses == 2
