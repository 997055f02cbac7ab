"""`MnistDataset`: MNIST's four IDX files, plain or gzipped, read safely (layer 5).

IDX files are untrusted input. Before anything is allocated the header is checked (magic
number, and so the type and number of dimensions; 28x28 images), the size it declares is
compared with the file's size (for a gzipped file, with the most a deflate stream of that
size can hold), and the data are read with that exact size; images and labels must agree in
count. Every error is a RuntimeError naming the file and what is wrong. No pickle.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib

import numpy as np

from minispore.dataset.sources import ImageLabelSource

IMAGE_MAGIC, LABEL_MAGIC = 2051, 2049  # 0x0803 / 0x0801: unsigned bytes, 3 / 1 dimensions
FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
# Deflate cannot shrink data more than 1032:1, so a .gz file of n bytes holds at most ~1032 n.
_GZIP_MAX_RATIO = 1100


def _find(folder, name):
    """The path of `name` or `name.gz` in `folder` (plain first), or None."""
    for candidate in (name, name + ".gz"):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    return None


def _read_exact(stream, count, path, what):
    data = stream.read(count)
    if len(data) != count:
        raise RuntimeError(
            f"Invalid MNIST file {path}: the {what} should be {count} bytes, but the file "
            f"ends after {len(data)}"
        )
    return data


def _read_idx(path, magic, header_dims):
    """Read an IDX file with the expected `magic` and header of `header_dims` dimensions."""
    header_size = 4 + 4 * header_dims
    gz = path.endswith(".gz")
    file_size = os.path.getsize(path)
    opener = gzip.open if gz else open
    try:
        with opener(path, "rb") as stream:
            header = stream.read(header_size)
            if len(header) < header_size:
                raise RuntimeError(
                    f"Invalid MNIST file {path}: the header should be {header_size} bytes "
                    f"(magic number and {header_dims} dimension(s)), but the file has "
                    f"{len(header)} bytes"
                )
            found, *dims = struct.unpack(f">{1 + header_dims}I", header)
            if found != magic:
                kind = "image" if magic == IMAGE_MAGIC else "label"
                raise RuntimeError(
                    f"Invalid MNIST file {path}: the magic number of an MNIST {kind} file "
                    f"should be {magic} (0x{magic:08x}: unsigned bytes, {header_dims} "
                    f"dimension(s)), but got {found} (0x{found:08x})"
                )
            if header_dims == 3 and tuple(dims[1:]) != (28, 28):
                raise RuntimeError(
                    f"Invalid MNIST file {path}: shape of image should be (28, 28), but got "
                    f"{tuple(dims[1:])}"
                )
            expected = int(np.prod(dims, dtype=np.int64))
            if gz:
                if expected > file_size * _GZIP_MAX_RATIO:
                    raise RuntimeError(
                        f"Invalid MNIST file {path}: the header declares {expected} bytes of "
                        f"data, more than a gzip file of {file_size} bytes can hold"
                    )
                data = stream.read(expected + 1)
            else:
                actual = file_size - header_size
                if actual != expected:
                    raise RuntimeError(
                        f"Invalid MNIST file {path}: the header declares {dims[0]} item(s) "
                        f"({expected} bytes of data after the {header_size}-byte header), but "
                        f"the file holds {actual} bytes after the header (truncated or with "
                        "extra bytes)"
                    )
                data = _read_exact(stream, expected, path, "data")
    except (OSError, EOFError, zlib.error) as e:  # BadGzipFile is an OSError
        raise RuntimeError(f"Invalid MNIST file {path}: cannot read it ({e})") from None
    if len(data) != expected:
        found = "more (extra bytes)" if len(data) > expected else f"{len(data)} (truncated)"
        raise RuntimeError(
            f"Invalid MNIST file {path}: the header declares {expected} bytes of data, but the "
            f"file holds {found}"
        )
    return np.frombuffer(data, np.uint8).reshape(dims)


def read_mnist(folder, usage):
    """The (images (N, 28, 28, 1) uint8, labels (N,) uint32) of `usage` in `folder`.

    'all' reads the test files, then the training files (MindSpore's order), whichever of the
    two pairs are present.
    """
    parts = ("test", "train") if usage == "all" else (usage,)
    images, labels = [], []
    for part in parts:
        image_name, label_name = FILES[part]
        image_path, label_path = _find(folder, image_name), _find(folder, label_name)
        if image_path is None and label_path is None:
            continue
        if image_path is None or label_path is None:
            missing = image_name if image_path is None else label_name
            raise RuntimeError(
                f"Invalid MNIST folder {folder}: {missing} (or {missing}.gz) is missing, but "
                "its companion file is present"
            )
        imgs = _read_idx(image_path, IMAGE_MAGIC, 3)
        labs = _read_idx(label_path, LABEL_MAGIC, 1)
        if len(imgs) != len(labs):
            raise RuntimeError(
                f"Invalid MNIST files: the images number of {image_path} should be equal to the "
                f"labels number of {label_path}, but got images number: {len(imgs)}, labels "
                f"number: {len(labs)}"
            )
        images.append(imgs)
        labels.append(labs)
    if not images:
        wanted = ", ".join(f"{n}[.gz]" for p in parts for n in FILES[p])
        raise RuntimeError(
            "Invalid data, MnistDataset API can't read the data file (interface mismatch or no "
            f"data found). Check mnist file in directory: {folder} (looked for {wanted})"
        )
    images = np.concatenate(images)[..., None]
    return np.ascontiguousarray(images), np.concatenate(labels).astype(np.uint32)


class MnistDataset(ImageLabelSource):
    """The MNIST dataset from a folder of IDX files: MindSpore's `MnistDataset`.

    Args:
        dataset_dir (str): the folder holding `train-images-idx3-ubyte`,
            `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`,
            each plain or gzipped (`.gz`, which MindSpore does not read).
        usage (str): 'train', 'test' or 'all' (default None: all).
        num_samples (int): read at most this many images per epoch.
        num_parallel_workers: accepted; the images are in memory.
        shuffle (bool): shuffle every epoch (default True).
        sampler, num_shards, shard_id: as in `GeneratorDataset`.
        cache: not supported (must be None).

    The columns are ``image`` (28, 28, 1) uint8 and ``label`` (a 0-d uint32).

    Raises:
        ValueError: `dataset_dir` is not a folder; `usage` is not one of the three.
        RuntimeError: the files are missing, malformed or disagree (see the module docstring).

    Example:
        >>> train = MnistDataset("MNIST_Data/train", usage="train", shuffle=False)
        >>> train.get_col_names()
        ['image', 'label']
    """

    def __init__(
        self,
        dataset_dir,
        usage=None,
        num_samples=None,
        num_parallel_workers=None,
        shuffle=None,
        sampler=None,
        num_shards=None,
        shard_id=None,
        cache=None,
    ):
        if cache is not None:
            raise NotImplementedError("For 'MnistDataset', 'cache' is not supported by minispore")
        if not isinstance(dataset_dir, (str, os.PathLike)) or not os.path.isdir(dataset_dir):
            raise ValueError(
                f"For 'MnistDataset', the folder {dataset_dir} does not exist or is not a "
                "directory or permission denied!"
            )
        usage = "all" if usage is None else usage
        if usage not in ("train", "test", "all"):
            raise ValueError(
                "For 'MnistDataset', input usage is not within the valid set of "
                f"['train', 'test', 'all']: got {usage!r}."
            )
        super().__init__(
            "MnistDataset",
            num_samples,
            num_parallel_workers,
            shuffle,
            sampler,
            num_shards,
            shard_id,
        )
        self.dataset_dir = os.fspath(dataset_dir)
        self.usage = usage
        self._set_arrays(*read_mnist(self.dataset_dir, usage))
