"""Lasso / elastic net (linreg.Lasso, ElasticNet, LassoCV, ElasticNetCV and the
``linreg_enet_*`` calls) against scikit-learn and against the optimality
conditions computed independently in numpy.

Tolerances:

* Coefficients and intercepts: 1e-8 relative to the largest coefficient
  (the issue's target). Both sides run with tol=1e-12 and a large max_iter, so
  both stop within about 1e-12 relative of the unique minimiser; what is
  left is the conditioning of the problems times double rounding (the
  moments differ from scikit-learn's products in the last bits).
* The duality gap is recomputed in numpy from the data and ``coef_`` (not
  from the library's moments) and must be at most 1e-12 * ||y - mean(y)||^2 / n
  plus 1e-15 * ||y||^2 / n for the rounding of that recomputation.
* ``mse_path_``: 1e-8 relative (issue target); ``alpha_`` and ``alphas_``:
  1e-12 relative (they are the same formula on the same data, the moments
  differing from scikit-learn's only in rounding), and ``alpha_`` must be the
  same grid point.
"""

from __future__ import annotations

import numpy as np
import pytest

import linreg
from linreg import _enet

sklearn = pytest.importorskip("sklearn")
import sklearn.linear_model as sk  # noqa: E402
from sklearn.datasets import load_diabetes  # noqa: E402
from sklearn.model_selection import GroupKFold, KFold, ShuffleSplit  # noqa: E402

TIGHT = dict(tol=1e-12, max_iter=200_000)


def rel(a, b) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(np.max(np.abs(b)), 1e-300)
    return float(np.max(np.abs(a - b)) / scale)


def gap_numpy(X, y, coef, intercept, alpha, l1_ratio, sw=None, positive=False):
    """scikit-learn's duality gap (formulation A) of the weighted objective, from the raw data;
    ``intercept`` None means no intercept (nothing centred). Returns (gap, yc.yc/n, y.y/n)."""
    n = X.shape[0]
    w = np.ones(n) if sw is None else np.asarray(sw, dtype=np.float64) * (n / np.sum(sw))
    r = (y - X @ coef - (intercept or 0.0)) * np.sqrt(w)
    centre = intercept is not None
    # The dual point of the centred problem: residuals times sqrt(weights) (intercept eliminated).
    Xc = (X - (np.average(X, axis=0, weights=w) if centre else 0.0)) * np.sqrt(w)[:, None]
    yc = (y - (np.average(y, weights=w) if centre else 0.0)) * np.sqrt(w)
    rc = r
    l1, l2 = alpha * l1_ratio * n, alpha * (1 - l1_ratio) * n
    XtA = Xc.T @ rc - l2 * coef
    dual_norm = np.max(XtA) if positive else np.max(np.abs(XtA))
    R2, Ry = rc @ rc, rc @ yc
    primal = 0.5 * (R2 + l2 * coef @ coef) + l1 * np.sum(np.abs(coef))
    scale = l1 / dual_norm if dual_norm > l1 else 1.0
    dual = -0.5 * scale**2 * (R2 + l2 * coef @ coef) + scale * Ry
    return (primal - dual) / n, (yc @ yc) / n, (y * np.sqrt(w)) @ (y * np.sqrt(w)) / n


