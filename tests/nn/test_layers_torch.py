"""The nn layers and their functional ops against PyTorch (CPU, float64), and against central
differences. Skipped when PyTorch is not installed (it is not a dependency).

`ref_layer` / `ref_op` express MindSpore 2.10's semantics with torch: 'same' padding as
`total = max((ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)` with `total // 2` before and the
rest (the extra one) after; 'same' average pooling divides by the number of real (unpadded)
elements; BatchNorm's momentum is the weight of the old statistic (torch momentum = 1 - MindSpore
momentum; both use the unbiased batch variance for the running variance); Embedding does not
mask the gradient of `padding_idx` (torch does, so torch gets no `padding_idx`).
`test_reference_reproduces_mindspore` checks these references against every recorded MindSpore
golden first, so the float64 comparisons below test MindSpore's behaviour, not torch's.

Then, for the same cases in float64: the minispore layer (built with `dtype=mindspore.float64`)
against the reference: outputs, gradients of `sum(out * ct)` with respect to the input and every
trainable parameter, and BatchNorm's moving statistics after each step. Last, numerical checks:
first order in both modes (`minispore.testing.check_grads`) for every layer kind, and second
order through `minispore.grad(minispore.grad(...))` for convolution and pooling.
"""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, nn, ops
from minispore.tensor import _wrap
from minispore.testing import check_grads
from tests.helpers import num_grad
from tests.nn.golden_layers import golden

torch = pytest.importorskip("torch")
F = torch.nn.functional

RTOL, ATOL = 1e-9, 1e-11


# ---- MindSpore semantics, written with torch -----------------------------------------------------


def _tup(v, n):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


