"""The bundled handwritten digits: scikit-learn's 1,797 8x8 images as an MNIST-like dataset.

Images are uint8 HWC (0..16 scaled to 0..255, rounded) and labels uint32, the columns and
dtypes of `MnistDataset`. The train/test split is fixed and stratified: within each digit
class, in scikit-learn's order, every fifth image (the 5th, 10th, ...) is a test image; that
gives 1,442 training and 355 test images, whatever the seeds. With ``canvas=28`` each digit is
resized to 20x20 (`vision.Resize`, bilinear) and centred on a 28x28 black canvas, as MNIST's
digits are, so MNIST-shaped networks (784 inputs, LeNet) run unchanged.
"""

from __future__ import annotations

import functools

import numpy as np

from minispore.dataset.sources import ImageLabelSource

_USAGES = ("train", "test", "all")
_CANVAS_BOX = 20  # MNIST fits each digit in a 20x20 box centred in 28x28


@functools.lru_cache(maxsize=1)
def _raw_digits():
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(
            "The bundled digits come from scikit-learn, which is not installed: "
            'pip install "minispore[examples]"'
        ) from None
    bunch = load_digits()
    images = np.rint(bunch.images * (255.0 / 16.0)).astype(np.uint8)
    return images, bunch.target.astype(np.uint32)


def _split_mask(labels):
    """True for the test images: every fifth of each class, in scikit-learn's order."""
    test = np.zeros(len(labels), bool)
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        test[members[4::5]] = True
    return test


@functools.lru_cache(maxsize=8)
def _arrays(usage, canvas):
    images, labels = _raw_digits()
    if usage != "all":
        test = _split_mask(labels)
        keep = test if usage == "test" else ~test
        images, labels = images[keep], labels[keep]
    images = images[..., None]
    if canvas is not None:
        from minispore.dataset._resize import BILINEAR, resize_batch

        placed = np.zeros((len(images), canvas, canvas, 1), np.uint8)
        lo = (canvas - _CANVAS_BOX) // 2
        box = resize_batch(images, _CANVAS_BOX, _CANVAS_BOX, BILINEAR)  # = vision.Resize
        placed[:, lo : lo + _CANVAS_BOX, lo : lo + _CANVAS_BOX] = box
        images = placed
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def _check(usage, canvas, op):
    usage = "all" if usage is None else usage
    if usage not in _USAGES:
        raise ValueError(
            f"For '{op}', 'usage' must be one of {list(_USAGES)} or None, got {usage!r}"
        )
    if canvas is not None and (isinstance(canvas, bool) or canvas != 28):
        raise ValueError(f"For '{op}', 'canvas' must be None (8x8 images) or 28, got {canvas!r}")
    return usage, canvas


def load_digits_arrays(usage=None, canvas=None):
    """The bundled digits as NumPy arrays.

    Args:
        usage (str): 'train' (1,442 images), 'test' (355) or 'all' (1,797; default None).
        canvas (int): None for the 8x8 images, or 28 for MNIST-like 28x28 images.

    Returns:
        tuple: ``(images, labels)``: uint8 (N, H, W, 1) and uint32 (N,), fresh copies.

    Raises:
        ImportError: scikit-learn is missing (``pip install "minispore[examples]"``).
        ValueError: an unknown `usage` or `canvas`.
    """
    usage, canvas = _check(usage, canvas, "load_digits_arrays")
    images, labels = _arrays(usage, canvas)
    return images.copy(), labels.copy()


class DigitsDataset(ImageLabelSource):
    """The bundled digits as a dataset with `MnistDataset`'s columns: ``image`` (H, W, 1) uint8
    and ``label`` 0-d uint32.

    Args:
        usage (str): 'train', 'test' or 'all' (default None: all); see the module docstring.
        canvas (int): None for 8x8 images, 28 for MNIST-like 28x28 ones.
        num_samples, num_parallel_workers, shuffle, sampler, num_shards, shard_id: as in
            `MnistDataset`; shuffled by default.

    Raises:
        ImportError: scikit-learn is missing (``pip install "minispore[examples]"``).

    Example:
        >>> train = DigitsDataset(usage="train", canvas=28, shuffle=False)
        >>> train.get_dataset_size(), train.output_shapes()
        (1442, [[28, 28, 1], []])
    """

    def __init__(
        self,
        usage=None,
        canvas=None,
        num_samples=None,
        num_parallel_workers=None,
        shuffle=None,
        sampler=None,
        num_shards=None,
        shard_id=None,
    ):
        self.usage, self.canvas = _check(usage, canvas, "DigitsDataset")
        super().__init__(
            "DigitsDataset",
            num_samples,
            num_parallel_workers,
            shuffle,
            sampler,
            num_shards,
            shard_id,
        )
        self._set_arrays(*_arrays(self.usage, self.canvas))


__all__ = ["DigitsDataset", "load_digits_arrays"]
