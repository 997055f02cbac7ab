"""The dataset cases run on both sides: by `make_golden.py` with MindSpore 2.10 (which records
`golden.json`) and by `test_golden.py` with minispore, which compares.

Each builder takes the `dataset` module (`mindspore.dataset` or `minispore.dataset`), the
framework module (for dtypes) and a scratch folder. Everything is deterministic: no shuffling.
"""

from __future__ import annotations

import os

import numpy as np
from idx_files import write_idx, write_mnist

# ------------------------------------------------------------------------------------------
# Pipelines: the rows, columns, sizes, shapes and dtypes are compared.


class RandomAccess:
    """The random-access source of MindSpore's dataset tutorial."""

    def __init__(self):
        self._data = np.ones((5, 2))
        self._label = np.zeros((5, 1))

    def __getitem__(self, index):
        return self._data[index], self._label[index]

    def __len__(self):
        return len(self._data)


class Iterable:
    """The iterable source of MindSpore's dataset tutorial."""

    def __init__(self, start, end):
        self.start, self.end = start, end

    def __next__(self):
        return next(self.data)

    def __iter__(self):
        self.data = iter(range(self.start, self.end))
        return self


def _slices(ds, n=10):
    data = {"a": np.arange(n), "b": np.arange(n) * 10.0, "c": np.arange(n) % 3}
    return ds.NumpySlicesDataset(data, shuffle=False)


def _mnist(ds, tmp, **kw):
    root = os.path.join(tmp, "mnist")
    if not os.path.isdir(root):
        write_mnist(root, n_train=7, n_test=4, seed=3)
    return ds.MnistDataset(root, shuffle=False, **kw)


