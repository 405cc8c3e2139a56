"""``linreg.RidgeCV``: ridge regression with the penalty chosen by exact leave-one-out.

scikit-learn's ``RidgeCV`` with ``cv=None`` and ``scoring=None``: among
``alphas``, the penalty with the smallest mean squared leave-one-out error
(over the samples, and over the targets unless ``alpha_per_target``), with
sample weights handled as scikit-learn's ``_RidgeGCV`` does (the squared
error of row i is ``w_i * r_i**2 / (1 - h_ii)**2``). liblinreg computes it
without a refit:

1. one exact fit (``linreg_fit_*``) leaves the model's statistics, a small
   triangular factor of [1, X, y] (memory independent of n);
2. one pass over the rows (``linreg_ridgecv_loo_*``) evaluates every
   penalty's leave-one-out errors from the eigendecomposition of the
   centred, weighted Gram matrix (``docs/RIDGECV_NNLS.md``);
3. ``linreg_ridgecv_solve`` solves the statistics with the chosen penalty
   (per target with ``alpha_per_target``): the coefficients are the exact
   ridge solution.

With ``cv`` given (K-fold), scikit-learn's ``GridSearchCV`` semantics: one
exact fit per training set, every alpha solved from its statistics and
scored by R^2 on the test fold. Not supported (``fit`` raises
:class:`linreg.ArgumentError`, a ValueError): ``scoring`` other than None.
``gcv_mode`` is accepted and ignored: there is one method.
"""

from __future__ import annotations

import copy
import numbers
from typing import Any, Optional

import numpy as np

from . import _arrays
from ._errors import ArgumentError
from ._ridge_cv_calls import leave_one_out_errors, solve_per_output
from .estimator import LinearRegression, _Base, _RegressorMixin

__all__ = ["RidgeCV"]

_GCV_MODES = (None, "auto", "svd", "eigen")


