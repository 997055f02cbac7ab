"""Records MindSpore 2.10's Model, callback and metric behaviour into `golden.json`.

Run with the MindSpore venv (never by the test suite):
    GLOG_v=3 /work/msenv/bin/python tests/train/golden_model/make_golden.py
The same fixed data, initial weights and hyperparameters are rebuilt by `problem.py`
on the minispore side, so losses, accuracies, printed lines and file names can be compared.
"""

import contextlib
import io
import json
import os
import pathlib
import sys
import tempfile

import mindspore as ms
import mindspore.dataset as ds
import numpy as np
from mindspore import Tensor, nn
from mindspore.train import (
    F1,
    MAE,
    MSE,
    Accuracy,
    Callback,
    CheckpointConfig,
    ConfusionMatrix,
    EarlyStopping,
    Fbeta,
    History,
    LearningRateScheduler,
    Loss,
    LossMonitor,
    Model,
    ModelCheckpoint,
    Precision,
    Recall,
    TimeMonitor,
    Top1CategoricalAccuracy,
    Top5CategoricalAccuracy,
    TopKCategoricalAccuracy,
    get_metric_fn,
    names,
)

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
import problem as P  # noqa: E402  (shared data and weights, plain NumPy)


def jsonable(v):
    if isinstance(v, Tensor):
        v = v.asnumpy()
    if isinstance(v, np.ndarray):
        return {"array": v.tolist(), "dtype": str(v.dtype), "shape": list(v.shape)}
    if isinstance(v, (np.floating, float)):
        return float(v)
    if isinstance(v, (np.integer, int)) and not isinstance(v, bool):
        return int(v)
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    return v


