"""Statistics and summary() vs statsmodels OLS (1e-8 relative) on the Advertising data."""

from __future__ import annotations

import numpy as np
import pytest

import linreg

sm = pytest.importorskip("statsmodels.api")
RTOL = 1e-8
FEATURES = ["TV", "Radio", "Newspaper"]


@pytest.fixture(scope="module")
def fits(advertising):
    X, y = advertising[FEATURES], advertising["Sales"]
    est = linreg.LinearRegression().fit(X, y)
    res = sm.OLS(y, sm.add_constant(X)).fit()
    return est, res


def test_coefficients_and_tests(fits):
    est, res = fits
    np.testing.assert_allclose(est.params_, res.params.to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(est.bse_, res.bse.to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(est.tvalues_, res.tvalues.to_numpy(), rtol=RTOL)
    # p-values: relative where they are representable (TV's is ~1e-81)
    np.testing.assert_allclose(est.pvalues_, res.pvalues.to_numpy(), rtol=1e-6, atol=1e-300)
    np.testing.assert_allclose(est.pvalues_[3], res.pvalues.iloc[3], rtol=RTOL)
    np.testing.assert_allclose(est.conf_int(), res.conf_int().to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(est.conf_int(0.1), res.conf_int(0.1).to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(est.conf_int(), res.conf_int().to_numpy(), rtol=RTOL)  # level restored


def test_model_statistics(fits, advertising):
    est, res = fits
    for mine, theirs in [
        (est.rsquared_, res.rsquared),
        (est.rsquared_adj_, res.rsquared_adj),
        (est.fvalue_, res.fvalue),
        (est.llf_, res.llf),
        (est.aic_, res.aic),
        (est.bic_, res.bic),
        (est.ssr_, res.ssr),
        (est.df_model_, res.df_model),
        (est.df_resid_, res.df_resid),
        (est.nobs_, res.nobs),
        (est.sigma_, np.sqrt(res.scale)),
    ]:
        assert isinstance(mine, float)
        np.testing.assert_allclose(mine, theirs, rtol=RTOL)
    np.testing.assert_allclose(est.f_pvalue_, res.f_pvalue, rtol=1e-6)
    assert est.rank_ == 3  # centred X; statsmodels' rank (with const) is 4
    assert est.rank_ + 1 == np.linalg.matrix_rank(res.model.exog)
    from sklearn.linear_model import LinearRegression as Sk

    sk = Sk().fit(advertising[FEATURES].to_numpy(), advertising["Sales"].to_numpy())
    np.testing.assert_allclose(est.singular_, sk.singular_, rtol=1e-9)
    assert est.rank_ == sk.rank_
    np.testing.assert_allclose(est.condition_number_, res.condition_number, rtol=1e-8)


def test_without_intercept_uncentred(advertising):
    X, y = advertising[FEATURES], advertising["Sales"]
    est = linreg.LinearRegression(fit_intercept=False).fit(X, y)
    res = sm.OLS(y, X).fit()
    np.testing.assert_allclose(est.params_, res.params.to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(est.bse_, res.bse.to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(est.rsquared_, res.rsquared, rtol=RTOL)  # uncentred
    np.testing.assert_allclose(est.fvalue_, res.fvalue, rtol=RTOL)
    assert est.rank_ == 3


def test_multi_output_statistics(advertising):
    X = advertising[FEATURES].to_numpy()
    Y = np.column_stack([advertising["Sales"], np.log(advertising["Sales"])])
    est = linreg.LinearRegression().fit(X, Y)
    assert est.bse_.shape == (2, 4) and est.rsquared_.shape == (2,) and est.conf_int().shape == (2, 4, 2)
    for t in range(2):
        res = sm.OLS(Y[:, t], sm.add_constant(X)).fit()
        np.testing.assert_allclose(est.bse_[t], res.bse, rtol=RTOL)
        np.testing.assert_allclose(est.rsquared_[t], res.rsquared, rtol=RTOL)
    assert "y0" in str(est.summary()) and "y1" in str(est.summary())


def test_summary_table(fits):
    est, res = fits
    text = str(est.summary())
    for label in [
        "R-squared:", "Adj. R-squared:", "F-statistic:", "Prob (F-statistic):", "Log-Likelihood:",
        "AIC:", "BIC:", "No. Observations:", "Df Residuals:", "Df Model:", "Cond. No.",
        "coef", "std err", "P>|t|", "[0.025", "0.975]", "Dep. Variable:",
    ]:
        assert label in text, label
    for name in ["const", "TV", "Radio", "Newspaper", "Sales"]:
        assert name in text
    assert f"{res.rsquared:.3f}" in text and f"{res.params['TV']:.4f}" in text
    assert f"{res.aic:#8.4g}".strip() in text
    assert "condition number is large" not in text
    df = est.summary().as_dataframe()
    np.testing.assert_allclose(df["coef"].to_numpy(), res.params.to_numpy(), rtol=RTOL)


def test_condition_number_warning(rng):
    X = rng.normal(size=(50, 2))
    X = np.column_stack([X, X[:, 0] + 1e-5 * rng.normal(size=50)])
    y = X @ [1.0, 1.0, 1.0] + rng.normal(size=50)
    est = linreg.LinearRegression().fit(X, y)
    assert est.condition_number_ > 1000
    assert "condition number is large" in str(est.summary())


def test_statistics_unavailable_after_gd(advertising):
    X = advertising[FEATURES].to_numpy()
    y = advertising["Sales"].to_numpy()
    est = linreg.LinearRegression(solver="gd", learning_rate=1e-5, epochs=10).fit(X, y)
    for attr in ["bse_", "pvalues_", "rsquared_", "aic_", "rank_", "singular_"]:
        assert not hasattr(est, attr)
        with pytest.raises(AttributeError, match="exact solver"):
            getattr(est, attr)
    with pytest.raises(linreg.UnavailableError):
        est.summary()
    with pytest.raises(RuntimeError):
        est.conf_int()


def test_unfitted_statistics_raise_not_fitted():
    est = linreg.LinearRegression()
    with pytest.raises(linreg.NotFittedError):
        est.bse_
    with pytest.raises(linreg.NotFittedError):
        est.summary()


def test_weighted_summary_says_wls(advertising):
    X, y = advertising[FEATURES], advertising["Sales"]
    est = linreg.LinearRegression().fit(X, y, sample_weight=np.linspace(1, 2, len(y)))
    assert "WLS" in str(est.summary())
