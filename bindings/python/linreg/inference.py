"""Results of inference beyond the coefficient table, with statsmodels' names:
:class:`PredictionResults` (``get_prediction``) and :class:`ContrastResults`
(``f_test``). Both are computed by liblinreg (``linreg_predict_interval_f64``,
``linreg_wald_test``) under the fit's ``cov_type``; see docs/INFERENCE.md.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from . import _inference
from ._errors import ArgumentError

__all__ = ["PredictionResults", "ContrastResults"]


def _alpha(alpha: float) -> float:
    alpha = float(alpha)
    if not 0.0 < alpha < 1.0:
        raise ArgumentError(f"alpha must be in (0, 1), got {alpha}")
    return alpha


class PredictionResults:
    """Predictions for new rows with their uncertainty (statsmodels' ``PredictionResults``).

    ``predicted_mean`` and ``se_mean`` have shape (n,) for a 1-D y, (n,
    n_targets) otherwise. Intervals at any level come from liblinreg on demand.
    """

    def __init__(self, model: Any, X: np.ndarray, weights: Optional[np.ndarray], y_1d: bool,
                 row_labels: Any = None) -> None:
        self._model = model
        self._X = X
        self._weights = weights
        self._y_1d = y_1d
        self.row_labels = row_labels
        table = _inference.predict_interval(model, X, weights, 0.95)
        self._shape = lambda a: a[:, 0] if y_1d else a
        self.predicted_mean = self._shape(table[:, :, 0]).copy()
        self.se_mean = self._shape(table[:, :, 1]).copy()

    def _table(self, alpha: float) -> np.ndarray:
        return _inference.predict_interval(self._model, self._X, self._weights, 1.0 - _alpha(alpha))

    def conf_int(self, obs: bool = False, alpha: float = 0.05) -> np.ndarray:
        """Bounds of the mean's confidence interval (``obs=True``: of the observation /
        prediction interval) at level ``1 - alpha``: shape (n, 2), or (n, n_targets, 2)."""
        table = self._table(alpha)
        columns = (4, 5) if obs else (2, 3)
        out = table[:, :, list(columns)]
        return out[:, 0, :] if self._y_1d else out

    def summary_frame(self, alpha: float = 0.05):
        """A pandas DataFrame with statsmodels' columns: mean, mean_se, mean_ci_lower,
        mean_ci_upper, obs_ci_lower, obs_ci_upper (one target only)."""
        import pandas as pd

        table = self._table(alpha)
        if table.shape[1] != 1:
            raise ArgumentError("summary_frame needs a single target; use conf_int for several")
        return pd.DataFrame(table[:, 0, :], columns=list(_inference.PREDICTION_COLUMNS), index=self.row_labels)


class ContrastResults:
    """A Wald F test of linear restrictions (statsmodels' ``ContrastResults`` of ``f_test``)."""

    def __init__(self, fvalue: float, pvalue: float, df_num: float, df_denom: float) -> None:
        self.fvalue = fvalue
        self.pvalue = pvalue
        self.df_num = df_num
        self.df_denom = df_denom
        self.statistic = fvalue
        self.distribution = "F"

    def __repr__(self) -> str:
        return (f"<F test: F={self.fvalue!r}, p={self.pvalue!r}, df_denom={self.df_denom:g}, "
                f"df_num={self.df_num:g}>")
