"""Exact solver vs numpy.linalg.lstsq, scikit-learn and statsmodels (1e-9 relative)."""

from __future__ import annotations

import numpy as np
import pytest

import linreg

RTOL = 1e-9


def _lstsq(X, Y, fit_intercept=True, w=None):
    A = np.column_stack([np.ones(len(X)), X]) if fit_intercept else X
    if w is not None:
        s = np.sqrt(w)
        A, Y = A * s[:, None], (Y.T * s).T
    return np.linalg.lstsq(A, Y, rcond=None)[0]


def test_matches_lstsq_and_sklearn(regression_data):
    from sklearn.linear_model import LinearRegression as Sk

    X, y = regression_data
    est = linreg.LinearRegression().fit(X, y)
    sol = _lstsq(X, y)
    np.testing.assert_allclose(est.intercept_, sol[0], rtol=RTOL)
    np.testing.assert_allclose(est.coef_, sol[1:], rtol=RTOL)
    sk = Sk().fit(X, y)
    np.testing.assert_allclose(est.coef_, sk.coef_, rtol=RTOL)
    np.testing.assert_allclose(est.intercept_, sk.intercept_, rtol=RTOL)
    np.testing.assert_allclose(est.predict(X), sk.predict(X), rtol=RTOL)
    assert isinstance(est.intercept_, float) and est.coef_.shape == (4,)
    assert est.loss_history_.shape == (0,)
    assert est.rank_ == sk.rank_ == 4


def test_no_intercept(regression_data):
    X, y = regression_data
    est = linreg.LinearRegression(fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(est.coef_, _lstsq(X, y, False), rtol=RTOL)
    assert est.intercept_ == 0.0


def test_multi_output(rng):
    from sklearn.linear_model import LinearRegression as Sk

    X = rng.normal(size=(80, 5))
    W = rng.normal(size=(3, 5))
    Y = X @ W.T + [1.0, -2.0, 0.5] + 0.05 * rng.normal(size=(80, 3))
    est = linreg.LinearRegression().fit(X, Y)
    sk = Sk().fit(X, Y)
    assert est.coef_.shape == (3, 5) and est.intercept_.shape == (3,)
    np.testing.assert_allclose(est.coef_, sk.coef_, rtol=RTOL)
    np.testing.assert_allclose(est.intercept_, sk.intercept_, rtol=RTOL)
    pred = est.predict(X)
    assert pred.shape == (80, 3)
    np.testing.assert_allclose(pred, sk.predict(X), rtol=RTOL)
    col = linreg.LinearRegression().fit(X, Y[:, :1])  # column vector: 2-D form
    assert col.coef_.shape == (1, 5) and col.predict(X).shape == (80, 1)
    np.testing.assert_allclose(col.coef_[0], est.coef_[0], rtol=RTOL)


def test_float32_inputs(rng):
    X = rng.normal(size=(50, 3)).astype(np.float32)
    y = (X @ np.array([1, 2, 3], np.float32) + 4).astype(np.float32)
    est = linreg.LinearRegression().fit(X, y)
    sol = _lstsq(X.astype(np.float64), y.astype(np.float64))
    # float32 data, double accumulation: the exact answer for the float32 values
    np.testing.assert_allclose(est.coef_, sol[1:], rtol=1e-6)
    assert est.predict(X).dtype == np.float32


def test_ridge_matches_sklearn(regression_data, rng):
    from sklearn.linear_model import Ridge

    X, y = regression_data
    for alpha in (0.1, 1.0, 25.0):
        for fit_intercept in (True, False):
            est = linreg.LinearRegression(alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
            sk = Ridge(alpha=alpha, fit_intercept=fit_intercept, solver="svd").fit(X, y)
            np.testing.assert_allclose(est.coef_, sk.coef_, rtol=RTOL)
            np.testing.assert_allclose(est.intercept_, sk.intercept_, rtol=RTOL, atol=1e-12)
    Y = np.column_stack([y, -2 * y + 1])
    w = rng.uniform(0.1, 3.0, size=len(y))
    est = linreg.LinearRegression(alpha=3.0).fit(X, Y, sample_weight=w)
    sk = Ridge(alpha=3.0, solver="svd").fit(X, Y, sample_weight=w)
    np.testing.assert_allclose(est.coef_, sk.coef_, rtol=RTOL)
    np.testing.assert_allclose(est.intercept_, sk.intercept_, rtol=RTOL)


def test_ridge_has_no_statistics(regression_data):
    X, y = regression_data
    est = linreg.LinearRegression(alpha=1.0).fit(X, y)
    assert not hasattr(est, "pvalues_")
    with pytest.raises(linreg.UnavailableError, match="alpha"):
        est.summary()


def test_sample_weight_matches_statsmodels_wls(regression_data, rng):
    sm = pytest.importorskip("statsmodels.api")
    X, y = regression_data
    w = rng.uniform(0.2, 5.0, size=len(y))
    est = linreg.LinearRegression().fit(X, y, sample_weight=w)
    res = sm.WLS(y, sm.add_constant(X), weights=w).fit()
    np.testing.assert_allclose(est.params_, res.params, rtol=RTOL)
    np.testing.assert_allclose(est.bse_, res.bse, rtol=1e-8)
    np.testing.assert_allclose(est.rsquared_, res.rsquared, rtol=1e-8)
    np.testing.assert_allclose(est.ssr_, res.ssr, rtol=1e-8)
    np.testing.assert_allclose(est.llf_, res.llf, rtol=1e-8)
    np.testing.assert_allclose(est.params_, _lstsq(X, y, True, w), rtol=RTOL)


def test_integer_weights_equal_repetition(regression_data):
    X, y = regression_data
    reps = np.arange(len(y)) % 3
    a = linreg.LinearRegression().fit(X, y, sample_weight=reps)
    b = linreg.LinearRegression().fit(np.repeat(X, reps, axis=0), np.repeat(y, reps))
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=RTOL)
    np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=RTOL)


