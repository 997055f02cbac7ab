"""Record MindSpore 2.10's nn layers and functional ops on fixed data: golden.npz and golden.json.

Run with real MindSpore (the test suite never needs it)::

    GLOG_v=3 /work/msenv/bin/python tests/nn/golden_layers/make_golden.py

Every case builds a layer (or calls an op) with fixed float32 inputs and fixed weights (passed as
``weight_init=Tensor(...)``-style arguments or written with ``set_data``; MindSpore's RNG never
decides a recorded value), and records the forward output and the gradients of
``sum(output * ct)`` for a fixed random cotangent ``ct`` with respect to the input and every
trainable parameter, through ``mindspore.value_and_grad(..., grad_position=0,
weights=net.trainable_params(), has_aux=True)``. Stateful layers (BatchNorm in training mode)
run several steps and record the non-trainable parameters after each.

``golden.npz`` holds plain arrays only (``np.load(..., allow_pickle=False)``), keyed
``"<case>:<item>"``. ``golden.json`` holds everything else: per case the constructor arguments,
which npz keys hold what, ``repr(net)``, ``parameters_and_names()`` (name, Parameter.name, shape,
requires_grad), the trainable parameter names and per-step results; then the errors MindSpore
raises for bad input (type and message), output shapes of 'same'/'valid'/'pad' convolutions and
pools over a grid of sizes, the signatures of the layers and ops, and what could not be recorded.
"""

import inspect
import json
import os
import platform
import re
import sys
import zlib

import mindspore as ms
import numpy as np
from mindspore import Parameter, Tensor, nn, ops

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from nets import build  # noqa: E402

F32 = np.float32
ARRAYS = {}
DOC = {
    "versions": {
        "mindspore": ms.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    },
    "cases": [],
    "errors": [],
    "shapes": [],
    "signatures": {},
    "skipped": [],
}


def put(key, arr):
    assert key not in ARRAYS, key
    ARRAYS[key] = np.ascontiguousarray(arr)
    return key


def jsonable(v):
    if isinstance(v, (tuple, list)):
        return [jsonable(u) for u in v]
    if isinstance(v, dict):
        return {k: jsonable(u) for k, u in v.items()}
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v


