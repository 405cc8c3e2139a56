"""Residual diagnostics (``diagn_``, the summary's residual block, ``linreg_residual_pass_*``).

References: statsmodels' ``omni_normtest``, ``jarque_bera`` and
``durbin_watson`` (scipy's ``normaltest``, ``skew``, ``kurtosis``) applied to
statsmodels' ``wresid``. Tolerance 1e-10 relative (p-values 1e-10 absolute plus
1e-8 relative): both sides form the residuals and their moments in double, and
the statistics are smooth functions of them. On Longley (condition 5e9)
statsmodels' own residuals carry errors of ~1e-9, so the reference there is
the exact residuals (rational arithmetic, tests/exact_least_squares.py) fed to
the same statsmodels functions.
"""

from __future__ import annotations

import numpy as np
import pytest

import linreg
from exact_least_squares import ExactFit

sm = pytest.importorskip("statsmodels.api")
from statsmodels.stats.stattools import durbin_watson, jarque_bera, omni_normtest  # noqa: E402

RTOL = 1e-10
FEATURES = ["TV", "Radio", "Newspaper"]


def reference(wresid):
    jb, jbpv, skew, kurtosis = jarque_bera(wresid)
    omni, omnipv = omni_normtest(wresid)
    return dict(omni=omni, omnipv=omnipv, skew=skew, kurtosis=kurtosis, durbin_watson=durbin_watson(wresid),
                jb=jb, jbpv=jbpv)


def assert_diagn(ours, ref):
    for key in ("omni", "skew", "kurtosis", "durbin_watson", "jb"):
        assert ours[key] == pytest.approx(ref[key], rel=RTOL), key
    for key in ("omnipv", "jbpv"):
        assert ours[key] == pytest.approx(ref[key], rel=1e-8, abs=1e-10), key


def test_advertising_ols(advertising):
    X, y = advertising[FEATURES], advertising["Sales"]
    est = linreg.LinearRegression().fit(X, y)
    assert_diagn(est.diagn_, reference(sm.OLS(y, sm.add_constant(X)).fit().wresid))


def test_advertising_wls(advertising):
    X, y = advertising[FEATURES], advertising["Sales"]
    w = np.linspace(0.5, 2.0, len(y))
    est = linreg.LinearRegression().fit(X, y, sample_weight=w)
    assert_diagn(est.diagn_, reference(sm.WLS(y, sm.add_constant(X), weights=w).fit().wresid))


def test_without_intercept_and_diabetes(advertising):
    from sklearn.datasets import load_diabetes

    X, y = advertising[FEATURES].to_numpy(), advertising["Sales"].to_numpy()
    est = linreg.LinearRegression(fit_intercept=False).fit(X, y)
    assert_diagn(est.diagn_, reference(sm.OLS(y, X).fit().wresid))
    Xd, yd = load_diabetes(return_X_y=True)
    est = linreg.LinearRegression().fit(Xd, yd)
    assert_diagn(est.diagn_, reference(sm.OLS(yd, sm.add_constant(Xd)).fit().wresid))


def test_longley_against_exact_residuals():
    data = sm.datasets.longley.load_pandas()
    X, y = data.exog.to_numpy(), data.endog.to_numpy()
    est = linreg.LinearRegression().fit(X, y)
    exact = np.array([float(e) for e in ExactFit(X, y).resid])
    assert_diagn(est.diagn_, reference(exact))


def test_chunks_in_order_equal_one_pass(advertising):
    X, y = advertising[FEATURES].to_numpy(), advertising["Sales"].to_numpy()
    est = linreg.LinearRegression()
    parts = np.array_split(np.arange(len(y)), 5)
    for part in parts:
        est.partial_fit(X[part], y[part])
    with pytest.raises(linreg.UnavailableError, match="pass X and y"):
        est.diagn_
    for i, part in enumerate(parts):
        diagn = est.residual_pass(X[part], y[part], append=i > 0)
    ref = reference(sm.OLS(y, sm.add_constant(X)).fit().wresid)
    assert_diagn(diagn, ref)
    # the pass does not need the fit's chunking: other chunk boundaries, same answer
    for i, part in enumerate(np.array_split(np.arange(len(y)), 3)):
        diagn = est.residual_pass(X[part], y[part], append=i > 0)
    assert_diagn(diagn, ref)
    # a new pass (append=False) forgets the earlier rows: the diagnostics of the last chunk alone
    last = est.residual_pass(X[-60:], y[-60:])
    resid = y[-60:] - est.predict(X[-60:])
    assert last["durbin_watson"] == pytest.approx(durbin_watson(resid), rel=RTOL)