def test_bad_sample_weights(regression_data):
    X, y = regression_data
    with pytest.raises(ValueError):
        linreg.LinearRegression().fit(X, y, sample_weight=-np.ones(len(y)))
    with pytest.raises(ValueError):
        linreg.LinearRegression().fit(X, y, sample_weight=np.zeros(len(y)))


def test_rank_deficient_minimum_norm(rng):
    X = rng.normal(size=(30, 3))
    X = np.column_stack([X, X[:, 0] + X[:, 1]])  # 4 columns, rank 3
    y = X[:, :3] @ [1.0, 2.0, 3.0] + 0.5 + 0.01 * rng.normal(size=30)
    est = linreg.LinearRegression().fit(X, y)
    # minimum-norm solution of the centred problem (intercept unpenalised), as scikit-learn
    from sklearn.linear_model import LinearRegression as Sk

    sk = Sk().fit(X, y)
    np.testing.assert_allclose(est.predict(X), sk.predict(X), rtol=1e-9)
    np.testing.assert_allclose(est.coef_, sk.coef_, rtol=1e-7, atol=1e-9)
    assert est.rank_ == sk.rank_ == 3


def test_more_features_than_samples(rng):
    X = rng.normal(size=(5, 8))
    y = rng.normal(size=5)
    est = linreg.LinearRegression(fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(est.coef_, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-9, atol=1e-12)


def test_single_sample():
    est = linreg.LinearRegression().fit([[1.0, 2.0]], [3.0])
    np.testing.assert_allclose(est.predict([[1.0, 2.0]]), [3.0])


def test_threads_do_not_change_results(rng):
    X = rng.normal(size=(2000, 6))
    y = X @ np.arange(1.0, 7.0) + rng.normal(size=2000)
    a = linreg.LinearRegression(n_threads=1).fit(X, y)
    b = linreg.LinearRegression(n_threads=4).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
