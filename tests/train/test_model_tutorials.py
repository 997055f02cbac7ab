"""MindSpore 2.x's "Model" tutorial pages (advanced/model: Model, Callback Mechanism, Evaluation
Metrics) run as written with minispore, on small synthetic data instead of the MNIST download.

The page code is copied as is, apart from `import minispore as mindspore` and the download
lines; MNIST is replaced by a few hundred synthetic 28x28 "digits" written as IDX files in
MindSpore's `MNIST_Data/train` and `MNIST_Data/test` layout.
"""

from __future__ import annotations

import re
import struct

import numpy as np
import pytest

try:
    from minispore.dataset import MnistDataset, transforms, vision
except ImportError:  # minispore.dataset is written alongside this work
    pytest.skip("minispore.dataset is not available", allow_module_level=True)

import minispore as mindspore  # noqa: E402
from minispore import nn  # noqa: E402
from minispore.train import CheckpointConfig, LossMonitor, Model, ModelCheckpoint  # noqa: E402


def _write_idx(folder, prefix, n, seed):
    """`n` noisy images of 10 classes, each class a bright square at its own place."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n).astype(np.uint8)
    images = rng.integers(0, 60, (n, 28, 28)).astype(np.uint8)
    for i, c in enumerate(labels):
        r, col = 3 + 8 * (c // 4), 3 + 6 * (c % 4)
        images[i, r : r + 6, col : col + 5] = 255
    folder.mkdir(parents=True)
    (folder / f"{prefix}-images-idx3-ubyte").write_bytes(
        struct.pack(">IIII", 2051, n, 28, 28) + images.tobytes()
    )
    (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(
        struct.pack(">II", 2049, n) + labels.tobytes()
    )


@pytest.fixture
def mnist(tmp_path, monkeypatch):
    _write_idx(tmp_path / "MNIST_Data" / "train", "train", 192, 0)
    _write_idx(tmp_path / "MNIST_Data" / "test", "t10k", 64, 1)
    monkeypatch.chdir(tmp_path)
    mindspore.set_seed(1)
    return tmp_path


def datapipe(path, batch_size):
    image_transforms = [
        vision.Rescale(1.0 / 255.0, 0),
        vision.Normalize(mean=(0.1307,), std=(0.3081,)),
        vision.HWC2CHW(),
    ]
    label_transform = transforms.TypeCast(mindspore.int32)

    dataset = MnistDataset(path)
    dataset = dataset.map(image_transforms, "image")
    dataset = dataset.map(label_transform, "label")
    dataset = dataset.batch(batch_size)
    return dataset


class Network(nn.Cell):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.dense_relu_sequential = nn.SequentialCell(
            nn.Dense(28 * 28, 512),
            nn.ReLU(),
            nn.Dense(512, 512),
            nn.ReLU(),
            nn.Dense(512, 10),
        )

    def construct(self, x):
        x = self.flatten(x)
        logits = self.dense_relu_sequential(x)
        return logits


LOSS_LINE = re.compile(r"epoch: (\d+) step: (\d+), loss is (\d+\.\d+(e-\d+)?)")
EVAL_LINE = re.compile(r"Eval result: epoch (\d+), metrics: \{'accuracy': (\d\.\d+|1\.0)\}")


def test_model_page(mnist, capsys):
    train_dataset = datapipe("MNIST_Data/train", 64)
    test_dataset = datapipe("MNIST_Data/test", 64)
    model = Network()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = nn.SGD(model.trainable_params(), 1e-2)

    steps_per_epoch = train_dataset.get_dataset_size()
    config = CheckpointConfig(save_checkpoint_steps=steps_per_epoch)

    ckpt_callback = ModelCheckpoint(prefix="mnist", directory="./checkpoint", config=config)
    loss_callback = LossMonitor(steps_per_epoch)

    trainer = Model(model, loss_fn=loss_fn, optimizer=optimizer, metrics={"accuracy"})

    trainer.fit(10, train_dataset, test_dataset, callbacks=[ckpt_callback, loss_callback])

    acc = trainer.eval(test_dataset)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 20
    losses = [LOSS_LINE.fullmatch(s) for s in lines[0::2]]
    evals = [EVAL_LINE.fullmatch(s) for s in lines[1::2]]
    assert all(losses) and all(evals), lines
    assert [(int(m[1]), int(m[2])) for m in losses] == [(e, 3) for e in range(1, 11)]
    accuracies = [float(m[2]) for m in evals]
    assert accuracies[-1] == acc["accuracy"] > max(0.9, accuracies[0])
    assert float(losses[-1][3]) < float(losses[0][3])
    names = sorted(
        (mnist / "checkpoint").iterdir(), key=lambda p: int(p.stem.split("-")[1].split("_")[0])
    )
    assert [p.name for p in names] == [f"mnist-{e}_3.ckpt" for e in range(6, 11)]


def test_callback_page(mnist, capsys):
    import time

    import minispore as ms
    from minispore.train import TimeMonitor

    model = Network()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = nn.SGD(model.trainable_params(), 1e-2)
    train_dataset = datapipe("MNIST_Data/train", 64)
    test_dataset = datapipe("MNIST_Data/test", 64)

    trainer = Model(model, loss_fn=loss_fn, optimizer=optimizer, metrics={"accuracy"})

    config = CheckpointConfig(save_checkpoint_steps=1875, keep_checkpoint_max=10)
    ckpt_callback = ModelCheckpoint(prefix="mnist", directory="./checkpoint", config=config)
    trainer.train(1, train_dataset, callbacks=[ckpt_callback])
    assert sorted(p.name for p in (mnist / "checkpoint").iterdir()) == ["mnist-1_3.ckpt"]

    loss_monitor = LossMonitor(300)
    trainer.train(1, train_dataset, callbacks=[loss_monitor])
    trainer.fit(1, train_dataset, test_dataset, callbacks=[loss_monitor])
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and EVAL_LINE.fullmatch(out[0])  # 5 steps: no loss line at 300

    time_monitor = TimeMonitor()
    trainer.train(1, train_dataset, callbacks=[time_monitor])
    out = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"Train epoch time: \d+\.\d{3} ms, per step time: \d+\.\d{3} ms", out[0])

    class StopTimeMonitor(ms.train.Callback):
        def __init__(self, run_time):
            """Define the initialization process."""
            super(StopTimeMonitor, self).__init__()  # noqa: UP008  (the page's code)
            self.run_time = run_time  # Define the execution time.

        def on_train_begin(self, run_context):
            """Operations when training is started."""
            cb_params = run_context.original_args()
            cb_params.init_time = (
                time.time()
            )  # Obtain the current timestamp as the training start time.
            print(f"Begin training, time is: {cb_params.init_time}")

        def on_train_step_end(self, run_context):
            """Operations after each step ends."""
            cb_params = run_context.original_args()
            epoch_num = cb_params.cur_epoch_num  # Obtain the epoch value.
            step_num = cb_params.cur_step_num  # Obtain the step value.
            loss = cb_params.net_outputs  # Obtain the loss value.
            cur_time = time.time()  # Obtain the current timestamp.

            if (cur_time - cb_params.init_time) > self.run_time:
                print(
                    f"End training, time: {cur_time}, epoch: {epoch_num}, step: {step_num}, loss:{loss}"
                )
                run_context.request_stop()  # Stop training.

    datasize = train_dataset.get_dataset_size()
    trainer.train(5, train_dataset, callbacks=[LossMonitor(datasize), StopTimeMonitor(0)])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Begin training, time is: ")
    assert re.fullmatch(r"End training, time: [\d.]+, epoch: 1, step: 1, loss:.*", out[1])
    assert len(out) == 2  # stopped after the first step

    class SaveCkptMonitor(ms.train.Callback):
        """Define the initialization process."""

        def __init__(self, loss):
            super(SaveCkptMonitor, self).__init__()  # noqa: UP008
            self.loss = loss  # Defines the loss threshold.

        def on_train_step_end(self, run_context):
            """Define the operation to be performed when a step ends."""
            cb_params = run_context.original_args()
            cur_loss = cb_params.net_outputs.asnumpy()  # Obtain the current loss value.

            # If the current loss value is less than the preset threshold, the training stops.
            if cur_loss < self.loss:
                # Name the file to be saved.
                file_name = f"./checkpoint/{cb_params.cur_epoch_num}_{cb_params.cur_step_num}.ckpt"
                # Save the network model.
                ms.save_checkpoint(save_obj=cb_params.train_network, ckpt_file_name=file_name)
                print(
                    "Saved checkpoint, loss:{:8.7f}, current step num:{:4}.".format(  # noqa: UP032
                        cur_loss, cb_params.cur_step_num
                    )
                )

    trainer.train(1, train_dataset, callbacks=[SaveCkptMonitor(100.0)])
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and re.fullmatch(
        r"Saved checkpoint, loss:\d\.\d{7}, current step num:   1\.", out[0]
    )
    assert (mnist / "checkpoint" / "1_3.ckpt").is_file()


def test_metric_page(capsys):
    import minispore as ms
    from minispore import dataset as ds
    from minispore.train import MAE

    class MyMAE(ms.train.Metric):
        def __init__(self):
            super(MyMAE, self).__init__()  # noqa: UP008
            self.clear()

        def clear(self):
            """Initialize variables _abs_error_sum and _samples_num."""
            self._abs_error_sum = 0  # Save error sum.
            self._samples_num = 0  # Accumulated data volume.

        def update(self, *inputs):
            """Update _abs_error_sum and _samples_num."""
            y_pred = inputs[0].asnumpy()
            y = inputs[1].asnumpy()

            # Compute the absolute error between the predicted value and the actual value.
            abs_error_sum = np.abs(y - y_pred)
            self._abs_error_sum += abs_error_sum.sum()

            # Total number of samples
            self._samples_num += y.shape[0]

        def eval(self):
            """Compute the final evaluation result."""
            return self._abs_error_sum / self._samples_num

    # The network has two outputs.
    y_pred = ms.Tensor(np.array([[0.1, 0.2, 0.6, 0.9], [0.1, 0.2, 0.6, 0.9]]), ms.float32)
    y = ms.Tensor(np.array([[0.1, 0.25, 0.7, 0.9], [0.1, 0.25, 0.7, 0.9]]), ms.float32)

    error = MyMAE()
    error.clear()
    error.update(y_pred, y)
    result = error.eval()
    print(result)
    # The page prints 0.1499999612569809 (NumPy 1 promotes the float32 sum to float64; NumPy 2
    # keeps float32): the same number to float32 precision.
    assert float(capsys.readouterr().out) == pytest.approx(0.1499999612569809, rel=1e-6)

    np.random.seed(0)

    def get_data(num, w=2.0, b=3.0):
        """Generate data and corresponding labels."""
        for _ in range(num):
            x = np.random.uniform(-10.0, 10.0)
            noise = np.random.normal(0, 1)
            y = x * w + b + noise
            yield np.array([x]).astype(np.float32), np.array([y]).astype(np.float32)

    def create_dataset(num_data, batch_size=16):
        """Load the dataset."""
        dataset = ds.GeneratorDataset(list(get_data(num_data)), column_names=["data", "label"])
        dataset = dataset.batch(batch_size)
        return dataset

    net = nn.Dense(1, 1)
    loss_fn = nn.L1Loss()
    optimizer = nn.Momentum(net.trainable_params(), learning_rate=0.005, momentum=0.9)

    # Define a model and use the built-in Accuracy function.
    model = Model(net, loss_fn, optimizer, metrics={"MAE": MAE()})

    train_dataset = create_dataset(num_data=160)
    eval_dataset = create_dataset(num_data=160)
    train_dataset_size = train_dataset.get_dataset_size()

    model.fit(10, train_dataset, eval_dataset, callbacks=LossMonitor(train_dataset_size))
    lines = capsys.readouterr().out.splitlines()
    maes = [
        float(re.fullmatch(r"Eval result: epoch \d+, metrics: \{'MAE': ([\d.]+)\}", s)[1])
        for s in lines[1::2]
    ]
    assert len(maes) == 10 and maes[-1] < 0.5 * maes[0]

    model = Model(net, loss_fn, optimizer, metrics={"MAE": MyMAE()})
    model.fit(10, train_dataset, eval_dataset, callbacks=LossMonitor(train_dataset_size))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 20 and lines[1].startswith("Eval result: epoch 1, metrics: {'MAE': ")
