"""SequentialCell and CellList as containers, and the training wrappers; names and errors as
MindSpore 2.10 gives them (checked with the real package: see the comments)."""

from collections import OrderedDict

import numpy as np
import pytest

import minispore as ms
from minispore import Tensor, nn


def names(cell):
    return [p.name for p in cell.get_parameters()]


def test_sequential_indexing_slicing_and_errors():
    a, r, b = nn.Dense(2, 3), nn.ReLU(), nn.Dense(3, 4)
    s = nn.SequentialCell([a, r, b])
    assert len(s) == 3 and s[0] is a and s[-1] is b and list(s) == [a, r, b]
    part = s[0:2]
    assert type(part) is nn.SequentialCell and len(part) == 2
    # MindSpore 2.10: IndexError for 5, TypeError for 'a'
    with pytest.raises(IndexError, match="out of range"):
        s[5]
    with pytest.raises(TypeError, match="int"):
        s["a"]
    x = Tensor(np.ones((1, 2), np.float32))
    np.testing.assert_allclose(s(x).asnumpy(), b(r(a(x))).asnumpy())


def test_sequential_delete_renames_by_new_position():
    s = nn.SequentialCell(nn.Dense(2, 3), nn.ReLU(), nn.Dense(3, 4))
    del s[0]
    # MindSpore 2.10 prints ['1.weight', '1.bias'] (the Dense was '2.weight') and keys ['0', '1']
    assert names(s) == ["1.weight", "1.bias"] and list(s._cells) == ["0", "1"]
    s[1] = nn.Dense(2, 3)
    assert names(s) == ["1.weight", "1.bias"]


def test_celllist_extend_and_insert_rename_by_position():
    c = nn.CellList([nn.Dense(1, 1)])
    c.extend([nn.Dense(1, 2)])
    first = nn.Dense(3, 3)
    c.insert(0, first)
    # MindSpore 2.10: ['0.weight', '0.bias', '1.weight', '1.bias', '2.weight', '2.bias']
    assert names(c) == ["0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"]
    assert c[0] is first and first.weight.name == "0.weight"
    with pytest.raises(NotImplementedError):
        c(Tensor(np.ones(1, np.float32)))


def test_sequential_from_ordered_dict_keeps_names():
    s = nn.SequentialCell(OrderedDict([("fc", nn.Dense(2, 2)), ("act", nn.ReLU())]))
    assert names(s) == ["fc.weight", "fc.bias"] and s.fc is s._cells["fc"]


def test_containers_refuse_non_cells():
    with pytest.raises(TypeError, match="Cell"):
        nn.SequentialCell([nn.ReLU(), 3])
    with pytest.raises(TypeError, match="Cell"):
        nn.CellList([nn.ReLU()]).append(3)


def _regression_step(sens=None, return_grad=False):
    ms.set_seed(0)
    net = nn.Dense(3, 1)
    opt = nn.SGD(net.trainable_params(), learning_rate=0.1)
    step = nn.TrainOneStepCell(
        nn.WithLossCell(net, nn.MSELoss()), opt, sens=sens, return_grad=return_grad
    )
    x = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
    y = Tensor(np.ones((2, 1), np.float32))
    before = {p.name: p.asnumpy().copy() for p in net.trainable_params()}
    out = step(x, y)
    after = {p.name: p.asnumpy().copy() for p in net.trainable_params()}
    return out, before, after


def test_train_one_step_applies_the_scaled_gradient():
    loss, before, after = _regression_step()
    loss2, before2, after2 = _regression_step(sens=2.0)
    assert float(loss) == float(loss2)
    for k in before:  # sens scales the gradient, so the SGD step doubles
        np.testing.assert_allclose(before2[k] - after2[k], 2 * (before[k] - after[k]), rtol=1e-6)


def test_train_one_step_return_grad_gives_gradients_by_name():
    (loss, grads), before, after = _regression_step(return_grad=True)
    assert sorted(grads) == sorted(before)
    for k, g in grads.items():
        np.testing.assert_allclose(before[k] - after[k], 0.1 * g.asnumpy(), rtol=1e-6)


def test_wrappers_refuse_non_cells():
    with pytest.raises(TypeError, match="backbone"):
        nn.WithLossCell(lambda x: x, nn.MSELoss())
    with pytest.raises(TypeError, match="network"):
        nn.TrainOneStepCell(lambda x: x, None)
    net = nn.Dense(2, 2)
    assert nn.WithLossCell(net, nn.MSELoss()).backbone_network is net
