"""Callbacks (`TimeMonitor`, `History`, `EarlyStopping`, `LearningRateScheduler`,
`LambdaCallback`, `ProgressBar`) and `RunContext`, against MindSpore 2.10 runs and by hand."""

from __future__ import annotations

import io
import json
import pathlib
import re
import sys

import numpy as np
import pytest

from minispore.train import (
    Callback,
    EarlyStopping,
    History,
    LambdaCallback,
    LearningRateScheduler,
    LossMonitor,
    ProgressBar,
    RunContext,
    TimeMonitor,
)
from minispore.train.callback import _CallbackManager, _InternalCallbackParam
from tests.train import model_fixtures as F
from tests.train.golden_model import problem as P

RUNS = json.loads((pathlib.Path(__file__).parent / "golden_model" / "golden.json").read_text())[
    "runs"
]


def printed(capsys, fn):
    capsys.readouterr()
    fn()
    return capsys.readouterr().out.splitlines()


def _shape(line):
    """A printed line with its numbers replaced, to compare formats."""
    return re.sub(r"\d+\.\d{3}", "N.NNN", line)


def test_time_monitor_lines_have_mindspores_format(capsys):
    m, _ = F.model()
    lines = printed(capsys, lambda: m.train(2, F.dataset(), callbacks=[TimeMonitor()]))
    assert [_shape(s) for s in lines] == [_shape(s) for s in RUNS["time_monitor"]]
    epoch_ms, step_ms = (float(v) for v in re.findall(r"\d+\.\d+", lines[0]))
    assert step_ms == pytest.approx(epoch_ms / P.STEPS, abs=1e-3)


def test_time_monitor_in_fit_also_times_the_validation(capsys):
    m, _ = F.model(metrics={"accuracy"})
    lines = printed(
        capsys, lambda: m.fit(1, F.dataset(), F.dataset("valid"), callbacks=[TimeMonitor(3)])
    )
    assert [_shape(s) for s in lines] == [_shape(s) for s in RUNS["time_monitor_fit"]]
    epoch_ms, step_ms = (float(v) for v in re.findall(r"\d+\.\d+", lines[0]))
    assert step_ms == pytest.approx(epoch_ms / 3, abs=1e-3)  # 3 validation batches


def test_time_monitor_data_time_and_errors(capsys):
    m, _ = F.model()
    lines = printed(capsys, lambda: m.train(1, F.dataset(), callbacks=TimeMonitor(data_time=True)))
    assert re.fullmatch(
        r"Train epoch time: \d+\.\d{3} ms, per step time: \d+\.\d{3} ms \(data time: \d+\.\d{3} ms\)",
        lines[0],
    )
    with pytest.raises(ValueError, match="TimeMonitor.*'data_size' must be >= 1"):
        TimeMonitor(0)
    with pytest.raises(TypeError, match="TimeMonitor.*'data_time' must be a bool"):
        TimeMonitor(data_time=1)


def test_loss_monitor_checks_its_argument():
    with pytest.raises(ValueError, match="LossMonitor.*'per_print_times' must be >= 0"):
        LossMonitor(-1)
    with pytest.raises(TypeError, match="LossMonitor.*'per_print_times' must be an int"):
        LossMonitor(1.5)


def test_history_matches_mindspore():
    h = History()
    F.model()[0].train(2, F.dataset(), callbacks=h)
    rec = RUNS["history_train"]
    assert h.epoch == rec["epoch"]
    np.testing.assert_allclose(h.history["net_output"], rec["history"]["net_output"], rtol=1e-5)
    assert all(isinstance(v, np.float32) for v in h.history["net_output"])
    h = History()
    F.model(metrics={"accuracy", "loss"})[0].fit(2, F.dataset(), F.dataset("valid"), callbacks=h)
    rec = RUNS["history_fit"]
    assert h.epoch == rec["epoch"] and set(h.history) == set(rec["history"])
    for key, values in rec["history"].items():
        np.testing.assert_allclose(h.history[key], values, rtol=1e-5)


def test_learning_rate_scheduler_matches_mindspore(capsys):
    def lr_fn(lr, step):
        return lr * 0.5 if step % 2 == 0 else lr

    m, _ = F.model()
    lines = printed(
        capsys,
        lambda: m.train(2, F.dataset(), callbacks=[LearningRateScheduler(lr_fn), LossMonitor()]),
    )
    F.assert_lines_match(lines, RUNS["lr_scheduler_lines"])
    lr = m._optimizer.learning_rate.asnumpy()
    assert lr.dtype == np.float32 and float(lr) == RUNS["lr_scheduler_final"]


def test_learning_rate_scheduler_sees_the_printed_rate():
    seen = []
    m, _ = F.model()
    m.train(1, F.dataset(), callbacks=LearningRateScheduler(lambda lr, s: seen.append(lr) or lr))
    assert seen == [0.1] * P.STEPS  # 0.1, not float32(0.1) = 0.10000000149011612
    with pytest.raises(TypeError, match="LearningRateScheduler.*callable"):
        LearningRateScheduler(0.1)


