"""Pipeline steps and iterators on hand-built data: map, batch, repeat, take, skip, split,
project, rename, concat, zip; re-iteration, several consumers, epochs and the batch fast path."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

import minispore as ms
import minispore.dataset as ds
from minispore.dataset import transforms, vision


def slices(n=10, shuffle=False):
    data = {"a": np.arange(n), "b": np.arange(n) * 10.0, "c": np.arange(n) % 3}
    return ds.NumpySlicesDataset(data, shuffle=shuffle)


def rows(dataset, **kw):
    return [[c.tolist() for c in r] for r in dataset.create_tuple_iterator(output_numpy=True, **kw)]


# ------------------------------------------------------------------------------------------
# map


def test_map_changing_the_column_count_puts_outputs_first():
    d = slices(3).map(lambda c: (c, c * 2), input_columns="c", output_columns=["c1", "c2"])
    assert d.get_col_names() == ["c1", "c2", "a", "b"]
    assert rows(d)[2] == [2, 4, 2, 20.0]
    merged = slices(3).map(lambda a, c: a + c, ["a", "c"], ["s"])
    assert merged.get_col_names() == ["s", "b"] and rows(merged)[2] == [4, 20.0]


def test_map_with_as_many_outputs_keeps_the_places():
    d = slices(3).map(lambda c, a: (c, a), ["c", "a"], ["x", "y"])
    assert d.get_col_names() == ["y", "b", "x"]


def test_map_runs_a_list_of_operations_in_order():
    d = slices(3).map([lambda x: x + 1, lambda x: x * 10], "a")
    assert [r[0] for r in rows(d)] == [10, 20, 30]


def test_map_output_count_must_match_output_columns():
    with pytest.raises(RuntimeError, match="output_columns"):
        rows(slices(3).map(lambda a: (a, a), "a"))


def test_map_wraps_the_operations_error_with_the_columns():
    def broken(x):
        raise KeyError("boom")

    with pytest.raises(RuntimeError, match=r"broken failed on input columns \['b'\]") as info:
        rows(slices(3).map(broken, "b"))
    assert isinstance(info.value.__cause__, KeyError)


def test_map_checks_columns_when_built():
    with pytest.raises(RuntimeError, match=r"zz .*\['a', 'b', 'c'\]"):
        slices().map(lambda x: x, input_columns=["a", "zz"])
    with pytest.raises(ValueError, match="duplicate"):
        slices().map(lambda x, y: x, input_columns=["a", "a"])
    with pytest.raises(TypeError, match="unexpected keyword argument 'colums'"):
        slices().map(lambda x: x, colums="a")
    slices().map(lambda x: x, "a", python_multiprocessing=True, max_rowsize=16)  # accepted


def test_parallel_map_uses_several_threads_and_keeps_order():
    seen = set()

    def slow_square(x):
        seen.add(threading.get_ident())
        time.sleep(0.002 * (int(x) % 3))  # later rows may finish first
        return x * x

    d = slices(30).map(slow_square, "a", num_parallel_workers=4)
    assert [r[0] for r in rows(d)] == [i * i for i in range(30)]
    assert len(seen) > 1


def test_parallel_map_stops_its_workers_when_the_consumer_stops():
    d = slices(100).map(lambda x: x + 1, "a", num_parallel_workers=3)
    it = d.create_tuple_iterator(output_numpy=True)
    assert int(next(it)[0]) == 1
    it.stop()
    assert not [t for t in threading.enumerate() if t.name.startswith("minispore-dataset")]


# ------------------------------------------------------------------------------------------
# batch


def test_batch_keeps_or_drops_the_last_partial_batch():
    kept = slices(10).batch(4)
    assert kept.get_dataset_size() == 3
    assert [len(r[0]) for r in rows(kept)] == [4, 4, 2]
    dropped = slices(10).batch(4, drop_remainder=True)
    assert dropped.get_dataset_size() == 2 and [len(r[0]) for r in rows(dropped)] == [4, 4]
    assert slices(3).batch(5, drop_remainder=True).get_dataset_size() == 0
    assert rows(slices(3).batch(5, drop_remainder=True)) == []
    assert rows(slices(3).batch(1))[0] == [[0], [0.0], [0]]


def test_batch_stacks_dtypes_and_shapes():
    a, b, c = next(slices(10).batch(4).create_tuple_iterator())
    assert (a.shape, str(a.dtype), str(b.dtype)) == ((4,), "Int64", "Float64")
    assert c.asnumpy().tolist() == [0, 1, 2, 0]


def test_batch_refuses_ragged_shapes_and_mixed_dtypes():
    ragged = ds.GeneratorDataset([np.zeros(i + 1) for i in range(4)], ["a"], shuffle=False)
    with pytest.raises(RuntimeError, match=r"different shapes in column 'a'.*\(1,\).*\(2,\)"):
        rows(ragged.batch(2))
    mixed = ds.GeneratorDataset(lambda: iter([np.int32(1), np.int64(2)]), ["a"])
    with pytest.raises(RuntimeError, match="different dtypes"):
        rows(mixed.batch(2))


@pytest.mark.parametrize(
    "size, error", [(0, ValueError), (-1, ValueError), (2.0, TypeError), (True, TypeError)]
)
def test_batch_size_must_be_a_positive_int(size, error):
    with pytest.raises(error, match="batch_size"):
        slices().batch(size)


def test_batch_size_may_be_a_function_of_the_batch_number():
    d = slices(10).batch(lambda info: info.get_batch_num() + 1)
    assert [len(r[0]) for r in rows(d)] == [1, 2, 3, 4]
    assert d.get_dataset_size() == 4


def test_fast_batch_path_gives_the_rows_path_values():
    """`batch` after built-in maps on an array source runs them on whole batches; a Python
    function forces one row at a time. Both must give the same values."""
    images = np.random.default_rng(0).integers(0, 256, (23, 9, 7, 1), dtype=np.uint8)
    labels = np.arange(23, dtype=np.uint32)
    ops = [
        vision.Resize((12, 10)),
        vision.Rescale(1 / 255, 0),
        vision.Normalize([0.1307], [0.3081]),
        vision.HWC2CHW(),
    ]

    def pipeline(extra):
        d = ds.NumpySlicesDataset((images, labels), ["image", "label"], shuffle=False)
        d = d.map(ops + extra, "image").map(transforms.TypeCast(ms.int32), "label")
        return d.project(["label", "image"]).batch(5)

    assert pipeline([])._rows.__self__.children[0]._can_batch()
    fast, slow = rows(pipeline([])), rows(pipeline([lambda x: x]))
    assert len(fast) == 5 and fast == slow


def test_random_ops_draw_the_same_in_both_paths():
    images = np.arange(6 * 5 * 5, dtype=np.uint8).reshape(6, 5, 5, 1)
    ops = [vision.RandomCrop(4, padding=1), vision.RandomHorizontalFlip()]

    def pipeline(extra):
        return ds.NumpySlicesDataset(images, shuffle=False).map(ops + extra).batch(3)

    ds.config.set_seed(11)
    fast = rows(pipeline([]))
    ds.config.set_seed(11)
    slow = rows(pipeline([lambda x: x]))
    assert fast == slow


# ------------------------------------------------------------------------------------------
# repeat, take, skip, project, rename, concat, zip


def test_repeat_take_skip_sizes_and_rows():
    assert slices(10).repeat(3).get_dataset_size() == 30
    assert [r[0] for r in rows(slices(3).repeat(2))] == [0, 1, 2, 0, 1, 2]
    assert slices(10).repeat(2).take(13).get_dataset_size() == 13
    assert slices(10).take(40).get_dataset_size() == 10
    assert [r[0] for r in rows(slices(10).skip(8))] == [8, 9]
    assert slices(10).skip(40).get_dataset_size() == 0
    assert slices(10).batch(3).repeat(2).get_dataset_size() == 8
    assert slices(10).repeat(2).batch(3).get_dataset_size() == 7
    endless = slices(3).repeat()
    assert [r[0] for r in rows(endless.take(7))] == [0, 1, 2, 0, 1, 2, 0]
    assert endless.get_repeat_count() == -1
    with pytest.raises(ValueError, match="count"):
        slices().take(0)
    with pytest.raises(ValueError, match="count"):
        slices().repeat(0)


def test_project_and_rename():
    assert rows(slices(2).project(["c", "a"])) == [[0, 0], [1, 1]]
    assert slices().project("b").get_col_names() == ["b"]
    assert slices().rename(["a", "c"], ["A", "C"]).get_col_names() == ["A", "b", "C"]
    with pytest.raises(RuntimeError, match="zz"):
        slices().project(["a", "zz"])
    with pytest.raises(ValueError, match="not unique"):
        slices().rename("a", "b")


def test_concat_and_zip():
    both = slices(2) + slices(3)
    assert both.get_dataset_size() == 5 and [r[0] for r in rows(both)] == [0, 1, 0, 1, 2]
    zipped = slices(3).zip(ds.NumpySlicesDataset({"z": [7, 8]}, shuffle=False))
    assert zipped.get_col_names() == ["a", "b", "c", "z"] and zipped.get_dataset_size() == 2
    with pytest.raises(ValueError, match="differ"):
        slices().zip(slices())
    with pytest.raises(ValueError, match="columns"):
        slices().concat(slices().project("a"))


# ------------------------------------------------------------------------------------------
# split


def test_split_sizes_follow_mindspores_rounding():
    def sizes(n, spec):
        return [p.get_dataset_size() for p in slices(n).split(spec, randomize=False)]

    assert sizes(10, [0.33, 0.33, 0.34]) == [4, 3, 3]
    assert sizes(10, [0.25, 0.25, 0.5]) == [3, 2, 5]  # round half to even, then fix the first
    assert sizes(7, [0.5, 0.5]) == [3, 4]
    assert sizes(10, [3, 7]) == [3, 7]
    first, second = slices(10).split([3, 7], randomize=False)
    assert [r[0] for r in rows(first)] == [0, 1, 2]


def test_random_split_is_a_seeded_partition():
    ds.config.set_seed(2)
    parts = slices(20).split([0.5, 0.3, 0.2])
    seen = [sorted(r[0] for r in rows(p)) for p in parts]
    assert sorted(sum(seen, [])) == list(range(20)) and [len(s) for s in seen] == [10, 6, 4]
    assert seen == [sorted(r[0] for r in rows(p)) for p in parts]  # fixed for the parts' life
    ds.config.set_seed(2)
    again = [sorted(r[0] for r in rows(p)) for p in slices(20).split([0.5, 0.3, 0.2])]
    assert again == seen


def test_split_of_a_shuffled_source_reshuffles_each_part_only():
    ds.config.set_seed(3)
    train, test = slices(20, shuffle=True).split([0.75, 0.25])
    epochs = [[r[0] for r in rows(train)] for _ in range(3)]
    assert len({tuple(e) for e in epochs}) > 1
    assert all(sorted(e) == sorted(epochs[0]) for e in epochs)
    assert not set(epochs[0]) & {r[0] for r in rows(test)}


def test_split_of_a_pipeline_keeps_positions():
    mapped = slices(10).map(lambda a: a * 2, "a")
    first, second = mapped.split([4, 6], randomize=False)
    assert [r[0] for r in rows(second)] == [8, 10, 12, 14, 16, 18]
    gen = ds.GeneratorDataset(lambda: iter(range(10)), ["a"])
    parts = gen.split([0.5, 0.5])
    assert sorted(sum(([r[0] for r in rows(p)] for p in parts), [])) == list(range(10))


# ------------------------------------------------------------------------------------------
# iterators, epochs, re-iteration


def test_tuple_and_dict_iterators():
    t = next(slices(3).create_tuple_iterator())
    assert isinstance(t, list) and all(isinstance(x, ms.Tensor) for x in t)
    d = next(slices(3).create_dict_iterator())
    assert list(d) == ["a", "b", "c"] and isinstance(d["b"], ms.Tensor)
    n = next(slices(3).create_dict_iterator(output_numpy=True))
    assert isinstance(n["a"], np.ndarray)
    assert rows(slices(2), columns=["c", "a"]) == [[0, 0], [1, 1]]
    direct = next(iter(slices(3)))
    assert isinstance(direct, list) and len(direct) == 3


def test_num_epochs_limits_an_iterator():
    it = slices(3).create_tuple_iterator(num_epochs=2, output_numpy=True)
    assert iter(it) is it
    assert [len(list(it)) for _ in range(2)] == [3, 3]
    with pytest.raises(RuntimeError, match="num_epochs=2"):
        list(it)
    endless = slices(2).create_tuple_iterator(output_numpy=True)
    assert [len(list(endless)) for _ in range(4)] == [2, 2, 2, 2]
    with pytest.raises(ValueError, match="num_epochs"):
        slices().create_tuple_iterator(num_epochs=0)


def test_pipelines_are_reiterable_and_may_have_two_consumers():
    base = slices(6)
    by2, by3 = base.batch(2), base.batch(3)  # MindSpore: "The data pipeline is not a tree"
    assert [len(r[0]) for r in rows(by2)] == [2, 2, 2]
    assert [len(r[0]) for r in rows(by3)] == [3, 3]
    assert rows(base) == rows(base)
    assert len(base) == 6


def test_dataset_size_of_an_unknown_length_source_is_counted_once():
    calls = []

    def source():
        calls.append(1)
        return iter(range(7))

    d = ds.GeneratorDataset(source, ["a"]).batch(3)
    assert d.get_dataset_size() == 3 and d.get_dataset_size() == 3
    assert len(calls) == 1


def test_output_shapes_and_types():
    d = slices(5).batch(2)
    assert d.output_shapes() == [[2], [2], [2]]
    assert d.output_types() == [np.dtype("int64"), np.dtype("float64"), np.dtype("int64")]
    assert d.get_batch_size() == 2 and slices().get_batch_size() == 1
    with pytest.raises(RuntimeError, match="empty"):
        slices(3).skip(5).output_shapes()


def test_peeking_does_not_move_the_shuffle_on():
    ds.config.set_seed(4)
    a = slices(10, shuffle=True)
    first = rows(a)
    ds.config.set_seed(4)
    b = slices(10, shuffle=True)
    b.output_shapes()
    b.get_dataset_size()
    assert rows(b) == first