# ---- metrics ---------------------------------------------------------------------------------
def metric_cases():
    out, errs = [], []
    inputs = P.metric_inputs()

    def value(name, make, *args, call="eval", **kw):
        m = make()
        m.clear()
        for batch in args:
            m.update(*batch)
        v = getattr(m, call)(**kw)
        out.append({"name": name, "value": jsonable(v), "type": type(v).__name__})

    def error(name, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            errs.append({"name": name, "type": type(e).__name__, "message": str(e)})
        else:
            errs.append({"name": name, "type": None, "message": None})

    cls = [(inputs["logits"], inputs["labels"])]
    cls2 = [
        (inputs["logits"][:3], inputs["labels"][:3]),
        (inputs["logits"][3:], inputs["labels"][3:]),
    ]
    onehot = [(inputs["logits"], inputs["onehot"])]
    lists = [(inputs["logits"].tolist(), inputs["labels"].tolist())]
    tensors = [(Tensor(inputs["logits"]), Tensor(inputs["labels"]))]
    ml = [(inputs["ml_pred"], inputs["ml_true"])]
    value("accuracy", Accuracy, *cls)
    value("accuracy_two_batches", Accuracy, *cls2)
    value("accuracy_onehot", Accuracy, *onehot)
    value("accuracy_lists", Accuracy, *lists)
    value("accuracy_tensors", Accuracy, *tensors)
    value("accuracy_multilabel", lambda: Accuracy("multilabel"), *ml)
    for name, make in (("precision", Precision), ("recall", Recall)):
        value(name, make, *cls)
        value(f"{name}_average", make, *cls, average=True)
        value(f"{name}_two_batches", make, *cls2)
        value(f"{name}_onehot", make, *onehot)
        value(f"{name}_multilabel", lambda make=make: make("multilabel"), *ml)
        value(f"{name}_multilabel_average", lambda make=make: make("multilabel"), *ml, average=True)
    value("f1", F1, *cls)
    value("f1_average", F1, *cls, average=True)
    value("fbeta_0.5", lambda: Fbeta(0.5), *cls)
    value("fbeta_2_average", lambda: Fbeta(2), *cls2, average=True)
    for norm in ("no_norm", "target", "prediction", "all"):
        value(f"confusion_{norm}", lambda norm=norm: ConfusionMatrix(4, normalize=norm), *cls)
    value(
        "confusion_binary_threshold",
        lambda: ConfusionMatrix(2, threshold=0.3),
        (inputs["scores"], inputs["binary"]),
    )
    value(
        "confusion_binary_ints",
        lambda: ConfusionMatrix(2),
        (inputs["binary_pred"], inputs["binary"]),
    )
    value("confusion_two_batches", lambda: ConfusionMatrix(4, normalize="target"), *cls2)
    value("top2", lambda: TopKCategoricalAccuracy(2), (inputs["logits6"], inputs["labels6"]))
    value("top1", Top1CategoricalAccuracy, (inputs["logits6"], inputs["labels6"]))
    value("top5", Top5CategoricalAccuracy, (inputs["logits6"], inputs["labels6"]))
    value("top3_onehot", lambda: TopKCategoricalAccuracy(3), (inputs["logits6"], inputs["onehot6"]))
    value(
        "loss",
        Loss,
        (np.array(0.5, np.float32),),
        (np.array([1.0, 2.0], np.float32),),
        (Tensor(np.float32(3.0)),),
    )
    value("mae", MAE, (inputs["reg_pred"], inputs["reg_true"]))
    value("mse", MSE, (inputs["reg_pred"], inputs["reg_true"]))
    m = Accuracy().set_indexes([1, 2])
    m.update(np.zeros(3), inputs["logits"], inputs["labels"])
    out.append(
        {"name": "accuracy_indexes", "value": float(m.eval()), "type": type(m.eval()).__name__}
    )
    acc = Accuracy()
    out.append(
        {
            "name": "accuracy_call",
            "value": float(acc(inputs["logits"], inputs["labels"])),
            "type": "float64",
        }
    )
    out.append({"name": "names", "value": names(), "type": "list"})

    for n, make in (
        ("accuracy", Accuracy),
        ("precision", Precision),
        ("recall", Recall),
        ("f1", F1),
        ("top1", Top1CategoricalAccuracy),
        ("loss", Loss),
        ("mae", MAE),
        ("mse", MSE),
        ("confusion", lambda: ConfusionMatrix(3)),
    ):
        error(f"eval_before_update_{n}", lambda make=make: make().eval())
    error("accuracy_bad_eval_type", lambda: Accuracy("regression"))
    error("accuracy_one_input", lambda: Accuracy().update(inputs["logits"]))
    error("accuracy_bad_shape", lambda: Accuracy().update(inputs["logits"], inputs["labels"][:3]))
    error("accuracy_bad_ndim", lambda: Accuracy().update(inputs["logits"][:, 0], inputs["labels"]))
    error("accuracy_bad_type", lambda: Accuracy().update((1, 2), inputs["labels"]))
    error(
        "multilabel_not_binary",
        lambda: Accuracy("multilabel").update(inputs["logits"], inputs["logits"]),
    )

    def class_mismatch():
        a = Accuracy()
        a.update(inputs["logits"], inputs["labels"])
        a.update(inputs["logits6"], inputs["labels6"])

    error("accuracy_class_mismatch", class_mismatch)
    error(
        "precision_label_out_of_range",
        lambda: Precision().update(inputs["logits"], inputs["labels"] + 4),
    )
    error("precision_average_not_bool", lambda: _eval_avg(Precision, inputs))
    error("fbeta_zero", lambda: Fbeta(0))
    error("topk_zero", lambda: TopKCategoricalAccuracy(0))
    error("topk_float", lambda: TopKCategoricalAccuracy(1.5))
    error("confusion_bad_norm", lambda: ConfusionMatrix(3, normalize="rows"))
    error("confusion_bad_classes", lambda: ConfusionMatrix(3.0))
    error("confusion_bad_threshold", lambda: ConfusionMatrix(3, threshold=1))
    error("confusion_bad_ndim", lambda: ConfusionMatrix(3).update(np.zeros((2, 3, 4)), np.zeros(2)))
    error("loss_two_inputs", lambda: Loss().update(np.ones(2), np.ones(2)))
    error("loss_2d", lambda: Loss().update(np.ones((2, 2))))
    error("loss_numpy_scalar", lambda: Loss().update(np.float32(0.5)))
    error("set_indexes_bad", lambda: Accuracy().set_indexes((0, 1)))
    error("get_metric_fn_unknown", lambda: get_metric_fn("acuracy"))
    return out, errs


def _eval_avg(make, inputs):
    m = make()
    m.update(inputs["logits"], inputs["labels"])
    return m.eval(average=1)


# ---- training runs ---------------------------------------------------------------------------
def dataset(split="train", batch=P.BATCH):
    x, y = P.data(split)
    return ds.NumpySlicesDataset((x, y), column_names=["x", "y"], shuffle=False).batch(batch)


def network():
    net = nn.Dense(P.IN, P.OUT)
    w, b = P.initial_weights()
    net.weight.set_data(Tensor(w))
    net.bias.set_data(Tensor(b))
    return net


def model(lr=P.LR, metrics=None, momentum=True):
    net = network()
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    if momentum:
        opt = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=P.MOMENTUM)
    else:
        opt = nn.SGD(net.trainable_params(), learning_rate=lr)
    return Model(net, loss_fn=loss, optimizer=opt, metrics=metrics), net


