"""Record optimizer and learning-rate golden values from real MindSpore 2.10 into golden.json.

Run with the MindSpore venv (the test suite itself never needs MindSpore)::

    GLOG_v=3 /work/msenv/bin/python tests/nn/golden_optim/make_golden.py

Each optimizer case is a JSON spec (class, keyword arguments, optional parameter groups, learning
rate and weight decay given as a number, a list, a 1-D tensor or a schedule) that
`tests/nn/test_optim.py` rebuilds with minispore. The script stores the inputs it used (initial
parameters, the gradients of every step) next to what MindSpore produced: the parameters after
each step, `get_lr()` before each step, the return value of `optimizer(grads)`, and every entry of
`parameters_and_names()` (names and final values, so state names and state values are checked).
"""

from __future__ import annotations

import inspect
import json
import os

import mindspore as ms
import numpy as np
from mindspore import Parameter, Tensor, nn

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 4

PARAMS = {
    "fc.weight": (2, 3),
    "bn.gamma": (3,),
    "fc.bias": (2,),
}

# (case name, class, keyword arguments, learning rate spec, weight decay spec, groups)
CASES = [
    ("sgd_default", "SGD", {}, None, None, None),
    ("sgd_momentum_dampening_wd", "SGD", {"momentum": 0.9, "dampening": 0.1}, 0.05, 0.01, None),
    (
        "sgd_nesterov_loss_scale",
        "SGD",
        {"momentum": 0.8, "nesterov": True, "loss_scale": 2.0},
        0.1,
        0.02,
        None,
    ),
    ("sgd_no_momentum_dampening", "SGD", {"dampening": 0.5}, 0.1, None, None),
    ("momentum", "Momentum", {"momentum": 0.9}, 0.1, None, None),
    (
        "momentum_nesterov_wd_ls",
        "Momentum",
        {"momentum": 0.9, "use_nesterov": True, "loss_scale": 4.0},
        0.05,
        0.05,
        None,
    ),
    ("momentum_list_lr", "Momentum", {"momentum": 0.5}, [0.1, 0.05, 0.025, 0.01], None, None),
    (
        "momentum_tensor_lr",
        "Momentum",
        {"momentum": 0.5},
        {"tensor": [0.2, 0.1, 0.05, 0.02]},
        None,
        None,
    ),
    (
        "momentum_dynamic_wd",
        "Momentum",
        {"momentum": 0.9},
        0.1,
        {"schedule": "WarmUpLR", "args": [0.1, 2]},
        None,
    ),
    ("adam_default", "Adam", {}, None, None, None),
    ("adam_nesterov_wd", "Adam", {"use_nesterov": True}, 0.01, 0.01, None),
    ("adam_amsgrad", "Adam", {"use_amsgrad": True, "beta1": 0.8, "beta2": 0.9}, 0.01, None, None),
    ("adam_loss_scale_eps", "Adam", {"loss_scale": 2.0, "eps": 1e-3}, 0.02, 0.001, None),
    ("adam_lazy", "Adam", {"use_lazy": True}, 0.01, None, None),
    (
        "adam_cosine_schedule",
        "Adam",
        {},
        {"schedule": "CosineDecayLR", "args": [0.001, 0.01, 3]},
        None,
        None,
    ),
    ("adam_weight_decay", "AdamWeightDecay", {}, 0.01, 0.1, None),
    (
        "adam_weight_decay_eps",
        "AdamWeightDecay",
        {"beta1": 0.8, "beta2": 0.95, "eps": 1e-8},
        0.02,
        None,
        None,
    ),
    ("rmsprop_default", "RMSProp", {}, None, None, None),
    (
        "rmsprop_centered_momentum",
        "RMSProp",
        {"centered": True, "momentum": 0.5, "decay": 0.8},
        0.01,
        0.01,
        None,
    ),
    (
        "rmsprop_momentum_eps",
        "RMSProp",
        {"momentum": 0.9, "epsilon": 1e-6, "loss_scale": 2.0},
        0.01,
        None,
        None,
    ),
    ("adagrad_default", "Adagrad", {}, None, None, None),
    ("adagrad_no_update_slots", "Adagrad", {"update_slots": False, "accum": 0.5}, 0.1, None, None),
    ("adagrad_wd", "Adagrad", {"accum": 0.0}, 0.1, 0.1, None),
    (
        "momentum_groups_ordered",
        "Momentum",
        {"momentum": 0.9},
        0.1,
        0.0,
        [
            {"params": ["fc.weight"], "lr": 0.05, "weight_decay": 0.01},
            {"params": ["bn.gamma", "fc.bias"], "weight_decay": 0.02},
            {"order_params": ["fc.bias", "fc.weight", "bn.gamma"]},
        ],
    ),
    (
        "sgd_groups_dynamic",
        "SGD",
        {"momentum": 0.5},
        {"schedule": "ExponentialDecayLR", "args": [0.1, 0.5, 2]},
        None,
        [
            {"params": ["fc.weight"], "lr": [0.1, 0.2, 0.3, 0.4]},
            {"params": ["bn.gamma"], "lr": 0.05},
            {"params": ["fc.bias"]},
        ],
    ),
    (
        "adam_groups_lr",
        "Adam",
        {},
        0.01,
        0.001,
        [
            {"params": ["fc.weight", "bn.gamma"], "lr": 0.02},
            {"params": ["fc.bias"], "weight_decay": 0.0},
        ],
    ),
    (
        "adam_weight_decay_groups",
        "AdamWeightDecay",
        {},
        0.01,
        0.05,
        [
            {"params": ["fc.weight"], "weight_decay": 0.1},
            {"params": ["bn.gamma", "fc.bias"], "lr": 0.02},
        ],
    ),
]