def correlated(n=120, p=12, seed=0, rho=0.9):
    rng = np.random.default_rng(seed)
    cov = rho ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    X = rng.multivariate_normal(np.zeros(p), cov, size=n) * rng.uniform(0.5, 3, p) + rng.normal(0, 2, p)
    w = np.zeros(p)
    w[: p // 3] = rng.normal(0, 3, p // 3)
    y = X @ w + 1.5 + rng.normal(size=n)
    return X, y


def wide(n=40, p=90, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    w = np.zeros(p)
    w[:5] = [4, -3, 2, 1.5, -1]
    return X, X @ w + 0.5 * rng.normal(size=n)


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)


@pytest.fixture(scope="module")
def advertising_xy(advertising):
    return advertising[["TV", "Radio", "Newspaper"]].to_numpy(), advertising["Sales"].to_numpy()


def problems(diabetes, advertising_xy):
    return {"diabetes": diabetes, "advertising": advertising_xy, "correlated": correlated(), "p>n": wide()}


@pytest.mark.parametrize("name", ["diabetes", "advertising", "correlated", "p>n"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.1])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_elastic_net_equals_sklearn(name, l1_ratio, weighted, fit_intercept, diabetes, advertising_xy):
    X, y = problems(diabetes, advertising_xy)[name]
    sw = np.random.default_rng(3).uniform(0.2, 4.0, len(y)) if weighted else None
    alpha_max = sk.ElasticNetCV(l1_ratio=l1_ratio, alphas=3, fit_intercept=fit_intercept).fit(X, y).alphas_[0]
    for alpha in (alpha_max * 0.3, alpha_max * 0.01):
        ours = linreg.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept, **TIGHT)
        ours.fit(X, y, sample_weight=sw)
        ref = sk.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept, **TIGHT)
        ref.fit(X, y, sample_weight=sw)
        assert rel(ours.coef_, ref.coef_) <= 1e-8
        assert abs(ours.intercept_ - ref.intercept_) <= 1e-8 * max(1.0, abs(ref.intercept_), np.max(np.abs(ref.coef_)))
        gap, yy_c, yy = gap_numpy(X, y, ours.coef_, ours.intercept_ if fit_intercept else None, alpha, l1_ratio, sw)
        scale = yy_c if fit_intercept else yy
        assert gap <= 1e-12 * scale + 1e-15 * yy, (gap, scale)
        # the reported gap obeys the stopping rule; it may round below zero at the minimiser
        assert -1e-14 * yy <= ours.dual_gap_ <= 1e-12 * scale
        assert isinstance(ours.n_iter_, int) and 1 <= ours.n_iter_ <= TIGHT["max_iter"]


@pytest.mark.parametrize("positive", [False, True])
def test_lasso_positive_and_outputs(positive, diabetes):
    X, y = diabetes
    Y = np.column_stack([y, -0.5 * y + 30 * X[:, 2], X[:, 0] * 100])
    for alpha in (0.5, 0.02):
        ours = linreg.Lasso(alpha=alpha, positive=positive, **TIGHT).fit(X, Y)
        assert ours.coef_.shape == (3, X.shape[1]) and ours.intercept_.shape == (3,)
        assert ours.dual_gap_.shape == (3,) and len(ours.n_iter_) == 3
        for j in range(3):
            ref = sk.Lasso(alpha=alpha, positive=positive, **TIGHT).fit(X, Y[:, j])
            assert rel(ours.coef_[j], ref.coef_) <= 1e-8
            assert abs(ours.intercept_[j] - ref.intercept_) <= 1e-8 * max(1.0, abs(ref.intercept_))
            if positive:
                assert np.all(ours.coef_[j] >= 0)
        np.testing.assert_allclose(ours.predict(X), X @ ours.coef_.T + ours.intercept_, rtol=1e-12, atol=1e-9)


def test_path_equals_sklearn_enet_path(diabetes):
    X, y = diabetes
    Xc, yc = X - X.mean(axis=0), y - y.mean()  # the path functions fit no intercept, as scikit-learn's
    for l1_ratio in (1.0, 0.3):
        alphas, coefs, gaps = linreg.ElasticNet.path(Xc, yc, l1_ratio=l1_ratio, alphas=30, **TIGHT)
        ref_alphas, ref_coefs, ref_gaps = sk.enet_path(Xc, yc, l1_ratio=l1_ratio, alphas=30, **TIGHT)
        assert rel(alphas, ref_alphas) <= 1e-12
        assert coefs.shape == ref_coefs.shape == (X.shape[1], 30)
        for t in range(30):
            assert rel(coefs[:, t], ref_coefs[:, t]) <= 1e-8 or np.max(np.abs(ref_coefs[:, t])) == 0
        assert np.all(gaps <= 1e-12 * (yc @ yc) / len(y))
    # lasso_path with explicit alphas (sorted decreasing) and n_iter
    a, c, g, it = linreg.lasso_path(Xc, yc, alphas=[0.1, 1.0, 0.01], return_n_iter=True, **TIGHT)
    ra, rc, rg = sk.lasso_path(Xc, yc, alphas=[0.1, 1.0, 0.01], **TIGHT)
    np.testing.assert_array_equal(a, ra)
    assert rel(c, rc) <= 1e-8 and len(it) == 3


