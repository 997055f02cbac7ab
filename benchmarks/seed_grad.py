"""Benchmark ``seed_grad``: ``grad(function, (2, 3))(x, y, w, b)`` of the seed document.

The single-layer linear model with binary cross entropy from MindSpore's functional-autodiff
tutorial, timed per gradient call in minispore (eager, and compiled with ``jit``), in
hand-written NumPy (the floor), and in PyTorch, HIPS autograd and JAX (``jax.jit``) where they
are installed. Run ``python benchmarks/seed_grad.py``.
"""

from __future__ import annotations

import argparse
import sys

import _harness as h
import numpy as np

WORKLOAD = "seed_grad"
DESCRIPTION = "grad(function, (2, 3))(x, y, w, b): 5 -> 3 linear layer, BCE with logits"
TARGET = {"time_us": 100.0}
JIT_TARGET = {"time_us": 25.0}


def make_data(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.RandomState(seed)
    return {
        "x": np.ones(5, np.float32),
        "y": np.zeros(3, np.float32),
        "w": rng.randn(5, 3).astype(np.float32),
        "b": rng.randn(3).astype(np.float32),
    }


# --------------------------------------------------------------------------------------------
# The NumPy floor: forward and backward by hand.


def make_numpy(data: dict[str, np.ndarray]) -> h.Impl:
    x, y, w, b = data["x"], data["y"], data["w"].copy(), data["b"].copy()

    def call():
        z = x @ w
        z += b
        weight = np.ones_like(z)
        pos_weight = np.ones_like(z)
        # NOTE: stable form, as in MindSpore/PyTorch: with lw = 1 + (pos_weight - 1) * y,
        # loss = weight * ((1 - y) * z + lw * softplus(-z)), softplus(-z) = -log(sigmoid(z)).
        log_weight = 1 + (pos_weight - 1) * y
        softplus_neg = np.logaddexp(0, -z)
        loss = np.mean(weight * ((1 - y) * z + log_weight * softplus_neg))
        # d loss / dz = weight * ((1 - y) - lw * sigmoid(-z)) / n, sigmoid(z) = exp(-softplus(-z))
        dz = weight * ((1 - y) - log_weight * (1 - np.exp(-softplus_neg)))
        dz /= z.size
        return np.outer(x, dz), dz, loss

    def first():
        gw, gb, loss = call()
        return {"loss": loss, "grad_w": gw, "grad_b": gb}

    return h.Impl("numpy", h.numpy_version(), lambda: call()[:2], first)


# --------------------------------------------------------------------------------------------
# minispore, written exactly as in the seed.


def make_minispore(data: dict[str, np.ndarray], jit: bool = False) -> h.Impl:
    import minispore as mindspore
    from minispore import Parameter, Tensor, ops

    x = ops.ones(5, mindspore.float32)
    y = ops.zeros(3, mindspore.float32)
    w = Parameter(Tensor(data["w"].copy(), mindspore.float32), name="w")
    b = Parameter(Tensor(data["b"].copy(), mindspore.float32), name="b")

    def function(x, y, w, b):
        z = ops.matmul(x, w) + b
        loss = ops.binary_cross_entropy_with_logits(z, y, ops.ones_like(z), ops.ones_like(z))
        return loss

    grad_fn = mindspore.grad(function, (2, 3))
    if jit:
        grad_fn = mindspore.jit(grad_fn)

    def call():
        return grad_fn(x, y, w, b)

    def first():
        call()  # with jit: the first call captures, the second runs compiled
        gw, gb = call()
        loss = function(x, y, w, b)
        return {"loss": loss.asnumpy(), "grad_w": gw.asnumpy(), "grad_b": gb.asnumpy()}

    name = "minispore_jit" if jit else "minispore"
    return h.Impl(name, h.minispore_version(mindspore), call, first)


def make_minispore_jit(data: dict[str, np.ndarray]) -> h.Impl:
    return make_minispore(data, jit=True)


# --------------------------------------------------------------------------------------------
# Peers.


def make_torch(data: dict[str, np.ndarray]) -> h.Impl:
    import torch
    import torch.nn.functional as F

    x = torch.ones(5, dtype=torch.float32)
    y = torch.zeros(3, dtype=torch.float32)
    w = torch.tensor(data["w"], requires_grad=True)
    b = torch.tensor(data["b"], requires_grad=True)

    def function(x, y, w, b):
        z = torch.matmul(x, w) + b
        return F.binary_cross_entropy_with_logits(
            z, y, torch.ones_like(z), pos_weight=torch.ones_like(z)
        )

    def call():
        return torch.autograd.grad(function(x, y, w, b), (w, b))

    def first():
        gw, gb = call()
        with torch.no_grad():
            loss = function(x, y, w, b)
        return {"loss": loss.numpy(), "grad_w": gw.numpy(), "grad_b": gb.numpy()}

    return h.Impl("torch", torch.__version__, call, first, memory=False, pool="torch")


def make_autograd(data: dict[str, np.ndarray]) -> h.Impl:
    import autograd
    import autograd.numpy as anp

    x, y, w, b = data["x"], data["y"], data["w"].copy(), data["b"].copy()

    def function(x, y, w, b):
        z = anp.matmul(x, w) + b
        weight = anp.ones_like(z)
        pos_weight = anp.ones_like(z)
        log_weight = 1 + (pos_weight - 1) * y
        return anp.mean(weight * ((1 - y) * z + log_weight * anp.logaddexp(0, -z)))

    grad_fn = autograd.grad(function, (2, 3))

    def call():
        return grad_fn(x, y, w, b)

    def first():
        gw, gb = call()
        return {"loss": function(x, y, w, b), "grad_w": gw, "grad_b": gb}

    return h.Impl("autograd", h.package_version("autograd"), call, first)


def make_jax(data: dict[str, np.ndarray]) -> h.Impl:
    import jax
    import jax.numpy as jnp

    x, y = jnp.asarray(data["x"]), jnp.asarray(data["y"])
    w, b = jnp.asarray(data["w"]), jnp.asarray(data["b"])

    def function(x, y, w, b):
        z = jnp.matmul(x, w) + b
        weight = jnp.ones_like(z)
        pos_weight = jnp.ones_like(z)
        log_weight = 1 + (pos_weight - 1) * y
        return jnp.mean(weight * ((1 - y) * z + log_weight * jax.nn.softplus(-z)))

    grad_fn = jax.jit(jax.grad(function, (2, 3)))

    def call():
        return jax.block_until_ready(grad_fn(x, y, w, b))

    def first():
        gw, gb = call()
        loss = function(x, y, w, b)
        return {"loss": np.asarray(loss), "grad_w": np.asarray(gw), "grad_b": np.asarray(gb)}

    return h.Impl("jax", jax.__version__, call, first, memory=False, pool="jax")


PEERS = {
    "minispore": make_minispore,
    "minispore_jit": make_minispore_jit,
    "autograd": make_autograd,
    "torch": make_torch,
    "jax": make_jax,
}


def run(settings: h.Settings) -> list[dict]:
    data = make_data()
    impls, skipped = h.build_impls(make_numpy, PEERS, data, settings)
    return h.run_workload(
        WORKLOAD,
        DESCRIPTION,
        impls,
        settings,
        target=TARGET,
        targets={"minispore_jit": JIT_TARGET},
        rtol=1e-4,
        skipped=skipped,
    )


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    h.add_common_args(parser)
    settings = h.settings_from_args(parser.parse_args(argv))
    rows = run(settings)
    h.print_table(rows, settings)
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
