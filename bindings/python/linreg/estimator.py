"""``linreg.LinearRegression``: a scikit-learn style estimator over liblinreg.

It follows scikit-learn's conventions (the constructor only stores its
keyword-only parameters; ``fit`` validates them; fitted attributes end with
``_``) and is a ``BaseEstimator`` + ``RegressorMixin`` subclass when
scikit-learn is installed, so ``clone``, ``Pipeline``, ``cross_val_score``
and ``GridSearchCV`` work. Without scikit-learn it still offers
``get_params``, ``set_params`` and ``score`` (R^2).

The parameters are one table (:mod:`linreg._params`): it gives the
constructor's signature (hence ``get_params``), the validation and
conversion to C values, and the errors that name an argument C refuses.

Each ``fit`` builds a fresh C model (``linreg_create``, parameters, starting
weights, ``linreg_fit_*``) and keeps its handle for ``predict``; the handle
is freed when the estimator is garbage-collected. ``partial_fit`` continues
a copy of that model with one more chunk (``linreg_partial_fit_*``) and
swaps it in. ``save``/:func:`load` use liblinreg's file format; pickling
carries the model's serialized bytes.

The fitted weights and statistics live in a :class:`linreg.RegressionResults`
(``results_``), which reads them from the C model on first use; the
estimator's statistics attributes (``params_``, ``bse_``, ``pvalues_``,
``rsquared_``, ...) are its values. Their layout follows statsmodels'
``OLS(y, add_constant(X))``: one entry per parameter, the intercept
(``"const"``) first when it is fitted, then the features, so ``bse_[0]`` is
the intercept's standard error. For a 2-D y every statistic gains a leading
target axis.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _arrays, _inference, _params, missing as _missing
from ._errors import ArgumentError, NotFittedError, UnavailableError
from ._model import Model, Param, ProgressCallback, Solver
from .results import RegressionResults, unavailable_reason
from .summary import Summary

__all__ = ["LinearRegression", "load"]

try:  # scikit-learn is optional
    from sklearn.base import BaseEstimator as _Base
    from sklearn.base import RegressorMixin as _RegressorMixin

    _HAVE_SKLEARN = True
except Exception:  # pragma: no cover - exercised only without scikit-learn
    _HAVE_SKLEARN = False
    import inspect

    class _Base:  # type: ignore[no-redef]
        """Minimal get_params/set_params when scikit-learn is absent."""

        @classmethod
        def _get_param_names(cls) -> List[str]:
            sig = inspect.signature(cls.__init__)
            return sorted(p.name for p in sig.parameters.values() if p.name != "self")

        def get_params(self, deep: bool = True) -> Dict[str, Any]:
            return {k: getattr(self, k) for k in self._get_param_names()}

        def set_params(self, **params: Any) -> "_Base":
            valid = self._get_param_names()
            for k, v in params.items():
                if k not in valid:
                    raise ValueError(f"Invalid parameter {k!r} for estimator {type(self).__name__}")
                setattr(self, k, v)
            return self

        def __repr__(self) -> str:
            args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
            return f"{type(self).__name__}({args})"

    class _RegressorMixin:  # type: ignore[no-redef]
        def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
            """R^2 of ``predict(X)`` against y (uniform average over targets)."""
            y = np.asarray(y, dtype=np.float64)
            pred = np.asarray(self.predict(X), dtype=np.float64)
            w = np.ones(y.shape[0]) if sample_weight is None else np.asarray(sample_weight, float)
            y2, p2 = y.reshape(y.shape[0], -1), pred.reshape(y.shape[0], -1)
            mean = np.average(y2, axis=0, weights=w)
            ss_res = (w[:, None] * (y2 - p2) ** 2).sum(axis=0)
            ss_tot = (w[:, None] * (y2 - mean) ** 2).sum(axis=0)
            with np.errstate(divide="ignore", invalid="ignore"):
                r2 = np.where(ss_tot > 0, 1 - ss_res / ss_tot, np.where(ss_res > 0, 0.0, 1.0))
            return float(np.mean(r2))


_ArrayLike = Any


def _fitted_model(estimator: Any) -> Model:
    """The C model of a fitted estimator (its ``_model``), or ``NotFittedError``
    with scikit-learn's message (every estimator of the package uses this)."""
    model = getattr(estimator, "_model", None)
    if model is None:
        raise NotFittedError(
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
            "appropriate arguments before using this estimator."
        )
    return model


def _from_results(name: str, doc: str) -> property:
    """A fitted attribute that is the value ``name`` of ``results_``."""

    def get(self: "LinearRegression") -> Any:
        return getattr(self._fitted_results(), name)

    get.__name__ = name + "_"
    return property(get, doc=doc)


