"""scikit-learn API: clone, Pipeline, cross_val_score, GridSearchCV, check_estimator, pickling."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import linreg
from linreg._model import RESIDUAL_STATS

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


# -- scikit-learn conventions ------------------------------------------------


def _lstsq_with_intercept(X, Y):
    """Intercept and coefficients by numpy's lstsq in double, on the data as given."""
    X = np.asarray(X, dtype=np.float64)
    A = np.column_stack([np.ones(len(X)), X])
    sol = np.linalg.lstsq(A, np.asarray(Y, dtype=np.float64), rcond=None)[0]
    return sol[0], sol[1:].T


@pytest.mark.parametrize("two_d", [False, True])
def test_float32_input_keeps_float32_attributes(rng, two_d):
    X = rng.normal(size=(40, 3)).astype(np.float32)
    y = (X.astype(np.float64) @ [1.0, -2.0, 0.5] + 3.0 + 0.1 * rng.normal(size=40)).astype(np.float32)
    Y = y[:, None] if two_d else y
    est = linreg.LinearRegression().fit(X, Y)
    ref = sklearn.linear_model.LinearRegression().fit(X, Y)
    # scikit-learn's dtypes and shapes
    assert est.coef_.dtype == ref.coef_.dtype == np.float32
    assert np.asarray(est.intercept_).dtype == np.asarray(ref.intercept_).dtype == np.float32
    assert type(est.intercept_) is type(ref.intercept_)
    assert est.coef_.shape == ref.coef_.shape
    assert np.shape(est.intercept_) == np.shape(ref.intercept_)
    # the arithmetic stayed in double: the double least-squares answer, rounded once to float32
    b, W = _lstsq_with_intercept(X, Y)
    np.testing.assert_allclose(est.coef_, W.astype(np.float32), rtol=2e-7, atol=1e-7)
    np.testing.assert_allclose(est.intercept_, np.asarray(b, dtype=np.float32), rtol=2e-7)
    Xc = X.astype(np.float64) - X.astype(np.float64).mean(axis=0)
    assert est.singular_.dtype == np.float32
    np.testing.assert_allclose(est.singular_, np.linalg.svd(Xc, compute_uv=False), rtol=1e-6)
    # the statistics and params_ stay double (statsmodels computes them in double)
    assert est.bse_.dtype == np.float64 and est.params_.dtype == np.float64
    np.testing.assert_allclose(est.params_, np.concatenate([np.atleast_1d(b), W.ravel()]).reshape(est.params_.shape),
                               rtol=1e-9)
    # float32 X with float64 y runs in float64 (linreg's rule 3: X and y share one type), so
    # the attributes are float64 (scikit-learn would cast y to float32 instead)
    est64 = linreg.LinearRegression().fit(X, Y.astype(np.float64))
    assert est64.coef_.dtype == np.float64 and np.asarray(est64.intercept_).dtype == np.float64


def test_float64_input_gives_sklearn_types(regression_data):
    X, y = regression_data
    est = linreg.LinearRegression().fit(X, y)
    ref = sklearn.linear_model.LinearRegression().fit(X, y)
    assert est.coef_.dtype == np.float64 and est.coef_.shape == ref.coef_.shape
    # a numpy scalar, as scikit-learn's (also an instance of float)
    assert type(est.intercept_) is type(ref.intercept_) is np.float64 and est.intercept_.shape == ()
    assert isinstance(est.intercept_, float)


