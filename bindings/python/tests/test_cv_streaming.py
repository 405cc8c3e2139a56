"""Penalty selection from streamed and distributed statistics (issue "Beyond ridge", item 4).

``RidgeCV.statistics_pass`` + ``leave_one_out_pass``, ``ElasticNetCV/LassoCV.fold_pass(fold=)``
and ``linreg.dask.ridge_cv`` / ``elastic_net_cv`` / ``lasso_cv`` must choose what the
in-memory estimators choose on the same rows. References: scikit-learn's ``RidgeCV``
and ``LassoCV``/``ElasticNetCV`` (tight ``tol``) run here, and liblinreg's own one-shot
``fit`` (whose parity with scikit-learn test_ridge_cv.py and test_regularized.py
establish); tolerances: the statistics are merged in another order, so the chosen
penalty is the same and coefficients agree to 1e-10 (ridge, exact solves) and 1e-8
(coordinate descent stopped on the same duality gap).
"""

from __future__ import annotations

import numpy as np
import pytest

import linreg

sklm = pytest.importorskip("sklearn.linear_model")


@pytest.fixture
def problem():
    rng = np.random.default_rng(7)
    n, d = 600, 6
    X = rng.normal(size=(n, d)) * [1, 2, 0.5, 3, 1, 1] + [5, -2, 0, 1, 0, 3]
    X[:, 5] = X[:, 0] + 0.1 * rng.normal(size=n)
    beta = np.array([1.5, 0.0, -2.0, 0.3, 0.0, 0.7])
    y = X @ beta + 4.0 + rng.normal(scale=2.0, size=n)
    w = rng.uniform(0.5, 2.0, size=n)
    return X, y, w


ALPHAS = np.logspace(-3, 3, 25)
CHUNKS = [slice(0, 130), slice(130, 400), slice(400, 600)]


@pytest.mark.parametrize("weighted", [False, True])
def test_ridge_cv_streaming_equals_fit(problem, weighted):
    X, y, w = problem
    sw = w if weighted else None
    one = linreg.RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(X, y, sample_weight=sw)
    ref = sklm.RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(X, y, sample_weight=sw)
    est = linreg.RidgeCV(alphas=ALPHAS, store_cv_results=True)
    for c in CHUNKS:
        est.statistics_pass(X[c], y[c], sample_weight=None if sw is None else sw[c])
    assert not hasattr(est, "alpha_")
    for c in reversed(CHUNKS):  # any order: only the stored rows follow it
        est.leave_one_out_pass(X[c], y[c], sample_weight=None if sw is None else sw[c])
    assert est.alpha_ == one.alpha_ == ref.alpha_
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-10)
    np.testing.assert_allclose(est.intercept_, ref.intercept_, rtol=1e-10)
    np.testing.assert_allclose(est.best_score_, ref.best_score_, rtol=1e-10)
    order = np.concatenate([np.arange(600)[c] for c in reversed(CHUNKS)])
    np.testing.assert_allclose(est.cv_results_, ref.cv_results_[order], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(est.predict(X[:5]), ref.predict(X[:5]), rtol=1e-10)


def test_ridge_cv_streaming_per_target_and_errors(problem):
    X, y, _ = problem
    Y = np.column_stack([y, -0.5 * y + X[:, 1]])
    ref = sklm.RidgeCV(alphas=ALPHAS, alpha_per_target=True).fit(X, Y)
    est = linreg.RidgeCV(alphas=ALPHAS, alpha_per_target=True)
    with pytest.raises(linreg.ArgumentError, match="statistics_pass"):
        est.leave_one_out_pass(X, Y)
    for c in CHUNKS:
        est.statistics_pass(X[c], Y[c])
    est.leave_one_out_pass(X[:300], Y[:300])
    assert not hasattr(est, "alpha_")
    with pytest.raises(linreg.ArgumentError, match="rows passed"):
        est.leave_one_out_pass(X, Y)
    est.leave_one_out_pass(X[300:], Y[300:])
    np.testing.assert_array_equal(est.alpha_, ref.alpha_)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-10)
    with pytest.raises(linreg.ArgumentError, match="cv=None"):
        linreg.RidgeCV(cv=3).statistics_pass(X, y)


@pytest.mark.parametrize("cls, extra", [("LassoCV", {}), ("ElasticNetCV", {"l1_ratio": [0.2, 0.7]})])
def test_cv_fold_pass_equals_kfold_fit(problem, cls, extra):
    X, y, _ = problem
    kwargs = dict(cv=4, tol=1e-12, max_iter=100000, **extra)
    one = getattr(linreg, cls)(**kwargs).fit(X, y)
    ref = getattr(sklm, cls)(**kwargs).fit(X, y)
    est = getattr(linreg, cls)(**kwargs)
    # KFold(4) on 600 rows: folds of 150; each fold in two chunks, folds interleaved
    pieces = [(f, slice(150 * f + a, 150 * f + b)) for a, b in [(0, 70), (70, 150)] for f in range(4)]
    for f, c in pieces:
        est.fold_pass(X[c], y[c], fold=f)
    assert est.alpha_ == pytest.approx(one.alpha_, rel=1e-12)
    assert est.alpha_ == pytest.approx(ref.alpha_, rel=1e-10)
    np.testing.assert_allclose(est.mse_path_, one.mse_path_, rtol=1e-9)
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(est.intercept_, ref.intercept_, rtol=1e-8)
    if cls == "ElasticNetCV":
        assert est.l1_ratio_ == ref.l1_ratio_
    with pytest.raises(linreg.ArgumentError, match="fold"):
        est.fold_pass(X, y, fold=-1)


