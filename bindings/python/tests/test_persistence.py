"""Low-level persistence, streaming and merging (linreg.Model), and thread safety of predict."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import linreg


@pytest.fixture
def fitted(regression_data):
    X, y = regression_data
    m = linreg.Model(X.shape[1], 1)
    m.fit(X, y)
    return m, X, y


def test_serialize_roundtrip_keeps_statistics(fitted):
    m, X, y = fitted
    data = m.serialize()
    assert isinstance(data, bytes) and data[:8] == b"\x89LNRG\r\n\x1a"
    m2 = linreg.Model.deserialize(data)
    assert m2.get_shape() == (X.shape[1], 1)
    np.testing.assert_array_equal(m2.predict(X), m.predict(X))
    np.testing.assert_array_equal(m2.stat(linreg.Stat.R2), m.stat(linreg.Stat.R2))
    np.testing.assert_array_equal(m2.coef_stat(linreg.CoefStat.STDERR)[0], m.coef_stat(linreg.CoefStat.STDERR)[0])


def test_damaged_bytes_raise_format_error(fitted):
    m, _, _ = fitted
    data = bytearray(m.serialize())
    data[30] ^= 0xFF
    with pytest.raises(linreg.FormatError) as ei:
        linreg.Model.deserialize(bytes(data))
    assert isinstance(ei.value, ValueError) and ei.value.status == 8
    with pytest.raises(linreg.FormatError):
        linreg.Model.deserialize(bytes(data[:20]))
    with pytest.raises(ValueError):
        linreg.Model.deserialize(b"")


def test_save_and_load(fitted, tmp_path):
    m, X, _ = fitted
    path = tmp_path / "model é.lrm"
    m.save(path)
    m2 = linreg.Model.load(path)
    np.testing.assert_array_equal(m2.predict(X), m.predict(X))
    with pytest.raises(linreg.LinregIOError) as ei:
        linreg.Model.load(tmp_path / "missing.lrm")
    assert isinstance(ei.value, OSError) and ei.value.status == 9 and "missing.lrm" in str(ei.value)
    (tmp_path / "junk.lrm").write_bytes(b"hello")
    with pytest.raises(linreg.FormatError):
        linreg.Model.load(tmp_path / "junk.lrm")


def test_estimator_pickle_keeps_statistics(regression_data):
    X, y = regression_data
    est = linreg.LinearRegression().fit(X, y)
    est2 = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(est2.pvalues_, est.pvalues_)
    np.testing.assert_allclose(est2.conf_int(0.2), est.conf_int(0.2), rtol=1e-12)
    np.testing.assert_array_equal(est2.summary().as_dataframe().to_numpy(), est.summary().as_dataframe().to_numpy())


def test_partial_fit_chunks_equal_one_fit(regression_data):
    X, y = regression_data
    whole = linreg.Model(4, 1)
    whole.fit(X, y)
    stream = linreg.Model(4, 1)
    for chunk in np.array_split(np.arange(len(y)), 5):
        stream.partial_fit(X[chunk], y[chunk])
    np.testing.assert_allclose(stream.get_weights()[0], whole.get_weights()[0], rtol=1e-10)
    np.testing.assert_allclose(stream.stat(linreg.Stat.R2), whole.stat(linreg.Stat.R2), rtol=1e-10)


def test_merge_equals_one_fit(regression_data):
    X, y = regression_data
    whole = linreg.Model(4, 1)
    whole.fit(X, y)
    a, b = linreg.Model(4, 1), linreg.Model(4, 1)
    a.fit(X[:25], y[:25])
    b.fit(X[25:], y[25:])
    a.merge(linreg.Model.deserialize(b.serialize()))
    np.testing.assert_allclose(a.get_weights()[0], whole.get_weights()[0], rtol=1e-10)
    with pytest.raises(ValueError):
        a.merge(a)
    with pytest.raises(ValueError):
        a.merge(linreg.Model(3, 1))


def test_concurrent_predict_on_one_estimator(rng):
    X = rng.normal(size=(20000, 8))
    y = X @ np.arange(8.0)
    est = linreg.LinearRegression().fit(X, y)
    expected = est.predict(X)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: est.predict(X), range(16)))
    for r in results:
        np.testing.assert_array_equal(r, expected)


def test_concurrent_fits_on_distinct_estimators(rng):
    X = rng.normal(size=(3000, 5))
    Y = [X @ rng.normal(size=5) for _ in range(8)]
    with ThreadPoolExecutor(4) as pool:
        coefs = list(pool.map(lambda y: linreg.LinearRegression(n_threads=1).fit(X, y).coef_, Y))
    for y, c in zip(Y, coefs):
        np.testing.assert_allclose(c, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-9, atol=1e-12)