def test_alpha_grid_equals_sklearn(diabetes, advertising_xy):
    from sklearn.linear_model._coordinate_descent import _alpha_grid

    for X, y in (diabetes, advertising_xy, wide()):
        sw = np.random.default_rng(5).uniform(0.5, 2, len(y))
        for kw in ({}, {"l1_ratio": 0.25}, {"positive": True}, {"fit_intercept": False}):
            for weights in (None, sw):
                model = linreg.Model(X.shape[1], 1)
                model.fit(X, y, weights)
                ours = _enet.alpha_grid(model, n_alphas=50, eps=1e-4, **kw)
                ref = _alpha_grid(X, y, n_alphas=50, eps=1e-4, sample_weight=weights, **kw)
                assert rel(ours, ref) <= 1e-12 and np.max(np.abs(ours / ref - 1)) <= 1e-12


def test_path_needs_no_data_after_partial_fit_merge_and_load(diabetes, tmp_path):
    """The path is a function of the statistics: chunked, merged and reloaded statistics give it too."""
    X, y = diabetes
    whole = linreg.Model(X.shape[1], 1)
    whole.fit(X, y)
    grid = _enet.alpha_grid(whole, n_alphas=20)
    ref = _enet.path(whole, grid, tol=1e-12, max_iter=100_000)
    streamed = linreg.Model(X.shape[1], 1)
    for chunk in np.array_split(np.arange(len(y)), 7):
        streamed.partial_fit(X[chunk], y[chunk])
    parts = []
    for chunk in np.array_split(np.arange(len(y)), 3):
        part = linreg.Model(X.shape[1], 1)
        part.fit(X[chunk], y[chunk])
        parts.append(part)
    merged = linreg.Model(X.shape[1], 1)
    for part in parts:
        merged.merge(part)
    whole.save(tmp_path / "m.linreg")
    loaded = linreg.Model.load(tmp_path / "m.linreg")
    np.testing.assert_array_equal(_enet.path(loaded, grid, tol=1e-12, max_iter=100_000)[0], ref[0])
    for other in (streamed, merged):
        coefs = _enet.path(other, grid, tol=1e-12, max_iter=100_000)[0]
        # the statistics agree to double-double rounding; the solutions to 1e-10 (the streaming promise)
        assert rel(coefs, ref[0]) <= 1e-10


def test_estimator_partial_fit_equals_fit(diabetes):
    X, y = diabetes
    sw = np.random.default_rng(2).uniform(0.5, 2, len(y))
    full = linreg.ElasticNet(alpha=0.01, l1_ratio=0.7, **TIGHT).fit(X, y, sample_weight=sw)
    stream = linreg.ElasticNet(alpha=0.01, l1_ratio=0.7, **TIGHT)
    for chunk in np.array_split(np.arange(len(y)), 5):
        stream.partial_fit(X[chunk], y[chunk], sample_weight=sw[chunk])
    assert rel(stream.coef_, full.coef_) <= 1e-10
    assert abs(stream.intercept_ - full.intercept_) <= 1e-10 * abs(full.intercept_)


