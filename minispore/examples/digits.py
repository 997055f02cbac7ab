"""minispore's main job: train a handwritten-digit classifier and report its test accuracy.

`minispore-digits` (or `python -m minispore.examples.digits`) trains one of three networks on
the digits bundled with scikit-learn, placed on a 28x28 canvas (or on MNIST with `--mnist DIR`),
the MindSpore way: a `mindspore.dataset` pipeline and `mindspore.train.Model` with a progress
bar. It prints the test accuracy and the 10x10 confusion matrix. Run it with `--help`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import sys
import time
from dataclasses import dataclass

import numpy as np

import minispore as mindspore
from minispore import nn
from minispore.examples.digits_models import MODELS
from minispore.train import Callback

DESCRIPTIONS = {
    "mlp": "784-512-512-10 ReLU MLP (MindSpore's quick start)",
    "sigmoid": "784-16-16-10 sigmoid MLP (the seed's network)",
    "lenet": "LeNet-5 (MindSpore's LeNet on 28x28)",
}

OPTIMIZERS = ("sgd", "momentum", "adam")


@dataclass(frozen=True)
class Hyper:
    """A model's default training settings; `augment` is the random shift, in pixels."""

    epochs: int
    batch_size: int
    lr: float
    optimizer: str
    augment: int


# Chosen so that each model, with no options, meets its target on the bundled test split within
# a minute on a 2-core machine, for every seed tried (docs/digits.md lists the measurements).
DEFAULTS = {
    "mlp": Hyper(epochs=30, batch_size=32, lr=0.01, optimizer="momentum", augment=2),
    "sigmoid": Hyper(epochs=30, batch_size=32, lr=0.1, optimizer="momentum", augment=0),
    "lenet": Hyper(epochs=20, batch_size=32, lr=0.03, optimizer="momentum", augment=2),
}
# MNIST has 60,000 training images (the bundled set 1,442): fewer, larger-batch epochs.
MNIST_DEFAULTS = {
    "mlp": Hyper(epochs=5, batch_size=64, lr=0.01, optimizer="momentum", augment=0),
    "sigmoid": Hyper(epochs=5, batch_size=32, lr=0.1, optimizer="momentum", augment=0),
    "lenet": Hyper(epochs=5, batch_size=64, lr=0.03, optimizer="momentum", augment=0),
}
# Without --lr, another optimizer than the model's default gets a rate that suits it: plain SGD
# about ten times momentum's (momentum 0.9 multiplies the steps by up to 10), Adam its usual size.
OTHER_LRS = {
    "mlp": {"sgd": 0.1, "adam": 0.001},
    "sigmoid": {"sgd": 1.0, "adam": 0.01},
    "lenet": {"sgd": 0.2, "adam": 0.002},
}

# MNIST's pixel mean and standard deviation, as MindSpore's LeNet and quick-start pipelines use.
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


# --------------------------------------------------------------------------------------------
# Command line.