def captured(fn):
    buf = io.StringIO()
    err = None
    with contextlib.redirect_stdout(buf):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            err = {"type": type(e).__name__, "message": str(e)}
    return buf.getvalue().splitlines(), err


def one_line_each(log):
    """Hook logs as one compact JSON string per entry (the tests `json.loads` each)."""
    out, last = [], None
    for e in log:
        e = dict(e)
        if e["keys"] == last:
            e["keys"] = "<same>"  # unchanged since the previous hook: keeps the file small
        else:
            last = e["keys"]
        out.append(json.dumps(jsonable(e), sort_keys=True, separators=(",", ":")))
    return out


FIELDS = ("cur_epoch_num", "cur_step_num", "batch_num", "epoch_num", "mode", "dataset_sink_mode")


class Recorder(Callback):
    """Logs every hook with the fields of `original_args()` it sees."""

    def __init__(self):
        super().__init__()
        self.log = []

    def _rec(self, hook, run_context):
        cb = run_context.original_args()
        entry = {"hook": hook}
        for f in FIELDS:
            entry[f] = cb.get(f, "<absent>")
        out = cb.get("net_outputs", None)
        if isinstance(out, Tensor):
            entry["net_outputs"] = ["Tensor", float(out.asnumpy())]
        elif isinstance(out, tuple):
            entry["net_outputs"] = ["tuple", len(out)]
        else:
            entry["net_outputs"] = repr(out)
        for f in ("metrics", "eval_results"):
            if f in cb:
                entry[f] = jsonable(cb[f])
        entry["keys"] = " ".join(sorted(cb.keys()))
        entry["types"] = {
            k: type(cb.get(k)).__name__
            for k in (
                "train_network",
                "network",
                "optimizer",
                "loss_fn",
                "train_dataset",
                "eval_network",
                "valid_dataset",
                "list_callback",
                "train_dataset_element",
            )
            if k in cb
        }
        self.log.append(entry)

    def on_train_begin(self, rc):
        self._rec("on_train_begin", rc)

    def on_train_epoch_begin(self, rc):
        self._rec("on_train_epoch_begin", rc)

    def on_train_step_begin(self, rc):
        self._rec("on_train_step_begin", rc)

    def on_train_step_end(self, rc):
        self._rec("on_train_step_end", rc)

    def on_train_epoch_end(self, rc):
        self._rec("on_train_epoch_end", rc)

    def on_train_end(self, rc):
        self._rec("on_train_end", rc)

    def on_eval_begin(self, rc):
        self._rec("on_eval_begin", rc)

    def on_eval_epoch_begin(self, rc):
        self._rec("on_eval_epoch_begin", rc)

    def on_eval_step_begin(self, rc):
        self._rec("on_eval_step_begin", rc)

    def on_eval_step_end(self, rc):
        self._rec("on_eval_step_end", rc)

    def on_eval_epoch_end(self, rc):
        self._rec("on_eval_epoch_end", rc)

    def on_eval_end(self, rc):
        self._rec("on_eval_end", rc)


