"""Benchmark ``vmap_per_sample_grad``: per-sample gradients of a small MLP with ``vmap(grad(...))``.

An MLP 32-64-10 with ReLU and softmax cross entropy (one-hot labels), batch 64, float32: the
gradient of every example's loss with respect to every parameter, timed as ``vmap(grad(loss))``
in minispore, as a Python loop of ``grad`` calls (``minispore_loop``), as hand-written NumPy (the
floor) and, where installed, as PyTorch's ``torch.func.vmap(torch.func.grad(...))``.
Run ``python benchmarks/vmap_per_sample_grad.py``.
"""

from __future__ import annotations

import argparse
import sys

import _harness as h
import numpy as np

WORKLOAD = "vmap_per_sample_grad"
DESCRIPTION = "vmap(grad(loss)): MLP 32-64-10, ReLU, cross entropy, per-sample gradients, batch 64"
D, H, C, B = 32, 64, 10, 64


def make_data(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.RandomState(seed)
    return {
        "w1": (rng.randn(H, D) / np.sqrt(D)).astype(np.float32),
        "b1": (0.1 * rng.randn(H)).astype(np.float32),
        "w2": (rng.randn(C, H) / np.sqrt(H)).astype(np.float32),
        "b2": (0.1 * rng.randn(C)).astype(np.float32),
        "x": rng.randn(B, D).astype(np.float32),
        "y": np.eye(C, dtype=np.float32)[rng.randint(0, C, B)],
    }


def _result(gw1, gb1, gw2, gb2):
    return {"grad_w1": gw1, "grad_b1": gb1, "grad_w2": gw2, "grad_b2": gb2}


# --------------------------------------------------------------------------------------------
# The NumPy floor: every example's backward pass by hand, batched.


def make_numpy(data: dict[str, np.ndarray]) -> h.Impl:
    w1, b1, w2, b2, x, y = (data[k] for k in ("w1", "b1", "w2", "b2", "x", "y"))

    def call():
        pre = x @ w1.T
        pre += b1
        hid = np.maximum(pre, 0)
        logits = hid @ w2.T
        logits += b2
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        dlogits = p - y  # d loss_n / d logits_n
        gw2 = dlogits[:, :, None] * hid[:, None, :]
        dpre = dlogits @ w2
        dpre *= pre > 0
        gw1 = dpre[:, :, None] * x[:, None, :]
        return gw1, dpre, gw2, dlogits

    return h.Impl("numpy", h.numpy_version(), call, lambda: _result(*call()))


# --------------------------------------------------------------------------------------------
# minispore: vmap of grad, and the same gradient in a Python loop over the examples.


def _minispore_setup(data):
    import minispore as mindspore
    from minispore import Tensor, ops

    params = [Tensor(data[k]) for k in ("w1", "b1", "w2", "b2")]
    x, y = Tensor(data["x"]), Tensor(data["y"])

    def loss(w1, b1, w2, b2, xi, yi):
        hid = ops.relu(ops.dense(xi, w1, b1))
        logits = ops.dense(hid, w2, b2)
        return -(ops.log_softmax(logits, -1) * yi).sum()

    return mindspore, params, x, y, mindspore.grad(loss, (0, 1, 2, 3))


def make_minispore(data: dict[str, np.ndarray]) -> h.Impl:
    mindspore, params, x, y, grad_fn = _minispore_setup(data)
    per_sample = mindspore.vmap(grad_fn, in_axes=(None, None, None, None, 0, 0))

    def call():
        return per_sample(*params, x, y)

    def first():
        return _result(*(g.asnumpy() for g in call()))

    return h.Impl("minispore", h.minispore_version(mindspore), call, first)


def make_minispore_loop(data: dict[str, np.ndarray]) -> h.Impl:
    mindspore, params, x, y, grad_fn = _minispore_setup(data)
    rows = [(x[i], y[i]) for i in range(B)]  # sliced once: the loop's best case

    def call():
        grads = [grad_fn(*params, xi, yi) for xi, yi in rows]
        return [np.stack([g[k].asnumpy() for g in grads]) for k in range(4)]

    return h.Impl("minispore_loop", h.minispore_version(mindspore), call, lambda: _result(*call()))


def make_torch(data: dict[str, np.ndarray]) -> h.Impl:
    import torch
    from torch.func import grad, vmap

    params = [torch.tensor(data[k]) for k in ("w1", "b1", "w2", "b2")]
    x, y = torch.tensor(data["x"]), torch.tensor(data["y"])

    def loss(w1, b1, w2, b2, xi, yi):
        hid = torch.relu(torch.nn.functional.linear(xi, w1, b1))
        logits = torch.nn.functional.linear(hid, w2, b2)
        return -(torch.log_softmax(logits, -1) * yi).sum()

    per_sample = vmap(grad(loss, argnums=(0, 1, 2, 3)), in_dims=(None, None, None, None, 0, 0))

    def call():
        return per_sample(*params, x, y)

    def first():
        return _result(*(g.numpy() for g in call()))

    return h.Impl("torch", torch.__version__, call, first, memory=False, pool="torch")


PEERS = {
    "minispore": make_minispore,
    "minispore_loop": make_minispore_loop,
    "torch": make_torch,
}


def run(settings: h.Settings) -> list[dict]:
    data = make_data()
    impls, skipped = h.build_impls(make_numpy, PEERS, data, settings)
    return h.run_workload(WORKLOAD, DESCRIPTION, impls, settings, rtol=1e-4, skipped=skipped)


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    h.add_common_args(parser)
    settings = h.settings_from_args(parser.parse_args(argv))
    rows = run(settings)
    h.print_table(rows, settings)
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
