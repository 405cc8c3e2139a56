"""``linreg.dask.residual_diagnostics``: the residual pass over Dask partitions in row order.

Reference: the same estimator's residual diagnostics from one pass over the
in-memory rows, which the Python tests compare with statsmodels; 1e-12
relative (the passes differ only in where chunks join, which changes the
rounding of the moment sums, not the arithmetic). Runs on Dask's local
scheduler (no cluster needed: the pass runs on the client anyway).
"""

from __future__ import annotations

import numpy as np
import pytest

import linreg

da = pytest.importorskip("dask.array")
sm = pytest.importorskip("statsmodels.api")


def test_partitions_in_order_give_the_single_pass(advertising):
    X = advertising[["TV", "Radio", "Newspaper"]].to_numpy()
    y = advertising["Sales"].to_numpy()
    w = np.linspace(0.5, 1.5, len(y))
    dX, dy, dw = da.from_array(X, chunks=(37, 3)), da.from_array(y, chunks=37), da.from_array(w, chunks=50)
    est = linreg.dask.fit(dX, dy, dw)
    with pytest.raises(linreg.UnavailableError):
        est.diagn_  # a merged fit does not hold its rows
    diagn = linreg.dask.residual_diagnostics(est, dX, dy, dw)
    reference = linreg.LinearRegression().fit(X, y, sample_weight=w).diagn_
    for key, value in reference.items():
        assert diagn[key] == pytest.approx(value, rel=1e-12), key
    assert "Durbin-Watson:" in str(est.summary())
    res = sm.WLS(y, sm.add_constant(X), weights=w).fit()
    dw_ref = np.sum(np.diff(res.wresid) ** 2) / np.sum(res.wresid ** 2)
    assert est.diagn_["durbin_watson"] == pytest.approx(dw_ref, rel=1e-10)
