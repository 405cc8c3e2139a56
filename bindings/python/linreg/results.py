"""The results of a fit: weights and statistics, with statsmodels' names.

A :class:`RegressionResults` belongs to one fitted C model (which it never
changes) and reads from it on first use: the weights, and -- after an exact,
unpenalised fit -- every statistic at once (``linreg_get_stat``,
``linreg_get_coef_stats``, ``linreg_singular_values``). Layout follows
statsmodels' ``OLS(y, add_constant(X))`` results: one entry per parameter, the
intercept (``"const"``) first when it is fitted, then the features; a 2-D y
adds a leading target axis. :class:`linreg.LinearRegression` exposes it as
``results_`` and through its fitted attributes (``params_``, ``bse_``, ...).

Statistics that the fit does not hold (GD/SGD, ridge) raise
:class:`linreg.UnavailableError` (also an ``AttributeError``) saying why.
"""

from __future__ import annotations

import math
from typing import Any, Dict, Optional, Sequence, Tuple, Union

import numpy as np

from ._errors import ArgumentError, LinregError, UnavailableError
from ._model import CoefStat, Model, Param, Stat
from .summary import Summary

__all__ = ["RegressionResults"]

_Value = Union[float, np.ndarray]


def unavailable_reason(solver: str, alpha: Any, positive: bool = False) -> Optional[str]:
    """Why a fit with these parameters has no statistics (None: it has them)."""
    if positive:
        return "statistics are not computed for a constrained fit; this model was fitted with positive=True"
    if solver != "exact":
        return f"statistics are only computed by the exact solver; this model was fitted with solver={solver!r}"
    if float(alpha) != 0.0:
        return f"statistics are only computed for unpenalised fits; this model was fitted with alpha={alpha!r}"
    return None


