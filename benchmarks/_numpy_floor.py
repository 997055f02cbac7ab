"""Pieces of the hand-written NumPy floors shared by the training-step workloads: the 3-layer
ReLU head with softmax cross entropy, forward and backward, and MindSpore's momentum update."""

from __future__ import annotations

import numpy as np


def dense_head(f, labels, w1, b1, w2, b2, w3, b3):
    """Forward and backward of `relu(relu(f @ w1.T + b1) @ w2.T + b2) @ w3.T + b3` under the mean
    softmax cross entropy with class indices `labels`.

    Returns `(loss, (g_w1, g_b1, g_w2, g_b2, g_w3, g_b3), d1)`, where `d1` is the gradient at the
    first layer's pre-activation (`d1 @ w1` is the gradient w.r.t. `f`, for a network below).
    """
    n = len(labels)
    rows = np.arange(n)
    h1 = f @ w1.T
    h1 += b1
    np.maximum(h1, 0, out=h1)
    h2 = h1 @ w2.T
    h2 += b2
    np.maximum(h2, 0, out=h2)
    logits = h2 @ w3.T
    logits += b3
    # NOTE: log-softmax shifted by the row maximum, so exp never overflows.
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    s = e.sum(axis=1, keepdims=True)
    loss = np.log(s).mean() - logits[rows, labels].mean()
    # d loss / d logits = (softmax - onehot) / n
    d3 = e
    d3 /= s
    d3[rows, labels] -= 1
    d3 /= n
    g_w3, g_b3 = d3.T @ h2, d3.sum(axis=0)
    d2 = d3 @ w3
    d2 *= h2 > 0
    g_w2, g_b2 = d2.T @ h1, d2.sum(axis=0)
    d1 = d2 @ w2
    d1 *= h1 > 0
    g_w1, g_b1 = d1.T @ f, d1.sum(axis=0)
    return loss, (g_w1, g_b1, g_w2, g_b2, g_w3, g_b3), d1


def momentum_update(params, grads, accums, lr, momentum):
    """MindSpore's rule, in place: `accum = momentum * accum + grad; param -= lr * accum`."""
    for p, g, a in zip(params, grads, accums, strict=True):
        a *= momentum
        a += g
        p -= lr * a