def rng_for(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def clean_message(e):
    """The message without MindSpore's C++ call-stack appendix and its dashed rule lines."""
    text = str(e).split("- C++ Call Stack")[0]
    lines = [ln for ln in text.splitlines() if ln.strip() and set(ln.strip()) != {"-"}]
    return "\n".join(lines).strip()[:400]


def masked_repr(obj):
    """repr(obj) with object addresses masked, so that re-recording gives the same text."""
    return re.sub(r" at 0x[0-9a-fA-F]+>", " at 0x...>", repr(obj))


def _default_param(r, pname, shape):
    leaf = pname.rsplit(".", 1)[-1]
    if "variance" in leaf:
        return r.uniform(0.5, 2.0, shape).astype(F32)
    if leaf == "gamma":
        return r.uniform(0.5, 1.5, shape).astype(F32)
    return (r.normal(size=shape) * 0.5).astype(F32)


def _first(out):
    return out[0] if isinstance(out, (tuple, list)) else out


def _parse_grads(grads, grad_input, n_weights):
    """value_and_grad's gradient structure -> (input grads list, weight grads list)."""
    if grad_input and n_weights:
        gx, gw = grads
    elif grad_input:
        gx, gw = grads, ()
    else:
        gx, gw = (), grads
    if not isinstance(gx, (tuple, list)):
        gx = (gx,)
    return list(gx), list(gw)


def _record_steps(name, net_call, args, grad_args, weights, r, probe_out, steps, state_fn):
    """Run `steps` value_and_grad steps of sum(first_output * ct); return per-step results."""
    first = _first(probe_out)
    ct = r.normal(size=first.shape).astype(F32)
    ct_key = put(f"{name}:ct", ct)
    ct_t = Tensor(ct)
    diff_pos = list(grad_args)

    def loss_fn(*diff):
        call = list(args)
        for i, d in zip(diff_pos, diff):
            call[i] = d
        y = _first(net_call(*call))
        return (y * ct_t).sum(), y

    gp = tuple(range(len(diff_pos))) if diff_pos else None
    if gp is not None and len(gp) == 1:
        gp = 0
    vg = ms.value_and_grad(loss_fn, grad_position=gp, weights=weights or None, has_aux=True)
    results = []
    for step in range(steps):
        (loss, y), grads = vg(*[args[i] for i in diff_pos])
        gx, gw = _parse_grads(grads, bool(diff_pos), len(weights))
        res = {
            "out": put(f"{name}:s{step}:out", y.asnumpy()),
            "out_shape": list(y.shape),
            "out_dtype": str(y.dtype),
            "loss": float(loss.asnumpy()),
            "grad_args": [
                put(f"{name}:s{step}:grad_arg{k}", g.asnumpy()) for k, g in enumerate(gx)
            ],
            "grad_params": [
                put(f"{name}:s{step}:grad:{p.name}", g.asnumpy()) for p, g in zip(weights, gw)
            ],
            "state": {k: put(f"{name}:s{step}:state:{k}", v) for k, v in state_fn().items()},
        }
        results.append(res)
    return ct_key, results


def _param_table(net):
    return [
        [k, p.name, list(p.shape), bool(p.requires_grad)] for k, p in net.parameters_and_names()
    ]


def _set_params(name, net, r, overrides, auto):
    set_data = {}
    for pname, p in net.parameters_and_names():
        if pname in overrides:
            val = np.asarray(overrides[pname], F32)
        elif auto:
            val = _default_param(r, pname, tuple(p.shape))
        else:
            continue
        p.set_data(Tensor(val))
        set_data[pname] = put(f"{name}:param:{pname}", val)
    return set_data


def _run_cell(name, kind, spec, factory, inputs, *, init=None, params=None, auto=True,
              train=False, steps=1, grad_input=True):  # fmt: skip
    r = rng_for(name)
    init = init or {}
    net = factory({k: Tensor(v) for k, v in init.items()})
    entry = {"name": name, "kind": kind, **spec}
    entry["init"] = {k: put(f"{name}:init:{k}", v) for k, v in init.items()}
    entry["set_data"] = _set_params(name, net, r, params or {}, auto and not init)
    # Values that came from the constructor (init tensors, Embedding's zeroed padding row).
    entry["initial"] = {
        k: put(f"{name}:initial:{k}", p.asnumpy().copy())
        for k, p in net.parameters_and_names()
        if k not in entry["set_data"]
    }
    net.set_train(train)
    entry["train"] = train
    entry["steps"] = steps
    entry["repr"] = masked_repr(net)
    entry["params"] = _param_table(net)
    weights = net.trainable_params()
    entry["trainable"] = [p.name for p in weights]
    entry["inputs"] = []
    ts = []
    for k, x in enumerate(inputs):
        entry["inputs"].append({"key": put(f"{name}:in{k}", x), "dtype": str(x.dtype)})
        ts.append(Tensor(x))
    grad_args = [0] if grad_input and inputs[0].dtype.kind == "f" else []
    entry["grad_args"] = grad_args
    # Output shape (and any extra outputs such as pooling indices) from an identical fresh layer,
    # so that the probe call cannot touch the recorded layer's state.
    probe_net = factory({k: Tensor(v) for k, v in init.items()})
    probe_params = dict(probe_net.parameters_and_names())
    for pname, key in entry["set_data"].items():
        probe_params[pname].set_data(Tensor(ARRAYS[key]))
    probe_net.set_train(train)
    probe = probe_net(*[Tensor(x) for x in inputs])
    if isinstance(probe, (tuple, list)):
        entry["extra_outputs"] = [
            {"key": put(f"{name}:extra{k}", o.asnumpy()), "dtype": str(o.dtype)}
            for k, o in enumerate(probe)
            if k > 0
        ]

    def state():
        return {k: p.asnumpy().copy() for k, p in net.parameters_and_names() if not p.requires_grad}

    entry["ct"], entry["results"] = _record_steps(
        name, net, ts, grad_args, weights, r, probe, steps, state
    )
    DOC["cases"].append(entry)


def skippable(record):
    """Run a case recorder; a case MindSpore 2.10 on CPU cannot run is dropped and noted."""

    def run(name, *args, **kwargs):
        try:
            record(name, *args, **kwargs)
        except Exception as e:  # noqa: BLE001 - whatever MindSpore raises, note it
            for k in [k for k in ARRAYS if k.startswith(name + ":")]:
                del ARRAYS[k]
            DOC["cases"] = [c for c in DOC["cases"] if c["name"] != name]
            DOC["skipped"].append(f"{name}: MindSpore 2.10 CPU raises {type(e).__name__}: "
                                  f"{clean_message(e)}")  # fmt: skip
            print("skipped", name, type(e).__name__, clean_message(e)[:100])

    return run


@skippable
def layer(name, cls, kwargs=None, shape=None, *, x=None, init=None, params=None, auto=True,
          train=False, steps=1):  # fmt: skip
    """A case for nn.<cls>(**kwargs, **init) on input x (random normal of `shape` by default)."""
    kwargs = kwargs or {}
    if x is None:
        x = rng_for(name + ":x").normal(size=shape).astype(F32)
    spec = {"cls": cls, "kwargs": jsonable(kwargs)}

    def factory(init_t):
        return getattr(nn, cls)(**kwargs, **init_t)

    _run_cell(name, "layer", spec, factory, [x], init=init, params=params, auto=auto,
              train=train, steps=steps)  # fmt: skip


@skippable
def net_case(name, net_name, shape, *, train=False, steps=1):
    x = rng_for(name + ":x").normal(size=shape).astype(F32)
    _run_cell(name, "net", {"net": net_name}, lambda _: build(ms, net_name), [x],
              train=train, steps=steps)  # fmt: skip


@skippable
def op_case(name, op, arrays, kwargs=None, *, grad=None, parameters=(), steps=1):
    """A case for ops.<op>(*arrays, **kwargs); `parameters` lists arrays passed as Parameters."""
    kwargs = kwargs or {}
    r = rng_for(name)
    arrays = [np.asarray(a) for a in arrays]
    if grad is None:
        grad = [i for i, a in enumerate(arrays) if a.dtype.kind == "f" and i not in parameters]

    def make_args(tag):
        return [
            Parameter(Tensor(a), name=f"{tag}{i}") if i in parameters else Tensor(a)
            for i, a in enumerate(arrays)
        ]

    args = make_args("p")
    probe = getattr(ops, op)(*make_args("probe"), **kwargs)
    entry = {
        "name": name,
        "kind": "op",
        "op": op,
        "kwargs": jsonable(kwargs),
        "args": [
            {"key": put(f"{name}:arg{i}", a), "dtype": str(a.dtype), "parameter": i in parameters}
            for i, a in enumerate(arrays)
        ],
        "grad_args": list(grad),
        "steps": steps,
        "trainable": [],
    }
    if isinstance(probe, (tuple, list)):
        entry["extra_outputs"] = [
            {"key": put(f"{name}:extra{k}", o.asnumpy()), "dtype": str(o.dtype)}
            for k, o in enumerate(probe)
            if k > 0
        ]

    def call(*a):
        return getattr(ops, op)(*a, **kwargs)

    def state():
        return {f"arg{i}": args[i].asnumpy().copy() for i in parameters}

    entry["ct"], entry["results"] = _record_steps(
        name, call, args, grad, [], r, probe, steps, state
    )
    DOC["cases"].append(entry)


def normal(name, *shape, scale=1.0):
    return (rng_for(name).normal(size=shape) * scale).astype(F32)


def away(name, *shape):
    """Random signs, magnitudes in [0.2, 2]: away from the kink at 0."""
    r = rng_for(name)
    return (r.choice([-1.0, 1.0], size=shape) * r.uniform(0.2, 2.0, size=shape)).astype(F32)


# ---- cases ---------------------------------------------------------------------------------------


# fmt: off
def conv_cases():
    c = "Conv2d"
    layer("Conv2d.same_k3_default", c, dict(in_channels=3, out_channels=4, kernel_size=3), (2, 3, 8, 8))
    layer("Conv2d.same_k3_s2_odd7", c, dict(in_channels=3, out_channels=4, kernel_size=3, stride=2, has_bias=True), (2, 3, 7, 7))
    layer("Conv2d.same_k2_even_kernel", c, dict(in_channels=3, out_channels=2, kernel_size=2), (1, 3, 6, 5))
    layer("Conv2d.same_k4_s2_7x8", c, dict(in_channels=2, out_channels=3, kernel_size=4, stride=2), (1, 2, 7, 8))
    layer("Conv2d.same_k5_d2", c, dict(in_channels=2, out_channels=3, kernel_size=5, dilation=2, has_bias=True), (1, 2, 9, 8))
    layer("Conv2d.same_k23_s21", c, dict(in_channels=2, out_channels=3, kernel_size=(2, 3), stride=(2, 1), has_bias=True), (1, 2, 7, 6))
    layer("Conv2d.same_k3_s3", c, dict(in_channels=2, out_channels=2, kernel_size=3, stride=3), (1, 2, 8, 7))
    layer("Conv2d.same_k1_s2", c, dict(in_channels=3, out_channels=2, kernel_size=1, stride=2, has_bias=True), (1, 3, 5, 5))
    layer("Conv2d.same_s21_d12", c, dict(in_channels=2, out_channels=2, kernel_size=3, stride=(2, 1), dilation=(1, 2)), (1, 2, 7, 9))
    layer("Conv2d.valid_k3_bias", c, dict(in_channels=3, out_channels=4, kernel_size=3, pad_mode="valid", has_bias=True), (2, 3, 8, 8))
    layer("Conv2d.valid_k5_s2", c, dict(in_channels=2, out_channels=3, kernel_size=5, stride=2, pad_mode="valid"), (1, 2, 9, 9))
    layer("Conv2d.valid_k31_s12_d21", c, dict(in_channels=2, out_channels=3, kernel_size=(3, 1), stride=(1, 2), dilation=(2, 1), pad_mode="valid"), (1, 2, 8, 7))
    layer("Conv2d.valid_k1_group2", c, dict(in_channels=4, out_channels=6, kernel_size=1, pad_mode="valid", group=2, has_bias=True), (2, 4, 6, 5))
    layer("Conv2d.pad_p1_k3", c, dict(in_channels=3, out_channels=4, kernel_size=3, pad_mode="pad", padding=1, has_bias=True), (2, 3, 7, 7))
    layer("Conv2d.pad_p1201_k3_s2", c, dict(in_channels=2, out_channels=3, kernel_size=3, stride=2, pad_mode="pad", padding=(1, 2, 0, 1)), (1, 2, 8, 7))
    layer("Conv2d.pad_p2_k5_d2", c, dict(in_channels=2, out_channels=2, kernel_size=5, pad_mode="pad", padding=2, dilation=2), (1, 2, 9, 9))
    layer("Conv2d.pad_p1_k2_s2", c, dict(in_channels=2, out_channels=3, kernel_size=2, stride=2, pad_mode="pad", padding=1, has_bias=True), (1, 2, 6, 6))
    layer("Conv2d.same_group2", c, dict(in_channels=4, out_channels=6, kernel_size=3, group=2, has_bias=True), (1, 4, 6, 6))
    layer("Conv2d.same_depthwise_s2", c, dict(in_channels=4, out_channels=4, kernel_size=3, stride=2, group=4), (1, 4, 7, 7))
    layer("Conv2d.pad_group2_d2_s2", c, dict(in_channels=4, out_channels=2, kernel_size=3, stride=2, pad_mode="pad", padding=2, dilation=2, group=2, has_bias=True), (1, 4, 9, 8))
    layer("Conv2d.weight_init_tensor", c, dict(in_channels=3, out_channels=2, kernel_size=3, has_bias=True), (1, 3, 5, 6), init={"weight_init": normal("w2", 2, 3, 3, 3, scale=0.3), "bias_init": normal("b2", 2)})
    c = "Conv1d"
    layer("Conv1d.same_k3_default", c, dict(in_channels=3, out_channels=4, kernel_size=3), (2, 3, 8))
    layer("Conv1d.same_k3_s2_odd", c, dict(in_channels=3, out_channels=4, kernel_size=3, stride=2, has_bias=True), (2, 3, 7))
    layer("Conv1d.same_k2", c, dict(in_channels=2, out_channels=3, kernel_size=2), (1, 2, 6))
    layer("Conv1d.same_k5_d2", c, dict(in_channels=2, out_channels=2, kernel_size=5, dilation=2, has_bias=True), (1, 2, 9))
    layer("Conv1d.valid_k5_s2", c, dict(in_channels=2, out_channels=3, kernel_size=5, stride=2, pad_mode="valid"), (1, 2, 11))
    layer("Conv1d.valid_k1_group2", c, dict(in_channels=4, out_channels=6, kernel_size=1, pad_mode="valid", group=2, has_bias=True), (2, 4, 5))
    layer("Conv1d.pad_p2_k3", c, dict(in_channels=2, out_channels=3, kernel_size=3, pad_mode="pad", padding=2, has_bias=True), (1, 2, 7))
    layer("Conv1d.pad_s2_d2_group2", c, dict(in_channels=4, out_channels=4, kernel_size=3, stride=2, pad_mode="pad", padding=1, dilation=2, group=2), (1, 4, 10))
    layer("Conv1d.weight_init_tensor", c, dict(in_channels=2, out_channels=3, kernel_size=3, has_bias=True), (1, 2, 6), init={"weight_init": normal("w1", 3, 2, 3, scale=0.3), "bias_init": normal("b1", 3)})
# fmt: on


# fmt: off
def pool_cases():
    c = "MaxPool2d"
    layer("MaxPool2d.valid_k2_s2", c, dict(kernel_size=2, stride=2), (2, 3, 6, 6))
    layer("MaxPool2d.valid_k3_s2_odd", c, dict(kernel_size=3, stride=2), (1, 2, 7, 7))
    layer("MaxPool2d.valid_k3_s1", c, dict(kernel_size=3, stride=1), (1, 2, 6, 5))
    layer("MaxPool2d.valid_k23_s12", c, dict(kernel_size=(2, 3), stride=(1, 2)), (1, 2, 7, 8))
    layer("MaxPool2d.valid_k1_s2", c, dict(kernel_size=1, stride=2), (1, 2, 5, 6))
    layer("MaxPool2d.same_k3_s2_odd", c, dict(kernel_size=3, stride=2, pad_mode="same"), (1, 2, 7, 7))
    layer("MaxPool2d.same_k2_s2_odd", c, dict(kernel_size=2, stride=2, pad_mode="same"), (1, 2, 5, 5))
    layer("MaxPool2d.same_k3_s1_even", c, dict(kernel_size=3, stride=1, pad_mode="same"), (1, 2, 6, 6))
    layer("MaxPool2d.pad_p1_k3_s2", c, dict(kernel_size=3, stride=2, pad_mode="pad", padding=1), (1, 2, 7, 7))
    layer("MaxPool2d.pad_ceil_k2_s2", c, dict(kernel_size=2, stride=2, pad_mode="pad", ceil_mode=True), (1, 2, 7, 7))
    layer("MaxPool2d.pad_ceil_p1_k3_s2", c, dict(kernel_size=3, stride=2, pad_mode="pad", padding=1, ceil_mode=True), (1, 2, 8, 8))
    layer("MaxPool2d.pad_dilation2", c, dict(kernel_size=3, stride=1, pad_mode="pad", padding=1, dilation=2), (1, 2, 7, 7))
    layer("MaxPool2d.pad_return_indices", c, dict(kernel_size=3, stride=2, pad_mode="pad", padding=1, return_indices=True), (1, 2, 7, 6))
    layer("MaxPool2d.pad_tuple_padding", c, dict(kernel_size=3, stride=2, pad_mode="pad", padding=(1, 0)), (1, 2, 7, 7))
    layer("MaxPool2d.unbatched_3d", c, dict(kernel_size=2, stride=2), (2, 6, 6))
    c = "AvgPool2d"
    layer("AvgPool2d.valid_k2_s2", c, dict(kernel_size=2, stride=2), (2, 3, 6, 6))
    layer("AvgPool2d.valid_k3_s1", c, dict(kernel_size=3, stride=1), (1, 2, 7, 6))
    layer("AvgPool2d.valid_k23_s21", c, dict(kernel_size=(2, 3), stride=(2, 1)), (1, 2, 7, 6))
    layer("AvgPool2d.same_k3_s2_odd", c, dict(kernel_size=3, stride=2, pad_mode="same"), (1, 2, 7, 7))
    layer("AvgPool2d.same_k2_s2_odd", c, dict(kernel_size=2, stride=2, pad_mode="same"), (1, 2, 5, 5))
    layer("AvgPool2d.pad_p1_k3_s2", c, dict(kernel_size=3, stride=2, pad_mode="pad", padding=1), (1, 2, 7, 7))
    layer("AvgPool2d.pad_p1_k3_s2_nocip", c, dict(kernel_size=3, stride=2, pad_mode="pad", padding=1, count_include_pad=False), (1, 2, 7, 7))
    layer("AvgPool2d.pad_ceil_k2_s2", c, dict(kernel_size=2, stride=2, pad_mode="pad", ceil_mode=True), (1, 2, 7, 7))
    layer("AvgPool2d.pad_ceil_p1_k3_s2", c, dict(kernel_size=3, stride=2, pad_mode="pad", padding=1, ceil_mode=True), (1, 2, 8, 8))
    layer("AvgPool2d.pad_ceil_p1_k3_s2_nocip", c, dict(kernel_size=3, stride=2, pad_mode="pad", padding=1, ceil_mode=True, count_include_pad=False), (1, 2, 8, 8))
    layer("AvgPool2d.pad_divisor3", c, dict(kernel_size=3, stride=2, pad_mode="pad", padding=1, divisor_override=3), (1, 2, 7, 7))
    layer("AvgPool2d.valid_ceil_k2_s2", c, dict(kernel_size=2, stride=2, ceil_mode=True), (1, 2, 7, 7))
    layer("AvgPool2d.valid_divisor5", c, dict(kernel_size=2, stride=2, divisor_override=5), (1, 2, 6, 6))
    layer("AvgPool2d.unbatched_3d", c, dict(kernel_size=2, stride=2), (2, 6, 6))
    c = "MaxPool1d"
    layer("MaxPool1d.valid_k3_s2", c, dict(kernel_size=3, stride=2), (2, 3, 7))
    layer("MaxPool1d.same_k3_s2_odd", c, dict(kernel_size=3, stride=2, pad_mode="same"), (2, 3, 7))
    layer("MaxPool1d.same_k2_s2_even", c, dict(kernel_size=2, stride=2, pad_mode="same"), (1, 2, 8))
    layer("MaxPool1d.pad_p1_k3_s2", c, dict(kernel_size=3, stride=2, pad_mode="pad", padding=1), (1, 2, 7))
    layer("MaxPool1d.pad_ceil_k2_s2", c, dict(kernel_size=2, stride=2, pad_mode="pad", ceil_mode=True), (1, 2, 7))
    layer("MaxPool1d.pad_dilation2", c, dict(kernel_size=2, stride=1, pad_mode="pad", dilation=2), (1, 2, 7))
    layer("MaxPool1d.unbatched_2d", c, dict(kernel_size=2, stride=2), (3, 6))
    c = "AvgPool1d"
    layer("AvgPool1d.valid_k3_s2", c, dict(kernel_size=3, stride=2), (2, 3, 7))
    layer("AvgPool1d.same_k3_s2_odd", c, dict(kernel_size=3, stride=2, pad_mode="same"), (2, 3, 7))
    layer("AvgPool1d.same_k2_s2_even", c, dict(kernel_size=2, stride=2, pad_mode="same"), (1, 2, 8))
    layer("AvgPool1d.pad_p1_k3_s2", c, dict(kernel_size=3, stride=2, pad_mode="pad", padding=1), (1, 2, 7))
    layer("AvgPool1d.pad_p1_k3_s2_nocip", c, dict(kernel_size=3, stride=2, pad_mode="pad", padding=1, count_include_pad=False), (1, 2, 7))
    layer("AvgPool1d.pad_ceil_k2_s2", c, dict(kernel_size=2, stride=2, pad_mode="pad", ceil_mode=True), (1, 2, 7))
    layer("AvgPool1d.unbatched_2d", c, dict(kernel_size=3, stride=2), (3, 7))
    c = "AdaptiveAvgPool2d"
    layer("AdaptiveAvgPool2d.o3_divides", c, dict(output_size=3), (2, 2, 6, 6))
    layer("AdaptiveAvgPool2d.o3_not_dividing", c, dict(output_size=3), (1, 2, 7, 5))
    layer("AdaptiveAvgPool2d.o2_none", c, dict(output_size=(2, None)), (1, 2, 7, 5))
    layer("AdaptiveAvgPool2d.none_o2", c, dict(output_size=(None, 2)), (1, 2, 7, 5))
    layer("AdaptiveAvgPool2d.o43", c, dict(output_size=(4, 3)), (1, 2, 8, 5))
    layer("AdaptiveAvgPool2d.o6_larger", c, dict(output_size=6), (1, 2, 4, 4))
    layer("AdaptiveAvgPool2d.o1_global", c, dict(output_size=1), (2, 3, 5, 7))
    layer("AdaptiveAvgPool2d.unbatched_3d", c, dict(output_size=(2, 3)), (2, 7, 5))
# fmt: on


# fmt: off
def norm_cases():
    c = "BatchNorm2d"
    layer("BatchNorm2d.train_two_steps", c, dict(num_features=3), (2, 3, 4, 5), train=True, steps=2)
    layer("BatchNorm2d.eval", c, dict(num_features=3), (2, 3, 4, 5))
    layer("BatchNorm2d.train_m07_eps_affine_false", c, dict(num_features=3, momentum=0.7, eps=0.001, affine=False), (4, 3, 2, 3), train=True, steps=2, params={"gamma": np.ones(3, F32), "beta": np.zeros(3, F32)})  # affine=False: defaults
    layer("BatchNorm2d.eval_ubs_true", c, dict(num_features=3, use_batch_statistics=True), (2, 3, 3, 3), steps=2)
    layer("BatchNorm2d.train_ubs_false", c, dict(num_features=3, use_batch_statistics=False), (2, 3, 3, 3), train=True, steps=2)
    layer("BatchNorm2d.init_tensors_train", c, dict(num_features=2), (3, 2, 2, 2), train=True, steps=2, init={"gamma_init": np.array([1.5, 0.5], F32), "beta_init": np.array([0.1, -0.2], F32), "moving_mean_init": np.array([0.3, -0.1], F32), "moving_var_init": np.array([2.0, 0.5], F32)})
    c = "BatchNorm1d"
    layer("BatchNorm1d.train_2d", c, dict(num_features=4), (8, 4), train=True, steps=2)
    layer("BatchNorm1d.train_3d", c, dict(num_features=3, momentum=0.8), (4, 3, 5), train=True, steps=2)
    layer("BatchNorm1d.eval_2d", c, dict(num_features=4), (6, 4))
    layer("BatchNorm1d.eval_3d", c, dict(num_features=3), (2, 3, 5))
    c = "LayerNorm"
    layer("LayerNorm.last_axis", c, dict(normalized_shape=(4,)), (2, 3, 4))
    layer("LayerNorm.axes12_params12", c, dict(normalized_shape=(3, 4), begin_norm_axis=1, begin_params_axis=1), (2, 3, 4))
    layer("LayerNorm.axes12_params_last", c, dict(normalized_shape=(4,), begin_norm_axis=1, begin_params_axis=-1), (2, 3, 4))
    layer("LayerNorm.axis2_params12", c, dict(normalized_shape=(3, 4), begin_norm_axis=2, begin_params_axis=1), (2, 3, 4))
    layer("LayerNorm.epsilon", c, dict(normalized_shape=(3, 4), begin_norm_axis=1, begin_params_axis=1, epsilon=0.001), (2, 3, 4))
    layer("LayerNorm.2d", c, dict(normalized_shape=(5,)), (3, 5))
    layer("LayerNorm.4d_axes123", c, dict(normalized_shape=(2, 3, 4), begin_norm_axis=1, begin_params_axis=1), (2, 2, 3, 4))
    layer("LayerNorm.init_tensors", c, dict(normalized_shape=(4,)), (3, 4), init={"gamma_init": np.array([1.0, 2.0, 0.5, -1.0], F32), "beta_init": np.array([0.0, 0.1, -0.1, 0.2], F32)})
# fmt: on


# fmt: off
def embedding_cases():
    c = "Embedding"
    idx = np.array([[0, 3, 9, 3, 1], [2, 2, 7, 0, 5]], np.int32)
    table = normal("emb_table", 10, 4)
    layer("Embedding.basic", c, dict(vocab_size=10, embedding_size=4), x=idx, init={"embedding_table": table})
    layer("Embedding.padding_idx", c, dict(vocab_size=10, embedding_size=4, padding_idx=3), x=idx, init={"embedding_table": table})
    layer("Embedding.use_one_hot", c, dict(vocab_size=10, embedding_size=4, use_one_hot=True), x=idx, init={"embedding_table": table})
    layer("Embedding.one_hot_padding_idx", c, dict(vocab_size=10, embedding_size=4, use_one_hot=True, padding_idx=0), x=idx, init={"embedding_table": table})
    layer("Embedding.int64_1d", c, dict(vocab_size=10, embedding_size=4), x=np.array([4, 4, 1, 8], np.int64), init={"embedding_table": table})
    layer("Embedding.set_data", c, dict(vocab_size=6, embedding_size=3), x=np.array([[5, 0], [1, 5]], np.int32))
# fmt: on


# fmt: off
def simple_cases():
    layer("Flatten.default_4d", "Flatten", {}, (2, 3, 4, 5))
    layer("Flatten.start2", "Flatten", dict(start_dim=2), (2, 3, 4, 5))
    layer("Flatten.all", "Flatten", dict(start_dim=0, end_dim=-1), (2, 3, 4))
    layer("Flatten.last_two", "Flatten", dict(start_dim=-2, end_dim=-1), (2, 3, 4))
    layer("Flatten.middle", "Flatten", dict(start_dim=1, end_dim=2), (2, 3, 4, 5))
    layer("Flatten.noop", "Flatten", dict(start_dim=1, end_dim=1), (2, 3, 4))
    layer("Flatten.2d", "Flatten", {}, (3, 4))
    layer("Identity.basic", "Identity", {}, (2, 3))
    layer("LeakyReLU.default", "LeakyReLU", {}, x=away("lr0", 3, 4))
    layer("LeakyReLU.alpha001", "LeakyReLU", dict(alpha=0.01), x=away("lr1", 3, 4))
    layer("LeakyReLU.alpha15", "LeakyReLU", dict(alpha=1.5), x=away("lr2", 2, 3, 2))
    layer("Dropout.eval", "Dropout", dict(p=0.5), (2, 3, 4))
    layer("Dropout.eval_keep_prob", "Dropout", dict(keep_prob=0.8), (2, 3))
    layer("Dropout.train_p0", "Dropout", dict(p=0.0), (2, 3), train=True)
# fmt: on


def net_cases():
    net_case("net.LeNet5", "LeNet5", (2, 1, 32, 32))
    net_case("net.seq_mlp", "seq_mlp", (3, 4))
    net_case("net.seq_list", "seq_list", (2, 4))
    net_case("net.seq_ordered_dict", "seq_ordered_dict", (2, 3))
    net_case("net.cell_list_mlp", "cell_list_mlp", (3, 3))
    net_case("net.conv_bn_train", "conv_bn", (2, 2, 4, 4), train=True, steps=2)
    # Network (784-512-512-10) is recorded for its repr and parameter names only.
    net = build(ms, "Network")
    DOC["cases"].append(
        {"name": "net.Network", "kind": "net_repr", "net": "Network", "repr": masked_repr(net),
         "params": _param_table(net), "trainable": [p.name for p in net.trainable_params()]}
    )  # fmt: skip


# fmt: off
def op_cases():
    x = normal("ox", 1, 2, 7, 7)
    op_case("ops.conv2d.valid_default", "conv2d", [x, normal("ow1", 3, 2, 3, 3, scale=0.3)])
    op_case("ops.conv2d.pad_hw_s2_bias", "conv2d", [x, normal("ow2", 3, 2, 3, 3, scale=0.3), normal("ob2", 3)], dict(stride=2, pad_mode="pad", padding=(1, 2)))
    op_case("ops.conv2d.same_groups2_d2", "conv2d", [x, normal("ow3", 4, 1, 3, 3, scale=0.3), normal("ob3", 4)], dict(pad_mode="same", dilation=2, groups=2))
    op_case("ops.conv2d.pad1_s21", "conv2d", [x, normal("ow4", 2, 2, 2, 3, scale=0.3)], dict(stride=(2, 1), pad_mode="pad", padding=1))
    op_case("ops.conv2d.same_s2", "conv2d", [x, normal("ow5", 2, 2, 3, 3, scale=0.3)], dict(stride=2, pad_mode="same"))
    x1 = normal("ox1", 2, 2, 9)
    op_case("ops.conv1d.valid_default", "conv1d", [x1, normal("ow6", 3, 2, 3, scale=0.3)])
    op_case("ops.conv1d.same_s2_groups2_bias", "conv1d", [x1, normal("ow7", 4, 1, 3, scale=0.3), normal("ob7", 4)], dict(stride=2, pad_mode="same", groups=2))
    op_case("ops.conv1d.pad2_d2", "conv1d", [x1, normal("ow8", 2, 2, 3, scale=0.3)], dict(pad_mode="pad", padding=2, dilation=2))
    op_case("ops.max_pool2d.stride_default", "max_pool2d", [x], dict(kernel_size=2))
    op_case("ops.max_pool2d.k3_s2_p1", "max_pool2d", [x], dict(kernel_size=3, stride=2, padding=1))
    op_case("ops.max_pool2d.ceil_dilation", "max_pool2d", [x], dict(kernel_size=2, stride=2, dilation=2, ceil_mode=True))
    op_case("ops.max_pool2d.return_indices", "max_pool2d", [x], dict(kernel_size=3, stride=2, padding=1, return_indices=True))
    op_case("ops.avg_pool2d.k3_s2_p1", "avg_pool2d", [x], dict(kernel_size=3, stride=2, padding=1))
    op_case("ops.avg_pool2d.nocip", "avg_pool2d", [x], dict(kernel_size=3, stride=2, padding=1, count_include_pad=False))
    op_case("ops.avg_pool2d.ceil", "avg_pool2d", [x], dict(kernel_size=2, stride=2, ceil_mode=True))
    op_case("ops.avg_pool2d.divisor2", "avg_pool2d", [x], dict(kernel_size=3, stride=2, padding=1, divisor_override=2))
    op_case("ops.avg_pool2d.pad4", "avg_pool2d", [x], dict(kernel_size=3, stride=2, padding=(1, 1, 0, 1)))
    op_case("ops.adaptive_avg_pool2d.o32", "adaptive_avg_pool2d", [x], dict(output_size=(3, 2)))
    op_case("ops.adaptive_avg_pool2d.none3", "adaptive_avg_pool2d", [x], dict(output_size=(None, 3)))
    xb = normal("oxb", 2, 3, 4, 5)
    rm, rv = (normal("orm", 3), rng_for("orv").uniform(0.5, 2.0, 3).astype(F32))
    gamma, beta = (rng_for("og").uniform(0.5, 1.5, 3).astype(F32), normal("ob", 3))
    # NOTE: MindSpore returns zero gradients for running_mean / running_var even in eval mode;
    # the statistics are buffers, so no case differentiates with respect to them.
    op_case("ops.batch_norm.eval_2d", "batch_norm", [normal("oxb2", 4, 3), rm, rv, gamma, beta], grad=(0, 3, 4))
    op_case("ops.batch_norm.eval_4d", "batch_norm", [xb, rm, rv, gamma, beta], dict(eps=0.001), grad=(0, 3, 4))
    op_case("ops.batch_norm.train", "batch_norm", [xb, rm, rv, gamma, beta], dict(training=True, momentum=0.1), parameters=(1, 2), steps=2)
    op_case("ops.batch_norm.train_m03", "batch_norm", [normal("oxb3", 5, 3), rm, rv, gamma, beta], dict(training=True, momentum=0.3), parameters=(1, 2))
    op_case("ops.dropout.eval", "dropout", [normal("od", 2, 3)], dict(p=0.5, training=False))
    op_case("ops.dropout.p0_train", "dropout", [normal("od0", 2, 3)], dict(p=0.0, training=True))
    op_case("ops.leaky_relu.default", "leaky_relu", [away("ol", 3, 4)])
    op_case("ops.leaky_relu.alpha01", "leaky_relu", [away("ol2", 3, 4)], dict(alpha=0.1))
    op_case("ops.flatten.default", "flatten", [normal("of", 2, 3, 4, 5)])
    op_case("ops.flatten.order_F", "flatten", [normal("of2", 2, 3, 4)], dict(order="F"))
    op_case("ops.flatten.dims12", "flatten", [normal("of3", 2, 3, 4, 5)], dict(start_dim=1, end_dim=2))
    op_case("ops.flatten.all", "flatten", [normal("of4", 2, 3, 4)], dict(start_dim=0))
    op_case("ops.flatten.0d", "flatten", [np.array(1.5, F32)])
    op_case("ops.flatten.1d", "flatten", [normal("of5", 3)])
    DOC["skipped"].append(
        "ops.layer_norm: MindSpore 2.10 CPU cannot run it ('Create kernelmod for op LayerNormExt "
        "failed'); checked against PyTorch in test_layers_torch.py instead"
    )
# fmt: on


def train_cases():
    """WithLossCell and TrainOneStepCell on a fixed Dense(3, 2) with MSELoss."""
    x, y = normal("tx", 4, 3), normal("ty", 4, 2)
    w0, b0 = normal("tw", 2, 3, scale=0.5), normal("tb", 2, scale=0.5)
    for opt_name, opt_kwargs in [
        ("WithLossCell", None),
        ("SGD", dict(learning_rate=0.1)),
        ("Momentum", dict(learning_rate=0.1, momentum=0.9)),
    ]:
        name = f"train.{opt_name}"
        net = nn.Dense(3, 2)
        net.weight.set_data(Tensor(w0))
        net.bias.set_data(Tensor(b0))
        with_loss = nn.WithLossCell(net, nn.MSELoss())
        entry = {"name": name, "kind": "train", "optimizer": opt_name, "opt_kwargs": opt_kwargs,
                 "x": put(f"{name}:x", x), "y": put(f"{name}:y", y),
                 "weight": put(f"{name}:w0", w0), "bias": put(f"{name}:b0", b0)}  # fmt: skip
        if opt_kwargs is None:
            weights = with_loss.trainable_params()
            loss, grads = ms.value_and_grad(with_loss, None, weights)(Tensor(x), Tensor(y))
            entry.update(
                repr=masked_repr(with_loss),
                params=_param_table(with_loss),
                loss=float(loss.asnumpy()),
                grads=[put(f"{name}:grad:{p.name}", g.asnumpy()) for p, g in zip(weights, grads)],
            )
        else:
            opt = getattr(nn, opt_name)(net.trainable_params(), **opt_kwargs)
            step = nn.TrainOneStepCell(with_loss, opt)
            step.set_train()
            entry["repr"] = masked_repr(step)
            entry["steps"] = []
            for k in range(3):
                loss = step(Tensor(x), Tensor(y))
                entry["steps"].append(
                    {"loss": float(loss.asnumpy()),
                     "weight": put(f"{name}:s{k}:w", net.weight.asnumpy().copy()),
                     "bias": put(f"{name}:s{k}:b", net.bias.asnumpy().copy())}
                )  # fmt: skip
        DOC["cases"].append(entry)


# ---- errors --------------------------------------------------------------------------------------


def _tensor(spec):
    if spec.get("ndarray"):
        return np.ones(spec["shape"], dtype=spec.get("dtype", "float32"))
    if "values" in spec:
        return Tensor(np.array(spec["values"], dtype=spec.get("dtype", "float32")))
    return Tensor(np.ones(spec["shape"], dtype=spec.get("dtype", "float32")))


def error(name, target, kwargs=None, inputs=(), *, train=False, check=True):
    """Record what MindSpore does with bad input: raise (type, message, stage) or not."""
    kwargs = kwargs or {}
    entry = {"name": name, "target": target, "kwargs": jsonable(kwargs), "inputs": list(inputs),
             "train": train, "check": check, "type": None, "message": None, "stage": None}  # fmt: skip
    stage = "init"
    try:
        if target.startswith("nn."):
            obj = getattr(nn, target[3:])(**kwargs)
            obj.set_train(train)
            stage = "call"
            out = obj(*[_tensor(s) for s in inputs])
        else:
            stage = "call"
            out = getattr(ops, target[4:])(*[_tensor(s) for s in inputs], **kwargs)
        out = _first(out)
        entry["output_shape"] = list(out.shape)
        out.asnumpy()  # errors of asynchronous kernels surface here
    except Exception as e:  # noqa: BLE001 - recording whatever MindSpore raises
        entry.update(type=type(e).__name__, message=clean_message(e), stage=stage)
    DOC["errors"].append(entry)


def f32(*shape):
    return {"shape": list(shape), "dtype": "float32"}


# fmt: off
def error_cases():
    conv = dict(in_channels=3, out_channels=4, kernel_size=3)
    error("Conv2d.unknown_pad_mode", "nn.Conv2d", dict(conv, pad_mode="full"))
    error("Conv2d.upper_case_pad_mode", "nn.Conv2d", dict(conv, pad_mode="SAME"))
    error("Conv2d.padding_with_same", "nn.Conv2d", dict(conv, pad_mode="same", padding=1))
    error("Conv2d.padding_with_valid", "nn.Conv2d", dict(conv, pad_mode="valid", padding=1))
    error("Conv2d.padding_tuple2", "nn.Conv2d", dict(conv, pad_mode="pad", padding=(1, 2)))
    error("Conv2d.negative_padding", "nn.Conv2d", dict(conv, pad_mode="pad", padding=-1))
    error("Conv2d.rank3_input", "nn.Conv2d", conv, [f32(3, 8, 8)])
    error("Conv2d.rank5_input", "nn.Conv2d", conv, [f32(1, 1, 3, 8, 8)])
    error("Conv2d.channel_mismatch", "nn.Conv2d", conv, [f32(2, 5, 8, 8)])
    error("Conv2d.group_not_dividing_in", "nn.Conv2d", dict(conv, group=2))
    error("Conv2d.group_not_dividing_out", "nn.Conv2d", dict(in_channels=4, out_channels=3, kernel_size=3, group=2))
    error("Conv2d.kernel_larger_than_input", "nn.Conv2d", dict(conv, kernel_size=5, pad_mode="valid"), [f32(1, 3, 4, 4)])
    error("Conv2d.kernel_larger_than_padded", "nn.Conv2d", dict(conv, kernel_size=7, pad_mode="pad", padding=1), [f32(1, 3, 4, 4)])
    error("Conv2d.kernel_zero", "nn.Conv2d", dict(conv, kernel_size=0))
    error("Conv2d.kernel_negative", "nn.Conv2d", dict(conv, kernel_size=-1))
    error("Conv2d.stride_zero", "nn.Conv2d", dict(conv, stride=0))
    error("Conv2d.dilation_zero", "nn.Conv2d", dict(conv, dilation=0))
    error("Conv2d.in_channels_zero", "nn.Conv2d", dict(conv, in_channels=0))
    error("Conv2d.out_channels_zero", "nn.Conv2d", dict(conv, out_channels=0))
    error("Conv2d.int32_input", "nn.Conv2d", conv, [{"shape": [1, 3, 4, 4], "dtype": "int32"}])
    error("Conv2d.float64_input", "nn.Conv2d", conv, [{"shape": [1, 3, 4, 4], "dtype": "float64"}])
    error("Conv2d.ndarray_input", "nn.Conv2d", conv, [{"shape": [1, 3, 4, 4], "ndarray": True}])
    error("MaxPool2d.ndarray_input", "nn.MaxPool2d", dict(kernel_size=2), [{"shape": [1, 1, 4, 4], "ndarray": True}])
    error("BatchNorm2d.ndarray_input", "nn.BatchNorm2d", dict(num_features=1), [{"shape": [2, 1, 2, 2], "ndarray": True}])
    conv1 = dict(in_channels=3, out_channels=4, kernel_size=3)
    error("Conv1d.unknown_pad_mode", "nn.Conv1d", dict(conv1, pad_mode="x"))
    error("Conv1d.padding_with_same", "nn.Conv1d", dict(conv1, padding=1))
    error("Conv1d.padding_tuple", "nn.Conv1d", dict(conv1, pad_mode="pad", padding=(1, 2)))
    error("Conv1d.rank4_input", "nn.Conv1d", conv1, [f32(1, 3, 4, 4)])
    error("Conv1d.rank2_input", "nn.Conv1d", conv1, [f32(3, 8)], check=False)
    error("Conv1d.channel_mismatch", "nn.Conv1d", conv1, [f32(1, 2, 8)])
    error("Conv1d.group_not_dividing", "nn.Conv1d", dict(conv1, group=2))
    error("Conv1d.kernel_larger_than_input", "nn.Conv1d", dict(conv1, kernel_size=5, pad_mode="valid"), [f32(1, 3, 4)])
    error("Conv1d.kernel_zero", "nn.Conv1d", dict(conv1, kernel_size=0))
    error("MaxPool2d.unknown_pad_mode", "nn.MaxPool2d", dict(kernel_size=2, pad_mode="x"))
    error("MaxPool2d.padding_with_same", "nn.MaxPool2d", dict(kernel_size=2, pad_mode="same", padding=1))
    error("MaxPool2d.ceil_mode_with_valid", "nn.MaxPool2d", dict(kernel_size=2, ceil_mode=True))
    error("MaxPool2d.rank2_input", "nn.MaxPool2d", dict(kernel_size=2), [f32(4, 4)])
    error("MaxPool2d.rank5_input", "nn.MaxPool2d", dict(kernel_size=2), [f32(1, 1, 1, 4, 4)])
    error("MaxPool2d.kernel_larger_than_input", "nn.MaxPool2d", dict(kernel_size=5), [f32(1, 1, 4, 4)])
    error("MaxPool2d.kernel_zero", "nn.MaxPool2d", dict(kernel_size=0))
    error("MaxPool2d.stride_zero", "nn.MaxPool2d", dict(kernel_size=2, stride=0))
    error("MaxPool2d.padding_over_half_kernel", "nn.MaxPool2d", dict(kernel_size=2, pad_mode="pad", padding=2), [f32(1, 1, 5, 5)])
    error("AvgPool2d.unknown_pad_mode", "nn.AvgPool2d", dict(kernel_size=2, pad_mode="x"))
    error("AvgPool2d.padding_with_same", "nn.AvgPool2d", dict(kernel_size=2, pad_mode="same", padding=1))
    error("AvgPool2d.rank2_input", "nn.AvgPool2d", dict(kernel_size=2), [f32(4, 4)])
    error("AvgPool2d.kernel_larger_than_input", "nn.AvgPool2d", dict(kernel_size=5), [f32(1, 1, 4, 4)])
    error("AvgPool2d.kernel_zero", "nn.AvgPool2d", dict(kernel_size=0))
    error("AvgPool2d.divisor_override_zero", "nn.AvgPool2d", dict(kernel_size=2, divisor_override=0), [f32(1, 1, 4, 4)])
    error("AvgPool2d.divisor_override_negative", "nn.AvgPool2d", dict(kernel_size=2, pad_mode="pad", divisor_override=-1), [f32(1, 1, 4, 4)])
    error("MaxPool1d.unknown_pad_mode", "nn.MaxPool1d", dict(kernel_size=2, pad_mode="x"))
    error("MaxPool1d.rank4_input", "nn.MaxPool1d", dict(kernel_size=2), [f32(1, 1, 4, 4)])
    error("MaxPool1d.kernel_larger_than_input", "nn.MaxPool1d", dict(kernel_size=5), [f32(1, 1, 4)])
    error("AvgPool1d.rank4_input", "nn.AvgPool1d", dict(kernel_size=2), [f32(1, 1, 4, 4)])
    error("AvgPool1d.kernel_larger_than_input", "nn.AvgPool1d", dict(kernel_size=5), [f32(1, 1, 4)])
    error("AdaptiveAvgPool2d.rank2_input", "nn.AdaptiveAvgPool2d", dict(output_size=2), [f32(4, 4)])
    error("AdaptiveAvgPool2d.negative_size", "nn.AdaptiveAvgPool2d", dict(output_size=-1))
    error("AdaptiveAvgPool2d.zero_size", "nn.AdaptiveAvgPool2d", dict(output_size=0), [f32(1, 4, 4)], check=False)
    for p in (1.0, -0.1, 1.5):
        error(f"Dropout.p_{p}", "nn.Dropout", dict(p=p))
    error("Dropout.keep_prob_0", "nn.Dropout", dict(keep_prob=0.0))
    error("BatchNorm1d.wrong_channels", "nn.BatchNorm1d", dict(num_features=3), [f32(2, 4)])
    error("BatchNorm1d.wrong_channels_train", "nn.BatchNorm1d", dict(num_features=3), [f32(2, 4)], train=True)
    error("BatchNorm1d.rank4_input", "nn.BatchNorm1d", dict(num_features=3), [f32(2, 3, 2, 2)])
    error("BatchNorm2d.wrong_channels", "nn.BatchNorm2d", dict(num_features=3), [f32(2, 4, 2, 2)])
    error("BatchNorm2d.rank3_input", "nn.BatchNorm2d", dict(num_features=3), [f32(2, 3, 2)])
    error("BatchNorm2d.momentum_out_of_range", "nn.BatchNorm2d", dict(num_features=3, momentum=1.5))
    error("BatchNorm2d.num_features_zero", "nn.BatchNorm2d", dict(num_features=0))
    error("LayerNorm.shape_mismatch", "nn.LayerNorm", dict(normalized_shape=(4,)), [f32(2, 3)])
    error("LayerNorm.shape_mismatch_2", "nn.LayerNorm", dict(normalized_shape=(3, 4), begin_norm_axis=1, begin_params_axis=1), [f32(2, 3, 5)])
    error("LayerNorm.negative_begin_norm_axis", "nn.LayerNorm", dict(normalized_shape=(3, 4), begin_norm_axis=-2, begin_params_axis=-2), [f32(2, 3, 4)], check=False)
    emb = dict(vocab_size=5, embedding_size=2)
    error("Embedding.index_out_of_range", "nn.Embedding", emb, [{"values": [0, 7], "dtype": "int32"}])
    error("Embedding.negative_index", "nn.Embedding", emb, [{"values": [0, -1], "dtype": "int32"}], check=False)
    error("Embedding.one_hot_index_out_of_range", "nn.Embedding", dict(emb, use_one_hot=True), [{"values": [0, 7], "dtype": "int32"}], check=False)
    error("Embedding.float_indices", "nn.Embedding", emb, [{"values": [0.0, 1.0], "dtype": "float32"}])
    error("Embedding.padding_idx_out_of_range", "nn.Embedding", dict(emb, padding_idx=5))
    error("Embedding.padding_idx_negative", "nn.Embedding", dict(emb, padding_idx=-1))
    error("Embedding.vocab_size_zero", "nn.Embedding", dict(emb, vocab_size=0))
    error("Flatten.start_after_end", "nn.Flatten", dict(start_dim=2, end_dim=1), [f32(2, 3, 4)])
    error("Flatten.dim_out_of_range", "nn.Flatten", dict(start_dim=1, end_dim=5), [f32(2, 3, 4)])
    error("Flatten.1d_input", "nn.Flatten", {}, [f32(3)])
    error("ops.conv2d.channel_mismatch", "ops.conv2d", {}, [f32(1, 2, 5, 5), f32(4, 3, 3, 3)])
    error("ops.conv2d.unknown_pad_mode", "ops.conv2d", dict(pad_mode="full"), [f32(1, 2, 5, 5), f32(4, 2, 3, 3)])
    error("ops.conv2d.padding_with_same", "ops.conv2d", dict(pad_mode="same", padding=1), [f32(1, 2, 5, 5), f32(4, 2, 3, 3)])
    error("ops.conv2d.rank3_input", "ops.conv2d", {}, [f32(2, 5, 5), f32(4, 2, 3, 3)])
    error("ops.conv2d.padding_tuple4", "ops.conv2d", dict(pad_mode="pad", padding=(1, 2, 0, 1)), [f32(1, 2, 5, 5), f32(4, 2, 3, 3)])
    error("ops.conv1d.channel_mismatch", "ops.conv1d", {}, [f32(1, 2, 5), f32(4, 3, 3)])
    error("ops.max_pool2d.rank3_input", "ops.max_pool2d", dict(kernel_size=2), [f32(1, 5, 5)])
    error("ops.avg_pool2d.rank3_input", "ops.avg_pool2d", dict(kernel_size=2), [f32(1, 5, 5)])
    error("ops.avg_pool2d.padding_tuple2", "ops.avg_pool2d", dict(kernel_size=3, padding=(1, 0)), [f32(1, 1, 5, 5)])
    error("ops.adaptive_avg_pool2d.rank2_input", "ops.adaptive_avg_pool2d", dict(output_size=2), [f32(5, 5)])
    error("ops.batch_norm.wrong_channels", "ops.batch_norm", {}, [f32(4, 3), f32(4), f32(4), f32(4), f32(4)])
    error("ops.dropout.p_1.5", "ops.dropout", dict(p=1.5), [f32(2, 3)])
    error("ops.flatten.start_after_end", "ops.flatten", dict(start_dim=2, end_dim=1), [f32(2, 3, 4)])
    error("ops.flatten.bad_order", "ops.flatten", dict(order="X"), [f32(2, 3, 4)])
    for name, make in [("SequentialCell.non_cell", lambda: nn.SequentialCell([nn.ReLU(), 3])), ("CellList.non_cell", lambda: nn.CellList([nn.ReLU(), 3]))]:
        entry = {"name": name, "target": "custom", "check": True, "stage": "init", "type": None}
        try:
            make()
        except Exception as e:
            entry.update(type=type(e).__name__, message=clean_message(e))
        DOC["errors"].append(entry)
# fmt: on


# ---- output shapes -------------------------------------------------------------------------------


def shape_cases():
    """Output shapes of 'same' / 'valid' / 'pad' windows over odd and even sizes (stride 2, 3)."""
    for cls, extra in [
        ("Conv2d", dict(in_channels=1, out_channels=1)),
        ("MaxPool2d", {}),
        ("AvgPool2d", {}),
    ]:
        for pad_mode in ("same", "valid", "pad"):
            for k in (1, 2, 3, 4, 5):
                for s in (2, 3):
                    for d in (1, 2) if cls == "Conv2d" else (1,):
                        kwargs = dict(extra, kernel_size=k, stride=s, pad_mode=pad_mode)
                        if d != 1:
                            kwargs["dilation"] = d
                        if pad_mode == "pad":
                            kwargs["padding"] = k // 2
                        if pad_mode == "pad" and cls != "Conv2d":
                            kwargs["ceil_mode"] = True
                        for size in (5, 6, 7, 8):
                            _shape(cls, kwargs, (1, 1, size, size + 1))
    for cls, extra in [
        ("Conv1d", dict(in_channels=1, out_channels=1)),
        ("MaxPool1d", {}),
        ("AvgPool1d", {}),
    ]:
        for pad_mode in ("same", "valid"):
            for k in (1, 2, 3, 4, 5):
                for s in (2, 3):
                    for size in (5, 6, 7, 8):
                        _shape(
                            cls,
                            dict(extra, kernel_size=k, stride=s, pad_mode=pad_mode),
                            (1, 1, size),
                        )


def _shape(cls, kwargs, in_shape):
    entry = {"cls": cls, "kwargs": jsonable(kwargs), "input_shape": list(in_shape)}
    try:
        out = getattr(nn, cls)(**kwargs)(Tensor(np.ones(in_shape, F32)))
        out.asnumpy()
        entry["output_shape"] = list(out.shape)
    except Exception as e:  # noqa: BLE001
        entry["error"] = type(e).__name__
    DOC["shapes"].append(entry)


# ---- signatures ----------------------------------------------------------------------------------

SIG_CLASSES = """SequentialCell CellList Flatten Identity LeakyReLU Dropout Conv1d Conv2d MaxPool2d AvgPool2d
MaxPool1d AvgPool1d AdaptiveAvgPool2d BatchNorm1d BatchNorm2d LayerNorm Embedding WithLossCell
TrainOneStepCell""".split()
SIG_OPS = """conv2d conv1d max_pool2d avg_pool2d adaptive_avg_pool2d batch_norm layer_norm dropout
leaky_relu flatten""".split()


def _sig_entry(obj):
    if inspect.isclass(obj):
        s = inspect.signature(obj.__init__)
        s = s.replace(parameters=list(s.parameters.values())[1:])
    else:
        s = inspect.signature(obj)
    params = []
    for p in s.parameters.values():
        d = {"name": p.name, "kind": p.kind.name}
        if p.default is not inspect.Parameter.empty:
            d["default"] = repr(p.default)
        params.append(d)
    return {"params": params, "text": str(s)}


def signature_cases():
    for n in SIG_CLASSES:
        DOC["signatures"][f"nn.{n}"] = _sig_entry(getattr(nn, n))
    for n in SIG_OPS:
        DOC["signatures"][f"ops.{n}"] = _sig_entry(getattr(ops, n))


def dumps(doc):
    """JSON with one line per case, error, shape and signature: small, and readable in a diff."""
    parts = []
    for key, value in doc.items():
        if isinstance(value, list):
            body = ",\n".join("  " + json.dumps(v) for v in value)
            parts.append(f"{json.dumps(key)}: [\n{body}\n ]")
        elif key == "signatures":
            body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in value.items())
            parts.append(f"{json.dumps(key)}: {{\n{body}\n }}")
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value)}")
    return "{\n " + ",\n ".join(parts) + "\n}\n"


def main():
    ms.set_context(mode=ms.PYNATIVE_MODE)
    conv_cases()
    pool_cases()
    norm_cases()
    embedding_cases()
    simple_cases()
    net_cases()
    op_cases()
    train_cases()
    error_cases()
    shape_cases()
    signature_cases()
    DOC["skipped"] += [
        "Dropout / ops.dropout in training mode with p > 0: the mask comes from MindSpore's RNG; "
        "the tests check the mask's properties instead",
        "BatchNorm in training mode on a batch of one value per channel: the unbiased variance "
        "divides by zero",
    ]
    np.savez_compressed(os.path.join(HERE, "golden.npz"), **ARRAYS)
    with open(os.path.join(HERE, "golden.json"), "w", encoding="utf-8") as f:
        f.write(dumps(DOC))
    n_err = sum(e["type"] is not None for e in DOC["errors"])
    print(f"{len(DOC['cases'])} cases, {len(ARRAYS)} arrays, {len(DOC['errors'])} error cases "
          f"({n_err} raise), {len(DOC['shapes'])} shapes")  # fmt: skip


if __name__ == "__main__":
    main()
