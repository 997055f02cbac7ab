"""`minispore-digits`, the main job, end to end in short configurations."""

import gzip
import os
import re
import struct
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("sklearn")  # the bundled digits

from minispore.examples import digits  # noqa: E402
from minispore.examples.digits_models import MODELS  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ACCURACY = re.compile(r"^Test accuracy: (\d+\.\d\d)% \((\d+) of (\d+)\)$", re.M)


def _matrix(out):
    """The confusion matrix printed in `out`, as a (10, 10) int array."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Confusion matrix"))
    assert lines[start + 1].split() == [str(d) for d in range(10)]
    rows = [line.split() for line in lines[start + 2 : start + 12]]
    assert [int(r[0]) for r in rows] == list(range(10))
    return np.array([[int(c) for c in r[1:]] for r in rows])


def _check_report(out, n_test):
    """The accuracy line and the confusion matrix agree with each other and with `n_test`."""
    (percent, correct, total), *_ = ACCURACY.findall(out)
    matrix = _matrix(out)
    assert int(total) == n_test == matrix.sum()
    assert int(correct) == np.trace(matrix)
    assert float(percent) == pytest.approx(
        100 * int(correct) / int(total), abs=0.0051
    )  # rounded to 2 decimals
    return int(correct) / int(total)


def test_main_trains_and_prints_accuracy_and_confusion_matrix(capsys):
    assert digits.main(["--epochs", "2", "--limit", "300", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Model: mlp, 784-512-512-10 ReLU" in out
    assert "300 training and 300 test images" in out
    assert "2 epochs of 10 steps, batch size 32, momentum lr 0.01 (cosine)" in out
    # Two epochs on 300 images already beat guessing (10%) by far.
    assert _check_report(out, 300) > 0.3


@pytest.mark.parametrize("model", sorted(MODELS))
def test_every_model_runs_with_its_own_defaults(model, capsys):
    digits.main(["--model", model, "--epochs", "1", "--limit", "64", "--quiet"])
    out = capsys.readouterr().out
    hyper = digits.DEFAULTS[model]
    assert f"Model: {model}, {digits.DESCRIPTIONS[model]}" in out
    assert f"batch size {hyper.batch_size}, {hyper.optimizer} lr {hyper.lr:g}" in out
    _check_report(out, 64)


def test_options_override_the_defaults(capsys):
    digits.main(
        ["--epochs", "1", "--limit", "100", "--quiet", "--batch-size", "50", "--lr", "0.002"]
        + ["--optimizer", "adam", "--lr-schedule", "constant", "--augment", "0", "--seed", "3"]
    )
    out = capsys.readouterr().out
    assert "1 epoch of 2 steps, batch size 50, adam lr 0.002 (constant)" in out
    assert "random shift 0 px, seed 3" in out


def _program(*argv):
    return subprocess.run(
        [sys.executable, "-m", "minispore.examples.digits", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )


@pytest.mark.parametrize(("optimizer", "lr"), [("sgd", "0.1"), ("adam", "0.001")])
def test_another_optimizer_gets_its_own_learning_rate(optimizer, lr, capsys):
    digits.main(["--epochs", "1", "--limit", "32", "--quiet", "--optimizer", optimizer])
    assert f"batch size 32, {optimizer} lr {lr} (cosine)" in capsys.readouterr().out


def test_the_same_seed_gives_the_same_run():
    # Separate processes, as a user reruns the command: the dataset numbers its random
    # operations (RandomCrop) in creation order, so a second pipeline in one process differs.
    def run(seed):
        out = _program("--epochs", "2", "--limit", "200", "--quiet", "--seed", str(seed)).stdout
        return [line for line in out.splitlines() if not line.startswith("Trained in")]

    first = run(5)
    assert run(5) == first
    assert len(first) == 16 and ACCURACY.search("\n".join(first))


def test_module_runs_as_a_program_with_a_progress_bar():
    proc = _program("--epochs", "2", "--limit", "100")
    _check_report(proc.stdout, 100)
    # Not a terminal: the progress bar prints one line per epoch on stderr.
    assert "Epoch 1/2: 4/4 steps" in proc.stderr
    assert re.search(r"Epoch 2/2: 4/4 steps, .*loss=\d\.\d{4}, .*accuracy=", proc.stderr)


def test_save_writes_a_checkpoint_the_network_loads(tmp_path, capsys):
    import minispore as ms

    path = tmp_path / "model.ckpt"
    digits.main(
        ["--model", "sigmoid", "--epochs", "1", "--limit", "64", "--quiet"] + ["--save", str(path)]
    )
    assert f"Saved the parameters to {path}" in capsys.readouterr().out
    params = ms.load_checkpoint(str(path))
    net = MODELS["sigmoid"]()
    assert sorted(params) == sorted(p.name for p in net.trainable_params())
    assert ms.load_param_into_net(net, params) == ([], [])
    assert params["fc1.weight"].shape == (16, 784)
    np.testing.assert_array_equal(net.fc3.bias.asnumpy(), params["fc3.bias"].asnumpy())


def test_graph_draws_the_training_step_without_changing_training(tmp_path, capsys):
    dot = tmp_path / "step.dot"
    args = ["--model", "sigmoid", "--epochs", "1", "--limit", "64", "--quiet"]
    digits.main(args + ["--graph", str(dot)])
    with_graph = capsys.readouterr().out
    text = dot.read_text()
    assert text.startswith("digraph") and "backward" in text
    for name in ("fc1.weight", "fc3.bias", "images", "labels"):
        assert name in text, name
    digits.main(args)
    without = capsys.readouterr().out
    # Drawing runs the step once and restores everything: the same accuracy line follows.
    accuracy = [line for line in with_graph.splitlines() if line.startswith("Test accuracy")]
    assert accuracy == [line for line in without.splitlines() if line.startswith("Test accuracy")]


def _write_idx(folder, prefix, images, labels, compress):
    opener = gzip.open if compress else open
    suffix = ".gz" if compress else ""
    with opener(os.path.join(folder, f"{prefix}-images-idx3-ubyte{suffix}"), "wb") as f:
        f.write(struct.pack(">iiii", 2051, len(images), 28, 28) + images.tobytes())
    with opener(os.path.join(folder, f"{prefix}-labels-idx1-ubyte{suffix}"), "wb") as f:
        f.write(struct.pack(">ii", 2049, len(labels)) + labels.tobytes())


def _synthetic_mnist(folder, n_train=300, n_test=100):
    """MNIST-format files whose digit d is a bright 6x6 square at one of ten places, plus noise."""
    rng = np.random.default_rng(0)

    def make(n):
        labels = (np.arange(n) % 10).astype(np.uint8)
        images = rng.integers(0, 60, (n, 28, 28)).astype(np.uint8)
        for i, d in enumerate(labels):
            r, c = 2 + 12 * (d // 5), 1 + 5 * (d % 5)
            images[i, r : r + 6, c : c + 6] = 255
        return images, labels

    _write_idx(folder, "train", *make(n_train), compress=False)
    _write_idx(folder, "t10k", *make(n_test), compress=True)


def test_mnist_option_reads_an_idx_folder(tmp_path, capsys):
    _synthetic_mnist(str(tmp_path))
    digits.main(["--mnist", str(tmp_path), "--epochs", "2", "--quiet"])
    out = capsys.readouterr().out
    assert f"Data: MNIST ({tmp_path}), 300 training and 100 test images" in out
    # MNIST's own defaults for mlp: batch 64, so 5 steps per epoch.
    assert "2 epochs of 5 steps, batch size 64" in out
    assert _check_report(out, 100) >= 0.9  # the squares are easy to tell apart


def test_mnist_folder_with_a_broken_file_is_an_argument_error(tmp_path, capsys):
    _synthetic_mnist(str(tmp_path))
    with open(tmp_path / "train-labels-idx1-ubyte", "r+b") as f:
        f.truncate(100)
    with pytest.raises(SystemExit) as exc:
        digits.main(["--mnist", str(tmp_path), "--quiet"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --mnist" in err and "train-labels-idx1-ubyte" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--model", "resnet"], "argument --model: invalid choice: 'resnet'"),
        (["--epochs", "0"], "argument --epochs: expected a positive integer, got 0"),
        (["--batch-size", "many"], "argument --batch-size: expected a positive integer"),
        (["--lr", "-0.1"], "argument --lr: expected a positive number, got -0.1"),
        (["--lr", "nan"], "argument --lr: expected a positive number"),
        (["--optimizer", "lbfgs"], "argument --optimizer: invalid choice: 'lbfgs'"),
        (["--augment", "-1"], "argument --augment: expected an integer >= 0, got -1"),
        (["--mnist", "/no/such/folder"], "argument --mnist: '/no/such/folder' is not a directory"),
        (["--lr-schedule", "step"], "argument --lr-schedule: invalid choice: 'step'"),
        (["--epoch", "x"], "argument --epochs: expected a positive integer, got 'x'"),
        (["--seed", "4294967296"], "argument --seed: expected an integer below 2**32"),
        (["--save", "/no/such/dir/m.ckpt"], "--save: the folder of '/no/such/dir/m.ckpt' does not"),
    ],
)
def test_bad_options_are_argparse_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        digits.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: minispore-digits")
    assert message in err


def test_plot_writes_a_png(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    path = tmp_path / "curves.png"
    digits.main(["--epochs", "3", "--limit", "64", "--quiet", "--plot", str(path)])
    assert f"Saved the curves to {path}" in capsys.readouterr().out
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (900, 360)


def test_plot_without_matplotlib_names_the_plot_extra(monkeypatch, tmp_path, capsys):
    real = digits.importlib.util.find_spec
    monkeypatch.setattr(
        digits.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "matplotlib" else real(name, *a),
    )
    with pytest.raises(SystemExit) as exc:
        digits.main(["--plot", str(tmp_path / "curves.png")])
    assert exc.value.code == 2
    assert 'pip install "minispore[plot]"' in capsys.readouterr().err
    assert not (tmp_path / "curves.png").exists()


def test_curves_hold_one_loss_and_accuracy_per_epoch(monkeypatch, capsys):
    recorded = {}
    # Neither matplotlib nor a file is needed: the curves are caught before they are drawn.
    monkeypatch.setattr(digits, "_check_plot_support", lambda parser: None)
    monkeypatch.setattr(
        digits, "plot_curves", lambda path, loss, acc, title: recorded.update(loss=loss, acc=acc)
    )
    digits.main(["--epochs", "3", "--limit", "200", "--quiet", "--plot", "unused.png"])
    final = float(ACCURACY.findall(capsys.readouterr().out)[0][0]) / 100
    assert len(recorded["loss"]) == len(recorded["acc"]) == 3
    assert recorded["loss"][-1] < recorded["loss"][0]
    # The last epoch's validation is the final model's accuracy.
    assert recorded["acc"][-1] == pytest.approx(final, abs=5e-5)


def test_format_confusion_matrix_aligns_counts():
    text = digits.format_confusion_matrix(np.array([[1000, 2], [3, 4]]))
    assert text.splitlines()[1:] == [
        "         0    1",
        "    0 1000    2",
        "    1    3    4",
    ]


def test_the_networks_take_mnist_shaped_batches():
    import minispore as ms

    x = ms.Tensor(np.zeros((2, 1, 28, 28), np.float32))
    for name, make in MODELS.items():
        assert make()(x).shape == (2, 10), name
    sizes = [p.shape for p in MODELS["mlp"]().trainable_params()]
    assert sizes == [(512, 784), (512,), (512, 512), (512,), (10, 512), (10,)]
    lenet = [p.shape for p in MODELS["lenet"]().trainable_params()]
    assert lenet[:3] == [(6, 1, 5, 5), (16, 6, 5, 5), (120, 256)]


def test_console_script_and_extras_are_declared():
    tomllib = pytest.importorskip("tomllib")
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    assert project["scripts"]["minispore-digits"] == "minispore.examples.digits:main"
    extras = project["optional-dependencies"]
    assert {re.split("[<>=]", r)[0] for r in extras["examples"]} == {
        "scikit-learn",
        "tqdm",
        "threadpoolctl",
    }
    assert {re.split("[<>=]", r)[0] for r in extras["plot"]} == {"matplotlib"}


@pytest.mark.slow
def test_default_mlp_meets_its_accuracy_target(capsys):
    digits.main(["--quiet"])
    assert _check_report(capsys.readouterr().out, 355) >= 0.97
