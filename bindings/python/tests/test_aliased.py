"""Aliased columns of rank-deficient designs (R's ``lm``: ``aliased_``, ``alias()``, R-style ``params_``).

References, independent of liblinreg:

* which columns are aliased: :func:`dqrdc2_aliased` below, R's rule written
  with numpy (columns in order; a column is aliased when its residual after
  least-squares projection on the kept earlier columns is below tol times its
  norm); the designs are exactly collinear, so any tolerance between 1e-12 and
  1e-3 gives the same answer;
* ``params_``, ``bse_``, ``tvalues_``, ``pvalues_``, ``conf_int()``:
  statsmodels OLS/WLS of the kept columns (R's reduced design), 1e-10
  relative (p-values 1e-10 absolute plus 1e-8 relative), NaN for aliased;
* ``alias()``: ``numpy.linalg.lstsq`` of each aliased column on the kept
  columns, 1e-10 relative plus 1e-12 absolute (entries that are 0 exactly
  come out as rounding);
* ``coef_``: scikit-learn's minimum-norm answer, unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest

import linreg

sm = pytest.importorskip("statsmodels.api")

RTOL = 1e-10


def dqrdc2_aliased(design: np.ndarray, tol: float = 1e-7) -> np.ndarray:
    """R's lm rule on the columns of ``design`` (intercept included), in order."""
    kept, aliased = [], []
    for j in range(design.shape[1]):
        column = design[:, j]
        norm = np.linalg.norm(column)
        if kept:
            basis = design[:, kept]
            residual = column - basis @ np.linalg.lstsq(basis, column, rcond=None)[0]
        else:
            residual = column
        is_aliased = norm == 0 or np.linalg.norm(residual) < tol * norm
        aliased.append(is_aliased)
        if not is_aliased:
            kept.append(j)
    return np.array(aliased)


def collinear(rng, n=60):
    Z = rng.normal(size=(n, 4))
    X = np.column_stack([Z[:, 0], Z[:, 1], Z[:, 0] + 2 * Z[:, 1], Z[:, 2], Z[:, 1], Z[:, 3]])
    y = X @ [1.0, -2.0, 0.5, 3.0, 1.0, -1.0] + rng.normal(size=n)
    return X, y


