"""vision and transforms operations called eagerly: properties that the MindSpore goldens
(`test_golden.py`) do not cover, and argument errors."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
import minispore.dataset as ds
from minispore.dataset import transforms, vision

RNG = np.random.default_rng(0)
IMG = RNG.integers(0, 256, (6, 8, 3), dtype=np.uint8)


def test_ops_accept_tensors_and_return_numpy():
    out = vision.Rescale(0.5, 1)(ms.Tensor(IMG))
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    np.testing.assert_array_equal(out, IMG.astype(np.float32) * np.float32(0.5) + 1)
    assert transforms.TypeCast(ms.float16)(ms.Tensor([1, 2])).dtype == np.float16


def test_normalize_channels_first_and_last_agree():
    mean, std = [10.0, 20.0, 30.0], [2.0, 4.0, 8.0]
    hwc = vision.Normalize(mean, std)(IMG)
    chw = vision.Normalize(mean, std, is_hwc=False)(IMG.transpose(2, 0, 1))
    np.testing.assert_array_equal(hwc.transpose(2, 0, 1), chw)
    np.testing.assert_allclose(hwc[..., 2], (IMG[..., 2] - 30.0) / 8.0, rtol=1e-6)


def test_hwc2chw_and_to_tensor_layouts():
    assert vision.HWC2CHW()(IMG).shape == (3, 6, 8)
    t = vision.ToTensor()(IMG)
    assert t.shape == (3, 6, 8) and t.dtype == np.float32 and t.max() <= 1.0
    assert vision.ToTensor(ms.float64)(IMG[..., 0]).shape == (1, 6, 8)


def test_resize_shapes_and_identity():
    assert vision.Resize((3, 5))(IMG).shape == (3, 5, 3)
    assert vision.Resize(3)(IMG).shape == (3, 4, 3)  # the shorter side, aspect kept
    assert vision.Resize(4)(IMG.transpose(1, 0, 2)).shape == (5, 4, 3)
    for mode in (vision.Inter.NEAREST, vision.Inter.LINEAR, vision.Inter.CUBIC, vision.Inter.AREA):
        np.testing.assert_array_equal(vision.Resize((6, 8), mode)(IMG), IMG)
    flat = np.full((4, 4), 7, np.uint8)
    assert (vision.Resize((9, 13))(flat) == 7).all()  # constant images stay constant


def test_resize_errors():
    with pytest.raises(TypeError, match="uint8 or float32"):
        vision.Resize((3, 3))(IMG.astype(np.int32))
    with pytest.raises(NotImplementedError, match="PILCUBIC"):
        vision.Resize((3, 3), vision.Inter.PILCUBIC)
    with pytest.raises(TypeError, match="Inter"):
        vision.Resize((3, 3), "bilinear")
    with pytest.raises(RuntimeError, match="rank: 1"):
        vision.Resize((3, 3))(np.zeros(4, np.uint8))


def test_random_crop_windows_and_padding():
    ds.config.set_seed(1)
    crop = vision.RandomCrop((4, 5))
    seen = set()
    for _ in range(40):
        out = crop(IMG)
        seen.add(out.tobytes())
        assert any(
            np.array_equal(IMG[y : y + 4, x : x + 5], out) for y in range(3) for x in range(4)
        )
    assert len(seen) > 3
    padded = vision.RandomCrop((10, 12), padding=2, fill_value=(1, 2, 3))(IMG)
    np.testing.assert_array_equal(padded[0, 0], [1, 2, 3])
    np.testing.assert_array_equal(padded[2:8, 2:10], IMG)
    grown = vision.RandomCrop((8, 8), pad_if_needed=True)(IMG[:5, :5])
    assert grown.shape == (8, 8, 3)


def test_random_flip_probability():
    ds.config.set_seed(2)
    flip = vision.RandomHorizontalFlip(0.3)
    flips = sum(not np.array_equal(flip(IMG), IMG) for _ in range(400))
    assert 80 < flips < 160
    np.testing.assert_array_equal(vision.RandomHorizontalFlip(1.0)(IMG), IMG[:, ::-1])


def test_onehot_and_smoothing():
    out = transforms.OneHot(4)(np.array([[0, 3], [2, 1]], np.int32))
    assert out.shape == (2, 2, 4) and out.dtype == np.int32
    np.testing.assert_array_equal(out.argmax(-1), [[0, 3], [2, 1]])
    smooth = transforms.OneHot(4, 0.2)(np.array(1))
    np.testing.assert_allclose(smooth, [0.05, 0.85, 0.05, 0.05])
    with pytest.raises(RuntimeError, match=r"\[0, 4\)"):
        transforms.OneHot(4)(np.array(-1))  # MindSpore returns zeros and corrupts its memory
    with pytest.raises(TypeError, match="integer"):
        transforms.OneHot(4)(np.array(1.0))


def test_compose_chains_and_passes_tuples_on():
    chain = transforms.Compose([vision.Rescale(2.0, 0), vision.HWC2CHW()])
    np.testing.assert_array_equal(chain(IMG), IMG.transpose(2, 0, 1).astype(np.float32) * 2)
    split = transforms.Compose([lambda x: (x, x + 1), lambda a, b: a * b])
    assert split(np.array(3)) == 12
    with pytest.raises(TypeError, match="non-empty"):
        transforms.Compose([])


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: vision.Rescale("a", 0), TypeError, "rescale"),
        (lambda: vision.Normalize([1, 2], [1]), ValueError, "same length"),
        (lambda: vision.Normalize([300], [1]), ValueError, r"\[0, 255\]"),
        (lambda: vision.RandomCrop(3, padding=(1, 2, 3)), TypeError, "padding"),
        (lambda: vision.RandomCrop(3, fill_value=300), ValueError, "fill_value"),
        (lambda: vision.RandomHorizontalFlip(1.5), ValueError, "prob"),
        (lambda: transforms.TypeCast("float128x"), TypeError, "data_type"),
        (lambda: transforms.OneHot(0), ValueError, "num_classes"),
        (lambda: transforms.OneHot(3, 1.5), ValueError, "smoothing_rate"),
    ],
)
def test_argument_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()
