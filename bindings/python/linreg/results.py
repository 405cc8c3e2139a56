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
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _arrays, _inference
from ._errors import ArgumentError, LinregError, UnavailableError
from ._model import RESIDUAL_STATS, CoefStat, Model, Param, Stat
from .inference import ContrastResults, PredictionResults
from .influence import Influence
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
    data : tuple (X, Y, sample_weight) or None
        The rows of the fit (as given to C, no copy), kept for the residual
        diagnostics and influence measures; None when the fit was made in
        chunks or loaded (then pass the data to :meth:`residual_pass` and
        :meth:`get_influence`). Not pickled.
    n_dropped : int
        Rows the estimator's ``missing="drop"`` policy removed before the fit.
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
        data: Optional[Tuple[Any, Any, Any]] = None,
        n_dropped: int = 0,
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
        self._data = data
        self.n_dropped = int(n_dropped)
        self._pass_model: Optional[Model] = None  # private copy for residual passes
        self._diagn: Optional[Dict[str, np.ndarray]] = None
        #: The pandas index of the fit's rows (set by ``fit``), for ``get_influence().summary_frame()``.
        self.row_labels: Any = None

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
            "n_dropped": self.n_dropped,
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
                stats: Dict[Any, Any] = {key: model.stat(key) for key in Stat if key not in RESIDUAL_STATS}
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
        """Intercept (when fitted) then coefficients, in double.

        In a rank-deficient fit, R's convention: the coefficients of the
        reduced design (aliased columns dropped) for the kept columns, NaN for
        the aliased ones (see :attr:`aliased`); the estimator's ``coef_``
        keeps the minimum-norm solution. Without statistics (GD/SGD, ridge),
        the weights."""
        if self.unavailable is None and self.available:
            return self._coef(CoefStat.ESTIMATE)
        return self._layout(self.weights())

    @property
    def aliased(self) -> np.ndarray:
        """Boolean mask over :attr:`params`: True for an aliased (dropped) column of a
        rank-deficient design (R's rule, ``linreg_get_alias``)."""
        mask = self._coef(CoefStat.ALIASED)
        return np.asarray(mask == 1.0)

    def alias(self) -> np.ndarray:
        """R's ``alias()`` "Complete" matrix, ``(n_params, n_params)`` in :attr:`params`' order:
        row a of an aliased parameter holds the coefficients of the kept parameters whose
        combination equals its design column; every other entry is 0."""
        self._statistics()
        full = self.model.alias()  # features then intercept
        if self.fit_intercept:
            order = [self.n_features] + list(range(self.n_features))
        else:
            order = list(range(self.n_features))
        return full[np.ix_(order, order)]

    # ------------------------------------------------------------------
    # influence and residual diagnostics (they read the data)
    def _rows(self, X: Any, y: Any, sample_weight: Any, what: str) -> Tuple[Any, Any, Any]:
        if X is None and y is None:
            if self._data is None:
                raise UnavailableError(
                    f"{what} need the fit's rows, which this results object does not hold (a chunked, "
                    "merged or loaded fit): pass X and y (and sample_weight)")
            return self._data
        if X is None or y is None:
            raise ArgumentError("give both X and y, or neither (the fit's own rows)")
        return X, y, sample_weight

    def get_influence(self, X: Any = None, y: Any = None, sample_weight: Any = None) -> Influence:
        """Influence and outlier measures (statsmodels' ``OLSInfluence`` names) of the fit's rows.

        Without arguments, the rows given to ``fit``. With X and y (and the
        fitting ``sample_weight``), those rows, which must be rows of the fit:
        a fit made in chunks is measured chunk by chunk. One pass over the
        rows (``linreg_influence_*``); needs an exact, unpenalised fit.
        """
        stats = self._statistics()
        own = X is None and y is None
        X, y, sample_weight = self._rows(X, y, sample_weight, "influence measures")
        rank = int((~np.atleast_2d(self.aliased)[0]).sum())  # the kept columns
        return Influence(self.model, X, y, sample_weight, y_1d=self.y_1d, fit_intercept=self.fit_intercept,
                         rank=rank, nobs=int(round(float(stats[Stat.N][0]))), xnames=self.xnames,
                         row_labels=self.row_labels if own else getattr(X, "index", None))

    def residual_pass(self, X: Any, y: Any, sample_weight: Any = None, append: bool = False) -> Dict[str, Any]:
        """Run the residual pass (``linreg_residual_pass_*``) over X, y in row order and return :attr:`diagn`.

        ``append=True`` continues the previous pass with the rows that follow
        (chunks in order give the diagnostics of one pass over all of them).
        Works on a private copy of the C model, which the fit never shares.
        """
        if self._pass_model is None:
            self._pass_model = Model.deserialize(self.model.serialize())
        self._pass_model.residual_pass(X, y, sample_weight, append=append)
        stats = {key: self._pass_model.stat(key) for key in RESIDUAL_STATS}
        self._diagn = {
            "omni": stats[Stat.OMNIBUS], "omnipv": stats[Stat.OMNIBUS_PVALUE],
            "skew": stats[Stat.SKEW], "kurtosis": stats[Stat.KURTOSIS],
            "durbin_watson": stats[Stat.DURBIN_WATSON],
            "jb": stats[Stat.JARQUE_BERA], "jbpv": stats[Stat.JARQUE_BERA_PVALUE],
        }
        return self.diagn

    @property
    def diagn(self) -> Dict[str, Any]:
        """The residual diagnostics of statsmodels' summary: ``omni``, ``omnipv``, ``skew``,
        ``kurtosis``, ``durbin_watson``, ``jb``, ``jbpv`` (floats for a 1-D y, else one per
        target), of the weighted residuals sqrt(w) * (y - fitted) in row order. Computed on first
        use from the fit's rows, or by :meth:`residual_pass` for a chunked or loaded fit."""
        if self._diagn is None:
            X, y, sample_weight = self._rows(None, None, None, "residual diagnostics")
            self.residual_pass(X, y, sample_weight)
        assert self._diagn is not None
        return {key: self._per_target(value) for key, value in self._diagn.items()}

    def _diagnostics_or_none(self) -> Optional[List[Dict[str, float]]]:
        """Per target, the residual diagnostics, or None when they cannot be computed."""
        if self._diagn is None and self._data is None:
            return None
        self.diagn  # noqa: B018 - computes them
        assert self._diagn is not None
        return [{key: float(value[t]) for key, value in self._diagn.items()} for t in range(self.n_targets)]

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

    # ------------------------------------------------------------------
    # covariance estimator (docs/INFERENCE.md): cov_type, cov_params,
    # get_prediction, f_test -- statsmodels' names
    @property
    def cov_type(self) -> str:
        """The covariance estimator of every coefficient statistic: "nonrobust", "HC0" ... "HC3" or "cluster"."""
        from ._params import _COV_TYPE_NAMES

        return _COV_TYPE_NAMES.get(int(self.model.get_param(Param.COV_TYPE)), "nonrobust")

    @property
    def use_t(self) -> bool:
        """Whether p-values and intervals use Student's t (else the normal distribution)."""
        value = self.model.get_param(Param.USE_T)
        return self.cov_type == "nonrobust" if value == -1.0 else bool(value)

    def cov_params(self) -> np.ndarray:
        """Covariance matrix of ``params`` under ``cov_type``: (n_params, n_params),
        or (n_targets, n_params, n_params) for a 2-D y (``linreg_get_cov_params``)."""
        self._statistics()
        try:
            full = _inference.cov_params(self.model)
        except LinregError as exc:
            raise UnavailableError(f"statistics unavailable: {exc.message}") from None
        if not self.fit_intercept:
            full = full[:, 1:, 1:]
        return full[0] if self.y_1d else full

    def _restrictions(self, r_matrix: Any) -> np.ndarray:
        """statsmodels' r_matrix (in params order) as liblinreg's (intercept column first, always)."""
        R = np.atleast_2d(np.asarray(r_matrix, dtype=np.float64))
        n_params = self.n_features + (1 if self.fit_intercept else 0)
        if R.ndim != 2 or R.shape[1] != n_params:
            raise ArgumentError(f"r_matrix must have {n_params} columns (one per parameter); got shape {R.shape}")
        return R if self.fit_intercept else np.concatenate([np.zeros((R.shape[0], 1)), R], axis=1)

    def f_test(self, r_matrix: Any, q_matrix: Any = None, target: Optional[int] = None) -> ContrastResults:
        """Wald F test of ``r_matrix @ params = q_matrix`` under ``cov_type`` (statsmodels' ``f_test``
        with an array, or a tuple ``(r_matrix, q_matrix)`` as statsmodels takes it; q
        defaults to zeros). ``target`` picks the target of a 2-D y."""
        self._statistics()
        if isinstance(r_matrix, tuple) and len(r_matrix) == 2 and q_matrix is None:
            r_matrix, q_matrix = r_matrix
        if target is None:
            if self.n_targets != 1:
                raise ArgumentError(f"the fit has {self.n_targets} targets: pass target=0 ... {self.n_targets - 1}")
            target = 0
        R = self._restrictions(r_matrix)
        q = None if q_matrix is None else np.asarray(q_matrix, dtype=np.float64).reshape(-1)
        try:
            f, p, dn, dd = _inference.wald_test(self.model, int(target), R, q)
        except UnavailableError as exc:
            raise UnavailableError(f"statistics unavailable: {exc.message}") from None
        return ContrastResults(f, p, dn, dd)

    def get_prediction(self, exog: Any, weights: Any = None) -> PredictionResults:
        """Predictions for the rows ``exog`` (n_samples, n_features) -- without the constant
        column -- with standard errors and intervals under ``cov_type`` (statsmodels'
        ``get_prediction``); ``weights`` divide the residual variance of the
        observation interval, as statsmodels' ``weights``."""
        self._statistics()
        row_labels = exog.index if _arrays._is_dataframe(exog) else None
        X = _arrays.as_matrix(exog, "X", dtype=np.float64)
        if X.shape[1] != self.n_features:
            raise ArgumentError(f"X has {X.shape[1]} features, but the fit has {self.n_features}")
        try:
            return PredictionResults(self.model, X, weights, self.y_1d, row_labels=row_labels)
        except UnavailableError as exc:
            raise UnavailableError(f"statistics unavailable: {exc.message}") from None

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

        def rows(parts: Tuple[np.ndarray, np.ndarray]) -> np.ndarray:
            Wp, bp = parts
            return np.concatenate([bp[:, None], Wp], axis=1) if self.fit_intercept else Wp

        coef = stats["coef"]
        tables = [
            np.column_stack(columns)
            for columns in zip(
                rows(coef[CoefStat.ESTIMATE]),
                *(rows(coef[key]) for key in (CoefStat.STDERR, CoefStat.T, CoefStat.PVALUE,
                                              CoefStat.CI_LOW, CoefStat.CI_HIGH)),
            )
        ]
        per_target = [{key: float(stats[key][t]) for key in Stat if key not in RESIDUAL_STATS} for t in range(k)]
        aliased = rows(coef[CoefStat.ALIASED])
        return Summary.build(
            tables=tables,
            stats=per_target,
            names=names,
            ynames=ynames,
            fit_intercept=self.fit_intercept,
            weighted=self.weighted,
            ci_level=float(stats["ci_level"]),
            title=title,
            cov_type=str(getattr(self, "cov_type", "nonrobust")),
            use_t=bool(getattr(self, "use_t", True)),
            diagnostics=self._diagnostics_or_none(),
            aliased=[row == 1.0 for row in aliased],
            n_dropped=self.n_dropped,
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