PIPELINES = {
    "gen_random_access": lambda ds, ms, tmp: ds.GeneratorDataset(
        RandomAccess(), ["data", "label"], shuffle=False
    ),
    "gen_list_of_arrays": lambda ds, ms, tmp: ds.GeneratorDataset(
        [np.array(0), np.array(1), np.array(2)], ["data"], shuffle=False
    ),
    "gen_iterable": lambda ds, ms, tmp: ds.GeneratorDataset(Iterable(1, 5), ["data"]),
    "gen_function_python_scalars": lambda ds, ms, tmp: ds.GeneratorDataset(
        lambda: ((i, 1.5 * i, i % 2 == 0) for i in range(3)), ["i", "f", "b"]
    ),
    "gen_function_numpy": lambda ds, ms, tmp: ds.GeneratorDataset(
        lambda: ((np.float32(i), np.arange(3, dtype=np.int8) + i, [i, i]) for i in range(3)),
        ["f32", "i8", "list"],
    ),
    "gen_num_samples": lambda ds, ms, tmp: ds.GeneratorDataset(
        lambda: iter(range(10)), ["a"], num_samples=4
    ),
    "gen_list_source_num_samples": lambda ds, ms, tmp: ds.GeneratorDataset(
        list(range(10)), ["a"], num_samples=4, shuffle=False
    ),
    "slices_tuple": lambda ds, ms, tmp: ds.NumpySlicesDataset(
        ([1, 2, 3], [0.5, 1.5, 2.5]), ["a", "b"], shuffle=False
    ),
    "slices_dict": lambda ds, ms, tmp: ds.NumpySlicesDataset(
        {"x": np.ones((3, 2), np.float32), "y": [1, 2, 3]}, shuffle=False
    ),
    "slices_array": lambda ds, ms, tmp: ds.NumpySlicesDataset(
        np.arange(6, dtype=np.float32).reshape(3, 2), shuffle=False
    ),
    "slices_nested_list": lambda ds, ms, tmp: ds.NumpySlicesDataset(
        [[1, 2], [3, 4]], shuffle=False
    ),
    "slices_tuple_default_names": lambda ds, ms, tmp: ds.NumpySlicesDataset(
        ([1, 2, 3], [4, 5, 6]), shuffle=False
    ),
    "shards": lambda ds, ms, tmp: ds.NumpySlicesDataset(
        list(range(10)), num_shards=3, shard_id=1, shuffle=False
    ),
    "map_one_to_two": lambda ds, ms, tmp: _slices(ds, 4).map(
        lambda x: (x, x + 1), input_columns="c", output_columns=["c1", "c2"]
    ),
    "map_two_to_one": lambda ds, ms, tmp: _slices(ds, 4).map(
        lambda x, y: x + y, input_columns=["c", "a"], output_columns=["s"]
    ),
    "map_two_to_two_in_place": lambda ds, ms, tmp: _slices(ds, 4).map(
        lambda x, y: (x, y), input_columns=["c", "a"], output_columns=["x", "y"]
    ),
    "map_rename_in_place": lambda ds, ms, tmp: _slices(ds, 4).map(
        lambda x: x * 2, input_columns="a", output_columns="z"
    ),
    "map_default_first_column": lambda ds, ms, tmp: _slices(ds, 4).map(lambda x: x * 2),
    "map_list_of_ops": lambda ds, ms, tmp: _slices(ds, 4).map(
        [lambda x: x * 2, lambda x: x + 1], "b"
    ),
    "map_returns_python_values": lambda ds, ms, tmp: _slices(ds, 3).map(
        lambda x: (5, 2.5, [1, 2], np.float32(2)), "a", ["i", "f", "l", "f32"]
    ),
    "map_output_replaces_other_column": lambda ds, ms, tmp: _slices(ds, 4).map(
        lambda x: x + 100, input_columns=["c"], output_columns=["a"]
    ),
    "map_parallel": lambda ds, ms, tmp: _slices(ds, 20).map(
        lambda x: x * 3, "a", num_parallel_workers=2
    ),
    "batch_keep_remainder": lambda ds, ms, tmp: _slices(ds, 10).batch(3),
    "batch_drop_remainder": lambda ds, ms, tmp: _slices(ds, 10).batch(3, drop_remainder=True),
    "batch_then_repeat": lambda ds, ms, tmp: _slices(ds, 10).batch(3).repeat(2),
    "repeat_then_batch": lambda ds, ms, tmp: _slices(ds, 10).repeat(2).batch(3),
    "repeat_take": lambda ds, ms, tmp: _slices(ds, 10).repeat(2).take(13),
    "take_more_than_size": lambda ds, ms, tmp: _slices(ds, 10).take(40),
    "skip": lambda ds, ms, tmp: _slices(ds, 10).skip(8),
    "skip_all": lambda ds, ms, tmp: _slices(ds, 10).skip(40),
    "project": lambda ds, ms, tmp: _slices(ds, 3).project(["c", "a"]),
    "rename": lambda ds, ms, tmp: _slices(ds, 3).rename(["a", "c"], ["A", "C"]),
    "concat": lambda ds, ms, tmp: _slices(ds, 3) + _slices(ds, 2),
    "zip": lambda ds, ms, tmp: _slices(ds, 3).zip(
        _slices(ds, 4).rename(["a", "b", "c"], ["d", "e", "f"])
    ),
    "split_int_0": lambda ds, ms, tmp: _slices(ds, 10).split([3, 7], randomize=False)[0],
    "split_float_3_0": lambda ds, ms, tmp: _slices(ds, 10).split(
        [0.33, 0.33, 0.34], randomize=False
    )[0],
    "split_float_3_1": lambda ds, ms, tmp: _slices(ds, 10).split(
        [0.33, 0.33, 0.34], randomize=False
    )[1],
    "split_quarters_0": lambda ds, ms, tmp: _slices(ds, 10).split(
        [0.25, 0.25, 0.5], randomize=False
    )[0],
    "split_odd_1": lambda ds, ms, tmp: _slices(ds, 7).split([0.5, 0.5], randomize=False)[1],
    "split_generator_1": lambda ds, ms, tmp: ds.GeneratorDataset(
        lambda: iter(range(10)), ["a"]
    ).split([0.33, 0.33, 0.34], randomize=False)[1],
    "mnist_all": lambda ds, ms, tmp: _mnist(ds, tmp),
    "mnist_train": lambda ds, ms, tmp: _mnist(ds, tmp, usage="train"),
    "mnist_test": lambda ds, ms, tmp: _mnist(ds, tmp, usage="test"),
    "mnist_num_samples": lambda ds, ms, tmp: _mnist(ds, tmp, usage="train", num_samples=3),
    "mnist_quick_start_pipeline": lambda ds, ms, tmp: (
        _mnist(ds, tmp, usage="train")
        .map(
            [
                ds.vision.Rescale(1.0 / 255.0, 0),
                ds.vision.Normalize(mean=(0.1307,), std=(0.3081,)),
                ds.vision.HWC2CHW(),
            ],
            "image",
        )
        .map(ds.transforms.TypeCast(ms.int32), "label")
        .batch(4)
    ),
}

