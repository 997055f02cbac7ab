"""`Model.train`/`fit`/`eval`/`predict` against MindSpore 2.10 runs of the same problem
(`golden_model/`), a problem that must be learnt, and the errors."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, nn
from minispore.train import (
    Accuracy,
    Callback,
    LossMonitor,
    Model,
    Top1CategoricalAccuracy,
)
from tests.train import model_fixtures as F
from tests.train.golden_model import problem as P

RUNS = json.loads((pathlib.Path(__file__).parent / "golden_model" / "golden.json").read_text())[
    "runs"
]
FIELDS = ("cur_epoch_num", "cur_step_num", "batch_num", "epoch_num", "mode", "dataset_sink_mode")
TYPES = ("train_network", "network", "optimizer", "loss_fn", "eval_network", "list_callback")


def printed(capsys, fn):
    capsys.readouterr()
    fn()
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    "name, epochs, per_print, initial",
    [
        ("loss_monitor_1", 2, 1, 0),
        ("loss_monitor_3", 2, 3, 0),
        ("loss_monitor_0", 1, 0, 0),
        ("loss_monitor_initial_epoch", 3, 2, 1),
    ],
)
def test_loss_monitor_prints_mindsporess_lines(capsys, name, epochs, per_print, initial):
    m, _ = F.model()
    lines = printed(
        capsys,
        lambda: m.train(
            epochs, F.dataset(), callbacks=[LossMonitor(per_print)], initial_epoch=initial
        ),
    )
    F.assert_lines_match(lines, RUNS[name])


def test_fit_prints_losses_and_eval_results_as_mindspore(capsys):
    m, _ = F.model(metrics={"accuracy", "loss"})
    lines = printed(
        capsys,
        lambda: m.fit(
            4, F.dataset(), F.dataset("valid"), valid_frequency=2, callbacks=[LossMonitor(P.STEPS)]
        ),
    )
    F.assert_lines_match(lines, RUNS["fit_lines"])
    assert lines[2].startswith("Eval result: epoch 2, metrics: {'accuracy': 0.7083333333333334, ")
    after = m.eval(F.dataset("valid"))
    assert after["accuracy"] == RUNS["fit_eval_after"]["accuracy"]
    assert after["loss"] == pytest.approx(RUNS["fit_eval_after"]["loss"], rel=1e-5)
    x, _ = P.data("valid")
    out = m.predict(Tensor(x[:4]))
    assert isinstance(out, Tensor) and out.dtype == ms.float32
    np.testing.assert_allclose(out.asnumpy(), RUNS["fit_predict"]["array"], rtol=1e-5, atol=1e-5)


def test_fit_valid_frequency_list(capsys):
    m, _ = F.model(metrics={"accuracy"})
    lines = printed(
        capsys,
        lambda: m.fit(
            3, F.dataset(), F.dataset("valid"), valid_frequency=[1, 3], callbacks=LossMonitor(5)
        ),
    )
    F.assert_lines_match(lines, RUNS["fit_valid_list"])


class Recorder(Callback):
    """Logs every on_* hook with the fields it sees (as the golden script's Recorder)."""

    def __init__(self):
        super().__init__()
        self.log = []

    def _rec(self, hook, rc):
        cb = rc.original_args()
        entry = {"hook": hook, **{f: cb.get(f, "<absent>") for f in FIELDS}}
        out = cb.get("net_outputs", None)
        if isinstance(out, Tensor):
            entry["net_outputs"] = ["Tensor", float(out.asnumpy())]
        elif isinstance(out, tuple):
            entry["net_outputs"] = ["tuple", len(out)]
        else:
            entry["net_outputs"] = repr(out)
        for f in ("metrics", "eval_results"):
            if f in cb:
                entry[f] = dict(cb[f])
        entry["keys"] = " ".join(sorted(cb.keys()))
        entry["types"] = {k: type(cb.get(k)).__name__ for k in TYPES if k in cb}
        self.log.append(entry)


for _hook in (
    "on_train_begin",
    "on_train_epoch_begin",
    "on_train_step_begin",
    "on_train_step_end",
    "on_train_epoch_end",
    "on_train_end",
    "on_eval_begin",
    "on_eval_epoch_begin",
    "on_eval_step_begin",
    "on_eval_step_end",
    "on_eval_epoch_end",
    "on_eval_end",
):
    setattr(Recorder, _hook, lambda self, rc, hook=_hook: self._rec(hook, rc))


def assert_logs_match(ours, golden):
    golden = [json.loads(e) for e in golden]
    last = None
    for e in golden:  # the recording writes "<same>" for keys unchanged since the last hook
        e["keys"] = last if e["keys"] == "<same>" else e["keys"]
        last = e["keys"]
    assert [e["hook"] for e in ours] == [e["hook"] for e in golden]
    for a, b in zip(ours, golden):
        where = f"{b['hook']} at step {b['cur_step_num']}"
        assert {f: a[f] for f in FIELDS} == {f: b[f] for f in FIELDS}, where
        assert a["keys"] == b["keys"], where
        assert a["types"] == {k: v for k, v in b["types"].items() if k in TYPES}, where
        assert a["net_outputs"][0] == b["net_outputs"][0], where
        if a["net_outputs"][0] == "Tensor":
            assert a["net_outputs"][1] == pytest.approx(b["net_outputs"][1], rel=1e-5), where
        else:
            assert a["net_outputs"] == b["net_outputs"], where
        assert ("metrics" in a) == ("metrics" in b) and ("eval_results" in a) == (
            "eval_results" in b
        ), where
        for key, value in b.get("metrics", {}).items():
            assert a["metrics"][key] == pytest.approx(value, rel=1e-5), where
        if "eval_results" in b:
            assert set(a["eval_results"]) == set(b["eval_results"]), where
            # NOTE: our eval_loss is the mean over the validation batches (the 'loss' metric);
            # MindSpore 2.10 reports the last batch's loss.
            assert a["eval_results"]["eval_loss"] == pytest.approx(a["metrics"]["loss"]), where


def test_original_args_in_fit_match_mindspore():
    m, _ = F.model(metrics={"accuracy", "loss"})
    rec = Recorder()
    m.fit(4, F.dataset(), F.dataset("valid"), valid_frequency=2, callbacks=[LossMonitor(5), rec])
    assert_logs_match(rec.log, RUNS["fit_log"])


def test_original_args_in_train_and_eval_match_mindspore():
    m, _ = F.model(metrics={"acc": Accuracy(), "top": Top1CategoricalAccuracy()})
    rec = Recorder()
    m.train(2, F.dataset(), callbacks=[rec])
    assert_logs_match(rec.log, RUNS["train_log"])
    assert m.eval(F.dataset("valid")) == pytest.approx(RUNS["eval_dict"])
    rec = Recorder()
    m.eval(F.dataset("valid"), callbacks=rec)
    assert_logs_match(rec.log, RUNS["eval_log"])


class Legacy(Callback):
    def __init__(self):
        super().__init__()
        self.calls = []


for _hook in ("begin", "epoch_begin", "step_begin", "step_end", "epoch_end", "end"):
    setattr(Legacy, _hook, lambda self, rc, hook=_hook: self.calls.append(hook))


def test_legacy_hooks_run_in_train_and_are_refused_by_fit():
    cb = Legacy()
    F.model()[0].train(1, F.dataset(), callbacks=cb)
    assert cb.calls == RUNS["legacy_calls_train"]
    m, _ = F.model(metrics={"accuracy"})
    with pytest.raises(ValueError, match="For Legacy callback.*prefixed with 'on_train'"):
        m.fit(1, F.dataset(), F.dataset("valid"), callbacks=Legacy())
    assert RUNS["legacy_fit_error"]["type"] == "ValueError"


class StopAt(Callback):
    def __init__(self, step):
        super().__init__()
        self.step, self.seen = step, []

    def on_train_step_end(self, rc):
        cb = rc.original_args()
        self.seen.append(cb.cur_step_num)
        if cb.cur_step_num == self.step:
            rc.request_stop()


def test_request_stop_ends_training(capsys):
    stop = StopAt(3)
    m, _ = F.model()
    lines = printed(capsys, lambda: m.train(3, F.dataset(), callbacks=[stop, LossMonitor()]))
    F.assert_lines_match(lines, RUNS["stop_lines"])
    assert stop.seen == RUNS["stop_seen"]


def _errors():
    x, y = P.data("train")
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    return {
        "callback_not_callback": lambda: F.model()[0].train(
            1, F.dataset(), callbacks=[LossMonitor(), "cb"]
        ),
        "callback_single_not_callback": lambda: F.model()[0].train(1, F.dataset(), callbacks=3),
        "empty_dataset": lambda: F.model()[0].train(
            1, F.slices((x[:5], y[:5]), drop_remainder=True)
        ),
        "three_columns": lambda: F.model()[0].train(1, F.slices((x, y, y), names=("x", "y", "z"))),
        "unknown_metric": lambda: F.model(metrics={"acuracy"}),
        "metrics_not_set": lambda: F.model(metrics=["accuracy"]),
        "eval_without_metrics": lambda: F.model()[0].eval(F.dataset("valid")),
        "fit_valid_without_metrics": lambda: F.model()[0].fit(1, F.dataset(), F.dataset("valid")),
        "initial_epoch": lambda: F.model()[0].train(2, F.dataset(), initial_epoch=2),
        "epoch_zero": lambda: F.model()[0].train(0, F.dataset()),
        "bad_kwarg": lambda: Model(F.network(), foo=1),
        "metrics_no_loss": lambda: Model(F.network(), metrics={"accuracy"}),
        "bad_eval_indexes": lambda: Model(
            F.network(),
            nn.MSELoss(),
            metrics={"accuracy"},
            eval_network=F.network(),
            eval_indexes=[0, 1],
        ),
        "bad_valid_frequency": lambda: F.model(metrics={"accuracy"})[0].fit(
            1, F.dataset(), F.dataset("valid"), valid_frequency=1.0
        ),
        "not_a_cell": lambda: Model(lambda x: x),
        "sink_size_zero": lambda: F.model()[0].train(1, F.dataset(), sink_size=0),
        "nan_loss": lambda: Model(
            _nan_net(), loss, nn.SGD(F.network().trainable_params(), 0.1)
        ).train(1, F.dataset(), callbacks=LossMonitor()),
    }


def _nan_net():
    net = F.network()
    net.weight.set_data(Tensor(np.full((P.OUT, P.IN), np.nan, np.float32)))
    return net


MESSAGES = {
    "callback_not_callback": r"Model.train.*element 1 is str 'cb'",
    "callback_single_not_callback": r"Model.train.*element 0 is int 3",
    "empty_dataset": r"Model.train.*empty \(get_dataset_size\(\) is 0\)",
    "three_columns": r"Model.train.*two columns \(data, label\), but got 3 \(columns \['x', 'y', 'z'\]\)",
    "unknown_metric": r"unsupported metric 'acuracy'",
    "metrics_not_set": r"Model.*'metrics' must be None, a dict or a set, but got list",
    "eval_without_metrics": r"Model.eval.*no 'metrics'",
    "fit_valid_without_metrics": r"Model.fit.*'valid_dataset' needs 'metrics'",
    "initial_epoch": r"Model.train.*epoch=2 and initial_epoch=2",
    "epoch_zero": r"Model.train.*'epoch' must be >= 1, but got 0",
    "bad_kwarg": r"Model.*'foo'",
    "metrics_no_loss": r"Model.*'metrics' need an evaluation network",
    "bad_eval_indexes": r"Model.*'eval_indexes'.*\[0, 1\]",
    "bad_valid_frequency": r"Model.fit.*'valid_frequency'.*float",
    "not_a_cell": r"Model.*'network' must be a Cell, but got function",
    "sink_size_zero": r"Model.train.*'sink_size'",
    "nan_loss": r"In epoch: 1 step: 1, loss is NAN or INF",
}


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_errors_have_mindspores_type_and_a_clear_message(name):
    with pytest.raises(Exception, match=MESSAGES[name]) as info:
        _errors()[name]()
    assert type(info.value).__name__ == RUNS["errors"][name]["type"]


def test_training_without_optimizer_is_refused():
    # MindSpore 2.10 runs it, printing losses that never fall (recorded); we refuse.
    assert RUNS["errors"]["no_optimizer_lines"]["error"] is None
    m = Model(F.network(), nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"))
    with pytest.raises(ValueError, match=r"Model.train.*'optimizer' is None but 'loss_fn' is set"):
        m.train(1, F.dataset())
    m = Model(F.network(), nn.SoftmaxCrossEntropyWithLogits(sparse=True), metrics={"acc"})
    assert set(m.eval(F.dataset("valid"))) == {"acc"}  # evaluation alone is fine


def test_predict_checks_inputs():
    m = Model(F.network())
    with pytest.raises(TypeError, match=r"Model.predict.*input 0 is ndarray \(wrap NumPy"):
        m.predict(np.zeros((2, P.IN), np.float32))
    with pytest.raises(ValueError, match="Model.predict.*empty"):
        m.predict(Tensor(np.zeros((0, P.IN), np.float32)))
    assert m.predict(Tensor(np.zeros((2, P.IN), np.float32))).shape == (2, P.OUT)


class Blobs(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(2, 16)
        self.relu = nn.ReLU()
        self.fc2 = nn.Dense(16, 3)

    def construct(self, x):
        return self.fc2(self.relu(self.fc1(x)))


def _blobs(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = np.array([[0.0, 2.0], [2.0, -1.0], [-2.0, -1.0]])
    x = centres[y] + 0.7 * rng.normal(size=(n, 2))
    return x.astype(np.float32), y.astype(np.int32)


class EpochLog(Callback):
    def __init__(self):
        super().__init__()
        self.losses, self.metrics = [], []

    def on_train_epoch_end(self, rc):
        cb = rc.original_args()
        self.losses.append(float(cb.net_outputs.asnumpy()))
        self.metrics.append(dict(cb.get("metrics") or {}))


def test_fit_learns_a_small_problem():
    ms.set_seed(0)
    net = Blobs()
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.05, momentum=0.9)
    model = Model(net, loss, opt, metrics={"accuracy", "loss"})
    train, valid = _blobs(256, 1), _blobs(128, 2)
    before = model.eval(F.slices(valid, batch=32))
    log = EpochLog()
    model.fit(6, F.slices(train, batch=32), F.slices(valid, batch=32), callbacks=log)
    after = model.eval(F.slices(valid, batch=32))
    assert after["loss"] < 0.5 * before["loss"]
    assert after["accuracy"] > max(0.9, before["accuracy"] + 0.2)
    assert log.metrics[-1]["accuracy"] == after["accuracy"]
    assert np.mean(log.losses[-2:]) < log.losses[0]
    pred = model.predict(Tensor(valid[0])).asnumpy().argmax(1)
    assert np.mean(pred == valid[1]) == after["accuracy"]


def test_network_without_loss_fn_is_the_train_network():
    net = F.network()
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    with_loss = nn.WithLossCell(net, loss)
    opt = nn.SGD(net.trainable_params(), 0.1)
    m = Model(with_loss, optimizer=opt)
    assert isinstance(m.train_network, nn.TrainOneStepCell) and m.predict_network is with_loss
    w0 = net.weight.asnumpy().copy()
    m.train(1, F.dataset())
    assert not np.allclose(w0, net.weight.asnumpy())
    # A network that trains itself: no loss, no optimizer.
    step = nn.TrainOneStepCell(
        nn.WithLossCell(F.network(), loss), nn.SGD(F.network().trainable_params(), 0.1)
    )
    assert Model(step).train_network is step


def test_custom_eval_network_with_and_without_indexes():
    net = F.network()
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.SGD(net.trainable_params(), 0.1)

    class LogitsAndLabel(nn.Cell):
        def construct(self, x, y):
            return net(x), y

    m = Model(net, loss, opt, metrics={"acc": Accuracy()}, eval_network=LogitsAndLabel())
    assert m.eval(F.dataset("valid"))["acc"] == pytest.approx(RUNS["eval_dict"]["acc"], abs=0.5)
    m.fit(1, F.dataset(), F.dataset("valid"))  # no eval_loss without indexes, but no crash
    evaluator = nn.WithLossCell(net, loss)

    class Triple(nn.Cell):
        def construct(self, x, y):
            return y, evaluator(x, y), net(x)

    m = Model(
        net,
        loss,
        opt,
        metrics={"acc": Accuracy(), "loss": ms.Loss()},
        eval_network=Triple(),
        eval_indexes=[1, 2, 0],
    )
    res = m.eval(F.dataset("valid"))
    plain = Model(net, loss, opt, metrics={"acc": Accuracy(), "loss": ms.Loss()}).eval(
        F.dataset("valid")
    )
    assert res == pytest.approx(plain)


def test_mixed_precision_levels_are_accepted_with_a_warning():
    net = F.network()
    opt = nn.SGD(net.trainable_params(), 0.1)
    with pytest.warns(UserWarning, match="amp_level='O2' is ignored"):
        Model(net, nn.MSELoss(), opt, amp_level="O2")
    with pytest.raises(ValueError, match="'amp_level' must be in"):
        Model(net, nn.MSELoss(), opt, amp_level="O9")
    with pytest.raises(ValueError, match="mixed precision.*needs an 'optimizer'"):
        Model(net, nn.MSELoss(), amp_level="O1")


def test_dataset_sink_mode_runs_as_non_sink(capsys):
    m, _ = F.model()
    lines = printed(
        capsys, lambda: m.train(1, F.dataset(), callbacks=LossMonitor(), dataset_sink_mode=True)
    )
    F.assert_lines_match(lines, RUNS["loss_monitor_1"][:5])
    with pytest.raises(TypeError, match="'dataset_sink_mode' must be a bool"):
        m.train(1, F.dataset(), dataset_sink_mode=1)
