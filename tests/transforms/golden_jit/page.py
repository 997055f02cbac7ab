"""The code of MindSpore's tutorial page "Accelerating with Static Graphs" (r2.7), block by block.

Each block is run as written, by `record.py` on MindSpore 2.10 and by `test_jit_page.py` on
minispore (imported as `ms`). The printed values depend on random initial weights, so each block
is also run a second time with the page's `Network` given fixed weights (`weights()`): those
outputs are compared number by number.
"""

from __future__ import annotations

import numpy as np

_NETWORK = """
class Network(nn.Cell):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.dense_relu_sequential = nn.SequentialCell(
            nn.Dense(28*28, 512),
            nn.ReLU(),
            nn.Dense(512, 512),
            nn.ReLU(),
            nn.Dense(512, 10)
        )

    def construct(self, x):
        x = self.flatten(x)
        logits = self.dense_relu_sequential(x)
        return logits
"""

_JIT_NETWORK = _NETWORK.replace(
    "    def construct(self, x):",
    "    @ms.jit  # Use the ms.jit decorator to make the decorated function run in static graph mode\n"
    "    def construct(self, x):",
)

_HEAD = """import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
"""

BLOCKS = {
    "pynative_mode": _HEAD
    + "ms.set_context(mode=ms.PYNATIVE_MODE)  # Dynamic graph mode configuration using set_context\n"
    + _NETWORK
    + """
model = Network()
input = Tensor(np.ones([64, 1, 28, 28]).astype(np.float32))
output = model(input)
print(output)
""",
    "graph_mode": _HEAD
    + "ms.set_context(mode=ms.GRAPH_MODE)  # Static graph mode configuration using set_context\n"
    + _NETWORK
    + """
model = Network()
input = Tensor(np.ones([64, 1, 28, 28]).astype(np.float32))
output = model(input)
print(output)
""",
    "jit_decorator": _HEAD
    + _NETWORK
    + """
input = Tensor(np.ones([64, 1, 28, 28]).astype(np.float32))

@ms.jit  # Use the ms.jit decorator to make the decorated function run in static graph mode
def run(x):
    model = Network()
    return model(x)

output = run(input)
print(output)
""",
    "jit_function": _HEAD
    + _NETWORK
    + """
input = Tensor(np.ones([64, 1, 28, 28]).astype(np.float32))

def run(x):
    model = Network()
    return model(x)

run_with_jit = ms.jit(run)  # Transforming a function to execute as a static graph by calling jit
output = run_with_jit(input)
print(output)
""",
    "jit_construct": _HEAD
    + _JIT_NETWORK
    + """
input = Tensor(np.ones([64, 1, 28, 28]).astype(np.float32))
model = Network()
output = model(input)
print(output)
""",
    "context_graph_mode": _HEAD
    + "ms.set_context(mode=ms.GRAPH_MODE)  # Configuration for running static graph mode using set_context\n"
    + _NETWORK
    + """
model = Network()
input = Tensor(np.ones([64, 1, 28, 28]).astype(np.float32))
output = model(input)
print(output)
""",
}

# After a block has run: the same computation again, with the block's own `Network` class given
# fixed weights (`FixedNetwork`, defined by the runner) and another input.
AGAIN = {
    "pynative_mode": "model = FixedNetwork()\noutput = model(input2)\n",
    "graph_mode": "model = FixedNetwork()\noutput = model(input2)\n",
    "jit_decorator": (
        "@ms.jit\ndef run2(x):\n    model = FixedNetwork()\n    return model(x)\n\noutput = run2(input2)\n"
    ),
    "jit_function": (
        "def run2(x):\n    model = FixedNetwork()\n    return model(x)\n\n"
        "output = ms.jit(run2)(input2)\n"
    ),
    "jit_construct": "model = FixedNetwork()\noutput = model(input2)\n",
    "context_graph_mode": "model = FixedNetwork()\noutput = model(input2)\n",
}

FIXED_NETWORK = """
class FixedNetwork(Network):
    def __init__(self):
        super().__init__()
        for name, p in self.parameters_and_names():
            p.set_data(Tensor(WEIGHTS[name]))
"""


def weights() -> dict:
    """Fixed weights for the page's `Network`, by parameter path; small, so outputs are O(1)."""
    rng = np.random.default_rng(2024)
    shapes = {
        "dense_relu_sequential.0.weight": (512, 784),
        "dense_relu_sequential.0.bias": (512,),
        "dense_relu_sequential.2.weight": (512, 512),
        "dense_relu_sequential.2.bias": (512,),
        "dense_relu_sequential.4.weight": (10, 512),
        "dense_relu_sequential.4.bias": (10,),
    }
    return {
        n: (rng.standard_normal(s) / np.sqrt(s[-1])).astype(np.float32) for n, s in shapes.items()
    }


def second_input() -> np.ndarray:
    """An input whose rows differ, so that the second run checks more than one row."""
    rng = np.random.default_rng(7)
    return rng.uniform(0, 1, (64, 1, 28, 28)).astype(np.float32)
