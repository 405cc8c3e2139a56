"""LinearRegression.partial_fit: streaming exact fits (== one fit, statistics after every chunk) and GD/SGD epochs."""

from __future__ import annotations

import numpy as np
import pytest

import linreg

RTOL = 1e-10


def _chunks(n, k, rng=None):
    """k row ranges of uneven sizes (some of a single row) covering 0..n."""
    cuts = np.array(sorted({1, 2, n // 3, n // 3 + 1, n - 1}))[: k - 1] if rng is None else np.sort(
        rng.choice(np.arange(1, n), size=k - 1, replace=False)
    )
    edges = np.concatenate([[0], cuts, [n]])
    return [slice(a, b) for a, b in zip(edges[:-1], edges[1:])]


def assert_same_fit(a, b, rtol=RTOL):
    """coef/intercept and every inference statistic agree to rtol (relative)."""
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=rtol)
    np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=rtol)
    for name in ["bse_", "tvalues_", "rsquared_", "rsquared_adj_", "fvalue_", "llf_", "aic_", "bic_",
                 "ssr_", "sigma_", "nobs_", "df_model_", "df_resid_", "condition_number_", "singular_"]:
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=rtol, err_msg=name)
    np.testing.assert_allclose(a.pvalues_, b.pvalues_, rtol=1e-8, atol=1e-300)
    np.testing.assert_allclose(a.f_pvalue_, b.f_pvalue_, rtol=1e-8, atol=1e-300)
    np.testing.assert_allclose(a.conf_int(), b.conf_int(), rtol=rtol)
    assert a.rank_ == b.rank_


@pytest.fixture
def data(rng):
    X = rng.normal(size=(500, 5)) * [1.0, 10.0, 0.1, 3.0, 1e3] + [0.0, 5.0, -2.0, 0.0, 1e4]
    y = X @ [1.5, -0.2, 3.0, 0.7, 1e-3] + 4.0 + rng.normal(size=500)
    return X, y


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_exact_chunks_equal_one_fit(data, rng, fit_intercept):
    X, y = data
    whole = linreg.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    est = linreg.LinearRegression(fit_intercept=fit_intercept)
    for s in _chunks(len(y), 7, rng):
        assert est.partial_fit(X[s], y[s]) is est
    assert_same_fit(est, whole)
    assert est.n_features_in_ == 5 and isinstance(est.intercept_, float) and est.coef_.shape == (5,)
    assert est.loss_history_.size == 0
    assert str(est.summary()).count("const") == (1 if fit_intercept else 0)


def test_statistics_after_every_chunk_match_statsmodels(data):
    sm = pytest.importorskip("statsmodels.api")
    X, y = data
    est = linreg.LinearRegression()
    seen = 0
    for s in _chunks(len(y), 5):
        est.partial_fit(X[s], y[s])
        seen = s.stop
        if seen < 8:  # fewer rows than parameters + 2: nothing meaningful to compare
            continue
        res = sm.OLS(y[:seen], sm.add_constant(X[:seen])).fit()
        np.testing.assert_allclose(est.params_, res.params, rtol=1e-8)
        np.testing.assert_allclose(est.bse_, res.bse, rtol=1e-8)
        np.testing.assert_allclose(est.rsquared_, res.rsquared, rtol=1e-8)
        np.testing.assert_allclose(est.fvalue_, res.fvalue, rtol=1e-8)
        np.testing.assert_allclose(est.llf_, res.llf, rtol=1e-8)
        np.testing.assert_allclose(est.conf_int(), res.conf_int(), rtol=1e-8)
        assert est.nobs_ == seen
        table = est.summary().as_dataframe()
        np.testing.assert_allclose(table["coef"].to_numpy(float), res.params, rtol=1e-3)


def test_weighted_and_unweighted_chunks_mix(data, rng):
    sm = pytest.importorskip("statsmodels.api")
    X, y = data
    w = rng.uniform(0.1, 3.0, size=len(y))
    w[100:200] = 1.0  # rows fitted without weights count with weight 1
    est = linreg.LinearRegression()
    est.partial_fit(X[:100], y[:100], sample_weight=w[:100])
    est.partial_fit(X[100:200], y[100:200])
    est.partial_fit(X[200:], y[200:], sample_weight=w[200:])
    whole = linreg.LinearRegression().fit(X, y, sample_weight=w)
    assert_same_fit(est, whole)
    res = sm.WLS(y, sm.add_constant(X), weights=w).fit()
    np.testing.assert_allclose(est.bse_, res.bse, rtol=1e-8)
    np.testing.assert_allclose(est.llf_, res.llf, rtol=1e-8)
    assert "WLS" in str(est.summary())


