"""Shuffling and random transforms follow the pipeline seed (`config.set_seed` or
`minispore.set_seed`): same seed, same orders; epochs differ; no seed, fresh orders."""

from __future__ import annotations

import random

import numpy as np
import pytest

import minispore as ms
import minispore.dataset as ds
from minispore.dataset import vision


def order(dataset):
    return [int(r[0]) for r in dataset.create_tuple_iterator(output_numpy=True)]


def source(n=20):
    return ds.NumpySlicesDataset(list(range(n)))


def test_same_seed_same_orders_and_epochs_differ():
    ds.config.set_seed(7)
    d = source()
    epochs = [order(d) for _ in range(3)]
    assert len({tuple(e) for e in epochs}) == 3
    assert all(sorted(e) == list(range(20)) for e in epochs)
    ds.config.set_seed(7)  # setting the seed again starts every node's epoch count afresh
    assert [order(d) for _ in range(3)] == epochs
    ds.config.set_seed(7)
    assert [order(source()) for _ in range(1)] == epochs[:1]  # a fresh pipeline too


def test_an_iterator_over_epochs_matches_fresh_iterators():
    ds.config.set_seed(8)
    d = source()
    it = d.create_tuple_iterator(num_epochs=2, output_numpy=True)
    by_iterator = [[int(r[0]) for r in it] for _ in range(2)]
    ds.config.set_seed(8)
    assert [order(d) for _ in range(2)] == by_iterator


def test_minispore_set_seed_seeds_pipelines():
    ms.set_seed(21)
    first = order(source())
    ms.set_seed(22)
    assert order(source()) != first
    ms.set_seed(21)
    assert order(source()) == first
    ds.config.set_seed(21)  # the later call wins: the same seed either way
    assert order(source()) == first


def test_without_a_seed_orders_are_fresh(monkeypatch):
    monkeypatch.setitem(ds.config._state, "seed", None)
    monkeypatch.setattr("minispore.dataset.config._effective_seed", lambda: None)
    orders = {tuple(order(source(30))) for _ in range(4)}
    assert len(orders) > 1
    assert ds.config.get_seed() == 5489  # what MindSpore reports when no seed was set


def test_set_seed_checks_and_seeds_python_and_numpy():
    ds.config.set_seed(3)
    a = (random.random(), np.random.rand())
    ds.config.set_seed(3)
    assert (random.random(), np.random.rand()) == a
    assert ds.config.get_seed() == 3
    with pytest.raises(TypeError, match="int"):
        ds.config.set_seed(1.5)
    with pytest.raises(ValueError, match="UINT32_MAX"):
        ds.config.set_seed(-1)


def test_shuffle_buffer_gives_a_permutation_that_depends_on_the_buffer():
    ds.config.set_seed(5)
    base = ds.NumpySlicesDataset(list(range(50)), shuffle=False)
    small, full = order(base.shuffle(2)), order(base.shuffle(100))
    assert sorted(small) == sorted(full) == list(range(50))
    # a row can come out at most buffer - 1 places early, so a 2-row buffer barely mixes
    assert max(value - pos for pos, value in enumerate(small)) == 1
    assert full != small


def test_two_shuffles_in_one_pipeline_draw_differently():
    ds.config.set_seed(6)
    d = ds.NumpySlicesDataset(list(range(30)))
    assert order(d) != order(d.shuffle(30).project("column_0"))  # other depths, other draws


def test_random_transforms_follow_the_seed():
    img = np.arange(64, dtype=np.uint8).reshape(8, 8)
    crop, flip = vision.RandomCrop(4), vision.RandomHorizontalFlip()
    ds.config.set_seed(9)
    first = [crop(img).tolist() for _ in range(5)] + [flip(img).tolist() for _ in range(5)]
    ds.config.set_seed(9)
    again = [crop(img).tolist() for _ in range(5)] + [flip(img).tolist() for _ in range(5)]
    assert first == again
    assert len({str(c) for c in first[:5]}) > 1
