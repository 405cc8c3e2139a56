"""Non-negative least squares: ``LinearRegression(positive=True)`` (LINREG_SOLVER_NNLS).

References are computed independently of liblinreg:

* ``scipy.optimize.nnls`` on the weighted, centred problem (the intercept is
  free, so it drops out: min ||sqrt(w) (Xc w - yc)|| over w >= 0, then
  b = ybar - xbar . w), on problems whose solution is well conditioned on its
  active set, where both solvers find the same active set and agree to
  rounding: tolerance 1e-10 relative to max(1, |coef|) (scipy's active-set
  solves are in double, ours in double-double; 1e-10 leaves room for
  scipy's ~cond * 1e-16 error).
* the KKT conditions, checked in exact rational arithmetic (fractions) on
  the data as given, for the coefficients liblinreg returns: coef >= 0,
  gradient_j = 0 where coef_j > 0 and gradient_j >= 0 where coef_j = 0,
  to 1e-9 relative to ||X_j|| ||r|| (the coefficients are double: rounding
  them to double perturbs the gradient by about 1e-16 * cond relative).
"""

from __future__ import annotations

import pickle
from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import nnls

import linreg
from linreg._errors import ArgumentError, UnavailableError
from linreg._model import Model, Param, Solver


def scipy_nnls(X, y, w=None, fit_intercept=True):
    """(coef, intercept) for one target from scipy.optimize.nnls on the centred, weighted problem."""
    w = np.ones(len(y)) if w is None else np.asarray(w, float)
    if fit_intercept:
        xbar = np.average(X, axis=0, weights=w)
        ybar = np.average(y, weights=w)
    else:
        xbar, ybar = np.zeros(X.shape[1]), 0.0
    s = np.sqrt(w)
    coef, _ = nnls((X - xbar) * s[:, None], (y - ybar) * s, maxiter=50 * X.shape[1])
    return coef, ybar - xbar @ coef


def kkt_violation(X, y, w, coef, intercept, fit_intercept=True):
    """Largest relative violation of the KKT conditions, in exact arithmetic."""
    n, d = X.shape
    F = Fraction
    Xf = [[F(float(v)) for v in row] for row in X]
    yf = [F(float(v)) for v in y]
    wf = [F(float(v)) for v in w]
    cf = [F(float(v)) for v in coef]
    bf = F(float(intercept))
    r = [wf[i] * (yf[i] - bf - sum(Xf[i][j] * cf[j] for j in range(d))) for i in range(n)]
    worst = 0.0
    rnorm = float(np.sqrt(np.sum(w * (y - intercept - X @ coef) ** 2)))
    if fit_intercept:  # the intercept is free: its gradient must vanish
        scale = float(np.sqrt(np.sum(w))) * rnorm + 1e-300
        worst = max(worst, abs(float(sum(r))) / scale)
    for j in range(d):
        g = float(sum(Xf[i][j] * r[i] for i in range(n)))  # = -gradient/2 of the weighted RSS
        scale = float(np.linalg.norm(np.sqrt(w) * X[:, j])) * rnorm + 1e-300
        assert coef[j] >= 0.0
        if coef[j] > 0:
            worst = max(worst, abs(g) / scale)
        else:
            worst = max(worst, max(0.0, g) / scale)
    return worst


def problem(rng, n=300, d=8, k=1, correlated=True):
    X = rng.normal(size=(n, d))
    if correlated:
        X[:, 1] = X[:, 0] + 0.05 * rng.normal(size=n)
        X[:, 2] = 0.5 * X[:, 0] - X[:, 3] + 0.1 * rng.normal(size=n)
    W = rng.normal(size=(d, k))
    Y = X @ W + 0.3 * rng.normal(size=(n, k)) + 2.0
    return X, Y


