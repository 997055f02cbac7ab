"""The nn layers against values recorded from real MindSpore 2.10 (tests/nn/golden_layers).

For every recorded case the same cell (or op call) is built with the same weights, then
`value_and_grad` of `sum(output * ct)` runs for the recorded number of steps; outputs, the loss,
gradients with respect to the input and every trainable parameter, and non-trainable state
(BatchNorm's moving statistics) must match MindSpore's float32 results (rtol 1e-5, atol 1e-6
scaled by the largest magnitude; MindSpore's own float32 error is below 4e-7 on that scale, see
test_layers_torch.py). Also: reprs (object addresses masked), `parameters_and_names()`, the
trainable parameter order, WithLossCell / TrainOneStepCell, output shapes of every pad mode over
odd and even sizes, and constructor/op signatures. Dropout in training mode draws from an RNG, so
it is checked by its properties instead. Errors are in test_layers_errors.py.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, nn, ops
from tests.nn.golden_layers import golden

RTOL, ATOL = 1e-5, 1e-6
DOC, ARRAYS = golden.load()
RUN_CASES = golden.cases("layer", "net", "op")


def _run(case):
    ct = ARRAYS[case["ct"]]
    args = golden.inputs(ms, case)
    if case["kind"] == "op":
        kw = golden.tuplify(case["kwargs"])
        params = [i for i, a in enumerate(case["args"]) if a["parameter"]]

        def call(*a):
            return getattr(ops, case["op"])(*a, **kw)

        def state():
            return {f"arg{i}": args[i].asnumpy().copy() for i in params}

        return call, golden.run_steps(
            ms, call, args, case["grad_args"], [], ct, case["steps"], state
        )
    net = golden.build_cell(ms, case)
    weights = net.trainable_params()
    assert [p.name for p in weights] == case["trainable"], (
        f"{case['name']}: trainable parameters {[p.name for p in weights]}, MindSpore has "
        f"{case['trainable']}"
    )

    def state():
        return {k: p.asnumpy().copy() for k, p in net.parameters_and_names() if not p.requires_grad}

    return net, golden.run_steps(
        ms, net, args, case["grad_args"], weights, ct, case["steps"], state
    )


@pytest.mark.parametrize("case", RUN_CASES, ids=lambda c: c["name"])
def test_forward_gradients_and_state_match_mindspore(case):
    _, got = _run(case)
    for step, res in zip(got, case["results"]):
        want = res["out_dtype"].lower()
        assert step["out"].dtype == np.dtype(want), (
            f"{case['name']}: output dtype {step['out'].dtype}"
        )
    golden.compare_results(
        got, case["results"], case["name"], RTOL, ATOL, ARRAYS, ARRAYS[case["ct"]]
    )


@pytest.mark.parametrize(
    "case", [c for c in RUN_CASES if "extra_outputs" in c], ids=lambda c: c["name"]
)
def test_extra_outputs_match_mindspore(case):
    """Max pooling with return_indices: the argmax indices (int64, flat per H x W plane)."""
    fn, _ = _run(case)
    out = fn(*golden.inputs(ms, case))
    assert isinstance(out, tuple) and len(out) == 1 + len(case["extra_outputs"])
    for got, spec in zip(out[1:], case["extra_outputs"]):
        want = ARRAYS[spec["key"]]
        assert got.dtype == getattr(ms, spec["dtype"].lower()), f"{case['name']}: {got.dtype}"
        np.testing.assert_array_equal(got.asnumpy(), want, err_msg=case["name"])


REPR_CASES = [c for c in DOC["cases"] if "repr" in c]


@pytest.mark.parametrize("case", REPR_CASES, ids=lambda c: c["name"])
def test_repr_matches_mindspore(case):
    if case["kind"] == "train":
        cell = _train_cell(case)[0]
    else:
        cell = golden.build_cell(ms, {**case, "set_data": {}})
    assert golden.mask_repr(repr(cell)) == golden.mask_repr(case["repr"])


PARAM_CASES = [c for c in DOC["cases"] if "params" in c]


@pytest.mark.parametrize("case", PARAM_CASES, ids=lambda c: c["name"])
def test_parameters_and_names_match_mindspore(case):
    """(attribute path, Parameter.name, shape, requires_grad) in MindSpore's order."""
    if case["kind"] == "train":
        cell = _train_cell(case)[1]
    else:
        cell = golden.build_cell(ms, {**case, "set_data": {}})
    got = [
        [k, p.name, list(p.shape), bool(p.requires_grad)] for k, p in cell.parameters_and_names()
    ]
    assert got == case["params"]
    if "trainable" in case:
        assert [p.name for p in cell.trainable_params()] == case["trainable"]


