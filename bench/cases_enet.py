"""Benchmark cases of the lasso (issue 15): a 100-penalty path and LassoCV(cv=5)
against one exact fit of the same data (the targets: path <= 2x, CV <= 3x an
exact fit, because the path never re-reads the data and CV reads it once),
with scikit-learn's lasso_path and LassoCV beside them.

Answers are checked before any time is reported: liblinreg's path at its
smallest penalty, and LassoCV's coefficients, against scikit-learn's Lasso at
the same penalty run to tol=1e-10, within 1e-3 relative (both timed runs use
the default tol=1e-4, whose duality-gap stop leaves about that much).
"""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np

import cases as C
import linreg
from linreg import _enet


def case_lasso(n: int, d: int, slow_reps: int, checks: bool = True) -> C.Case:
    X, y = C.synthetic(n, d, np.float64, seed=d + 1)
    # alpha_min of the 100-value grid (eps=1e-3), computed as scikit-learn does.
    xm, ym = X.mean(axis=0), float(y.mean())
    alpha_max = float(np.max(np.abs(X.T @ y - n * xm * ym))) / n
    alpha_min = alpha_max * 1e-3
    reference: Any = None
    cv_reference: Any = None
    if checks:
        from sklearn.linear_model import Lasso, LassoCV

        reference = Lasso(alpha=alpha_min, tol=1e-10, max_iter=100_000, precompute=True).fit(X, y).coef_
        chosen = LassoCV(cv=5).fit(X, y).alpha_
        cv_reference = Lasso(alpha=chosen, tol=1e-10, max_iter=100_000, precompute=True).fit(X, y).coef_

    def near(reference_coef, tol=1e-3):
        def check(answer) -> Tuple[bool, str]:
            return C._ok(C.rel_err(np.asarray(answer), reference_coef), tol)
        return check

    def exact():
        return linreg.LinearRegression().fit(X, y).coef_

    def lib_path():
        model = linreg.Model(d, 1)
        _enet.accumulate(model, X, y)  # one read, no exact solve
        grid = _enet.alpha_grid(model, n_alphas=100)
        coefs = _enet.path(model, grid)[0]
        return coefs[-1, 0]

    def lib_cv():
        return linreg.LassoCV(cv=5).fit(X, y).coef_

    def sk_path():
        from sklearn.linear_model import lasso_path

        Xc, yc = X - xm, y - ym  # lasso_path fits no intercept: centre as LassoCV does
        return lasso_path(Xc, yc, alphas=100)[1][:, -1]

    def sk_cv():
        from sklearn.linear_model import LassoCV

        return LassoCV(cv=5).fit(X, y).coef_

    ok_exact = (lambda _: (True, "the baseline (least squares)"))
    return C.Case(
        f"lasso_{n}x{d}", f"Lasso path and LassoCV: {n:,} x {d} float64",
        [
            C.Peer("liblinreg exact fit", exact, ok_exact, is_liblinreg=True,
                   note="LinearRegression().fit: the reference cost (target: path <= 2x, CV <= 3x)"),
            C.Peer("liblinreg lasso path", lib_path, near(reference), is_liblinreg=True,
                   note="accumulation (one read, no solve) + alpha grid + 100-penalty path"),
            C.Peer("liblinreg LassoCV", lib_cv, near(cv_reference), is_liblinreg=True,
                   note="LassoCV(cv=5): folds read once, 5 paths of 100 penalties, refit from the total"),
            C.Peer("scikit-learn lasso_path", sk_path, near(reference), repetitions=slow_reps,
                   note="lasso_path(centred X, alphas=100)"),
            C.Peer("scikit-learn LassoCV", sk_cv, near(cv_reference), repetitions=1, note="LassoCV(cv=5)"),
        ],
        description="X with varied column means and scales, y = X beta + 1.5 + noise (R^2 ~ 0.9); tol=1e-4 "
                    "everywhere. Checks: the path's smallest-penalty coefficients and LassoCV's coefficients "
                    "against scikit-learn's Lasso at tol=1e-10, within 1e-3.",
        baseline="liblinreg exact fit",
    )


def builders(quick: bool, slow_reps: int):
    """(key, builder(checks)) for cases.all_cases."""
    sizes = [(200_000, 32), (20_000, 256)] if quick else [(2_000_000, 32), (200_000, 256)]
    return [(f"lasso_{n}x{d}", lambda checks, n=n, d=d: case_lasso(n, d, slow_reps, checks)) for n, d in sizes]
