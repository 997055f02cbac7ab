"""The three digit classifiers of `minispore-digits`, written as MindSpore users write them.

Each takes a float32 batch of shape (N, 1, 28, 28) and returns (N, 10) logits.
"""

from __future__ import annotations

from minispore import nn
from minispore.common.initializer import Normal


class MLP(nn.Cell):
    """784-512-512-10 with ReLU: the network of MindSpore's quick start, layer for layer."""

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
        logits = self.dense_relu_sequential(x)
        return logits


class SigmoidMLP(nn.Cell):
    """784-16-16-10 with sigmoid hidden layers: the small network of the seed's story.

    The seed (after 3Blue1Brown) squashes the output with a sigmoid too and scores it with a
    squared error; here the last layer gives logits for `nn.CrossEntropyLoss`, which trains the
    same network faster and to a better accuracy.
    """

    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.fc1 = nn.Dense(28 * 28, 16)
        self.fc2 = nn.Dense(16, 16)
        self.fc3 = nn.Dense(16, 10)
        self.sigmoid = nn.Sigmoid()

    def construct(self, x):
        x = self.flatten(x)
        x = self.sigmoid(self.fc1(x))
        x = self.sigmoid(self.fc2(x))
        return self.fc3(x)


class LeNet5(nn.Cell):
    """LeNet-5 as in MindSpore's model zoo, on 1x28x28 inputs.

    Two 'valid' 5x5 convolutions without bias (6 and 16 channels), each followed by ReLU and 2x2
    max pooling, then Dense 256-120-84-10 with ReLU and Normal(0.02) weights. MindSpore's
    version reads 32x32 images (fc1 takes 16*5*5); on MNIST-sized 28x28 inputs fc1 takes 16*4*4.
    """

    def __init__(self, num_class=10, num_channel=1):
        super().__init__()
        self.conv1 = nn.Conv2d(num_channel, 6, 5, pad_mode="valid")
        self.conv2 = nn.Conv2d(6, 16, 5, pad_mode="valid")
        self.relu = nn.ReLU()
        self.max_pool2d = nn.MaxPool2d(kernel_size=2, stride=2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Dense(16 * 4 * 4, 120, weight_init=Normal(0.02))
        self.fc2 = nn.Dense(120, 84, weight_init=Normal(0.02))
        self.fc3 = nn.Dense(84, num_class, weight_init=Normal(0.02))

    def construct(self, x):
        x = self.max_pool2d(self.relu(self.conv1(x)))
        x = self.max_pool2d(self.relu(self.conv2(x)))
        x = self.flatten(x)
        x = self.relu(self.fc1(x))
        x = self.relu(self.fc2(x))
        return self.fc3(x)


MODELS = {"mlp": MLP, "sigmoid": SigmoidMLP, "lenet": LeNet5}
