"""The estimators' objective functions, written with `minispore.ops` so that `grad`, `jvp` and
`hessian` apply to them; arguments are Tensors (or Parameters) and Python floats.

The scale conventions are scikit-learn's (see each function); the mini-batch solvers use the
per-sample (mean) forms, whose minimiser is the same.
"""

from __future__ import annotations

import numpy as np

from minispore import grad, jvp, ops
from minispore.tensor import Tensor, _wrap


def linear_predictor(coef: Tensor, intercept: Tensor | None, X: Tensor) -> Tensor:
    z = ops.matmul(X, coef)
    return z if intercept is None else z + intercept


def ridge_objective(coef, intercept, X, y, alpha: float) -> Tensor:
    """scikit-learn's Ridge objective ||y - X coef - intercept||^2 + alpha ||coef||^2."""
    r = y - linear_predictor(coef, intercept, X)
    return ops.sum(r * r) + alpha * ops.sum(coef * coef)


def enet_objective(coef, intercept, X, y, alpha: float, l1_ratio: float) -> Tensor:
    """scikit-learn's ElasticNet objective (Lasso for l1_ratio = 1), for a 1-D target:

    1/(2n) ||y - X coef - intercept||^2 + alpha l1_ratio ||coef||_1
    + alpha (1 - l1_ratio) / 2 ||coef||^2.
    """
    n = X.shape[0]
    r = y - linear_predictor(coef, intercept, X)
    return (
        ops.sum(r * r) / (2 * n)
        + alpha * l1_ratio * ops.sum(ops.abs(coef))
        + 0.5 * alpha * (1 - l1_ratio) * ops.sum(coef * coef)
    )


def mean_squared_loss(coef, intercept, X, y, l2: float) -> Tensor:
    """Mini-batch form: sum of squared residuals / (2 batch size) + l2 / 2 ||coef||^2."""
    r = y - linear_predictor(coef, intercept, X)
    loss = ops.sum(r * r) / (2 * X.shape[0])
    return loss + 0.5 * l2 * ops.sum(coef * coef) if l2 else loss


def binary_nll(z: Tensor, y: Tensor) -> Tensor:
    """Sum of the logistic losses log(1 + e^z) - y z (the negative Bernoulli log-likelihood)."""
    return ops.sum(ops.softplus(z) - y * z)


def multinomial_nll(Z: Tensor, Y: Tensor) -> Tensor:
    """Sum over samples of logsumexp(z_i) - <y_i, z_i> for one-hot rows Y (softmax regression)."""
    return ops.sum(ops.logsumexp(Z, 1)) - ops.sum(Y * Z)


def logistic_objective(coef, intercept, X, Y, C: float, l1: float, l2: float) -> Tensor:
    """scikit-learn's LogisticRegression objective:

    C * sum_i logloss_i + l1 ||coef||_1 + l2 / 2 ||coef||^2, with (l1, l2) = (0, 1) for 'l2',
    (1, 0) for 'l1', (l1_ratio, 1 - l1_ratio) for 'elasticnet' and (0, 0) with C = 1 for None.
    `coef` is (p,) for two classes (then Y holds 0/1) or (p, K) with one-hot Y.
    """
    Z = linear_predictor(coef, intercept, X)
    nll = binary_nll(Z, Y) if Y.ndim == 1 else multinomial_nll(Z, Y)
    out = C * nll
    if l1:
        out = out + l1 * ops.sum(ops.abs(coef))
    if l2:
        out = out + 0.5 * l2 * ops.sum(coef * coef)
    return out


def mean_logistic_loss(coef, intercept, X, Y, l2: float) -> Tensor:
    """Mini-batch form: mean logloss + l2 / 2 ||coef||^2 (l2 = (1 - l1_ratio) / (C n))."""
    Z = linear_predictor(coef, intercept, X)
    nll = binary_nll(Z, Y) if Y.ndim == 1 else multinomial_nll(Z, Y)
    loss = nll / X.shape[0]
    return loss + 0.5 * l2 * ops.sum(coef * coef) if l2 else loss


def logit_log_likelihood(params: Tensor, X1: Tensor, y: Tensor) -> Tensor:
    """The Bernoulli log-likelihood of statsmodels' Logit; X1 holds the constant column if any."""
    return -binary_nll(ops.matmul(X1, params), y)


def nll_derivatives(Z: np.ndarray, Y: np.ndarray):
    """Gradient and curvature of the summed logloss with respect to the linear predictor.

    The loss is a sum of per-sample terms, so its Hessian in Z is block diagonal: K x K per
    sample. Forward mode over reverse mode (`jvp` of `grad`) along the direction that is 1 in
    column k for every sample gives column k of every block at once: K passes in all.

    Returns:
        (g, h): g has Z's shape; h is (n,) for a 1-D Z, (n, K, K) otherwise.
    """
    Yt = _wrap(Y)
    if Z.ndim == 1:
        g, h = jvp(grad(lambda z: binary_nll(z, Yt)), _wrap(Z), _wrap(np.ones_like(Z)))
        return g.asnumpy(), h.asnumpy()
    gfun = grad(lambda z: multinomial_nll(z, Yt))
    n, K = Z.shape
    h = np.empty((n, K, K))
    g = None
    for k in range(K):
        e = np.zeros_like(Z)
        e[:, k] = 1.0
        g_t, hk = jvp(gfun, _wrap(Z), _wrap(e))
        g = g_t.asnumpy()
        h[:, :, k] = hk.asnumpy()
    return g, h
