"""The fixed problem behind the Model goldens: data, initial weights, metric inputs (plain NumPy).

Imported both by `make_golden.py` (under MindSpore) and by the minispore tests, so the two runs
start from the same numbers.
"""

import numpy as np

IN, OUT = 4, 3
N_TRAIN, N_VALID, BATCH = 40, 24, 8
STEPS = N_TRAIN // BATCH  # steps per epoch
LR, MOMENTUM = 0.1, 0.9


def data(split="train"):
    """`(x, y)`: float32 features and int32 labels of a noisy linear 3-class problem."""
    rng = np.random.default_rng(7)
    w_true = rng.normal(size=(IN, OUT))
    x = rng.normal(size=(N_TRAIN + N_VALID, IN))
    y = np.argmax(x @ w_true + 0.8 * rng.normal(size=(N_TRAIN + N_VALID, OUT)), axis=1)
    sl = slice(0, N_TRAIN) if split == "train" else slice(N_TRAIN, None)
    return x[sl].astype(np.float32), y[sl].astype(np.int32)


def initial_weights():
    """`(weight, bias)` of the Dense(IN, OUT) layer every run starts from."""
    rng = np.random.default_rng(3)
    return (rng.normal(0.0, 0.3, size=(OUT, IN)).astype(np.float32), np.zeros(OUT, np.float32))


def metric_inputs():
    """Fixed inputs for every metric and option."""
    rng = np.random.default_rng(11)
    logits = rng.normal(size=(8, 4)).astype(np.float32)
    labels = np.array([0, 1, 2, 3, 1, 2, 2, 0], np.int32)
    logits6 = rng.normal(size=(7, 6)).astype(np.float32)
    labels6 = np.array([5, 0, 3, 2, 2, 1, 4], np.int32)
    return {
        "logits": logits,
        "labels": labels,
        "onehot": np.eye(4, dtype=np.float32)[labels],
        "ml_pred": np.array([[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1], [1, 0, 0]], np.float32),
        "ml_true": np.array([[1, 0, 0], [0, 1, 1], [1, 1, 0], [1, 0, 1], [1, 0, 1]], np.float32),
        "scores": np.array([0.1, 0.4, 0.35, 0.8, 0.25, 0.6], np.float32),
        "binary": np.array([0, 0, 1, 1, 1, 0], np.int32),
        "binary_pred": np.array([0, 1, 1, 1, 0, 0], np.int32),
        "logits6": logits6,
        "labels6": labels6,
        "onehot6": np.eye(6, dtype=np.float32)[labels6],
        "reg_pred": rng.normal(size=(5, 2)).astype(np.float32),
        "reg_true": rng.normal(size=(5, 2)).astype(np.float32),
    }
