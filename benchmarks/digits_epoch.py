"""Benchmark ``digits_epoch``: one training epoch of ``minispore-digits``' default ``mlp``.

The network is the quick start's 784-512-512-10 ReLU MLP, trained on the 1,437 training images
of the bundled digits (28x28 canvas) in batches of 32 (the last one of 29), softmax cross
entropy (mean), float32, MindSpore's Momentum rule (``accum = momentum * accum + grad;
param -= lr * accum``), lr 0.01, momentum 0.9. Two workloads:

- ``digits_epoch``: the training loop alone over pre-batched arrays: ``value_and_grad`` and the
  optimizer in minispore, PyTorch's ``loss.backward()`` and ``SGD(momentum=0.9)``, and the
  hand-written NumPy floor (forward, backward and update by hand).
- ``digits_epoch_pipeline``: the whole epoch as the example runs it, from the raw uint8 images:
  its ``mindspore.dataset`` pipeline (``Rescale``, ``Rescale``, ``HWC2CHW``, ``TypeCast``,
  ``batch``) and ``Model.train``; the floor converts each batch by hand with NumPy, then steps.

Both read the images in order, without the example's shuffling and random shifts, so every
implementation sees the same batches and can be checked against the floor. The timed unit is
one epoch; samples per second are printed beside the table. Needs scikit-learn (the bundled
digits). Run ``python benchmarks/digits_epoch.py``.
"""

from __future__ import annotations

import argparse
import sys

import _harness as h
import numpy as np
from _numpy_floor import dense_head, momentum_update

LR = 0.01
MOMENTUM = 0.9
BATCH = 32
SIZES = (784, 512, 512, 10)
NAMES = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias")
TARGET = {"time_ratio": 1.3}
RTOL = 2e-3  # one epoch is 45 float32 steps: allow their rounding to add up
MEAN, STD = 0.1307, 0.3081


def make_data(seed: int = 0) -> dict:
    """The bundled digits' training images (uint8 HWC, in order) and labels, the same images as
    normalised float32 batches (N, 1, 28, 28) with int32 labels, and initial parameters
    (MindSpore's Dense init, U(-1/sqrt(in), 1/sqrt(in)), from a fixed seed)."""
    from minispore.examples.digits import load_sources

    train, _ = load_sources(None, shuffle=False)
    images, labels = [], []
    for image, label in train.create_tuple_iterator(output_numpy=True):
        images.append(image)
        labels.append(label)
    images = np.stack(images)
    labels = np.asarray(labels)
    batches = []
    for i in range(0, len(images), BATCH):
        x = images[i : i + BATCH].astype(np.float32) * np.float32(1 / 255)
        x = (x - np.float32(MEAN)) / np.float32(STD)
        batches.append((x.transpose(0, 3, 1, 2).copy(), labels[i : i + BATCH].astype(np.int32)))
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:], strict=True):
        bound = 1.0 / np.sqrt(fan_in)
        params.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32))
        params.append(rng.uniform(-bound, bound, (fan_out,)).astype(np.float32))
    return {"images": images, "labels": labels, "batches": batches, "params": params}


# --------------------------------------------------------------------------------------------
# The NumPy floor: forward, backward and update by hand.


def _numpy_trainer(data: dict):
    """A `step(x, labels) -> (loss, grads)` that updates its own copy of the parameters."""
    params = [p.copy() for p in data["params"]]
    accums = [np.zeros_like(p) for p in params]

    def step(x, labels):
        loss, grads, _ = dense_head(x.reshape(len(labels), -1), labels, *params)
        momentum_update(params, grads, accums, LR, MOMENTUM)
        return loss, grads

    return step, params


def _epoch_result(loss, grads, params, to_numpy) -> dict[str, np.ndarray]:
    """The last step's loss (and gradients, if given) and the parameters after the epoch."""
    out = {"loss": to_numpy(loss)}
    for name, g in zip(NAMES, grads or (), strict=False):
        out[f"grad {name}"] = to_numpy(g)
    for name, p in zip(NAMES, params, strict=True):
        out[f"updated {name}"] = to_numpy(p).copy()
    return out


def make_numpy(data: dict) -> h.Impl:
    step, params = _numpy_trainer(data)
    batches = data["batches"]

    def epoch():
        for x, labels in batches:
            loss, grads = step(x, labels)
        return loss, grads

    def first():
        loss, grads = epoch()
        return _epoch_result(loss, grads, params, np.asarray)

    return h.Impl("numpy", h.numpy_version(), epoch, first)


def make_numpy_pipeline(data: dict) -> h.Impl:
    """The floor of the whole epoch: each batch converted from uint8 HWC by hand, then a step."""
    step, params = _numpy_trainer(data)
    images, labels = data["images"], data["labels"]
    scale, shift = np.float32(1 / STD), np.float32(-MEAN / STD)

    def epoch():
        for i in range(0, len(images), BATCH):
            x = images[i : i + BATCH].astype(np.float32)
            x *= np.float32(1 / 255)
            x *= scale
            x += shift
            x = x.transpose(0, 3, 1, 2)
            loss, _ = step(x, labels[i : i + BATCH].astype(np.int32))
        return loss

    def first():
        return _epoch_result(epoch(), None, params, np.asarray)

    return h.Impl("numpy", h.numpy_version(), epoch, first)


