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


# -- the estimator: save / linreg.load, pickle, joblib, deepcopy -------------------

ESTIMATOR_STATS = ["params_", "bse_", "tvalues_", "pvalues_", "rsquared_", "rsquared_adj_", "fvalue_", "f_pvalue_",
                   "llf_", "aic_", "bic_", "ssr_", "sigma_", "df_model_", "df_resid_", "nobs_",
                   "condition_number_", "rank_", "singular_"]


def assert_identical_estimators(a, b, X, statistics=True):
    """Bit-identical predictions, coefficients and (when present) statistics."""
    assert np.array_equal(a.predict(X), b.predict(X))
    assert np.array_equal(a.coef_, b.coef_) and np.array_equal(a.intercept_, b.intercept_)
    assert type(a.intercept_) is type(b.intercept_)
    assert a.n_features_in_ == b.n_features_in_
    assert np.array_equal(a.loss_history_, b.loss_history_)
    if statistics:
        for name in ESTIMATOR_STATS:
            assert np.array_equal(getattr(a, name), getattr(b, name)), name
        assert np.array_equal(a.conf_int(), b.conf_int())
        np.testing.assert_allclose(a.conf_int(0.1), b.conf_int(0.1), rtol=1e-13)
        assert str(a.summary()).split("Date:")[0] == str(b.summary()).split("Date:")[0]


@pytest.mark.parametrize(
    "params, weighted",
    [
        ({}, False),
        ({}, True),
        ({"fit_intercept": False, "ci_level": 0.9, "rcond": 1e-12, "n_threads": 2}, False),
        ({"alpha": 3.0}, False),
        ({"solver": "gd", "learning_rate": 0.05, "epochs": 30, "momentum": 0.5}, False),
        ({"solver": "sgd", "learning_rate": 0.01, "epochs": 3, "batch_size": 7, "shuffle": True,
          "random_state": 11, "weight_decay": 0.01}, False),
    ],
)
def test_estimator_save_load_roundtrip(regression_data, tmp_path, params, weighted):
    X, y = regression_data
    w = np.linspace(0.5, 2.0, len(y)) if weighted else None
    est = linreg.LinearRegression(**params).fit(X, y, sample_weight=w)
    path = tmp_path / "model.lrm"
    assert est.save(path) is None
    loaded = linreg.load(str(path))
    assert isinstance(loaded, linreg.LinearRegression)
    assert loaded.get_params() == est.get_params()
    statistics = hasattr(est, "bse_")
    assert statistics == (params.get("solver", "exact") == "exact" and "alpha" not in params)
    assert hasattr(loaded, "bse_") == statistics
    assert_identical_estimators(loaded, est, X, statistics)
    if statistics:
        assert ("WLS" in str(loaded.summary())) == weighted
    # the file is liblinreg's own format: the low-level loader reads it too
    assert np.array_equal(linreg.Model.load(path).predict(X)[:, 0], est.predict(X))


def test_loaded_estimator_continues_partial_fit(regression_data, tmp_path):
    X, y = regression_data
    est = linreg.LinearRegression().partial_fit(X[:20], y[:20])
    est.save(tmp_path / "half.lrm")
    loaded = linreg.load(tmp_path / "half.lrm")
    loaded.partial_fit(X[20:], y[20:])
    whole = linreg.LinearRegression().fit(X, y)
    np.testing.assert_allclose(loaded.coef_, whole.coef_, rtol=1e-10)
    np.testing.assert_allclose(loaded.bse_, whole.bse_, rtol=1e-10)
    assert loaded.nobs_ == len(y)


def test_save_load_multi_output_and_names(rng, tmp_path):
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(rng.normal(size=(40, 3)), columns=["a", "b", "c"])
    Y = X.to_numpy() @ rng.normal(size=(3, 2)) + rng.normal(size=(40, 2))
    est = linreg.LinearRegression().fit(X, Y)
    est.save(tmp_path / "m.lrm")
    loaded = linreg.load(tmp_path / "m.lrm")
    assert loaded.coef_.shape == (2, 3) and loaded.intercept_.shape == (2,)
    assert np.array_equal(loaded.predict(X), est.predict(X))
    assert np.array_equal(loaded.bse_, est.bse_)
    # the feature names are stored in the model (format 2); y was an array: no target names
    assert loaded.feature_names_in_.dtype == object and list(loaded.feature_names_in_) == ["a", "b", "c"]
    assert not hasattr(est, "target_names_") and not hasattr(loaded, "target_names_")


