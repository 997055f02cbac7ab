"""Learning-rate schedules (cells) and dynamic learning-rate lists: formulas, MindSpore 2.10
goldens, output shapes, use inside an optimizer, bad input."""

import inspect
import json
import math
import os

import numpy as np
import pytest

import minispore as ms
from minispore import Parameter, Tensor, nn

GOLDEN = json.load(open(os.path.join(os.path.dirname(__file__), "golden_optim", "golden.json")))


@pytest.mark.parametrize(
    "case", GOLDEN["schedules"], ids=[f"{c['name']}{c['args']}" for c in GOLDEN["schedules"]]
)
def test_schedule_matches_mindspore_golden(case):
    schedule = getattr(nn, case["name"])(*case["args"])
    got = [float(schedule(Tensor(s, ms.int32)).asnumpy()) for s in case["steps"]]
    np.testing.assert_allclose(got, case["values"], rtol=3e-7, atol=0)


@pytest.mark.parametrize(
    "case", GOLDEN["dynamic_lr"], ids=[f"{c['name']}{c['args']}" for c in GOLDEN["dynamic_lr"]]
)
def test_dynamic_lr_matches_mindspore_golden(case):
    got = getattr(nn, case["name"])(*case["args"])
    assert isinstance(got, list) and len(got) == len(case["values"])
    np.testing.assert_allclose(got, case["values"], rtol=1e-15, atol=0)