def test_merged_model_pass(advertising):
    X, y = advertising[FEATURES].to_numpy(), advertising["Sales"].to_numpy()
    a, b = linreg.Model(3, 1), linreg.Model(3, 1)
    a.fit(X[:120], y[:120])
    b.fit(X[120:], y[120:])
    a.merge(b)
    a.residual_pass(X[:50], y[:50])
    a.residual_pass(X[50:], y[50:], append=True)
    ref = reference(sm.OLS(y, sm.add_constant(X)).fit().wresid)
    assert a.stat(linreg.Stat.DURBIN_WATSON)[0] == pytest.approx(ref["durbin_watson"], rel=RTOL)
    assert a.stat(linreg.Stat.OMNIBUS)[0] == pytest.approx(ref["omni"], rel=RTOL)


def test_multi_output(advertising):
    X = advertising[FEATURES].to_numpy()
    Y = np.column_stack([advertising["Sales"], np.log(advertising["Sales"])])
    diagn = linreg.LinearRegression().fit(X, Y).diagn_
    for t in range(2):
        ref = reference(sm.OLS(Y[:, t], sm.add_constant(X)).fit().wresid)
        assert_diagn({k: v[t] for k, v in diagn.items()}, ref)


def test_small_samples_follow_statsmodels():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(7, 2))
    y = X @ [1.0, -1.0] + rng.normal(size=7)
    diagn = linreg.LinearRegression().fit(X, y).diagn_
    assert np.isnan(diagn["omni"]) and np.isnan(diagn["omnipv"])  # statsmodels: n < 8 gives nan
    res = sm.OLS(y, sm.add_constant(X)).fit()
    assert diagn["jb"] == pytest.approx(jarque_bera(res.wresid)[0], rel=RTOL)


def test_residual_pass_works_for_gd_and_ridge(advertising):
    X, y = advertising[FEATURES].to_numpy(), advertising["Sales"].to_numpy()
    est = linreg.LinearRegression(alpha=10.0).fit(X, y)
    m = linreg.Model.deserialize(est._model.serialize())
    m.residual_pass(X, y)
    resid = y - est.predict(X)
    assert m.stat(linreg.Stat.DURBIN_WATSON)[0] == pytest.approx(durbin_watson(resid), rel=RTOL)


def test_summary_block_matches_statsmodels_text(advertising):
    X, y = advertising[FEATURES], advertising["Sales"]
    est = linreg.LinearRegression().fit(X, y)
    ours = str(est.summary()).splitlines()
    theirs = str(sm.OLS(y, sm.add_constant(X)).fit().summary()).splitlines()
    block = [line for line in theirs if line.startswith(("Omnibus:", "Prob(Omnibus):", "Skew:", "Kurtosis:"))]
    assert len(block) == 4
    for line in block:
        assert line in ours, line
    assert any(line.startswith("Covariance Type:            nonrobust") for line in ours)


def test_summary_covariance_type_comes_from_results(advertising):
    X, y = advertising[FEATURES], advertising["Sales"]
    est = linreg.LinearRegression(cov_type="HC1").fit(X, y)
    summary = str(est.summary())
    assert "Covariance Type:                  HC1" in summary
    # statsmodels prints the same header line for the same fit.
    theirs = str(sm.OLS(y, sm.add_constant(X)).fit(cov_type="HC1").summary())
    assert "Covariance Type:                  HC1" in theirs