# --------------------------------------------------------------------------------------------
# minispore, as the example writes it.


def _minispore_net(data: dict):
    import minispore as mindspore
    from minispore import Tensor
    from minispore.examples.digits_models import MLP

    net = MLP()
    params = net.trainable_params()
    for p, value in zip(params, data["params"], strict=True):
        p.set_data(Tensor(value.copy(), mindspore.float32))
    return net, params


def make_minispore(data: dict) -> h.Impl:
    import minispore as mindspore
    from minispore import Tensor, nn

    net, params = _minispore_net(data)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = nn.Momentum(params, learning_rate=LR, momentum=MOMENTUM)
    batches = [(Tensor(x), Tensor(y)) for x, y in data["batches"]]

    def forward(x, labels):
        return loss_fn(net(x), labels)

    grad_fn = mindspore.value_and_grad(forward, None, optimizer.parameters)
    net.set_train()

    def epoch():
        for x, labels in batches:
            loss, grads = grad_fn(x, labels)
            optimizer(grads)
        return loss, grads

    def first():
        loss, grads = epoch()
        return _epoch_result(loss, grads, params, lambda t: t.asnumpy())

    return h.Impl("minispore", h.minispore_version(mindspore), epoch, first)


def make_minispore_pipeline(data: dict) -> h.Impl:
    import minispore as mindspore
    from minispore import nn
    from minispore.examples.digits import create_dataset, load_sources
    from minispore.train import Callback, Model

    net, params = _minispore_net(data)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = nn.Momentum(params, learning_rate=LR, momentum=MOMENTUM)
    model = Model(net, loss_fn, optimizer)
    train, _ = load_sources(None, shuffle=False)
    dataset = create_dataset(train, BATCH)

    class LastLoss(Callback):
        def on_train_step_end(self, run_context):
            self.loss = run_context.original_args().net_outputs

    last = LastLoss()

    def epoch():
        model.train(1, dataset, callbacks=[last])
        return last.loss

    def first():
        return _epoch_result(epoch(), None, params, lambda t: t.asnumpy())

    return h.Impl("minispore", h.minispore_version(mindspore), epoch, first)


# --------------------------------------------------------------------------------------------
# PyTorch (the training loop only).


def make_torch(data: dict) -> h.Impl:
    import torch
    import torch.nn.functional as F
    from torch import nn

    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(SIZES[0], SIZES[1]),
        nn.ReLU(),
        nn.Linear(SIZES[1], SIZES[2]),
        nn.ReLU(),
        nn.Linear(SIZES[2], SIZES[3]),
    )
    params = list(model.parameters())
    with torch.no_grad():
        for p, value in zip(params, data["params"], strict=True):
            p.copy_(torch.from_numpy(value))
    optimizer = torch.optim.SGD(params, lr=LR, momentum=MOMENTUM)
    # Class indices must be int64 in PyTorch.
    batches = [
        (torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))) for x, y in data["batches"]
    ]

    def epoch():
        for x, labels in batches:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), labels)
            loss.backward()
            optimizer.step()
        return loss, [p.grad for p in params]

    def first():
        loss, grads = epoch()
        return _epoch_result(loss, grads, params, lambda t: t.detach().numpy())

    return h.Impl("torch", torch.__version__, epoch, first, memory=False, pool="torch")


def _log_throughput(rows: list[dict], samples: int) -> None:
    for r in rows:
        if r.get("status") == "ok":
            rate = samples / (r["median_us"] * 1e-6)
            h.log(f"   {r['workload']} {r['impl']}: {rate:,.0f} samples/s")


def run(settings: h.Settings, pipeline: bool = True) -> list[dict]:
    """``digits_epoch``, then (with ``pipeline``) ``digits_epoch_pipeline``."""
    try:
        data = make_data()
    except ImportError as exc:
        h.log(f"== digits_epoch: skipped, the bundled digits need scikit-learn ({exc})")
        return []
    samples = len(data["labels"])
    shape = f"MLP {'-'.join(map(str, SIZES))}, {samples} digits, batch {BATCH}, momentum SGD"
    peers = {"minispore": make_minispore, "torch": make_torch}
    impls, skipped = h.build_impls(make_numpy, peers, data, settings)
    rows = h.run_workload(
        "digits_epoch",
        f"one epoch over pre-batched arrays: {shape}",
        impls,
        settings,
        target=TARGET,
        rtol=RTOL,
        skipped=skipped,
    )
    if pipeline:
        impls, skipped = h.build_impls(
            make_numpy_pipeline, {"minispore": make_minispore_pipeline}, data, settings
        )
        rows += h.run_workload(
            "digits_epoch_pipeline",
            f"one epoch from uint8 images, dataset pipeline and Model.train: {shape}",
            impls,
            settings,
            target=TARGET,
            rtol=RTOL,
            skipped=skipped,
        )
    _log_throughput(rows, samples)
    return rows


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    h.add_common_args(parser)
    parser.add_argument(
        "--loop-only", action="store_true", help="only digits_epoch (no dataset pipeline)"
    )
    args = parser.parse_args(argv)
    settings = h.settings_from_args(args, big=True)
    rows = run(settings, pipeline=not args.loop_only)
    h.print_table(rows, settings)
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
