"""The exact solver's paths as users see them (``solver_path_``, ``n_passes_``;
``linreg_get_solver_info``), and the refined normal-equations path's answers
against numpy's float64 ``lstsq`` on the designs it is for: correlated
columns and polynomial terms on data of at least 32,768 rows."""

import pickle

import numpy as np
import pytest

import linreg
from exact_least_squares import exact_dyadic_fit

N = 40_000  # at least ExactSolver.refinementMinimumRows (32,768)


def _design(kind: str, n: int = N, seed: int = 0):
    rng = np.random.default_rng(seed)
    if kind == "independent":
        X = rng.standard_normal((n, 8))
    elif kind == "correlated":  # equicorrelated at rho = 0.999
        X = np.sqrt(0.999) * rng.standard_normal((n, 1)) + np.sqrt(0.001) * rng.standard_normal((n, 10))
    else:  # u ... u^6 beside four independent columns (kappa ~ 1e4)
        u = rng.uniform(0, 1, (n, 1))
        X = np.hstack([u ** j for j in range(1, 7)] + [rng.standard_normal((n, 4))])
    y = X @ rng.standard_normal(X.shape[1]) + 1.5 + 0.5 * rng.standard_normal(n)
    return X, y


def _lstsq(X, y, w=None):
    """numpy's float64 least squares with an intercept (weighted-centred data)."""
    w = np.ones(len(y)) if w is None else w
    xm, ym = np.average(X, axis=0, weights=w), np.average(y, weights=w)
    s = np.sqrt(w)
    coef = np.linalg.lstsq(s[:, None] * (X - xm), s * (y - ym), rcond=None)[0]
    return coef, ym - xm @ coef


