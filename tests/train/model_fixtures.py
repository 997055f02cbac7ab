"""The minispore side of the Model goldens: the same network, optimizer and batches as
`golden_model/make_golden.py` builds under MindSpore, and a small in-order dataset."""

from __future__ import annotations

import ast

import numpy as np

from minispore import Tensor, nn
from minispore.train import Model
from tests.train.golden_model import problem as P

try:
    from minispore.dataset import NumpySlicesDataset
except ImportError:  # the dataset package is being written alongside; fall back to a stand-in
    NumpySlicesDataset = None


class ArrayDataset:
    """Rows of equal-length arrays in order, in batches: the dataset interface `Model` reads."""

    def __init__(self, columns, names, batch_size, drop_remainder=False):
        self.columns, self.names, self.batch_size = columns, names, batch_size
        n = len(columns[0])
        self.size = n // batch_size if drop_remainder else -(-n // batch_size)

    def get_dataset_size(self):
        return self.size

    def get_col_names(self):
        return list(self.names)

    def create_tuple_iterator(self, columns=None, num_epochs=-1, output_numpy=False, do_copy=False):
        for i in range(self.size):
            sl = slice(i * self.batch_size, (i + 1) * self.batch_size)
            row = [c[sl] for c in self.columns]
            yield row if output_numpy else [Tensor(a) for a in row]

    def __iter__(self):
        return self.create_tuple_iterator()


def slices(columns, names=("x", "y"), batch=P.BATCH, drop_remainder=False):
    """An in-order batched dataset of `columns` (minispore.dataset when it is available)."""
    if NumpySlicesDataset is not None:
        data = NumpySlicesDataset(tuple(columns), column_names=list(names), shuffle=False)
        return data.batch(batch, drop_remainder=drop_remainder)
    return ArrayDataset(columns, names, batch, drop_remainder)


def dataset(split="train", batch=P.BATCH):
    return slices(P.data(split), batch=batch)


def network():
    net = nn.Dense(P.IN, P.OUT)
    w, b = P.initial_weights()
    net.weight.set_data(Tensor(w))
    net.bias.set_data(Tensor(b))
    return net


def model(lr=P.LR, metrics=None, momentum=True):
    """`(Model, network)` as the golden script builds them."""
    net = network()
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    if momentum:
        opt = nn.Momentum(net.trainable_params(), learning_rate=lr, momentum=P.MOMENTUM)
    else:
        opt = nn.SGD(net.trainable_params(), learning_rate=lr)
    return Model(net, loss_fn=loss, optimizer=opt, metrics=metrics), net


def loss_of(line):
    """The float at the end of a LossMonitor line."""
    return float(line.rsplit(" ", 1)[1])


def assert_lines_match(ours, golden, rtol=2e-5):
    """Same lines, with the numbers equal to float32 precision (metric dicts in any order:
    MindSpore prints a set of metric names in the set's order, which varies between runs)."""
    assert len(ours) == len(golden), (ours, golden)
    for a, b in zip(ours, golden):
        if a == b:
            continue
        if a.startswith("Eval result:") and b.startswith("Eval result:"):
            head_a, dict_a = a.split("metrics: ", 1)
            head_b, dict_b = b.split("metrics: ", 1)
            dict_a, dict_b = ast.literal_eval(dict_a), ast.literal_eval(dict_b)
            assert head_a == head_b and set(dict_a) == set(dict_b), (a, b)
            for key, value in dict_b.items():
                np.testing.assert_allclose(dict_a[key], value, rtol=rtol, err_msg=f"{a!r} vs {b!r}")
            continue
        ta, tb = (
            a.replace(",", " ").replace("{", " ").replace("}", " ").split(),
            b.replace(",", " ").replace("{", " ").replace("}", " ").split(),
        )
        assert len(ta) == len(tb), (a, b)
        for x, y in zip(ta, tb):
            if x == y:
                continue
            np.testing.assert_allclose(float(x), float(y), rtol=rtol, err_msg=f"{a!r} vs {b!r}")