class RegressionResults:
    """Weights and inference statistics of one fit (read lazily from its C model).

    Parameters
    ----------
    model : linreg.Model
        The fitted C model (not modified; kept alive by this object).
    y_1d : bool
        Whether y was 1-D: each value is then per parameter (a float for the
        fit statistics) instead of per target.
    unavailable : str or None
        Why the fit holds no statistics (see :func:`unavailable_reason`).
    dtype : numpy dtype, default float64
        The type of the estimator's ``coef_``/``intercept_``/``singular_``
        (float32 for float32 X); the statistics here are always double.
    weighted : bool or None
        Whether sample weights were given (only the summary's OLS/WLS
        label); None infers it from the statistics (a loaded model).
    xnames, ynames : list of str or None
        Feature and target names for the summary.
    """

    def __init__(
        self,
        model: Model,
        *,
        y_1d: bool,
        unavailable: Optional[str] = None,
        dtype: Any = np.float64,
        weighted: Optional[bool] = None,
        xnames: Optional[Sequence[str]] = None,
        ynames: Optional[Sequence[str]] = None,
    ) -> None:
        self.model = model
        self.y_1d = bool(y_1d)
        self.unavailable = unavailable
        self.dtype = np.dtype(dtype)
        self._weighted = weighted
        self.xnames = None if xnames is None else [str(n) for n in xnames]
        self.ynames = None if ynames is None else [str(n) for n in ynames]
        self.fit_intercept = bool(model.get_param(Param.FIT_INTERCEPT))
        self.n_features = model.n_features
        self.n_targets = model.n_outputs
        self._weights: Optional[Tuple[np.ndarray, np.ndarray]] = None
        self._stats: Optional[Dict[Any, Any]] = None

    # -- pickling: the model travels as its serialized bytes
    def init_state(self) -> Dict[str, Any]:
        """The constructor arguments other than the model."""
        return {
            "y_1d": self.y_1d,
            "unavailable": self.unavailable,
            "dtype": self.dtype.str,
            "weighted": self._weighted,
            "xnames": self.xnames,
            "ynames": self.ynames,
        }

    def __reduce__(self):
        return (_rebuild, (self.model.serialize(), self.init_state()))

    # ------------------------------------------------------------------
    # reading from the C model
    def weights(self) -> Tuple[np.ndarray, np.ndarray]:
        """``(W, b)`` in double: W of shape (n_targets, n_features), b of shape (n_targets,)."""
        if self._weights is None:
            self._weights = self.model.get_weights()
        return self._weights

    def _statistics(self) -> Dict[Any, Any]:
        if self._stats is None:
            if self.unavailable is not None:
                raise UnavailableError(self.unavailable)
            model = self.model
            try:
                stats: Dict[Any, Any] = {key: model.stat(key) for key in Stat}
                stats["coef"] = {key: model.coef_stat(key) for key in CoefStat}
                stats["singular"] = model.singular_values()
            except LinregError as exc:  # LINREG_E_UNAVAILABLE
                self.unavailable = f"statistics unavailable: {exc.message}"
                raise UnavailableError(self.unavailable) from None
            stats["ci_level"] = model.get_param(Param.CI_LEVEL)
            self._stats = stats
        return self._stats

    @property
    def available(self) -> bool:
        """Whether the fit holds statistics."""
        try:
            self._statistics()
        except UnavailableError:
            return False
        return True

    # ------------------------------------------------------------------
    # layout helpers
    def _per_target(self, values: np.ndarray) -> _Value:
        return float(values[0]) if self.y_1d else values.copy()

    def _layout(self, parts: Tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """(per-target coefficient rows, per-target intercepts) -> statsmodels' parameter layout."""
        W, b = parts
        full = np.concatenate([b[:, None], W], axis=1) if self.fit_intercept else W.copy()
        return full[0] if self.y_1d else full

    def _stat(self, key: Stat) -> _Value:
        return self._per_target(self._statistics()[key])

    def _coef(self, key: CoefStat) -> np.ndarray:
        return self._layout(self._statistics()["coef"][key])

    # ------------------------------------------------------------------
    # statsmodels' names
    @property
    def params(self) -> np.ndarray:
        """Intercept (when fitted) then coefficients, in double."""
        return self._layout(self.weights())

    @property
    def bse(self) -> np.ndarray:
        """Standard errors of ``params``."""
        return self._coef(CoefStat.STDERR)

    @property
    def tvalues(self) -> np.ndarray:
        """t statistics of ``params``."""
        return self._coef(CoefStat.T)

    @property
    def pvalues(self) -> np.ndarray:
        """Two-sided p-values of ``params``."""
        return self._coef(CoefStat.PVALUE)

    @property
    def rsquared(self) -> _Value:
        """R^2 (uncentred without intercept, as statsmodels)."""
        return self._stat(Stat.R2)

    @property
    def rsquared_adj(self) -> _Value:
        return self._stat(Stat.ADJ_R2)

    @property
    def fvalue(self) -> _Value:
        return self._stat(Stat.F)

    @property
    def f_pvalue(self) -> _Value:
        return self._stat(Stat.F_PVALUE)

    @property
    def llf(self) -> _Value:
        """Gaussian log-likelihood."""
        return self._stat(Stat.LOGLIK)

    @property
    def aic(self) -> _Value:
        return self._stat(Stat.AIC)

    @property
    def bic(self) -> _Value:
        return self._stat(Stat.BIC)

    @property
    def sigma(self) -> _Value:
        """Residual standard error sqrt(RSS / df_resid)."""
        return self._stat(Stat.SIGMA)

    @property
    def ssr(self) -> _Value:
        """(Weighted) residual sum of squares."""
        return self._stat(Stat.RSS)

    @property
    def df_model(self) -> _Value:
        return self._stat(Stat.DF_MODEL)

    @property
    def df_resid(self) -> _Value:
        return self._stat(Stat.DF_RESID)

    @property
    def nobs(self) -> _Value:
        return self._stat(Stat.N)

    @property
    def condition_number(self) -> _Value:
        """Condition number of the design sqrt(w)*[1, X] (statsmodels' ``condition_number``)."""
        return self._stat(Stat.COND)

    @property
    def rank(self) -> int:
        """Numerical rank of the design, the intercept column included (statsmodels' ``rank``)."""
        return int(round(float(self._statistics()[Stat.RANK][0])))

    @property
    def singular_values(self) -> np.ndarray:
        """Singular values of (sqrt(w)*) X, centred when the intercept is fitted, largest first."""
        return self._statistics()["singular"].copy()

    @property
    def ci_level(self) -> float:
        """Confidence level of the summary's intervals."""
        return float(self._statistics()["ci_level"])

    @property
    def weighted(self) -> bool:
        """Whether the fit was weighted (the summary's OLS/WLS label)."""
        if self._weighted is None:
            self._weighted = _looks_weighted(self._statistics()) if self.available else False
        return self._weighted

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        """Confidence intervals of ``params`` at level ``1 - alpha``.

        Shape (n_params, 2) for a 1-D y, (n_targets, n_params, 2) otherwise,
        lower bound first (statsmodels' ``conf_int``). Another level than
        ``ci_level`` is computed by liblinreg on a private copy of the C
        model, so the fitted model is never changed (safe alongside
        concurrent ``predict`` calls).
        """
        stats = self._statistics()
        alpha = float(alpha)
        if not 0.0 < alpha < 1.0:
            raise ArgumentError(f"alpha must be in (0, 1), got {alpha}")
        level = 1.0 - alpha
        if level == stats["ci_level"]:
            low, high = stats["coef"][CoefStat.CI_LOW], stats["coef"][CoefStat.CI_HIGH]
        else:
            copy = Model.deserialize(self.model.serialize())
            try:
                copy.set_param(Param.CI_LEVEL, level)
                low = copy.coef_stat(CoefStat.CI_LOW)
                high = copy.coef_stat(CoefStat.CI_HIGH)
            finally:
                copy.close()
        return np.stack([self._layout(low), self._layout(high)], axis=-1)

    def summary(
        self, yname: Optional[str] = None, xname: Optional[Sequence[str]] = None, title: Optional[str] = None
    ) -> Summary:
        """A statsmodels-style table of the fit (print it, or ``str()`` it).

        Feature names default to the DataFrame columns given to ``fit`` (else
        ``x1 ... xp``); target names to the pandas Series' name or the
        DataFrame's columns (else ``y``, or ``y0, y1, ...``). An explicit
        ``yname`` with several targets becomes ``yname0, yname1, ...``.
        """
        stats = self._statistics()
        if xname is None:
            xname = self.xnames if self.xnames is not None else [f"x{i + 1}" for i in range(self.n_features)]
        xname = list(xname)
        if len(xname) != self.n_features:
            raise ValueError(f"xname has {len(xname)} names for {self.n_features} features")
        k = self.n_targets
        if yname is None and self.ynames is not None and len(self.ynames) == k:
            ynames = list(self.ynames)
        else:
            yname = "y" if yname is None else yname
            ynames = [str(yname)] if k == 1 else [f"{yname}{i}" for i in range(k)]
        names = (["const"] if self.fit_intercept else []) + [str(n) for n in xname]
        W, b = self.weights()

        def rows(parts: Tuple[np.ndarray, np.ndarray]) -> np.ndarray:
            Wp, bp = parts
            return np.concatenate([bp[:, None], Wp], axis=1) if self.fit_intercept else Wp

        coef = stats["coef"]
        tables = [
            np.column_stack(columns)
            for columns in zip(
                rows((W, b)),
                *(rows(coef[key]) for key in (CoefStat.STDERR, CoefStat.T, CoefStat.PVALUE,
                                              CoefStat.CI_LOW, CoefStat.CI_HIGH)),
            )
        ]
        per_target = [{key: float(stats[key][t]) for key in Stat} for t in range(k)]
        return Summary.build(
            tables=tables,
            stats=per_target,
            names=names,
            ynames=ynames,
            fit_intercept=self.fit_intercept,
            weighted=self.weighted,
            ci_level=float(stats["ci_level"]),
            title=title,
        )

    def __repr__(self) -> str:
        kind = "statistics" if self.unavailable is None else "no statistics"
        return (f"<RegressionResults: {self.n_targets} target(s), {self.n_features} feature(s), "
                f"intercept={self.fit_intercept}, {kind}>")


def _rebuild(data: bytes, state: Dict[str, Any]) -> RegressionResults:
    return RegressionResults(Model.deserialize(data), **state)


def _looks_weighted(stats: Dict[Any, Any]) -> bool:
    """Whether statistics come from a weighted fit (only for the summary's OLS/WLS label).

    A weighted fit's log-likelihood is the unweighted formula of its (weighted)
    RSS plus 1/2 sum(log w_i) (statsmodels' WLS), so it differs from that
    formula unless the weights' logs sum to 0 (all ones, for example), when
    the fit is indistinguishable from OLS anyway.
    """
    n = stats[Stat.N]
    rss = stats[Stat.RSS]
    llf = stats[Stat.LOGLIK]
    with np.errstate(all="ignore"):
        ols = -0.5 * n * (math.log(2.0 * math.pi) + np.log(rss / n) + 1.0)
        diff = np.abs(llf - ols)
    ok = np.isfinite(ols) & np.isfinite(llf)
    return bool(np.any(ok & (diff > 1e-9 * np.maximum(1.0, np.abs(llf)))))

