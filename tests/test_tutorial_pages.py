"""MindSpore 2.10's beginner "model" and "save and load" pages, run as written with minispore.

The code blocks are the pages' own (with `import minispore as mindspore`); what the pages print
that does not depend on random weights is checked against MindSpore 2.10's output, recorded in
`tests/nn/golden_layers/golden.json` (`net.Network`) and in the reference page (section 11).
"""

from __future__ import annotations

import json
import pathlib

import numpy as np

import minispore as mindspore
from minispore import nn, ops

GOLDEN = pathlib.Path(__file__).parent / "nn" / "golden_layers" / "golden.json"


class Network(nn.Cell):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.dense_relu_sequential = nn.SequentialCell(
            nn.Dense(28 * 28, 512, weight_init="normal", bias_init="zeros"),
            nn.ReLU(),
            nn.Dense(512, 512, weight_init="normal", bias_init="zeros"),
            nn.ReLU(),
            nn.Dense(512, 10, weight_init="normal", bias_init="zeros"),
        )

    def construct(self, x):
        x = self.flatten(x)
        logits = self.dense_relu_sequential(x)
        return logits


def _recorded(name):
    cases = json.loads(GOLDEN.read_text())["cases"]
    return next(c for c in cases if c["name"] == name)


def test_model_page_prints_and_names_as_mindspore(capsys):
    model = Network()
    print(model)
    assert capsys.readouterr().out.rstrip("\n") == _recorded("net.Network")["repr"]

    X = ops.ones((1, 28, 28), mindspore.float32)
    logits = model(X)
    assert logits.shape == (1, 10) and logits.dtype == mindspore.float32
    pred_probab = nn.Softmax(axis=1)(logits)
    y_pred = pred_probab.argmax(1)
    assert y_pred.shape == (1,) and 0 <= int(y_pred[0]) < 10
    np.testing.assert_allclose(pred_probab.asnumpy().sum(), 1.0, rtol=1e-6)

    recorded = [(n, tuple(s)) for n, _, s, _ in _recorded("net.Network")["params"]]
    assert [(n, p.shape) for n, p in model.parameters_and_names()] == recorded


def test_model_page_layer_walkthrough():
    input_image = ops.ones((3, 28, 28), mindspore.float32)
    flat_image = nn.Flatten()(input_image)
    assert flat_image.shape == (3, 784)

    layer1 = nn.Dense(in_channels=28 * 28, out_channels=20)
    hidden1 = layer1(flat_image)
    assert hidden1.shape == (3, 20)

    hidden1 = nn.ReLU()(hidden1)
    assert (hidden1.asnumpy() >= 0).all()

    seq_modules = nn.SequentialCell(nn.Flatten(), layer1, nn.ReLU(), nn.Dense(20, 10))
    logits = seq_modules(input_image)
    assert logits.shape == (3, 10)

    pred_probab = nn.Softmax(axis=1)(logits)
    np.testing.assert_allclose(pred_probab.asnumpy().sum(axis=1), np.ones(3), rtol=1e-6)


def network():
    model = nn.SequentialCell(
        nn.Flatten(),
        nn.Dense(28 * 28, 512),
        nn.ReLU(),
        nn.Dense(512, 512),
        nn.ReLU(),
        nn.Dense(512, 10),
    )
    return model


def test_save_and_load_page_round_trips(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    model = network()
    mindspore.save_checkpoint(model, "model.ckpt")
    saved = {n: p.asnumpy().copy() for n, p in model.parameters_and_names()}

    model = network()
    param_dict = mindspore.load_checkpoint("model.ckpt")
    param_not_load, _ = mindspore.load_param_into_net(model, param_dict)
    print(param_not_load)
    assert capsys.readouterr().out == "[]\n"  # what the page (and MindSpore 2.10) prints

    assert sorted(param_dict) == sorted(saved) == sorted(n for n, _ in model.parameters_and_names())
    assert list(saved)[0] == "1.weight"  # keys are full parameter names, as MindSpore's
    for name, p in model.parameters_and_names():
        np.testing.assert_array_equal(p.asnumpy(), saved[name])
