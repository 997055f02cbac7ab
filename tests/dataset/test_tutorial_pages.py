"""MindSpore 2.x's beginner "Data Loading and Processing" and "Quick Start" pages, run as written
with minispore on a small synthetic MNIST (IDX files written by the test).

The page code is copied as is, apart from `minispore` in the imports, the download lines (the
data are written instead), the MindRecord section of the dataset page (`MindDataset` and
`FileWriter` are not part of minispore) and one training epoch instead of three. What the pages
print is checked where it does not depend on random weights or orders; dtypes are those of
MindSpore 2.10 on Linux (NumPy's default integer is Int64 there; the page shows a Windows run
with Int32).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import minispore as mindspore
from minispore import nn
from tests.dataset.idx_files import write_mnist


@pytest.fixture
def mnist_data(tmp_path, monkeypatch):
    """MindSpore's download layout: MNIST_Data/train and MNIST_Data/test, 320 + 128 images."""
    write_mnist(tmp_path / "MNIST_Data", n_train=320, n_test=128, seed=0, subdirs=True)
    monkeypatch.chdir(tmp_path)
    mindspore.set_seed(1)
    return tmp_path


# ------------------------------------------------------------------------------------------
# beginner/dataset: "Data Loading and Processing"


def test_dataset_page_customizing_dataset(capsys):
    from minispore.dataset import GeneratorDataset

    # Random-accessible object as input source
    class RandomAccessDataset:
        def __init__(self):
            self._data = np.ones((5, 2))
            self._label = np.zeros((5, 1))

        def __getitem__(self, index):
            return self._data[index], self._label[index]

        def __len__(self):
            return len(self._data)

    loader = RandomAccessDataset()
    dataset = GeneratorDataset(source=loader, column_names=["data", "label"])

    for data in dataset:
        print(data)

    line = (
        "[Tensor(shape=[2], dtype=Float64, value= [ 1.00000000e+00,  1.00000000e+00]), "
        "Tensor(shape=[1], dtype=Float64, value= [ 0.00000000e+00])]"
    )
    assert capsys.readouterr().out == (line + "\n") * 5

    # list, tuple are also supported.
    loader = [np.array(0), np.array(1), np.array(2)]
    dataset = GeneratorDataset(source=loader, column_names=["data"])

    for data in dataset:
        print(data)

    lines = capsys.readouterr().out.splitlines()  # shuffled: the page shows 2, 0, 1
    assert sorted(lines) == [f"[Tensor(shape=[], dtype=Int64, value= {i})]" for i in range(3)]

    # Iterator as input source
    class IterableDataset:
        def __init__(self, start, end):
            """init the class object to hold the data"""
            self.start = start
            self.end = end

        def __next__(self):
            """iter one data and return"""
            return next(self.data)

        def __iter__(self):
            """reset the iter"""
            self.data = iter(range(self.start, self.end))
            return self

    loader = IterableDataset(1, 5)
    dataset = GeneratorDataset(source=loader, column_names=["data"])

    for d in dataset:
        print(d)

    expected = "".join(f"[Tensor(shape=[], dtype=Int64, value= {i})]\n" for i in range(1, 5))
    assert capsys.readouterr().out == expected

    # Generator
    def my_generator(start, end):
        yield from range(start, end)

    # since a generator instance can be only itered once, we need to wrapper it by lambda to
    # generate multiple instances
    dataset = GeneratorDataset(source=lambda: my_generator(3, 6), column_names=["data"])

    for d in dataset:
        print(d)

    expected = "".join(f"[Tensor(shape=[], dtype=Int64, value= {i})]\n" for i in range(3, 6))
    assert capsys.readouterr().out == expected