ES_CASES = {
    "eval_loss_flat": (lambda: EarlyStopping(patience=2, verbose=True), 0.0, True, 10),
    "loss_patience0_train": (lambda: EarlyStopping(monitor="loss", verbose=True), 0.0, False, 10),
    "accuracy_min_delta": (
        lambda: EarlyStopping(monitor="accuracy", patience=1, min_delta=0.5),
        P.LR,
        True,
        10,
    ),
    "missing_monitor": (lambda: EarlyStopping(monitor="acc", patience=0), P.LR, False, 3),
    "eval_loss_learning": (lambda: EarlyStopping(patience=1, verbose=True), P.LR, True, 6),
    "mode_max_on_loss": (
        lambda: EarlyStopping(monitor="eval_loss", mode="max", patience=1),
        P.LR,
        True,
        6,
    ),
}


class EpochCounter(Callback):
    def __init__(self):
        super().__init__()
        self.epochs = []

    def on_train_epoch_end(self, rc):
        self.epochs.append(rc.original_args().cur_epoch_num)


@pytest.mark.parametrize("name", sorted(ES_CASES))
def test_early_stopping_stops_where_mindspore_does(capsys, name):
    make, lr, fit, epochs = ES_CASES[name]
    rec = RUNS["early_stopping"][name]
    es, cnt = make(), EpochCounter()
    m, _ = F.model(lr=lr, momentum=False, metrics={"accuracy"})
    capsys.readouterr()
    with (
        pytest.warns(UserWarning, match="'acc', which is not available")
        if name == ("missing_monitor")
        else _no_warning()
    ):
        if fit:
            m.fit(epochs, F.dataset(), F.dataset("valid"), callbacks=[es, cnt])
        else:
            m.train(epochs, F.dataset(), callbacks=[es, cnt])
    assert capsys.readouterr().out.splitlines() == rec["lines"]
    assert cnt.epochs == rec["epochs"]
    assert (es.stopped_epoch, es.wait) == (rec["stopped_epoch"], rec["wait"])
    best = rec["best"]["array"] if isinstance(rec["best"], dict) else rec["best"]
    if name in ("eval_loss_flat", "eval_loss_learning", "mode_max_on_loss"):
        # NOTE: eval_loss is the mean over validation batches here, MindSpore's is the last
        # batch's loss: the best values differ, the stopping epochs agree.
        assert np.isfinite(es.best)
    else:
        assert float(es.best) == pytest.approx(best, rel=1e-5)


class _no_warning:
    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("error")

    def __exit__(self, *err):
        self._w.__exit__(*err)


def test_early_stopping_by_hand_with_baseline_and_restore():
    values = iter([0.5, 0.6, 0.55, 0.58])

    class Feed(Callback):
        def on_train_epoch_end(self, rc):
            rc.original_args()["eval_results"] = {"acc": next(values)}

    m, net = F.model()
    es = EarlyStopping(monitor="acc", patience=2, baseline=0.7, restore_best_weights=True)
    weights = []

    class Keep(Callback):
        def on_train_epoch_end(self, rc):
            weights.append(net.weight.asnumpy().copy())

    m.train(4, F.dataset(), callbacks=[Keep(), Feed(), es])
    # Improvements at epochs 1 and 2 never beat the baseline, so the counter keeps running.
    assert es.stopped_epoch == 2 and float(es.best) == 0.6
    np.testing.assert_array_equal(net.weight.asnumpy(), weights[1])
    with pytest.raises(ValueError, match="EarlyStopping.*'mode'.*'up'"):
        EarlyStopping(mode="up")
    assert RUNS["early_stopping"]["bad_mode"]["type"] == "ValueError"


def test_early_stopping_counts_a_zero_value():
    class Feed(Callback):
        def on_train_epoch_end(self, rc):
            rc.original_args()["eval_results"] = {"mae": 0.0}

    es = EarlyStopping(monitor="mae", patience=1)
    F.model()[0].train(3, F.dataset(), callbacks=[Feed(), es])
    assert es.stopped_epoch == 2 and float(es.best) == 0.0


def test_lambda_callback_runs_the_given_functions():
    seen = []
    cb = LambdaCallback(
        on_train_epoch_end=lambda rc: seen.append(("epoch", rc.original_args().cur_epoch_num)),
        on_train_end=lambda rc: seen.append(("end", rc.original_args().cur_step_num)),
    )
    F.model()[0].train(2, F.dataset(), callbacks=cb)
    assert seen == [("epoch", 1), ("epoch", 2), ("end", 2 * P.STEPS)]
    with pytest.raises(TypeError, match="LambdaCallback.*'on_train_end' must be callable"):
        LambdaCallback(on_train_end=3)