# ---------------------------------------------------------------- names (issue 13)
def _advertising(frame):
    return frame[["TV", "Radio", "Newspaper"]], frame["Sales"]


def test_dataframe_names_survive_save_and_load(tmp_path, advertising):
    X, y = _advertising(advertising)
    est = linreg.LinearRegression().fit(X, y)
    assert list(est.feature_names_in_) == ["TV", "Radio", "Newspaper"]
    assert est.target_names_ == ["Sales"]
    path = tmp_path / "advertising.lrm"
    est.save(path)
    loaded = linreg.load(path)
    assert isinstance(loaded.feature_names_in_, np.ndarray) and loaded.feature_names_in_.dtype == object
    assert list(loaded.feature_names_in_) == ["TV", "Radio", "Newspaper"]
    assert loaded.target_names_ == ["Sales"]
    assert np.array_equal(loaded.predict(X), est.predict(X))
    # the predictions are the least-squares fit, computed here independently
    A = np.column_stack([np.ones(len(X)), X.to_numpy()])
    beta = np.linalg.lstsq(A, y.to_numpy(), rcond=None)[0]
    np.testing.assert_allclose(loaded.predict(X), A @ beta, rtol=1e-10)
    # the summary names its rows and the dependent variable from the stored names
    text = str(loaded.summary())
    assert "Dep. Variable:" in text and "Sales" in text
    for name in ("const", "TV", "Radio", "Newspaper"):
        assert any(line.startswith(name + " ") for line in text.splitlines())
    # and a loaded model still checks the columns it is given by name
    with pytest.raises(ValueError, match="feature names should match"):
        loaded.predict(X[["Radio", "TV", "Newspaper"]])


def test_names_survive_pickle_partial_fit_and_multi_target(rng, tmp_path):
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(rng.normal(size=(60, 2)), columns=["x é", "日本"])
    Y = pd.DataFrame(X.to_numpy() @ [[1.0, 2.0], [-1.0, 0.5]] + 3.0, columns=["up", "down"])
    est = linreg.LinearRegression().partial_fit(X[:30], Y[:30]).partial_fit(X[30:], Y[30:])
    assert est.target_names_ == ["up", "down"]
    again = pickle.loads(pickle.dumps(est))
    assert list(again.feature_names_in_) == ["x é", "日本"] and again.target_names_ == ["up", "down"]
    est.save(tmp_path / "m.lrm")
    loaded = linreg.load(tmp_path / "m.lrm")
    assert list(loaded.feature_names_in_) == ["x é", "日本"] and loaded.target_names_ == ["up", "down"]
    np.testing.assert_allclose(loaded.coef_, [[1.0, -1.0], [2.0, 0.5]], atol=1e-10)
    np.testing.assert_allclose(loaded.intercept_, [3.0, 3.0], atol=1e-10)
    loaded.partial_fit(X[:5], Y[:5])  # continues; the names stay
    assert loaded.target_names_ == ["up", "down"] and list(loaded.feature_names_in_) == ["x é", "日本"]
    # a refit on plain arrays drops them, in the estimator and in the file
    loaded.fit(X.to_numpy(), Y.to_numpy())
    assert not hasattr(loaded, "feature_names_in_") and not hasattr(loaded, "target_names_")
    loaded.save(tmp_path / "plain.lrm")
    plain = linreg.load(tmp_path / "plain.lrm")
    assert not hasattr(plain, "feature_names_in_") and not hasattr(plain, "target_names_")


def test_model_names_low_level():
    m = linreg.Model(2, 1)
    assert m.feature_names() is None and m.target_names() is None
    m.set_names(["a", ""], ["y"])
    assert m.feature_names() == ["a", ""] and m.target_names() == ["y"]
    copy = linreg.Model.deserialize(m.serialize())
    assert copy.feature_names() == ["a", ""] and copy.target_names() == ["y"]
    with pytest.raises(linreg.ArgumentError):
        m.set_names(["only one"], None)
    with pytest.raises(linreg.ArgumentError):
        m.set_names(["a", "b\0c"], None)
    with pytest.raises(linreg.ArgumentError):
        m.set_names(["a", "x" * 4097], None)  # C refuses names over 4096 bytes
    with pytest.raises(linreg.ArgumentError):
        m.set_names(["a", "\ud800"], None)  # a lone surrogate is not UTF-8
    assert m.feature_names() == ["a", ""] and m.target_names() == ["y"]  # unchanged
    m.set_names(None, ["y"])
    assert m.feature_names() is None and m.target_names() == ["y"]


