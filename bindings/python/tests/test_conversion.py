"""Conversion rules (linreg._arrays): zero copy, conversions, shapes, errors."""

from __future__ import annotations

import ctypes
import warnings

import numpy as np
import pytest

import linreg
from linreg import _arrays, _library


def _address(arg):
    if isinstance(arg, ctypes._Pointer):
        return ctypes.cast(arg, ctypes.c_void_p).value
    return arg


@pytest.fixture
def spy(monkeypatch):
    """spy(name) -> list of calls, each the list of arguments (pointers as addresses)."""
    capi = _library.api()

    def install(name):
        real = getattr(capi, name)
        calls = []

        def wrapper(*args):
            calls.append([_address(a) for a in args])
            return real(*args)

        monkeypatch.setattr(capi, name, wrapper)
        return calls

    return install


def _addr(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


@pytest.mark.parametrize("dtype,fn", [(np.float64, "linreg_fit_f64"), (np.float32, "linreg_fit_f32")])
def test_fit_passes_c_contiguous_arrays_without_copy(spy, rng, dtype, fn):
    X = np.ascontiguousarray(rng.normal(size=(30, 3)), dtype=dtype)
    y = np.ascontiguousarray(X @ [1.0, 2.0, 3.0] + 1.0, dtype=dtype)
    calls = spy(fn)
    linreg.LinearRegression().fit(X, y)
    assert len(calls) == 1
    _, px, py, n = calls[0]
    assert px == _addr(X) and py == _addr(y) and n == 30


@pytest.mark.parametrize("dtype,fn", [(np.float64, "linreg_fit_weighted_f64"), (np.float32, "linreg_fit_weighted_f32")])
def test_weighted_fit_no_copy(spy, rng, dtype, fn):
    X = rng.normal(size=(30, 2)).astype(dtype)
    Y = rng.normal(size=(30, 2)).astype(dtype)  # 2-D y: passed as is
    w = rng.uniform(0.5, 2.0, size=30).astype(dtype)
    calls = spy(fn)
    linreg.LinearRegression().fit(X, Y, sample_weight=w)
    _, px, py, pw, n = calls[0]
    assert (px, py, pw, n) == (_addr(X), _addr(Y), _addr(w), 30)


@pytest.mark.parametrize("dtype,fn", [(np.float64, "linreg_predict_f64"), (np.float32, "linreg_predict_f32")])
def test_predict_no_copy_and_output_dtype(spy, rng, dtype, fn):
    X = rng.normal(size=(20, 3)).astype(dtype)
    est = linreg.LinearRegression().fit(X, X.sum(axis=1))
    calls = spy(fn)
    out = est.predict(X)
    assert calls[0][1] == _addr(X) and calls[0][2] == 20
    assert out.dtype == dtype and out.shape == (20,)


def test_conversions_are_made_once_and_typed(spy, rng):
    Xf = np.asfortranarray(rng.normal(size=(25, 3)))
    y = rng.normal(size=25)
    calls = spy("linreg_fit_f64")
    linreg.LinearRegression().fit(Xf, y)
    assert calls[0][1] != _addr(Xf)  # Fortran order: copied
    assert calls[0][2] == _addr(y)  # y already fine: not copied


@pytest.mark.parametrize(
    "x_dtype,y_dtype,expected",
    [
        (np.float32, np.float32, np.float32),
        (np.float64, np.float64, np.float64),
        (np.float32, np.float64, np.float64),
        (np.float64, np.float32, np.float64),
        (np.float16, np.float32, np.float32),
        (np.float16, np.float16, np.float32),
        (np.int64, np.int64, np.float64),
        (np.int32, np.float32, np.float64),
        (np.float32, np.int32, np.float64),
        (bool, np.float64, np.float64),
    ],
)
def test_dtype_rule(x_dtype, y_dtype, expected, rng):
    X = (rng.normal(size=(10, 2)) * 3).astype(x_dtype)
    y = (rng.normal(size=10) * 3).astype(y_dtype)
    X2, Y2, sw, one_d = _arrays.prepare_fit(X, y, np.ones(10))
    assert X2.dtype == Y2.dtype == sw.dtype == expected
    assert X2.flags.c_contiguous and Y2.flags.c_contiguous and one_d and Y2.shape == (10, 1)


def test_passthrough_predicate(rng):
    a = rng.normal(size=(4, 3))
    assert _arrays.is_passthrough(a)
    assert not _arrays.is_passthrough(np.asfortranarray(a))
    assert not _arrays.is_passthrough(a[:, ::2])
    assert not _arrays.is_passthrough(a.astype(">f8"))
    assert not _arrays.is_passthrough(a.astype(np.int64))
    assert _arrays.as_matrix(a) is a
    assert _arrays.as_matrix(a.astype(">f8")).dtype == np.float64


def test_lists_pandas_and_names(rng):
    pd = pytest.importorskip("pandas")
    X = rng.normal(size=(30, 3))
    y = X @ [1.0, -1.0, 2.0] + 0.5
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    est = linreg.LinearRegression().fit(df, pd.Series(y, name="target"))
    assert list(est.feature_names_in_) == ["a", "b", "c"]
    np.testing.assert_allclose(est.coef_, [1.0, -1.0, 2.0], rtol=1e-9)
    est2 = linreg.LinearRegression().fit(X.tolist(), y.tolist())
    assert not hasattr(est2, "feature_names_in_")
    np.testing.assert_allclose(est2.coef_, est.coef_, rtol=1e-12)
    np.testing.assert_allclose(est.predict(df), est2.predict(X), rtol=1e-12)
    with pytest.raises(ValueError, match="feature names should match"):
        est.predict(df[["c", "b", "a"]].set_axis(["c", "x", "a"], axis=1))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        est.predict(X)
    assert any("does not have valid feature names" in str(x.message) for x in w)


def test_mixed_column_name_types_rejected(rng):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(rng.normal(size=(5, 2)), columns=["a", 1])
    with pytest.raises(TypeError, match="string names"):
        linreg.LinearRegression().fit(df, np.arange(5.0))


def test_shapes(rng):
    X = rng.normal(size=(10, 3))
    y = rng.normal(size=10)
    est = linreg.LinearRegression()
    with pytest.raises(ValueError, match="2-D"):
        est.fit(X[:, 0], y)
    with pytest.raises(ValueError, match="2-D"):
        est.fit(X[None], y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        est.fit(X, y[:9])
    with pytest.raises(ValueError, match="y must be 1-D"):
        est.fit(X, y.reshape(10, 1, 1))
    with pytest.raises(ValueError, match="sample_weight"):
        est.fit(X, y, sample_weight=np.ones(9))
    with pytest.raises(ValueError, match="sample_weight"):
        est.fit(X, y, sample_weight=np.ones((10, 1)))
    with pytest.raises(ValueError, match="requires y"):
        est.fit(X, None)


def test_empty_arrays():
    est = linreg.LinearRegression()
    with pytest.raises(ValueError, match="0 sample"):
        est.fit(np.empty((0, 3)), np.empty(0))
    with pytest.raises(ValueError, match=r"0 feature\(s\)"):
        est.fit(np.empty((5, 0)), np.zeros(5))
    with pytest.raises(ValueError, match="0 targets"):
        est.fit(np.ones((5, 2)), np.empty((5, 0)))


def test_predict_before_fit_and_wrong_n_features(rng):
    from linreg import NotFittedError

    est = linreg.LinearRegression()
    with pytest.raises(NotFittedError):
        est.predict(np.ones((2, 3)))
    sk = pytest.importorskip("sklearn.exceptions")
    with pytest.raises(sk.NotFittedError):
        est.predict(np.ones((2, 3)))
    X = rng.normal(size=(10, 3))
    est.fit(X, X[:, 0])
    with pytest.raises(ValueError, match="X has 2 features, but LinearRegression is expecting 3"):
        est.predict(X[:, :2])
    with pytest.raises(ValueError, match="2-D"):
        est.predict(X[0])
    with pytest.raises(ValueError, match="0 sample"):
        est.predict(np.empty((0, 3)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["X", "y", "sample_weight", "predict"])
def test_non_finite_raises_floating_point_error(rng, bad, where):
    X = rng.normal(size=(10, 2))
    y = rng.normal(size=10)
    w = np.ones(10)
    est = linreg.LinearRegression()
    if where == "X":
        X[3, 1] = bad
    elif where == "y":
        y[4] = bad
    elif where == "sample_weight":
        w[2] = bad
    if where == "predict":
        est.fit(X, y)
        X[3, 1] = bad
        call = lambda: est.predict(X)  # noqa: E731
    else:
        call = lambda: est.fit(X, y, sample_weight=w)  # noqa: E731
    with pytest.raises(FloatingPointError) as ei:
        call()
    assert isinstance(ei.value, ValueError) and isinstance(ei.value, linreg.NonFiniteError)
    assert ei.value.status == 2 and str(ei.value)
    if where in ("X", "predict"):
        assert "3" in str(ei.value) and "1" in str(ei.value)  # row 3, column 1 named


def test_complex_and_sparse_rejected(rng):
    X = rng.normal(size=(6, 2))
    with pytest.raises(ValueError, match="Complex"):
        linreg.LinearRegression().fit(X.astype(complex), np.ones(6))
    sparse = pytest.importorskip("scipy.sparse")
    with pytest.raises(TypeError, match="[Ss]parse"):
        linreg.LinearRegression().fit(sparse.csr_matrix(X), np.ones(6))


def test_object_and_string_numbers(rng):
    X = rng.normal(size=(12, 2))
    y = X @ [1.0, 2.0]
    est = linreg.LinearRegression().fit(X.astype(object), y.astype(str))
    np.testing.assert_allclose(est.coef_, [1.0, 2.0], atol=1e-9)
    Xo = X.astype(object)
    Xo[0, 0] = {"a": 1}
    with pytest.raises(TypeError):
        linreg.LinearRegression().fit(Xo, y)


def test_torch_tensor_input(rng):
    torch = pytest.importorskip("torch")
    X = torch.randn(20, 3)
    y = X @ torch.tensor([1.0, 2.0, 3.0])
    est = linreg.LinearRegression().fit(X, y)
    np.testing.assert_allclose(est.coef_, [1.0, 2.0, 3.0], atol=1e-4)
    assert est.predict(X).dtype == np.float32


def test_low_level_model_checks_shapes():
    m = linreg.Model(3, 2)
    with pytest.raises(ValueError):
        m.set_weights(np.ones((3, 2)))
    with pytest.raises(ValueError):
        m.set_weights(np.ones(5))
    with pytest.raises(ValueError):
        m.set_weights(np.ones((2, 3)), np.ones(3))
    m.set_weights(np.arange(6.0).reshape(2, 3), [1.0, -1.0])
    assert m.is_fitted() and m.get_shape() == (3, 2)
    out = m.predict(np.eye(3))
    np.testing.assert_array_equal(out, np.arange(6.0).reshape(2, 3).T + [1.0, -1.0])
    with pytest.raises(ValueError):
        m.predict(np.ones((2, 4)))
    with pytest.raises(ValueError):
        m.fit(np.ones((4, 3)), np.ones((4, 3)))
    with pytest.raises(ValueError):
        m.fit(np.ones((4, 2)), np.ones((4, 2)))
    m.close()
    m.close()
    with pytest.raises(ValueError, match="closed"):
        m.predict(np.eye(3))


def test_model_create_rejects_bad_sizes():
    with pytest.raises(ValueError):
        linreg.Model(0, 1)
    with pytest.raises(ValueError):
        linreg.Model(1, 0)
    with pytest.raises(ValueError):
        linreg.Model(2**62, 2**62)