class LinearRegression(_RegressorMixin, _Base):
    """Linear least squares (exact, ridge) or gradient descent, computed by liblinreg.

    Parameters
    ----------
    solver : {"exact", "gd", "sgd"}, default "exact"
        ``"exact"``: least squares (ridge when ``alpha > 0``), the
        minimum-norm solution when X is rank deficient. ``"gd"``: full-batch
        gradient descent on the mean squared error. ``"sgd"``: mini-batch SGD
        with ``torch.optim.SGD`` semantics.
    fit_intercept : bool, default True
        Fit an (unpenalised) intercept.
    alpha : float, default 0.0
        Ridge penalty of the exact solver: minimises RSS + alpha * ||coef||^2
        (scikit-learn ``Ridge``). Only for ``solver="exact"``; GD/SGD use
        ``weight_decay``.
    learning_rate : float, default 0.01
        GD/SGD step size (> 0).
    epochs : int, default 1000
        GD/SGD passes over the data.
    batch_size : int, default 32
        SGD rows per mini-batch (larger than n_samples means all rows).
    shuffle : bool, default False
        SGD: reshuffle the rows every epoch (seeded by ``random_state``).
    random_state : int, numpy RandomState / Generator or None, default None
        Seed of the shuffle (an int in 0 ... 2**53). None draws a seed from
        numpy's global generator at each fit, as scikit-learn does. Unused
        unless ``shuffle=True``.
    momentum : float, default 0.0
        GD/SGD momentum (0 <= m < 1), as ``torch.optim.SGD(momentum)``.
    weight_decay : float, default 0.0
        GD/SGD L2 term added to every gradient, as ``torch.optim.SGD(weight_decay)``.
    positive : bool, default False
        Non-negative least squares: every coefficient >= 0, the intercept
        free (scikit-learn ``LinearRegression(positive=True)``), solved
        exactly to the KKT conditions from the exact solver's statistics
        (liblinreg's ``LINREG_SOLVER_NNLS``), so ``partial_fit`` and merging
        work as for least squares. Needs ``solver="exact"`` and ``alpha=0``;
        no statistics (``summary()``, ``bse_``, ... raise UnavailableError).
    ci_level : float, default 0.95
        Confidence level of the intervals in :meth:`summary`.
    n_threads : int or None, default None
        liblinreg worker threads; None or 0 means all cores. Results do not
        depend on it.
    rcond : float or None, default None
        Exact solver rank rule: after each column is scaled by the power of
        two nearest 1/||column||, singular values below rcond * largest count
        as zero. None means numpy.linalg.lstsq's rule,
        max(n_samples, n_params) * eps.
    callback : callable or None, default None
        ``callback(epoch, loss)`` called after each GD/SGD epoch; return
        ``False`` to stop early. ``fit(..., callback=...)`` overrides it.
    cov_type : {"nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"}, default "nonrobust"
        Covariance estimator of every coefficient statistic (``bse_``,
        ``tvalues_``, ``pvalues_``, ``conf_int()``, ``cov_params_``), of the
        F statistic (a Wald F under a robust type) and of ``get_prediction``
        and ``f_test``: statsmodels' ``fit(cov_type=...)``. "cluster" needs
        ``fit(..., groups=...)``. Formulas: docs/INFERENCE.md.
    use_t : bool or None, default None
        Student t (True) or normal (False) p-values and intervals; None is
        statsmodels' rule (t for nonrobust, normal for the robust types).
    missing : {"raise", "drop"}, default "raise"
        Rows with a NaN in X, y or sample_weight, or a missing label in
        ``groups`` (statsmodels' ``missing``):
        an error (``"raise"``), or removed before the fit (``"drop"``; their
        number is ``n_dropped_`` and a note of the summary). Infinities are
        always errors. See :mod:`linreg.missing`.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        float32 when the fit ran on float32 data (X and y float32 or float16,
        see :mod:`linreg._arrays`), else float64: scikit-learn's convention
        that float32 input keeps float32 attributes. The arithmetic is
        double either way; ``params_`` holds the unrounded values.
    intercept_ : numpy scalar or ndarray of shape (n_targets,)
        Same type as ``coef_`` (a numpy float64 is also a Python float).
    results_ : linreg.RegressionResults
        The weights (in double) and statistics of the fit, with statsmodels'
        names; the attributes below read from it.
    params_ : ndarray of shape (n_params,) or (n_targets, n_params)
        Intercept (when fitted) then coefficients, in double (statsmodels' ``params``).
    n_features_in_ : int
    feature_names_in_ : ndarray of str, only when X was a DataFrame with string column names
        (kept by ``save``/:func:`load`: they are stored in the model)
    target_names_ : list of str, only when y was a named pandas Series or a DataFrame
        (one name per target; kept by ``save``/:func:`load` like ``feature_names_in_``)
    loss_history_ : ndarray of shape (n_epochs_run,) (empty for the exact solver;
        for a 2-D y, the loss averages over all targets, the seed's ``mse``)
    bse_, tvalues_, pvalues_ : ndarray of shape (n_params,) or (n_targets, n_params)
        Standard errors, t statistics, two-sided p-values (intercept first).
    rsquared_, rsquared_adj_, fvalue_, f_pvalue_, llf_, aic_, bic_ : float or ndarray
    rank_ : int
        Numerical rank of X, centred when the intercept is fitted
        (scikit-learn's ``rank_``): liblinreg's rank of the design, which
        counts the intercept column, minus ``fit_intercept``.
    singular_ : ndarray of shape (min(n_samples, n_features),)
        Singular values of X (of sqrt(w)*X, centred on its weighted column
        means when the intercept is fitted), largest first: scikit-learn's
        ``singular_`` (``linreg_singular_values``).
    df_model_, df_resid_, nobs_, ssr_, sigma_, condition_number_ : float or ndarray
    aliased_ : ndarray of bool, shaped like ``params_``
        The aliased (dropped) columns of a rank-deficient design, R's rule
        (their ``params_``, ``bse_``, ... are NaN; ``coef_`` is the
        minimum-norm solution). See :meth:`RegressionResults.alias`.
    n_dropped_ : int
        Rows removed by ``missing="drop"`` (summed over ``partial_fit`` chunks).

    Statistics exist only after an exact, unpenalised fit; otherwise reading
    them raises :class:`linreg.UnavailableError` (an ``AttributeError``).

    Every constructor argument is keyword-only (scikit-learn's convention);
    the arguments, their C parameters and ranges are the table
    :data:`linreg._params.PARAMS`.
    """

    def __init__(self, **params: Any) -> None:
        unknown = [k for k in params if k not in _params.BY_NAME]
        if unknown:
            raise TypeError(f"{type(self).__name__}.__init__() got an unexpected keyword argument {unknown[0]!r}")
        for spec in _params.PARAMS:
            setattr(self, spec.name, params.get(spec.name, spec.default))

    __init__.__signature__ = _params.signature()  # type: ignore[attr-defined]

    # ------------------------------------------------------------------
    # scikit-learn plumbing
    def __sklearn_tags__(self):  # type: ignore[override]
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        return tags

    def __sklearn_is_fitted__(self) -> bool:
        return getattr(self, "_model", None) is not None

    _FITTED_FIELDS = frozenset(
        {"coef_", "intercept_", "n_features_in_", "feature_names_in_", "target_names_", "loss_history_", "results_"}
    )

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails: point ``est.params`` to ``est.params_``.
        attr = getattr(type(self), name, None)
        if isinstance(attr, property):  # its getter raised AttributeError: raise that one again
            return attr.__get__(self, type(self))
        fitted = name + "_"
        if not name.startswith("_") and (
            fitted in self._FITTED_FIELDS or isinstance(getattr(type(self), fitted, None), property)
        ):
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}: fitted attributes end "
                f"with an underscore (scikit-learn's convention); did you mean {fitted!r}?"
            )
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self) -> Dict[str, Any]:
        state = super().__getstate__() if hasattr(super(), "__getstate__") else self.__dict__.copy()
        state = dict(state)
        model = state.pop("_model", None)  # a C handle cannot be pickled: its bytes can
        results = state.pop("results_", None)
        if model is not None:
            state["_model_bytes"] = model.serialize()
            state["_results_state"] = results.init_state()
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        state = dict(state)
        data = state.pop("_model_bytes", None)
        results_state = state.pop("_results_state", None)
        if hasattr(super(), "__setstate__"):
            super().__setstate__(state)
        else:  # pragma: no cover
            self.__dict__.update(state)
        if data is not None:
            self._model = Model.deserialize(data)  # weights, parameters and statistics
            self.results_ = RegressionResults(self._model, **results_state)

    # ------------------------------------------------------------------
    # parameters
    def _c_params(self) -> Dict[Param, float]:
        """The constructor arguments validated and converted to C values (see linreg._params)."""
        return _params.to_c(type(self).__name__, self._param_values())

    def _param_values(self) -> Dict[str, Any]:
        return {name: getattr(self, name) for name in _params.names()}

    def _configure(self, model: Model, c_params: Dict[Param, float]) -> None:
        """Set every C parameter on ``model`` (an error names the argument C refuses)."""
        _params.apply(model, c_params, type(self).__name__, self._param_values())

    def _initial_weights(self, coef_init: Any, intercept_init: Any, n_targets: int, n_features: int, y_1d: bool):
        W = np.zeros((n_targets, n_features), dtype=np.float64)
        b = np.zeros(n_targets, dtype=np.float64)
        if coef_init is not None:
            c = np.asarray(coef_init, dtype=np.float64)
            ok = c.shape == (n_targets, n_features) or (n_targets == 1 and c.shape == (n_features,))
            if not ok:
                want = f"({n_features},) or (1, {n_features})" if y_1d else f"({n_targets}, {n_features})"
                raise ArgumentError(f"coef_init has shape {c.shape}; expected {want}")
            W[...] = c.reshape(n_targets, n_features)
        if intercept_init is not None:
            c = np.asarray(intercept_init, dtype=np.float64)
            if c.size != n_targets or c.ndim > 1:
                raise ArgumentError(f"intercept_init has shape {c.shape}; expected {n_targets} value(s)")
            if not self.fit_intercept and np.any(c != 0):
                raise ArgumentError("intercept_init is non-zero but fit_intercept=False")
            b[...] = c.reshape(n_targets)
        return W, b

    # ------------------------------------------------------------------
    def fit(
        self,
        X: _ArrayLike,
        y: _ArrayLike,
        sample_weight: Optional[_ArrayLike] = None,
        groups: Optional[_ArrayLike] = None,
        coef_init: Optional[_ArrayLike] = None,
        intercept_init: Optional[Union[float, _ArrayLike]] = None,
        callback: Optional[ProgressCallback] = None,
    ) -> "LinearRegression":
        """Fit the model; returns ``self``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), scalar or None
            Non-negative weights, at least one positive: weighted least squares
            (statsmodels WLS, scikit-learn ``sample_weight``); for GD/SGD each
            squared error is multiplied by its row's weight.
        groups : array-like of shape (n_samples,) or (n_samples, 2), or None
            Cluster labels for ``cov_type="cluster"`` (required then, refused
            otherwise): one label per row (one-way) or two (two-way), as
            statsmodels' ``cov_kwds={"groups": groups}``.
        coef_init : array-like of shape (n_features,) or (n_targets, n_features)
            GD/SGD starting weights (default zeros). Ignored by the exact
            solver, whose answer does not depend on a start.
        intercept_init : float or array-like of shape (n_targets,)
            GD/SGD starting intercept(s) (default zeros).
        callback : callable, optional
            ``callback(epoch, loss) -> bool | None`` after every GD/SGD epoch
            (epoch counts from 0; loss is ``loss_history_[epoch]``). Return
            ``False`` to stop early (the fit then succeeds with the weights
            reached). An exception it raises stops training and propagates
            from ``fit``, which then leaves the estimator unchanged.
            Overrides the constructor's ``callback``.

        Raises
        ------
        ValueError (linreg.ArgumentError)
            Bad shape, size or parameter.
        FloatingPointError (linreg.NonFiniteError, also a ValueError)
            NaN or infinity in X, y or sample_weight.
        FloatingPointError (linreg.DivergedError)
            GD/SGD loss or weights became non-finite (learning rate too large).
        """
        c_params = self._c_params()
        policy = _missing.check_policy(type(self).__name__, self.missing)
        names = _arrays.feature_names_of(X)
        X, y, sample_weight, groups, dropped = _missing.apply_policy(policy, X, y, sample_weight, groups)
        data = _arrays.prepare(X, y, sample_weight)
        n_features, n_targets = data.X.shape[1], data.Y.shape[1]
        W0, b0 = self._initial_weights(coef_init, intercept_init, n_targets, n_features, data.y_1d)

        ynames = _arrays.target_names_of(y)
        model = Model(n_features, n_targets)
        self._configure(model, c_params)
        model.set_names(_name_list(names), ynames)  # saved with the model
        if c_params[Param.SOLVER] != Solver.EXACT:
            model.set_weights(W0, b0)
        clustered = self.cov_type == "cluster"
        if (groups is not None) != clustered:
            raise ArgumentError("groups are required with cov_type='cluster' and only then"
                                if groups is not None else "cov_type='cluster' needs fit(X, y, groups=...)")
        model.fit(data.X, data.Y, data.sample_weight, progress=callback if callback is not None else self.callback)
        if clustered and model.is_fitted() and self.solver == "exact" and float(self.alpha) == 0.0:
            # the robust covariance's second look at the data (HC types make it inside fit)
            _inference.cov_begin(model)
            _inference.cov_pass(model, data.X, data.Y, data.sample_weight, groups, whole=True)

        # assigned only after success, so a failed fit changes nothing
        self._adopt(model, names, data.y_1d, data.dtype, ynames, weighted=data.sample_weight is not None,
                    data=(data.X, data.Y, data.sample_weight), n_dropped=dropped)
        self.results_.row_labels = getattr(X, "index", None)  # pandas rows: get_influence().summary_frame()
        return self

    # ------------------------------------------------------------------
    # streaming
    def partial_fit(
        self,
        X: _ArrayLike,
        y: _ArrayLike,
        sample_weight: Optional[_ArrayLike] = None,
    ) -> "LinearRegression":
        """Fit one more chunk of rows; returns ``self`` (scikit-learn's ``partial_fit``).

        The first call on an unfitted estimator starts a model shaped by the
        chunk (its number of features and of targets, and whether y is 1-D);
        later calls continue it and need the same number of features and
        targets (and the same feature names, as :meth:`predict`). A
        :meth:`fit` starts over; ``partial_fit`` after ``fit`` continues from
        the rows (exact) or weights (GD/SGD) ``fit`` left. The current
        parameters apply to every call.

        ``solver="exact"``: liblinreg keeps the sufficient statistics of all
        rows seen (memory does not grow with them), so after every call
        ``coef_``, ``intercept_`` and every statistic (``summary()``,
        ``pvalues_``, ...) are those of one :meth:`fit` on all the rows so far
        (to 1e-10 relative, in practice to the last bit or two). Chunks may
        have any sizes and mix weighted and unweighted rows (an unweighted row
        has weight 1). ``alpha`` and ``rcond`` may change between calls;
        ``fit_intercept`` may not (``ValueError``: call :meth:`fit` to start over).

        ``solver="gd"``/``"sgd"``: one epoch over the chunk from the current
        weights (zeros at first), like ``SGDRegressor.partial_fit``; ``epochs``
        is ignored, momentum restarts at zero on each call, the epoch's loss
        is appended to ``loss_history_`` and the constructor's ``callback``
        is called with its index there.

        A failed call leaves the estimator as it was. Like :meth:`fit`, it
        installs a new C model when it succeeds (a copy of the current one
        that continued), so ``predict`` calls running meanwhile in other
        threads are safe.
        """
        c_params = self._c_params()
        policy = _missing.check_policy(type(self).__name__, self.missing)
        model = getattr(self, "_model", None)
        names = _arrays.feature_names_of(X)
        X, y, sample_weight, _, dropped = _missing.apply_policy(policy, X, y, sample_weight,
                                                                allow_empty=model is not None)
        if model is not None and dropped and len(X) == 0:
            # missing="drop" and every row of this chunk missing: nothing to add but the count
            self.results_.n_dropped += dropped
            return self
        if model is not None:
            self._check_feature_names(X)
            names = getattr(self, "feature_names_in_", None)
        data = _arrays.prepare(X, y, sample_weight)
        n_features, n_targets = data.X.shape[1], data.Y.shape[1]
        cls = type(self).__name__

        if model is None:
            work = Model(n_features, n_targets)
            y_1d, dtype, ynames = data.y_1d, data.dtype, _arrays.target_names_of(y)
            weighted = data.sample_weight is not None
            earlier = 0
        else:
            self._check_n_features(n_features)
            if n_targets != model.n_outputs:
                raise ArgumentError(
                    f"y has {n_targets} target(s), but {cls} was fitted with {model.n_outputs} target(s)."
                )
            previous = self.results_
            y_1d, dtype, ynames = previous.y_1d, previous.dtype, previous.ynames
            weighted = previous.weighted or data.sample_weight is not None
            earlier = previous.n_dropped
            # Continue on a copy (its bytes: weights, parameters, accumulated rows; bit for bit
            # the same model) and swap it in on success. The copy costs about as much as one
            # more row; in exchange a failed call changes nothing and predict() may run
            # concurrently on the current model, as with fit(), which also swaps a new model in.
            work = Model.deserialize(model.serialize())

        self._configure(work, c_params)
        work.set_names(_name_list(names), ynames)
        work.partial_fit(data.X, data.Y, data.sample_weight, progress=self.callback)
        self._adopt(work, names, y_1d, dtype, ynames, weighted=weighted, n_dropped=earlier + dropped)
        return self

    def _adopt(self, model: Model, names: Optional[np.ndarray], y_1d: bool, dtype: Any,
               ynames: Optional[List[str]], weighted: Optional[bool], data: Any = None, n_dropped: int = 0) -> None:
        """Make ``model`` this estimator's fitted model and (re)set every fitted attribute.

        ``coef_`` and ``intercept_`` are stored as ``dtype``, the type the fit
        ran in (float32 when X and y are float32: scikit-learn's convention
        that float32 input keeps float32 attributes); the results keep double.
        """
        results = RegressionResults(
            model,
            y_1d=y_1d,
            unavailable=unavailable_reason(self.solver, self.alpha, getattr(self, "positive", False)),
            dtype=dtype,
            weighted=weighted,
            xnames=None if names is None else list(names),
            ynames=ynames,
            data=data,
            n_dropped=n_dropped,
        )
        W, b = results.weights()
        dtype = results.dtype
        self._model = model
        self.results_ = results
        self.n_features_in_ = model.n_features
        if names is not None:
            self.feature_names_in_ = names
        elif "feature_names_in_" in self.__dict__:
            del self.feature_names_in_
        if ynames is not None:
            self.target_names_ = list(ynames)
        elif "target_names_" in self.__dict__:
            del self.target_names_
        if y_1d:
            self.coef_ = W[0].astype(dtype)
            self.intercept_ = dtype.type(b[0])  # a numpy scalar (a float for float64), as scikit-learn
        else:
            self.coef_ = W.astype(dtype)
            self.intercept_ = b.astype(dtype)
        self.loss_history_ = model.loss_history()

    # ------------------------------------------------------------------
    # persistence
    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Save the fitted model to ``path`` in liblinreg's file format; read it with :func:`linreg.load`.

        The file is what ``linreg_save`` writes (docs/FORMAT.md: versioned,
        little-endian, checksummed, written atomically), so C and every other
        binding can load it too. It holds the shape, the parameters the model
        was fitted with, the weights, the loss history, everything the
        statistics need and the exact solver's accumulated rows, so a loaded
        estimator predicts identically, reports the same statistics and can
        continue :meth:`partial_fit`. The feature names (``feature_names_in_``)
        and target names (``target_names_``) are kept too (format version 2).
        Python-only details the format has no room for are not: whether a
        single target was given as a 2-D column (a loaded one-output model is
        1-D) and a ``callback``. Use pickle or joblib to keep those too.

        Raises ``NotFittedError`` before a fit and :class:`linreg.LinregIOError`
        (an ``OSError``) when the file cannot be written.
        """
        self._check_fitted().save(path)

    @classmethod
    def _from_model(
        cls,
        model: Model,
        y_1d: Optional[bool] = None,
        params: Optional[Dict[str, Any]] = None,
        weighted: Optional[bool] = None,
        dtype: Any = np.float64,
    ) -> "LinearRegression":
        """An estimator around an existing C model (loaded, deserialized or merged).

        ``params`` are the constructor's arguments (read back from the model
        when omitted). ``y_1d`` defaults to "one output". ``weighted``
        (only the summary's OLS/WLS label) is inferred from the statistics
        when omitted. ``dtype`` is the type of ``coef_``/``intercept_``.
        """
        est = cls(**(params if params is not None else _params.from_model(model)))
        if model.is_fitted():
            y_1d = model.n_outputs == 1 if y_1d is None else bool(y_1d)
            features = model.feature_names()
            names = None if features is None else np.asarray(features, dtype=object)
            est._adopt(model, names, y_1d, dtype, model.target_names(), weighted=weighted)
        return est

    # ------------------------------------------------------------------
    def _check_fitted(self) -> Model:
        return _fitted_model(self)

    def _fitted_results(self) -> RegressionResults:
        self._check_fitted()
        return self.results_

    def _check_feature_names(self, X: Any) -> None:
        import warnings

        fitted = getattr(self, "feature_names_in_", None)
        given = _arrays.feature_names_of(X)
        cls = type(self).__name__
        if fitted is None and given is None:
            return
        if given is not None and fitted is None:
            warnings.warn(f"X has feature names, but {cls} was fitted without feature names", UserWarning)
            return
        if given is None and fitted is not None:
            warnings.warn(f"X does not have valid feature names, but {cls} was fitted with feature names", UserWarning)
            return
        if len(fitted) != len(given) or np.any(fitted != given):
            message = "The feature names should match those that were passed during fit.\n"
            unexpected = sorted(set(given) - set(fitted))
            missing = sorted(set(fitted) - set(given))
            if unexpected:
                message += "Feature names unseen at fit time:\n" + "".join(f"- {n}\n" for n in unexpected)
            if missing:
                message += "Feature names seen at fit time, yet now missing:\n" + "".join(f"- {n}\n" for n in missing)
            if not missing and not unexpected:
                message += "Feature names must be in the same order as they were in fit.\n"
            raise ArgumentError(message)

    def _check_n_features(self, n_features: int) -> None:
        if n_features != self.n_features_in_:
            raise ArgumentError(
                f"X has {n_features} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input."
            )

    def predict(self, X: _ArrayLike) -> np.ndarray:
        """Predictions ``X @ coef_.T + intercept_``.

        Returns shape (n_samples,) when fitted on a 1-D y, else (n_samples,
        n_targets); float32 for float32/float16 X, float64 otherwise.
        """
        model = self._check_fitted()
        self._check_feature_names(X)
        X2 = _arrays.as_matrix(X, "X")
        self._check_n_features(X2.shape[1])
        out = model.predict(X2)
        return out.reshape(-1) if self.results_.y_1d else out

    # ------------------------------------------------------------------
    # statistics: the values of results_ (statsmodels' names, plus "_")
    params_ = _from_results("params", "Intercept (when fitted) then coefficients, in double: statsmodels' ``params``.")
    bse_ = _from_results("bse", "Standard errors of ``params_``.")
    tvalues_ = _from_results("tvalues", "t statistics of ``params_``.")
    pvalues_ = _from_results("pvalues", "Two-sided p-values of ``params_``.")
    rsquared_ = _from_results("rsquared", "R^2 (uncentred without intercept, as statsmodels).")
    rsquared_adj_ = _from_results("rsquared_adj", "Adjusted R^2.")
    fvalue_ = _from_results("fvalue", "F statistic of the regression.")
    f_pvalue_ = _from_results("f_pvalue", "p-value of the F statistic.")
    llf_ = _from_results("llf", "Gaussian log-likelihood.")
    aic_ = _from_results("aic", "Akaike information criterion.")
    bic_ = _from_results("bic", "Bayesian information criterion.")
    sigma_ = _from_results("sigma", "Residual standard error sqrt(RSS / df_resid).")
    ssr_ = _from_results("ssr", "(Weighted) residual sum of squares.")
    df_model_ = _from_results("df_model", "Model degrees of freedom.")
    df_resid_ = _from_results("df_resid", "Residual degrees of freedom.")
    nobs_ = _from_results("nobs", "Number of observations.")
    condition_number_ = _from_results(
        "condition_number", "Condition number of the design sqrt(w)*[1, X] (statsmodels' ``condition_number``)."
    )

    aliased_ = _from_results(
        "aliased", "Boolean mask over ``params_``: the aliased (dropped) columns of a rank-deficient design.")
    diagn_ = _from_results(
        "diagn", "statsmodels' residual diagnostics (omni, omnipv, skew, kurtosis, durbin_watson, jb, jbpv).")

    @property
    def n_dropped_(self) -> int:
        """Rows removed by ``missing="drop"`` before the fit (summed over ``partial_fit`` chunks)."""
        return self._fitted_results().n_dropped

    def _fitted_rows(self, X: Any, y: Any, sample_weight: Any = None, groups: Any = None, allow_empty: bool = False):
        """Rows given again to a pass over the fit's rows, after the ``missing`` policy
        (``"drop"``: without the rows the fit dropped; ``allow_empty``: a chunk may lose them all)."""
        policy = _missing.check_policy(type(self).__name__, self.missing)
        X, y, sample_weight, groups, _ = _missing.apply_policy(policy, X, y, sample_weight, groups,
                                                               allow_empty=allow_empty)
        return X, y, sample_weight, groups

    def get_influence(self, X: _ArrayLike = None, y: _ArrayLike = None, sample_weight: Any = None):
        """Influence measures of the fit's rows (see :meth:`RegressionResults.get_influence`):
        statsmodels' ``OLSInfluence`` names; without arguments the rows given to ``fit``
        (with ``missing="drop"``, rows given here lose their missing values as the fit's did)."""
        X, y, sample_weight, _ = self._fitted_rows(X, y, sample_weight)
        return self._fitted_results().get_influence(X, y, sample_weight)

    def residual_pass(self, X: _ArrayLike, y: _ArrayLike, sample_weight: Any = None, append: bool = False):
        """Residual diagnostics over X, y in row order (see :meth:`RegressionResults.residual_pass`):
        for a chunked or loaded fit, whose rows the estimator does not hold (``missing="drop"``
        drops the rows with missing values first, as the fit did)."""
        X, y, sample_weight, _ = self._fitted_rows(X, y, sample_weight)
        return self._fitted_results().residual_pass(X, y, sample_weight, append=append)

    @property
    def rank_(self) -> int:
        """Rank of X (centred when the intercept is fitted): liblinreg's rank minus fit_intercept."""
        results = self._fitted_results()
        return results.rank - (1 if results.fit_intercept else 0)

    @property
    def singular_(self) -> np.ndarray:
        """Singular values of (sqrt(w)*) X, centred when the intercept is fitted: scikit-learn's ``singular_``."""
        results = self._fitted_results()
        return results.singular_values.astype(results.dtype)

    def _solver_info(self) -> Optional[Tuple[Any, int]]:
        self._check_fitted()
        try:
            return self._model.solver_info()
        except UnavailableError:
            return None

    @property
    def solver_path_(self) -> Optional[str]:
        """How the exact solver reduced the rows of the last ``fit``/``partial_fit``:
        ``"normal_equations"``, ``"residual_pass"``, ``"refined"`` or ``"householder"``
        (``linreg_get_solver_info``); None when unknown (GD/SGD, or a loaded,
        unpickled or merged model: the report is not stored)."""
        info = self._solver_info()
        return None if info is None else info[0].name.lower()

    @property
    def n_passes_(self) -> Optional[int]:
        """Passes over the data the last exact ``fit``/``partial_fit`` made (None when unknown)."""
        info = self._solver_info()
        return None if info is None else info[1]

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        """Confidence intervals of ``params_`` at level ``1 - alpha`` (see :meth:`RegressionResults.conf_int`)."""
        return self._fitted_results().conf_int(alpha)

    # ------------------------------------------------------------------
    # robust inference (docs/INFERENCE.md)
    @property
    def cov_params_(self) -> np.ndarray:
        """Covariance matrix of ``params_`` under ``cov_type`` (statsmodels' ``cov_params()``)."""
        return self._fitted_results().cov_params()

    def get_prediction(self, X: _ArrayLike, weights: Optional[_ArrayLike] = None):
        """Predicted means of the rows X with standard errors, confidence and prediction
        intervals (see :meth:`RegressionResults.get_prediction`)."""
        self._check_feature_names(X)
        return self._fitted_results().get_prediction(X, weights=weights)

    def f_test(self, r_matrix: _ArrayLike, q_matrix: Optional[_ArrayLike] = None, target: Optional[int] = None):
        """Wald F test of ``r_matrix @ params_ = q_matrix`` (see :meth:`RegressionResults.f_test`)."""
        return self._fitted_results().f_test(r_matrix, q_matrix, target=target)

    def begin_covariance_pass(self) -> "LinearRegression":
        """Start the robust covariance's pass at the current coefficients (after
        ``partial_fit``, or a model merged or fitted on Dask): then call
        :meth:`covariance_pass` on every row the model was fitted on, in any
        chunks (``linreg_cov_begin``). HC types after ``fit`` need none."""
        _inference.cov_begin(self._check_fitted())
        self._refresh_results()
        return self

    def covariance_pass(self, X: _ArrayLike, y: _ArrayLike, sample_weight: Optional[_ArrayLike] = None,
                        groups: Optional[_ArrayLike] = None) -> "LinearRegression":
        """Add one chunk of the fitted rows (with their weights and, for ``cov_type="cluster"``,
        their integer cluster labels) to the pass begun by :meth:`begin_covariance_pass`
        (``linreg_cov_pass_*``). Once every row was passed, the statistics follow ``cov_type``.
        With ``missing="drop"`` the rows with missing values (or labels) are dropped first, as
        ``partial_fit`` dropped them."""
        model = self._check_fitted()
        self._check_feature_names(X)
        X, y, sample_weight, groups = self._fitted_rows(X, y, sample_weight, groups, allow_empty=True)
        if len(X) == 0:  # missing="drop" took every row of this chunk: nothing to add
            return self
        _inference.cov_pass(model, X, y, sample_weight, groups)
        self._refresh_results()
        return self

    def _refresh_results(self) -> None:
        """A new results object over the same model (its statistics changed with the pass)."""
        state = self.results_.init_state()
        state["unavailable"] = unavailable_reason(self.solver, self.alpha)
        self.results_ = RegressionResults(self._model, **state)

    def summary(self, yname: Optional[str] = None, xname: Optional[Sequence[str]] = None,
                title: Optional[str] = None) -> Summary:
        """A statsmodels-style table of the fit (print it, or ``str()`` it).

        Feature names come from the DataFrame given to ``fit`` (else
        ``x1 ... xp``); the targets' from a pandas Series or DataFrame y (else
        ``y``, or ``y0, y1, ...``). Needs an exact, unpenalised fit.
        """
        return self._fitted_results().summary(yname=yname, xname=xname, title=title)


def _name_list(names: Optional[np.ndarray]) -> Optional[List[str]]:
    """Feature names as the list of str ``Model.set_names`` takes (None stays None)."""
    return None if names is None else [str(n) for n in names]


def load(path: Union[str, "os.PathLike[str]"]) -> LinearRegression:
    """Load a :class:`LinearRegression` saved by :meth:`LinearRegression.save`.

    Any liblinreg model file works (``linreg_save`` from C or another
    binding). The estimator's parameters are the ones the model was fitted
    with; ``coef_``, ``intercept_``, ``n_features_in_``, ``loss_history_``,
    every statistic, ``feature_names_in_`` and ``target_names_`` (when the
    model has names) are restored, predictions are identical, and an exact
    model can continue with :meth:`~LinearRegression.partial_fit`. A model
    file that was never fitted gives an unfitted estimator with its parameters.

    Raises
    ------
    linreg.LinregIOError (an OSError)
        The file cannot be opened or read (missing, a folder, no permission).
    linreg.FormatError (a ValueError)
        The file is truncated, corrupted, of another format version, or not a
        liblinreg model; the message names the field and byte offset.
    """
    return LinearRegression._from_model(Model.load(path))