def assert_matches(coef, intercept, ref_coef, ref_intercept):
    scale = max(1.0, np.max(np.abs(ref_coef)), abs(ref_intercept))
    np.testing.assert_allclose(coef, ref_coef, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(intercept, ref_intercept, rtol=0, atol=1e-10 * scale)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_matches_scipy_nnls_and_kkt(seed, weighted, fit_intercept):
    rng = np.random.default_rng(seed)
    X, Y = problem(rng, k=1)
    y = Y[:, 0]
    w = rng.uniform(0.2, 3.0, size=len(y)) if weighted else None
    est = linreg.LinearRegression(positive=True, fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
    ref_coef, ref_b = scipy_nnls(X, y, w, fit_intercept)
    assert np.any(ref_coef == 0) or seed > 3  # most of these problems have active constraints
    assert_matches(est.coef_, est.intercept_ if fit_intercept else 0.0, ref_coef, ref_b)
    if not fit_intercept:
        assert est.intercept_ == 0.0
    ww = np.ones(len(y)) if w is None else w
    assert kkt_violation(X, y, ww, est.coef_, est.intercept_, fit_intercept) < 1e-9


def test_active_constraints_are_exact_zeros(rng):
    X, Y = problem(rng)
    y = -X[:, 0] - X[:, 4] + 0.01 * rng.normal(size=len(X))  # two features want negative weights
    est = linreg.LinearRegression(positive=True).fit(X, y)
    ref, ref_b = scipy_nnls(X, y)
    assert np.any(ref == 0)
    np.testing.assert_array_equal(est.coef_ == 0, ref == 0)
    assert_matches(est.coef_, est.intercept_, ref, ref_b)


def test_unconstrained_solution_when_it_is_positive(rng):
    X = rng.normal(size=(100, 3))
    y = X @ np.array([1.0, 2.0, 3.0]) + 0.5 + 0.01 * rng.normal(size=100)
    pos = linreg.LinearRegression(positive=True).fit(X, y)
    ols = np.linalg.lstsq(np.column_stack([np.ones(100), X]), y, rcond=None)[0]
    np.testing.assert_allclose(pos.coef_, ols[1:], rtol=1e-12)
    np.testing.assert_allclose(pos.intercept_, ols[0], rtol=1e-12)


def test_all_coefficients_clamped(rng):
    X = rng.normal(size=(50, 4))
    y = -X.sum(axis=1) + 3.0
    est = linreg.LinearRegression(positive=True).fit(X, y)
    np.testing.assert_array_equal(est.coef_, np.zeros(4))
    assert est.intercept_ == pytest.approx(np.mean(y), rel=1e-14)


def test_several_outputs_each_solved_on_its_own(rng):
    X, Y = problem(rng, k=3)
    w = rng.uniform(0.5, 2.0, size=len(X))
    est = linreg.LinearRegression(positive=True).fit(X, Y, sample_weight=w)
    for j in range(3):
        ref, ref_b = scipy_nnls(X, Y[:, j], w)
        assert_matches(est.coef_[j], est.intercept_[j], ref, ref_b)


def test_sklearn_positive_on_diabetes():
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import LinearRegression as SkLinearRegression

    X, y = load_diabetes(return_X_y=True)
    est = linreg.LinearRegression(positive=True).fit(X, y)
    ref, ref_b = scipy_nnls(X, y)
    assert np.sum(ref == 0) >= 2  # diabetes has active constraints
    assert_matches(est.coef_, est.intercept_, ref, ref_b)
    sk = SkLinearRegression(positive=True).fit(X, y)
    # scikit-learn's own nnls call: same active set, agreement at its double rounding
    np.testing.assert_allclose(est.coef_, sk.coef_, rtol=1e-8, atol=1e-8 * np.max(np.abs(ref)))
    assert kkt_violation(X, y, np.ones(len(y)), est.coef_, est.intercept_) < 1e-9


def test_advertising(advertising):
    X = advertising[["TV", "Radio", "Newspaper"]].to_numpy()
    y = advertising["Sales"].to_numpy()
    # the least-squares newspaper coefficient is negative (-0.001): clamped at 0
    est = linreg.LinearRegression(positive=True).fit(X, y)
    ref, ref_b = scipy_nnls(X, y)
    assert ref[2] == 0.0
    assert_matches(est.coef_, est.intercept_, ref, ref_b)


def test_partial_fit_and_merge_equal_one_fit(rng):
    X, Y = problem(rng, n=900, k=2)
    w = rng.uniform(0.5, 2.0, size=len(X))
    full = linreg.LinearRegression(positive=True).fit(X, Y, sample_weight=w)
    streamed = linreg.LinearRegression(positive=True)
    for lo in range(0, 900, 250):
        streamed.partial_fit(X[lo:lo + 250], Y[lo:lo + 250], sample_weight=w[lo:lo + 250])
    np.testing.assert_allclose(streamed.coef_, full.coef_, rtol=0, atol=1e-12)
    np.testing.assert_allclose(streamed.intercept_, full.intercept_, rtol=0, atol=1e-12)
    # merge of two C models: into's solver decides the solution (NNLS)
    a, b = Model(X.shape[1], 2), Model(X.shape[1], 2)
    for m in (a, b):
        m.set_param(Param.SOLVER, Solver.NNLS)
    a.fit(X[:400], Y[:400], w[:400])
    b.fit(X[400:], Y[400:], w[400:])
    a.merge(b)
    W, c = a.get_weights()
    np.testing.assert_allclose(W, full.coef_, rtol=0, atol=1e-12)
    np.testing.assert_allclose(c, full.intercept_, rtol=0, atol=1e-12)
    for j in range(2):
        ref, ref_b = scipy_nnls(X, Y[:, j], w)
        assert_matches(W[j], c[j], ref, ref_b)


def test_dask(rng):
    da = pytest.importorskip("dask.array")
    import linreg.dask

    X, Y = problem(rng, n=800, k=1)
    y = Y[:, 0]
    est = linreg.dask.fit(da.from_array(X, chunks=(150, X.shape[1])), da.from_array(y, chunks=150), positive=True)
    assert est.positive is True
    ref, ref_b = scipy_nnls(X, y)
    assert_matches(est.coef_, est.intercept_, ref, ref_b)


def test_statistics_unavailable_and_persistence(rng, tmp_path):
    X, Y = problem(rng)
    est = linreg.LinearRegression(positive=True).fit(X, Y[:, 0])
    with pytest.raises(UnavailableError):
        est.bse_
    with pytest.raises(UnavailableError):
        est.summary()
    path = tmp_path / "m.linreg"
    est.save(path)
    loaded = linreg.load(path)
    assert loaded.positive is True and loaded.solver == "exact"
    np.testing.assert_array_equal(loaded.coef_, est.coef_)
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.predict(X), est.predict(X))
    # a loaded model continues non-negatively
    loaded.partial_fit(X[:50], -10 * X[:50, 0])
    assert np.all(loaded.coef_ >= 0)


@pytest.mark.parametrize(
    "params",
    [dict(positive=True, alpha=-1.0), dict(positive=True, solver="gd"), dict(positive="yes")],
)
def test_bad_parameters(params, rng):
    X, Y = problem(rng)
    with pytest.raises(ArgumentError):
        linreg.LinearRegression(**params).fit(X, Y[:, 0])


def test_c_nnls_with_alpha_is_non_negative_ridge(rng):
    X, Y = problem(rng)
    m = Model(X.shape[1], 1)
    m.set_param(Param.SOLVER, Solver.NNLS)
    m.set_param(Param.ALPHA, 0.5)
    m.fit(X, Y)
    W, b = m.get_weights()
    ref_coef, ref_b = scipy_nnls_ridge(X, Y[:, 0], 0.5)
    assert_matches(W[0], b[0], ref_coef, ref_b)
    with pytest.raises(ArgumentError):
        m.set_param(Param.SOLVER, 99)  # not a solver


def test_check_estimator_positive():
    from sklearn.utils.estimator_checks import check_estimator

    # check_regressors_train sets alpha=0.01 on any estimator with an alpha: a
    # non-negative ridge fit, which must pass too.
    check_estimator(linreg.LinearRegression(positive=True))


def scipy_nnls_ridge(X, y, alpha, w=None, fit_intercept=True):
    """Non-negative ridge by scipy.optimize.nnls on the augmented design [sqrt(w) X_c; sqrt(alpha) I]."""
    w = np.ones(len(y)) if w is None else np.asarray(w, float)
    if fit_intercept:
        xbar, ybar = np.average(X, axis=0, weights=w), np.average(y, weights=w)
    else:
        xbar, ybar = np.zeros(X.shape[1]), 0.0
    s = np.sqrt(w)
    A = np.vstack([(X - xbar) * s[:, None], np.sqrt(alpha) * np.eye(X.shape[1])])
    b = np.concatenate([(y - ybar) * s, np.zeros(X.shape[1])])
    coef, _ = nnls(A, b, maxiter=50 * X.shape[1])
    return coef, ybar - xbar @ coef


@pytest.mark.parametrize("alpha", [0.01, 3.0, 250.0])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_non_negative_ridge_matches_scipy_on_the_augmented_design(alpha, weighted, fit_intercept):
    """positive=True with alpha > 0: scikit-learn Ridge(positive=True)'s objective, exact to its
    KKT conditions (scipy's active set on [X_c; sqrt(alpha) I]), and scikit-learn's lbfgs answer
    to its own tolerance."""
    rng = np.random.default_rng(11)
    X, Y = problem(rng, k=1)
    y = Y[:, 0]
    w = rng.uniform(0.2, 3.0, size=len(y)) if weighted else None
    est = linreg.LinearRegression(positive=True, alpha=alpha, fit_intercept=fit_intercept)
    est.fit(X, y, sample_weight=w)
    ref_coef, ref_b = scipy_nnls_ridge(X, y, alpha, w, fit_intercept)
    assert np.any(ref_coef == 0)  # the constraint is active
    assert_matches(est.coef_, est.intercept_ if fit_intercept else 0.0, ref_coef, ref_b)
    # KKT of the penalised problem: g = X_c^T W r - alpha*coef is 0 where coef > 0, <= 0 where coef = 0
    ww = np.ones(len(y)) if w is None else w
    xbar = np.average(X, axis=0, weights=ww) if fit_intercept else np.zeros(X.shape[1])
    r = y - est.intercept_ - X @ est.coef_
    g = (X - xbar).T @ (ww * r) - alpha * est.coef_
    scale = np.linalg.norm(np.sqrt(ww)[:, None] * (X - xbar), axis=0) * np.linalg.norm(np.sqrt(ww) * r)
    assert np.all(est.coef_ >= 0)
    assert np.all(np.abs(g[est.coef_ > 0]) <= 1e-9 * scale[est.coef_ > 0])
    assert np.all(g[est.coef_ == 0] <= 1e-9 * scale[est.coef_ == 0])
    from sklearn.linear_model import Ridge

    sk = Ridge(alpha=alpha, positive=True, fit_intercept=fit_intercept, tol=1e-12, max_iter=100000)
    sk.fit(X, y, sample_weight=w)
    np.testing.assert_allclose(est.coef_, sk.coef_, atol=1e-6 * max(1.0, np.abs(sk.coef_).max()))