@pytest.mark.parametrize("kind", ["correlated", "polynomial"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_refined_path_answers_as_lstsq(kind, weighted, dtype):
    X, y = _design(kind)
    X, y = X.astype(dtype), y.astype(dtype)
    # weights in the data's precision (float32 data: float32 weights, as the estimator converts them)
    w = np.random.default_rng(1).uniform(0.2, 2.0, N).astype(dtype).astype(np.float64) if weighted else None
    est = linreg.LinearRegression().fit(X, y, sample_weight=w)
    assert est.solver_path_ == "refined"
    assert 2 <= est.n_passes_ <= 9
    coef, intercept = _lstsq(X.astype(np.float64), y.astype(np.float64), w)
    # lstsq's own error on these designs is about cond * 2^-52 (1e-12 at cond 1e4);
    # the refined path's noise floor is 64 * cond * 2^-52: 1e-9 covers both.
    got = np.asarray(est.params_, dtype=np.float64)
    assert np.max(np.abs(got[1:] - coef)) <= 1e-9 * np.max(np.abs(coef))
    assert abs(got[0] - intercept) <= 1e-9 * (abs(intercept) + np.abs(coef) @ np.abs(X.mean(axis=0)))
    # RSS of the refined answer equals numpy's residuals' to 1e-9
    resid = y.astype(np.float64) - intercept - X.astype(np.float64) @ coef
    rss = np.sum((np.ones(N) if w is None else w) * resid ** 2)
    assert est.ssr_ == pytest.approx(rss, rel=1e-9)


def test_paths_of_other_data():
    X, y = _design("independent")
    est = linreg.LinearRegression().fit(X, y)
    assert (est.solver_path_, est.n_passes_) == ("normal_equations", 1)
    # small data keep the double-double Householder reduction
    Xs, ys = _design("polynomial", n=2_000)
    small = linreg.LinearRegression().fit(Xs, ys)
    assert small.solver_path_ == "householder"
    # streamed chunks never refine
    Xp, yp = _design("polynomial")
    part = linreg.LinearRegression().partial_fit(Xp, yp)
    assert part.solver_path_ == "householder"
    # the report is not stored: unknown after pickling, and after GD
    assert pickle.loads(pickle.dumps(est)).solver_path_ is None
    gd = linreg.LinearRegression(solver="gd", epochs=3).fit(X[:100], y[:100])
    assert gd.solver_path_ is None and gd.n_passes_ is None


def test_before_fit_is_not_fitted():
    with pytest.raises(linreg.NotFittedError):
        linreg.LinearRegression().solver_path_


@pytest.mark.parametrize("d, rho", [(200, 0.9), (520, 0.9)])
def test_wide_designs_answer_as_lstsq_with_the_same_bits_for_any_thread_count(d, rho):
    """Wide correlated designs (d >= 128: the packed tiles, the threaded Cholesky and
    condition estimate, several panels and chunks) on the fast paths: coefficients as
    float64 lstsq (1e-10 relative; both are about kappa * eps here, kappa ~ 1e2), and the
    same bits whatever the thread count (1, 2, 3 workers)."""
    rng = np.random.default_rng(d)
    n = 36_000
    X = np.sqrt(rho) * rng.standard_normal((n, 1)) + np.sqrt(1 - rho) * rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + 2.0 + rng.standard_normal(n)
    fits = [linreg.LinearRegression(n_threads=t).fit(X, y) for t in (1, 2, 3)]
    assert fits[0].solver_path_ in ("normal_equations", "residual_pass", "refined")
    coef, intercept = _lstsq(X, y)
    np.testing.assert_allclose(fits[0].coef_, coef, rtol=0, atol=1e-10 * np.max(np.abs(coef)))
    assert fits[0].intercept_ == pytest.approx(intercept, rel=1e-10)
    for other in fits[1:]:
        np.testing.assert_array_equal(other.coef_, fits[0].coef_)
        np.testing.assert_array_equal(other.intercept_, fits[0].intercept_)
        np.testing.assert_array_equal(other.bse_, fits[0].bse_)
        np.testing.assert_array_equal(other.singular_, fits[0].singular_)


@pytest.mark.parametrize("noise_exponent", [-30, -34, -40])
@pytest.mark.parametrize("weighted", [False, True])
def test_nearly_exact_fits_keep_their_rss_against_exact_rational_arithmetic(noise_exponent, weighted):
    """Nearly exact fits of a well-conditioned design (residuals 2e-8 to 3e-11
    against y of about 30): at 2^-30 and 2^-34 refined with correctly
    rounded residuals (two or three passes); at 2^-40 even the coefficients'
    own rounding to double (about 1e-16 of each) would move the RSS by 1e-8
    of itself, so the double-double Householder reduction answers. Either
    way the RSS, coefficients and intercept against the exact least-squares
    solution of the same float64 data (rational arithmetic): RSS to 1e-9,
    coefficients to 1e-13. The RSS of residuals computed in double (numpy,
    from the exact coefficients) is 1.4e-9, 2.7e-8 and 1.4e-6 off here."""
    rng = np.random.default_rng(7)
    n, d = N, 5
    X = rng.integers(-2 ** 12, 2 ** 12, (n, d)) / 2.0 ** 8          # dyadic, |x| < 16
    beta = np.array([3.25, -1.5, 0.625, 2.0, -0.875])
    noise = rng.integers(-2 ** 6, 2 ** 6, n) * 2.0 ** noise_exponent  # exact in float64
    y = X @ beta + 7.5 + noise                                         # exact: all dyadic, < 2^53 ulps
    w = rng.integers(1, 64, n) / 16.0 if weighted else None
    coef, intercept, rss = exact_dyadic_fit(X, y, w, x_scale=2 ** 8, y_scale=2 ** 40, w_scale=16)
    est = linreg.LinearRegression().fit(X, y, sample_weight=w)
    if noise_exponent > -40:
        assert (est.solver_path_, est.n_passes_) in (("refined", 2), ("refined", 3))
    else:
        # the moments, one refinement pass (whose RSS check declined), the reduction
        assert (est.solver_path_, est.n_passes_) == ("householder", 3)
    assert est.ssr_ == pytest.approx(rss, rel=1e-9)
    assert np.max(np.abs(est.coef_ - coef)) <= 1e-13 * np.max(np.abs(coef))
    assert abs(est.intercept_ - intercept) <= 1e-13 * 100


@pytest.mark.parametrize("polynomial_last", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_partially_whitened_fits_keep_statsmodels_standard_errors(polynomial_last, weighted, dtype):
    """u ... u^7 beside 12 independent columns (kappa ~ 6e4): beyond the moments'
    factor's statistics limit, so the refined path rebuilds its factor from the
    whitened rows, whitening only the ill-conditioned columns (three passes).
    Every statistic read from that factor against statsmodels' OLS / WLS on the
    same float64 data (its pinv from an SVD: about cond * 2^-52 = 1e-11 off
    itself): standard errors and t values to 1e-8 relative, each against its
    own size (the noise columns' standard errors are 1e-4 of the polynomial
    terms'); the moments' factor alone would leave them about 7e-8 off."""
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(11)
    n = 100_000
    u = rng.uniform(0, 1, (n, 1))
    poly = [u ** j for j in range(1, 8)]
    noise_columns = [rng.standard_normal((n, 12))]
    X = np.hstack(noise_columns + poly if polynomial_last else poly + noise_columns)
    y = X @ rng.standard_normal(X.shape[1]) + 1.5 + 0.5 * rng.standard_normal(n)
    X, y = X.astype(dtype), y.astype(dtype)
    w = rng.uniform(0.2, 2.0, n).astype(dtype).astype(np.float64) if weighted else None
    est = linreg.LinearRegression().fit(X, y, sample_weight=w)
    assert (est.solver_path_, est.n_passes_) == ("refined", 3)
    exog = sm.add_constant(X.astype(np.float64))
    endog = y.astype(np.float64)
    ref = (sm.WLS(endog, exog, weights=w) if weighted else sm.OLS(endog, exog)).fit()
    np.testing.assert_allclose(est.bse_, ref.bse, rtol=1e-8, atol=0)
    np.testing.assert_allclose(est.tvalues_, ref.tvalues, rtol=1e-8, atol=0)
    np.testing.assert_allclose(est.ssr_, ref.ssr, rtol=1e-9)
    np.testing.assert_allclose(est.params_, ref.params, rtol=1e-8, atol=1e-8 * np.max(np.abs(ref.params)))


@pytest.mark.parametrize("weighted", [False, True])
def test_wide_refined_fits_keep_statsmodels_statistics(weighted):
    """520 correlated columns of unequal scales and offsets (equicorrelated at 0.99,
    kappa ~ 200): at least ExactSolver.refinedDoubleFactorColumns (512), so the refined
    path starts from the condition estimate's double Cholesky factor instead of a
    double-double one (two passes). Its statistics against statsmodels' OLS / WLS on the
    same data (pinv from an SVD: about cond * 2^-52 off itself): standard errors, t values
    and coefficients to 1e-8 relative, the RSS and R^2 to 1e-9; measured 3e-14 (standard
    errors) and 1e-11 (t values, as the coefficients). Which factor was used is not
    visible from here: RefinedPathTests.wideRefinedFitsStartFromTheDoubleFactorWhenItSuffices
    checks the branch on the same kind of design."""
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(23)
    n, d = 36_000, 520
    X = np.sqrt(0.99) * rng.standard_normal((n, 1)) + np.sqrt(0.01) * rng.standard_normal((n, d))
    X = X * rng.uniform(0.5, 20.0, d) + rng.uniform(-10.0, 10.0, d)
    y = X @ rng.standard_normal(d) + 2.0 + rng.standard_normal(n)
    w = rng.uniform(0.2, 3.0, n) if weighted else None
    est = linreg.LinearRegression().fit(X, y, sample_weight=w)
    assert (est.solver_path_, est.n_passes_) == ("refined", 2)
    exog = sm.add_constant(X)
    ref = (sm.WLS(y, exog, weights=w) if weighted else sm.OLS(y, exog)).fit()
    np.testing.assert_allclose(est.bse_, ref.bse, rtol=1e-8, atol=0)
    np.testing.assert_allclose(est.tvalues_, ref.tvalues, rtol=1e-8, atol=0)
    np.testing.assert_allclose(est.params_, ref.params, rtol=1e-8, atol=1e-8 * np.max(np.abs(ref.params)))
    np.testing.assert_allclose(est.ssr_, ref.ssr, rtol=1e-9)
    np.testing.assert_allclose(est.rsquared_, ref.rsquared, rtol=1e-9)