def _same_pads(sizes, k, s, d):
    """MindSpore/TensorFlow 'same': the extra padding element goes after (bottom / right)."""
    pads = []
    for n, kk, ss, dd in zip(sizes, k, s, d):
        out = -(-n // ss)
        total = max((out - 1) * ss + (kk - 1) * dd + 1 - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def _pad(x, pads, value=0.0):
    """Pad the last len(pads) dims; `pads` lists (before, after) from the first spatial dim."""
    flat = []
    for before, after in reversed(pads):
        flat += [before, after]
    return F.pad(x, flat, value=value)


def _conv(x, w, b, nd, stride, pad_mode, padding, dilation, groups, layer):
    k, s, d = w.shape[2:], _tup(stride, nd), _tup(dilation, nd)
    if pad_mode == "same":
        pads = _same_pads(x.shape[-nd:], k, s, d)
    elif pad_mode == "valid":
        pads = [(0, 0)] * nd
    elif isinstance(padding, int):
        pads = [(padding, padding)] * nd
    elif layer and nd == 2:  # nn.Conv2d: (top, bottom, left, right)
        pads = [tuple(padding[:2]), tuple(padding[2:])]
    else:  # ops.conv2d: (pad_h, pad_w), symmetric
        pads = [(p, p) for p in padding]
    conv = F.conv2d if nd == 2 else F.conv1d
    return conv(_pad(x, pads), w, b, s, 0, d, groups)


def _max_pool(x, nd, k, s, pad_mode, padding, dilation, ceil_mode, return_indices):
    pool = F.max_pool2d if nd == 2 else F.max_pool1d
    k, s = _tup(k, nd), _tup(s, nd)
    if pad_mode == "same":
        x = _pad(x, _same_pads(x.shape[-nd:], k, s, (1,) * nd), float("-inf"))
        return pool(x, k, s)
    if pad_mode == "valid":
        return pool(x, k, s)
    return pool(x, k, s, padding, dilation, ceil_mode, return_indices)


def _avg_pool(x, nd, k, s, pad_mode, padding, ceil_mode, count_include_pad, divisor_override):
    k, s = _tup(k, nd), _tup(s, nd)
    if pad_mode == "same":
        pads = _same_pads(x.shape[-nd:], k, s, (1,) * nd)
        if nd == 1:
            total = F.avg_pool1d(_pad(x, pads), k, s) * k[0]
            count = F.avg_pool1d(_pad(torch.ones_like(x), pads), k, s) * k[0]
        else:
            total = F.avg_pool2d(_pad(x, pads), k, s, divisor_override=1)
            count = F.avg_pool2d(_pad(torch.ones_like(x), pads), k, s, divisor_override=1)
        return total / count
    if pad_mode == "valid":
        padding = 0
    if nd == 1:
        return F.avg_pool1d(x, k, s, padding, ceil_mode, count_include_pad)
    if isinstance(padding, (tuple, list)) and len(padding) == 4:  # ops.avg_pool2d: (t, b, l, r)
        assert count_include_pad and not ceil_mode and not divisor_override
        return F.avg_pool2d(_pad(x, [tuple(padding[:2]), tuple(padding[2:])]), k, s)
    return F.avg_pool2d(x, k, s, padding, ceil_mode, count_include_pad, divisor_override or None)


def _layer_norm(x, begin_norm_axis, gamma, beta, eps):
    axes = tuple(range(begin_norm_axis % x.dim(), x.dim()))
    mean = x.mean(axes, keepdim=True)
    var = ((x - mean) ** 2).mean(axes, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * gamma + beta


def ref_layer(cls, kw, x, p, train):
    """MindSpore's nn.<cls>(**kw) on x with parameters p (dict by attribute name), in torch.

    BatchNorm updates p['moving_mean'] / p['moving_variance'] in place, as MindSpore does.
    """
    if cls in ("Conv2d", "Conv1d"):
        nd = 2 if cls == "Conv2d" else 1
        if nd == 2:
            w = p["weight"]
        else:  # MindSpore stores Conv1d weights as (out, in / group, 1, k)
            w = p["weight"].reshape(p["weight"].shape[0], p["weight"].shape[1], -1)
        return _conv(x, w, p.get("bias"), nd, kw.get("stride", 1), kw.get("pad_mode", "same"),
                     kw.get("padding", 0), kw.get("dilation", 1), kw.get("group", 1), layer=True)  # fmt: skip
    if cls in ("MaxPool2d", "MaxPool1d"):
        nd = 2 if cls == "MaxPool2d" else 1
        return _max_pool(x, nd, kw.get("kernel_size", 1), kw.get("stride", 1),
                         kw.get("pad_mode", "valid"), kw.get("padding", 0), kw.get("dilation", 1),
                         kw.get("ceil_mode", False), kw.get("return_indices", False))  # fmt: skip
    if cls in ("AvgPool2d", "AvgPool1d"):
        nd = 2 if cls == "AvgPool2d" else 1
        return _avg_pool(x, nd, kw.get("kernel_size", 1), kw.get("stride", 1),
                         kw.get("pad_mode", "valid"), kw.get("padding", 0), kw.get("ceil_mode", False),
                         kw.get("count_include_pad", True), kw.get("divisor_override"))  # fmt: skip
    if cls == "AdaptiveAvgPool2d":
        return F.adaptive_avg_pool2d(x, kw["output_size"])
    if cls in ("BatchNorm1d", "BatchNorm2d"):
        ubs = kw.get("use_batch_statistics")
        training = train if ubs is None else ubs
        # affine=False only makes gamma and beta untrainable (ones and zeros).
        return F.batch_norm(x, p["moving_mean"], p["moving_variance"], p["gamma"], p["beta"],
                            training, 1 - kw.get("momentum", 0.9), kw.get("eps", 1e-5))  # fmt: skip
    if cls == "LayerNorm":
        return _layer_norm(x, kw.get("begin_norm_axis", -1), p["gamma"], p["beta"],
                           kw.get("epsilon", 1e-7))  # fmt: skip
    if cls == "Embedding":
        return F.embedding(x.long(), p["embedding_table"])
    if cls == "Flatten":
        return torch.flatten(x, kw.get("start_dim", 1), kw.get("end_dim", -1))
    if cls in ("Identity", "Dropout"):
        return x
    if cls == "LeakyReLU":
        return F.leaky_relu(x, kw.get("alpha", 0.2))
    raise NotImplementedError(cls)


def ref_op(op, args, kw):
    """MindSpore's ops.<op>(*args, **kw) in torch (running statistics updated in place)."""
    x = args[0]
    if op in ("conv2d", "conv1d"):
        nd = 2 if op == "conv2d" else 1
        b = args[2] if len(args) > 2 else None
        return _conv(x, args[1], b, nd, kw.get("stride", 1), kw.get("pad_mode", "valid"),
                     kw.get("padding", 0), kw.get("dilation", 1), kw.get("groups", 1), layer=False)  # fmt: skip
    if op == "max_pool2d":
        k = kw["kernel_size"]
        return F.max_pool2d(x, k, kw.get("stride") or k, kw.get("padding", 0), kw.get("dilation", 1),
                            kw.get("ceil_mode", False), kw.get("return_indices", False))  # fmt: skip
    if op == "avg_pool2d":
        return _avg_pool(x, 2, kw.get("kernel_size", 1), kw.get("stride", 1), "pad",
                         kw.get("padding", 0), kw.get("ceil_mode", False),
                         kw.get("count_include_pad", True), kw.get("divisor_override", 0))  # fmt: skip
    if op == "adaptive_avg_pool2d":
        return F.adaptive_avg_pool2d(x, kw["output_size"])
    if op == "batch_norm":
        if not kw.get("training", False):  # written out: torch has no gradient for the statistics
            shape = (1, -1) + (1,) * (x.dim() - 2)
            rm, rv, w, b = (a.reshape(shape) for a in args[1:5])
            return (x - rm) / torch.sqrt(rv + kw.get("eps", 1e-5)) * w + b
        return F.batch_norm(x, args[1], args[2], args[3], args[4], kw.get("training", False),
                            kw.get("momentum", 0.1), kw.get("eps", 1e-5))  # fmt: skip
    if op == "layer_norm":
        w = args[1] if len(args) > 1 else None
        b = args[2] if len(args) > 2 else None
        return F.layer_norm(x, kw["normalized_shape"], w, b, kw.get("eps", 1e-5))
    if op == "dropout":
        return x
    if op == "leaky_relu":
        return F.leaky_relu(x, kw.get("alpha", 0.2))
    if op == "flatten":
        if kw.get("order", "C") == "F":
            x = x.permute(*reversed(range(x.dim())))
        if x.dim() == 0:
            return x.reshape(1)
        if x.dim() == 1:
            return x
        return torch.flatten(x, kw.get("start_dim", 1), kw.get("end_dim", -1))
    raise NotImplementedError(op)


# ---- running a recorded case in torch ------------------------------------------------------------


def _param_values(case):
    """{attribute path: array} of the case's parameters before the first step."""
    _, arrays = golden.load()
    keys = {**case.get("initial", {}), **case.get("set_data", {})}
    return {name: arrays[key] for name, key in keys.items()}


def run_torch(case, dtype=torch.float64):
    """The recorded steps of a layer/op case, in torch: list of per-step numpy results."""
    _, arrays = golden.load()
    kw = golden.tuplify(case["kwargs"])

    def th(a, grad=False):
        t = torch.tensor(a, dtype=dtype if a.dtype.kind == "f" else None)
        return t.requires_grad_(grad)

    ct = th(arrays[case["ct"]])
    if case["kind"] == "layer":
        table = {row[1]: row[0] for row in case["params"]}  # Parameter.name -> attribute path
        p = {k: th(v, grad=True) for k, v in _param_values(case).items()}
        x = th(arrays[case["inputs"][0]["key"]])
        trainable = [p[table[n]] for n in case["trainable"]]
        state_names = [row[0] for row in case["params"] if not row[3]]
        for n in state_names:
            p[n] = p[n].detach()
    else:
        args = [th(arrays[a["key"]]) for a in case["args"]]
        trainable, state_names = (
            [],
            [f"arg{i}" for i, a in enumerate(case["args"]) if a["parameter"]],
        )
    results = []
    for _ in range(case["steps"]):
        if case["kind"] == "layer":
            x = x.detach().requires_grad_(bool(case["grad_args"]))
            out = golden.first(ref_layer(case["cls"], kw, x, p, case["train"]))
            diff = [x] if case["grad_args"] else []
            state = {n: p[n].detach().numpy().copy() for n in state_names}
        else:
            args = [a.detach().requires_grad_(i in case["grad_args"]) for i, a in enumerate(args)]
            out = golden.first(ref_op(case["op"], args, kw))
            diff = [args[i] for i in case["grad_args"]]
            state = {n: args[int(n[3:])].detach().numpy().copy() for n in state_names}
        loss = (out * ct).sum()
        grads = torch.autograd.grad(loss, diff + trainable, allow_unused=True)
        grads = [torch.zeros_like(t) if g is None else g for g, t in zip(grads, diff + trainable)]
        results.append({
            "out": out.detach().numpy(),
            "loss": float(loss.detach()),
            "grad_args": [g.numpy() for g in grads[: len(diff)]],
            "grad_params": [g.numpy() for g in grads[len(diff):]],
            "state": state,
        })  # fmt: skip
    return results


TORCH_CASES = golden.cases("layer", "op")


@pytest.mark.parametrize("case", TORCH_CASES, ids=lambda c: c["name"])
def test_reference_reproduces_mindspore(case):
    """The torch references above are MindSpore's semantics: they reproduce every golden."""
    _, arrays = golden.load()
    golden.compare_results(
        run_torch(case), case["results"], case["name"], 1e-5, 2e-6, arrays, arrays[case["ct"]]
    )


@pytest.mark.parametrize(
    "case", [c for c in TORCH_CASES if "extra_outputs" in c], ids=lambda c: c["name"]
)
def test_reference_reproduces_mindspore_pooling_indices(case):
    """MindSpore's max-pooling indices are torch's: flat positions in each channel's H x W plane."""
    _, arrays = golden.load()
    kw = golden.tuplify(case["kwargs"])
    spec = case["inputs"][0] if case["kind"] == "layer" else case["args"][0]
    x = torch.tensor(arrays[spec["key"]], dtype=torch.float64)
    out = (
        ref_layer(case["cls"], kw, x, {}, False)
        if case["kind"] == "layer"
        else ref_op(case["op"], [x], kw)
    )
    np.testing.assert_array_equal(out[1].numpy(), arrays[case["extra_outputs"][0]["key"]])


# ---- minispore in float64 against the references -------------------------------------------------


def _minispore_steps(case):
    """Run a recorded case with minispore in float64; per-step numpy results."""
    _, arrays = golden.load()
    ct = arrays[case["ct"]].astype(np.float64)
    if case["kind"] == "layer":
        net = golden.build_cell(ms, case, dtype=ms.float64)
        args = golden.inputs(ms, case, dtype=np.float64)
        weights = net.trainable_params()

        def state():
            return {
                k: p.asnumpy().copy() for k, p in net.parameters_and_names() if not p.requires_grad
            }

        return golden.run_steps(ms, net, args, case["grad_args"], weights, ct, case["steps"], state)
    args = golden.inputs(ms, case, dtype=np.float64)
    kw = golden.tuplify(case["kwargs"])
    params = [i for i, a in enumerate(case["args"]) if a["parameter"]]

    def state():
        return {f"arg{i}": args[i].asnumpy().copy() for i in params}

    def call(*a):
        return getattr(ops, case["op"])(*a, **kw)

    return golden.run_steps(ms, call, args, case["grad_args"], [], ct, case["steps"], state)


@pytest.mark.parametrize("case", TORCH_CASES, ids=lambda c: c["name"])
def test_float64_matches_torch(case):
    """Every recorded layer and op case, in float64: outputs, gradients, moving statistics."""
    got = _minispore_steps(case)
    for step in got:
        assert step["out"].dtype == np.float64, f"{case['name']}: output dtype {step['out'].dtype}"
    golden.compare_results(got, run_torch(case), case["name"], RTOL, ATOL)


CONV_GRID = [
    dict(
        pad_mode=pm,
        stride=s,
        dilation=d,
        group=g,
        **({"padding": (1, 2, 2, 0)} if pm == "pad" else {}),
    )
    for pm in ("same", "valid", "pad")
    for s in (1, 2)
    for d in (1, 2)
    for g in (1, 2)
]


@pytest.mark.parametrize("kw", CONV_GRID, ids=lambda kw: "-".join(f"{k}{v}" for k, v in kw.items()))
def test_conv2d_grid_matches_torch(kw):
    rng = np.random.default_rng(len(CONV_GRID))
    x = rng.normal(size=(2, 4, 7, 8))  # odd height, even width
    w = rng.normal(size=(6, 4 // kw["group"], 3, 3))
    b = rng.normal(size=6)
    net = nn.Conv2d(
        4, 6, 3, has_bias=True, weight_init=Tensor(w), bias_init=Tensor(b), dtype=ms.float64, **kw
    )
    ct = rng.normal(size=net(Tensor(x)).shape)
    got = golden.run_steps(ms, net, [Tensor(x)], [0], net.trainable_params(), ct, 1)[0]
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    ref = ref_layer("Conv2d", kw, tx, {"weight": tw, "bias": tb}, False)
    gx, gw, gb = torch.autograd.grad((ref * torch.tensor(ct)).sum(), (tx, tw, tb))
    want = {"out": ref.detach().numpy(), "loss": float((ref * torch.tensor(ct)).sum().detach()),
            "grad_args": [gx.numpy()], "grad_params": [gw.numpy(), gb.numpy()], "state": {}}  # fmt: skip
    golden.compare_results([got], [want], f"Conv2d{kw}", RTOL, ATOL)


LAYER_NORM_OPS = [
    ((2, 3, 4), (4,), True),
    ((2, 3, 4), (3, 4), True),
    ((3, 5), (5,), False),
]


@pytest.mark.parametrize("shape,normalized_shape,affine", LAYER_NORM_OPS)
def test_ops_layer_norm_matches_torch(shape, normalized_shape, affine):
    """ops.layer_norm cannot run on MindSpore 2.10's CPU build, so torch is its only reference."""
    rng = np.random.default_rng(3)
    x, ct = rng.normal(size=shape), rng.normal(size=shape)
    w, b = rng.uniform(0.5, 1.5, normalized_shape), rng.normal(size=normalized_shape)
    args = [x, w, b] if affine else [x]
    got = golden.run_steps(ms, lambda *a: ops.layer_norm(a[0], normalized_shape, *a[1:], eps=1e-5),
                           [Tensor(a) for a in args], list(range(len(args))), [], ct, 1)[0]  # fmt: skip
    th = [torch.tensor(a, requires_grad=True) for a in args]
    ref = F.layer_norm(th[0], normalized_shape, *th[1:], eps=1e-5)
    grads = torch.autograd.grad((ref * torch.tensor(ct)).sum(), th)
    want = {"out": ref.detach().numpy(), "loss": float((ref * torch.tensor(ct)).sum().detach()),
            "grad_args": [g.numpy() for g in grads], "grad_params": [], "state": {}}  # fmt: skip
    golden.compare_results([got], [want], f"ops.layer_norm{normalized_shape}", RTOL, ATOL)


# ---- central differences -------------------------------------------------------------------------


def cell_function(net):
    """(f, weights): f(x, *ws) -> raw output of net with its trainable parameters set to ws.

    Parameters get the (possibly traced) values for the duration of the call, as value_and_grad
    does, so `check_grads` differentiates with respect to the input and every weight.
    """
    params = net.trainable_params()

    def f(x, *ws):
        saved = [p._value for p in params]
        try:
            for p, w in zip(params, ws):
                p._value = w
            return net(_wrap(x))._value
        finally:
            for p, v in zip(params, saved):
                p._value = v

    return f, [np.array(p.asnumpy()) for p in params]


def _distinct(*shape, seed=0):
    """Normal values with no two closer than 1e-3: max pooling stays differentiable under eps."""
    r = np.random.default_rng(seed)
    n = int(np.prod(shape))
    return (r.permutation(n) * 0.05 - n * 0.025 + r.uniform(-1e-3, 1e-3, n)).reshape(shape) / 2


F64 = {"dtype": ms.float64}
NUMERIC_LAYERS = {
    "Conv2d.same_s2_group2_bias": (lambda: nn.Conv2d(4, 2, 3, stride=2, group=2, has_bias=True, **F64), (1, 4, 5, 6)),
    "Conv2d.pad_d2": (lambda: nn.Conv2d(2, 2, (3, 2), pad_mode="pad", padding=(1, 0, 2, 1), dilation=2, **F64), (1, 2, 6, 5)),
    "Conv2d.valid_s21": (lambda: nn.Conv2d(2, 3, 2, stride=(2, 1), pad_mode="valid", has_bias=True, **F64), (2, 2, 5, 4)),
    "Conv1d.same_s2_d2_bias": (lambda: nn.Conv1d(2, 3, 3, stride=2, dilation=2, has_bias=True, **F64), (2, 2, 9)),
    "Conv1d.pad_group2": (lambda: nn.Conv1d(2, 4, 2, pad_mode="pad", padding=1, group=2, **F64), (1, 2, 6)),
    "MaxPool2d.same_k3_s2": (lambda: nn.MaxPool2d(3, 2, pad_mode="same"), (1, 2, 5, 6)),
    "MaxPool2d.pad_ceil_dilation": (lambda: nn.MaxPool2d(2, 2, pad_mode="pad", padding=1, dilation=2, ceil_mode=True), (1, 2, 6, 5)),
    "AvgPool2d.same_k3_s2": (lambda: nn.AvgPool2d(3, 2, pad_mode="same"), (1, 2, 5, 6)),
    "AvgPool2d.pad_ceil_nocip": (lambda: nn.AvgPool2d(3, 2, pad_mode="pad", padding=1, ceil_mode=True, count_include_pad=False), (1, 2, 6, 6)),
    "AvgPool2d.divisor": (lambda: nn.AvgPool2d(2, 2, pad_mode="pad", divisor_override=3), (1, 2, 4, 5)),
    "MaxPool1d.same_k3_s2": (lambda: nn.MaxPool1d(3, 2, pad_mode="same"), (2, 2, 7)),
    "AvgPool1d.pad_nocip": (lambda: nn.AvgPool1d(3, 2, pad_mode="pad", padding=1, count_include_pad=False), (2, 2, 7)),
    "AdaptiveAvgPool2d.not_dividing": (lambda: nn.AdaptiveAvgPool2d((3, None)), (1, 2, 7, 5)),
    "BatchNorm2d.train": (lambda: nn.BatchNorm2d(3, **F64).set_train(), (2, 3, 2, 3)),
    "BatchNorm2d.eval": (lambda: nn.BatchNorm2d(3, **F64), (2, 3, 2, 3)),
    "BatchNorm1d.train": (lambda: nn.BatchNorm1d(3, **F64).set_train(), (5, 3)),
    "LayerNorm.axes12": (lambda: nn.LayerNorm((3, 4), begin_norm_axis=1, begin_params_axis=1, **F64), (2, 3, 4)),
    "LayerNorm.params_last": (lambda: nn.LayerNorm((4,), begin_norm_axis=1, begin_params_axis=-1, **F64), (2, 3, 4)),
    "LeakyReLU": (lambda: nn.LeakyReLU(0.3), (3, 4)),
    "Flatten": (lambda: nn.Flatten(1, 2), (2, 3, 2, 2)),
    "SequentialCell": (lambda: nn.SequentialCell(nn.Dense(3, 4, dtype=ms.float64), nn.LeakyReLU(), nn.Dense(4, 2, dtype=ms.float64)), (2, 3)),
}  # fmt: skip


def _randomise(net, seed):
    r = np.random.default_rng(seed)
    for _, p in net.parameters_and_names():
        shift = 1.0 if p.name.endswith(("gamma", "variance")) else 0.0
        p.set_data(Tensor(shift + 0.5 * r.uniform(0.2, 1.0, p.shape) * r.choice([-1, 1], p.shape)))
    return net


@pytest.mark.parametrize("name", sorted(NUMERIC_LAYERS))
def test_layer_gradients_match_central_differences(name):
    """First order, reverse and forward mode, input and weights; max pooling on distinct values."""
    make, shape = NUMERIC_LAYERS[name]
    net = _randomise(make(), seed=1)
    f, ws = cell_function(net)
    x = (
        _distinct(*shape, seed=2)
        if "Pool" in name or "LeakyReLU" in name
        else np.random.default_rng(2).normal(size=shape)
    )
    check_grads(f, [x, *ws], order=1, modes=("rev", "fwd"))


def test_embedding_gradient_matches_central_differences():
    net = nn.Embedding(6, 3, padding_idx=1, dtype=ms.float64)
    idx = np.array([[0, 1, 5], [5, 2, 1]], np.int32)
    params = net.trainable_params()

    def f(table):
        saved = params[0]._value
        try:
            params[0]._value = table
            return net(Tensor(idx))._value
        finally:
            params[0]._value = saved

    check_grads(f, [np.random.default_rng(0).normal(size=(6, 3))], order=1, modes=("rev", "fwd"))


SECOND_ORDER = {
    "Conv2d.same_s2_group2_bias": ("conv", NUMERIC_LAYERS["Conv2d.same_s2_group2_bias"]),
    "Conv2d.pad_d2": ("conv", NUMERIC_LAYERS["Conv2d.pad_d2"]),
    "Conv1d.same_s2_d2_bias": ("conv", NUMERIC_LAYERS["Conv1d.same_s2_d2_bias"]),
    "MaxPool2d.same_k3_s2": ("pool", NUMERIC_LAYERS["MaxPool2d.same_k3_s2"]),
    "MaxPool2d.pad_ceil_dilation": ("pool", NUMERIC_LAYERS["MaxPool2d.pad_ceil_dilation"]),
    "AvgPool2d.pad_ceil_nocip": ("pool", NUMERIC_LAYERS["AvgPool2d.pad_ceil_nocip"]),
    "AvgPool2d.same_k3_s2": ("pool", NUMERIC_LAYERS["AvgPool2d.same_k3_s2"]),
    "MaxPool1d.same_k3_s2": ("pool", NUMERIC_LAYERS["MaxPool1d.same_k3_s2"]),
    "AvgPool1d.pad_nocip": ("pool", NUMERIC_LAYERS["AvgPool1d.pad_nocip"]),
    "AdaptiveAvgPool2d.not_dividing": ("pool", NUMERIC_LAYERS["AdaptiveAvgPool2d.not_dividing"]),
}


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_second_order_through_grad_of_grad(name):
    """grad of <grad f(x), v> against central differences of the inner grad, for
    f(x) = sum(tanh(conv(x)) * c) (also the input-weight cross term) and sum(pool(x)^2 * c)."""
    kind, (make, shape) = SECOND_ORDER[name]
    net = _randomise(make(), seed=4)
    r = np.random.default_rng(5)
    x = _distinct(*shape, seed=6) if kind == "pool" else r.normal(size=shape)
    c = Tensor(r.normal(size=net(Tensor(x)).shape))
    v = Tensor(r.normal(size=shape))

    def f(t):
        y = net(t)
        return (ops.tanh(y) * c).sum() if kind == "conv" else (y * y * c).sum()

    def h(t):
        return (ms.grad(f)(t) * v).sum()

    analytic = ms.grad(h)(Tensor(x)).asnumpy()
    numeric = num_grad(lambda a: float(h(Tensor(a)).asnumpy()), x)
    np.testing.assert_allclose(
        analytic, numeric, rtol=1e-5, atol=1e-7, err_msg=f"{name}: d/dx <grad f, v>"
    )
    assert np.abs(analytic).max() > 1e-3, f"{name}: the second-order term is trivially zero"
    if kind == "conv":
        weights = net.trainable_params()
        vw = [Tensor(r.normal(size=p.shape)) for p in weights]

        def cross(t):  # d/dx <d f / d weights, vw>
            gw = ms.grad(f, grad_position=None, weights=weights)(t)
            return sum(((g * u).sum() for g, u in zip(gw, vw)), Tensor(0.0, ms.float64))

        analytic = ms.grad(cross)(Tensor(x)).asnumpy()
        numeric = num_grad(lambda a: float(cross(Tensor(a)).asnumpy()), x)
        np.testing.assert_allclose(
            analytic, numeric, rtol=1e-5, atol=1e-7, err_msg=f"{name}: d/dx <grad_w f, vw>"
        )
