"""C calls of robust inference (experimental API): the covariance pass, its
merging, the covariance matrix, Wald tests and prediction intervals.

Functions over a :class:`linreg.Model` (one C call each, arrays converted
and shape-checked first, so nothing can make C read or write out of bounds).
The math is liblinreg's; see docs/INFERENCE.md.
"""

from __future__ import annotations

from ctypes import POINTER, byref, c_double, c_int64
from typing import Any, Optional, Tuple

import numpy as np

from . import _arrays
from ._errors import ArgumentError
from ._model import Model, _ptr

__all__ = ["cov_begin", "cov_pass", "cov_merge", "cov_params", "wald_test", "predict_interval", "group_codes"]

#: The six columns linreg_predict_interval_f64 writes per row and output.
PREDICTION_COLUMNS = ("mean", "mean_se", "mean_ci_lower", "mean_ci_upper", "obs_ci_lower", "obs_ci_upper")


def group_codes(groups: Any, n_samples: int, numbering: bool = True) -> Tuple[np.ndarray, int]:
    """Cluster labels as a C-contiguous int64 ``(n_samples, n_ways)`` array and n_ways.

    ``groups`` is one label per row (one-way) or an ``(n_samples, 2)`` array
    (two-way), as statsmodels' ``cov_kwds={"groups": ...}``. Integer labels
    are used as they are (so chunks and Dask partitions agree on them);
    other labels (strings, floats, ...) are numbered by ``np.unique`` over the
    rows given, which is only consistent within one call: with ``numbering``
    False (chunked and distributed passes) they are refused instead.
    """
    arr = np.asarray(groups)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim not in (1, 2) or arr.shape[0] != n_samples or (arr.ndim == 2 and arr.shape[1] != 2):
        raise ArgumentError(
            f"groups must have one label per row (shape ({n_samples},)) or two ({n_samples}, 2); got shape {arr.shape}"
        )
    columns = [arr] if arr.ndim == 1 else [arr[:, 0], arr[:, 1]]
    codes = []
    for column in columns:
        if column.dtype.kind in "iub" and column.dtype != np.uint64:
            codes.append(column.astype(np.int64, copy=False))
        else:
            if not numbering:
                raise ArgumentError(
                    f"groups must be integer labels when the pass is split into chunks (got dtype {column.dtype}): "
                    "number them consistently across chunks first, e.g. with a dict or pandas.factorize on all rows"
                )
            if column.dtype.kind == "f" and not np.all(np.isfinite(column)):
                raise ArgumentError("groups contains NaN or infinity")
            codes.append(np.unique(column, return_inverse=True)[1].reshape(-1).astype(np.int64))
    # One-way int64 labels are passed as they are (no copy).
    out = np.ascontiguousarray(codes[0]).reshape(-1, 1) if len(codes) == 1 else np.ascontiguousarray(np.stack(codes, axis=1))
    return out, out.shape[1]


def cov_begin(model: Model) -> None:
    """``linreg_cov_begin``: start a covariance pass at the model's coefficients."""
    model._check(model._capi.linreg_cov_begin(model.handle))


def cov_pass(model: Model, X: Any, Y: Any, sample_weight: Any = None, groups: Any = None,
             whole: bool = False) -> None:
    """``linreg_cov_pass_*``: add rows (with their fit's weights and, for clusters, labels).

    ``whole``: these are all the rows (one-shot fit), so labels of any type may be numbered here.
    """
    X2, Y2, sw, _ = _arrays.prepare_fit(X, Y, sample_weight)
    n, p = X2.shape
    if p != model.n_features:
        raise ArgumentError(f"X has {p} features, but the model has {model.n_features}")
    if Y2.shape[1] != model.n_outputs:
        raise ArgumentError(f"y has {Y2.shape[1]} targets, but the model has {model.n_outputs} outputs")
    codes, ways = (None, 0) if groups is None else group_codes(groups, n, numbering=whole)
    f32 = X2.dtype == np.float32
    fn = model._capi.linreg_cov_pass_f32 if f32 else model._capi.linreg_cov_pass_f64
    gp = None if codes is None else codes.ctypes.data_as(POINTER(c_int64))
    model._check(fn(model.handle, _ptr(X2), _ptr(Y2), _ptr(sw), gp, ways, n))


def cov_merge(into: Model, other: Model) -> None:
    """``linreg_cov_merge``: add other's covariance pass to into's."""
    if other is into:
        raise ArgumentError("cannot merge a covariance pass into itself")
    into._check(into._capi.linreg_cov_merge(into.handle, other.handle))


def cov_params(model: Model) -> np.ndarray:
    """``linreg_get_cov_params``: shape ``(n_outputs, n_features + 1, n_features + 1)``, intercept first."""
    q = model.n_features + 1
    out = np.empty((model.n_outputs, q, q), dtype=np.float64)
    model._check(model._capi.linreg_get_cov_params(model.handle, _ptr(out)))
    return out


def wald_test(model: Model, output: int, R: np.ndarray, q: Optional[np.ndarray]) -> Tuple[float, float, float, float]:
    """``linreg_wald_test``: (F, p-value, df_num, df_denom); R is ``(m, n_features + 1)``, intercept column first."""
    R = np.ascontiguousarray(R, dtype=np.float64)
    if R.ndim != 2 or R.shape[1] != model.n_features + 1 or R.shape[0] < 1:
        raise ArgumentError(f"R must have shape (m, {model.n_features + 1}); got {R.shape}")
    if q is not None:
        q = np.ascontiguousarray(q, dtype=np.float64).reshape(-1)
        if q.shape[0] != R.shape[0]:
            raise ArgumentError(f"q has {q.shape[0]} values for {R.shape[0]} restrictions")
    f, p, dn, dd = c_double(), c_double(), c_double(), c_double()
    model._check(model._capi.linreg_wald_test(model.handle, int(output), _ptr(R), _ptr(q), R.shape[0],
                                              byref(f), byref(p), byref(dn), byref(dd)))
    return float(f.value), float(p.value), float(dn.value), float(dd.value)


def predict_interval(model: Model, X: Any, sample_weight: Any, level: float) -> np.ndarray:
    """``linreg_predict_interval_f64``: shape ``(n, n_outputs, 6)`` in :data:`PREDICTION_COLUMNS` order."""
    X2 = _arrays.as_matrix(X, "X", dtype=np.float64)
    n = X2.shape[0]
    if X2.shape[1] != model.n_features:
        raise ArgumentError(f"X has {X2.shape[1]} features, but the model has {model.n_features}")
    sw = None
    if sample_weight is not None:
        sw = np.ascontiguousarray(np.broadcast_to(np.asarray(sample_weight, dtype=np.float64), (n,)))
    out = np.empty((n, model.n_outputs, len(PREDICTION_COLUMNS)), dtype=np.float64)
    if n == 0:
        return out
    model._check(model._capi.linreg_predict_interval_f64(model.handle, _ptr(X2), _ptr(sw), n, float(level),
                                                         _ptr(out)))
    return out
