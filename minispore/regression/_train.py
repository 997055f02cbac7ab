"""The `'gd'` / `'sgd'` solvers: training with a minispore optimizer on mini-batches, as the seed
teaches (`value_and_grad` of the loss with respect to the optimizer's parameters, then `opt(grads)`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from minispore.regression._solvers import soft_threshold
from minispore.regression._validation import check_int, check_number
from minispore.tensor import _wrap


def check_training_params(est, where: str) -> None:
    check_number(est.learning_rate, where, "learning_rate", low=0.0, low_open=True)
    check_int(est.batch_size, where, "batch_size")
    check_int(est.epochs, where, "epochs")


def _sgd_class():
    from minispore import nn

    sgd = getattr(nn, "SGD", None)
    if sgd is None:  # pragma: no cover - only while minispore.nn has no optimizers
        raise NotImplementedError(
            "solver='gd'/'sgd' trains with minispore.nn.SGD, which this build does not provide"
        )
    return sgd


def train(
    make_loss: Callable,
    init: dict[str, np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
    *,
    full_batch: bool,
    learning_rate: float,
    batch_size: int,
    epochs: int,
    random_state,
    verbose: bool,
    l1: float = 0.0,
    desc: str = "fit",
) -> tuple[list[np.ndarray], int]:
    """Minimise a mean loss by (mini-batch) gradient descent with `minispore.nn.SGD`.

    Args:
        make_loss: `make_loss(*params)` returns `loss(x_batch, y_batch)`, a minispore function of
            the batch that reads the given Parameters.
        init: initial values by parameter name; the first is the coefficient vector, the one
            the l1 term applies to.
        full_batch: 'gd' (every step sees all samples, in order) or 'sgd' (shuffled batches of
            `batch_size` each epoch, from `np.random.default_rng(random_state)`).
        l1: weight of an l1 term handled by its proximal step (soft-thresholding by
            learning_rate * l1 after each optimizer step), which gives exact zeros.
        verbose: a tqdm progress bar per epoch when tqdm is installed, else printed lines.

    Returns:
        (final parameter values, number of epochs run).
    """
    from minispore import Parameter, value_and_grad

    params = [Parameter(_wrap(np.array(v, dtype=np.float64)), name=k) for k, v in init.items()]
    opt = _sgd_class()(params, learning_rate=learning_rate)
    step = value_and_grad(make_loss(*params), None, opt.parameters)
    size = X.shape[0] if full_batch else min(batch_size, X.shape[0])
    rng = np.random.default_rng(random_state)
    epochs_iter, report = _progress(epochs, verbose, desc)
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        for epoch in epochs_iter:
            mean_loss = _epoch(step, opt, params, X, Y, full_batch, size, rng, learning_rate, l1)
            if not np.isfinite(mean_loss):
                raise FloatingPointError(
                    f"{desc}: the training loss became {mean_loss} at epoch {epoch + 1}; the "
                    f"learning rate {learning_rate} is too large for this data: lower it, or "
                    "standardise the columns of X"
                )
            report(epoch, mean_loss)
    return [p.asnumpy() for p in params], epochs


def _epoch(step, opt, params, X, Y, full_batch, size, rng, learning_rate, l1) -> float:
    """One pass over the data; returns the mean training loss."""
    n = X.shape[0]
    order = None if full_batch else rng.permutation(n)
    total = 0.0
    for start in range(0, n, size):
        if full_batch:
            idx = slice(None)
            loss, grads = step(_wrap(X), _wrap(Y))
        else:
            idx = order[start : start + size]
            loss, grads = step(_wrap(X[idx]), _wrap(Y[idx]))
        opt(grads)
        if l1 > 0:
            coef = params[0]._value
            coef[...] = soft_threshold(coef, learning_rate * l1)
        total += float(loss.asnumpy()) * (n if full_batch else len(idx))
    return total / n


def _progress(epochs: int, verbose: bool, desc: str):
    """An epoch iterator and a reporting callback: tqdm's bar, printed lines, or nothing."""
    if not verbose:
        return range(epochs), lambda epoch, loss: None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        every = max(1, epochs // 10)

        def report(epoch, loss):
            if (epoch + 1) % every == 0 or epoch + 1 == epochs:
                print(f"{desc}: epoch {epoch + 1}/{epochs}, loss {loss:.6g}", flush=True)

        return range(epochs), report
    bar = tqdm(range(epochs), desc=desc, unit="epoch")
    return bar, lambda epoch, loss: bar.set_postfix(loss=f"{loss:.6g}")