def test_dataset_page_common_datasets_and_transforms(mnist_data, capsys):
    from minispore import dtype as mstype
    from minispore.dataset import MnistDataset, transforms, vision

    train_dataset = MnistDataset("MNIST_Data/train", shuffle=False)
    print(type(train_dataset))
    assert capsys.readouterr().out == "<class 'minispore.dataset.mnist.MnistDataset'>\n"

    train_dataset = MnistDataset("MNIST_Data/train")
    train_dataset = train_dataset.map(
        operations=[
            vision.Rescale(1.0 / 255.0, 0),
            vision.Normalize(mean=(0.1307,), std=(0.3081,)),
            vision.HWC2CHW(),
        ],
        input_columns=["image"],
    )
    train_dataset = train_dataset.map(
        operations=[transforms.TypeCast(mstype.int32)], input_columns=["label"]
    )
    for data in train_dataset:
        print(data[0].shape, data[0].dtype)
        print(data[1].shape, data[1].dtype)
        break
    assert capsys.readouterr().out == "(1, 28, 28) Float32\n() Int32\n"

    train_dataset = MnistDataset("MNIST_Data/train")

    def rescale_normalize_hwc2chw(input_col):
        trans_result = input_col / 255.0
        trans_result = (trans_result - 0.1307) / 0.3081
        trans_result = trans_result.transpose(2, 0, 1)
        return trans_result.astype(np.float32)

    train_dataset = train_dataset.map(operations=rescale_normalize_hwc2chw, input_columns=["image"])

    def typecast(input_col):
        trans_result = input_col.astype(np.int32)
        return trans_result

    train_dataset = train_dataset.map(operations=typecast, input_columns=["label"])
    for data in train_dataset:
        print(data[0].shape, data[0].dtype)
        print(data[1].shape, data[1].dtype)
        break
    assert capsys.readouterr().out == "(1, 28, 28) Float32\n() Int32\n"


def test_dataset_page_visualize(mnist_data):
    plt = pytest.importorskip("matplotlib.pyplot")
    from minispore.dataset import MnistDataset

    plt.switch_backend("Agg")
    train_dataset = MnistDataset("MNIST_Data/train", shuffle=False)

    def visualize(dataset):
        figure = plt.figure(figsize=(4, 4))
        cols, rows = 3, 3

        plt.subplots_adjust(wspace=0.5, hspace=0.5)

        for idx, (image, label) in enumerate(dataset.create_tuple_iterator()):
            figure.add_subplot(rows, cols, idx + 1)
            plt.title(int(label))
            plt.axis("off")
            plt.imshow(image.asnumpy().squeeze(), cmap="gray")
            if idx == cols * rows - 1:
                break
        plt.show()
        return figure

    figure = visualize(train_dataset)
    assert len(figure.axes) == 9
    plt.close(figure)


def test_dataset_page_batch_and_iterators(capsys):
    from minispore.dataset import NumpySlicesDataset

    data = ([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]], [0, 1, 0, 1, 0, 1])
    dataset = NumpySlicesDataset(data=data, column_names=["data", "label"], shuffle=False)
    dataset = dataset.batch(2)
    for data in dataset.create_tuple_iterator():
        print(data[0].shape, data[1].shape)
    assert capsys.readouterr().out == "(2, 2) (2,)\n" * 3

    data = ([1, 2, 3, 4, 5, 6, 7, 8], [0, 1, 0, 1, 0, 1, 0, 1])
    dataset = NumpySlicesDataset(data=data, column_names=["data", "label"], shuffle=False)
    dataset = dataset.map(lambda x: x * 2, input_columns=["data"])
    dataset = dataset.batch(2)
    for data in dataset.create_tuple_iterator():
        print(data)
    expected = "".join(
        f"[Tensor(shape=[2], dtype=Int64, value= [{a}, {a + 2}]), "
        "Tensor(shape=[2], dtype=Int64, value= [0, 1])]\n"
        for a in (2, 6, 10, 14)
    )
    assert capsys.readouterr().out == expected

    data = ([1, 2, 3, 4, 5, 6, 7, 8], [0, 1, 0, 1, 0, 1, 0, 1])
    dataset = NumpySlicesDataset(data=data, column_names=["data", "label"], shuffle=False)
    dataset = dataset.map(lambda x: x * 2, input_columns=["data"])
    dataset = dataset.batch(2)
    for data in dataset.create_dict_iterator():
        print(data)
    expected = "".join(
        f"{{'data': Tensor(shape=[2], dtype=Int64, value= [{a}, {a + 2}]), "
        "'label': Tensor(shape=[2], dtype=Int64, value= [0, 1])}\n"
        for a in (2, 6, 10, 14)
    )
    assert capsys.readouterr().out == expected


# ------------------------------------------------------------------------------------------
# beginner/quick_start


