"""The RidgeCV benchmark case (issue #15): ridge over 100 alphas by exact
leave-one-out, against one exact fit of the same data and scikit-learn's
``RidgeCV`` (``cv=None``, its ``_RidgeGCV``).

Target: liblinreg's RidgeCV within 1.2x one exact fit on 2,000,000 x 32
(scikit-learn takes about 71 s there). Checks before any time is reported:
liblinreg and scikit-learn must choose the same alpha, and liblinreg's
coefficients must match scikit-learn's to 1e-8 relative (float64 data;
scikit-learn's coefficients come from an SVD in double).
"""

from __future__ import annotations

from typing import Tuple

import numpy as np

import linreg

from cases import Case, Peer, rel_err, synthetic

RIDGECV_ALPHAS = np.logspace(-3, 4, 100)


def case_ridgecv(n: int, d: int, slow_reps: int, checks: bool = True) -> Case:
    X, y = synthetic(n, d, np.float64, seed=11)
    reference = None
    if checks:
        from sklearn.linear_model import RidgeCV

        ref = RidgeCV(alphas=RIDGECV_ALPHAS).fit(X, y)
        reference = (float(ref.alpha_), np.concatenate([[float(ref.intercept_)], ref.coef_]))

    def answer(est) -> Tuple[float, np.ndarray]:
        return float(est.alpha_), np.concatenate([[float(est.intercept_)], est.coef_])

    def check(result) -> Tuple[bool, str]:
        if reference is None:
            return True, "not checked"
        alpha, coef = result
        err = rel_err(coef, reference[1])
        ok = alpha == reference[0] and err <= 1e-8
        return ok, f"alpha {alpha:g} (scikit-learn {reference[0]:g}), coef rel. err {err:.1e} (tol 1e-08)"

    def lib():
        return answer(linreg.RidgeCV(alphas=RIDGECV_ALPHAS).fit(X, y))

    def lib_exact():
        est = linreg.LinearRegression().fit(X, y)
        return np.concatenate([[float(est.intercept_)], est.coef_])

    def sk():
        from sklearn.linear_model import RidgeCV

        return answer(RidgeCV(alphas=RIDGECV_ALPHAS).fit(X, y))

    return Case(
        f"ridgecv_{n}x{d}", f"RidgeCV: {n:,} x {d} float64, {RIDGECV_ALPHAS.size} alphas, exact leave-one-out",
        [
            Peer("liblinreg", lib, check, is_liblinreg=True,
                 note="linreg.RidgeCV(alphas=100 values).fit: one exact fit + one LOO pass"),
            Peer("liblinreg exact fit", lib_exact, lambda _: (True, "reference operation (one exact fit)"),
                 is_liblinreg=True, is_floor=True, memory=False, note="LinearRegression().fit"),
            Peer("scikit-learn RidgeCV", sk, check, repetitions=slow_reps, note="RidgeCV(alphas=100 values), cv=None"),
        ],
        description="RidgeCV over 100 alphas (logspace(-3, 4)), scoring=None. Answers: the chosen alpha "
                    "equal to scikit-learn's and the coefficients within 1e-8.",
    )
