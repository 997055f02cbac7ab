"""`ModelCheckpoint` and `CheckpointConfig`: the files written over two epochs, as MindSpore 2.10
names and keeps them (`golden_model/golden.json`), their content, and the errors."""

from __future__ import annotations

import json
import os
import pathlib

import numpy as np
import pytest

from minispore.train import (
    Callback,
    CheckpointConfig,
    ModelCheckpoint,
    load_checkpoint,
)
from tests.train import model_fixtures as F
from tests.train.golden_model import problem as P

CKPT = json.loads((pathlib.Path(__file__).parent / "golden_model" / "golden.json").read_text())[
    "runs"
]["checkpoints"]

CASES = {
    "default": lambda d: ModelCheckpoint(directory=d),
    "steps2_keep10": lambda d: ModelCheckpoint(
        directory=d, config=CheckpointConfig(save_checkpoint_steps=2, keep_checkpoint_max=10)
    ),
    "steps3_keep10": lambda d: ModelCheckpoint(
        directory=d, config=CheckpointConfig(save_checkpoint_steps=3, keep_checkpoint_max=10)
    ),
    "keep2": lambda d: ModelCheckpoint(
        prefix="net", directory=d, config=CheckpointConfig(keep_checkpoint_max=2)
    ),
}


def _train(callbacks, epochs=2):
    m, _ = F.model()
    m.train(epochs, F.dataset(), callbacks=callbacks)
    return m


@pytest.mark.parametrize("name", sorted(CASES))
def test_files_kept_match_mindspore(tmp_path, name):
    _train(CASES[name](str(tmp_path)))
    assert sorted(os.listdir(tmp_path)) == CKPT[name]


def test_per_epoch_in_a_new_nested_directory(tmp_path):
    d = tmp_path / "a" / "b"
    cb = ModelCheckpoint(
        prefix="mnist", directory=str(d), config=CheckpointConfig(save_checkpoint_steps=P.STEPS)
    )
    assert d.is_dir()  # created at once, as MindSpore does
    _train(cb)
    assert sorted(os.listdir(d)) == CKPT["per_epoch_nested"]
    assert cb.latest_ckpt_file_name == str(d / "mnist-2_5.ckpt")


def test_a_second_run_gets_a_numbered_prefix(tmp_path):
    for i in range(3):
        cfg = CheckpointConfig(save_checkpoint_steps=P.STEPS)
        _train(ModelCheckpoint(directory=str(tmp_path), config=cfg), epochs=1)
        assert sorted(os.listdir(tmp_path)) == CKPT[f"reuse_{i}"]


def test_saved_content_matches_mindspores_keys_and_the_weights(tmp_path):
    cb = ModelCheckpoint(directory=str(tmp_path), config=CheckpointConfig(save_checkpoint_steps=5))
    m = _train(cb)
    params = load_checkpoint(cb.latest_ckpt_file_name)
    assert sorted(params) == CKPT["default_keys_values"]
    net = m.predict_network
    np.testing.assert_array_equal(params["weight"].asnumpy(), net.weight.asnumpy())
    assert int(params["global_step"].asnumpy().reshape(-1)[0]) == 2 * P.STEPS


def test_append_info_and_saved_network(tmp_path):
    cfg = CheckpointConfig(
        save_checkpoint_steps=P.STEPS, append_info=["epoch_num", "step_num", {"tag": 7}]
    )
    cb = ModelCheckpoint(directory=str(tmp_path / "a"), config=cfg)
    _train(cb)
    assert os.path.basename(cb.latest_ckpt_file_name) == CKPT["append_info_latest"]
    params = load_checkpoint(cb.latest_ckpt_file_name)
    assert sorted(params) == CKPT["append_info_keys"]
    for key, rec in CKPT["append_info_values"].items():
        value = params[key].asnumpy()
        assert value.tolist() == rec["array"] and str(value.dtype) == rec["dtype"]
    cfg = CheckpointConfig(save_checkpoint_steps=P.STEPS, saved_network=F.network())
    cb = ModelCheckpoint(directory=str(tmp_path / "b"), config=cfg)
    _train(cb)
    assert sorted(load_checkpoint(cb.latest_ckpt_file_name)) == CKPT["saved_network_keys"]