class RidgeCV(_RegressorMixin, _Base):
    """Ridge regression with the penalty chosen by exact leave-one-out (scikit-learn ``RidgeCV``).

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,) or float, default (0.1, 1.0, 10.0)
        Candidate penalties, each finite and > 0 (>= 0 with ``cv``).
    fit_intercept : bool, default True
        Fit an (unpenalised) intercept.
    scoring : None
        Only None: the mean squared leave-one-out error.
    cv : None, int, cross-validation generator or iterable, default None
        None: efficient (exact) leave-one-out. Otherwise scikit-learn's
        K-fold semantics (``GridSearchCV`` over ``Ridge``): for each split one
        exact fit of the training rows, every alpha solved from its statistics
        and scored by R^2 on the test rows (weighted, as scikit-learn 1.9);
        the best mean score wins. Not with ``store_cv_results`` or
        ``alpha_per_target``.
    gcv_mode : {None, "auto", "svd", "eigen"}, default None
        Accepted for compatibility and ignored.
    store_cv_results : bool, default False
        Keep every squared leave-one-out error in ``cv_results_``.
    alpha_per_target : bool, default False
        Choose one penalty per target (several targets).
    n_threads : int or None, default None
        liblinreg worker threads (None: all cores); results do not depend on it.

    Attributes
    ----------
    alpha_ : float or ndarray of shape (n_targets,)
        The chosen penalty (per target with ``alpha_per_target`` and 2-D y).
    best_score_ : float or ndarray of shape (n_targets,)
        Minus the mean squared leave-one-out error of ``alpha_``.
    cv_results_ : ndarray of shape (n_samples, n_alphas) or (n_samples, n_targets, n_alphas)
        The squared leave-one-out errors (only with ``store_cv_results``).
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_features_in_ : int
    feature_names_in_ : ndarray of str (only when X has string column names)
    estimator_ : linreg.LinearRegression
        The fitted ridge model (its ``alpha`` is ``alpha_``, or the largest
        per-target penalty); ``predict`` uses it.
    """

    def __init__(
        self,
        alphas: Any = (0.1, 1.0, 10.0),
        *,
        fit_intercept: bool = True,
        scoring: Any = None,
        cv: Any = None,
        gcv_mode: Optional[str] = None,
        store_cv_results: bool = False,
        alpha_per_target: bool = False,
        n_threads: Optional[int] = None,
    ) -> None:
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.gcv_mode = gcv_mode
        self.store_cv_results = store_cv_results
        self.alpha_per_target = alpha_per_target
        self.n_threads = n_threads

    def __sklearn_tags__(self):  # type: ignore[override]
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        tags.target_tags.required = True
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        return tags

    def __sklearn_is_fitted__(self) -> bool:
        return getattr(self, "estimator_", None) is not None

    def _checked_alphas(self) -> np.ndarray:
        name = type(self).__name__
        values = self.alphas
        if isinstance(values, (str, bytes)):
            raise ArgumentError(f"{name}: alphas must be an array-like of positive numbers, got {values!r}")
        array = np.asarray(values, dtype=object).reshape(-1) if np.ndim(values) else np.asarray([values], dtype=object)
        if array.size == 0:
            raise ArgumentError(f"{name}: alphas must not be empty")
        out = np.empty(array.size, dtype=np.float64)
        for i, a in enumerate(array):
            label = "alphas" if array.size == 1 else f"alphas[{i}]"
            if isinstance(a, bool) or not isinstance(a, numbers.Real):
                raise TypeError(f"{label} must be an instance of float, not {type(a).__name__}.")
            # leave-one-out needs alpha > 0 (as scikit-learn's _RidgeGCV); K-fold allows 0
            if self.cv is None and not (np.isfinite(float(a)) and float(a) > 0):
                raise ArgumentError(f"{label} == {a}, must be > 0.0.")
            if self.cv is not None and not (np.isfinite(float(a)) and float(a) >= 0):
                raise ArgumentError(f"{label} == {a}, must be >= 0.0.")
            out[i] = float(a)
        return out

    def _check_params(self) -> None:
        name = type(self).__name__
        if self.cv is not None and self.store_cv_results:
            raise ArgumentError("cv!=None and store_cv_results=True are incompatible")
        if self.cv is not None and self.alpha_per_target:
            raise ArgumentError("cv!=None and alpha_per_target=True are incompatible")
        if self.scoring is not None:
            raise ArgumentError(
                f"{name}: scoring={self.scoring!r} is not supported: only scoring=None "
                "(the mean squared leave-one-out error)"
            )
        if self.gcv_mode not in _GCV_MODES:
            raise ArgumentError(f"{name}: gcv_mode must be one of {_GCV_MODES}, got {self.gcv_mode!r}")
        for flag in ("fit_intercept", "store_cv_results", "alpha_per_target"):
            if getattr(self, flag) not in (True, False, 0, 1):
                raise ArgumentError(f"{name}: {flag} must be a bool, got {getattr(self, flag)!r}")

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> "RidgeCV":
        """Choose the penalty by exact leave-one-out and fit ridge with it; returns ``self``."""
        self._check_params()
        alphas = self._checked_alphas()
        est = LinearRegression(fit_intercept=bool(self.fit_intercept), n_threads=self.n_threads)
        est.fit(X, y, sample_weight=sample_weight)  # one pass: the exact statistics
        model = est._model
        data = _arrays.prepare(X, y, sample_weight)
        n, k = data.Y.shape
        rows = None
        if self.cv is not None:
            index = self._k_fold_index(data, alphas)
            chosen = np.full(k, alphas[index])
            alpha_: Any = float(alphas[index])
            best_score: Any = np.float64(self._fold_scores[index])
            self._commit(est, model, data.y_1d, chosen, alpha_, best_score, rows, k)
            return self
        sums, rows = leave_one_out_errors(model, data.X, data.Y, data.sample_weight, alphas,
                                          bool(self.store_cv_results))
        self._stream = None  # a fit starts over (statistics_pass's statistics)
        self._choose(est, model, alphas, sums, n, k, rows, data.y_1d)
        return self

    def _choose(self, est: Any, model: Any, alphas: np.ndarray, sums: np.ndarray, n: int, k: int,
                rows: Optional[np.ndarray], y_1d: bool) -> None:
        """The penalty with the smallest mean squared leave-one-out error (``sums`` over the
        ``n`` rows, shape (n_alphas, k)), then the exact ridge solution with it."""
        mean = sums / n  # (n_alphas, k): mean squared LOO error per penalty and target
        per_target = bool(self.alpha_per_target) and k > 1
        if per_target:
            best = np.argmin(mean, axis=0)  # the first of equal scores, as scikit-learn
            chosen = alphas[best]
            alpha_: Any = chosen.copy()
            best_score: Any = -mean[best, np.arange(k)]
        else:
            total = mean.mean(axis=1)
            index = int(np.argmin(total))
            chosen = np.full(k, alphas[index])
            alpha_ = float(alphas[index])
            # scikit-learn: per target (shape (1,)) when alpha_per_target with one target
            best_score = -mean[index] if self.alpha_per_target else np.float64(-total[index])
        self._commit(est, model, y_1d, chosen, alpha_, best_score, rows, k)

    def statistics_pass(self, X: Any, y: Any, sample_weight: Any = None) -> "RidgeCV":
        """Add a chunk of rows to the statistics (streaming leave-one-out); returns ``self``.

        Exact leave-one-out needs each row's leverage under the spectrum of
        all the rows, so it takes two passes: ``statistics_pass`` over every
        chunk, then :meth:`leave_one_out_pass` over the same rows (any
        chunks, any order); when the second pass has seen as many rows as the
        first, the penalty is chosen and solved exactly as ``fit`` does (not
        before: unlike scikit-learn's ``partial_fit``, a chunk alone leaves
        nothing to predict with). A ``statistics_pass`` after the second pass
        started starts it over; ``fit`` starts everything over. ``cv`` must
        be None.
        """
        self._check_params()
        if self.cv is not None:
            raise ArgumentError(f"{type(self).__name__}.statistics_pass: leave-one-out only (cv=None), got cv={self.cv!r}")
        self._checked_alphas()
        stream = getattr(self, "_stream", None)
        if stream is None:
            est = LinearRegression(fit_intercept=bool(self.fit_intercept), n_threads=self.n_threads)
            stream = {"est": est, "fitted": 0}
        stream["est"].alpha = 0.0  # the statistics' own least squares (a finished pass solved ridge)
        stream["est"].partial_fit(X, y, sample_weight=sample_weight)
        stream["fitted"] += _arrays.prepare(X, y, sample_weight).X.shape[0]
        stream["sums"], stream["passed"], stream["rows"] = None, 0, []
        self._stream = stream
        return self

    def leave_one_out_pass(self, X: Any, y: Any, sample_weight: Any = None) -> "RidgeCV":
        """Add a chunk of the rows given to :meth:`statistics_pass` (with their weights) to the
        leave-one-out errors (``linreg_ridgecv_loo_*``, additive over chunks); returns
        ``self``. Once the pass has seen every row, ``alpha_``, ``best_score_``, ``coef_``,
        ``intercept_`` (and ``cv_results_``, rows in pass order) are set."""
        stream = getattr(self, "_stream", None)
        if stream is None:
            raise ArgumentError(f"{type(self).__name__}.leave_one_out_pass: call statistics_pass over the rows first")
        alphas = self._checked_alphas()
        est = stream["est"]
        est._check_feature_names(X)
        data = _arrays.prepare(X, y, sample_weight)
        n = data.X.shape[0]
        if stream["passed"] + n > stream["fitted"]:
            raise ArgumentError(f"leave_one_out_pass: {stream['passed'] + n} rows passed, but statistics_pass saw only "
                                f"{stream['fitted']}: pass the same rows again")
        sums, rows = leave_one_out_errors(est._model, data.X, data.Y, data.sample_weight, alphas,
                                          bool(self.store_cv_results))
        stream["sums"] = sums if stream["sums"] is None else stream["sums"] + sums
        stream["passed"] += n
        if rows is not None:
            stream["rows"].append(rows)
        if stream["passed"] == stream["fitted"]:
            every = np.concatenate(stream["rows"]) if stream["rows"] else None
            self._choose_for_stream(alphas, every)
        return self

    def _choose_for_stream(self, alphas: np.ndarray, rows: Optional[np.ndarray]) -> None:
        """The choice once the stream's second pass is complete, on a copy of its estimator (the
        stream may go on: ``estimator_`` must not change with it)."""
        stream = self._stream
        final = copy.deepcopy(stream["est"])
        self._choose(final, final._model, alphas, stream["sums"], stream["fitted"], final._model.n_outputs, rows,
                     final.results_.y_1d)

    @classmethod
    def _from_passes(cls, est: Any, rows: int, sums: np.ndarray, per_row: Optional[np.ndarray],
                     params: dict) -> "RidgeCV":
        """A RidgeCV fitted from passes made elsewhere (Dask): ``est``'s exact fit of ``rows``
        rows, then the leave-one-out error ``sums`` (and ``per_row`` errors) of all of them."""
        cv = cls(**params)
        cv._check_params()
        cv._stream = {"est": est, "fitted": int(rows), "sums": sums, "passed": int(rows), "rows": []}
        cv._choose_for_stream(cv._checked_alphas(), per_row)
        return cv

    def _k_fold_index(self, data: Any, alphas: np.ndarray) -> int:
        """cv given: scikit-learn's GridSearchCV over Ridge (scoring None = R^2 of each
        test fold, weighted by the test rows' sample weights as scikit-learn 1.9 does;
        unweighted mean over the folds; the first best). One exact fit per
        training set, then every alpha solved from its statistics (linreg_ridgecv_solve)
        and scored on the test rows."""
        try:
            from sklearn.metrics import r2_score
            from sklearn.model_selection import check_cv
        except ImportError as exc:  # pragma: no cover - exercised only without scikit-learn
            raise ArgumentError(f"{type(self).__name__}: cv={self.cv!r} needs scikit-learn ({exc})") from None
        from ._model import Model, Param

        X, Y, w = data.X, data.Y, data.sample_weight
        k = Y.shape[1]
        splits = list(check_cv(self.cv, Y[:, 0] if data.y_1d else Y, classifier=False).split(X, Y))
        scores = np.zeros((len(splits), alphas.size))
        for f, (train, test) in enumerate(splits):
            part = Model(X.shape[1], k)
            part.set_param(Param.FIT_INTERCEPT, 1.0 if self.fit_intercept else 0.0)
            part.set_param(Param.THREADS, float(self.n_threads or 0))
            part.fit(X[train], Y[train], None if w is None else w[train])
            for a, alpha in enumerate(alphas):
                solve_per_output(part, np.full(k, alpha))
                pred = part.predict(X[test])
                truth = Y[test]
                if data.y_1d:
                    pred, truth = pred[:, 0], truth[:, 0]
                scores[f, a] = r2_score(truth, pred, sample_weight=None if w is None else w[test])
        self._fold_scores = scores.mean(axis=0)
        return int(np.argmax(self._fold_scores))  # the first of equal scores, as GridSearchCV

    def _commit(self, est: Any, model: Any, y_1d: bool, chosen: np.ndarray, alpha_: Any, best_score: Any,
                rows: Optional[np.ndarray], k: int) -> None:
        """Solve the full statistics with ``chosen`` and set the fitted attributes."""
        solve_per_output(model, chosen)  # the exact ridge solution, no refit
        est.alpha = float(np.max(chosen))
        results = est.results_
        est._adopt(model, getattr(est, "feature_names_in_", None), results.y_1d, results.dtype, results.ynames,
                   weighted=results._weighted)

        self.estimator_ = est
        self.alpha_ = alpha_
        self.best_score_ = best_score
        if rows is not None:
            self.cv_results_ = rows[:, 0, :] if y_1d else rows
        elif "cv_results_" in self.__dict__:
            del self.cv_results_
        # scikit-learn's shapes: a one-column y gives 1-D coef_ (intercept_ stays (1,));
        # without intercept, intercept_ is 0.0
        self.coef_ = est.coef_.ravel() if (not y_1d and k == 1) else est.coef_
        self.intercept_ = est.intercept_ if self.fit_intercept else 0.0
        self.n_features_in_ = est.n_features_in_
        if hasattr(est, "feature_names_in_"):
            self.feature_names_in_ = est.feature_names_in_
        elif "feature_names_in_" in self.__dict__:
            del self.feature_names_in_

    def predict(self, X: Any) -> np.ndarray:
        """Predictions of the fitted ridge model."""
        est = getattr(self, "estimator_", None)
        if est is None:
            from ._errors import NotFittedError

            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with appropriate "
                "arguments before using this estimator."
            )
        return est.predict(X)
