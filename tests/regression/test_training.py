"""The 'gd' / 'sgd' solvers: a minispore optimizer on mini-batches reaches the closed-form or
Newton solution, with progress shown when verbose."""

import builtins
import sys

import numpy as np
import pytest

from minispore.regression import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge

from .conftest import assert_coef


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(10)
    X = rng.normal(size=(400, 4))
    y = 3.0 + X @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.1 * rng.normal(size=400)
    return X, y


@pytest.fixture(scope="module")
def binary():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(500, 4))
    z = 0.3 + X @ np.array([1.5, -1.0, 0.5, 0.0])
    return X, (rng.random(500) < 1 / (1 + np.exp(-z))).astype(float)


@pytest.mark.parametrize(
    "make",
    [
        lambda **kw: LinearRegression(**kw),
        lambda **kw: Ridge(alpha=20.0, **kw),
        lambda **kw: Lasso(alpha=0.05, **kw),
        lambda **kw: ElasticNet(alpha=0.05, l1_ratio=0.5, **kw),
    ],
    ids=["linear", "ridge", "lasso", "elasticnet"],
)
def test_full_batch_gradient_descent_reaches_the_exact_solution(data, make):
    X, y = data
    exact = make().fit(X, y)
    gd = make(solver="gd", learning_rate=0.5, epochs=300).fit(X, y)
    assert_coef(gd.coef_, exact.coef_, rtol=1e-6)
    assert gd.intercept_ == pytest.approx(exact.intercept_, abs=1e-6)
    assert gd.n_iter_ == 300


def test_lasso_proximal_steps_give_exact_zeros(data):
    X, y = data
    gd = Lasso(alpha=0.05, solver="gd", learning_rate=0.5, epochs=300).fit(X, y)
    assert gd.coef_[3] == 0.0 and np.all(gd.coef_[:3] != 0)


def test_minibatch_sgd_gets_close(data):
    X, y = data
    exact = LinearRegression().fit(X, y)
    sgd = LinearRegression(solver="sgd", learning_rate=0.05, batch_size=32, epochs=20)
    sgd.set_params(random_state=0).fit(X, y)
    assert_coef(sgd.coef_, exact.coef_, rtol=1e-2)
    again = LinearRegression(**sgd.get_params()).fit(X, y)
    np.testing.assert_array_equal(again.coef_, sgd.coef_)  # seeded shuffling


@pytest.mark.parametrize("solver", ["gd", "sgd"])
def test_logistic_training_approaches_newton(binary, solver):
    X, y = binary
    newton = LogisticRegression(C=0.5, tol=1e-10).fit(X, y)
    kw = {"learning_rate": 1.0, "epochs": 500} if solver == "gd" else {"epochs": 60}
    trained = LogisticRegression(C=0.5, solver=solver, random_state=0, **kw)
    if solver == "sgd":
        trained.set_params(learning_rate=0.05, batch_size=32)
    trained.fit(X, y)
    rtol = 1e-4 if solver == "gd" else 5e-2
    assert_coef(trained.coef_, newton.coef_, rtol=rtol)
    assert trained.score(X, y) == pytest.approx(newton.score(X, y), abs=0.01)


def test_multinomial_gradient_descent(iris):
    X, y = iris
    newton = LogisticRegression(C=1.0, tol=1e-10).fit(X, y)
    gd = LogisticRegression(C=1.0, solver="gd", learning_rate=3.0, epochs=400).fit(X, y)
    assert_coef(gd.coef_, newton.coef_, rtol=1e-3)
    assert gd.coef_.shape == (3, 4)


def test_l1_logistic_gradient_descent_keeps_exact_zeros(binary):
    X, y = binary
    ref = LogisticRegression("l1", C=0.02, tol=1e-10).fit(X, y)
    gd = LogisticRegression("l1", C=0.02, solver="gd", learning_rate=1.0, epochs=600).fit(X, y)
    assert_coef(gd.coef_, ref.coef_, rtol=1e-3)
    np.testing.assert_array_equal(gd.coef_ == 0, ref.coef_ == 0)


def test_verbose_prints_lines_without_tqdm(data, monkeypatch, capsys):
    X, y = data
    real_import = builtins.__import__

    def no_tqdm(name, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError("no tqdm")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "tqdm", raising=False)
    monkeypatch.delitem(sys.modules, "tqdm.auto", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    LinearRegression(solver="gd", epochs=20, verbose=True).fit(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 10
    assert lines[-1].startswith("LinearRegression(solver='gd'): epoch 20/20, loss ")


def test_verbose_shows_a_tqdm_bar(data, capsys):
    pytest.importorskip("tqdm")
    X, y = data
    LinearRegression(solver="sgd", epochs=3, verbose=True).fit(X, y)
    err = capsys.readouterr().err
    assert "3/3" in err and "loss=" in err


def test_divergence_is_reported(data):
    X, y = data
    with pytest.raises(FloatingPointError, match="learning rate 100.0 is too large"):
        LinearRegression(solver="gd", learning_rate=100.0, epochs=200).fit(X * 1e3, y)
