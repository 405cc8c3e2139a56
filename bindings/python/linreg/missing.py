"""The missing-data policy of :class:`linreg.LinearRegression` (``missing=``), as statsmodels'.

``"raise"`` (the default): a NaN in X, y or sample_weight is an error
(liblinreg's :class:`linreg.NonFiniteError`, naming the row and column).
``"drop"``: rows with a NaN in X, y or sample_weight (or a missing cluster
label in ``groups``: NaN or None) are removed before the fit, and their
number is reported (the estimator's ``n_dropped_`` and a note in the
summary). The passes that take the fit's rows again (``covariance_pass``,
``get_influence(X, y)``, ``residual_pass``, and their Dask versions) drop
the same rows, so they see the rows the fit saw. Infinities are never
dropped: they are errors under both policies (statsmodels'
``missing="drop"`` drops NaN only, too).
"""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np

from ._errors import ArgumentError

__all__ = ["POLICIES", "check_policy", "apply_policy", "drop_block"]

POLICIES = ("raise", "drop")


def check_policy(owner: str, missing: Any) -> str:
    """The policy, or :class:`ArgumentError` naming the argument."""
    if not isinstance(missing, str) or missing not in POLICIES:
        raise ArgumentError(f"{owner}: invalid missing={missing!r} (expected 'raise' or 'drop')")
    return missing


def _rows_with_nan(values: Any, n: int, name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        return np.zeros(n, dtype=bool)  # not numeric: the conversion for C reports it
    if array.ndim == 0 or array.shape[0] != n:
        return np.zeros(n, dtype=bool)  # a scalar weight, or a shape error reported later
    return np.isnan(array.reshape(n, -1)).any(axis=1)


def _take(values: Any, keep: np.ndarray) -> Any:
    if hasattr(values, "iloc"):  # pandas keeps its names and dtypes
        return values.iloc[keep]
    return np.asarray(values)[keep]


def _rows_with_missing_label(groups: Any, n: int) -> np.ndarray:
    """Rows whose cluster label (any of two) is missing: NaN, or None/NaN in an object array."""
    array = np.asarray(groups)
    if array.ndim == 0 or array.shape[0] != n:
        return np.zeros(n, dtype=bool)  # a shape error reported later
    flat = array.reshape(n, -1)
    if flat.dtype.kind == "f":
        return np.isnan(flat).any(axis=1)
    if flat.dtype.kind == "O":
        try:
            import pandas as pd  # None, NaN, pd.NA and NaT alike
            missing = np.asarray(pd.isna(flat), dtype=bool)
        except ImportError:
            missing = np.vectorize(lambda v: v is None or (isinstance(v, float) and v != v), otypes=[bool])(flat)
        return missing.any(axis=1)
    return np.zeros(n, dtype=bool)


def apply_policy(missing: str, X: Any, y: Any, sample_weight: Any = None,
                 groups: Any = None, allow_empty: bool = False) -> Tuple[Any, Any, Any, Any, int]:
    """``(X, y, sample_weight, groups, n_dropped)`` after the policy (unchanged for ``"raise"``).
    Every row missing is an error unless ``allow_empty`` (a chunk of a stream, a pass)."""
    if missing != "drop" or X is None or y is None:
        return X, y, sample_weight, groups, 0
    try:
        n = len(X)
    except TypeError:
        return X, y, sample_weight, groups, 0
    bad = _rows_with_nan(X, n, "X") | _rows_with_nan(y, n, "y")
    if sample_weight is not None:
        bad |= _rows_with_nan(sample_weight, n, "sample_weight")
    if groups is not None:
        bad |= _rows_with_missing_label(groups, n)
    dropped = int(bad.sum())
    if dropped == 0:
        return X, y, sample_weight, groups, 0
    if dropped == n and not allow_empty:
        raise ArgumentError(f"every one of the {n} rows has a missing value (NaN): nothing left to fit")
    keep = ~bad
    weights = sample_weight
    if sample_weight is not None and np.ndim(sample_weight) > 0:
        weights = _take(sample_weight, keep)
    labels = None if groups is None else _take(groups, keep)
    return _take(X, keep), _take(y, keep), weights, labels, dropped


def drop_block(X: Any, y: Any, sample_weight: Any = None, groups: Any = None) -> Tuple[Any, Any, Any, Any, int]:
    """``missing="drop"`` on one block of rows that may lose all of them (Dask partitions):
    ``(X, y, sample_weight, groups, n_dropped)`` as numpy arrays."""
    return apply_policy("drop", np.asarray(X), np.asarray(y), sample_weight,
                        None if groups is None else np.asarray(groups), allow_empty=True)