def test_one_column_y_has_sklearn_shapes(regression_data):
    X, y = regression_data
    for fit_intercept in (True, False):
        est = linreg.LinearRegression(fit_intercept=fit_intercept).fit(X, y[:, None])
        ref = sklearn.linear_model.LinearRegression(fit_intercept=fit_intercept).fit(X, y[:, None])
        assert est.coef_.shape == ref.coef_.shape == (1, X.shape[1])
        assert est.predict(X).shape == ref.predict(X).shape == (len(X), 1)
        np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-9)
        np.testing.assert_allclose(est.predict(X), ref.predict(X), rtol=1e-9)
        if fit_intercept:
            assert isinstance(est.intercept_, np.ndarray) and est.intercept_.shape == ref.intercept_.shape == (1,)
            np.testing.assert_allclose(est.intercept_, ref.intercept_, rtol=1e-9)
        else:  # scikit-learn's is the scalar 0.0; ours keeps one entry per target
            assert ref.intercept_ == 0.0 and np.all(est.intercept_ == 0.0)
    # ridge: the same shapes (scikit-learn's Ridge ravels coef_ for one column; its adaptor does too)
    est = linreg.LinearRegression(alpha=2.0).fit(X, y[:, None])
    ref = sklearn.linear_model.Ridge(alpha=2.0).fit(X, y[:, None])
    assert est.coef_.shape == (1, X.shape[1]) and est.intercept_.shape == ref.intercept_.shape == (1,)
    np.testing.assert_allclose(est.coef_.ravel(), ref.coef_, rtol=1e-9)
    np.testing.assert_allclose(est.intercept_, ref.intercept_, rtol=1e-9)


def test_constructor_arguments_are_keyword_only():
    import inspect

    with pytest.raises(TypeError):
        linreg.LinearRegression(1.0)
    with pytest.raises(TypeError):
        linreg.LinearRegression("exact")
    params = list(inspect.signature(linreg.LinearRegression.__init__).parameters.values())[1:]
    assert params and all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)


def test_multi_output_dataframe_keeps_target_names(rng):
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(rng.normal(size=(30, 2)), columns=["tv", "radio"])
    Y = pd.DataFrame({"sales": X.tv * 2 + rng.normal(size=30), "profit": X.radio - 1 + rng.normal(size=30)})
    est = linreg.LinearRegression().fit(X, Y)
    text = str(est.summary())
    dep = [line.split()[2] for line in text.splitlines() if line.startswith("Dep. Variable:")]
    assert dep == ["sales", "profit"]
    b, W = _lstsq_with_intercept(X, Y)
    frame = est.summary().as_dataframe(1)
    assert list(frame.index) == ["const", "tv", "radio"]
    np.testing.assert_allclose(frame["coef"], np.concatenate([[b[1]], W[1]]), rtol=1e-9)
    # an explicit yname still numbers the targets; a named Series names its single target
    dep = [line.split()[2] for line in str(est.summary(yname="z")).splitlines() if line.startswith("Dep.")]
    assert dep == ["z0", "z1"]
    one = linreg.LinearRegression().fit(X, Y["profit"])
    assert "Dep. Variable:                 profit" in str(one.summary())


@pytest.mark.parametrize("name", ["params", "bse", "pvalues", "rsquared", "coef", "intercept"])
def test_attribute_without_underscore_points_to_fitted_name(regression_data, name):
    X, y = regression_data
    est = linreg.LinearRegression().fit(X, y)
    with pytest.raises(AttributeError, match=f"did you mean '{name}_'"):
        getattr(est, name)
    assert not hasattr(est, name)
    assert hasattr(est, name + "_")
    with pytest.raises(AttributeError) as ei:
        est.no_such_thing  # noqa: B018
    assert "did you mean" not in str(ei.value)


# -- the parameter table and the results object ----------------------------------


def test_parameter_table_gives_signature_and_get_params():
    import inspect

    from linreg import _params

    names = [s.name for s in _params.PARAMS]
    sig = inspect.signature(linreg.LinearRegression)
    assert list(sig.parameters) == names
    assert {k: p.default for k, p in sig.parameters.items()} == {s.name: s.default for s in _params.PARAMS}
    assert set(linreg.LinearRegression().get_params()) == set(names)
    with pytest.raises(TypeError, match="unexpected keyword argument 'learningrate'"):
        linreg.LinearRegression(learningrate=0.1)
    # every C parameter of the header has exactly one row
    assert sorted(s.key for s in _params.PARAMS if s.key is not None) == sorted(linreg.Param)