# ------------------------------------------------------------------------------------------
# Transforms: each is called eagerly on a fixed input; outputs are compared.

_RS = np.random.RandomState(0)
IMG = _RS.randint(0, 256, (4, 5, 3)).astype(np.uint8)
IMG_GRAY = _RS.randint(0, 256, (6, 7)).astype(np.uint8)
IMG_1CH = _RS.randint(0, 256, (5, 9, 1)).astype(np.uint8)
IMG_BIG = _RS.randint(0, 256, (13, 21, 3)).astype(np.uint8)
IMG_F32 = (_RS.rand(6, 7, 3) * 255).astype(np.float32)


def _vision(ds, name, *args, **kwargs):
    return getattr(ds.vision, name)(*args, **kwargs)


TRANSFORMS = {
    "rescale_u8": (lambda ds, ms: ds.vision.Rescale(1.0 / 255.0, 0), IMG),
    "rescale_f64": (lambda ds, ms: ds.vision.Rescale(2.0, 1), IMG.astype(np.float64)),
    "rescale_i32_2d": (lambda ds, ms: ds.vision.Rescale(0.5, -3), IMG_GRAY.astype(np.int32)),
    "normalize_u8": (lambda ds, ms: ds.vision.Normalize([100, 110, 120], [50, 60, 70]), IMG),
    "normalize_f32": (
        lambda ds, ms: ds.vision.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3]),
        (IMG / 255).astype(np.float32),
    ),
    "normalize_f64": (
        lambda ds, ms: ds.vision.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3]),
        IMG / 255,
    ),
    "normalize_one_mean_three_channels": (lambda ds, ms: ds.vision.Normalize([0.5], [0.2]), IMG),
    "normalize_2d": (lambda ds, ms: ds.vision.Normalize([120.0], [60.0]), IMG_GRAY),
    "normalize_chw": (
        lambda ds, ms: ds.vision.Normalize([100, 110, 120], [50, 60, 70], is_hwc=False),
        IMG.transpose(2, 0, 1).copy(),
    ),
    "normalize_mnist": (
        lambda ds, ms: ds.vision.Normalize(mean=(0.1307,), std=(0.3081,)),
        (IMG_1CH / 255.0).astype(np.float32),
    ),
    "hwc2chw": (lambda ds, ms: ds.vision.HWC2CHW(), IMG),
    "hwc2chw_2d": (lambda ds, ms: ds.vision.HWC2CHW(), IMG_GRAY),
    "to_tensor": (lambda ds, ms: ds.vision.ToTensor(), IMG),
    "to_tensor_f64": (lambda ds, ms: ds.vision.ToTensor(output_type=np.float64), IMG_GRAY),
    "typecast_ms_dtype": (lambda ds, ms: ds.transforms.TypeCast(ms.int32), np.array(3, np.uint32)),
    "typecast_numpy_dtype": (
        lambda ds, ms: ds.transforms.TypeCast(np.float16),
        np.array([3.7, -1.25], np.float64),
    ),
    "typecast_float_to_int": (
        lambda ds, ms: ds.transforms.TypeCast(ms.int32),
        np.array([3.7, -2.7], np.float64),
    ),
    "onehot_scalar": (lambda ds, ms: ds.transforms.OneHot(5), np.array(3, np.uint32)),
    "onehot_vector": (lambda ds, ms: ds.transforms.OneHot(5), np.array([3, 1], np.int32)),
    "onehot_uint8": (lambda ds, ms: ds.transforms.OneHot(4), np.array(2, np.uint8)),
    "onehot_smoothing": (lambda ds, ms: ds.transforms.OneHot(5, 0.1), np.array(3, np.int64)),
    "onehot_smoothing_u32": (lambda ds, ms: ds.transforms.OneHot(5, 0.2), np.array(0, np.uint32)),
    "compose": (
        lambda ds, ms: ds.transforms.Compose(
            [ds.vision.Rescale(1.0 / 255.0, 0), ds.vision.HWC2CHW()]
        ),
        IMG,
    ),
    "flip_always": (lambda ds, ms: ds.vision.RandomHorizontalFlip(1.0), IMG),
    "flip_never": (lambda ds, ms: ds.vision.RandomHorizontalFlip(0.0), IMG),
    "crop_full": (lambda ds, ms: ds.vision.RandomCrop((4, 5)), IMG),
    "crop_padding_constant": (
        lambda ds, ms: ds.vision.RandomCrop((8, 7), padding=(1, 2), fill_value=(1, 2, 3)),
        IMG,
    ),
    "crop_padding_four_sides": (
        lambda ds, ms: ds.vision.RandomCrop((6, 9), padding=(1, 2, 3, 0)),
        IMG,
    ),
    "crop_padding_edge": (
        lambda ds, ms: ds.vision.RandomCrop(
            (10, 11), padding=2, padding_mode=ds.vision.Border.EDGE
        ),
        IMG_GRAY,
    ),
    "crop_padding_reflect": (
        lambda ds, ms: ds.vision.RandomCrop(
            (10, 11), padding=2, padding_mode=ds.vision.Border.REFLECT
        ),
        IMG_GRAY,
    ),
    "crop_padding_symmetric": (
        lambda ds, ms: ds.vision.RandomCrop(
            (10, 11), padding=2, padding_mode=ds.vision.Border.SYMMETRIC
        ),
        IMG_GRAY,
    ),
}

