"""MnistDataset on IDX files the tests write: plain and gzipped, usages, and broken files."""

from __future__ import annotations

import gzip
import os
import struct

import numpy as np
import pytest

import minispore.dataset as ds
from tests.dataset.idx_files import idx_bytes, write_idx, write_mnist


def read(dataset):
    images, labels = [], []
    for image, label in dataset.create_tuple_iterator(output_numpy=True):
        images.append(image)
        labels.append(label)
    return np.stack(images), np.stack(labels)


@pytest.mark.parametrize("gz", [False, True])
def test_reads_each_usage_in_mindspores_order(tmp_path, gz):
    data = write_mnist(tmp_path, n_train=6, n_test=4, seed=1, gz=gz)
    for usage, parts in (("train", ["train"]), ("test", ["test"]), ("all", ["test", "train"])):
        d = ds.MnistDataset(str(tmp_path), usage=usage, shuffle=False)
        images, labels = read(d)
        np.testing.assert_array_equal(images[..., 0], np.concatenate([data[p][0] for p in parts]))
        np.testing.assert_array_equal(labels, np.concatenate([data[p][1] for p in parts]))
        assert images.dtype == np.uint8 and images.shape[1:] == (28, 28, 1)
        assert labels.dtype == np.uint32 and labels.shape[1:] == ()
    assert ds.MnistDataset(tmp_path, shuffle=False).get_dataset_size() == 10  # usage None: all


def test_columns_shuffle_and_num_samples(tmp_path):
    write_mnist(tmp_path, n_train=30, n_test=5, seed=2)
    d = ds.MnistDataset(str(tmp_path), usage="train")
    assert d.get_col_names() == ["image", "label"]
    assert d.output_shapes() == [[28, 28, 1], []]
    firsts = {tuple(read(d)[1].tolist()) for _ in range(3)}
    assert len(firsts) > 1  # shuffled by default
    assert ds.MnistDataset(str(tmp_path), usage="train", num_samples=7).get_dataset_size() == 7


def test_all_reads_whichever_pair_is_present(tmp_path):
    data = write_mnist(tmp_path, n_train=4, n_test=3)
    os.remove(tmp_path / "t10k-images-idx3-ubyte")
    os.remove(tmp_path / "t10k-labels-idx1-ubyte")
    _, labels = read(ds.MnistDataset(str(tmp_path), shuffle=False))
    np.testing.assert_array_equal(labels, data["train"][1])
    with pytest.raises(RuntimeError, match="can't read the data file.*t10k-images-idx3-ubyte"):
        ds.MnistDataset(str(tmp_path), usage="test")


def test_a_missing_companion_file_is_named(tmp_path):
    write_mnist(tmp_path, n_train=4, n_test=3)
    os.remove(tmp_path / "train-labels-idx1-ubyte")
    with pytest.raises(RuntimeError, match="train-labels-idx1-ubyte.*missing"):
        ds.MnistDataset(str(tmp_path), usage="train")


def _images_file(tmp_path, data, gz=False):
    name = tmp_path / "train-images-idx3-ubyte"
    if gz:
        name = tmp_path / "train-images-idx3-ubyte.gz"
        data = gzip.compress(data)
    name.write_bytes(data)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(5))
    return name


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize(
    "mangle, message",
    [
        (lambda b: b[:-100], "truncated"),
        (lambda b: b + b"\0\0", "extra bytes|holds more"),
        (lambda b: b[:10], "header should be 16 bytes"),
        (lambda b: struct.pack(">I", 2049) + b[4:], "should be 2051"),
        (lambda b: struct.pack(">I", 0x0C03) + b[4:], "magic number"),
        (lambda b: b[:4] + struct.pack(">I", 6) + b[8:], "truncated|holds 3920"),
        (lambda b: b[:8] + struct.pack(">II", 20, 20) + b[16:], r"\(28, 28\)"),
    ],
)
def test_broken_image_files_are_refused_with_the_file_name(tmp_path, gz, mangle, message):
    path = _images_file(tmp_path, mangle(idx_bytes(np.zeros((5, 28, 28)))), gz)
    with pytest.raises(RuntimeError, match=message) as info:
        ds.MnistDataset(str(tmp_path), usage="train")
    assert str(path) in str(info.value)


def test_a_huge_declared_count_is_refused_before_allocating(tmp_path):
    header = struct.pack(">IIII", 2051, 2**32 - 1, 28, 28)
    _images_file(tmp_path, header + bytes(784))
    with pytest.raises(RuntimeError, match="truncated"):
        ds.MnistDataset(str(tmp_path), usage="train")
    _images_file(tmp_path, header + bytes(784), gz=True)
    os.remove(tmp_path / "train-images-idx3-ubyte")
    with pytest.raises(RuntimeError, match="more than a gzip file"):
        ds.MnistDataset(str(tmp_path), usage="train")


def test_a_corrupt_gzip_file_is_refused(tmp_path):
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"\x1f\x8b\x08\x00garbage" * 10)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(5))
    with pytest.raises(RuntimeError, match="train-images-idx3-ubyte.gz: cannot read it"):
        ds.MnistDataset(str(tmp_path), usage="train")


def test_label_errors_and_count_mismatch(tmp_path):
    write_mnist(tmp_path, n_train=5, n_test=2)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(5), magic=2051)
    with pytest.raises(RuntimeError, match="label file should be 2049"):
        ds.MnistDataset(str(tmp_path), usage="train")
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(4))
    with pytest.raises(RuntimeError, match="images number: 5, labels number: 4"):
        ds.MnistDataset(str(tmp_path), usage="train")


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        ds.MnistDataset(str(tmp_path / "nope"))
    with pytest.raises(ValueError, match="usage"):
        ds.MnistDataset(str(tmp_path), usage="valid")
    with pytest.raises(NotImplementedError, match="cache"):
        ds.MnistDataset(str(tmp_path), cache=object())
