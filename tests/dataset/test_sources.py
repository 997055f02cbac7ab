"""GeneratorDataset and NumpySlicesDataset: the kinds of source, dtypes, sampling and copies."""

from __future__ import annotations

import numpy as np
import pytest

import minispore as ms
import minispore.dataset as ds


def values(dataset, column=0):
    return [r[column].tolist() for r in dataset.create_tuple_iterator(output_numpy=True)]


class Squares:
    """A random-access source that counts its reads."""

    def __init__(self, n):
        self.n, self.reads = n, 0

    def __getitem__(self, i):
        self.reads += 1
        return np.array(i * i), np.float32(i)

    def __len__(self):
        return self.n


def test_random_access_source_is_shuffled_by_default_and_complete():
    d = ds.GeneratorDataset(Squares(50), ["sq", "x"])
    orders = [values(d) for _ in range(3)]
    assert all(sorted(o) == [i * i for i in range(50)] for o in orders)
    assert orders[0] != sorted(orders[0]) or orders[1] != sorted(orders[1])
    assert values(ds.GeneratorDataset(Squares(5), ["sq", "x"], shuffle=False)) == [0, 1, 4, 9, 16]


def test_generator_function_and_iterable_are_read_in_order_every_epoch():
    gen = ds.GeneratorDataset(lambda: ((i, -i) for i in range(4)), ["a", "b"], shuffle=True)
    assert values(gen) == values(gen) == [0, 1, 2, 3]  # shuffle is ignored, as in MindSpore
    assert gen.get_dataset_size() == 4  # counted by a pass: no __len__

    class Countdown:
        def __iter__(self):
            return iter(range(3, 0, -1))

    it = ds.GeneratorDataset(Countdown(), "n")
    assert values(it) == values(it) == [3, 2, 1]


def test_a_generator_object_is_replayed_each_epoch():
    d = ds.GeneratorDataset((i for i in range(3)), ["a"])
    assert values(d) == values(d) == [0, 1, 2]


def test_python_values_get_mindspores_dtypes():
    row = next(
        ds.GeneratorDataset(
            lambda: iter([(1, 2.5, True, "s", [1, 2], np.float16(1), ms.Tensor([1.0]))]),
            list("abcdefg"),
        ).create_tuple_iterator()
    )
    assert [str(t.dtype) for t in row[:3]] == ["Int64", "Float64", "Bool"]
    assert isinstance(row[3], np.ndarray) and row[3].dtype.kind == "U"  # strings stay NumPy
    assert [str(t.dtype) for t in row[4:]] == ["Int64", "Float16", "Float32"]


def test_column_types_cast_the_columns():
    d = ds.GeneratorDataset(lambda: iter([(1, 2)]), ["a", "b"], column_types=[ms.int32, np.float32])
    a, b = next(d.create_tuple_iterator(output_numpy=True))
    assert a.dtype == np.int32 and b.dtype == np.float32


def test_rows_never_alias_the_source():
    data = np.zeros((3, 2))
    d = ds.NumpySlicesDataset(data, shuffle=False).map(lambda x: x.__iadd__(1))  # in place
    assert values(d) == [[1.0, 1.0]] * 3
    assert not data.any()
    src = [np.zeros(2)]
    g = ds.GeneratorDataset(src, ["a"]).map(lambda x: x.__iadd__(1))
    assert values(g) == values(g) == [[1.0, 1.0]]


def test_num_samples_caps_and_draws_without_replacement():
    d = ds.NumpySlicesDataset(list(range(10)), num_samples=8)
    for _ in range(3):
        got = values(d)
        assert len(got) == len(set(got)) == 8  # MindSpore would draw with replacement
    assert ds.NumpySlicesDataset(list(range(10)), num_samples=20).get_dataset_size() == 10
    assert values(ds.GeneratorDataset(lambda: iter(range(10)), ["a"], num_samples=3)) == [0, 1, 2]


def test_shards_cover_the_rows_and_wrap_around():
    shards = [
        values(ds.NumpySlicesDataset(list(range(10)), num_shards=3, shard_id=k, shuffle=False))
        for k in range(3)
    ]
    assert shards == [[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]]
    ds.config.set_seed(5)
    shuffled = [
        values(ds.NumpySlicesDataset(list(range(10)), num_shards=2, shard_id=k)) for k in range(2)
    ]
    assert sorted(shuffled[0] + shuffled[1]) == list(range(10))


def test_samplers():
    data = list(range(6))
    seq = ds.NumpySlicesDataset(data, sampler=ds.SequentialSampler(start_index=2, num_samples=3))
    assert values(seq) == [2, 3, 4]
    sub = ds.NumpySlicesDataset(data, sampler=[5, 0, 3])
    assert values(sub) == [5, 0, 3] and sub.get_dataset_size() == 3
    rnd = ds.NumpySlicesDataset(data, sampler=ds.SubsetRandomSampler([1, 2, 3]))
    assert sorted(values(rnd)) == [1, 2, 3]
    with pytest.raises(ValueError, match="Conflicting arguments"):
        ds.NumpySlicesDataset(data, sampler=ds.RandomSampler(), shuffle=False)
    with pytest.raises(RuntimeError, match="within"):
        values(ds.NumpySlicesDataset(data, sampler=[7]))


def test_numpy_slices_forms():
    assert ds.NumpySlicesDataset({"x": [1, 2], "y": [3, 4]}).get_col_names() == ["x", "y"]
    renamed = ds.NumpySlicesDataset({"x": [1, 2]}, column_names=["z"], shuffle=False)
    assert renamed.get_col_names() == ["z"] and values(renamed) == [1, 2]

    class Frame(dict):  # a pandas-like column holder: columns with `.values`
        pass

    class Column:
        def __init__(self, v):
            self.values = np.asarray(v)

    frame = ds.NumpySlicesDataset(Frame(a=Column([1.5, 2.5])), shuffle=False)
    assert values(frame) == [1.5, 2.5]
    ragged = ds.NumpySlicesDataset(([[1], [2, 3]],), shuffle=False)
    assert values(ragged) == [[1], [2, 3]]
    with pytest.raises(TypeError, match="list, tuple or array"):
        ds.NumpySlicesDataset((5,))


def test_source_argument_errors():
    with pytest.raises(TypeError, match="shuffle"):
        ds.NumpySlicesDataset([1, 2], shuffle="yes")
    with pytest.raises(ValueError, match="num_parallel_workers"):
        ds.NumpySlicesDataset([1, 2], num_parallel_workers=0)
    with pytest.raises(RuntimeError, match="num_shards"):
        ds.NumpySlicesDataset([1, 2], shard_id=0)
    with pytest.raises(ValueError, match="shard_id"):
        ds.NumpySlicesDataset([1, 2], num_shards=2, shard_id=2)
    with pytest.raises(RuntimeError, match="__len__"):

        class NoLen:
            def __getitem__(self, i):
                return i

        ds.GeneratorDataset(NoLen(), ["a"])
    with pytest.raises(TypeError, match="Python objects"):
        values(ds.GeneratorDataset(lambda: iter([(object(),)]), ["a"]))
    with pytest.raises(NotImplementedError, match="schema"):
        ds.GeneratorDataset([1], ["a"], schema="schema.json")


def test_parallel_reads_keep_the_sampled_order():
    d = ds.GeneratorDataset(Squares(40), ["sq", "x"], shuffle=False, num_parallel_workers=3)
    assert values(d) == [i * i for i in range(40)]