def test_checkpoint_policy_matches_mindspore():
    cfg = CheckpointConfig(save_checkpoint_seconds=100, keep_checkpoint_per_n_minutes=5)
    policy = {k: v for k, v in cfg.get_checkpoint_policy().items() if k != "saved_network"}
    assert policy == CKPT["config_policy"]
    cfg = CheckpointConfig(
        save_checkpoint_steps=0,
        save_checkpoint_seconds=10,
        keep_checkpoint_max=0,
        keep_checkpoint_per_n_minutes=0,
    )
    policy = {k: v for k, v in cfg.get_checkpoint_policy().items() if k != "saved_network"}
    assert policy == CKPT["config_policy_zero_keep"]


def test_callable_prefix_and_directory(tmp_path):
    cb = ModelCheckpoint(
        prefix=lambda p: f"run-e{p.cur_epoch_num}",
        directory=lambda p: str(tmp_path / f"epoch{p.cur_epoch_num}"),
        config=CheckpointConfig(save_checkpoint_steps=P.STEPS),
    )
    _train(cb)
    assert sorted(os.listdir(tmp_path)) == ["epoch1", "epoch2"]
    assert os.listdir(tmp_path / "epoch2") == ["run-e2.ckpt"]


def test_seconds_policy_saves_the_last_step(tmp_path):
    cfg = CheckpointConfig(save_checkpoint_steps=None, save_checkpoint_seconds=3600)
    _train(ModelCheckpoint(directory=str(tmp_path), config=cfg))
    assert os.listdir(tmp_path) == ["CKP-2_5.ckpt"]  # only the forced save at the end


def test_exception_save_writes_a_breakpoint_file(tmp_path):
    class Boom(Callback):
        def on_train_step_end(self, rc):
            if rc.original_args().cur_step_num == 7:
                raise RuntimeError("boom")

    cfg = CheckpointConfig(save_checkpoint_steps=P.STEPS, exception_save=True)
    with pytest.raises(RuntimeError, match="boom"):
        _train([ModelCheckpoint(directory=str(tmp_path), config=cfg), Boom()])
    assert sorted(os.listdir(tmp_path)) == ["CKP-1_5.ckpt", "CKP-2_2_breakpoint.ckpt"]


ERRORS = {
    "all_zero": (lambda: CheckpointConfig(0, 0, 0, 0), "CheckpointConfig.*can't be all None or 0"),
    "negative_steps": (
        lambda: CheckpointConfig(save_checkpoint_steps=-1),
        "CheckpointConfig.*'save_checkpoint_steps' must be >= 0, but got -1",
    ),
    "bad_append": (
        lambda: CheckpointConfig(append_info=["lr"]),
        r"CheckpointConfig.*'append_info' must be in \['epoch_num', 'step_num'\], but got 'lr'",
    ),
    "bad_saved_network": (
        lambda: CheckpointConfig(saved_network="net"),
        "CheckpointConfig.*'saved_network' must be None or a Cell, but got str",
    ),
    "prefix_slash": (lambda: ModelCheckpoint(prefix="a/b"), "ModelCheckpoint.*'prefix'.*'a/b'"),
    "bad_config": (
        lambda: ModelCheckpoint(config={"save_checkpoint_steps": 1}),
        "ModelCheckpoint.*'config' must be a CheckpointConfig, but got dict",
    ),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_have_mindspores_type(name):
    fn, message = ERRORS[name]
    with pytest.raises(Exception, match=message) as info:
        fn()
    assert type(info.value).__name__ == CKPT["errors"][name]["type"]


def test_encryption_is_refused_clearly():
    with pytest.raises(NotImplementedError, match="CheckpointConfig.*encrypted"):
        CheckpointConfig(enc_key=b"0123456789abcdef")
