"""Helpers shared by the test files: seeded generators and central-difference gradients."""

import numpy as np


def rng(seed=0):
    return np.random.default_rng(seed)


def num_grad(f, x, eps=1e-6):
    """Central-difference gradient of the scalar function `f` at `x` (float64)."""
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        g[i] = (f(xp) - f(xm)) / (2 * eps)
    return g
