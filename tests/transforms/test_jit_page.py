"""MindSpore's tutorial page "Accelerating with Static Graphs", run unchanged on minispore.

Each block of the page (`golden_jit/page.py`) runs as written, with `minispore` imported under
the name `mindspore`; what it prints is compared with what MindSpore 2.10 printed
(`golden_jit/golden.json`, recorded by `golden_jit/record.py`): same layout, a (64, 10) matrix
whose rows are equal (the input is all ones). The printed numbers come from random initial
weights, so each block then runs again with fixed weights and another input, and those outputs
are compared with MindSpore's number by number (`golden_jit/golden.npz`).
"""

from __future__ import annotations

import contextlib
import io
import json
import pathlib
import re
import sys

import numpy as np
import pytest

import minispore as ms

HERE = pathlib.Path(__file__).parent / "golden_jit"
sys.path.insert(0, str(HERE))

import page  # noqa: E402

GOLDEN = json.loads((HERE / "golden.json").read_text())
OUTPUTS = np.load(HERE / "golden.npz", allow_pickle=False)
NUMBER = re.compile(r"-?\d+\.\d*(?:e[-+]\d+)?")


def _as_minispore(code: str) -> str:
    return code.replace("import mindspore as ms", "import minispore as ms").replace(
        "from mindspore import", "from minispore import"
    )


def _run(name):
    """Run block `name` as written, then again with fixed weights; return (namespace, printed)."""
    ns = {"__name__": f"page_{name}"}
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(_as_minispore(page.BLOCKS[name]), f"<page {name}>", "exec"), ns)
        ns["WEIGHTS"] = page.weights()
        ns["input2"] = ms.Tensor(page.second_input())
        exec(compile(page.FIXED_NETWORK, "<fixed>", "exec"), ns)
        exec(compile(page.AGAIN[name], f"<again {name}>", "exec"), ns)
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
    return ns, buf.getvalue()


def _matrix(text):
    """The numbers of a printed matrix, one list per line."""
    return [[float(x) for x in NUMBER.findall(line)] for line in text.splitlines()]


@pytest.mark.parametrize("name", list(page.BLOCKS))
def test_page_block_runs_and_prints_as_mindspore(name):
    ns, printed = _run(name)
    ours, theirs = _matrix(printed), _matrix(GOLDEN["printed"][name])
    # The same layout: lines of 6 then 4 numbers, 128 lines for 64 rows of 10.
    assert [len(r) for r in ours] == [len(r) for r in theirs]
    values = np.array([v for line in ours for v in line]).reshape(64, 10)
    # Every row is the same (BLAS may round rows differently in the last printed digit).
    np.testing.assert_allclose(
        values, np.broadcast_to(values[0], values.shape), rtol=1e-5, atol=1e-6
    )
    out = ns["output"]
    assert out.shape == (64, 10) and out.dtype == ms.float32
    np.testing.assert_allclose(
        out.asnumpy(), OUTPUTS[name], rtol=1e-5, atol=1e-6, err_msg=f"{name}: fixed weights"
    )


def test_page_jit_paths_capture_graphs():
    # The jit forms of the page really capture a graph (and a second call replays it).
    ns, _ = _run("jit_decorator")
    assert ns["run"].cache_info().misses == 1
    x = ns["input"]
    np.testing.assert_array_equal(ns["run"](x).asnumpy(), ns["run"](x).asnumpy())
    assert ns["run"].cache_info().hits == 2
    ns, _ = _run("jit_construct")
    assert ns["Network"].construct.cache_info().currsize == 2  # two models, one graph each
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        ns, _ = _run("context_graph_mode")
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
    model = ns["model"]
    assert model._graph_jit.cache_info().misses == 1
    assert "_graph_jit" not in model.dense_relu_sequential.__dict__  # traced into the top graph
