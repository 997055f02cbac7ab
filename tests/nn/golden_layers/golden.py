"""Reading the recorded MindSpore layer goldens, and building the recorded cells in minispore.

`make_golden.py` writes `golden.json` (case descriptions) and `golden.npz` (arrays, no pickle);
the tests use `load()`, `build_cell()` and `run_steps()` so that they rebuild each case exactly as
it was recorded: same constructor arguments, same weights, same cotangent, same number of steps.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import re

import numpy as np

from tests.nn.golden_layers.nets import build as build_net

HERE = os.path.dirname(os.path.abspath(__file__))


@functools.cache
def load():
    """(doc, arrays): the parsed golden.json and a dict of the arrays in golden.npz."""
    with open(os.path.join(HERE, "golden.json"), encoding="utf-8") as f:
        doc = json.load(f)
    with np.load(os.path.join(HERE, "golden.npz"), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    return doc, arrays


def cases(*kinds):
    doc, _ = load()
    return [c for c in doc["cases"] if not kinds or c["kind"] in kinds]


def tuplify(v):
    """JSON lists back to the tuples MindSpore's constructors were given."""
    if isinstance(v, list):
        return tuple(tuplify(u) for u in v)
    if isinstance(v, dict):
        return {k: tuplify(u) for k, u in v.items()}
    return v


def mask_repr(text):
    """Object addresses masked; MindSpore's module prefix read as minispore's."""
    text = re.sub(r" at 0x[0-9a-fA-F]+>", " at 0x...>", text)
    # NOTE: MindSpore 2.10's LayerNorm repr drops the '=' after 'gamma' ("gammaParameter (...");
    # both spellings are accepted.
    return text.replace("<mindspore.", "<minispore.").replace("gammaParameter", "gamma=Parameter")


def _accepts(cls, name):
    try:
        return name in inspect.signature(cls.__init__).parameters
    except (TypeError, ValueError):
        return False


def build_cell(ms, case, dtype=None):
    """The case's cell built with framework module `ms`, weights set as recorded.

    With `dtype` (e.g. `ms.float64`), layers that take a `dtype` argument are built in it and all
    recorded arrays are cast to it (the torch comparison runs in float64).
    """
    _, arrays = load()
    np_dtype = None if dtype is None else np.dtype(str(dtype).rsplit(".", 1)[-1].lower())

    def arr(key):
        a = arrays[key]
        return a.astype(np_dtype) if np_dtype is not None and a.dtype.kind == "f" else a

    if case["kind"] == "layer":
        cls = getattr(ms.nn, case["cls"])
        kwargs = tuplify(case["kwargs"])
        if dtype is not None and _accepts(cls, "dtype"):
            kwargs["dtype"] = dtype
        init = {k: ms.Tensor(arr(key)) for k, key in case["init"].items()}
        net = cls(**kwargs, **init)
    else:
        net = build_net(ms, case["net"])
    params = dict(net.parameters_and_names())
    for name, key in case.get("set_data", {}).items():
        params[name].set_data(ms.Tensor(arr(key)))
    if "train" in case:
        net.set_train(case["train"])
    return net


def inputs(ms, case, dtype=None):
    _, arrays = load()
    out = []
    for spec in case["inputs"] if "inputs" in case else case["args"]:
        a = arrays[spec["key"]]
        if dtype is not None and a.dtype.kind == "f":
            a = a.astype(dtype)
        if spec.get("parameter"):
            out.append(ms.Parameter(ms.Tensor(a), name=spec["key"].replace(".", "_")))
        else:
            out.append(ms.Tensor(a))
    return out


def first(out):
    return out[0] if isinstance(out, (tuple, list)) else out


def run_steps(ms, call, args, grad_args, weights, ct, steps, state=dict):
    """value_and_grad of sum(first_output * ct), as recorded; one dict of numpy results per step.

    `state()` is read after each step (BatchNorm's moving statistics, for instance).
    """
    ct_t = ms.Tensor(ct)

    def loss_fn(*diff):
        call_args = list(args)
        for i, d in zip(grad_args, diff):
            call_args[i] = d
        y = first(call(*call_args))
        return (y * ct_t).sum(), y

    if not grad_args:
        gp = None
    elif len(grad_args) == 1:
        gp = 0
    else:
        gp = tuple(range(len(grad_args)))
    vg = ms.value_and_grad(loss_fn, grad_position=gp, weights=weights or None, has_aux=True)
    results = []
    for _ in range(steps):
        (loss, y), grads = vg(*[args[i] for i in grad_args])
        if grad_args and weights:
            gx, gw = grads
        elif grad_args:
            gx, gw = grads, ()
        else:
            gx, gw = (), grads
        if not isinstance(gx, (tuple, list)):
            gx = (gx,)
        results.append(
            {
                "out": y.asnumpy(),
                "loss": float(loss.asnumpy()),
                "grad_args": [g.asnumpy() for g in gx],
                "grad_params": [g.asnumpy() for g in gw],
                "state": state(),
            }
        )
    return results


def close(actual, expected, what, rtol, atol_scale):
    """assert_allclose with atol = atol_scale * max(1, max|expected|): float32 error grows with
    the magnitudes summed, and near-cancelling entries need an absolute allowance."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    atol = atol_scale * max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=what)


def compare_results(got, want, name, rtol, atol_scale, arrays=None, ct=None):
    """Compare per-step results (see run_steps); `want` values may be npz keys of `arrays`.

    The loss is a sum over the output: its allowance scales with sum(|out * ct|) when ct is given.
    """

    def val(v):
        return arrays[v] if arrays is not None and isinstance(v, str) else v

    assert len(got) == len(want), f"{name}: {len(got)} steps, expected {len(want)}"
    for step, (g, w) in enumerate(zip(got, want)):
        at = f"{name} step {step}"
        out = val(w["out"])
        close(g["out"], out, f"{at}: output", rtol, atol_scale)
        terms = 1.0 if ct is None else float(np.sum(np.abs(out * ct)))
        close(g["loss"], w["loss"], f"{at}: loss", rtol, atol_scale * max(1.0, terms))
        assert len(g["grad_args"]) == len(w["grad_args"]), f"{at}: number of input gradients"
        for k, (a, b) in enumerate(zip(g["grad_args"], w["grad_args"])):
            close(a, val(b), f"{at}: gradient of input {k}", rtol, atol_scale)
        assert len(g["grad_params"]) == len(w["grad_params"]), f"{at}: number of weight gradients"
        for k, (a, b) in enumerate(zip(g["grad_params"], w["grad_params"])):
            close(a, val(b), f"{at}: gradient of trainable parameter {k}", rtol, atol_scale)
        assert sorted(g["state"]) == sorted(w["state"]), f"{at}: state {sorted(g['state'])}"
        for k in w["state"]:
            close(g["state"][k], val(w["state"][k]), f"{at}: {k} after the step", rtol, atol_scale)