# ---- WithLossCell / TrainOneStepCell -------------------------------------------------------------

TRAIN_CASES = golden.cases("train")


def _train_cell(case):
    """(outer cell, WithLossCell, Dense) as recorded; the outer cell is TrainOneStepCell when an
    optimizer was recorded."""
    net = nn.Dense(3, 2)
    net.weight.set_data(Tensor(ARRAYS[case["weight"]]))
    net.bias.set_data(Tensor(ARRAYS[case["bias"]]))
    with_loss = nn.WithLossCell(net, nn.MSELoss())
    if case["opt_kwargs"] is None:
        return with_loss, with_loss, net
    opt = getattr(nn, case["optimizer"])(net.trainable_params(), **case["opt_kwargs"])
    return nn.TrainOneStepCell(with_loss, opt), with_loss, net


@pytest.mark.parametrize("case", TRAIN_CASES, ids=lambda c: c["name"])
def test_training_cells_match_mindspore(case):
    outer, with_loss, net = _train_cell(case)
    x, y = Tensor(ARRAYS[case["x"]]), Tensor(ARRAYS[case["y"]])
    if case["opt_kwargs"] is None:
        weights = with_loss.trainable_params()
        loss, grads = ms.value_and_grad(with_loss, None, weights)(x, y)
        golden.close(loss.asnumpy(), case["loss"], "WithLossCell loss", RTOL, ATOL)
        for g, key in zip(grads, case["grads"], strict=True):
            golden.close(g.asnumpy(), ARRAYS[key], f"WithLossCell gradient {key}", RTOL, ATOL)
        return
    outer.set_train()
    for k, step in enumerate(case["steps"]):
        loss = outer(x, y)
        at = f"{case['name']} step {k}"
        golden.close(loss.asnumpy(), step["loss"], f"{at}: loss", RTOL, ATOL)
        golden.close(net.weight.asnumpy(), ARRAYS[step["weight"]], f"{at}: weight", RTOL, ATOL)
        golden.close(net.bias.asnumpy(), ARRAYS[step["bias"]], f"{at}: bias", RTOL, ATOL)


# ---- output shapes -------------------------------------------------------------------------------

SHAPE_CLASSES = sorted({s["cls"] for s in DOC["shapes"]})


def _mindspore_avg_pool1d_same_bug(entry):
    """MindSpore 2.10's AvgPool1d takes a shortcut when length - kernel < stride: it averages the
    first `kernel` elements into ONE output, also for pad_mode='same', which needs
    ceil(length / stride) outputs (MaxPool1d and AvgPool2d give those). minispore is right."""
    kw, length = entry["kwargs"], entry["input_shape"][-1]
    return (entry["cls"] == "AvgPool1d" and kw["pad_mode"] == "same"
            and length - kw["kernel_size"] < kw["stride"])  # fmt: skip