class Legacy(Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def begin(self, rc):
        self.calls.append("begin")

    def epoch_begin(self, rc):
        self.calls.append("epoch_begin")

    def step_begin(self, rc):
        self.calls.append("step_begin")

    def step_end(self, rc):
        self.calls.append("step_end")

    def epoch_end(self, rc):
        self.calls.append("epoch_end")

    def end(self, rc):
        self.calls.append("end")


class StopAt(Callback):
    def __init__(self, step):
        super().__init__()
        self.step = step
        self.seen = []

    def on_train_step_end(self, rc):
        cb = rc.original_args()
        self.seen.append(cb.cur_step_num)
        if cb.cur_step_num == self.step:
            rc.request_stop()


def runs():
    r = {}

    m, _ = model()
    r["loss_monitor_1"] = captured(lambda: m.train(2, dataset(), callbacks=LossMonitor()))[0]
    m, _ = model()
    r["loss_monitor_3"] = captured(lambda: m.train(2, dataset(), callbacks=[LossMonitor(3)]))[0]
    m, _ = model()
    r["loss_monitor_0"] = captured(lambda: m.train(1, dataset(), callbacks=[LossMonitor(0)]))[0]
    m, _ = model()
    r["loss_monitor_initial_epoch"] = captured(
        lambda: m.train(3, dataset(), callbacks=[LossMonitor(2)], initial_epoch=1)
    )[0]
    m, _ = model()
    r["time_monitor"] = captured(lambda: m.train(2, dataset(), callbacks=[TimeMonitor()]))[0]
    m, _ = model(metrics={"accuracy"})
    r["time_monitor_fit"] = captured(
        lambda: m.fit(1, dataset(), dataset("valid"), callbacks=[TimeMonitor(3)])
    )[0]

    m, _ = model(metrics={"accuracy", "loss"})
    rec = Recorder()
    lines, err = captured(
        lambda: m.fit(
            4, dataset(), dataset("valid"), valid_frequency=2, callbacks=[LossMonitor(P.STEPS), rec]
        )
    )
    r["fit_lines"], r["fit_log"] = lines, one_line_each(rec.log)
    r["fit_eval_after"] = jsonable(m.eval(dataset("valid")))
    x_valid, _ = P.data("valid")
    r["fit_predict"] = jsonable(m.predict(Tensor(x_valid[:4])))

    m, _ = model(metrics={"acc": Accuracy(), "top": Top1CategoricalAccuracy()})
    rec = Recorder()
    r["train_lines"] = captured(lambda: m.train(2, dataset(), callbacks=[rec]))[0]
    r["train_log"] = one_line_each(rec.log)
    r["eval_dict"] = jsonable(m.eval(dataset("valid")))
    rec = Recorder()
    m.eval(dataset("valid"), callbacks=rec)
    r["eval_log"] = one_line_each(rec.log)

    m, _ = model(metrics={"accuracy"})
    r["fit_valid_list"] = captured(
        lambda: m.fit(
            3, dataset(), dataset("valid"), valid_frequency=[1, 3], callbacks=LossMonitor(P.STEPS)
        )
    )[0]

    leg = Legacy()
    m, _ = model()
    m.train(1, dataset(), callbacks=leg)
    r["legacy_calls_train"] = leg.calls
    m, _ = model(metrics={"accuracy"})
    r["legacy_fit_error"] = captured(
        lambda: m.fit(1, dataset(), dataset("valid"), callbacks=Legacy())
    )[1]

    stop = StopAt(3)
    m, _ = model()
    r["stop_lines"] = captured(lambda: m.train(3, dataset(), callbacks=[stop, LossMonitor()]))[0]
    r["stop_seen"] = stop.seen

    h = History()
    m, _ = model()
    m.train(2, dataset(), callbacks=h)
    r["history_train"] = {"epoch": h.epoch, "history": jsonable(h.history)}
    h = History()
    m, _ = model(metrics={"accuracy", "loss"})
    m.fit(2, dataset(), dataset("valid"), callbacks=h)
    r["history_fit"] = {"epoch": h.epoch, "history": jsonable(h.history)}

    def lr_fn(lr, step):
        return lr * 0.5 if step % 2 == 0 else lr

    m, _ = model()
    r["lr_scheduler_lines"] = captured(
        lambda: m.train(2, dataset(), callbacks=[LearningRateScheduler(lr_fn), LossMonitor()])
    )[0]
    r["lr_scheduler_final"] = float(m._optimizer.learning_rate.asnumpy())

    r["early_stopping"] = early_stopping_runs()
    r["checkpoints"] = checkpoint_runs()
    r["errors"] = model_errors()
    return r


class EpochCounter(Callback):
    def __init__(self):
        super().__init__()
        self.epochs = []

    def on_train_epoch_end(self, rc):
        self.epochs.append(rc.original_args().cur_epoch_num)


def early_stopping_runs():
    out = {}

    def run(name, es, lr, fit=True, epochs=10, metrics=None):
        m, _ = model(lr=lr, momentum=False, metrics=metrics or {"accuracy"})
        cnt = EpochCounter()
        if fit:
            fn = lambda: m.fit(epochs, dataset(), dataset("valid"), callbacks=[es, cnt])  # noqa: E731
        else:
            fn = lambda: m.train(epochs, dataset(), callbacks=[es, cnt])  # noqa: E731
        lines, err = captured(fn)
        out[name] = {
            "epochs": cnt.epochs,
            "stopped_epoch": es.stopped_epoch,
            "lines": lines,
            "error": err,
            "best": jsonable(es.best),
            "wait": es.wait,
        }

    run("eval_loss_flat", EarlyStopping(patience=2, verbose=True), 0.0)
    run("loss_patience0_train", EarlyStopping(monitor="loss", verbose=True), 0.0, fit=False)
    run("accuracy_min_delta", EarlyStopping(monitor="accuracy", patience=1, min_delta=0.5), P.LR)
    run("missing_monitor", EarlyStopping(monitor="acc", patience=0), P.LR, fit=False, epochs=3)
    run("eval_loss_learning", EarlyStopping(patience=1, verbose=True), P.LR, epochs=6)
    run(
        "mode_max_on_loss",
        EarlyStopping(monitor="eval_loss", mode="max", patience=1),
        P.LR,
        epochs=6,
    )
    try:
        EarlyStopping(mode="up")
    except Exception as e:  # noqa: BLE001
        out["bad_mode"] = {"type": type(e).__name__, "message": str(e)}
    return out


def checkpoint_runs():
    out = {}
    with tempfile.TemporaryDirectory() as tmp:

        def run(name, cbs_fn, epochs=2, subdir=None):
            d = os.path.join(tmp, subdir or name)
            m, _ = model()
            cbs = cbs_fn(d)
            m.train(epochs, dataset(), callbacks=cbs)
            out[name] = sorted(os.listdir(d))
            return d, cbs

        run("default", lambda d: ModelCheckpoint(directory=d))
        run(
            "steps2_keep10",
            lambda d: ModelCheckpoint(
                directory=d,
                config=CheckpointConfig(save_checkpoint_steps=2, keep_checkpoint_max=10),
            ),
        )
        run(
            "steps3_keep10",
            lambda d: ModelCheckpoint(
                directory=d,
                config=CheckpointConfig(save_checkpoint_steps=3, keep_checkpoint_max=10),
            ),
        )
        run(
            "keep2",
            lambda d: ModelCheckpoint(
                prefix="net", directory=d, config=CheckpointConfig(keep_checkpoint_max=2)
            ),
        )
        run(
            "per_epoch",
            lambda d: ModelCheckpoint(
                prefix="mnist",
                directory=os.path.join(d, "a", "b"),
                config=CheckpointConfig(save_checkpoint_steps=P.STEPS),
            ),
        )
        out["per_epoch_nested"] = sorted(os.listdir(os.path.join(tmp, "per_epoch", "a", "b")))
        for i in range(3):
            run(
                f"reuse_{i}",
                lambda d: ModelCheckpoint(
                    directory=d, config=CheckpointConfig(save_checkpoint_steps=P.STEPS)
                ),
                epochs=1,
                subdir="reuse",
            )
        d, cb = run(
            "append_info",
            lambda d: ModelCheckpoint(
                directory=d,
                config=CheckpointConfig(
                    save_checkpoint_steps=P.STEPS, append_info=["epoch_num", "step_num", {"tag": 7}]
                ),
            ),
        )
        last = ms.load_checkpoint(cb.latest_ckpt_file_name)
        out["append_info_latest"] = os.path.basename(cb.latest_ckpt_file_name)
        out["append_info_keys"] = sorted(last.keys())
        out["append_info_values"] = {k: jsonable(last[k]) for k in ("epoch_num", "step_num", "tag")}
        d, cb = run(
            "saved_network",
            lambda d: ModelCheckpoint(
                directory=d,
                config=CheckpointConfig(save_checkpoint_steps=P.STEPS, saved_network=network()),
            ),
        )
        out["saved_network_keys"] = sorted(ms.load_checkpoint(cb.latest_ckpt_file_name).keys())
        d, cb = run(
            "default_keys",
            lambda d: ModelCheckpoint(
                directory=d, config=CheckpointConfig(save_checkpoint_steps=P.STEPS)
            ),
        )
        out["default_keys_values"] = sorted(ms.load_checkpoint(cb.latest_ckpt_file_name).keys())
        cfg = CheckpointConfig(save_checkpoint_seconds=100, keep_checkpoint_per_n_minutes=5)
        out["config_policy"] = jsonable(
            {k: v for k, v in cfg.get_checkpoint_policy().items() if k != "saved_network"}
        )
        cfg = CheckpointConfig(
            save_checkpoint_steps=0,
            save_checkpoint_seconds=10,
            keep_checkpoint_max=0,
            keep_checkpoint_per_n_minutes=0,
        )
        out["config_policy_zero_keep"] = jsonable(
            {k: v for k, v in cfg.get_checkpoint_policy().items() if k != "saved_network"}
        )
        errs = {}
        for name, fn in (
            ("all_zero", lambda: CheckpointConfig(0, 0, 0, 0)),
            ("negative_steps", lambda: CheckpointConfig(save_checkpoint_steps=-1)),
            ("bad_append", lambda: CheckpointConfig(append_info=["lr"])),
            ("bad_saved_network", lambda: CheckpointConfig(saved_network="net")),
            ("prefix_slash", lambda: ModelCheckpoint(prefix="a/b")),
            ("bad_config", lambda: ModelCheckpoint(config={"save_checkpoint_steps": 1})),
        ):
            try:
                fn()
            except Exception as e:  # noqa: BLE001
                errs[name] = {"type": type(e).__name__, "message": str(e)}
        out["errors"] = errs
    return out


def model_errors():
    errs = {}

    def error(name, fn):
        lines, err = captured(fn)
        errs[name] = err

    m, _ = model()
    error("callback_not_callback", lambda: m.train(1, dataset(), callbacks=[LossMonitor(), "cb"]))
    error("callback_single_not_callback", lambda: model()[0].train(1, dataset(), callbacks=3))
    x, y = P.data("train")
    empty = ds.NumpySlicesDataset((x[:5], y[:5]), column_names=["x", "y"], shuffle=False).batch(
        8, drop_remainder=True
    )
    error("empty_dataset", lambda: model()[0].train(1, empty))
    three = ds.NumpySlicesDataset((x, y, y), column_names=["x", "y", "z"], shuffle=False).batch(8)
    error("three_columns", lambda: model()[0].train(1, three))
    error("unknown_metric", lambda: model(metrics={"acuracy"}))
    error("metrics_not_set", lambda: model(metrics=["accuracy"]))
    error("eval_without_metrics", lambda: model()[0].eval(dataset("valid")))
    error("fit_valid_without_metrics", lambda: model()[0].fit(1, dataset(), dataset("valid")))
    error("initial_epoch", lambda: model()[0].train(2, dataset(), initial_epoch=2))
    error("epoch_zero", lambda: model()[0].train(0, dataset()))
    error("bad_kwarg", lambda: Model(network(), foo=1))
    error("metrics_no_loss", lambda: Model(network(), metrics={"accuracy"}))
    error(
        "bad_eval_indexes",
        lambda: Model(
            network(),
            nn.MSELoss(),
            metrics={"accuracy"},
            eval_network=network(),
            eval_indexes=[0, 1],
        ),
    )
    error(
        "bad_valid_frequency",
        lambda: model(metrics={"accuracy"})[0].fit(
            1, dataset(), dataset("valid"), valid_frequency=1.0
        ),
    )
    error("not_a_cell", lambda: Model(lambda x: x))
    error("sink_size_zero", lambda: model()[0].train(1, dataset(), sink_size=0))
    net = network()
    net.weight.set_data(Tensor(np.full((P.OUT, P.IN), np.nan, np.float32)))
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    m = Model(net, loss, nn.SGD(net.trainable_params(), 0.1))
    error("nan_loss", lambda: m.train(1, dataset(), callbacks=LossMonitor()))
    m = Model(network(), nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"))
    lines, err = captured(lambda: m.train(1, dataset(), callbacks=LossMonitor()))
    errs["no_optimizer_lines"] = {"lines": lines, "error": err}
    return errs


def main():
    ms.set_context(mode=ms.PYNATIVE_MODE)
    metrics, metric_errors = metric_cases()
    golden = {
        "mindspore": ms.__version__,
        "metrics": metrics,
        "metric_errors": metric_errors,
        "runs": runs(),
    }
    (HERE / "golden.json").write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")
    print("wrote", HERE / "golden.json")


if __name__ == "__main__":
    main()