def test_one_fold_is_not_enough_to_choose(problem):
    X, y, _ = problem
    est = linreg.LassoCV().fold_pass(X[:100], y[:100], fold=0)
    assert not hasattr(est, "alpha_")
    with pytest.raises(Exception):
        est.predict(X[:2])


def test_dask_ridge_cv_and_lasso_cv_equal_the_in_memory_fits(problem):
    da = pytest.importorskip("dask.array")
    import linreg.dask as lrd

    X, y, w = problem
    dX, dy, dw = da.from_array(X, chunks=(110, 6)), da.from_array(y, chunks=110), da.from_array(w, chunks=110)
    ridge = lrd.ridge_cv(dX, dy, dw, alphas=ALPHAS, store_cv_results=True)
    ref = sklm.RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(X, y, sample_weight=w)
    assert ridge.alpha_ == ref.alpha_
    np.testing.assert_allclose(ridge.coef_, ref.coef_, rtol=1e-10)
    np.testing.assert_allclose(ridge.cv_results_, ref.cv_results_, rtol=1e-9, atol=1e-12)

    lasso = lrd.lasso_cv(dX, dy, dw, cv=5, tol=1e-12, max_iter=100000)
    one = linreg.LassoCV(cv=5, tol=1e-12, max_iter=100000).fit(X, y, sample_weight=w)
    sk = sklm.LassoCV(cv=5, tol=1e-12, max_iter=100000).fit(X, y, sample_weight=w)
    assert lasso.alpha_ == pytest.approx(one.alpha_, rel=1e-12)
    assert lasso.alpha_ == pytest.approx(sk.alpha_, rel=1e-10)
    np.testing.assert_allclose(lasso.mse_path_, one.mse_path_, rtol=1e-9)
    np.testing.assert_allclose(lasso.coef_, sk.coef_, rtol=1e-8, atol=1e-10)

    enet = lrd.elastic_net_cv(dX, dy, l1_ratio=[0.3, 0.9], cv=3, tol=1e-12, max_iter=100000)
    one = linreg.ElasticNetCV(l1_ratio=[0.3, 0.9], cv=3, tol=1e-12, max_iter=100000).fit(X, y)
    assert (enet.alpha_, enet.l1_ratio_) == (pytest.approx(one.alpha_, rel=1e-12), one.l1_ratio_)
    np.testing.assert_allclose(enet.coef_, one.coef_, rtol=1e-9, atol=1e-12)
    with pytest.raises(linreg.ArgumentError, match="cv"):
        lrd.lasso_cv(dX, dy, cv=[(np.arange(10), np.arange(10, 20))])


def test_streamed_ridge_cv_keeps_its_choice_while_a_new_stream_starts(problem):
    """estimator_ is a copy: a statistics_pass after the choice starts a new stream and leaves
    the fitted predictor (coef_, intercept_, predict) as chosen."""
    X, y, _ = problem
    est = linreg.RidgeCV(alphas=ALPHAS)
    est.statistics_pass(X[:300], y[:300]).leave_one_out_pass(X[:300], y[:300])
    coef, intercept = est.coef_.copy(), est.intercept_
    est.statistics_pass(X[300:], y[300:])
    np.testing.assert_allclose(est.predict(X[:4]), X[:4] @ coef + intercept, rtol=1e-12)
    est.leave_one_out_pass(X, y)  # the new stream: both chunks' rows
    ref = sklm.RidgeCV(alphas=ALPHAS).fit(X, y)
    assert est.alpha_ == ref.alpha_
    np.testing.assert_allclose(est.coef_, ref.coef_, rtol=1e-10)


def test_dask_cv_with_empty_partitions_and_unknown_chunk_sizes(problem):
    """Empty partitions (after filtering) and dask.dataframe arrays (unknown chunk sizes)."""
    da = pytest.importorskip("dask.array")
    dd = pytest.importorskip("dask.dataframe")
    import pandas as pd

    import linreg.dask as lrd

    X, y, _ = problem
    dX = da.from_array(X, chunks=((200, 0, 250, 0, 150), 6))
    dy = da.from_array(y, chunks=((200, 0, 250, 0, 150),))
    one = linreg.LassoCV(cv=3, tol=1e-12, max_iter=100000).fit(X, y)
    got = lrd.lasso_cv(dX, dy, cv=3, tol=1e-12, max_iter=100000)
    assert got.alpha_ == pytest.approx(one.alpha_, rel=1e-12)
    np.testing.assert_allclose(got.coef_, one.coef_, rtol=1e-9, atol=1e-12)
    frame = dd.from_pandas(pd.DataFrame(X, columns=[f"x{i}" for i in range(6)]).assign(y=y), npartitions=4)
    fX, fy = frame[[f"x{i}" for i in range(6)]].to_dask_array(), frame["y"].to_dask_array()
    ridge = lrd.ridge_cv(fX, fy, alphas=ALPHAS)
    ref = sklm.RidgeCV(alphas=ALPHAS).fit(X, y)
    assert ridge.alpha_ == ref.alpha_
    np.testing.assert_allclose(ridge.coef_, ref.coef_, rtol=1e-10)
    lasso = lrd.lasso_cv(fX, fy, cv=3, tol=1e-12, max_iter=100000)
    assert lasso.alpha_ == pytest.approx(one.alpha_, rel=1e-12)


def test_fold_pass_dtype_follows_the_new_stream(problem):
    X, y, _ = problem
    est = linreg.LassoCV(cv=3)
    est.fold_pass(X[:300], y[:300], fold=0).fold_pass(X[300:], y[300:], fold=1)
    assert est.coef_.dtype == np.float64
    est.fit(X, y)
    X32, y32 = X.astype(np.float32), y.astype(np.float32)
    est.fold_pass(X32[:300], y32[:300], fold=0).fold_pass(X32[300:], y32[300:], fold=1)
    assert est.coef_.dtype == np.float32