# Resize: every mode minispore matches, on widths that reach OpenCV's vector and scalar paths.
for _mode in ("BILINEAR", "NEAREST", "BICUBIC", "AREA"):
    for _name, _img, _size in (
        ("up", IMG, (8, 10)),
        ("down", IMG_BIG, (5, 7)),
        ("half", IMG_BIG[:12, :20], (6, 10)),
        ("third", IMG_BIG[:12, :21], (4, 7)),
        ("mixed", IMG_BIG, (20, 9)),
        ("gray_up", IMG_GRAY, (17, 23)),
        ("one_channel", IMG_1CH, (11, 37)),
        ("short_side", IMG_BIG, 8),
        ("f32_up", IMG_F32, (9, 11)),
        ("f32_down", IMG_F32, (4, 3)),
        ("f32_half", IMG_F32[:6, :6], (3, 3)),
        ("tiny", IMG_GRAY, (3, 5)),
        ("tiny_rgb", IMG, (3, 2)),
        ("f32_tiny", IMG_F32, (5, 1)),
    ):
        TRANSFORMS[f"resize_{_mode.lower()}_{_name}"] = (
            lambda ds, ms, _m=_mode, _s=_size: ds.vision.Resize(_s, getattr(ds.vision.Inter, _m)),
            _img,
        )
TRANSFORMS["resize_default_mode"] = (lambda ds, ms: ds.vision.Resize((7, 9)), IMG)
TRANSFORMS["resize_digits_canvas"] = (
    lambda ds, ms: ds.vision.Resize((20, 20)),
    (_RS.rand(8, 8, 1) * 255).astype(np.uint8),
)

# ------------------------------------------------------------------------------------------
# Errors: the exception type and message are recorded; `phrase` is a part of the message that
# says what is wrong, which minispore's message must contain too.


def _iterate(dataset):
    for _ in dataset.create_tuple_iterator(output_numpy=True):
        pass


def _broken_mnist(tmp, name, fix):
    root = os.path.join(tmp, name)
    write_mnist(root, n_train=5, n_test=3, seed=0)
    fix(root)
    return root


def _mnist_error(ds, tmp, name, fix, usage="train"):
    _iterate(ds.MnistDataset(_broken_mnist(tmp, name, fix), usage=usage, shuffle=False))


def _truncate(path, cut):
    data = open(path, "rb").read()
    with open(path, "wb") as f:
        f.write(data[:-cut] if cut > 0 else data + b"\0" * -cut)


