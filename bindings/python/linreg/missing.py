"""The missing-data policy of :class:`linreg.LinearRegression` (``missing=``), as statsmodels'.

``"raise"`` (the default): a NaN in X, y or sample_weight is an error
(liblinreg's :class:`linreg.NonFiniteError`, naming the row and column).
``"drop"``: rows with a NaN in X, y or sample_weight are removed before the
fit, and their number is reported (the estimator's ``n_dropped_`` and a note
in the summary). Infinities are never dropped: they are errors under both
policies (statsmodels' ``missing="drop"`` drops NaN only, too).
"""

from __future__ import annotations

from typing import Any, Tuple

import numpy as np

from ._errors import ArgumentError

__all__ = ["POLICIES", "check_policy", "apply_policy"]

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


def apply_policy(missing: str, X: Any, y: Any, sample_weight: Any = None) -> Tuple[Any, Any, Any, int]:
    """``(X, y, sample_weight, n_dropped)`` after the policy (unchanged for ``"raise"``)."""
    if missing != "drop" or X is None or y is None:
        return X, y, sample_weight, 0
    try:
        n = len(X)
    except TypeError:
        return X, y, sample_weight, 0
    bad = _rows_with_nan(X, n, "X") | _rows_with_nan(y, n, "y")
    if sample_weight is not None:
        bad |= _rows_with_nan(sample_weight, n, "sample_weight")
    dropped = int(bad.sum())
    if dropped == 0:
        return X, y, sample_weight, 0
    if dropped == n:
        raise ArgumentError(f"every one of the {n} rows has a missing value (NaN): nothing left to fit")
    keep = ~bad
    weights = sample_weight
    if sample_weight is not None and np.ndim(sample_weight) > 0:
        weights = _take(sample_weight, keep)
    return _take(X, keep), _take(y, keep), weights, dropped
