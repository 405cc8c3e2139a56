"""Benchmark case of robust inference (issue 14): HC3 and one-way
cluster-robust standard errors on the same data as one exact fit (the
target: each at most 2x the exact fit, since the robust "meat" costs one
more pass over the data), with statsmodels' OLS ``fit(cov_type=...)`` beside
them.

Answers are checked before any time is reported: liblinreg's standard
errors against statsmodels' for the same covariance type, within 1e-8
relative (statsmodels' own rounding on 2,000,000 rows is far below that).
"""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np

import cases as C
import linreg


def case_robust(n: int, d: int, slow_reps: int, checks: bool = True, clusters: int = 1000) -> C.Case:
    X, y = C.synthetic(n, d, np.float64, seed=d + 7)
    groups = np.random.default_rng(d).integers(0, clusters, n)
    references: dict = {}
    if checks:
        import statsmodels.api as sm

        design = sm.add_constant(X)
        references["HC3"] = sm.OLS(y, design).fit(cov_type="HC3").bse
        references["cluster"] = sm.OLS(y, design).fit(cov_type="cluster", cov_kwds={"groups": groups}).bse

    def against(kind: str):
        def check(answer) -> Tuple[bool, str]:
            if not references:
                return True, "not checked"
            return C._ok(C.rel_err(np.asarray(answer), references[kind]), 1e-8, "bse")
        return check

    def exact():
        return linreg.LinearRegression().fit(X, y).coef_

    def lib_hc3():
        return linreg.LinearRegression(cov_type="HC3").fit(X, y).bse_

    def lib_cluster():
        return linreg.LinearRegression(cov_type="cluster").fit(X, y, groups=groups).bse_

    def sm_hc3():
        import statsmodels.api as sm

        return sm.OLS(y, sm.add_constant(X)).fit(cov_type="HC3").bse

    def sm_cluster():
        import statsmodels.api as sm

        return sm.OLS(y, sm.add_constant(X)).fit(cov_type="cluster", cov_kwds={"groups": groups}).bse

    baseline_ok = (lambda _: (True, "the baseline (nonrobust exact fit)"))
    return C.Case(
        f"robust_{n}x{d}", f"Robust standard errors: {n:,} x {d} float64, HC3 and {clusters:,} clusters",
        [
            C.Peer("liblinreg exact fit", exact, baseline_ok, is_liblinreg=True,
                   note="LinearRegression().fit: the reference cost (target: HC3 and cluster <= 2x)"),
            C.Peer("liblinreg HC3", lib_hc3, against("HC3"), is_liblinreg=True,
                   note="LinearRegression(cov_type='HC3').fit(...).bse_: the fit and its covariance pass"),
            C.Peer("liblinreg cluster", lib_cluster, against("cluster"), is_liblinreg=True,
                   note="LinearRegression(cov_type='cluster').fit(..., groups=...).bse_"),
            C.Peer("statsmodels HC3", sm_hc3, against("HC3"), repetitions=slow_reps,
                   note="OLS(y, add_constant(X)).fit(cov_type='HC3').bse"),
            C.Peer("statsmodels cluster", sm_cluster, against("cluster"), repetitions=slow_reps,
                   note="OLS(...).fit(cov_type='cluster', cov_kwds={'groups': g}).bse"),
        ],
        description="X with varied column means and scales, y = X beta + 1.5 + noise (R^2 ~ 0.9); cluster "
                    "labels uniform over 1,000 groups. Checks: standard errors against statsmodels' for the "
                    "same covariance type, within 1e-8.",
        baseline="liblinreg exact fit",
    )


def builders(quick: bool, slow_reps: int):
    """(key, builder(checks)) for cases.all_cases."""
    n = 200_000 if quick else 2_000_000
    return [(f"robust_{n}x32", lambda checks: case_robust(n, 32, slow_reps, checks))]
