"""``linreg.RidgeCV`` (exact leave-one-out penalty selection) against scikit-learn's ``RidgeCV``.

References: scikit-learn's ``RidgeCV(cv=None)`` (its ``_RidgeGCV``, an SVD of
the data in double) and, independently of both, brute-force leave-one-out
(n ridge refits by numpy.linalg.lstsq). Tolerances:

* chosen alpha: identical (the same grid index);
* coefficients and intercepts: 1e-10 relative to max|coef| (liblinreg's
  ridge solve is exact to ~1e-15; scikit-learn's SVD-based coefficients are
  accurate to ~cond * 1e-16, which on these problems (cond <= 1e4) is far
  below 1e-10);
* leave-one-out errors (``cv_results_``, ``best_score_``): 1e-9 relative to
  the largest error (both sides form h_ii = sum_j t_ij^2/(lambda_j + alpha)
  and 1 - h_ii in double; rows of leverage near 1 amplify rounding by
  1/(1 - h)^2, at most about 1e3 here).
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import linreg
from linreg._errors import ArgumentError, NotFittedError, UnavailableError
from linreg._model import Model, Param
from linreg._ridge_cv_calls import leave_one_out_errors, solve_per_output

sklearn = pytest.importorskip("sklearn")
from sklearn.datasets import load_diabetes  # noqa: E402
from sklearn.linear_model import RidgeCV as SkRidgeCV  # noqa: E402

ALPHAS = np.logspace(-4, 3, 40)


def correlated(rng, n=300, d=6, k=1):
    base = rng.normal(size=(n, 2))
    X = base @ rng.normal(size=(2, d)) + 0.05 * rng.normal(size=(n, d))  # nearly rank 2
    X[:, 0] *= 100.0  # different units
    Y = X @ rng.normal(size=(d, k)) + rng.normal(size=(n, k))
    return X, Y


def assert_same(ours, ref, y_1d=True):
    assert np.array_equal(np.asarray(ours.alpha_), np.asarray(ref.alpha_))
    scale = max(1.0, np.max(np.abs(ref.coef_)))
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-10 * max(scale, np.max(np.abs(ref.intercept_))))
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-9)
    assert np.shape(ours.coef_) == np.shape(ref.coef_)
    assert np.shape(ours.intercept_) == np.shape(ref.intercept_)
    assert np.shape(ours.best_score_) == np.shape(ref.best_score_)
    if hasattr(ref, "cv_results_"):
        assert ours.cv_results_.shape == ref.cv_results_.shape
        np.testing.assert_allclose(ours.cv_results_, ref.cv_results_, rtol=0, atol=1e-9 * np.max(ref.cv_results_))


def datasets(advertising):
    rng = np.random.default_rng(7)
    X, y = load_diabetes(return_X_y=True)
    yield "diabetes", X, y
    yield "advertising", advertising[["TV", "Radio", "Newspaper"]].to_numpy(), advertising["Sales"].to_numpy()
    Xc, Yc = correlated(rng)
    yield "correlated", Xc, Yc[:, 0]


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_same_alpha_and_coefficients_as_sklearn(advertising, fit_intercept, weighted):
    for name, X, y in datasets(advertising):
        w = np.random.default_rng(3).uniform(0.1, 4.0, size=len(y)) if weighted else None
        kw = dict(alphas=ALPHAS, fit_intercept=fit_intercept, store_cv_results=True)
        ours = linreg.RidgeCV(**kw).fit(X, y, sample_weight=w)
        ref = SkRidgeCV(**kw).fit(X, y, sample_weight=w)
        assert_same(ours, ref)


@pytest.mark.parametrize("alpha_per_target", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_several_targets(rng, alpha_per_target, weighted):
    X, Y = correlated(rng, k=3)
    Y[:, 1] *= 50.0  # targets on different scales choose different alphas
    Y[:, 2] = X[:, 1] + 10.0 * rng.normal(size=len(X))
    w = rng.uniform(0.5, 2.0, size=len(X)) if weighted else None
    kw = dict(alphas=ALPHAS, store_cv_results=True, alpha_per_target=alpha_per_target)
    ours = linreg.RidgeCV(**kw).fit(X, Y, sample_weight=w)
    ref = SkRidgeCV(**kw).fit(X, Y, sample_weight=w)
    assert_same(ours, ref)
    if alpha_per_target:
        assert len(set(np.asarray(ref.alpha_).tolist())) > 1  # the per-target choice matters here


@pytest.mark.parametrize("alpha_per_target", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_one_column_y_and_scalar_alpha(rng, alpha_per_target, fit_intercept):
    X, Y = correlated(rng)
    for alphas in (3.0, [3.0], (0.5, 2.0)):
        kw = dict(alphas=alphas, alpha_per_target=alpha_per_target, fit_intercept=fit_intercept,
                  store_cv_results=True)
        ours = linreg.RidgeCV(**kw).fit(X, Y)
        ref = SkRidgeCV(**kw).fit(X, Y)
        assert_same(ours, ref)
        assert type(ours.alpha_) is type(ref.alpha_)


def brute_force_loo(X, y, w, alpha):
    """Mean of w_i (y_i - yhat_{-i}(x_i))^2 over i by n ridge refits (intercept unpenalised)."""
    n, d = X.shape
    errors = np.empty(n)
    for i in range(n):
        keep = np.arange(n) != i
        s = np.sqrt(w[keep])
        A = np.column_stack([np.ones(n - 1), X[keep]]) * s[:, None]
        A = np.vstack([A, np.column_stack([np.zeros(d), np.sqrt(alpha) * np.eye(d)])])
        b = np.concatenate([y[keep] * s, np.zeros(d)])
        beta = np.linalg.lstsq(A, b, rcond=None)[0]
        errors[i] = w[i] * (y[i] - beta[0] - X[i] @ beta[1:]) ** 2
    return errors


def test_errors_equal_brute_force_leave_one_out(rng):
    X, Y = correlated(rng, n=60, d=4)
    y = Y[:, 0]
    w = rng.uniform(0.3, 3.0, size=len(y))
    alphas = np.array([0.01, 1.0, 30.0])
    ours = linreg.RidgeCV(alphas=alphas, store_cv_results=True).fit(X, y, sample_weight=w)
    for a, alpha in enumerate(alphas):
        ref = brute_force_loo(X, y, w, alpha)
        np.testing.assert_allclose(ours.cv_results_[:, a], ref, rtol=1e-8, atol=1e-12 * np.max(ref))


def test_partial_fit_merge_and_chunked_loo(rng):
    """The LOO sums from the merged statistics, chunk by chunk, equal one call on all rows."""
    X, Y = correlated(rng, n=2000, d=5, k=2)
    w = rng.uniform(0.5, 2.0, size=len(X))
    alphas = np.logspace(-2, 2, 9)
    whole = Model(5, 2)
    whole.fit(X, Y, w)
    sums, rows = leave_one_out_errors(whole, X, Y, w, alphas, True)
    parts = [Model(5, 2) for _ in range(3)]
    cuts = [0, 700, 1300, 2000]
    for m, lo, hi in zip(parts, cuts[:-1], cuts[1:]):
        m.partial_fit(X[lo:hi], Y[lo:hi], w[lo:hi])
    merged = parts[0]
    merged.merge(parts[1])
    merged.merge(parts[2])
    chunked = np.zeros_like(sums)
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        s, r = leave_one_out_errors(merged, X[lo:hi], Y[lo:hi], w[lo:hi], alphas, True)
        chunked += s
        # merged and single factors differ by rounding (~1e-16); a row's residual r = y - yhat
        # loses |y|/|r| of that to cancellation, up to ~1e6 for the well-fitted output here
        np.testing.assert_allclose(r, rows[lo:hi], rtol=1e-8, atol=1e-14 * np.max(rows))
    np.testing.assert_allclose(chunked, sums, rtol=1e-12)
    ref = SkRidgeCV(alphas=alphas, store_cv_results=True).fit(X, Y, sample_weight=w)
    np.testing.assert_allclose(sums / len(X), ref.cv_results_.mean(axis=0).T, rtol=1e-9)
    # the solve from merged statistics
    best = alphas[int(np.argmin(sums.mean(axis=1)))]
    assert best == ref.alpha_
    solve_per_output(merged, np.array([best, best]))
    W, b = merged.get_weights()
    np.testing.assert_allclose(W, ref.coef_, rtol=0, atol=1e-10 * np.max(np.abs(ref.coef_)))
    np.testing.assert_allclose(b, ref.intercept_, rtol=0, atol=1e-10 * np.max(np.abs(ref.coef_)))
    assert merged.get_param(Param.ALPHA) == best


def test_threads_do_not_change_the_sums(rng):
    X, Y = correlated(rng, n=40000, d=4)
    alphas = np.logspace(-2, 2, 5)
    results = []
    for threads in (1, 2, 3):
        m = Model(4, 1)
        m.set_param(Param.THREADS, threads)
        m.fit(X, Y)
        results.append(leave_one_out_errors(m, X, Y, None, alphas, False)[0])
    for r in results[1:]:
        np.testing.assert_array_equal(r, results[0])


def test_float32_data(rng):
    X, Y = correlated(rng)
    X32, y32 = X.astype(np.float32), Y[:, 0].astype(np.float32)
    ours = linreg.RidgeCV(alphas=ALPHAS).fit(X32, y32)
    ref = SkRidgeCV(alphas=ALPHAS).fit(X32.astype(np.float64), y32.astype(np.float64))
    assert ours.alpha_ == ref.alpha_
    assert ours.coef_.dtype == np.float32
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-5)  # float32 attributes


def test_zero_weights_count_in_the_mean(rng):
    X, Y = correlated(rng, n=100)
    w = rng.uniform(0.5, 2.0, size=100)
    w[::7] = 0.0
    ours = linreg.RidgeCV(alphas=ALPHAS, store_cv_results=True).fit(X, Y[:, 0], sample_weight=w)
    ref = SkRidgeCV(alphas=ALPHAS, store_cv_results=True).fit(X, Y[:, 0], sample_weight=w)
    assert_same(ours, ref)
    assert np.all(ours.cv_results_[::7] == 0.0)


def test_predict_pickle_and_attributes(rng):
    X, Y = correlated(rng)
    est = linreg.RidgeCV(alphas=ALPHAS).fit(X, Y[:, 0])
    ref = SkRidgeCV(alphas=ALPHAS).fit(X, Y[:, 0])
    np.testing.assert_allclose(est.predict(X), ref.predict(X), rtol=1e-10)
    assert not hasattr(est, "cv_results_")
    assert est.n_features_in_ == X.shape[1]
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.predict(X), est.predict(X))
    assert est.estimator_.alpha == est.alpha_
    with pytest.raises(UnavailableError):
        est.estimator_.bse_  # a penalised fit has no statistics


@pytest.mark.parametrize(
    "params, error",
    [
        (dict(alphas=[1.0, 0.0]), ArgumentError),
        (dict(alphas=[-1.0]), ArgumentError),
        (dict(alphas=[np.inf]), ArgumentError),
        (dict(alphas=[]), ArgumentError),
        (dict(alphas=["a"]), TypeError),
        (dict(cv=5, store_cv_results=True), ArgumentError),
        (dict(cv=5, alpha_per_target=True), ArgumentError),
        (dict(scoring="r2"), ArgumentError),
        (dict(gcv_mode="nope"), ArgumentError),
    ],
)
def test_bad_parameters(rng, params, error):
    X, Y = correlated(rng)
    with pytest.raises(error):
        linreg.RidgeCV(**params).fit(X, Y[:, 0])


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("cv_kind", ["int", "shuffled", "splits"])
@pytest.mark.parametrize("k", [1, 2])
def test_k_fold_equals_sklearn(rng, weighted, cv_kind, k):
    """cv given: scikit-learn's GridSearchCV over Ridge (weighted R^2 of each test fold)."""
    from sklearn.model_selection import KFold

    X, Y = correlated(rng, n=150, k=k)
    y = Y[:, 0] if k == 1 else Y
    w = rng.uniform(0.5, 2.0, size=len(X)) if weighted else None
    cv = {"int": 5, "shuffled": KFold(4, shuffle=True, random_state=0),
          "splits": list(KFold(3).split(X))}[cv_kind]
    alphas = np.logspace(-3, 3, 13)
    ours = linreg.RidgeCV(alphas=alphas, cv=cv).fit(X, y, sample_weight=w)
    ref = SkRidgeCV(alphas=alphas, cv=cv).fit(X, y, sample_weight=w)
    assert ours.alpha_ == ref.alpha_
    # best_score_: a mean of R^2 values computed from predictions in double on both sides
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-10)
    scale = max(1.0, np.max(np.abs(ref.coef_)))
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-10 * scale)
    assert not hasattr(ours, "cv_results_")


def test_not_fitted():
    with pytest.raises(NotFittedError):
        linreg.RidgeCV().predict(np.ones((2, 2)))


def test_check_estimator():
    from sklearn.utils.estimator_checks import check_estimator

    # Every check applies (check_sample_weight_equivalence_on_dense_data runs the K-fold path:
    # it sets cv to explicit splits).
    check_estimator(linreg.RidgeCV())
    check_estimator(linreg.RidgeCV(alphas=[0.5, 5.0], fit_intercept=False))