def test_python_model_file_loads_and_predicts_in_c(tmp_path, advertising):
    """A model saved by Python, read by C calls only (ctypes on the library):
    linreg_load, linreg_get_feature_name with the size query, linreg_predict_f64."""
    import ctypes

    X, y = _advertising(advertising)
    path = tmp_path / "from-python.lrm"
    linreg.LinearRegression().fit(X, y).save(path)

    from linreg._library import api

    lib = ctypes.CDLL(api().path)
    lib.linreg_load.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.linreg_get_feature_name.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.c_char_p, ctypes.c_int64,
                                            ctypes.POINTER(ctypes.c_int64)]
    lib.linreg_get_target_name.argtypes = lib.linreg_get_feature_name.argtypes
    lib.linreg_predict_f64.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_double), ctypes.c_int64,
                                       ctypes.POINTER(ctypes.c_double)]
    lib.linreg_free.argtypes = [ctypes.c_void_p]
    handle = ctypes.c_void_p()
    assert lib.linreg_load(str(path).encode(), ctypes.byref(handle)) == 0
    try:
        names = []
        for i in range(3):
            length = ctypes.c_int64(-1)
            assert lib.linreg_get_feature_name(handle, i, None, 0, ctypes.byref(length)) == 0
            buf = ctypes.create_string_buffer(length.value + 1)
            assert lib.linreg_get_feature_name(handle, i, buf, length.value + 1, ctypes.byref(length)) == 0
            names.append(buf.value.decode())
        assert names == ["TV", "Radio", "Newspaper"]
        length = ctypes.c_int64(-1)
        buf = ctypes.create_string_buffer(16)
        assert lib.linreg_get_target_name(handle, 0, buf, 16, ctypes.byref(length)) == 0
        assert buf.value == b"Sales" and length.value == 5
        assert lib.linreg_get_target_name(handle, 1, buf, 16, ctypes.byref(length)) == 1  # out of range

        Xc = np.ascontiguousarray(X.to_numpy(), dtype=np.float64)
        out = np.empty(len(Xc))
        P = ctypes.POINTER(ctypes.c_double)
        assert lib.linreg_predict_f64(handle, Xc.ctypes.data_as(P), len(Xc), out.ctypes.data_as(P)) == 0
    finally:
        lib.linreg_free(handle)
    A = np.column_stack([np.ones(len(Xc)), Xc])
    beta = np.linalg.lstsq(A, y.to_numpy(), rcond=None)[0]
    np.testing.assert_allclose(out, A @ beta, rtol=1e-10)
    assert np.array_equal(out, linreg.load(path).predict(X))


def test_version_1_file_loads_without_names(tmp_path):
    """A format-1 file (liblinreg 0.1 before names), written here from docs/FORMAT.md."""
    import struct
    import zlib

    def section(tag, payload):
        return struct.pack("<IQ", tag, len(payload)) + payload

    body = (section(1, struct.pack("<qqB3d", 2, 1, 1, 1.5, -2.0, 0.25))
            + section(2, struct.pack("<Q", 0)) + section(3, struct.pack("<Q", 0)))
    head = b"\x89LNRG\r\n\x1a" + struct.pack("<IIQ", 1, 0, len(body)) + body
    (tmp_path / "v1.lrm").write_bytes(head + struct.pack("<I", zlib.crc32(head)))
    est = linreg.load(tmp_path / "v1.lrm")
    assert not hasattr(est, "feature_names_in_") and not hasattr(est, "target_names_")
    np.testing.assert_array_equal(est.predict([[2.0, 1.0]]), [0.25 + 3.0 - 2.0])
    # a version-1 file with a names section is refused
    names = struct.pack("<QI1sI1sQ", 2, 1, b"a", 1, b"b", 0)
    body2 = body + section(6, names)
    head2 = b"\x89LNRG\r\n\x1a" + struct.pack("<IIQ", 1, 0, len(body2)) + body2
    (tmp_path / "bad.lrm").write_bytes(head2 + struct.pack("<I", zlib.crc32(head2)))
    with pytest.raises(linreg.FormatError, match="not part of format version 1"):
        linreg.load(tmp_path / "bad.lrm")
    head3 = head2[:8] + struct.pack("<I", 2) + head2[12:]
    (tmp_path / "v2.lrm").write_bytes(head3 + struct.pack("<I", zlib.crc32(head3)))
    assert list(linreg.load(tmp_path / "v2.lrm").feature_names_in_) == ["a", "b"]