def test_multi_output_float32_and_lists(rng):
    X = rng.normal(size=(300, 3)).astype(np.float32).astype(np.float64)  # float32-exact values
    Y = X @ rng.normal(size=(3, 2)) + [1.0, -1.0] + 0.1 * rng.normal(size=(300, 2))
    whole = linreg.LinearRegression().fit(X, Y)
    est = linreg.LinearRegression()
    est.partial_fit(X[:100].astype(np.float32), Y[:100])  # float32 X with float64 Y: the float64 path
    est.partial_fit(X[100:200].tolist(), Y[100:200].tolist())
    est.partial_fit(X[200:], Y[200:])
    assert est.coef_.shape == (2, 3) and est.intercept_.shape == (2,)
    np.testing.assert_allclose(est.coef_, whole.coef_, rtol=RTOL)
    np.testing.assert_allclose(est.bse_, whole.bse_, rtol=RTOL)

    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
    est32 = linreg.LinearRegression()
    for s in _chunks(300, 4):
        est32.partial_fit(X32[s], Y32[s])
    whole32 = linreg.LinearRegression().fit(X32, Y32)
    np.testing.assert_allclose(est32.coef_, whole32.coef_, rtol=RTOL)
    assert est32.predict(X32).dtype == np.float32


def test_partial_fit_continues_a_fit_and_fit_starts_over(data):
    X, y = data
    est = linreg.LinearRegression().fit(X[:200], y[:200])
    est.partial_fit(X[200:], y[200:])
    assert_same_fit(est, linreg.LinearRegression().fit(X, y))
    est.fit(X[:50], y[:50])  # fit forgets earlier rows
    assert est.nobs_ == 50
    est.partial_fit(X[50:60], y[50:60])
    assert_same_fit(est, linreg.LinearRegression().fit(X[:60], y[:60]))


def test_alpha_and_rcond_may_change_between_chunks(data):
    X, y = data
    est = linreg.LinearRegression(alpha=10.0)
    est.partial_fit(X[:250], y[:250])
    assert not hasattr(est, "pvalues_")  # ridge: no statistics
    with pytest.raises(linreg.UnavailableError, match="alpha"):
        est.summary()
    est.set_params(alpha=0.0)
    est.partial_fit(X[250:], y[250:])
    assert_same_fit(est, linreg.LinearRegression().fit(X, y))
    ridge = linreg.LinearRegression(alpha=5.0)
    for s in _chunks(500, 3):
        ridge.partial_fit(X[s], y[s])
    np.testing.assert_allclose(ridge.coef_, linreg.LinearRegression(alpha=5.0).fit(X, y).coef_, rtol=RTOL)


