"""Benchmarks ``mlp_step`` and ``big_mlp_step``: one SGD-with-momentum training step of an MLP.

``mlp_step`` is 784-256-128-10 with batch 128; ``big_mlp_step`` (``--big``) is 2048-2048-2048-10
with batch 512. ReLU, softmax cross entropy (mean), float32, MindSpore's Momentum rule
(``accum = momentum * accum + grad; param -= lr * accum``), lr 0.01, momentum 0.9. Timed in
minispore (eager, and the whole step compiled with ``jit``), in hand-written NumPy (the floor),
and in PyTorch, HIPS autograd and JAX (``jax.jit``) where installed.
Run ``python benchmarks/mlp_step.py`` or ``python benchmarks/mlp_step.py --big``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import _harness as h
import numpy as np
from _numpy_floor import dense_head, momentum_update

LR = 0.01
MOMENTUM = 0.9
NAMES = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias")


@dataclass(frozen=True)
class Shape:
    workload: str
    sizes: tuple[int, int, int, int]
    batch: int
    target: dict
    rtol: float
    jit_target: dict


SMALL = Shape("mlp_step", (784, 256, 128, 10), 128, {"time_ratio": 1.3}, 1e-3, {"time_ratio": 1.05})
BIG = Shape(
    "big_mlp_step",
    (2048, 2048, 2048, 10),
    512,
    {"time_ratio": 1.1, "mem_ratio": 1.2},
    2e-3,
    {"time_ratio": 1.03},
)


def make_data(shape: Shape, seed: int = 0) -> dict:
    """Initial parameters (as MindSpore's Dense: weight (out, in), HeUniform with a = sqrt(5),
    i.e. U(-1/sqrt(in), 1/sqrt(in)), bias the same), a batch of inputs and int32 labels."""
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(shape.sizes[:-1], shape.sizes[1:], strict=True):
        bound = 1.0 / np.sqrt(fan_in)
        params.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, (fan_out,)).astype(np.float32))
    x = rng.standard_normal((shape.batch, shape.sizes[0]), dtype=np.float32)
    labels = rng.integers(0, shape.sizes[-1], shape.batch).astype(np.int32)
    return {"params": params, "x": x, "labels": labels}


def _first(step, to_numpy, params_now) -> dict[str, np.ndarray]:
    return h.first_training_step(step, NAMES, to_numpy, params_now)


# --------------------------------------------------------------------------------------------
# The NumPy floor: forward, backward and update by hand.


def make_numpy(data: dict) -> h.Impl:
    params = [p.copy() for p in data["params"]]
    accums = [np.zeros_like(p) for p in params]
    x, labels = data["x"], data["labels"]

    def loss_and_grads():
        loss, grads, _ = dense_head(x, labels, *params)
        return loss, grads

    # Two functions, as value_and_grad and the optimizer: activations are freed before the update.
    def step():
        loss, grads = loss_and_grads()
        momentum_update(params, grads, accums, LR, MOMENTUM)
        return loss, grads

    def first():
        return _first(step, np.asarray, lambda: params)

    return h.Impl("numpy", h.numpy_version(), step, first)


# --------------------------------------------------------------------------------------------
# minispore, written the MindSpore way: nn.Dense layers, nn.CrossEntropyLoss, nn.Momentum.


def make_minispore(data: dict, jit: bool = False) -> h.Impl:
    import minispore as mindspore
    from minispore import nn

    sizes = [p.shape[1] for p in data["params"][::2]] + [data["params"][-1].shape[0]]

    class MLP(nn.Cell):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Dense(sizes[0], sizes[1])
            self.fc2 = nn.Dense(sizes[1], sizes[2])
            self.fc3 = nn.Dense(sizes[2], sizes[3])
            self.relu = nn.ReLU()

        def construct(self, x):
            return self.fc3(self.relu(self.fc2(self.relu(self.fc1(x)))))

    return h.minispore_training_step(mindspore, MLP(), data, NAMES, LR, MOMENTUM, jit)


def make_minispore_jit(data: dict) -> h.Impl:
    return make_minispore(data, jit=True)


# --------------------------------------------------------------------------------------------
# Peers.


def make_torch(data: dict) -> h.Impl:
    import torch
    import torch.nn.functional as F
    from torch import nn

    sizes = [p.shape[1] for p in data["params"][::2]] + [data["params"][-1].shape[0]]
    model = nn.Sequential(
        nn.Linear(sizes[0], sizes[1]),
        nn.ReLU(),
        nn.Linear(sizes[1], sizes[2]),
        nn.ReLU(),
        nn.Linear(sizes[2], sizes[3]),
    )
    params = list(model.parameters())
    with torch.no_grad():
        for p, value in zip(params, data["params"], strict=True):
            p.copy_(torch.from_numpy(value))
    optimizer = torch.optim.SGD(params, lr=LR, momentum=MOMENTUM)
    x = torch.from_numpy(data["x"])
    labels = torch.from_numpy(data["labels"].astype(np.int64))  # class indices must be int64

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        optimizer.step()
        return loss, [p.grad for p in params]

    def first():
        return _first(step, lambda t: t.detach().numpy(), lambda: params)

    return h.Impl("torch", torch.__version__, step, first, memory=False, pool="torch")


def make_autograd(data: dict) -> h.Impl:
    import autograd
    import autograd.numpy as anp

    try:
        from autograd.scipy.special import logsumexp  # needs scipy
    except ImportError:

        def logsumexp(a, axis, keepdims):
            m = anp.max(a, axis=axis, keepdims=True)
            return m + anp.log(anp.sum(anp.exp(a - m), axis=axis, keepdims=keepdims))

    params = [p.copy() for p in data["params"]]
    accums = [np.zeros_like(p) for p in params]
    x, labels = data["x"], data["labels"]
    rows = np.arange(len(labels))

    def loss_fn(params, x, labels):
        w1, b1, w2, b2, w3, b3 = params
        h = anp.maximum(anp.matmul(x, w1.T) + b1, 0.0)
        h = anp.maximum(anp.matmul(h, w2.T) + b2, 0.0)
        logits = anp.matmul(h, w3.T) + b3
        log_probs = logits - logsumexp(logits, axis=1, keepdims=True)
        return -anp.mean(log_probs[rows, labels])

    grad_fn = autograd.value_and_grad(loss_fn)

    def step():
        loss, grads = grad_fn(params, x, labels)
        for p, g, a in zip(params, grads, accums, strict=True):
            a *= MOMENTUM
            a += g
            p -= LR * a
        return loss, grads

    def first():
        return _first(step, np.asarray, lambda: params)

    return h.Impl("autograd", h.package_version("autograd"), step, first)


def make_jax(data: dict) -> h.Impl:
    import jax
    import jax.numpy as jnp

    def loss_fn(params, x, labels):
        w1, b1, w2, b2, w3, b3 = params
        a = jax.nn.relu(x @ w1.T + b1)
        a = jax.nn.relu(a @ w2.T + b2)
        logits = a @ w3.T + b3
        log_probs = jax.nn.log_softmax(logits, axis=1)
        return -jnp.mean(jnp.take_along_axis(log_probs, labels[:, None], axis=1))

    return h.jax_training_step(jax, loss_fn, data, NAMES, LR, MOMENTUM)


PEERS = {
    "minispore": make_minispore,
    "minispore_jit": make_minispore_jit,
    "autograd": make_autograd,
    "torch": make_torch,
    "jax": make_jax,
}


def run(settings: h.Settings, shape: Shape) -> list[dict]:
    data = make_data(shape)
    impls, skipped = h.build_impls(make_numpy, PEERS, data, settings)
    description = (
        f"MLP {'-'.join(map(str, shape.sizes))}, batch {shape.batch}, one momentum-SGD step"
    )
    return h.run_workload(
        shape.workload,
        description,
        impls,
        settings,
        target=shape.target,
        targets={"minispore_jit": shape.jit_target},
        rtol=shape.rtol,
        skipped=skipped,
    )


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    h.add_common_args(parser)
    parser.add_argument(
        "--big", action="store_true", help="big_mlp_step (2048-2048-2048-10, batch 512)"
    )
    parser.add_argument(
        "--both", action="store_true", help="mlp_step, then big_mlp_step, in one run"
    )
    args = parser.parse_args(argv)
    shapes = [SMALL, BIG] if args.both else [BIG] if args.big else [SMALL]
    rows = []
    for shape in shapes:
        rows += run(h.settings_from_args(args, big=shape is BIG), shape)
    h.print_table(rows, h.settings_from_args(args))
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