def assert_reduced_fit(est, res, aliased):
    kept = ~aliased
    for ours, theirs in [(est.params_, res.params), (est.bse_, res.bse), (est.tvalues_, res.tvalues)]:
        assert np.all(np.isnan(ours[aliased]))
        np.testing.assert_allclose(ours[kept], np.asarray(theirs), rtol=RTOL)
    np.testing.assert_allclose(est.pvalues_[kept], np.asarray(res.pvalues), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(est.conf_int()[kept], np.asarray(res.conf_int()), rtol=RTOL)
    np.testing.assert_allclose(est.conf_int(0.1)[kept], np.asarray(res.conf_int(0.1)), rtol=RTOL)


def test_collinear_columns_follow_r(rng):
    X, y = collinear(rng)
    est = linreg.LinearRegression().fit(X, y)
    design = sm.add_constant(X)
    aliased = dqrdc2_aliased(design)
    assert aliased.tolist() == [False, False, False, True, False, True, False]
    assert est.aliased_.tolist() == aliased.tolist()
    assert_reduced_fit(est, sm.OLS(y, design[:, ~aliased]).fit(), aliased)
    # scikit-learn's minimum-norm coefficients are kept in coef_
    from sklearn.linear_model import LinearRegression as Sk

    np.testing.assert_allclose(est.coef_, Sk().fit(X, y).coef_, rtol=1e-8, atol=1e-10)
    assert est.rank_ == 4


def test_alias_matrix_matches_lstsq(rng):
    X, y = collinear(rng)
    est = linreg.LinearRegression().fit(X, y)
    design = sm.add_constant(X)
    aliased = est.aliased_
    combos = est.results_.alias()
    assert combos.shape == (7, 7)
    kept = np.flatnonzero(~aliased)
    for a in np.flatnonzero(aliased):
        expected = np.zeros(7)
        expected[kept] = np.linalg.lstsq(design[:, kept], design[:, a], rcond=None)[0]
        np.testing.assert_allclose(combos[a], expected, rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(combos[3, [1, 2]], [1.0, 2.0], rtol=RTOL)  # x3 = x1 + 2 x2
    assert np.all(combos[~aliased] == 0)


def test_constant_and_duplicate_columns(rng):
    n = 40
    x = rng.normal(size=n)
    X = np.column_stack([x, np.full(n, 3.0), x, rng.normal(size=n)])
    y = 2 * x + X[:, 3] + rng.normal(size=n)
    est = linreg.LinearRegression().fit(X, y)
    assert est.aliased_.tolist() == [False, False, True, True, False]  # const, x1, x2 = 3 const, x3 = x1, x4
    combos = est.results_.alias()
    assert combos[2, 0] == pytest.approx(3.0, rel=RTOL)
    assert combos[3, 1] == pytest.approx(1.0, rel=RTOL)
    design = sm.add_constant(X, has_constant="add")
    assert_reduced_fit(est, sm.OLS(y, design[:, [0, 1, 4]]).fit(), est.aliased_)


def test_zero_column_is_aliased(rng):
    X = np.column_stack([rng.normal(size=30), np.zeros(30), rng.normal(size=30)])
    y = X[:, 0] + rng.normal(size=30)
    est = linreg.LinearRegression().fit(X, y)
    assert est.aliased_.tolist() == [False, False, True, False]
    assert np.all(est.results_.alias()[2] == 0)


def test_without_intercept_and_weighted(rng):
    X, y = collinear(rng)
    est = linreg.LinearRegression(fit_intercept=False).fit(X, y)
    aliased = dqrdc2_aliased(X)
    assert est.aliased_.tolist() == aliased.tolist()
    assert_reduced_fit(est, sm.OLS(y, X[:, ~aliased]).fit(), aliased)
    w = rng.uniform(0.5, 2.0, size=len(y))
    est = linreg.LinearRegression().fit(X, y, sample_weight=w)
    design = sm.add_constant(X)
    aliased = est.aliased_
    assert aliased.tolist() == dqrdc2_aliased(np.sqrt(w)[:, None] * design).tolist()
    assert_reduced_fit(est, sm.WLS(y, design[:, ~aliased], weights=w).fit(), aliased)


def test_multi_output_and_persistence(rng, tmp_path):
    X, y = collinear(rng)
    Y = np.column_stack([y, -y + X[:, 0]])
    est = linreg.LinearRegression().fit(X, Y)
    design = sm.add_constant(X)
    for t in range(2):
        aliased = est.aliased_[t]
        res = sm.OLS(Y[:, t], design[:, ~aliased]).fit()
        np.testing.assert_allclose(est.params_[t][~aliased], res.params, rtol=RTOL)
        np.testing.assert_allclose(est.bse_[t][~aliased], res.bse, rtol=RTOL)
    est.save(tmp_path / "m.lrm")
    loaded = linreg.load(tmp_path / "m.lrm")  # aliasing is derived from the stored factor
    np.testing.assert_array_equal(loaded.aliased_, est.aliased_)
    np.testing.assert_array_equal(loaded.params_, est.params_)
    np.testing.assert_array_equal(loaded.results_.alias(), est.results_.alias())


def test_chunked_fit_gives_the_same_aliasing(rng):
    X, y = collinear(rng, n=90)
    whole = linreg.LinearRegression().fit(X, y)
    est = linreg.LinearRegression()
    for part in np.array_split(np.arange(90), 3):
        est.partial_fit(X[part], y[part])
    np.testing.assert_array_equal(est.aliased_, whole.aliased_)
    np.testing.assert_allclose(est.params_, whole.params_, rtol=RTOL)
    np.testing.assert_allclose(est.bse_, whole.bse_, rtol=RTOL)


def test_full_rank_has_nothing_aliased(advertising):
    X, y = advertising[["TV", "Radio", "Newspaper"]], advertising["Sales"]
    est = linreg.LinearRegression().fit(X, y)
    assert not est.aliased_.any()
    np.testing.assert_array_equal(est.params_, np.concatenate([[est.intercept_], est.coef_]))
    assert np.all(est.results_.alias() == 0)


def test_summary_marks_aliased_rows_as_r(rng):
    X, y = collinear(rng)
    text = str(linreg.LinearRegression().fit(X, y).summary())
    row = next(line for line in text.splitlines() if line.startswith("x3 "))
    assert row.split()[1:] == ["NA"] * 6
    assert "2 not defined because of singularities (aliased: x3, x5)" in text


def test_rcond_sets_the_aliasing_tolerance(rng):
    n = 50
    x = rng.normal(size=n)
    X = np.column_stack([x, x + 1e-9 * rng.normal(size=n), rng.normal(size=n)])
    y = x + X[:, 2] + rng.normal(size=n)
    assert not linreg.LinearRegression().fit(X, y).aliased_.any()  # default: max(n, p) * eps
    aliased = linreg.LinearRegression(rcond=1e-7).fit(X, y).aliased_  # R's tolerance
    assert aliased.tolist() == dqrdc2_aliased(sm.add_constant(X), tol=1e-7).tolist() == [False, False, True, False]


@pytest.mark.parametrize("name", ["longley", "diabetes"])
def test_bundled_data_with_a_collinear_column(name):
    """Longley (statsmodels) and diabetes (scikit-learn) with a column that is a combination of
    two others (formed in float64: exact up to one rounding, far below the tolerance)."""
    if name == "longley":
        data = sm.datasets.longley.load_pandas()
        X, y = data.exog.to_numpy(), data.endog.to_numpy()
    else:
        from sklearn.datasets import load_diabetes

        X, y = load_diabetes(return_X_y=True)
    X = np.column_stack([X[:, :3], 2.0 * X[:, 0] - X[:, 2], X[:, 3:]])
    est = linreg.LinearRegression().fit(X, y)
    design = sm.add_constant(X)
    aliased = dqrdc2_aliased(design)
    assert aliased.sum() == 1 and aliased[4]  # the added column (after const, x1, x2, x3)
    assert est.aliased_.tolist() == aliased.tolist()
    res = sm.OLS(y, design[:, ~aliased]).fit()
    # Longley's condition number (5e9) costs statsmodels ~cond * eps of its own accuracy: there the
    # comparison is at 1e-8 (test_statistics_longley.py's tolerance), else 1e-10.
    rtol = 1e-8 if name == "longley" else RTOL
    np.testing.assert_allclose(est.params_[~aliased], res.params, rtol=rtol)
    np.testing.assert_allclose(est.bse_[~aliased], res.bse, rtol=rtol)
    np.testing.assert_allclose(est.pvalues_[~aliased], res.pvalues, rtol=max(rtol, 1e-8), atol=1e-10)
    combos = est.results_.alias()
    np.testing.assert_allclose(combos[4, [1, 3]], [2.0, -1.0], rtol=1e-9)


ROBUST_CASES = [("HC0", 0, None), ("HC1", 0, None), ("HC2", 0, None), ("HC3", 0, None), ("HC1", 0, True),
                ("cluster", 1, None), ("cluster", 2, None), ("cluster", 1, True), ("nonrobust", 0, False)]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("cov_type, ways, use_t", ROBUST_CASES)
def test_robust_statistics_of_a_rank_deficient_fit_are_the_reduced_designs(rng, cov_type, ways, use_t, weighted):
    """Under any covariance type (and t or z), the kept columns' statistics are statsmodels'
    for the reduced design with the same cov_type (its corrections count the kept columns)."""
    X, y = collinear(rng, n=90)
    n = len(y)
    w = rng.uniform(0.5, 2.0, size=n) if weighted else None
    groups = None
    if ways == 1:
        groups = rng.integers(0, 11, size=n)
    elif ways == 2:
        groups = np.column_stack([rng.integers(0, 11, size=n), rng.integers(0, 7, size=n)])
    est = linreg.LinearRegression(cov_type=cov_type, use_t=use_t)
    est.fit(X, y, sample_weight=w, **({} if groups is None else {"groups": groups}))
    design = sm.add_constant(X)
    aliased = est.aliased_
    assert aliased.tolist() == [False, False, False, True, False, True, False]
    reduced = design[:, ~aliased]
    model = sm.OLS(y, reduced) if w is None else sm.WLS(y, reduced, weights=w)
    kwargs = {"cov_type": cov_type, "use_t": use_t}
    if groups is not None:
        kwargs["cov_kwds"] = {"groups": groups}
    assert_reduced_fit(est, model.fit(**kwargs), aliased)


def test_estimates_need_no_covariance_pass(rng):
    """After partial_fit (no covariance pass yet) a rank-deficient fit under a robust type still
    gives R's estimates; its standard errors wait for the pass."""
    X, y = collinear(rng)
    est = linreg.LinearRegression(cov_type="HC1").partial_fit(X[:30], y[:30]).partial_fit(X[30:], y[30:])
    design = sm.add_constant(X)
    aliased = np.array([False, False, False, True, False, True, False])
    ref = sm.OLS(y, design[:, ~aliased]).fit()
    # the C call (LINREG_COEF_ESTIMATE): weights then the intercept, NaN where aliased
    weights, intercepts = est._model.coef_stat(linreg.CoefStat.ESTIMATE)
    params = np.concatenate([intercepts, weights[0]])
    np.testing.assert_allclose(params[~aliased], np.asarray(ref.params), rtol=RTOL)
    assert np.all(np.isnan(params[aliased]))
    with pytest.raises(linreg.LinregError):
        est._model.coef_stat(linreg.CoefStat.STDERR)
    est.begin_covariance_pass().covariance_pass(X, y)
    np.testing.assert_allclose(est.bse_[~aliased], np.asarray(sm.OLS(y, design[:, ~aliased]).fit(cov_type="HC1").bse),
                               rtol=RTOL)