def _int_at_least(text: str, minimum: int, expected: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {value}")
    return value


def _positive_int(text: str) -> int:
    return _int_at_least(text, 1, "a positive integer")


def _non_negative_int(text: str) -> int:
    return _int_at_least(text, 0, "an integer >= 0")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def _seed(text: str) -> int:
    value = _non_negative_int(text)
    if value > 2**32 - 1:
        raise argparse.ArgumentTypeError(f"expected an integer below 2**32, got {value}")
    return value


def _output_file(text: str) -> str:
    folder = os.path.dirname(os.path.abspath(text))
    if not os.path.isdir(folder):
        raise argparse.ArgumentTypeError(f"the folder of {text!r} does not exist")
    return text


def _directory(text: str) -> str:
    if not os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a directory")
    return text


def build_parser() -> argparse.ArgumentParser:
    """The `minispore-digits` argument parser."""
    defaults = "; ".join(
        f"{name}: {h.epochs} epochs, batch {h.batch_size}, {h.optimizer} lr {h.lr:g}"
        + (f", shift {h.augment}" if h.augment else "")
        for name, h in DEFAULTS.items()
    )
    parser = argparse.ArgumentParser(
        prog="minispore-digits",
        description=(
            "Train a handwritten-digit classifier with minispore (the MindSpore API on NumPy) "
            "and print its test accuracy and confusion matrix. Data: the 1,797 digits bundled "
            "with scikit-learn on a 28x28 canvas, or MNIST with --mnist."
        ),
        epilog=f"Defaults per model on the bundled digits: {defaults}.",
    )
    parser.add_argument(
        "--model", choices=tuple(MODELS), default="mlp", help="the network (default: mlp)"
    )
    parser.add_argument("--epochs", type=_positive_int, help="training epochs (default: per model)")
    parser.add_argument(
        "--batch-size", type=_positive_int, help="images per step (default: per model)"
    )
    parser.add_argument(
        "--lr", type=_positive_float, help="initial learning rate (default: per model)"
    )
    parser.add_argument(
        "--lr-schedule",
        choices=("cosine", "constant"),
        default="cosine",
        help="cosine: decay the learning rate to 1%% of --lr over the run (default); "
        "constant: keep it",
    )
    parser.add_argument(
        "--optimizer",
        choices=OPTIMIZERS,
        help="default: per model; without --lr, each optimizer gets a learning rate that suits it",
    )
    parser.add_argument(
        "--augment",
        type=_non_negative_int,
        metavar="PIXELS",
        help="shift training images at random by up to PIXELS (RandomCrop with padding); "
        "0 turns it off (default: per model)",
    )
    parser.add_argument("--seed", type=_seed, default=0, help="random seed (0)")
    parser.add_argument(
        "--mnist",
        type=_directory,
        metavar="DIR",
        help="train and test on MNIST: a folder with the four IDX files (plain or .gz)",
    )
    parser.add_argument(
        "--limit",
        type=_positive_int,
        metavar="N",
        help="train on N images per epoch and test on the first N (quick trials)",
    )
    parser.add_argument(
        "--save",
        type=_output_file,
        metavar="FILE",
        help="save the trained parameters to a MindSpore checkpoint",
    )
    parser.add_argument(
        "--plot",
        type=_output_file,
        metavar="FILE",
        help='plot loss and accuracy per epoch to an image (needs "minispore[plot]")',
    )
    parser.add_argument(
        "--graph",
        type=_output_file,
        metavar="FILE",
        help="draw the training step's forward and backward graph to FILE (.svg, .png need "
        'Graphviz: "minispore[graph]" and the system dot; .dot needs nothing)',
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress bar: print only the results"
    )
    return parser


def _settings(args: argparse.Namespace) -> Hyper:
    """The defaults of the chosen model and data, overridden by the options given."""
    base = (MNIST_DEFAULTS if args.mnist else DEFAULTS)[args.model]
    optimizer = args.optimizer or base.optimizer
    lr = base.lr if optimizer == base.optimizer else OTHER_LRS[args.model][optimizer]
    return Hyper(
        epochs=args.epochs or base.epochs,
        batch_size=args.batch_size or base.batch_size,
        lr=args.lr or lr,
        optimizer=optimizer,
        augment=base.augment if args.augment is None else args.augment,
    )


# --------------------------------------------------------------------------------------------
# Data, the MindSpore way.


def load_sources(mnist_dir: str | None, limit: int | None = None, shuffle: bool = True):
    """The training and test datasets of raw rows `(image HWC uint8, label uint32)`.

    The training rows are shuffled every epoch (as MindSpore's sources by default, from the
    seed given to `mindspore.set_seed`), the test rows are read in order.
    """
    from minispore import dataset as ds

    if mnist_dir is not None:
        train = ds.MnistDataset(mnist_dir, usage="train", shuffle=shuffle, num_samples=limit)
        test = ds.MnistDataset(mnist_dir, usage="test", shuffle=False, num_samples=limit)
    else:
        train = ds.DigitsDataset(usage="train", canvas=28, shuffle=shuffle, num_samples=limit)
        test = ds.DigitsDataset(usage="test", canvas=28, shuffle=False, num_samples=limit)
    return train, test


def create_dataset(source, batch_size: int, augment: int = 0):
    """Map and batch raw rows into `(image float32 (N, 1, 28, 28), label int32 (N,))`.

    The images are shifted at random by up to `augment` pixels (training only), scaled to
    [0, 1], then normalised with MNIST's mean and standard deviation, as MindSpore's LeNet
    tutorial does with two `Rescale`s; labels become int32, as `nn.CrossEntropyLoss` wants.
    """
    from minispore.dataset import transforms, vision

    image_ops = [vision.RandomCrop(28, padding=augment)] if augment else []
    image_ops += [
        vision.Rescale(1.0 / 255.0, 0.0),
        vision.Rescale(1.0 / MNIST_STD, -MNIST_MEAN / MNIST_STD),
        vision.HWC2CHW(),
    ]
    dataset = source.map(operations=image_ops, input_columns="image")
    dataset = dataset.map(operations=transforms.TypeCast(mindspore.int32), input_columns="label")
    return dataset.batch(batch_size)


# --------------------------------------------------------------------------------------------
# Training.


def make_optimizer(name: str, params, lr, momentum: float = 0.9):
    """`nn.SGD`, `nn.Momentum` (momentum 0.9) or `nn.Adam` with learning rate `lr` (a float or a
    list with one value per step)."""
    if name == "sgd":
        return nn.SGD(params, learning_rate=lr)
    if name == "momentum":
        return nn.Momentum(params, learning_rate=lr, momentum=momentum)
    if name == "adam":
        return nn.Adam(params, learning_rate=lr)
    raise ValueError(f"For 'make_optimizer', 'name' must be one of {OPTIMIZERS}, but got {name!r}")


def _learning_rate(lr: float, schedule: str, steps_per_epoch: int, epochs: int):
    if schedule == "constant":
        return lr
    total = steps_per_epoch * epochs
    # NOTE: decayed per epoch, to 1% of the initial rate, over the run.
    return nn.cosine_decay_lr(lr * 0.01, lr, total, steps_per_epoch, epochs)


class Curves(Callback):
    """Records, per epoch, the mean training loss and the test accuracy `Model.fit` measured."""

    def __init__(self):
        super().__init__()
        self.loss, self.accuracy = [], []
        self._sum = self._count = 0

    def on_train_epoch_begin(self, run_context):
        self._sum = self._count = 0

    def on_train_step_end(self, run_context):
        self._sum += float(np.mean(run_context.original_args().net_outputs.asnumpy()))
        self._count += 1

    def on_train_epoch_end(self, run_context):
        metrics = run_context.original_args().get("metrics") or {}
        self.loss.append(self._sum / max(self._count, 1))
        self.accuracy.append(metrics.get("accuracy"))


# --------------------------------------------------------------------------------------------
# Reporting.


def format_confusion_matrix(matrix) -> str:
    """A confusion matrix as text: rows are the true digits, columns the predicted ones."""
    counts = np.asarray(matrix).astype(np.int64)
    n = counts.shape[0]
    width = max(3, len(str(int(counts.max(initial=0))))) + 1
    lines = ["Confusion matrix (rows: true digit, columns: predicted digit):"]
    lines.append(" " * 5 + "".join(f"{j:>{width}}" for j in range(n)))
    for i in range(n):
        lines.append(f"{i:>5}" + "".join(f"{c:>{width}}" for c in counts[i]))
    return "\n".join(lines)


def plot_curves(path: str, loss: list[float], accuracy: list[float | None], title: str) -> None:
    """Save the training loss and test accuracy per epoch as an image (matplotlib's `Figure`,
    so no GUI backend is involved)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    epochs = np.arange(1, len(loss) + 1)
    fig = Figure(figsize=(9, 3.6), layout="constrained")
    ax_loss, ax_acc = fig.subplots(1, 2)
    ax_loss.plot(epochs, loss, marker="o", markersize=3)
    ax_loss.set(xlabel="epoch", ylabel="mean training loss", yscale="log", title="Loss")
    acc = [np.nan if a is None else 100 * a for a in accuracy]
    ax_acc.plot(epochs, acc, marker="o", markersize=3, color="tab:green")
    ax_acc.set(xlabel="epoch", ylabel="test accuracy (%)", title="Accuracy")
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle(title)
    fig.savefig(path, dpi=100)


def _check_plot_support(parser: argparse.ArgumentParser) -> None:
    if importlib.util.find_spec("matplotlib") is None:
        parser.error(
            '--plot needs matplotlib, which is not installed: pip install "minispore[plot]" '
            "(or pip install matplotlib)"
        )


def _check_data_support(parser: argparse.ArgumentParser, mnist: bool) -> None:
    if not mnist and importlib.util.find_spec("sklearn") is None:
        parser.error(
            "the bundled digits come with scikit-learn, which is not installed: "
            'pip install "minispore[examples]" (or use --mnist DIR)'
        )


# --------------------------------------------------------------------------------------------
# The program.


def draw_training_step(net, loss_fn, dataset, path: str) -> None:
    """Draw the loss of one batch and its gradients w.r.t. the weights (`make_graph`); drawing
    runs the step once and restores the parameters, so training is unaffected."""
    images, labels = next(dataset.create_tuple_iterator())

    def forward_fn(images, labels):
        loss = loss_fn(net(images), labels)
        return loss

    net.set_train()
    graph = mindspore.make_graph(
        forward_fn,
        images,
        labels,
        backward=True,
        grad_position=None,
        weights=net.trainable_params(),
    )
    graph.render(path)
    print(f"Saved the training step's graph ({len(graph.graph.eqns)} equations) to {path}")


def _one_blas_thread():
    """Limit BLAS to one thread while training, when threadpoolctl (scikit-learn's dependency)
    is installed. NOTE: these matrices are small (batch 32): a second OpenBLAS thread gains
    little on an idle machine and, on a busy 2-core one, spinning threads made the default run
    18x slower (76 s against 4.1 s, measured)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def main(argv: list[str] | None = None) -> int:
    """Run `minispore-digits` with the arguments `argv` (default: the command line's)."""
    with _one_blas_thread():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    from minispore.train import ConfusionMatrix, Model, ProgressBar

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.plot:
        _check_plot_support(parser)
    _check_data_support(parser, args.mnist is not None)
    hyper = _settings(args)

    mindspore.set_seed(args.seed)
    try:
        train_source, test_source = load_sources(args.mnist, args.limit)
        n_train, n_test = train_source.get_dataset_size(), test_source.get_dataset_size()
    except RuntimeError as e:  # MnistDataset's errors name the file and what is wrong with it
        parser.error(f"argument --mnist: {e}")
    train_ds = create_dataset(train_source, hyper.batch_size, hyper.augment)
    test_ds = create_dataset(test_source, hyper.batch_size)
    steps_per_epoch = train_ds.get_dataset_size()

    net = MODELS[args.model]()
    loss_fn = nn.CrossEntropyLoss()
    lr = _learning_rate(hyper.lr, args.lr_schedule, steps_per_epoch, hyper.epochs)
    optimizer = make_optimizer(hyper.optimizer, net.trainable_params(), lr)
    model = Model(net, loss_fn, optimizer, metrics={"accuracy"})

    data = f"MNIST ({args.mnist})" if args.mnist else "the bundled digits (28x28 canvas)"
    print(f"Model: {args.model}, {DESCRIPTIONS[args.model]}")
    print(f"Data: {data}, {n_train} training and {n_test} test images")
    epochs = f"{hyper.epochs} epoch" + ("s" if hyper.epochs != 1 else "")
    print(
        f"Training: {epochs} of {steps_per_epoch} steps, batch size {hyper.batch_size}, "
        f"{hyper.optimizer} lr {hyper.lr:g} ({args.lr_schedule}), random shift "
        f"{hyper.augment} px, seed {args.seed}",
        flush=True,
    )

    if args.graph:
        draw_training_step(net, loss_fn, test_ds, args.graph)

    curves = Curves()
    # Without tqdm the bar falls back to one plain line per epoch.
    live = None if importlib.util.find_spec("tqdm") else False
    callbacks = [curves] if args.quiet else [ProgressBar(dynamic=live), curves]
    start = time.perf_counter()
    model.fit(hyper.epochs, train_ds, test_ds, valid_frequency=1, callbacks=callbacks)
    seconds = time.perf_counter() - start

    accuracy = model.eval(test_ds)["accuracy"]
    confusion = ConfusionMatrix(num_classes=10)
    for images, labels in test_ds.create_tuple_iterator():
        confusion.update(model.predict(images), labels)
    matrix = confusion.eval().astype(np.int64)
    correct, total = int(np.trace(matrix)), int(matrix.sum())
    print(f"Trained in {seconds:.1f} s")
    print(f"Test accuracy: {100 * accuracy:.2f}% ({correct} of {total})")
    print(format_confusion_matrix(matrix))

    if args.save:
        mindspore.save_checkpoint(net, args.save)
        print(f"Saved the parameters to {args.save}")
    if args.plot:
        title = f"minispore-digits --model {args.model} (seed {args.seed})"
        plot_curves(args.plot, curves.loss, curves.accuracy, title)
        print(f"Saved the curves to {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