def test_run_context_and_callback_params():
    rc = RunContext({"cur_epoch_num": 4})
    assert rc.original_args() == {"cur_epoch_num": 4} and not rc.get_stop_requested()
    rc.request_stop()
    assert rc.get_stop_requested()
    with pytest.raises(TypeError, match="RunContext.*'original_args' must be a dict, but got list"):
        RunContext([1])
    params = _InternalCallbackParam(batch_num=3)
    params.mode = "train"
    assert params["mode"] == "train" and params.batch_num == 3
    assert not hasattr(params, "net_outputs")
    assert getattr(params, "metrics", None) is None


def test_callbacks_are_context_managers_exited_on_errors():
    events = []

    class Tracked(Callback):
        def __enter__(self):
            events.append("enter")
            return self

        def __exit__(self, *err):
            events.append(("exit", err[0].__name__ if err[0] else None))

        def on_train_step_end(self, rc):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        F.model()[0].train(1, F.dataset(), callbacks=Tracked())
    assert events == ["enter", ("exit", "RuntimeError")]
    with pytest.raises(TypeError, match="'callbacks' must be a Callback or a list"):
        _CallbackManager("x")


def test_legacy_alias_hooks_are_called_by_the_new_ones():
    calls = []

    class Old(Callback):
        def step_end(self, rc):
            calls.append(rc.original_args()["mode"])

    rc = RunContext({"mode": "train"})
    Old().on_train_step_end(rc)
    Old().on_eval_step_end(RunContext({"mode": "eval"}))
    assert calls == ["train", "eval"]


# ---- ProgressBar -------------------------------------------------------------------------------
PLAIN = re.compile(
    r"Epoch (\d)/(\d): 5/5 steps, \d+\.\d\d s, loss=(\d\.\d{4}), \d+ samples/s"
    r"(, accuracy=[\d.]+)?(, ETA \d:\d\d:\d\d)?"
)


def test_progress_bar_prints_one_line_per_epoch_when_not_a_terminal(capsys):
    out = io.StringIO()
    m, _ = F.model(metrics={"accuracy"})
    m.fit(
        3,
        F.dataset(),
        F.dataset("valid"),
        valid_frequency=2,
        callbacks=[ProgressBar(file=out), LossMonitor(P.STEPS)],
    )
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    matches = [PLAIN.fullmatch(s) for s in lines]
    assert all(matches), lines
    assert [mt.group(1, 2) for mt in matches] == [("1", "3"), ("2", "3"), ("3", "3")]
    assert [bool(mt.group(4)) for mt in matches] == [False, True, False]  # validated epochs
    assert [bool(mt.group(5)) for mt in matches] == [True, True, False]  # ETA while epochs remain
    # The running loss is the mean of the epoch's step losses (MindSpore's first epoch: below).
    first = [F.loss_of(s) for s in RUNS["loss_monitor_1"][:5]]
    assert float(matches[0].group(3)) == pytest.approx(np.mean(first), abs=1e-4)
    # LossMonitor's lines are untouched on stdout.
    F.assert_lines_match(
        capsys.readouterr().out.splitlines()[:2], [RUNS["fit_lines"][0], RUNS["fit_lines"][1]]
    )


def test_progress_bar_live_keeps_other_output_whole(capsys):
    pytest.importorskip("tqdm")
    bar_out = io.StringIO()
    m, _ = F.model()
    stdout = sys.stdout
    m.train(
        2, F.dataset(), callbacks=[ProgressBar(file=bar_out, dynamic=True), LossMonitor(P.STEPS)]
    )
    assert sys.stdout is stdout  # restored
    text = bar_out.getvalue()
    assert "Epoch 1/2" in text and "Epoch 2/2" in text and "5/5" in text
    assert re.search(r"loss=\d\.\d{4}, \d+ samples/s", text)
    F.assert_lines_match(
        capsys.readouterr().out.splitlines(), [RUNS["fit_lines"][0], RUNS["fit_lines"][1]]
    )


def test_progress_bar_restores_stdout_on_errors_and_checks_arguments():
    pytest.importorskip("tqdm")

    class Boom(Callback):
        def on_train_step_end(self, rc):
            raise KeyError("boom")

    stdout = sys.stdout
    with pytest.raises(KeyError):
        F.model()[0].train(
            1, F.dataset(), callbacks=[ProgressBar(file=io.StringIO(), dynamic=True), Boom()]
        )
    assert sys.stdout is stdout
    with pytest.raises(TypeError, match="ProgressBar.*'dynamic' must be a bool"):
        ProgressBar(dynamic="yes")


def test_progress_bar_does_not_import_tqdm_until_needed():
    import subprocess

    code = (
        "import sys, io, minispore\n"
        "from minispore.train import ProgressBar, Model\n"
        "ProgressBar(file=io.StringIO())\n"
        "print('tqdm' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
