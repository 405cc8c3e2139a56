"""End to end on statsmodels' bundled Longley data (six collinear regressors,
condition number ~5e9): the fit, every statistic and the summary against
statsmodels OLS at 1e-8 relative.

The condition number is compared at 1e-6: statsmodels computes it from the
eigenvalues of X'X in double, whose smallest one carries a relative error of
about cond^2 * eps ~ 1e-6 here; liblinreg's comes from the singular values of
its double-double triangular factor.
"""

from __future__ import annotations

import numpy as np
import pytest

import linreg

sm = pytest.importorskip("statsmodels.api")

RTOL = 1e-8


@pytest.fixture(scope="module")
def longley():
    data = sm.datasets.longley.load_pandas()
    X, y = data.exog, data.endog
    est = linreg.LinearRegression().fit(X, y)
    res = sm.OLS(y, sm.add_constant(X)).fit()
    return est, res


def test_coefficients_match_statsmodels(longley):
    est, res = longley
    np.testing.assert_allclose(est.params_, res.params.to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(est.bse_, res.bse.to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(est.tvalues_, res.tvalues.to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(est.pvalues_, res.pvalues.to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(est.conf_int(), res.conf_int().to_numpy(), rtol=RTOL)


def test_model_statistics_match_statsmodels(longley):
    est, res = longley
    for mine, theirs in [
        (est.rsquared_, res.rsquared), (est.rsquared_adj_, res.rsquared_adj), (est.fvalue_, res.fvalue),
        (est.f_pvalue_, res.f_pvalue), (est.llf_, res.llf), (est.aic_, res.aic), (est.bic_, res.bic),
        (est.ssr_, res.ssr), (est.df_model_, res.df_model), (est.df_resid_, res.df_resid),
        (est.nobs_, res.nobs), (est.sigma_, np.sqrt(res.scale)),
    ]:
        np.testing.assert_allclose(mine, theirs, rtol=RTOL)
    np.testing.assert_allclose(est.condition_number_, res.condition_number, rtol=1e-6)


def test_summary_names_longley_columns_and_warns(longley):
    est, res = longley
    text = str(est.summary())
    for name in ["GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR", "TOTEMP", "const"]:
        assert name in text
    assert f"{res.rsquared:.3f}" in text
    assert "condition number is large" in text
    df = est.summary().as_dataframe()
    np.testing.assert_allclose(df["coef"].to_numpy(), res.params.to_numpy(), rtol=RTOL)
