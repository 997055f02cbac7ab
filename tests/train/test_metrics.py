"""Metrics against MindSpore 2.10's values and errors (`golden_model/golden.json`) and by hand."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor
from minispore.train import (
    F1,
    MAE,
    MSE,
    Accuracy,
    ConfusionMatrix,
    Fbeta,
    Loss,
    Metric,
    Precision,
    Recall,
    Top1CategoricalAccuracy,
    Top5CategoricalAccuracy,
    TopKCategoricalAccuracy,
    get_metric_fn,
    names,
    rearrange_inputs,
)
from tests.train.golden_model import problem as P

GOLDEN = json.loads((pathlib.Path(__file__).parent / "golden_model" / "golden.json").read_text())
IN = P.metric_inputs()
CLS = [(IN["logits"], IN["labels"])]
CLS2 = [(IN["logits"][:3], IN["labels"][:3]), (IN["logits"][3:], IN["labels"][3:])]
ML = [(IN["ml_pred"], IN["ml_true"])]
TOP = [(IN["logits6"], IN["labels6"])]


def _run(make, *batches, **eval_kw):
    m = make()
    m.clear()
    for batch in batches:
        m.update(*batch)
    return m.eval(**eval_kw)


CASES = {
    "accuracy": lambda: _run(Accuracy, *CLS),
    "accuracy_two_batches": lambda: _run(Accuracy, *CLS2),
    "accuracy_onehot": lambda: _run(Accuracy, (IN["logits"], IN["onehot"])),
    "accuracy_lists": lambda: _run(Accuracy, (IN["logits"].tolist(), IN["labels"].tolist())),
    "accuracy_tensors": lambda: _run(Accuracy, (Tensor(IN["logits"]), Tensor(IN["labels"]))),
    "accuracy_multilabel": lambda: _run(lambda: Accuracy("multilabel"), *ML),
    "f1": lambda: _run(F1, *CLS),
    "f1_average": lambda: _run(F1, *CLS, average=True),
    "fbeta_0.5": lambda: _run(lambda: Fbeta(0.5), *CLS),
    "fbeta_2_average": lambda: _run(lambda: Fbeta(2), *CLS2, average=True),
    "confusion_binary_threshold": lambda: _run(
        lambda: ConfusionMatrix(2, threshold=0.3), (IN["scores"], IN["binary"])
    ),
    "confusion_binary_ints": lambda: _run(
        lambda: ConfusionMatrix(2), (IN["binary_pred"], IN["binary"])
    ),
    "confusion_two_batches": lambda: _run(lambda: ConfusionMatrix(4, normalize="target"), *CLS2),
    "top2": lambda: _run(lambda: TopKCategoricalAccuracy(2), *TOP),
    "top1": lambda: _run(Top1CategoricalAccuracy, *TOP),
    "top5": lambda: _run(Top5CategoricalAccuracy, *TOP),
    "top3_onehot": lambda: _run(lambda: TopKCategoricalAccuracy(3), (IN["logits6"], IN["onehot6"])),
    "loss": lambda: _run(
        Loss,
        (np.array(0.5, np.float32),),
        (np.array([1.0, 2.0], np.float32),),
        (Tensor(np.float32(3.0)),),
    ),
    "mae": lambda: _run(MAE, (IN["reg_pred"], IN["reg_true"])),
    "mse": lambda: _run(MSE, (IN["reg_pred"], IN["reg_true"])),
    "accuracy_indexes": lambda: _run(
        lambda: Accuracy().set_indexes([1, 2]), (np.zeros(3), IN["logits"], IN["labels"])
    ),
    "accuracy_call": lambda: Accuracy()(IN["logits"], IN["labels"]),
}
for _name, _make in (("precision", Precision), ("recall", Recall)):
    CASES[_name] = lambda make=_make: _run(make, *CLS)
    CASES[f"{_name}_average"] = lambda make=_make: _run(make, *CLS, average=True)
    CASES[f"{_name}_two_batches"] = lambda make=_make: _run(make, *CLS2)
    CASES[f"{_name}_onehot"] = lambda make=_make: _run(make, (IN["logits"], IN["onehot"]))
    CASES[f"{_name}_multilabel"] = lambda make=_make: _run(lambda: make("multilabel"), *ML)
    CASES[f"{_name}_multilabel_average"] = lambda make=_make: _run(
        lambda: make("multilabel"), *ML, average=True
    )
for _norm in ("no_norm", "target", "prediction", "all"):
    CASES[f"confusion_{_norm}"] = lambda norm=_norm: _run(
        lambda: ConfusionMatrix(4, normalize=norm), *CLS
    )


def _golden(name):
    return next(c for c in GOLDEN["metrics"] if c["name"] == name)


def test_every_recorded_metric_case_is_checked():
    recorded = {c["name"] for c in GOLDEN["metrics"]} - {"names"}
    assert recorded == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_metric_matches_mindspore(name):
    rec = _golden(name)
    ours = CASES[name]()
    if isinstance(rec["value"], dict):  # an ndarray
        assert isinstance(ours, np.ndarray) and ours.dtype == np.float64
        np.testing.assert_allclose(ours, rec["value"]["array"], rtol=1e-12, atol=0)
        assert list(ours.shape) == rec["value"]["shape"]
    else:
        # NOTE: a Python float where MindSpore gives numpy.float64 (same value, and it prints the
        # same in dicts under NumPy 2).
        assert type(ours) is float
        assert ours == pytest.approx(rec["value"], rel=1e-6)


def test_names_are_mindspores_that_we_implement():
    ms_names = _golden("names")["value"]
    assert set(names()) <= set(ms_names)
    assert names() == sorted(names())
    assert {"accuracy", "acc", "loss", "precision", "recall", "F1", "top_1_accuracy"} <= set(
        names()
    )
    for name in names():
        if name not in ("topk", "confusion_matrix"):  # these need an argument
            assert isinstance(get_metric_fn(name), Metric)
    assert get_metric_fn("topk", 3).k == 3
    assert get_metric_fn("confusion_matrix", num_classes=4).num_classes == 4


def test_top_level_and_nn_names():
    assert ms.Accuracy is Accuracy and ms.names is names and ms.Metric is Metric


ERROR_CASES = {
    "accuracy_bad_eval_type": lambda: Accuracy("regression"),
    "accuracy_one_input": lambda: Accuracy().update(IN["logits"]),
    "accuracy_bad_shape": lambda: Accuracy().update(IN["logits"], IN["labels"][:3]),
    "accuracy_bad_ndim": lambda: Accuracy().update(IN["logits"][:, 0], IN["labels"]),
    "accuracy_bad_type": lambda: Accuracy().update((1, 2), IN["labels"]),
    "multilabel_not_binary": lambda: Accuracy("multilabel").update(IN["logits"], IN["logits"]),
    "accuracy_class_mismatch": lambda: [
        a.update(IN["logits"], IN["labels"]) or a.update(IN["logits6"], IN["labels6"])
        for a in [Accuracy()]
    ],
    "precision_label_out_of_range": lambda: Precision().update(IN["logits"], IN["labels"] + 4),
    "precision_average_not_bool": lambda: _avg_int(),
    "fbeta_zero": lambda: Fbeta(0),
    "topk_zero": lambda: TopKCategoricalAccuracy(0),
    "topk_float": lambda: TopKCategoricalAccuracy(1.5),
    "confusion_bad_norm": lambda: ConfusionMatrix(3, normalize="rows"),
    "confusion_bad_classes": lambda: ConfusionMatrix(3.0),
    "confusion_bad_threshold": lambda: ConfusionMatrix(3, threshold=1),
    "confusion_bad_ndim": lambda: ConfusionMatrix(3).update(np.zeros((2, 3, 4)), np.zeros(2)),
    "loss_two_inputs": lambda: Loss().update(np.ones(2), np.ones(2)),
    "loss_2d": lambda: Loss().update(np.ones((2, 2))),
    "set_indexes_bad": lambda: Accuracy().set_indexes((0, 1)),
    "get_metric_fn_unknown": lambda: get_metric_fn("acuracy"),
}
EVAL_BEFORE_UPDATE = {
    "accuracy": Accuracy,
    "precision": Precision,
    "recall": Recall,
    "f1": F1,
    "top1": Top1CategoricalAccuracy,
    "loss": Loss,
    "mae": MAE,
    "mse": MSE,
    "confusion": lambda: ConfusionMatrix(3),
}


def _avg_int():
    m = Precision()
    m.update(IN["logits"], IN["labels"])
    return m.eval(average=1)


def _recorded_error(name):
    return next(e for e in GOLDEN["metric_errors"] if e["name"] == name)


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_errors_have_mindspores_type(name):
    rec = _recorded_error(name)
    with pytest.raises(Exception) as info:
        ERROR_CASES[name]()
    assert type(info.value).__name__ == rec["type"], (info.value, rec)


@pytest.mark.parametrize("name", sorted(EVAL_BEFORE_UPDATE))
def test_eval_before_update_raises_mindspores_runtime_error(name):
    rec = _recorded_error(f"eval_before_update_{name}")
    with pytest.raises(RuntimeError) as info:
        EVAL_BEFORE_UPDATE[name]().eval()
    # Same text, up to the spacing MindSpore varies between metrics.
    assert str(info.value).replace("s (", "s(") == rec["message"].replace("s (", "s(")


def test_error_messages_name_the_metric_and_argument():
    with pytest.raises(
        ValueError, match=r"Accuracy.update.*y_pred shape \(8, 4\) and y shape \(3,\)"
    ):
        Accuracy().update(IN["logits"], IN["labels"][:3])
    with pytest.raises(TypeError, match=r"TopKCategoricalAccuracy.*'k'.*float"):
        TopKCategoricalAccuracy(1.5)
    with pytest.raises(ValueError, match=r"ConfusionMatrix.*'normalize'.*'rows'"):
        ConfusionMatrix(3, normalize="rows")
    with pytest.raises(KeyError, match="unsupported metric 'acuracy'"):
        get_metric_fn("acuracy")
    with pytest.raises(KeyError, match="'dice' is not implemented by minispore"):
        get_metric_fn("dice")
    with pytest.raises(
        ValueError, match=r"ConfusionMatrix.update.*true classes must be in \[0, 2\)"
    ):
        ConfusionMatrix(2).update(np.array([0, 1]), np.array([0, 5]))
    with pytest.raises(TypeError, match="Precision.eval.*'average' must be a bool"):
        _avg_int()


def test_accuracy_by_hand():
    y_pred = Tensor(np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]]))
    y = Tensor(np.array([1, 0, 1, 2]))
    m = Accuracy()
    m.update(y_pred, y)
    assert m.eval() == 0.5  # rows 0 and 1 right
    m.update(y_pred[:1], y[:1])
    assert m.eval() == 3 / 5
    m.clear()
    with pytest.raises(RuntimeError, match="has called update method"):
        m.eval()


def test_precision_recall_f1_by_hand():
    # predicted classes 1, 0, 2, 1; true 1, 0, 1, 2
    y_pred = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]])
    y = np.array([1, 0, 1, 2])
    np.testing.assert_allclose(Precision()(y_pred, y), [1.0, 0.5, 0.0])
    np.testing.assert_allclose(Recall()(y_pred, y), [1.0, 0.5, 0.0])
    np.testing.assert_allclose(F1()(y_pred, y), [1.0, 0.5, 0.0])
    p = Precision()
    p.update(y_pred, y)
    assert p.eval(average=True) == pytest.approx(0.5)
    # F2 of class 1: (1 + 4) * 1 / (4 * 2 + 2) = 0.5
    np.testing.assert_allclose(Fbeta(2)(y_pred, y), [1.0, 0.5, 0.0])


def test_topk_confusion_loss_error_by_hand():
    y_pred = np.array([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1], [0.2, 0.3, 0.5]])
    y = np.array([2, 2, 0])
    assert TopKCategoricalAccuracy(2)(y_pred, y) == pytest.approx(1 / 3)
    assert TopKCategoricalAccuracy(3)(y_pred, y) == 1.0
    cm = ConfusionMatrix(3)(y_pred, y)  # predicted 1, 0, 2
    np.testing.assert_array_equal(cm, [[0, 0, 1], [0, 0, 0], [1, 1, 0]])
    np.testing.assert_allclose(ConfusionMatrix(3, "target")(y_pred, y)[2], [0.5, 0.5, 0])
    assert Loss()(Tensor(np.array([1.0, 3.0], np.float32))) == 2.0
    assert MAE()(np.array([1.0, 2.0]), np.array([2.0, 4.0])) == 1.5
    assert MSE()(np.array([[1.0], [2.0]]), np.array([2.0, 4.0])) == 2.5


def test_multilabel_accuracy_needs_every_label_right():
    y_pred = np.array([[1, 0, 1], [0, 1, 1]])
    y = np.array([[1, 0, 1], [0, 1, 0]])
    assert Accuracy("multilabel")(y_pred, y) == 0.5


def test_rearrange_inputs_on_a_custom_metric():
    class Pick(Metric):
        def clear(self):
            self.seen = None

        def eval(self):
            return self.seen

        @rearrange_inputs
        def update(self, *inputs):
            self.seen = inputs

    m = Pick().set_indexes([2, 0])
    assert m(1, 2, 3) == (3, 1)
    assert m.indexes == [2, 0]
    with pytest.raises(TypeError):
        Metric()  # abstract