def test_save_unfitted_and_load_errors(regression_data, tmp_path):
    X, y = regression_data
    with pytest.raises(linreg.NotFittedError):
        linreg.LinearRegression().save(tmp_path / "x.lrm")
    assert not (tmp_path / "x.lrm").exists()
    # a model file that was never fitted (written from C or the low-level API) loads unfitted
    linreg.Model(4, 1).save(tmp_path / "unfitted.lrm")
    est = linreg.load(tmp_path / "unfitted.lrm")
    assert est.get_params() == linreg.LinearRegression().get_params()
    with pytest.raises(linreg.NotFittedError):
        est.predict(X)

    linreg.LinearRegression().fit(X, y).save(tmp_path / "good.lrm")
    data = (tmp_path / "good.lrm").read_bytes()
    for name, bad in [
        ("truncated", data[: len(data) // 2]),
        ("truncated by one byte", data[:-1]),
        ("padded", data + b"\0"),
        ("flipped bit", data[:40] + bytes([data[40] ^ 1]) + data[41:]),
        ("empty", b""),
        ("not a model", b"hello, world\n" * 10),
    ]:
        (tmp_path / "bad.lrm").write_bytes(bad)
        with pytest.raises(linreg.FormatError) as ei:
            linreg.load(tmp_path / "bad.lrm")
        assert isinstance(ei.value, ValueError) and ei.value.status == 8, name
        assert str(ei.value), name
    with pytest.raises(linreg.LinregIOError) as ei:
        linreg.load(tmp_path / "missing.lrm")
    assert isinstance(ei.value, FileNotFoundError) or isinstance(ei.value, OSError)
    with pytest.raises(OSError):
        linreg.load(tmp_path)  # a folder
    with pytest.raises(OSError):
        linreg.LinearRegression().fit(X, y).save(tmp_path / "no" / "such" / "folder.lrm")


def test_save_is_atomic_over_an_existing_file(regression_data, tmp_path):
    X, y = regression_data
    path = tmp_path / "m.lrm"
    first = linreg.LinearRegression().fit(X, y)
    first.save(path)
    second = linreg.LinearRegression(fit_intercept=False).fit(X, y)
    second.save(path)
    assert np.array_equal(linreg.load(path).predict(X), second.predict(X))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.lrm"]  # no temporary left behind


@pytest.mark.parametrize("how", ["pickle", "joblib", "deepcopy"])
@pytest.mark.parametrize("solver", ["exact", "sgd"])
def test_estimator_pickle_joblib_deepcopy(rng, tmp_path, how, solver):
    import copy

    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(rng.normal(size=(50, 3)), columns=["tv", "radio", "paper"])
    y = pd.Series(X.to_numpy() @ [1.0, 2.0, 3.0] + rng.normal(size=50), name="sales")
    est = linreg.LinearRegression(solver=solver, learning_rate=0.01, epochs=5, batch_size=8)
    est.fit(X, y, sample_weight=np.linspace(1, 2, 50))
    if how == "pickle":
        other = pickle.loads(pickle.dumps(est, protocol=pickle.HIGHEST_PROTOCOL))
    elif how == "joblib":
        joblib = pytest.importorskip("joblib")
        joblib.dump(est, tmp_path / "est.joblib")
        other = joblib.load(tmp_path / "est.joblib")
    else:
        other = copy.deepcopy(est)
    assert other._model is not est._model
    statistics = solver == "exact"
    assert_identical_estimators(other, est, X, statistics)
    assert list(other.feature_names_in_) == ["tv", "radio", "paper"]
    assert other.get_params() == est.get_params()
    if statistics:
        assert "sales" in str(other.summary()) and "WLS" in str(other.summary())
        # the copy continues streaming exactly like the original (accumulated rows travel too)
        est.partial_fit(X.iloc[:10], y.iloc[:10])
        other.partial_fit(X.iloc[:10], y.iloc[:10])
        assert_identical_estimators(other, est, X, statistics)
    # copies are independent
    other.fit(X.iloc[:20], y.iloc[:20])
    assert not np.array_equal(other.coef_, est.coef_)


def test_pickle_of_unfitted_estimator_and_damaged_pickle(regression_data):
    X, y = regression_data
    est = pickle.loads(pickle.dumps(linreg.LinearRegression(alpha=1.0)))
    assert est.alpha == 1.0 and not hasattr(est, "coef_")
    state = linreg.LinearRegression().fit(X, y).__getstate__()
    state["_model_bytes"] = state["_model_bytes"][:-3]
    with pytest.raises(linreg.FormatError):
        linreg.LinearRegression().__setstate__(state)
