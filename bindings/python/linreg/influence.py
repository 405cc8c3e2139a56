"""Influence and outlier measures of a fit, with statsmodels' ``OLSInfluence`` names.

:meth:`linreg.RegressionResults.get_influence` (and the estimator's
``get_influence``) returns an :class:`Influence`. Every measure comes from
liblinreg's ``linreg_influence_*``: one pass over the rows, in closed form from
the fit's triangular factor (no refits, no copy of X). Without weights the
values are statsmodels' ``OLSInfluence(OLS(y, add_constant(X)).fit())``; with
weights they are R's ``lm.influence`` of a weighted ``lm`` (weighted
residuals), i.e. ``OLSInfluence`` of ``OLS(sqrt(w) * y, sqrt(w) * [1, X])``.

Shapes follow statsmodels for a 1-D y: ``(n,)`` per row, ``dfbetas`` of shape
``(n, n_params)`` with the intercept (``const``) first. A 2-D y adds a
trailing target axis: ``(n, n_targets)`` and ``dfbetas`` ``(n, n_targets,
n_params)``. In a rank-deficient fit the measures use the kept columns (R's
``lm.influence``): the rank ``r`` replaces ``k_vars`` in Cook's distance, and
the ``dfbetas`` of aliased columns are NaN.
"""

from __future__ import annotations

import math
from typing import Any, Dict, Optional, Sequence, Tuple

import numpy as np

from ._model import InfluenceMeasure, Model

__all__ = ["Influence"]


class Influence:
    """Per-row influence measures of one fit on the rows given (see the module's notes).

    Attributes
    ----------
    hat_matrix_diag : ndarray (n,)
    resid_studentized_internal, resid_studentized, resid_studentized_external : ndarray
    cooks_distance : tuple (distance, p-value)
    dffits : tuple (dffits, threshold 2 * sqrt(k / n)); dffits_internal likewise
    dfbetas : ndarray (n, n_params), const first
    resid_press : ndarray; ess_press : float (or per target)
    k_vars : int, the rank of the design (the number of parameters when full rank)
    nobs : int, the number of rows of the fit
    """

    def __init__(self, model: Model, X: Any, Y: Any, sample_weight: Any, *, y_1d: bool, fit_intercept: bool,
                 rank: int, nobs: int, xnames: Optional[Sequence[str]] = None, row_labels: Any = None) -> None:
        measures = list(InfluenceMeasure)
        values = dict(zip(measures, model.influence(X, Y, sample_weight, measures)))
        self._values: Dict[InfluenceMeasure, np.ndarray] = values
        self._y_1d = bool(y_1d)
        self._fit_intercept = bool(fit_intercept)
        self._k = model.n_outputs
        self._d = model.n_features
        self.k_vars = int(rank)
        self.nobs = int(nobs)
        names = list(xnames) if xnames is not None else [f"x{i + 1}" for i in range(self._d)]
        self._param_names = (["const"] if self._fit_intercept else []) + [str(n) for n in names]
        self._row_labels = row_labels  # a pandas index or None, for summary_frame

    def _per_target(self, kind: InfluenceMeasure) -> np.ndarray:
        values = self._values[kind]
        return values[:, 0].copy() if self._y_1d else values.copy()

    @property
    def hat_matrix_diag(self) -> np.ndarray:
        """Diagonal of the hat matrix (leverage)."""
        return self._values[InfluenceMeasure.HAT].copy()

    @property
    def resid_studentized_internal(self) -> np.ndarray:
        """Residuals over s * sqrt(1 - h_ii)."""
        return self._per_target(InfluenceMeasure.RESID_STUDENTIZED_INTERNAL)

    @property
    def resid_studentized(self) -> np.ndarray:
        """Alias of :attr:`resid_studentized_internal` (statsmodels' name too)."""
        return self.resid_studentized_internal

    @property
    def resid_studentized_external(self) -> np.ndarray:
        """Residuals over s_(i) * sqrt(1 - h_ii), s_(i) leaving row i out."""
        return self._per_target(InfluenceMeasure.RESID_STUDENTIZED_EXTERNAL)

    @property
    def cooks_distance(self) -> Tuple[np.ndarray, np.ndarray]:
        """(Cook's distance, its p-value under F(k_vars, df_resid))."""
        return (self._per_target(InfluenceMeasure.COOKS_DISTANCE), self._per_target(InfluenceMeasure.COOKS_PVALUE))

    def _threshold(self) -> float:
        return 2.0 * math.sqrt(self.k_vars / self.nobs) if self.nobs > 0 else math.nan

    @property
    def dffits(self) -> Tuple[np.ndarray, float]:
        """(DFFITS from the externally studentized residuals, threshold 2 sqrt(k_vars / nobs))."""
        return self._per_target(InfluenceMeasure.DFFITS), self._threshold()

    @property
    def dffits_internal(self) -> Tuple[np.ndarray, float]:
        """(DFFITS from the internally studentized residuals, threshold)."""
        h = self.hat_matrix_diag
        factor = np.sqrt(h / (1.0 - h))
        internal = self.resid_studentized_internal
        return internal * (factor if self._y_1d else factor[:, None]), self._threshold()

    @property
    def resid_press(self) -> np.ndarray:
        """PRESS residuals e_i / (1 - h_ii) (leave-one-out prediction errors)."""
        return self._per_target(InfluenceMeasure.RESID_PRESS)

    @property
    def ess_press(self):
        """Sum of squared PRESS residuals (a float for a 1-D y, else one per target)."""
        press = self._values[InfluenceMeasure.RESID_PRESS]
        total = np.einsum("ij,ij->j", press, press)
        return float(total[0]) if self._y_1d else total

    @property
    def dfbetas(self) -> np.ndarray:
        """Scaled change of each parameter when row i is left out; parameters const first."""
        raw = self._values[InfluenceMeasure.DFBETAS]
        n, k, d = raw.shape[0], self._k, self._d
        weights = raw[:, : k * d].reshape(n, k, d)
        if self._fit_intercept:
            full = np.concatenate([raw[:, k * d :].reshape(n, k, 1), weights], axis=2)
        else:
            full = weights
        return full[:, 0, :].copy() if self._y_1d else full

    def summary_frame(self):
        """statsmodels' ``OLSInfluence.summary_frame()``: a DataFrame with ``dfb_<param>`` columns,
        ``cooks_d``, ``standard_resid``, ``hat_diag``, ``dffits_internal``, ``student_resid`` and
        ``dffits``, indexed like X (1-D y only)."""
        import pandas as pd

        if not self._y_1d:
            raise ValueError("summary_frame needs a single target (a 1-D y), as statsmodels'")
        index = self._row_labels
        frame = pd.DataFrame(self.dfbetas, columns=["dfb_" + n for n in self._param_names], index=index)
        return frame.join(pd.DataFrame({
            "cooks_d": self.cooks_distance[0],
            "standard_resid": self.resid_studentized_internal,
            "hat_diag": self.hat_matrix_diag,
            "dffits_internal": self.dffits_internal[0],
            "student_resid": self.resid_studentized_external,
            "dffits": self.dffits[0],
        }, index=frame.index))

    def __repr__(self) -> str:
        return f"<linreg.Influence: {self.hat_matrix_diag.shape[0]} rows, k_vars={self.k_vars}>"