def test_quick_start_page(mnist_data, capsys):
    from minispore.dataset import MnistDataset, transforms, vision

    train_dataset = MnistDataset("MNIST_Data/train")
    test_dataset = MnistDataset("MNIST_Data/test")

    print(train_dataset.get_col_names())
    assert capsys.readouterr().out == "['image', 'label']\n"

    def datapipe(dataset, batch_size):
        image_transforms = [
            vision.Rescale(1.0 / 255.0, 0),
            vision.Normalize(mean=(0.1307,), std=(0.3081,)),
            vision.HWC2CHW(),
        ]

        label_transform = transforms.TypeCast(mindspore.int32)

        dataset = dataset.map(image_transforms, "image")
        dataset = dataset.map(label_transform, "label")
        dataset = dataset.batch(batch_size)
        return dataset

    train_dataset = datapipe(train_dataset, 64)
    test_dataset = datapipe(test_dataset, 64)

    for image, label in test_dataset.create_tuple_iterator():
        print(f"Shape of image [N, C, H, W]: {image.shape} {image.dtype}")
        print(f"Shape of label: {label.shape} {label.dtype}")
        break

    for data in test_dataset.create_dict_iterator():
        print(f"Shape of image [N, C, H, W]: {data['image'].shape} {data['image'].dtype}")
        print(f"Shape of label: {data['label'].shape} {data['label'].dtype}")
        break

    shapes = "Shape of image [N, C, H, W]: (64, 1, 28, 28) Float32\nShape of label: (64,) Int32\n"
    assert capsys.readouterr().out == shapes * 2

    # Define model
    class Network(nn.Cell):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.dense_relu_sequential = nn.SequentialCell(
                nn.Dense(28 * 28, 512), nn.ReLU(), nn.Dense(512, 512), nn.ReLU(), nn.Dense(512, 10)
            )

        def construct(self, x):
            x = self.flatten(x)
            logits = self.dense_relu_sequential(x)
            return logits

    model = Network()

    # Instantiate loss function and optimizer
    loss_fn = nn.CrossEntropyLoss()
    optimizer = nn.SGD(model.trainable_params(), 1e-2)

    # 1. Define forward function
    def forward_fn(data, label):
        logits = model(data)
        loss = loss_fn(logits, label)
        return loss, logits

    # 2. Get gradient function
    grad_fn = mindspore.value_and_grad(forward_fn, None, optimizer.parameters, has_aux=True)

    # 3. Define function of one-step training
    def train_step(data, label):
        (loss, _), grads = grad_fn(data, label)
        optimizer(grads)
        return loss

    def train(model, dataset):
        size = dataset.get_dataset_size()
        model.set_train()
        for batch, (data, label) in enumerate(dataset.create_tuple_iterator()):
            loss = train_step(data, label)

            if batch % 100 == 0:
                loss, current = loss.asnumpy(), batch
                print(f"loss: {loss:>7f}  [{current:>3d}/{size:>3d}]")

    def test(model, dataset, loss_fn):
        num_batches = dataset.get_dataset_size()
        model.set_train(False)
        total, test_loss, correct = 0, 0, 0
        for data, label in dataset.create_tuple_iterator():
            pred = model(data)
            total += len(data)
            test_loss += loss_fn(pred, label).asnumpy()
            correct += (pred.argmax(1) == label).asnumpy().sum()
        test_loss /= num_batches
        correct /= total
        print(f"Test: \n Accuracy: {(100 * correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")

    epochs = 1
    for t in range(epochs):
        print(f"Epoch {t + 1}\n-------------------------------")
        train(model, train_dataset)
        test(model, test_dataset, loss_fn)
    print("Done!")

    out = capsys.readouterr().out
    assert out.startswith("Epoch 1\n-------------------------------\nloss: ")
    assert re.search(r"loss: \d\.\d{6}  \[  0/  5\]\n", out), out
    assert re.search(r"Test: \n Accuracy: \d+\.\d%, Avg loss: \d\.\d{6} \n\nDone!\n$", out), out

    # Save checkpoint
    mindspore.save_checkpoint(model, "model.ckpt")
    print("Saved Model to model.ckpt")

    # Instantiate a random initialized model
    model = Network()
    # Load checkpoint and load parameter to model
    param_dict = mindspore.load_checkpoint("model.ckpt")
    param_not_load, _ = mindspore.load_param_into_net(model, param_dict)
    print(param_not_load)
    assert capsys.readouterr().out == "Saved Model to model.ckpt\n[]\n"

    model.set_train(False)
    for data, label in test_dataset:
        pred = model(data)
        predicted = pred.argmax(1)
        print(f'Predicted: "{predicted[:10]}", Actual: "{label[:10]}"')
        break
    assert re.fullmatch(
        r'Predicted: "\[\d( \d){9}\]", Actual: "\[\d( \d){9}\]"\n', capsys.readouterr().out
    )
