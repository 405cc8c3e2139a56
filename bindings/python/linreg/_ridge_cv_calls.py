"""The C calls behind :class:`linreg.RidgeCV` (``linreg_ridgecv_loo_*``, ``linreg_ridgecv_solve``).

Kept out of :mod:`linreg._model` (the general handle wrapper): these are
functions of a :class:`linreg.Model` that already holds the exact solver's
statistics of the rows passed.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

import numpy as np

from . import _arrays
from ._errors import ArgumentError
from ._model import Model, _ptr

__all__ = ["leave_one_out_errors", "solve_per_output"]


def leave_one_out_errors(
    model: Model, X: Any, Y: Any, sample_weight: Any, alphas: np.ndarray, store: bool
) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """``(sums, per_row)``: the sums over the rows of the squared leave-one-out errors,
    shape ``(n_alphas, n_outputs)``, and with ``store`` every error, shape
    ``(n_samples, n_outputs, n_alphas)`` (else None)."""
    X2, Y2, sw, _ = _arrays.prepare_fit(X, Y, sample_weight)
    n, p = X2.shape
    if p != model.n_features or Y2.shape[1] != model.n_outputs:
        raise ArgumentError(f"X, y have shapes {X2.shape}, {Y2.shape}; the model has "
                            f"{model.n_features} features and {model.n_outputs} outputs")
    a = np.ascontiguousarray(alphas, dtype=np.float64).reshape(-1)
    sums = np.zeros((a.size, model.n_outputs), dtype=np.float64)
    rows = np.empty((n, model.n_outputs, a.size), dtype=np.float64) if store else None
    capi = model._capi
    fn = capi.linreg_ridgecv_loo_f32 if X2.dtype == np.float32 else capi.linreg_ridgecv_loo_f64
    model._check(fn(model.handle, _ptr(X2), _ptr(Y2), _ptr(sw), n, _ptr(a), a.size, _ptr(sums), _ptr(rows)))
    return sums, rows


def solve_per_output(model: Model, alphas: np.ndarray) -> None:
    """Solve the model's statistics with penalty ``alphas[j]`` for output j."""
    a = np.ascontiguousarray(alphas, dtype=np.float64).reshape(-1)
    if a.size != model.n_outputs:
        raise ArgumentError(f"{a.size} alphas for {model.n_outputs} outputs")
    model._check(model._capi.linreg_ridgecv_solve(model.handle, _ptr(a)))
