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