def _formula(name, args, step):
    if name in ("ExponentialDecayLR", "NaturalExpDecayLR", "InverseDecayLR"):
        lr, rate, steps = args[:3]
        stair = len(args) > 3 and args[3]
        if name == "ExponentialDecayLR":
            p = step / steps
            return lr * rate ** (math.floor(p) if stair else p)
        if name == "NaturalExpDecayLR":
            p = (step // steps) * steps if stair else step
            return lr * math.exp(-rate * p)
        p = step / steps
        return lr / (1 + rate * (math.floor(p) if stair else p))
    if name == "CosineDecayLR":
        lo, hi, steps = args
        return lo + 0.5 * (hi - lo) * (1 + math.cos(math.pi * min(step, steps) / steps))
    if name == "PolynomialDecayLR":
        lr, end, steps, power = args[:4]
        if len(args) > 4 and args[4]:
            decay = steps * max(math.ceil(step / steps), 1)
        else:
            decay, step = steps, min(step, steps)
        return (lr - end) * (1 - step / decay) ** power + end
    lr, warmup = args
    return lr * min(step, warmup) / warmup


SCHEDULES = [
    ("ExponentialDecayLR", (0.5, 0.75, 3)),
    ("ExponentialDecayLR", (0.5, 0.75, 3, True)),
    ("NaturalExpDecayLR", (0.5, 0.25, 3)),
    ("NaturalExpDecayLR", (0.5, 0.25, 3, True)),
    ("InverseDecayLR", (0.5, 2.0, 3)),
    ("InverseDecayLR", (0.5, 2.0, 3, True)),
    ("CosineDecayLR", (0.0, 1.0, 7)),
    ("PolynomialDecayLR", (1.0, 0.125, 5, 3.0)),
    ("PolynomialDecayLR", (1.0, 0.125, 3, 1.5, True)),
    ("WarmUpLR", (0.75, 6)),
]


@pytest.mark.parametrize("name, args", SCHEDULES, ids=[f"{n}{a}" for n, a in SCHEDULES])
def test_schedule_matches_formula(name, args):
    schedule = getattr(nn, name)(*args)
    for step in range(15):
        got = schedule(Tensor(step, ms.int32))
        assert got.dtype == ms.float32 and got.shape == ()
        np.testing.assert_allclose(
            float(got.asnumpy()), _formula(name, args, step), rtol=2e-6, atol=1e-7
        )


def test_schedule_output_keeps_the_step_shape():
    schedule = nn.WarmUpLR(0.5, 4)
    assert isinstance(schedule, nn.LearningRateSchedule) and isinstance(schedule, nn.Cell)
    assert schedule(2).shape == ()
    one = schedule(Tensor(np.array([2], np.int32)))
    assert one.shape == (1,) and float(one.asnumpy()[0]) == 0.25
    many = schedule(Tensor(np.array([0, 2, 8], np.int64)))
    np.testing.assert_array_equal(many.asnumpy(), np.array([0.0, 0.25, 0.5], np.float32))


def test_optimizer_calls_schedule_with_its_global_step():
    w = Parameter(Tensor(np.zeros(1, np.float32)), name="w")
    opt = nn.Momentum([w], nn.PolynomialDecayLR(1.0, 0.0, 4, 1.0), 0.0)
    for step in range(6):
        assert float(opt.get_lr().asnumpy()) == pytest.approx(max(1 - step / 4, 0.0))
        opt((Tensor(np.ones(1, np.float32)),))
    np.testing.assert_allclose(w.asnumpy(), [-(1 + 0.75 + 0.5 + 0.25)], rtol=1e-6)


def test_custom_schedule_subclass():
    class Halving(nn.LearningRateSchedule):
        def construct(self, global_step):
            return 0.5 ** global_step.astype(ms.float32)

    w = Parameter(Tensor(np.zeros(1, np.float32)), name="w")
    opt = nn.SGD([w], Halving())
    for _ in range(3):
        opt((Tensor(np.ones(1, np.float32)),))
    np.testing.assert_allclose(w.asnumpy(), [-1.75])


def test_dynamic_lr_list_feeds_an_optimizer():
    lrs = nn.piecewise_constant_lr([2, 4], [0.5, 0.25])
    assert lrs == [0.5, 0.5, 0.25, 0.25]
    w = Parameter(Tensor(np.zeros(1, np.float32)), name="w")
    opt = nn.SGD([w], lrs)
    for _ in range(4):
        opt((Tensor(np.ones(1, np.float32)),))
    np.testing.assert_allclose(w.asnumpy(), [-1.5])


def test_dynamic_lr_edge_values():
    assert nn.cosine_decay_lr(0.0, 1.0, 3, 1, 2) == pytest.approx([1.0, 0.5, 0.0])
    assert nn.warmup_lr(1.0, 5, 1, 2) == [0.0, 0.5, 1.0, 1.0, 1.0]
    assert nn.polynomial_decay_lr(1.0, 0.0, 4, 1, 2, 1.0, True) == [1.0, 0.5, 0.0, 0.25]
    assert nn.natural_exp_decay_lr(1.0, 1.0, 4, 2, 2, True) == [1.0, 1.0, 1.0, 1.0]


def _sig(obj):
    sig = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
    return [
        [p.name, p.kind.name, None if p.default is p.empty else repr(p.default)]
        for p in sig.parameters.values()
        if p.name != "self"
    ]


NAMES = [c["name"] for c in GOLDEN["schedules"]] + [c["name"] for c in GOLDEN["dynamic_lr"]]


@pytest.mark.parametrize("name", sorted(set(NAMES)))
def test_signatures_match_mindspore(name):
    assert _sig(getattr(nn, name)) == GOLDEN["signatures"][name]


BAD = [
    (lambda: nn.ExponentialDecayLR(1, 0.9, 2), TypeError, "'learning_rate' must be float"),
    (lambda: nn.ExponentialDecayLR(0.1, 0.0, 2), ValueError, "'decay_rate' must be > 0"),
    (lambda: nn.NaturalExpDecayLR(0.1, 0.9, 0), ValueError, "'decay_steps' must be > 0"),
    (lambda: nn.InverseDecayLR(0.1, 0.9, 2, is_stair=1), TypeError, "'is_stair' must be a bool"),
    (lambda: nn.InverseDecayLR(0.1, 0.9, True), TypeError, "'decay_steps' must be int"),
    (lambda: nn.CosineDecayLR(0.1, 0.1, 2), ValueError, "'max_lr' must be greater than 'min_lr'"),
    (lambda: nn.CosineDecayLR(0, 0.1, 2), TypeError, "'min_lr' must be float"),
    (lambda: nn.PolynomialDecayLR(0.1, 0.01, 2, 0.0), ValueError, "'power' must be > 0"),
    (
        lambda: nn.PolynomialDecayLR(0.1, -0.01, 2, 1.0),
        ValueError,
        "'end_learning_rate' must be >= 0",
    ),
    (lambda: nn.WarmUpLR(0.1, 0), ValueError, "'warmup_steps' must be > 0"),
    (lambda: nn.WarmUpLR(float("nan"), 2), ValueError, "finite"),
    (lambda: nn.WarmUpLR(0.1, 2)(1.5), TypeError, "'global_step' must be an int"),
    (
        lambda: nn.WarmUpLR(0.1, 2)(Tensor(np.array(1.0, np.float32))),
        TypeError,
        "must be an integer",
    ),
    (
        lambda: nn.piecewise_constant_lr([2, 1], [0.1, 0.2]),
        ValueError,
        r"milestone\[1\] must be >=",
    ),
    (lambda: nn.piecewise_constant_lr([2], [0.1, 0.2]), ValueError, "same length"),
    (lambda: nn.piecewise_constant_lr((2,), 0.1), TypeError, "'learning_rates' must be a list"),
    (lambda: nn.piecewise_constant_lr([2], [1]), TypeError, r"'learning_rates\[0\]' must be float"),
    (lambda: nn.exponential_decay_lr(0.1, 0.9, 0, 1, 1), ValueError, "'total_step' must be > 0"),
    (lambda: nn.cosine_decay_lr(0.2, 0.1, 4, 1, 1), ValueError, "greater than 'min_lr'"),
    (
        lambda: nn.polynomial_decay_lr(0.1, 0.0, 4, 1, 1, 1.0, 1),
        TypeError,
        "'update_decay_epoch' must be a bool",
    ),
    (lambda: nn.warmup_lr(1, 4, 1, 1), TypeError, "'learning_rate' must be float"),
]


@pytest.mark.parametrize("make, exc, match", BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_input_raises_clear_errors(make, exc, match):
    with pytest.raises(exc, match=match):
        make()
