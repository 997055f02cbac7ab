"""Negative log-likelihoods shared by the mle tests, written with minispore ops."""

import math

import numpy as np

from minispore import ops


def normal_nll(p, x):
    mean, sd = p
    n = x.shape[0]
    return (0.5 * ((x - mean) / sd) ** 2).sum() + n * ops.log(sd) + 0.5 * n * math.log(2 * math.pi)


def poisson_nll(rate, x, log_fact):
    return (rate - x * ops.log(rate)).sum() + log_fact


def exponential_nll(rate, x):
    return (rate * x).sum() - x.shape[0] * ops.log(rate)


def bernoulli_nll(p, y):
    return -(y * ops.log(p) + (1 - y) * ops.log(1 - p)).sum()


def log_factorial_sum(counts):
    """sum(log(k!)) over the counts: a constant of the Poisson likelihood (NumPy on data)."""
    return float(sum(math.lgamma(k + 1) for k in np.asarray(counts)))