def test_from_model_after_dask_reduction(diabetes):
    pytest.importorskip("dask")
    import dask.array as da

    X, y = diabetes
    est = linreg.dask.fit(da.from_array(X, chunks=(50, -1)), da.from_array(y, chunks=50))
    lasso = linreg.Lasso.from_model(est, alpha=0.05, **TIGHT)
    ref = sk.Lasso(alpha=0.05, **TIGHT).fit(X, y)
    assert rel(lasso.coef_, ref.coef_) <= 1e-8
    np.testing.assert_allclose(lasso.predict(X), ref.predict(X), rtol=1e-8, atol=1e-8 * np.abs(y).max())


def test_enet_fit_keeps_statistics_and_withholds_inference(diabetes):
    X, y = diabetes
    model = linreg.Model(X.shape[1], 1)
    model.fit(X, y)
    sv = model.singular_values()
    gaps, iters = _enet.fit(model, 0.1, tol=1e-12, max_iter=100_000)
    ref = sk.Lasso(alpha=0.1, **TIGHT).fit(X, y)
    W, b = model.get_weights()
    assert rel(W[0], ref.coef_) <= 1e-8
    np.testing.assert_array_equal(model.singular_values(), sv)
    with pytest.raises(linreg.UnavailableError):
        model.stat(linreg.Stat.R2)
    again = linreg.Model.deserialize(model.serialize())
    np.testing.assert_array_equal(again.get_weights()[0], W)
    with pytest.raises(linreg.UnavailableError):
        again.stat(linreg.Stat.R2)
    # still mergeable and continuable
    again.partial_fit(X[:10], y[:10])


# ---- cross-validation ------------------------------------------------------

def _compare_cv(ours, ref):
    assert ours.alpha_ == pytest.approx(ref.alpha_, rel=1e-12)
    assert int(np.argmin(np.abs(np.ravel(ref.alphas_) - ref.alpha_))) == int(
        np.argmin(np.abs(np.ravel(ours.alphas_) - ours.alpha_)))
    assert rel(ours.alphas_, ref.alphas_) <= 1e-12
    assert ours.mse_path_.shape == ref.mse_path_.shape
    assert np.max(np.abs(ours.mse_path_ / ref.mse_path_ - 1)) <= 1e-8
    assert rel(ours.coef_, ref.coef_) <= 1e-8
    assert abs(ours.intercept_ - ref.intercept_) <= 1e-8 * max(1.0, abs(ref.intercept_), np.max(np.abs(ref.coef_)))


@pytest.mark.parametrize("name", ["diabetes", "advertising", "correlated", "p>n"])
@pytest.mark.parametrize("weighted", [False, True])
def test_lasso_cv_equals_sklearn(name, weighted, diabetes, advertising_xy):
    X, y = problems(diabetes, advertising_xy)[name]
    sw = np.random.default_rng(4).uniform(0.2, 4.0, len(y)) if weighted else None
    ours = linreg.LassoCV(**TIGHT).fit(X, y, sample_weight=sw)
    ref = sk.LassoCV(**TIGHT).fit(X, y, sample_weight=sw)
    _compare_cv(ours, ref)
    assert not hasattr(ours, "l1_ratio_") and not hasattr(ours, "l1_ratio")


@pytest.mark.parametrize(
    "kw",
    [
        {"l1_ratio": [0.1, 0.5, 0.9, 1.0]},
        {"l1_ratio": 0.5, "cv": 3, "fit_intercept": False},
        {"l1_ratio": 0.8, "positive": True, "eps": 1e-2, "alphas": 25},
        {"l1_ratio": 0.5, "alphas": [0.001, 1.0, 0.1, 0.01]},
    ],
)
def test_elastic_net_cv_equals_sklearn(kw, diabetes):
    X, y = diabetes
    ours = linreg.ElasticNetCV(**kw, **TIGHT).fit(X, y)
    ref = sk.ElasticNetCV(**kw, **TIGHT).fit(X, y)
    _compare_cv(ours, ref)
    assert ours.l1_ratio_ == ref.l1_ratio_


