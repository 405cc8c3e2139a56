"""Influence measures (``get_influence``, ``linreg_influence_*``) against independent references.

References and tolerances:

* R's ``lm.influence`` numbers that statsmodels' own test suite carries
  (stats/tests/results/influence_lsdiag_R.json and influence_measures_R.csv,
  the macrodata growth-rate regression): 1e-10 relative plus 1e-12 absolute
  (R printed 15 significant digits; the absolute part covers values near 0).
* statsmodels' ``OLSInfluence`` on well-conditioned data (Advertising,
  scikit-learn's diabetes, macrodata): 1e-10 relative (p-values 1e-10
  absolute plus 1e-8 relative). Both sides are accurate to ~1e-13 there.
* Exact rational arithmetic (tests/exact_least_squares.py) on Longley
  (condition number 5e9), where statsmodels' own values carry errors of
  ~1e-9 (its pinv): 1e-10 relative.
* WLS: R's weighted ``lm.influence`` definitions = ``OLSInfluence`` of the
  whitened fit ``OLS(sqrt(w) y, sqrt(w) [1, X])``, and exact arithmetic.
* Rank-deficient designs: ``OLSInfluence`` of the reduced design (the kept
  columns), which spans the same column space, so the hat matrix is the same.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import linreg
from exact_least_squares import ExactFit

sm = pytest.importorskip("statsmodels.api")
from statsmodels.stats.outliers_influence import OLSInfluence  # noqa: E402

RTOL = 1e-10
FEATURES = ["TV", "Radio", "Newspaper"]
R_RESULTS = Path(sm.__file__).parent / "stats" / "tests" / "results"


def assert_influence_matches(infl, ref, rtol=RTOL, atol=0.0):
    """Every OLSInfluence attribute the issue names, ours against ``ref`` (an OLSInfluence)."""
    np.testing.assert_allclose(infl.hat_matrix_diag, ref.hat_matrix_diag, rtol=rtol, atol=atol)
    np.testing.assert_allclose(infl.resid_studentized_internal, ref.resid_studentized_internal, rtol=rtol, atol=atol)
    np.testing.assert_allclose(infl.resid_studentized_external, ref.resid_studentized_external, rtol=rtol, atol=atol)
    np.testing.assert_allclose(infl.cooks_distance[0], ref.cooks_distance[0], rtol=rtol, atol=atol)
    np.testing.assert_allclose(infl.cooks_distance[1], ref.cooks_distance[1], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(infl.dffits[0], ref.dffits[0], rtol=rtol, atol=atol)
    assert infl.dffits[1] == pytest.approx(ref.dffits[1], rel=1e-15)
    np.testing.assert_allclose(infl.dffits_internal[0], ref.dffits_internal[0], rtol=rtol, atol=atol)
    # statsmodels' dfbetas come from leave-one-out refits, beta - beta_(i) formed in double: their
    # absolute error is ~eps * |beta| / se, so entries near 0 lose relative accuracy there (ours agree
    # with exact arithmetic to 1e-12, see test_advertising_matches_exact_arithmetic): the comparison is
    # relative to the largest entry of each column.
    assert_dfbetas_close(infl.dfbetas, ref.dfbetas, rtol)
    np.testing.assert_allclose(infl.resid_press, ref.resid_press, rtol=rtol, atol=atol)
    assert infl.ess_press == pytest.approx(ref.ess_press, rel=rtol)


def assert_dfbetas_close(ours, theirs, rtol=RTOL):
    """|ours - theirs| <= rtol * (|theirs| + the largest |theirs| of the column): statsmodels'
    dfbetas are leave-one-out refit differences (see assert_influence_matches)."""
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    scale = np.nanmax(np.abs(theirs), axis=0)
    bad = ~(np.abs(ours - theirs) <= rtol * (np.abs(theirs) + scale))
    assert not bad.any(), f"{bad.sum()} dfbetas differ, e.g. {ours[bad][:3]} vs {theirs[bad][:3]}"


def macrodata_regression():
    """statsmodels' TestDiagnosticG design: investment growth on GDP growth and the real rate."""
    d = sm.datasets.macrodata.load_pandas().data
    y = 400 * np.diff(np.log(d["realinv"].to_numpy()))
    X = np.column_stack([400 * np.diff(np.log(d["realgdp"].to_numpy())), d["realint"].to_numpy()[:-1]])
    return X, y


