"""Model selection over the GD/SGD parameters, checked against an independent reference.

``GridSearchCV`` over ``solver="gd"``/``"sgd"`` learning rates, momentum and
batch sizes, on a grid where the answer is not obvious: at a fixed, small
number of epochs the smallest rates underfit, the middle ones converge at
different speeds, a too-large rate oscillates (a finite but very negative
R^2) and a far too large one overflows (liblinreg raises ``DivergedError``,
which ``GridSearchCV`` records as a failed fit). Every candidate's score on
every fold is recomputed by a plain numpy implementation of the same
procedure (full-batch GD, or mini-batch SGD in row order, with
``torch.optim.SGD``'s momentum, on the mean squared error over the rows, from
zero weights), and the chosen parameters must be the reference's best, which
beats the runner-up by far more than the tolerance (so the choice is not
decided by rounding).

Tolerance: 1e-9 relative on each score. liblinreg's GD/SGD follow PyTorch's
update rule to 1e-10 (test_gd_sgd.py) and the numpy loop is the same
arithmetic in float64; over 30 epochs the roundings of the two summation
orders stay around 1e-14 relative for converging runs and grow at most with
the iteration's own amplification (|1 - lr * lambda| per step) for the
oscillating one, whose score is still a ratio of two sums and agrees to
about 1e-12 here.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import linreg

sklearn = pytest.importorskip("sklearn")
from sklearn.model_selection import GridSearchCV, KFold  # noqa: E402

EPOCHS = 30
RTOL = 1e-9
GRID = [
    {"solver": ["gd"], "learning_rate": [0.001, 0.03, 0.3, 1.5, 1e6], "momentum": [0.0, 0.5]},
    {"solver": ["sgd"], "learning_rate": [0.001, 0.01, 0.1], "batch_size": [8, 16]},
]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(2026)
    n = 60
    X = rng.normal(size=(n, 3)) * [1.0, 0.5, 2.0] + [0.5, -1.0, 0.0]
    y = X @ np.array([1.2, -0.7, 0.4]) + 1.5 + 0.3 * rng.normal(size=n)
    return X, y


def numpy_descent(X, y, lr, momentum=0.0, batch_size=None, epochs=EPOCHS):
    """(coef, intercept) of GD (batch_size None) or row-order SGD from zeros; None when the loss
    or the weights overflow (liblinreg's DivergedError).

    Loss per step: mean over the batch of (x w + b - y)^2; gradient 2/m * r^T [X, 1];
    torch.optim.SGD momentum: buf = momentum * buf + grad (buf = grad at the first step),
    params -= lr * buf.
    """
    n, p = X.shape
    theta = np.zeros(p + 1)  # coef..., intercept
    buf = None
    A = np.column_stack([X, np.ones(n)])
    bs = n if batch_size is None else batch_size
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            for start in range(0, n, bs):
                Ab, yb = A[start:start + bs], y[start:start + bs]
                r = Ab @ theta - yb
                if not np.isfinite(np.mean(r * r)):  # liblinreg: a non-finite loss is divergence
                    return None
                grad = 2.0 / len(yb) * (r @ Ab)
                buf = grad if buf is None else momentum * buf + grad
                theta = theta - lr * buf
            if not np.all(np.isfinite(theta)):
                return None
    return theta[:p], theta[p]


def r2(y, pred):
    return 1.0 - np.sum((y - pred) ** 2) / np.sum((y - np.mean(y)) ** 2)


def candidates():
    for block in GRID:
        keys = sorted(block)
        for values in itertools.product(*(block[k] for k in keys)):
            yield dict(zip(keys, values))


def reference_scores(X, y, params, cv):
    scores = []
    for train, test in cv.split(X):
        fit = numpy_descent(X[train], y[train], params["learning_rate"], params.get("momentum", 0.0),
                            params.get("batch_size") if params["solver"] == "sgd" else None)
        scores.append(np.nan if fit is None else r2(y[test], X[test] @ fit[0] + fit[1]))
    return np.array(scores)


def same_params(a, b):
    return set(a) == set(b) and all(a[k] == b[k] for k in a)


def test_grid_search_over_gd_and_sgd_parameters(data):
    X, y = data
    cv = KFold(n_splits=3)
    search = GridSearchCV(linreg.LinearRegression(solver="gd", epochs=EPOCHS), GRID, cv=cv, error_score=np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # FitFailedWarning for the overflowing candidates
        search.fit(X, y)
    res = search.cv_results_

    expected = list(candidates())
    assert len(res["params"]) == len(expected) == 16
    ref = {}
    for i, params in enumerate(res["params"]):
        want = reference_scores(X, y, params, cv)
        key = tuple(sorted(params.items()))
        ref[key] = want
        got = np.array([res[f"split{f}_test_score"][i] for f in range(3)])
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg=str(params))
        ok = ~np.isnan(want)
        np.testing.assert_allclose(got[ok], want[ok], rtol=RTOL, err_msg=str(params))
    assert {tuple(sorted(p.items())) for p in expected} == set(ref)

    means = {k: np.mean(v) for k, v in ref.items()}
    finite = {k: v for k, v in means.items() if np.isfinite(v)}
    ranked = sorted(finite, key=finite.get, reverse=True)
    best, second = ranked[0], ranked[1]
    # the grid is informative: failures, underfitting and oscillation, and a clear winner
    assert any(np.isnan(v).all() for v in ref.values())                # overflow: DivergedError, recorded as NaN
    assert min(finite.values()) < -10.0                                 # oscillating rate: much worse than the mean
    assert sum(v < 0.5 for v in finite.values()) >= 3                   # underfitting rates
    assert finite[best] > 0.8
    assert finite[best] - finite[second] > 1e3 * RTOL * abs(finite[best])
    assert same_params(search.best_params_, dict(best)), (search.best_params_, dict(best))
    np.testing.assert_allclose(search.best_score_, finite[best], rtol=RTOL)
    # the best is not the exact solver's answer in disguise: the grid holds only GD/SGD
    assert search.best_params_["solver"] in ("gd", "sgd")

    # the refitted best estimator: the same procedure on all the rows
    bp = search.best_params_
    coef, b = numpy_descent(X, y, bp["learning_rate"], bp.get("momentum", 0.0),
                            bp.get("batch_size") if bp["solver"] == "sgd" else None)
    np.testing.assert_allclose(search.best_estimator_.coef_, coef, rtol=RTOL)
    np.testing.assert_allclose(search.best_estimator_.intercept_, b, rtol=RTOL)


def test_numpy_reference_is_the_documented_procedure(data):
    """The reference loop itself against liblinreg's GD/SGD on single fits (sanity of the reference)."""
    X, y = data
    for params in ({"solver": "gd", "learning_rate": 0.03, "momentum": 0.5},
                   {"solver": "sgd", "learning_rate": 0.01, "batch_size": 16}):
        est = linreg.LinearRegression(epochs=EPOCHS, **params).fit(X, y)
        coef, b = numpy_descent(X, y, params["learning_rate"], params.get("momentum", 0.0), params.get("batch_size"))
        np.testing.assert_allclose(est.coef_, coef, rtol=RTOL)
        np.testing.assert_allclose(est.intercept_, b, rtol=RTOL)