@pytest.mark.parametrize(
    "name, value, extra",
    [
        ("learning_rate", -1.0, {"solver": "gd"}),
        ("epochs", -1, {"solver": "gd"}),
        ("batch_size", 0, {"solver": "sgd"}),
        ("momentum", 1.0, {"solver": "sgd"}),
        ("weight_decay", -0.5, {"solver": "gd"}),
        ("alpha", -1.0, {}),
        ("ci_level", 1.0, {}),
        ("n_threads", 5000, {}),
        ("rcond", -2.0, {}),
    ],
)
def test_out_of_range_names_the_argument_and_its_range(regression_data, name, value, extra):
    from linreg import _params

    X, y = regression_data
    est = linreg.LinearRegression(**{name: value, **extra})
    with pytest.raises(linreg.ArgumentError) as ei:
        est.fit(X, y)
    message = str(ei.value)
    assert f"invalid {name}={value!r}" in message
    assert f"(expected {_params.BY_NAME[name].range})" in message


def test_parameters_read_back_from_a_model(regression_data, tmp_path):
    X, y = regression_data
    params = dict(solver="sgd", fit_intercept=False, learning_rate=0.02, epochs=3, batch_size=7, shuffle=True,
                  random_state=11, momentum=0.5, weight_decay=0.25, ci_level=0.9, n_threads=2, rcond=1e-9,
                  cov_type="HC2", use_t=False)
    est = linreg.LinearRegression(**params).fit(X, y)
    est.save(tmp_path / "m.lrm")
    loaded = linreg.load(tmp_path / "m.lrm").get_params()
    assert loaded == {**params, "alpha": 0.0, "positive": False, "callback": None, "missing": "raise"}


def _statsmodels_ols(X, y, weights=None):
    sm = pytest.importorskip("statsmodels.api")
    A = sm.add_constant(X, has_constant="add")
    return (sm.OLS(y, A) if weights is None else sm.WLS(y, A, weights=weights)).fit()


def test_results_object_matches_statsmodels(regression_data):
    X, y = regression_data
    est = linreg.LinearRegression().fit(X, y)
    res = est.results_
    assert isinstance(res, linreg.RegressionResults)
    ref = _statsmodels_ols(X, y)
    for name in ["params", "bse", "tvalues", "rsquared", "rsquared_adj", "fvalue", "llf", "aic", "bic",
                 "ssr", "df_model", "df_resid", "nobs", "condition_number"]:
        np.testing.assert_allclose(getattr(res, name), getattr(ref, name), rtol=1e-8, err_msg=name)
        np.testing.assert_array_equal(getattr(est, name + "_"), getattr(res, name), err_msg=name)
    np.testing.assert_allclose(res.pvalues, ref.pvalues, rtol=1e-7, atol=1e-300)
    np.testing.assert_allclose(res.sigma, np.sqrt(ref.scale), rtol=1e-8)
    np.testing.assert_allclose(res.conf_int(0.1), ref.conf_int(0.1), rtol=1e-8)
    assert res.rank == 5 and est.rank_ == 4
    Xc = X - X.mean(axis=0)
    np.testing.assert_allclose(res.singular_values, np.linalg.svd(Xc, compute_uv=False), rtol=1e-10)
    text = str(res.summary())
    assert "OLS" in text and "x4" in text and f"{ref.rsquared:.3f}" in text


def test_results_read_the_statistics_once_and_lazily(regression_data, monkeypatch):
    X, y = regression_data
    calls = []
    real = linreg.Model.stat
    monkeypatch.setattr(linreg.Model, "stat", lambda self, key: calls.append(key) or real(self, key))
    est = linreg.LinearRegression().fit(X, y)
    assert calls == []  # nothing read at fit
    _ = est.coef_, est.intercept_, est.predict(X)
    assert calls == []
    r2 = est.rsquared_
    fit_stats = [key for key in linreg.Stat if key not in RESIDUAL_STATS]
    assert sorted(calls) == sorted(fit_stats)  # all at once, on first use
    _ = est.bse_, est.pvalues_, est.summary(), est.aic_, est.summary()
    # and never again; the summary's residual block reads the residual pass's statistics once
    assert sorted(calls) == sorted(fit_stats + sorted(RESIDUAL_STATS))
    np.testing.assert_allclose(r2, _statsmodels_ols(X, y).rsquared, rtol=1e-10)


