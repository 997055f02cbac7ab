"""Networks built from the layers under test, written once for both frameworks.

`build(ms, name)` takes the framework module (real `mindspore` in `make_golden.py`, `minispore`
in the tests), so the recording and the comparison construct the very same network.
"""

import collections
import importlib


def _lenet5(ms):
    # MindSpore model zoo LeNet-5 (num_class=10, num_channel=1), as in the quick start tutorial.
    nn = ms.nn
    normal = importlib.import_module(f"{ms.__name__}.common.initializer").Normal

    class LeNet5(nn.Cell):
        def __init__(self, num_class=10, num_channel=1):
            super().__init__()
            self.conv1 = nn.Conv2d(num_channel, 6, 5, pad_mode="valid")
            self.conv2 = nn.Conv2d(6, 16, 5, pad_mode="valid")
            self.fc1 = nn.Dense(16 * 5 * 5, 120, weight_init=normal(0.02))
            self.fc2 = nn.Dense(120, 84, weight_init=normal(0.02))
            self.fc3 = nn.Dense(84, num_class, weight_init=normal(0.02))
            self.relu = nn.ReLU()
            self.max_pool2d = nn.MaxPool2d(kernel_size=2, stride=2)
            self.flatten = nn.Flatten()

        def construct(self, x):
            x = self.max_pool2d(self.relu(self.conv1(x)))
            x = self.max_pool2d(self.relu(self.conv2(x)))
            x = self.flatten(x)
            x = self.relu(self.fc1(x))
            x = self.relu(self.fc2(x))
            return self.fc3(x)

    return LeNet5()


def _network(ms):
    # The beginner "model" tutorial page.
    nn = ms.nn

    class Network(nn.Cell):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.dense_relu_sequential = nn.SequentialCell(
                nn.Dense(28 * 28, 512),
                nn.ReLU(),
                nn.Dense(512, 512),
                nn.ReLU(),
                nn.Dense(512, 10),
            )

        def construct(self, x):
            x = self.flatten(x)
            return self.dense_relu_sequential(x)

    return Network()


def _seq_mlp(ms):
    nn = ms.nn
    return nn.SequentialCell(nn.Dense(4, 5), nn.LeakyReLU(0.1), nn.Dense(5, 3))


def _seq_list(ms):
    nn = ms.nn
    return nn.SequentialCell([nn.Dense(4, 3), nn.Tanh(), nn.Identity()])


def _seq_ordered_dict(ms):
    nn = ms.nn
    cells = collections.OrderedDict([("dense", nn.Dense(3, 4)), ("act", nn.ReLU())])
    return nn.SequentialCell(cells)


def _cell_list_mlp(ms):
    nn = ms.nn

    class Stack(nn.Cell):
        def __init__(self):
            super().__init__()
            self.layers = nn.CellList([nn.Dense(3, 4), nn.Sigmoid()])
            self.layers.append(nn.Dense(4, 2))

        def construct(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    return Stack()


def _conv_bn_net(ms):
    nn = ms.nn

    class ConvBN(nn.Cell):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(2, 3, 3, has_bias=True)
            self.bn = nn.BatchNorm2d(3)
            self.pool = nn.AvgPool2d(2, 2)
            self.flatten = nn.Flatten()
            self.fc = nn.Dense(3 * 2 * 2, 2)

        def construct(self, x):
            x = self.pool(self.bn(self.conv(x)))
            return self.fc(self.flatten(x))

    return ConvBN()


BUILDERS = {
    "LeNet5": _lenet5,
    "Network": _network,
    "seq_mlp": _seq_mlp,
    "seq_list": _seq_list,
    "seq_ordered_dict": _seq_ordered_dict,
    "cell_list_mlp": _cell_list_mlp,
    "conv_bn": _conv_bn_net,
}


def build(ms, name):
    """The network `name` of BUILDERS, built with framework module `ms`."""
    return BUILDERS[name](ms)
