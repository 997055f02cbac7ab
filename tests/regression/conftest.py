"""Shared data for the regression tests: scikit-learn's bundled datasets and simulated data."""

import numpy as np
import pytest


@pytest.fixture(scope="session")
def diabetes():
    datasets = pytest.importorskip("sklearn.datasets")
    return datasets.load_diabetes(return_X_y=True)


@pytest.fixture(scope="session")
def cancer():
    """Breast cancer, standardised (the raw columns span six orders of magnitude)."""
    datasets = pytest.importorskip("sklearn.datasets")
    X, y = datasets.load_breast_cancer(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


@pytest.fixture(scope="session")
def iris():
    datasets = pytest.importorskip("sklearn.datasets")
    X, y = datasets.load_iris(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


@pytest.fixture(scope="session")
def simulated():
    """200 x 6 design, y = 3 + X @ [1.5, -2, 0, 0, 0.7, 0] + noise."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 6))
    y = 3.0 + X @ np.array([1.5, -2.0, 0.0, 0.0, 0.7, 0.0]) + rng.normal(size=200)
    return X, y


def assert_coef(got, want, rtol=1e-6):
    """Agreement within rtol relative to the largest reference coefficient, entry by entry."""
    got, want = np.asarray(got, float), np.asarray(want, float)
    assert got.shape == want.shape, (got.shape, want.shape)
    scale = max(float(np.abs(want).max(initial=0.0)), 1e-12)
    err = float(np.abs(got - want).max(initial=0.0))
    assert err <= rtol * scale, f"max abs difference {err:.3e} > {rtol:g} * {scale:.3e}"
