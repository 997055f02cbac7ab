"""Writes MNIST-format IDX files for the dataset tests and for `make_golden.py` (which runs with
MindSpore's NumPy 1.x): plain or gzipped, with a wrong magic number or cut short on request."""

from __future__ import annotations

import gzip
import os
import struct

import numpy as np

IMAGE_MAGIC, LABEL_MAGIC = 2051, 2049
NAMES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def idx_bytes(array, magic=None):
    """The bytes of an IDX file holding the uint8 `array` (header: magic, then each dim)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    magic = (0x0800 | array.ndim) if magic is None else magic
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.tobytes()


def write_idx(path, array, magic=None, gz=False, cut=0):
    data = idx_bytes(array, magic)
    if cut:
        data = data[:-cut]
    if gz:
        path = str(path) + ".gz"
        with gzip.open(path, "wb") as f:
            f.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)
    return path


def synthetic_digits(n, seed):
    """`n` 28x28 uint8 images and labels 0-9: a bright bar whose place depends on the label,
    plus noise, so a small network can tell the classes apart."""
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 10, n).astype(np.uint8)
    images = rng.randint(0, 60, (n, 28, 28)).astype(np.uint8)
    for i, label in enumerate(labels):
        images[i, 4 + 2 * label : 6 + 2 * label, 4:24] = 255
    return images, labels


def write_mnist(root, n_train=50, n_test=20, seed=0, gz=False, subdirs=False):
    """An MNIST folder (or, with `subdirs`, `root/train` and `root/test` as MindSpore's
    tutorial download unpacks); returns {usage: (images, labels)}."""
    out = {}
    for k, usage in enumerate(("train", "test")):
        images, labels = synthetic_digits(n_train if usage == "train" else n_test, seed + k)
        folder = os.path.join(root, usage) if subdirs else root
        os.makedirs(folder, exist_ok=True)
        image_name, label_name = NAMES[usage]
        write_idx(os.path.join(folder, image_name), images, gz=gz)
        write_idx(os.path.join(folder, label_name), labels, gz=gz)
        out[usage] = (images, labels)
    return out
