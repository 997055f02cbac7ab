"""The bundled digits: the fixed stratified split, MNIST's columns, and the 28x28 canvas."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import minispore as ms
import minispore.dataset as ds
from minispore.dataset import vision

sklearn_datasets = pytest.importorskip("sklearn.datasets")


def test_split_is_fixed_stratified_and_complete():
    bunch = sklearn_datasets.load_digits()
    train_x, train_y = ds.load_digits_arrays("train")
    test_x, test_y = ds.load_digits_arrays("test")
    all_x, all_y = ds.load_digits_arrays()
    assert (len(train_y), len(test_y), len(all_y)) == (1442, 355, 1797)
    np.testing.assert_array_equal(all_y, bunch.target)
    np.testing.assert_array_equal(all_x[..., 0], np.rint(bunch.images * 255 / 16).astype(np.uint8))
    for c in range(10):  # every fifth image of each class, in scikit-learn's order
        members = np.flatnonzero(bunch.target == c)
        np.testing.assert_array_equal(test_x[test_y == c], all_x[members[4::5]])
        share = (test_y == c).sum() / (bunch.target == c).sum()
        assert 0.18 < share < 0.21


def test_split_does_not_depend_on_seeds():
    ms.set_seed(1)
    a = ds.load_digits_arrays("test")[1]
    ds.config.set_seed(99)
    np.random.seed(3)
    np.testing.assert_array_equal(ds.load_digits_arrays("test")[1], a)


def test_dataset_has_mnists_columns_and_dtypes():
    d = ds.DigitsDataset(usage="test", shuffle=False)
    assert d.get_col_names() == ["image", "label"] and d.get_dataset_size() == 355
    image, label = next(d.create_tuple_iterator())
    assert (image.shape, str(image.dtype), label.shape, str(label.dtype)) == (
        (8, 8, 1),
        "UInt8",
        (),
        "UInt32",
    )
    x, y = ds.load_digits_arrays("test")
    got = [(i, int(lab)) for i, lab in d.create_tuple_iterator(output_numpy=True)]
    np.testing.assert_array_equal(np.stack([g[0] for g in got]), x)
    assert [g[1] for g in got] == y.tolist()
    assert ds.DigitsDataset(usage="train", num_samples=10).get_dataset_size() == 10


def test_canvas_28_centres_the_resized_digit():
    small, _ = ds.load_digits_arrays("all")
    big, _ = ds.load_digits_arrays("all", canvas=28)
    assert big.shape == (1797, 28, 28, 1) and big.dtype == np.uint8
    assert not big[:, :4].any() and not big[:, 24:].any()
    assert not big[:, :, :4].any() and not big[:, :, 24:].any()
    resize = vision.Resize((20, 20))
    for i in (0, 100, 1796):
        np.testing.assert_array_equal(big[i, 4:24, 4:24], resize(small[i]))


def test_mnist_shaped_pipeline_runs():
    from minispore.dataset import transforms

    d = ds.DigitsDataset(usage="train", canvas=28)
    d = d.map([vision.Rescale(1 / 255, 0), vision.HWC2CHW()], "image")
    d = d.map(transforms.TypeCast(ms.int32), "label").batch(64)
    image, label = next(d.create_tuple_iterator())
    assert image.shape == (64, 1, 28, 28) and str(label.dtype) == "Int32"
    assert d.get_dataset_size() == 23


def test_arrays_are_copies():
    x, _ = ds.load_digits_arrays("train")
    x[:] = 0
    assert ds.load_digits_arrays("train")[0].any()


def test_argument_errors():
    with pytest.raises(ValueError, match="usage"):
        ds.DigitsDataset(usage="val")
    with pytest.raises(ValueError, match="canvas"):
        ds.load_digits_arrays(canvas=32)


def test_missing_scikit_learn_says_what_to_install(monkeypatch):
    from minispore.dataset import digits

    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    digits._raw_digits.cache_clear()
    digits._arrays.cache_clear()
    try:
        with pytest.raises(ImportError, match=r'pip install "minispore\[examples\]"'):
            ds.DigitsDataset()
    finally:
        digits._raw_digits.cache_clear()
        digits._arrays.cache_clear()