@pytest.mark.parametrize(
    "cv",
    [
        KFold(4, shuffle=True, random_state=0),       # partition, not contiguous
        ShuffleSplit(3, test_size=0.25, random_state=1),  # train is the complement, tests overlap
        "groups",                                    # GroupKFold through an explicit list
        "subset",                                    # training sets that are not the complement
    ],
)
def test_cv_splits_given_by_the_user(cv, diabetes):
    X, y = diabetes
    if cv == "groups":
        cv = list(GroupKFold(3).split(X, y, groups=np.arange(len(y)) % 7))
    elif cv == "subset":
        idx = np.arange(len(y))
        cv = [(idx[(idx % 3 != f) & (idx % 5 != 0)], idx[idx % 3 == f]) for f in range(3)]
    ours = linreg.LassoCV(cv=cv, **TIGHT).fit(X, y)
    ref = sk.LassoCV(cv=cv, **TIGHT).fit(X, y)
    _compare_cv(ours, ref)


def test_cv_path_one_pass_contract(diabetes):
    """The C function scores a fold from statistics alone: total minus fold equals the training fit."""
    X, y = diabetes
    idx = np.arange(len(y))
    tests, trains = [], []
    for f in range(4):
        te, tr = idx[idx % 4 == f], idx[idx % 4 != f]
        m = linreg.Model(X.shape[1], 1); m.fit(X[te], y[te]); tests.append(m)
        t = linreg.Model(X.shape[1], 1); t.fit(X[tr], y[tr]); trains.append(t)
    total = linreg.Model(X.shape[1], 1); total.fit(X, y)
    grid = _enet.alpha_grid(total, n_alphas=15)
    a = _enet.cv_path(total, tests, grid, tol=1e-12, max_iter=100_000)
    b = _enet.cv_path(total, tests, grid, trains=trains, tol=1e-12, max_iter=100_000)
    assert a.shape == (15, 4)
    assert np.max(np.abs(a / b - 1)) <= 1e-10
    # independent check of one entry: fit on the training rows, score on the test rows in numpy
    ref = sk.Lasso(alpha=grid[7], **TIGHT).fit(X[idx % 4 != 2], y[idx % 4 != 2])
    mse = np.mean((y[idx % 4 == 2] - ref.predict(X[idx % 4 == 2])) ** 2)
    assert a[7, 2] == pytest.approx(mse, rel=1e-8)


def test_cv_rejects_multi_output(diabetes):
    X, y = diabetes
    with pytest.raises(ValueError, match="MultiTask"):
        linreg.LassoCV().fit(X, np.column_stack([y, y]))


# ---- scikit-learn API --------------------------------------------------------

def test_estimator_params_and_pickle(diabetes):
    import pickle

    from sklearn.base import clone

    X, y = diabetes
    for est in (linreg.Lasso(alpha=0.1), linreg.ElasticNet(alpha=0.1, l1_ratio=0.3), linreg.LassoCV(cv=3),
                linreg.ElasticNetCV(cv=3, l1_ratio=[0.5, 1.0])):
        ref = getattr(sk, type(est).__name__)(**est.get_params())
        assert sorted(est.get_params()) == sorted(ref.get_params())
        est.fit(X, y)
        again = pickle.loads(pickle.dumps(est))
        np.testing.assert_array_equal(again.predict(X), est.predict(X))
        assert not hasattr(clone(est), "coef_")


def test_not_implemented_options(diabetes):
    X, y = diabetes
    with pytest.raises(NotImplementedError):
        linreg.Lasso(selection="random").fit(X, y)
    with pytest.raises(NotImplementedError):
        linreg.ElasticNet(warm_start=True).fit(X, y)


from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402


@parametrize_with_checks(
    [linreg.Lasso(), linreg.ElasticNet(), linreg.LassoCV(), linreg.ElasticNetCV(), linreg.Lasso(positive=True),
     linreg.ElasticNet(fit_intercept=False)],
)
def test_sklearn_check_estimator(estimator, check):
    check(estimator)
