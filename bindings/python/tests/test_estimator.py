"""scikit-learn API: clone, Pipeline, cross_val_score, GridSearchCV, check_estimator, pickling."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import linreg

sklearn = pytest.importorskip("sklearn")
from sklearn.base import clone, is_regressor  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

# Checks that cannot apply to this estimator, with the reason.
EXPECTED_FAILED_CHECKS: dict = {
    # (none so far: every regressor check applies to the exact solver)
}


def _expected_failed(estimator):
    return EXPECTED_FAILED_CHECKS


@parametrize_with_checks(
    [linreg.LinearRegression(), linreg.LinearRegression(fit_intercept=False)],
    expected_failed_checks=_expected_failed,
)
def test_sklearn_check_estimator(estimator, check):
    check(estimator)


def test_constructor_stores_params_only():
    est = linreg.LinearRegression(solver="sgd", learning_rate=0.5, epochs=3)
    assert est.get_params()["solver"] == "sgd"
    assert est.get_params()["learning_rate"] == 0.5
    assert not [k for k in vars(est) if k.endswith("_")]
    assert is_regressor(est)
    est.set_params(solver="gd", epochs=7)
    assert est.solver == "gd" and est.epochs == 7


def test_invalid_params_raise_at_fit(regression_data):
    X, y = regression_data
    for params in [
        {"solver": "qr"},
        {"learning_rate": -1.0},
        {"learning_rate": float("nan"), "solver": "gd"},
        {"epochs": 2.5, "solver": "gd"},
        {"batch_size": 0, "solver": "sgd"},
        {"momentum": 1.0, "solver": "sgd"},
        {"alpha": -1.0},
        {"alpha": 1.0, "solver": "gd"},
        {"weight_decay": 0.1},
        {"ci_level": 1.5},
        {"n_threads": -1},
        {"random_state": -3, "solver": "sgd", "shuffle": True},
    ]:
        est = linreg.LinearRegression(**params)
        with pytest.raises(ValueError):
            est.fit(X, y)


def test_clone_and_refit(regression_data):
    X, y = regression_data
    est = linreg.LinearRegression(alpha=0.5).fit(X, y)
    c = clone(est)
    assert c.get_params() == est.get_params()
    assert not hasattr(c, "coef_")
    np.testing.assert_allclose(c.fit(X, y).coef_, est.coef_)


def test_pipeline_cross_val_and_grid_search(regression_data):
    X, y = regression_data
    pipe = make_pipeline(StandardScaler(), linreg.LinearRegression())
    scores = cross_val_score(pipe, X, y, cv=KFold(5, shuffle=True, random_state=0))
    assert scores.shape == (5,) and np.all(scores > 0.99)
    ref = cross_val_score(
        make_pipeline(StandardScaler(), sklearn.linear_model.LinearRegression()),
        X, y, cv=KFold(5, shuffle=True, random_state=0),
    )
    np.testing.assert_allclose(scores, ref, rtol=1e-9)
    grid = GridSearchCV(
        make_pipeline(StandardScaler(), linreg.LinearRegression()),
        {"linearregression__alpha": [0.0, 1.0, 100.0]},
        cv=3,
    ).fit(X, y)
    assert grid.best_params_["linearregression__alpha"] in (0.0, 1.0)
    assert grid.score(X, y) > 0.99


def test_grid_search_over_solvers(regression_data):
    X, y = regression_data
    grid = GridSearchCV(
        linreg.LinearRegression(learning_rate=0.05, epochs=500),
        {"solver": ["exact", "gd", "sgd"], "batch_size": [16]},
        cv=3,
    ).fit(X, y)
    assert grid.best_score_ > 0.99


def test_pickle_roundtrip(regression_data):
    X, y = regression_data
    est = linreg.LinearRegression().fit(X, y)
    est2 = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(est2.predict(X), est.predict(X))
    np.testing.assert_array_equal(est2.bse_, est.bse_)
    np.testing.assert_allclose(est2.conf_int(0.1), est.conf_int(0.1), rtol=1e-10)
    unfitted = pickle.loads(pickle.dumps(linreg.LinearRegression(alpha=2.0)))
    assert unfitted.alpha == 2.0 and not hasattr(unfitted, "coef_")


def test_score_is_r2(regression_data):
    from sklearn.metrics import r2_score

    X, y = regression_data
    est = linreg.LinearRegression().fit(X, y)
    assert est.score(X, y) == pytest.approx(r2_score(y, est.predict(X)))


def test_refit_replaces_model_and_frees(regression_data):
    import gc
    import weakref

    X, y = regression_data
    est = linreg.LinearRegression().fit(X, y)
    first = weakref.ref(est._model)
    est.fit(X[:, :2], y)
    gc.collect()
    assert first() is None
    assert est.n_features_in_ == 2 and est.coef_.shape == (2,)


def test_failed_fit_leaves_estimator_unchanged(regression_data):
    X, y = regression_data
    est = linreg.LinearRegression().fit(X, y)
    coef = est.coef_.copy()
    Xbad = X.copy()
    Xbad[0, 0] = np.nan
    with pytest.raises(FloatingPointError):
        est.fit(Xbad, y)
    np.testing.assert_array_equal(est.coef_, coef)
    np.testing.assert_allclose(est.predict(X), X @ coef + est.intercept_, rtol=1e-12, atol=1e-12)