def test_results_pickle_on_their_own(regression_data):
    import copy

    X, y = regression_data
    w = np.linspace(0.5, 2.0, len(y))
    res = linreg.LinearRegression().fit(X, y, sample_weight=w).results_
    ref = _statsmodels_ols(X, y, weights=w)
    for other in (pickle.loads(pickle.dumps(res)), copy.deepcopy(res)):
        assert other.model is not res.model
        np.testing.assert_allclose(other.bse, ref.bse, rtol=1e-8)
        np.testing.assert_array_equal(other.params, res.params)
        assert other.weighted and "WLS" in str(other.summary())


def test_statistics_unavailable_say_why(regression_data):
    X, y = regression_data
    for params, why in [({"solver": "gd", "epochs": 3}, "solver='gd'"), ({"alpha": 2}, "alpha=2")]:
        est = linreg.LinearRegression(**params).fit(X, y)
        with pytest.raises(linreg.UnavailableError, match=why):
            est.bse_
        with pytest.raises(linreg.UnavailableError, match=why):
            est.results_.summary()
        assert not hasattr(est, "pvalues_") and not est.results_.available
        # the weights are there, in double
        b, W = est.intercept_, est.coef_
        np.testing.assert_array_equal(est.params_, np.concatenate([[b], W]))


def _imports_of(path, relative_only=False):
    """Modules a file imports (anywhere in it, lazily too); relative_only: those of its own package."""
    import ast

    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                out.update([node.module] if node.module else [alias.name for alias in node.names])
            elif node.module and not relative_only:
                out.add(node.module)
        elif isinstance(node, ast.Import) and not relative_only:
            out.update(alias.name for alias in node.names)
    return out


def test_no_import_cycles_and_no_sys_path_edits():
    from pathlib import Path

    here = Path(__file__).resolve().parents[1]
    package = here / "linreg"
    graph = {p.stem: {m.split(".")[0] for m in _imports_of(p, relative_only=True)} for p in package.glob("*.py")}
    graph.pop("__init__")

    def reaches(start, target, seen=()):
        return any(n == target or (n not in seen and reaches(n, target, seen + (n,))) for n in graph.get(start, ()))

    cyclic = sorted(m for m in graph if reaches(m, m))
    assert cyclic == [], cyclic
    assert "estimator" not in graph["summary"] and "estimator" not in graph["results"]
    assert "compare_torch" not in _imports_of(here / "demo_plots.py")
    for script in ("demo_plots.py", "compare_torch.py"):
        assert "sys.path" not in (here / script).read_text(), script


def test_library_lacking_a_header_function_is_refused(monkeypatch):
    import ctypes

    from linreg import _library

    monkeypatch.setitem(_library.PROTOTYPES, "linreg_from_the_future", (ctypes.c_int, []))
    with pytest.raises(ImportError, match="lacks the function.*linreg_from_the_future.*stale build"):
        _library.CApi(ctypes.CDLL(linreg.library_path), linreg.library_path)


def test_missing_advertising_csv_fails_instead_of_skipping(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    tests = Path(__file__).resolve().parent
    env = {**os.environ, "LINREG_ADVERTISING_CSV": str(tmp_path / "nowhere.csv")}
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfs",
         f"{tests / 'test_statistics.py'}::test_without_intercept_uncentred"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 1, r.stdout + r.stderr  # an error in the fixture's setup, not a skip
    assert "Advertising data not found" in r.stdout and "1 error" in r.stdout and "skipped" not in r.stdout