def test_summary_formats(advertising):
    X, y = advertising[FEATURES], advertising["Sales"]
    summary = linreg.LinearRegression().fit(X, y).summary()
    html = summary.as_html()
    assert html.count("<table") == 3 and "Durbin-Watson:" in html and "<th>TV</th>" in html
    latex = summary.as_latex()
    assert latex.count("\\begin{tabular}") == 3 and "Jarque-Bera (JB):" in latex
    assert "\\textbf{Prob(JB):}" in latex
    assert summary.as_text() == str(summary)
    assert summary.as_dataframe().shape == (4, 6)


def test_summary_without_rows_has_no_residual_block(advertising, tmp_path):
    X, y = advertising[FEATURES], advertising["Sales"]
    est = linreg.LinearRegression().fit(X, y)
    est.save(tmp_path / "m.lrm")
    loaded = linreg.load(tmp_path / "m.lrm")
    text = str(loaded.summary())
    assert "Omnibus:" not in text and "Cond. No.:" in text
    loaded.residual_pass(X, y)
    assert "Omnibus:" in str(loaded.summary())


def test_durbin_watson_matches_gretl_on_macrodata():
    """gretl's Durbin-Watson (2.213805, six decimals) for the OLS regression of investment growth
    on GDP growth and the real rate, from statsmodels' regression/tests/test_glsar_gretl.py."""
    d = sm.datasets.macrodata.load_pandas().data
    y = 400 * np.diff(np.log(d["realinv"].to_numpy()))
    X = np.column_stack([400 * np.diff(np.log(d["realgdp"].to_numpy())), d["realint"].to_numpy()[:-1]])
    diagn = linreg.LinearRegression().fit(X, y).diagn_
    assert diagn["durbin_watson"] == pytest.approx(2.213805, abs=5e-7)
    assert_diagn(diagn, reference(sm.OLS(y, sm.add_constant(X)).fit().wresid))


def _coefficient_table(lines):
    """The summary's coefficient table (head and one row per parameter), as tokens."""
    head = next(i for i, line in enumerate(lines) if line.split()[:2] == ["coef", "std"])
    rows = [lines[head]]
    for line in lines[head + 2:]:  # past the dashed rule
        if line.startswith("="):
            break
        rows.append(line)
    return [row.split() for row in rows]


def _note(lines, k=1):
    return next(line for line in lines if line.startswith(f"[{k}] "))


@pytest.mark.parametrize("cov_type, ways, use_t", [
    ("nonrobust", 0, None), ("HC0", 0, None), ("HC1", 0, None), ("HC2", 0, None), ("HC3", 0, None),
    ("cluster", 1, None), ("cluster", 2, None), ("HC1", 0, True), ("nonrobust", 0, False),
])
def test_summary_table_and_note_follow_statsmodels(advertising, cov_type, ways, use_t):
    """The coefficient table (t or z, as statsmodels' distribution) and the note naming the
    covariance estimator are statsmodels' own for the same fit."""
    X, y = advertising[FEATURES], advertising["Sales"]
    n = len(y)
    groups = None
    if ways == 1:
        groups = np.arange(n) % 9
    elif ways == 2:
        groups = np.column_stack([np.arange(n) % 9, np.arange(n) // 25])
    est = linreg.LinearRegression(cov_type=cov_type, use_t=use_t)
    est.fit(X, y, **({} if groups is None else {"groups": groups}))
    kwargs = {"cov_type": cov_type, "use_t": use_t}
    if groups is not None:
        kwargs["cov_kwds"] = {"groups": groups}
    theirs = sm.OLS(y, sm.add_constant(X)).fit(**kwargs).summary().as_text().splitlines()
    ours = est.summary().as_text().splitlines()
    assert _coefficient_table(ours) == _coefficient_table(theirs)
    assert _note(ours) == _note(theirs)
    stat = "t" if (cov_type == "nonrobust" if use_t is None else use_t) else "z"
    assert list(est.summary().as_dataframe().columns[2:4]) == [stat, f"P>|{stat}|"]
