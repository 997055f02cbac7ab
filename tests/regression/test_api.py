"""scikit-learn conventions: hyper-parameters, repr, cloning, pipelines and cross-validation."""

import numpy as np
import pytest

import minispore.regression as R

ALL = [
    R.LinearRegression,
    R.Ridge,
    R.Lasso,
    R.ElasticNet,
    R.PolynomialRegression,
    R.LogisticRegression,
    R.StepwiseRegression,
]


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_get_params_lists_every_init_argument_and_set_params_round_trips(cls):
    est = cls()
    params = est.get_params()
    assert params == cls(**params).get_params()
    key = next(iter(params))
    assert est.set_params(**{key: params[key]}) is est
    assert repr(est) == f"{cls.__name__}()"


def test_repr_shows_changed_parameters_only():
    assert repr(R.Lasso(alpha=0.1, max_iter=50)) == "Lasso(alpha=0.1, max_iter=50)"
    assert repr(R.LogisticRegression(None, C=2.0)) == "LogisticRegression(penalty=None, C=2.0)"


def test_sklearn_clone_pipeline_and_cross_validation(diabetes, cancer):
    base = pytest.importorskip("sklearn.base")
    ms = pytest.importorskip("sklearn.model_selection")
    pipeline = pytest.importorskip("sklearn.pipeline")
    pre = pytest.importorskip("sklearn.preprocessing")
    lm = pytest.importorskip("sklearn.linear_model")
    X, y = diabetes
    est = R.Ridge(alpha=0.3)
    copy = base.clone(est)
    assert copy is not est and copy.get_params() == est.get_params()
    ours = ms.cross_val_score(R.Ridge(alpha=0.3), X, y, cv=3)
    ref = ms.cross_val_score(lm.Ridge(alpha=0.3), X, y, cv=3)
    np.testing.assert_allclose(ours, ref, rtol=1e-10)
    grid = ms.GridSearchCV(R.Lasso(), {"alpha": [0.01, 0.1, 1.0]}, cv=3).fit(X, y)
    assert grid.best_params_["alpha"] in (0.01, 0.1, 1.0)
    Xc, yc = cancer
    pipe = pipeline.make_pipeline(pre.StandardScaler(), R.LogisticRegression()).fit(Xc, yc)
    assert pipe.score(Xc, yc) > 0.95


def test_fit_returns_self_and_refit_resets_inference(simulated):
    X, y = simulated
    model = R.LinearRegression()
    assert model.fit(X, y) is model
    first = model.bse_.copy()
    model.fit(X[:100], y[:100])
    assert not np.allclose(model.bse_, first)
    assert model.n_features_in_ == 6


def test_import_as_mindspore_alias():
    import minispore as mindspore
    import minispore.regression  # noqa: F401

    model = mindspore.regression.LinearRegression()
    x = mindspore.Tensor(np.arange(10.0).reshape(-1, 1))
    y = mindspore.Tensor(2 * np.arange(10.0) + 1)
    model.fit(x, y)
    np.testing.assert_allclose([model.coef_[0], model.intercept_], [2.0, 1.0])