@pytest.mark.parametrize("cls", SHAPE_CLASSES)
def test_output_shapes_match_mindspore(cls):
    """'same' / 'valid' / 'pad' with kernels 1-5, strides 2-3, odd and even sizes: every shape
    MindSpore gives, and an error wherever MindSpore raises (window larger than the input)."""
    problems = []
    for entry in (s for s in DOC["shapes"] if s["cls"] == cls):
        kwargs = golden.tuplify(entry["kwargs"])
        x = Tensor(np.ones(entry["input_shape"], np.float32))
        try:
            got = list(getattr(nn, cls)(**kwargs)(x).shape)
        except (ValueError, RuntimeError) as e:
            got = f"raised {type(e).__name__}"
        want = entry.get("output_shape") or f"raised {entry.get('error')}"
        if _mindspore_avg_pool1d_same_bug(entry):
            want = entry["input_shape"][:-1] + [-(-entry["input_shape"][-1] // kwargs["stride"])]
        if got != want and not (isinstance(got, str) and "error" in entry):
            problems.append(f"{cls}({kwargs}) on {entry['input_shape']}: {got}, MindSpore {want}")
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems[:20])


# ---- signatures ----------------------------------------------------------------------------------


def _signature(obj):
    if inspect.isclass(obj):
        s = inspect.signature(obj.__init__)
        return s.replace(parameters=list(s.parameters.values())[1:])
    return inspect.signature(obj)


@pytest.mark.parametrize("name", sorted(DOC["signatures"]))
def test_signature_matches_mindspore(name):
    """Parameter names, order, kinds and defaults (as repr) of MindSpore 2.10."""
    module, attr = name.split(".")
    sig = _signature(getattr(nn if module == "nn" else ops, attr))
    want = DOC["signatures"][name]
    got = []
    for p in sig.parameters.values():
        d = {"name": p.name, "kind": p.kind.name}
        if p.default is not inspect.Parameter.empty:
            d["default"] = repr(p.default)
        got.append(d)
    assert got == want["params"], f"{name}{sig}, MindSpore 2.10: {want['text']}"


# ---- Dropout in training mode: properties, not goldens (MindSpore's RNG draws the mask) ----------


@pytest.mark.parametrize("p", [0.5, 0.2])
def test_dropout_in_training_zeroes_about_p_and_scales_the_rest(p):
    x = Tensor(np.random.default_rng(0).uniform(1.0, 2.0, (100, 200)).astype(np.float32))
    ct = Tensor(np.random.default_rng(1).normal(size=(100, 200)).astype(np.float32))
    for make in (lambda: nn.Dropout(p=p), lambda: nn.Dropout(keep_prob=1 - p)):
        net = make().set_train()
        out = net(x).asnumpy()
        dropped = out == 0
        assert abs(dropped.mean() - p) < 0.02, f"Dropout(p={p}) dropped {dropped.mean():.3f}"
        np.testing.assert_allclose(out[~dropped], x.asnumpy()[~dropped] / (1 - p), rtol=1e-6)
        assert not np.array_equal(net(x).asnumpy() == 0, dropped), "the mask must change per call"
        # The gradient passes the same mask: mask / (1 - p) * ct.
        _, g = ms.value_and_grad(lambda t, net=net: (net(t) * ct).sum())(x)
        g = g.asnumpy()
        kept = g != 0
        assert abs(kept.mean() - (1 - p)) < 0.02
        np.testing.assert_allclose(g[kept], ct.asnumpy()[kept] / (1 - p), rtol=1e-6)
        net.set_train(False)
        np.testing.assert_array_equal(net(x).asnumpy(), x.asnumpy())


def test_ops_dropout_in_training_mode():
    x = Tensor(np.ones((50, 100), np.float32))
    out = ops.dropout(x, p=0.25, training=True).asnumpy()
    assert abs((out == 0).mean() - 0.25) < 0.03
    np.testing.assert_allclose(out[out != 0], 1 / 0.75, rtol=1e-6)
    np.testing.assert_array_equal(ops.dropout(x, p=0.25, training=False).asnumpy(), x.asnumpy())


def test_golden_files_are_plain_arrays_and_complete():
    """The recording covers every layer and op of the issue, and loads without pickle."""
    layer_classes = {c["cls"] for c in golden.cases("layer")}
    assert layer_classes >= {
        "Conv1d", "Conv2d", "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d",
        "AdaptiveAvgPool2d", "BatchNorm1d", "BatchNorm2d", "LayerNorm", "Embedding", "Flatten",
        "Identity", "LeakyReLU", "Dropout",
    }  # fmt: skip
    op_names = {c["op"] for c in golden.cases("op")}
    assert op_names >= {"conv2d", "conv1d", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d",
                        "batch_norm", "dropout", "leaky_relu", "flatten"}  # fmt: skip
    assert all(a.dtype != object for a in ARRAYS.values())