ERRORS = {
    "map_missing_column": (
        lambda ds, ms, tmp: _iterate(_slices(ds, 4).map(lambda x: x, input_columns="zz")),
        "zz",
    ),
    "map_not_callable": (lambda ds, ms, tmp: _slices(ds, 4).map(5, "a"), "callable"),
    "map_wrong_output_count": (
        lambda ds, ms, tmp: _iterate(_slices(ds, 4).map(lambda x: (x, x), "a")),
        "output_columns",
    ),
    "map_function_raises": (
        lambda ds, ms, tmp: _iterate(_slices(ds, 4).map(lambda x: 1 // 0, "a")),
        "ZeroDivisionError",
    ),
    "project_missing_column": (
        lambda ds, ms, tmp: _iterate(_slices(ds, 4).project(["zz"])),
        "zz",
    ),
    "rename_missing_column": (
        lambda ds, ms, tmp: _iterate(_slices(ds, 4).rename("zz", "y")),
        "not exist",
    ),
    "rename_length_mismatch": (
        lambda ds, ms, tmp: _slices(ds, 4).rename(["a", "b"], ["y"]),
        "not equal",
    ),
    "iterator_missing_column": (
        lambda ds, ms, tmp: _iterate_columns(_slices(ds, 4), ["zz"]),
        "zz",
    ),
    "batch_size_zero": (lambda ds, ms, tmp: _iterate(_slices(ds, 4).batch(0)), "[1, 2147483647]"),
    "batch_size_negative": (lambda ds, ms, tmp: _iterate(_slices(ds, 4).batch(-1)), "-1"),
    "batch_size_float": (lambda ds, ms, tmp: _slices(ds, 4).batch(2.0), "int or a callable"),
    "batch_ragged_shapes": (
        lambda ds, ms, tmp: _iterate(
            ds.GeneratorDataset([np.zeros(i + 1) for i in range(4)], ["a"], shuffle=False).batch(2)
        ),
        "different shapes",
    ),
    "split_negative_size": (lambda ds, ms, tmp: _slices(ds, 4).split([5, -1]), "negative"),
    "split_sizes_sum": (
        lambda ds, ms, tmp: _slices(ds, 4).split([1, 2]),
        "not equal to dataset size",
    ),
    "split_fractions_sum": (lambda ds, ms, tmp: _slices(ds, 4).split([0.5, 0.6]), "sum up to 1"),
    "split_fraction_range": (lambda ds, ms, tmp: _slices(ds, 4).split([1.5, -0.5]), "(0, 1]"),
    "split_empty": (lambda ds, ms, tmp: _slices(ds, 4).split([]), "empty"),
    "split_mixed": (
        lambda ds, ms, tmp: _slices(ds, 4).split([1, 0.5]),
        "list of int or list of float",
    ),
    "split_tuple": (lambda ds, ms, tmp: _slices(ds, 4).split((2, 2)), "list"),
    "split_fraction_too_small": (
        lambda ds, ms, tmp: _slices(ds, 4).split([0.01, 0.99]),
        "too small",
    ),
    "take_zero": (lambda ds, ms, tmp: _slices(ds, 4).take(0), "-1"),
    "skip_negative": (lambda ds, ms, tmp: _slices(ds, 4).skip(-1), "2147483647"),
    "repeat_zero": (lambda ds, ms, tmp: _slices(ds, 4).repeat(0), "-1"),
    "shuffle_buffer_one": (lambda ds, ms, tmp: _slices(ds, 4).shuffle(1), "[2, 2147483647]"),
    "generator_no_column_names": (
        lambda ds, ms, tmp: ds.GeneratorDataset(lambda: iter(range(3))),
        "column",
    ),
    "generator_column_count": (
        lambda ds, ms, tmp: _iterate(
            ds.GeneratorDataset(lambda: ((1, 2) for _ in range(3)), ["a"])
        ),
        "column_names",
    ),
    "generator_not_a_source": (lambda ds, ms, tmp: ds.GeneratorDataset(5, ["a"]), "callable"),
    "slices_unequal_lengths": (
        lambda ds, ms, tmp: ds.NumpySlicesDataset(([1, 2], [1, 2, 3]), ["a", "b"]),
        "not equal",
    ),
    "slices_column_names_count": (
        lambda ds, ms, tmp: ds.NumpySlicesDataset(([1, 2], [1, 2]), ["a"]),
        "required is 2",
    ),
    "num_samples_negative": (
        lambda ds, ms, tmp: ds.NumpySlicesDataset([1, 2, 3], num_samples=-1),
        "num_samples",
    ),
    "iterator_past_num_epochs": (lambda ds, ms, tmp: _two_epochs_of_one(_slices(ds, 3)), "epoch"),
    "mnist_missing_folder": (
        lambda ds, ms, tmp: ds.MnistDataset(os.path.join(tmp, "no_such_folder")),
        "no_such_folder",
    ),
    "mnist_bad_usage": (lambda ds, ms, tmp: ds.MnistDataset(tmp, usage="val"), "usage"),
    "mnist_no_files": (
        lambda ds, ms, tmp: _mnist_error(ds, tmp, "empty", _remove_all, usage="test"),
        "empty",
    ),
    "mnist_truncated_images": (
        lambda ds, ms, tmp: _mnist_error(
            ds, tmp, "trunc", lambda r: _truncate(os.path.join(r, "train-images-idx3-ubyte"), 100)
        ),
        "train-images-idx3-ubyte",
    ),
    "mnist_extra_bytes": (
        lambda ds, ms, tmp: _mnist_error(
            ds, tmp, "extra", lambda r: _truncate(os.path.join(r, "train-images-idx3-ubyte"), -2)
        ),
        "train-images-idx3-ubyte",
    ),
    "mnist_truncated_labels": (
        lambda ds, ms, tmp: _mnist_error(
            ds, tmp, "trunc_lab", lambda r: _truncate(os.path.join(r, "train-labels-idx1-ubyte"), 2)
        ),
        "train-labels-idx1-ubyte",
    ),
    "mnist_short_header": (
        lambda ds, ms, tmp: _mnist_error(
            ds, tmp, "header", lambda r: _truncate(os.path.join(r, "train-images-idx3-ubyte"), 3933)
        ),
        "16 bytes",
    ),
    "mnist_wrong_image_magic": (
        lambda ds, ms, tmp: _mnist_error(
            ds,
            tmp,
            "magic",
            lambda r: write_idx(
                os.path.join(r, "train-images-idx3-ubyte"), np.zeros((5, 28, 28)), magic=2052
            ),
        ),
        "2051",
    ),
    "mnist_wrong_label_magic": (
        lambda ds, ms, tmp: _mnist_error(
            ds,
            tmp,
            "magic_lab",
            lambda r: write_idx(
                os.path.join(r, "train-labels-idx1-ubyte"), np.zeros(5), magic=2050
            ),
        ),
        "2049",
    ),
    "mnist_count_mismatch": (
        lambda ds, ms, tmp: _mnist_error(
            ds,
            tmp,
            "count",
            lambda r: write_idx(os.path.join(r, "train-labels-idx1-ubyte"), np.zeros(4)),
        ),
        "labels",
    ),
    "mnist_not_28x28": (
        lambda ds, ms, tmp: _mnist_error(
            ds,
            tmp,
            "shape",
            lambda r: write_idx(os.path.join(r, "train-images-idx3-ubyte"), np.zeros((5, 20, 20))),
        ),
        "28",
    ),
    "normalize_channel_mismatch": (
        lambda ds, ms, tmp: ds.vision.Normalize([0.5, 0.5, 0.5], [0.2, 0.2, 0.2])(IMG[:, :, :1]),
        "channel",
    ),
    "normalize_std_zero": (lambda ds, ms, tmp: ds.vision.Normalize([0.5], [0.0]), "std"),
    "hwc2chw_4d": (lambda ds, ms, tmp: ds.vision.HWC2CHW()(IMG[None]), "shape"),
    "onehot_out_of_range": (lambda ds, ms, tmp: ds.transforms.OneHot(5)(np.array(7)), "num"),
    "random_crop_too_big": (lambda ds, ms, tmp: ds.vision.RandomCrop(10)(IMG), "crop"),
    "resize_bad_size": (lambda ds, ms, tmp: ds.vision.Resize((0, 3)), "size"),
}


def _iterate_columns(dataset, columns):
    for _ in dataset.create_tuple_iterator(columns=columns, output_numpy=True):
        pass


def _two_epochs_of_one(dataset):
    it = dataset.create_tuple_iterator(num_epochs=1, output_numpy=True)
    for _ in it:
        pass
    for _ in it:
        pass


def _remove_all(root):
    for name in os.listdir(root):
        os.remove(os.path.join(root, name))