SCHEDULES = [
    ("ExponentialDecayLR", [0.1, 0.9, 4]),
    ("ExponentialDecayLR", [0.1, 0.9, 4, True]),
    ("NaturalExpDecayLR", [0.1, 0.9, 4]),
    ("NaturalExpDecayLR", [0.1, 0.9, 4, True]),
    ("InverseDecayLR", [0.1, 0.5, 4]),
    ("InverseDecayLR", [0.1, 0.5, 4, True]),
    ("CosineDecayLR", [0.01, 0.1, 6]),
    ("PolynomialDecayLR", [0.1, 0.01, 6, 0.5]),
    ("PolynomialDecayLR", [0.1, 0.01, 4, 2.0, True]),
    ("WarmUpLR", [0.1, 5]),
]

DYNAMIC = [
    ("piecewise_constant_lr", [[2, 5, 9], [0.1, 0.05, 0.01]]),
    ("exponential_decay_lr", [0.1, 0.9, 10, 2, 3]),
    ("exponential_decay_lr", [0.1, 0.9, 10, 2, 3, True]),
    ("natural_exp_decay_lr", [0.1, 0.9, 10, 2, 3]),
    ("natural_exp_decay_lr", [0.1, 0.9, 10, 2, 3, True]),
    ("inverse_decay_lr", [0.1, 0.5, 10, 2, 3]),
    ("inverse_decay_lr", [0.1, 0.5, 10, 2, 3, True]),
    ("cosine_decay_lr", [0.01, 0.1, 10, 2, 3]),
    ("polynomial_decay_lr", [0.1, 0.01, 10, 2, 3, 0.5]),
    ("polynomial_decay_lr", [0.1, 0.01, 12, 2, 2, 2.0, True]),
    ("warmup_lr", [0.1, 10, 2, 3]),
]

SCHEDULE_STEPS = list(range(12))


def _schedule(spec):
    return getattr(nn, spec["schedule"])(*spec["args"])


def _lr(spec):
    if isinstance(spec, dict) and "schedule" in spec:
        return _schedule(spec)
    if isinstance(spec, dict) and "tensor" in spec:
        return Tensor(np.array(spec["tensor"], np.float32))
    return spec