def test_dataframe_names_are_kept_and_checked(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    cols = [f"f{i}" for i in range(5)]
    df = pd.DataFrame(X, columns=cols)
    est = linreg.LinearRegression()
    est.partial_fit(df.iloc[:300], pd.Series(y[:300], name="target"))
    est.partial_fit(df.iloc[300:], y[300:])
    assert list(est.feature_names_in_) == cols
    assert "target" in str(est.summary()) and "f4" in str(est.summary())
    with pytest.raises(ValueError, match="feature names"):
        est.partial_fit(df.iloc[:10, ::-1], y[:10])


def test_mismatched_chunks_are_refused_and_change_nothing(data):
    X, y = data
    est = linreg.LinearRegression().partial_fit(X[:100], y[:100])
    before = est.coef_.copy(), est.nobs_
    with pytest.raises(ValueError, match="X has 4 features, but LinearRegression is expecting 5"):
        est.partial_fit(X[100:200, :4], y[100:200])
    with pytest.raises(ValueError, match="target"):
        est.partial_fit(X[100:200], np.c_[y[100:200], y[100:200]])
    with pytest.raises(linreg.NonFiniteError, match="row 3"):
        bad = X[100:200].copy()
        bad[3, 1] = np.nan
        est.partial_fit(bad, y[100:200])
    # the engine refuses a change of fit_intercept in the middle of an accumulation
    est.set_params(fit_intercept=False)
    with pytest.raises(ValueError, match="(?i)intercept"):
        est.partial_fit(X[100:200], y[100:200])
    est.set_params(fit_intercept=True, ci_level=1.5)
    with pytest.raises(ValueError, match="ci_level"):
        est.partial_fit(X[100:200], y[100:200])
    est.set_params(ci_level=0.95)
    np.testing.assert_array_equal(est.coef_, before[0])
    assert est.nobs_ == before[1]
    # the C model's parameters were restored too: it still continues exactly
    est.partial_fit(X[100:], y[100:])
    assert_same_fit(est, linreg.LinearRegression().fit(X, y))


def test_gd_partial_fit_is_one_epoch_per_call(data):
    X, y = data
    X = (X - X.mean(0)) / X.std(0)
    est = linreg.LinearRegression(solver="gd", learning_rate=0.05, epochs=500)
    for _ in range(5):
        est.partial_fit(X, y)
    full = linreg.LinearRegression(solver="gd", learning_rate=0.05, epochs=5).fit(X, y)
    np.testing.assert_allclose(est.coef_, full.coef_, rtol=1e-12)
    np.testing.assert_allclose(est.intercept_, full.intercept_, rtol=1e-12)
    np.testing.assert_allclose(est.loss_history_, full.loss_history_, rtol=1e-12)
    assert not hasattr(est, "bse_")  # no statistics after GD


def test_sgd_partial_fit_chunks_continue_from_the_weights(data):
    X, y = data
    X = (X - X.mean(0)) / X.std(0)
    params = dict(solver="sgd", learning_rate=0.01, batch_size=16, momentum=0.5)
    seen = []
    est = linreg.LinearRegression(**params, callback=lambda e, loss: seen.append(e))
    est.partial_fit(X[:250], y[:250])
    coef1, b1 = est.coef_.copy(), est.intercept_
    est.partial_fit(X[250:], y[250:])
    # the same as epochs=1 fits chained by hand (momentum restarts each call, as SGDRegressor)
    a = linreg.LinearRegression(**params, epochs=1).fit(X[:250], y[:250])
    np.testing.assert_allclose(coef1, a.coef_, rtol=1e-12)
    b = linreg.LinearRegression(**params, epochs=1).fit(X[250:], y[250:], coef_init=coef1, intercept_init=b1)
    np.testing.assert_allclose(est.coef_, b.coef_, rtol=1e-12)
    np.testing.assert_allclose(est.intercept_, b.intercept_, rtol=1e-12)
    assert est.loss_history_.shape == (2,) and seen == [0, 1]


def test_partial_fit_pickles_mid_stream(data):
    import pickle

    X, y = data
    est = linreg.LinearRegression().partial_fit(X[:300], y[:300])
    est2 = pickle.loads(pickle.dumps(est))
    est2.partial_fit(X[300:], y[300:])
    assert_same_fit(est2, linreg.LinearRegression().fit(X, y))


def test_partial_fit_swaps_in_a_new_model_so_concurrent_predict_is_safe(rng):
    from concurrent.futures import ThreadPoolExecutor

    X = rng.normal(size=(20000, 8))
    y = X @ np.arange(8.0) + rng.normal(size=20000)
    est = linreg.LinearRegression().partial_fit(X[:1000], y[:1000])
    first_model, first_coef = est._model, est.coef_.copy()
    stop = []

    def predict_loop():
        n = 0
        while not stop:
            p = est.predict(X[:500])
            assert p.shape == (500,) and np.all(np.isfinite(p))
            n += 1
        return n

    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(predict_loop) for _ in range(3)]
        for s in np.array_split(np.arange(1000, 20000), 40):
            est.partial_fit(X[s], y[s])
        stop.append(True)
        assert all(f.result() > 0 for f in futures)
    assert est._model is not first_model
    np.testing.assert_array_equal(first_model.get_weights()[0][0], first_coef)  # the old model was not touched
    np.testing.assert_allclose(est.coef_, linreg.LinearRegression().fit(X, y).coef_, rtol=RTOL)
