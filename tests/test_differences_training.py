"""Tests for rows of docs/differences.md about jit, vmap, Model, callbacks, metrics and datasets
that no other test checks directly."""

import os

import numpy as np
import pytest

import minispore as ms
import minispore.dataset as ds
from minispore import Parameter, Tensor, nn, ops
from minispore.dataset import vision
from minispore.train import CheckpointConfig, ConfusionMatrix, Model, ModelCheckpoint
from minispore.train.callback import Callback
from tests.train import model_fixtures as F


def f32(*v):
    return Tensor(np.array(v, np.float32))


def test_8_inline_lambdas_work_in_transforms_and_vmap():
    x = f32(1.0, 2.0)
    np.testing.assert_allclose(ms.jacfwd(lambda u: u * u)(x).asnumpy(), np.diag([2.0, 4.0]))
    np.testing.assert_allclose(ms.jacrev(lambda u: u * u)(x).asnumpy(), np.diag([2.0, 4.0]))
    _, tangent = ms.jvp(lambda u: u * 3, x, f32(1.0, 1.0))
    np.testing.assert_allclose(tangent.asnumpy(), [3.0, 3.0])
    rows = Tensor(np.arange(6, dtype=np.float32).reshape(3, 2))
    out = ms.vmap(lambda r: r.sum() * 2)(rows)
    np.testing.assert_allclose(out.asnumpy(), [2.0, 10.0, 18.0])


SCALE = 2.0


def test_jit_reads_globals_and_checks_values_at_capture_and_parameters_at_every_call():
    global SCALE
    w = Parameter(f32(1.0, 1.0), name="w_diffrows")
    printed = []

    @ms.jit
    def f(x, i):
        printed.append(1)  # a side effect: runs at capture only
        return x * SCALE * w + x[i]

    x = f32(1.0, 2.0)
    np.testing.assert_allclose(f(x, 1).asnumpy(), [4.0, 6.0])
    SCALE = 10.0  # read at capture: the cached graph keeps 2.0
    w.set_data(f32(3.0, 3.0))  # read at every call
    try:
        np.testing.assert_allclose(f(x, 1).asnumpy(), [8.0, 14.0])
    finally:
        SCALE = 2.0
    assert printed == [1] and f.cache_info().hits == 1
    with pytest.raises(IndexError):  # a static index is checked while capturing
        f(x, 5)
    # Label ranges are still checked at every replay: by the cross-entropy primitive itself
    # (an IndexError), and as a NaN loss on nll_loss's traced path (a graph cannot raise).
    logits = Tensor(np.log(np.full((2, 3), 1 / 3, np.float32)))
    ce = ms.jit(lambda logits, labels: ops.cross_entropy(logits, labels))
    ce(logits, Tensor(np.array([0, 1], np.int32)))
    bad = Tensor(np.array([0, -1], np.int32))
    with pytest.raises(IndexError, match="softmax_cross_entropy"):
        ce(logits, bad)
    assert ce.cache_info().hits == 1
    nll = ms.jit(lambda logp, labels: ops.nll_loss(logp, labels))
    assert np.isfinite(nll(logits, Tensor(np.array([0, 1], np.int32))).item())
    assert np.isnan(nll(logits, bad).item())
    with pytest.raises(IndexError, match="out of range"):
        ops.cross_entropy(logits, bad)


def _last_eval_results(model, epochs=1):
    seen = []

    class Keep(Callback):
        def on_eval_end(self, run_context):
            seen.append(dict(run_context.original_args().eval_results))

    model.fit(epochs, F.dataset(), F.dataset("valid"), callbacks=[Keep()])
    return seen[-1]


def test_fit_eval_loss_is_the_mean_over_validation_batches():
    model, net = F.model(metrics={"accuracy"})
    got = _last_eval_results(model)["eval_loss"]
    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    losses = [loss_fn(net(x), y).item() for x, y in F.dataset("valid").create_tuple_iterator()]
    assert len(losses) > 1 and losses[-1] != pytest.approx(np.mean(losses))
    assert got == pytest.approx(np.mean(losses), rel=1e-6)


def test_a_set_of_metric_names_is_evaluated_in_sorted_order():
    names = {"recall", "top_1_accuracy", "accuracy", "precision", "loss"}
    model, _ = F.model(metrics=names)
    assert list(model.eval(F.dataset("valid"))) == sorted(names)


def test_confusion_matrix_refuses_class_indices_outside_the_range():
    cm = ConfusionMatrix(3)
    with pytest.raises(ValueError, match="ConfusionMatrix"):
        cm.update(np.array([3, 0]), np.array([0, 1]))  # MindSpore counts it as (1, 0)
    with pytest.raises(ValueError, match="ConfusionMatrix"):
        ConfusionMatrix(3).update(np.array([0, 1]), np.array([0, -1]))


def test_model_options_that_do_nothing_here_are_refused_or_warned():
    net = F.network()
    opt = nn.SGD(net.trainable_params(), 0.1)
    with pytest.raises(NotImplementedError, match="loss_scale_manager"):
        Model(net, nn.MSELoss(), opt, loss_scale_manager=object())
    with pytest.warns(UserWarning, match="boost_level"):
        Model(net, nn.MSELoss(), opt, boost_level="O1")
    with pytest.raises(NotImplementedError, match="encrypted"):
        CheckpointConfig(enc_key=b"0123456789abcdef")
    assert CheckpointConfig(async_save=True).async_save is True


def test_model_checkpoint_default_directory_is_the_cwd_at_construction(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model, _ = F.model()
    cb = ModelCheckpoint(prefix="d", config=CheckpointConfig(save_checkpoint_steps=10**6))
    model.train(1, F.dataset(), callbacks=[cb])
    assert any(name.endswith(".ckpt") for name in os.listdir(tmp_path))


def test_dataset_features_not_implemented_are_refused_clearly():
    with pytest.raises(NotImplementedError, match="ANTIALIAS"):
        vision.Resize(4, vision.Inter.ANTIALIAS)
    with pytest.raises(NotImplementedError, match="PILCUBIC"):
        vision.Resize(4, vision.Inter.PILCUBIC)
    data = ds.NumpySlicesDataset(np.arange(4), column_names=["x"], shuffle=False)
    with pytest.raises(NotImplementedError, match="per_batch_map"):
        data.batch(2, per_batch_map=lambda x, info: (x,))
    with pytest.raises(NotImplementedError, match="schema"):
        ds.GeneratorDataset(lambda: iter([(np.array(1),)]), ["x"], schema="s.json")
    assert not hasattr(ds, "MindDataset")
    assert ds.config.get_num_parallel_workers() == 1


def test_random_split_without_a_seed_gives_disjoint_parts(monkeypatch):
    monkeypatch.setitem(ds.config._state, "seed", None)
    monkeypatch.setattr("minispore.dataset.config._effective_seed", lambda: None)
    for _ in range(3):
        data = ds.NumpySlicesDataset(np.arange(10), column_names=["x"], shuffle=True)
        a, b = data.split([0.5, 0.5], randomize=True)
        rows_a = {int(r[0]) for r in a.create_tuple_iterator(output_numpy=True)}
        rows_b = {int(r[0]) for r in b.create_tuple_iterator(output_numpy=True)}
        assert rows_a | rows_b == set(range(10)) and not rows_a & rows_b  # MindSpore: overlap