def _values(x):
    """get_lr() output: a Tensor/Parameter or a tuple of them, as nested float lists."""
    if isinstance(x, tuple):
        return [_values(v) for v in x]
    return np.asarray(x.asnumpy(), np.float64).tolist()


def run_case(name, cls, kwargs, lr, wd, groups, rng):
    init = {n: rng.normal(size=s).astype(np.float32) for n, s in PARAMS.items()}
    params = {n: Parameter(Tensor(v.copy()), name=n) for n, v in init.items()}
    order = list(PARAMS)
    kw = dict(kwargs)
    if lr is not None:
        kw["learning_rate"] = _lr(lr)
    if wd is not None:
        kw["weight_decay"] = _schedule(wd) if isinstance(wd, dict) else wd
    if groups is None:
        arg = [params[n] for n in order]
    else:
        arg = []
        for g in groups:
            g2 = {}
            for k, v in g.items():
                if k in ("params", "order_params"):
                    g2[k] = [params[n] for n in v]
                elif k == "lr":
                    g2[k] = _lr(v)
                else:
                    g2[k] = v
            arg.append(g2)
    opt = getattr(nn, cls)(arg, **kw)
    opt_order = [p.name for p in opt.parameters]
    grads, after, lrs, returns = [], [], [], []
    for _ in range(STEPS):
        g = [rng.normal(size=params[n].shape).astype(np.float32) for n in opt_order]
        lrs.append(_values(opt.get_lr()))
        ret = opt(tuple(Tensor(x) for x in g))
        returns.append({"type": type(ret).__name__, "values": [bool(r) for r in ret]})
        grads.append([x.tolist() for x in g])
        after.append([params[n].asnumpy().tolist() for n in opt_order])
    state = [
        [n, p.name, list(p.shape), str(p.dtype), np.asarray(p.asnumpy(), np.float64).tolist()]
        for n, p in opt.parameters_and_names()
    ]
    return {
        "cls": cls,
        "kwargs": kwargs,
        "learning_rate": lr,
        "weight_decay": wd,
        "groups": groups,
        "init": {n: v.tolist() for n, v in init.items()},
        "order": opt_order,
        "grads": grads,
        "after": after,
        "get_lr": lrs,
        "returns": returns,
        "state": state,
    }


def _init_signature(cls):
    init = cls.__init__
    # opt_init_args_register hides the real __init__ in its closure.
    if init.__closure__:
        init = init.__closure__[0].cell_contents
    sig = inspect.signature(init)
    return [
        [p.name, p.kind.name, None if p.default is p.empty else repr(p.default)]
        for p in sig.parameters.values()
        if p.name != "self"
    ]


def main():
    rng = np.random.default_rng(2024)
    out = {"mindspore": ms.__version__, "numpy": np.__version__, "optimizers": {}}
    for case in CASES:
        out["optimizers"][case[0]] = run_case(*case, rng)
    out["schedules"] = []
    for name, args in SCHEDULES:
        sched = getattr(nn, name)(*args)
        values = [float(sched(Tensor(s, ms.int32)).asnumpy()) for s in SCHEDULE_STEPS]
        out["schedules"].append(
            {"name": name, "args": args, "steps": SCHEDULE_STEPS, "values": values}
        )
    out["dynamic_lr"] = [
        {"name": name, "args": args, "values": getattr(nn, name)(*args)} for name, args in DYNAMIC
    ]
    classes = ["SGD", "Momentum", "Adam", "AdamWeightDecay", "RMSProp", "Adagrad"]
    classes += [name for name, _ in SCHEDULES]
    out["signatures"] = {c: _init_signature(getattr(nn, c)) for c in dict.fromkeys(classes)}
    out["signatures"]["Optimizer"] = _init_signature(nn.Optimizer)
    for name, _ in DYNAMIC:
        sig = inspect.signature(getattr(nn, name))
        out["signatures"][name] = [
            [p.name, p.kind.name, None if p.default is p.empty else repr(p.default)]
            for p in sig.parameters.values()
        ]
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