def test_matches_r_lm_influence_on_macrodata():
    X, y = macrodata_regression()
    infl = linreg.LinearRegression().fit(X, y).get_influence()
    with open(R_RESULTS / "influence_lsdiag_R.json", encoding="utf-8") as fp:
        lsdiag = json.load(fp)
    table = pd.read_csv(R_RESULTS / "influence_measures_R.csv", index_col=0).to_numpy()
    tol = dict(rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(infl.hat_matrix_diag, lsdiag["hat"], **tol)
    np.testing.assert_allclose(infl.resid_studentized_internal, lsdiag["std.res"], **tol)
    np.testing.assert_allclose(infl.resid_studentized_external, lsdiag["stud.res"], **tol)
    np.testing.assert_allclose(infl.cooks_distance[0], lsdiag["cooks"], **tol)
    np.testing.assert_allclose(infl.dffits[0], lsdiag["dfits"], **tol)
    np.testing.assert_allclose(infl.dfbetas, table[:, :3], **tol)
    np.testing.assert_allclose(infl.dffits[0], table[:, 3], **tol)
    np.testing.assert_allclose(infl.cooks_distance[0], table[:, 5], **tol)
    np.testing.assert_allclose(infl.hat_matrix_diag, table[:, 6], **tol)


def test_matches_statsmodels_on_advertising(advertising):
    X, y = advertising[FEATURES], advertising["Sales"]
    infl = linreg.LinearRegression().fit(X, y).get_influence()
    assert_influence_matches(infl, OLSInfluence(sm.OLS(y, sm.add_constant(X)).fit()))
    assert infl.dfbetas.shape == (200, 4) and infl.hat_matrix_diag.shape == (200,)


def test_advertising_matches_exact_arithmetic(advertising):
    X, y = advertising[FEATURES].to_numpy(), advertising["Sales"].to_numpy()
    infl = linreg.LinearRegression().fit(X, y).get_influence()
    ref = ExactFit(X, y).influence()
    np.testing.assert_allclose(infl.hat_matrix_diag, ref["hat"], rtol=RTOL)
    np.testing.assert_allclose(infl.dfbetas, ref["dfbetas"], rtol=RTOL)
    np.testing.assert_allclose(infl.resid_studentized_external, ref["external"], rtol=RTOL)


def test_matches_statsmodels_on_diabetes():
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    infl = linreg.LinearRegression().fit(X, y).get_influence()
    assert_influence_matches(infl, OLSInfluence(sm.OLS(y, sm.add_constant(X)).fit()))


def test_without_intercept_matches_statsmodels(advertising):
    X, y = advertising[FEATURES].to_numpy(), advertising["Sales"].to_numpy()
    infl = linreg.LinearRegression(fit_intercept=False).fit(X, y).get_influence()
    assert_influence_matches(infl, OLSInfluence(sm.OLS(y, X).fit()))


def test_longley_matches_exact_arithmetic():
    data = sm.datasets.longley.load_pandas()
    X, y = data.exog.to_numpy(), data.endog.to_numpy()
    infl = linreg.LinearRegression().fit(X, y).get_influence()
    ref = ExactFit(X, y).influence()
    for ours, exact in [(infl.hat_matrix_diag, ref["hat"]), (infl.resid_studentized_internal, ref["internal"]),
                        (infl.resid_studentized_external, ref["external"]), (infl.cooks_distance[0], ref["cooks"]),
                        (infl.dffits[0], ref["dffits"]), (infl.resid_press, ref["press"]),
                        (infl.dfbetas, ref["dfbetas"])]:
        np.testing.assert_allclose(ours, exact, rtol=RTOL)
    # statsmodels agrees to its own accuracy on this design (its pinv: ~cond * eps)
    assert_influence_matches(infl, OLSInfluence(sm.OLS(y, sm.add_constant(X)).fit()), rtol=1e-6)


def test_weighted_is_the_whitened_ols_and_exact(advertising):
    X, y = advertising[FEATURES].to_numpy(), advertising["Sales"].to_numpy()
    w = np.linspace(0.5, 3.0, len(y))
    infl = linreg.LinearRegression().fit(X, y, sample_weight=w).get_influence()
    root = np.sqrt(w)
    whitened = sm.OLS(root * y, root[:, None] * sm.add_constant(X)).fit()
    assert_influence_matches(infl, OLSInfluence(whitened))
    ref = ExactFit(X[:40], y[:40], w[:40]).influence()
    small = linreg.LinearRegression().fit(X[:40], y[:40], sample_weight=w[:40]).get_influence()
    np.testing.assert_allclose(small.hat_matrix_diag, ref["hat"], rtol=RTOL)
    np.testing.assert_allclose(small.resid_studentized_external, ref["external"], rtol=RTOL)
    np.testing.assert_allclose(small.dfbetas, ref["dfbetas"], rtol=RTOL)


def test_zero_weight_rows_have_no_influence(advertising):
    X, y = advertising[FEATURES].to_numpy(), advertising["Sales"].to_numpy()
    w = np.ones(len(y))
    w[[3, 50]] = 0.0
    infl = linreg.LinearRegression().fit(X, y, sample_weight=w).get_influence()
    for values in (infl.hat_matrix_diag, infl.resid_studentized_internal, infl.cooks_distance[0], infl.dfbetas):
        assert np.all(values[[3, 50]] == 0)
    assert np.all(infl.cooks_distance[1][[3, 50]] == 1)
    keep = w > 0
    # the other rows: the fit without the zero-weight rows (whose df counts every row: n - p)
    ref = OLSInfluence(sm.OLS(y[keep], sm.add_constant(X[keep])).fit())
    np.testing.assert_allclose(infl.hat_matrix_diag[keep], ref.hat_matrix_diag, rtol=RTOL)


def test_chunked_and_merged_fits_give_the_same_measures(advertising):
    X, y = advertising[FEATURES].to_numpy(), advertising["Sales"].to_numpy()
    whole = linreg.LinearRegression().fit(X, y).get_influence()
    est = linreg.LinearRegression()
    for part in np.array_split(np.arange(len(y)), 3):
        est.partial_fit(X[part], y[part])
    with pytest.raises(linreg.UnavailableError, match="pass X and y"):
        est.get_influence()
    pieces = [est.get_influence(X[part], y[part]) for part in np.array_split(np.arange(len(y)), 4)]
    np.testing.assert_allclose(np.concatenate([p.hat_matrix_diag for p in pieces]), whole.hat_matrix_diag, rtol=RTOL)
    np.testing.assert_allclose(np.concatenate([p.dfbetas for p in pieces]), whole.dfbetas, rtol=RTOL)
    np.testing.assert_allclose(np.concatenate([p.cooks_distance[0] for p in pieces]), whole.cooks_distance[0],
                               rtol=RTOL)
    # a merged model (two halves) measures its rows the same way
    a = linreg.Model(3, 1)
    b = linreg.Model(3, 1)
    a.fit(X[:90], y[:90])
    b.fit(X[90:], y[90:])
    a.merge(b)
    hat = a.influence(X, y, None, [linreg.InfluenceMeasure.HAT])[0]
    np.testing.assert_allclose(hat, whole.hat_matrix_diag, rtol=RTOL)


def test_multi_output_shapes_and_values(advertising):
    X = advertising[FEATURES].to_numpy()
    Y = np.column_stack([advertising["Sales"], np.log(advertising["Sales"])])
    infl = linreg.LinearRegression().fit(X, Y).get_influence()
    assert infl.resid_studentized_external.shape == (200, 2) and infl.dfbetas.shape == (200, 2, 4)
    for t in range(2):
        ref = OLSInfluence(sm.OLS(Y[:, t], sm.add_constant(X)).fit())
        np.testing.assert_allclose(infl.resid_studentized_external[:, t], ref.resid_studentized_external, rtol=RTOL)
        assert_dfbetas_close(infl.dfbetas[:, t, :], ref.dfbetas)
    assert infl.ess_press.shape == (2,)


def test_rank_deficient_uses_the_kept_columns(rng):
    X = rng.normal(size=(40, 3))
    X = np.column_stack([X[:, 0], X[:, 1], X[:, 0] - 2 * X[:, 1], X[:, 2]])  # column 2 aliased
    y = X @ [1.0, 2.0, 0.0, -1.0] + rng.normal(size=40)
    est = linreg.LinearRegression().fit(X, y)
    infl = est.get_influence()
    kept = sm.add_constant(X[:, [0, 1, 3]])
    ref = OLSInfluence(sm.OLS(y, kept).fit())
    np.testing.assert_allclose(infl.hat_matrix_diag, ref.hat_matrix_diag, rtol=RTOL)
    np.testing.assert_allclose(infl.cooks_distance[0], ref.cooks_distance[0], rtol=RTOL)
    assert np.all(np.isnan(infl.dfbetas[:, 3]))
    assert_dfbetas_close(infl.dfbetas[:, [0, 1, 2, 4]], ref.dfbetas)
    assert infl.k_vars == 4


def test_unavailable_after_gd_and_ridge(advertising):
    X, y = advertising[FEATURES].to_numpy(), advertising["Sales"].to_numpy()
    for est in (linreg.LinearRegression(solver="gd", learning_rate=1e-6, epochs=2).fit(X, y),
                linreg.LinearRegression(alpha=1.0).fit(X, y)):
        with pytest.raises(linreg.UnavailableError):
            est.get_influence()


def test_matches_gretl_on_macrodata():
    """gretl's leverage report for the same regression (statsmodels' regression/tests/results/
    leverage_influence_ols_nostars.txt): leverage and DFFITS printed to 3 decimals, the
    cross-validation criterion (PRESS) to 6 significant digits; checked to half a unit of
    the last printed digit."""
    import pandas as pd

    X, y = macrodata_regression()
    infl = linreg.LinearRegression().fit(X, y).get_influence()
    path = Path(sm.__file__).parent / "regression" / "tests" / "results" / "leverage_influence_ols_nostars.txt"
    lev = pd.read_csv(path, skiprows=3, skipfooter=3, sep=r"\s+", header=None, engine="python")
    lev.columns = ["date", "residual", "leverage", "influence", "DFFITS"]
    np.testing.assert_allclose(infl.hat_matrix_diag, lev["leverage"], rtol=0, atol=5e-4 + 1e-12)
    np.testing.assert_allclose(infl.dffits[0], lev["DFFITS"], rtol=0, atol=5e-4 + 1e-12)
    assert infl.ess_press == pytest.approx(23908.4, abs=0.05)


def test_summary_frame_matches_statsmodels(advertising):
    X, y = advertising[FEATURES], advertising["Sales"]
    ours = linreg.LinearRegression().fit(X, y).get_influence().summary_frame()
    theirs = OLSInfluence(sm.OLS(y, sm.add_constant(X)).fit()).summary_frame()
    assert list(ours.columns) == list(theirs.columns)
    assert list(ours.index) == list(theirs.index)
    dfb = [c for c in theirs.columns if c.startswith("dfb_")]
    assert_dfbetas_close(ours[dfb].to_numpy(), theirs[dfb].to_numpy())
    rest = [c for c in theirs.columns if not c.startswith("dfb_")]
    np.testing.assert_allclose(ours[rest].to_numpy(), theirs[rest].to_numpy(), rtol=RTOL)
