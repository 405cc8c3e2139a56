"""The missing-data policy: ``LinearRegression(missing="raise" | "drop")``, ``n_dropped_``.

Reference: statsmodels' ``OLS(..., missing="drop")`` / ``WLS(..., missing="drop")``
on the same data (1e-10 relative), and the policy's own contract (which rows
go, how many are reported, what stays an error).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linreg

sm = pytest.importorskip("statsmodels.api")

RTOL = 1e-10
FEATURES = ["TV", "Radio", "Newspaper"]


@pytest.fixture
def holes(advertising):
    X = advertising[FEATURES].copy()
    y = advertising["Sales"].copy()
    X.iloc[[3, 17], 1] = np.nan
    y.iloc[[17, 40]] = np.nan
    return X, y


def test_raise_is_the_default(holes):
    X, y = holes
    assert linreg.LinearRegression().missing == "raise"
    with pytest.raises(linreg.NonFiniteError, match="row 3"):
        linreg.LinearRegression().fit(X, y)


def test_drop_matches_statsmodels(holes):
    X, y = holes
    est = linreg.LinearRegression(missing="drop").fit(X, y)
    res = sm.OLS(y, sm.add_constant(X), missing="drop").fit()
    assert est.n_dropped_ == 3 and est.nobs_ == 197 == res.nobs
    np.testing.assert_allclose(est.params_, res.params, rtol=RTOL)
    np.testing.assert_allclose(est.bse_, res.bse, rtol=RTOL)
    assert list(est.feature_names_in_) == FEATURES
    text = str(est.summary())
    assert "3 row(s) with missing values were dropped" in text
    # the residual diagnostics and influence measures use the rows kept
    assert est.get_influence().hat_matrix_diag.shape == (197,)
    assert est.diagn_["durbin_watson"] == pytest.approx(
        float(np.sum(np.diff(res.wresid) ** 2) / np.sum(res.wresid ** 2)), rel=RTOL)


def test_drop_with_weights_and_numpy(holes):
    X, y = holes
    w = np.linspace(1.0, 2.0, len(y))
    w[60] = np.nan
    est = linreg.LinearRegression(missing="drop").fit(X.to_numpy(), y.to_numpy(), sample_weight=w)
    keep = ~(X.isna().any(axis=1).to_numpy() | y.isna().to_numpy() | np.isnan(w))
    res = sm.WLS(y.to_numpy()[keep], sm.add_constant(X.to_numpy()[keep]), weights=w[keep]).fit()
    assert est.n_dropped_ == 4
    np.testing.assert_allclose(est.params_, res.params, rtol=RTOL)


def test_nothing_to_drop_and_infinities_stay_errors(advertising):
    X, y = advertising[FEATURES], advertising["Sales"]
    assert linreg.LinearRegression(missing="drop").fit(X, y).n_dropped_ == 0
    Xi = X.copy()
    Xi.iloc[5, 0] = np.inf
    with pytest.raises(linreg.NonFiniteError):
        linreg.LinearRegression(missing="drop").fit(Xi, y)


def test_every_row_missing_and_bad_policy():
    X = np.full((4, 2), np.nan)
    with pytest.raises(ValueError, match="nothing left to fit"):
        linreg.LinearRegression(missing="drop").fit(X, np.ones(4))
    with pytest.raises(ValueError, match="missing='none'"):
        linreg.LinearRegression(missing="none").fit(np.ones((4, 1)), np.ones(4))


def test_partial_fit_sums_the_dropped_rows(holes):
    X, y = holes
    est = linreg.LinearRegression(missing="drop")
    est.partial_fit(X.iloc[:100], y.iloc[:100])
    est.partial_fit(X.iloc[100:], y.iloc[100:])
    assert est.n_dropped_ == 3
    whole = linreg.LinearRegression(missing="drop").fit(X, y)
    np.testing.assert_allclose(est.params_, whole.params_, rtol=RTOL)


def test_policy_is_a_parameter():
    est = linreg.LinearRegression(missing="drop")
    assert est.get_params()["missing"] == "drop"
    from sklearn.base import clone

    assert clone(est).missing == "drop"


def _reference_cluster(X, y, groups, keep):
    return sm.OLS(y[keep], sm.add_constant(X[keep])).fit(cov_type="cluster", cov_kwds={"groups": groups[keep]})


def test_drop_with_clusters_drops_the_labels_too(holes):
    """missing="drop" with cov_type="cluster": the labels of dropped rows go with them, and a row
    whose label is missing (None or NaN) is dropped too; statsmodels on the kept rows."""
    X, y = holes
    labels = np.array([f"g{i % 9}" for i in range(len(y))], dtype=object)
    labels[[25, 26]] = None
    est = linreg.LinearRegression(cov_type="cluster", missing="drop").fit(X, y, groups=labels)
    keep = ~(X.isna().any(axis=1).to_numpy() | y.isna().to_numpy())
    keep[[25, 26]] = False
    assert est.n_dropped_ == 5
    codes = pd.factorize(pd.Series(labels))[0]
    res = _reference_cluster(X.to_numpy(), y.to_numpy(), codes, keep)
    np.testing.assert_allclose(est.bse_, res.bse, rtol=RTOL)
    float_labels = (np.arange(len(y)) % 9).astype(float)
    float_labels[30] = np.nan
    est = linreg.LinearRegression(cov_type="cluster", missing="drop").fit(X, y, groups=float_labels)
    keep[[25, 26]] = True
    keep[30] = False
    assert est.n_dropped_ == 4
    res = _reference_cluster(X.to_numpy(), y.to_numpy(), float_labels, keep)
    np.testing.assert_allclose(est.bse_, res.bse, rtol=RTOL)


def test_passes_over_the_fit_rows_drop_the_same_rows(holes):
    """After partial_fit(missing="drop"), the covariance pass, the influence measures and the
    residual pass take the same chunks with their NaN rows and drop them as the fit did."""
    X, y = holes
    Xn, yn = X.to_numpy(), y.to_numpy()
    groups = np.arange(len(yn)) % 7
    est = linreg.LinearRegression(cov_type="cluster", missing="drop")
    for chunk in (slice(0, 120), slice(120, None)):
        est.partial_fit(Xn[chunk], yn[chunk])
    est.begin_covariance_pass()
    for chunk in (slice(0, 120), slice(120, None)):
        est.covariance_pass(Xn[chunk], yn[chunk], groups=groups[chunk])
    keep = ~(np.isnan(Xn).any(axis=1) | np.isnan(yn))
    res = _reference_cluster(Xn, yn, groups, keep)
    np.testing.assert_allclose(est.bse_, res.bse, rtol=RTOL)
    from statsmodels.stats.outliers_influence import OLSInfluence

    ols = sm.OLS(yn[keep], sm.add_constant(Xn[keep])).fit()
    influence = est.get_influence(Xn, yn)
    np.testing.assert_allclose(influence.hat_matrix_diag, OLSInfluence(ols).hat_matrix_diag, rtol=RTOL)
    diagn = est.residual_pass(Xn, yn)
    assert diagn["durbin_watson"] == pytest.approx(
        float(np.sum(np.diff(ols.wresid) ** 2) / np.sum(ols.wresid ** 2)), rel=RTOL)


def test_dask_fit_drops_missing_rows_per_partition(holes):
    """linreg.dask.fit(missing="drop"): each partition drops its NaN rows in the fit and in the
    covariance pass; the result equals the one-shot fit and statsmodels on the kept rows."""
    da = pytest.importorskip("dask.array")
    X, y = holes
    Xn, yn = X.to_numpy(), y.to_numpy()
    w = np.linspace(1.0, 2.0, len(yn))
    w[61] = np.nan
    groups = np.arange(len(yn)) % 7
    import linreg.dask as lrd

    est = lrd.fit(da.from_array(Xn, chunks=(45, 3)), da.from_array(yn, chunks=45),
                  da.from_array(w, chunks=45), groups=da.from_array(groups, chunks=45),
                  cov_type="cluster", missing="drop")
    keep = ~(np.isnan(Xn).any(axis=1) | np.isnan(yn) | np.isnan(w))
    assert est.n_dropped_ == 4
    res = sm.WLS(yn[keep], sm.add_constant(Xn[keep]), weights=w[keep]).fit(
        cov_type="cluster", cov_kwds={"groups": groups[keep]})
    np.testing.assert_allclose(est.params_, res.params, rtol=RTOL)
    np.testing.assert_allclose(est.bse_, res.bse, rtol=RTOL)
    with pytest.raises(linreg.NonFiniteError):
        lrd.fit(da.from_array(Xn, chunks=(45, 3)), da.from_array(yn, chunks=45))


def test_missing_labels_of_any_kind_and_all_missing_chunks(holes):
    """pd.NA in a nullable string column is a missing label; under "drop" a chunk whose rows
    are all missing adds nothing but its count (partial_fit, covariance_pass)."""
    X, y = holes
    labels = pd.Series([f"g{i % 5}" for i in range(len(y))], dtype="string")
    labels.iloc[[8, 9]] = pd.NA
    est = linreg.LinearRegression(cov_type="cluster", missing="drop").fit(X, y, groups=labels)
    keep = ~(X.isna().any(axis=1).to_numpy() | y.isna().to_numpy())
    keep[[8, 9]] = False
    codes = pd.factorize(labels)[0]
    ref = sm.OLS(y.to_numpy()[keep], sm.add_constant(X.to_numpy()[keep])).fit(
        cov_type="cluster", cov_kwds={"groups": codes[keep]})
    np.testing.assert_allclose(est.bse_, ref.bse, rtol=RTOL)

    Xn, yn = X.to_numpy(), y.to_numpy()
    empty = np.full((4, 3), np.nan)
    est = linreg.LinearRegression(missing="drop").partial_fit(Xn, yn)
    est.partial_fit(empty, np.ones(4))
    assert est.n_dropped_ == 3 + 4
    res = sm.OLS(yn, sm.add_constant(Xn), missing="drop").fit()
    np.testing.assert_allclose(est.params_, res.params, rtol=RTOL)
