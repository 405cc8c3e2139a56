"""``linreg.LinearRegression``: a scikit-learn style estimator over liblinreg.

It follows scikit-learn's conventions (the constructor only stores its
parameters; ``fit`` validates them; fitted attributes end with ``_``) and is a
``BaseEstimator`` + ``RegressorMixin`` subclass when scikit-learn is
installed, so ``clone``, ``Pipeline``, ``cross_val_score`` and
``GridSearchCV`` work. Without scikit-learn it still offers ``get_params``,
``set_params`` and ``score`` (R^2).

Each ``fit`` builds a fresh C model (``linreg_create``, parameters, starting
weights, ``linreg_fit_*``) and keeps its handle for ``predict``; the handle
is freed when the estimator is garbage-collected. ``partial_fit`` continues
a copy of that model with one more chunk (``linreg_partial_fit_*``) and
swaps it in. ``save``/:func:`load` use liblinreg's file format; pickling
carries the model's serialized bytes.

Statistics (exact solver, ``alpha == 0``) are read at fit time. Their layout
follows statsmodels' ``OLS(y, add_constant(X))``: one entry per parameter,
the intercept (``"const"``) first when it is fitted, then the features, so
``bse_[0]`` is the intercept's standard error. For a 2-D y every statistic
gains a leading target axis.
"""

from __future__ import annotations

import math
import numbers
import os
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np

from . import _arrays
from ._errors import ArgumentError, LinregError, NotFittedError, UnavailableError
from ._model import CoefStat, Model, Param, ProgressCallback, Solver, Stat

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


_SOLVERS = {"exact": Solver.EXACT, "gd": Solver.GD, "sgd": Solver.SGD}
_MAX_SEED = 2**53
_ArrayLike = Any


def _is_int(v: Any) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


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

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_features_in_ : int
    feature_names_in_ : ndarray of str, only when X was a DataFrame with string column names
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

    Statistics exist only after an exact, unpenalised fit; otherwise reading
    them raises :class:`linreg.UnavailableError` (an ``AttributeError``).
    """

    def __init__(
        self,
        solver: str = "exact",
        fit_intercept: bool = True,
        alpha: float = 0.0,
        learning_rate: float = 0.01,
        epochs: int = 1000,
        batch_size: int = 32,
        shuffle: bool = False,
        random_state: Any = None,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        ci_level: float = 0.95,
        n_threads: Optional[int] = None,
        rcond: Optional[float] = None,
        callback: Optional[ProgressCallback] = None,
    ) -> None:
        self.solver = solver
        self.fit_intercept = fit_intercept
        self.alpha = alpha
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.random_state = random_state
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.ci_level = ci_level
        self.n_threads = n_threads
        self.rcond = rcond
        self.callback = callback

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

    def __getstate__(self) -> Dict[str, Any]:
        state = super().__getstate__() if hasattr(super(), "__getstate__") else self.__dict__.copy()
        state = dict(state)
        model = state.pop("_model", None)  # a C handle cannot be pickled: its bytes can
        if model is not None:
            state["_model_bytes"] = model.serialize()
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        state = dict(state)
        data = state.pop("_model_bytes", None)
        if hasattr(super(), "__setstate__"):
            super().__setstate__(state)
        else:  # pragma: no cover
            self.__dict__.update(state)
        if data is not None:
            self._model = Model.deserialize(data)  # weights, parameters and statistics

    # ------------------------------------------------------------------
    def _validated_params(self) -> Dict[Param, float]:
        name = type(self).__name__
        if self.solver not in _SOLVERS:
            raise ArgumentError(f"{name}: solver must be one of {sorted(_SOLVERS)}, got {self.solver!r}")
        solver = _SOLVERS[self.solver]

        def real(key: str, value: Any) -> float:
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ArgumentError(f"{name}: {key} must be a real number, got {value!r}")
            return float(value)

        def integer(key: str, value: Any) -> float:
            if not _is_int(value):
                raise ArgumentError(f"{name}: {key} must be an integer, got {value!r}")
            return float(value)

        alpha = real("alpha", self.alpha)
        momentum = real("momentum", self.momentum)
        weight_decay = real("weight_decay", self.weight_decay)
        if solver != Solver.EXACT and alpha != 0.0:
            raise ArgumentError(
                f"{name}: alpha (ridge penalty) applies to solver='exact' only; "
                "use weight_decay with solver='gd'/'sgd'"
            )
        if solver == Solver.EXACT and (momentum != 0.0 or weight_decay != 0.0):
            raise ArgumentError(f"{name}: momentum and weight_decay apply to solver='gd'/'sgd' only")
        if self.fit_intercept not in (True, False, 0, 1):
            raise ArgumentError(f"{name}: fit_intercept must be a bool, got {self.fit_intercept!r}")
        if self.shuffle not in (True, False, 0, 1):
            raise ArgumentError(f"{name}: shuffle must be a bool, got {self.shuffle!r}")
        shuffle = bool(self.shuffle)

        seed = 0.0
        if shuffle and solver == Solver.SGD:
            seed = float(self._seed())

        threads = 0.0 if self.n_threads is None else integer("n_threads", self.n_threads)
        rcond = -1.0 if self.rcond is None else real("rcond", self.rcond)
        return {
            Param.SOLVER: float(solver),
            Param.FIT_INTERCEPT: 1.0 if self.fit_intercept else 0.0,
            Param.LEARNING_RATE: real("learning_rate", self.learning_rate),
            Param.EPOCHS: integer("epochs", self.epochs),
            Param.BATCH_SIZE: integer("batch_size", self.batch_size),
            Param.SHUFFLE: 1.0 if shuffle else 0.0,
            Param.SEED: seed,
            Param.ALPHA: alpha,
            Param.WEIGHT_DECAY: weight_decay,
            Param.MOMENTUM: momentum,
            Param.CI_LEVEL: real("ci_level", self.ci_level),
            Param.THREADS: threads,
            Param.RCOND: rcond,
        }

    def _seed(self) -> int:
        rs = self.random_state
        if rs is None:
            return int(np.random.randint(0, 2**31 - 1))
        if _is_int(rs):
            if not 0 <= int(rs) <= _MAX_SEED:
                raise ArgumentError(f"random_state must be in 0 ... 2**53, got {rs}")
            return int(rs)
        if isinstance(rs, np.random.RandomState):
            return int(rs.randint(0, 2**31 - 1))
        if isinstance(rs, np.random.Generator):
            return int(rs.integers(0, 2**53, endpoint=True))
        raise ArgumentError(f"random_state must be None, an int or a numpy random generator, got {rs!r}")

    _PARAM_NAMES = {
        Param.SOLVER: "solver",
        Param.FIT_INTERCEPT: "fit_intercept",
        Param.LEARNING_RATE: "learning_rate",
        Param.EPOCHS: "epochs",
        Param.BATCH_SIZE: "batch_size",
        Param.SHUFFLE: "shuffle",
        Param.SEED: "random_state",
        Param.ALPHA: "alpha",
        Param.WEIGHT_DECAY: "weight_decay",
        Param.MOMENTUM: "momentum",
        Param.CI_LEVEL: "ci_level",
        Param.THREADS: "n_threads",
        Param.RCOND: "rcond",
    }

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
        params = self._validated_params()
        names = _arrays.feature_names_of(X)
        X2, Y2, sw, y_1d = _arrays.prepare_fit(X, y, sample_weight)
        n_samples, n_features = X2.shape
        n_targets = Y2.shape[1]
        solver = Solver(int(params[Param.SOLVER]))

        W0, b0 = self._initial_weights(coef_init, intercept_init, n_targets, n_features, y_1d)

        model = Model(n_features, n_targets)
        for key, value in params.items():
            try:
                model.set_param(key, value)
            except ArgumentError as exc:
                raise ArgumentError(
                    f"{type(self).__name__}: invalid {self._PARAM_NAMES[key]}="
                    f"{getattr(self, self._PARAM_NAMES[key])!r}: {exc.message}"
                ) from None
        if solver != Solver.EXACT:
            model.set_weights(W0, b0)

        cb = callback if callback is not None else self.callback
        model.fit(X2, Y2, sw, progress=cb)

        # -- results: assigned only after success, so a failed fit changes nothing
        stats = self._read_statistics(model, solver, params)
        self._adopt(model, stats, y_1d=y_1d, names=names,
                    y_name=getattr(y, "name", None) if y_1d else None, weighted=sw is not None)
        return self

    def _adopt(self, model: Model, stats: Any, y_1d: bool, names: Optional[np.ndarray],
               y_name: Any, weighted: bool) -> None:
        """Make ``model`` this estimator's fitted model and (re)set every fitted attribute."""
        W, b = model.get_weights()
        history = model.loss_history()
        self._model = model
        self._y_1d = y_1d
        self._y_name = y_name
        self._weighted = weighted
        self._stats = stats
        self.n_features_in_ = model.n_features
        if names is not None:
            self.feature_names_in_ = names
        elif "feature_names_in_" in self.__dict__:
            del self.feature_names_in_
        if y_1d:
            self.coef_ = W[0].copy()
            self.intercept_ = float(b[0])
        else:
            self.coef_ = W
            self.intercept_ = b
        self.loss_history_ = history

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
        params = self._validated_params()
        solver = Solver(int(params[Param.SOLVER]))
        model = getattr(self, "_model", None)
        names = _arrays.feature_names_of(X)
        if model is not None:
            self._check_feature_names(X)
            names = getattr(self, "feature_names_in_", None)
        X2, Y2, sw, y_1d = _arrays.prepare_fit(X, y, sample_weight)
        n_features, n_targets = X2.shape[1], Y2.shape[1]
        cls = type(self).__name__

        if model is None:
            work = Model(n_features, n_targets)
            y_name = getattr(y, "name", None) if y_1d else None
            weighted = sw is not None
        else:
            if n_features != self.n_features_in_:
                raise ArgumentError(
                    f"X has {n_features} features, but {cls} is expecting {self.n_features_in_} features as input."
                )
            if n_targets != model.n_outputs:
                raise ArgumentError(
                    f"y has {n_targets} target(s), but {cls} was fitted with {model.n_outputs} target(s)."
                )
            y_1d = self._y_1d
            y_name = self._y_name
            weighted = bool(self._weighted) or sw is not None
            # Continue on a copy (its bytes: weights, parameters, accumulated rows; bit for bit
            # the same model) and swap it in on success. The copy costs about as much as one
            # more row; in exchange a failed call changes nothing and predict() may run
            # concurrently on the current model, as with fit(), which also swaps a new model in.
            work = Model.deserialize(model.serialize())

        for key, value in params.items():
            try:
                work.set_param(key, value)
            except ArgumentError as exc:
                raise ArgumentError(
                    f"{cls}: invalid {self._PARAM_NAMES[key]}="
                    f"{getattr(self, self._PARAM_NAMES[key])!r}: {exc.message}"
                ) from None
        work.partial_fit(X2, Y2, sw, progress=self.callback)

        stats = self._read_statistics(work, solver, params)
        self._adopt(work, stats, y_1d=y_1d, names=names, y_name=y_name, weighted=weighted)
        return self

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
        continue :meth:`partial_fit`. Python-only details the format has no
        room for are not kept: feature names (``feature_names_in_``), the
        target's name, whether a single target was given as a 2-D column
        (a loaded one-output model is 1-D) and a ``callback``. Use pickle or
        joblib to keep those too.

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
    ) -> "LinearRegression":
        """An estimator around an existing C model (loaded, deserialized or merged).

        ``params`` are the constructor's arguments (read back from the model
        when omitted). ``y_1d`` defaults to "one output". ``weighted``
        (only the summary's OLS/WLS label) is inferred from the statistics
        when omitted.
        """
        est = cls(**(params if params is not None else _params_of(model)))
        if not model.is_fitted():
            return est
        stats = est._statistics_of(model)
        if y_1d is None:
            y_1d = model.n_outputs == 1
        if weighted is None:
            weighted = _looks_weighted(stats)
        est._adopt(model, stats, y_1d=bool(y_1d), names=None, y_name=None, weighted=weighted)
        return est

    def _statistics_of(self, model: Model):
        """The statistics a (loaded) model holds, or a string saying why there are none."""
        try:
            stats: Dict[str, Any] = {key: model.stat(key) for key in Stat}
            stats["coef"] = {key: model.coef_stat(key) for key in CoefStat}
            stats["singular"] = model.singular_values()
        except LinregError as exc:
            solver = _SOLVERS.get(self.solver, Solver.EXACT)
            why = self._read_statistics(model, solver, {Param.ALPHA: float(self.alpha), Param.CI_LEVEL: 0.0})
            return why if isinstance(why, str) else f"statistics unavailable: {exc.message}"
        stats["ci_level"] = model.get_param(Param.CI_LEVEL)
        return stats

    def _read_statistics(self, model: Model, solver: Solver, params: Dict[Param, float]):
        """Everything statistics-related, or a string saying why there is none."""
        if solver != Solver.EXACT:
            return f"statistics are only computed by the exact solver; this model was fitted with solver={self.solver!r}"
        if params[Param.ALPHA] != 0.0:
            return f"statistics are only computed for unpenalised fits; this model was fitted with alpha={self.alpha!r}"
        try:
            stats: Dict[str, Any] = {key: model.stat(key) for key in Stat}
            stats["coef"] = {key: model.coef_stat(key) for key in CoefStat}
            stats["singular"] = model.singular_values()
        except LinregError as exc:  # UNAVAILABLE, or a part of the engine not built yet
            return f"statistics unavailable: {exc.message}"
        stats["ci_level"] = params[Param.CI_LEVEL]
        return stats

    # ------------------------------------------------------------------
    def _check_fitted(self) -> Model:
        model = getattr(self, "_model", None)
        if model is None:
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )
        return model

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

    def predict(self, X: _ArrayLike) -> np.ndarray:
        """Predictions ``X @ coef_.T + intercept_``.

        Returns shape (n_samples,) when fitted on a 1-D y, else (n_samples,
        n_targets); float32 for float32/float16 X, float64 otherwise.
        """
        model = self._check_fitted()
        self._check_feature_names(X)
        X2 = _arrays.as_matrix(X, "X")
        if X2.shape[1] != self.n_features_in_:
            raise ArgumentError(
                f"X has {X2.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input."
            )
        out = model.predict(X2)
        return out.reshape(-1) if self._y_1d else out

    # ------------------------------------------------------------------
    # statistics
    def _stats_dict(self) -> Dict[str, Any]:
        self._check_fitted()
        stats = self._stats
        if isinstance(stats, str):
            raise UnavailableError(stats)
        return stats

    def _per_target(self, values: np.ndarray) -> Union[float, np.ndarray]:
        return float(values[0]) if self._y_1d else values.copy()

    def _stat(self, key: Stat) -> Union[float, np.ndarray]:
        return self._per_target(self._stats_dict()[key])

    def _params_layout(self, parts) -> np.ndarray:
        W, b = parts
        full = np.concatenate([b[:, None], W], axis=1) if self.fit_intercept else W.copy()
        return full[0] if self._y_1d else full

    @property
    def params_(self) -> np.ndarray:
        """Intercept (when fitted) then coefficients: statsmodels' ``params``."""
        self._check_fitted()
        W = np.atleast_2d(self.coef_)
        b = np.atleast_1d(self.intercept_)
        return self._params_layout((W, b))

    @property
    def bse_(self) -> np.ndarray:
        """Standard errors of ``params_``."""
        return self._params_layout(self._stats_dict()["coef"][CoefStat.STDERR])

    @property
    def tvalues_(self) -> np.ndarray:
        """t statistics of ``params_``."""
        return self._params_layout(self._stats_dict()["coef"][CoefStat.T])

    @property
    def pvalues_(self) -> np.ndarray:
        """Two-sided p-values of ``params_``."""
        return self._params_layout(self._stats_dict()["coef"][CoefStat.PVALUE])

    @property
    def rsquared_(self):
        """R^2 (uncentred without intercept, as statsmodels)."""
        return self._stat(Stat.R2)

    @property
    def rsquared_adj_(self):
        return self._stat(Stat.ADJ_R2)

    @property
    def fvalue_(self):
        return self._stat(Stat.F)

    @property
    def f_pvalue_(self):
        return self._stat(Stat.F_PVALUE)

    @property
    def llf_(self):
        """Gaussian log-likelihood."""
        return self._stat(Stat.LOGLIK)

    @property
    def aic_(self):
        return self._stat(Stat.AIC)

    @property
    def bic_(self):
        return self._stat(Stat.BIC)

    @property
    def sigma_(self):
        """Residual standard error sqrt(RSS / df_resid)."""
        return self._stat(Stat.SIGMA)

    @property
    def ssr_(self):
        """(Weighted) residual sum of squares."""
        return self._stat(Stat.RSS)

    @property
    def df_model_(self):
        return self._stat(Stat.DF_MODEL)

    @property
    def df_resid_(self):
        return self._stat(Stat.DF_RESID)

    @property
    def nobs_(self):
        return self._stat(Stat.N)

    @property
    def condition_number_(self):
        """Condition number of the design sqrt(w)*[1, X] (statsmodels' ``condition_number``)."""
        return self._stat(Stat.COND)

    @property
    def rank_(self) -> int:
        """Rank of X (centred when the intercept is fitted): liblinreg's rank minus fit_intercept."""
        rank = self._stats_dict()[Stat.RANK]
        return int(round(float(rank[0]))) - (1 if self.fit_intercept else 0)

    @property
    def singular_(self) -> np.ndarray:
        """Singular values of (sqrt(w)*) X, centred when the intercept is fitted: scikit-learn's ``singular_``."""
        return self._stats_dict()["singular"].copy()

    def conf_int(self, alpha: float = 0.05) -> np.ndarray:
        """Confidence intervals of ``params_`` at level ``1 - alpha``.

        Shape (n_params, 2) for a 1-D y, (n_targets, n_params, 2) otherwise,
        lower bound first (statsmodels' ``conf_int``). Another level than
        ``ci_level`` is computed by liblinreg on a private copy of the C model,
        so the estimator's own model is never changed (safe alongside
        concurrent ``predict`` calls).
        """
        stats = self._stats_dict()
        alpha = float(alpha)
        if not 0.0 < alpha < 1.0:
            raise ArgumentError(f"alpha must be in (0, 1), got {alpha}")
        level = 1.0 - alpha
        if level == stats["ci_level"]:
            low, high = stats["coef"][CoefStat.CI_LOW], stats["coef"][CoefStat.CI_HIGH]
        else:
            copy = Model.deserialize(self._model.serialize())
            try:
                copy.set_param(Param.CI_LEVEL, level)
                low = copy.coef_stat(CoefStat.CI_LOW)
                high = copy.coef_stat(CoefStat.CI_HIGH)
            finally:
                copy.close()
        return np.stack([self._params_layout(low), self._params_layout(high)], axis=-1)

    def summary(self, yname: Optional[str] = None, xname: Optional[Sequence[str]] = None, title: Optional[str] = None):
        """A statsmodels-style table of the fit (print it, or ``str()`` it).

        Feature names come from the DataFrame given to ``fit`` (else
        ``x1 ... xp``); the dependent variable's from a pandas Series y (else
        ``y``). Needs an exact, unpenalised fit.
        """
        from .summary import Summary

        self._stats_dict()
        return Summary.from_estimator(self, yname=yname, xname=xname, title=title)


_SOLVER_NAMES = {int(v): k for k, v in _SOLVERS.items()}


def _params_of(model: Model) -> Dict[str, Any]:
    """The constructor arguments that reproduce a C model's parameters."""
    get = model.get_param
    solver = _SOLVER_NAMES.get(int(get(Param.SOLVER)), "exact")
    shuffle = bool(get(Param.SHUFFLE))
    threads = int(get(Param.THREADS))
    rcond = get(Param.RCOND)
    return {
        "solver": solver,
        "fit_intercept": bool(get(Param.FIT_INTERCEPT)),
        "alpha": get(Param.ALPHA),
        "learning_rate": get(Param.LEARNING_RATE),
        "epochs": int(get(Param.EPOCHS)),
        "batch_size": int(get(Param.BATCH_SIZE)),
        "shuffle": shuffle,
        # the seed the shuffled SGD fit used (None, the default, draws a new one at each fit)
        "random_state": int(get(Param.SEED)) if (shuffle and solver == "sgd") else None,
        "momentum": get(Param.MOMENTUM),
        "weight_decay": get(Param.WEIGHT_DECAY),
        "ci_level": get(Param.CI_LEVEL),
        "n_threads": threads if threads != 0 else None,
        "rcond": rcond if rcond != -1.0 else None,
        "callback": None,
    }


def _looks_weighted(stats: Any) -> bool:
    """Whether statistics come from a weighted fit (only for the summary's OLS/WLS label).

    A weighted fit's log-likelihood is the unweighted formula of its (weighted)
    RSS plus 1/2 sum(log w_i) (statsmodels' WLS), so it differs from that
    formula unless the weights' logs sum to 0 (all ones, for example), when
    the fit is indistinguishable from OLS anyway.
    """
    if isinstance(stats, str):
        return False
    n = stats[Stat.N]
    rss = stats[Stat.RSS]
    llf = stats[Stat.LOGLIK]
    with np.errstate(all="ignore"):
        ols = -0.5 * n * (math.log(2.0 * math.pi) + np.log(rss / n) + 1.0)
        diff = np.abs(llf - ols)
    ok = np.isfinite(ols) & np.isfinite(llf)
    return bool(np.any(ok & (diff > 1e-9 * np.maximum(1.0, np.abs(llf)))))


def load(path: Union[str, "os.PathLike[str]"]) -> LinearRegression:
    """Load a :class:`LinearRegression` saved by :meth:`LinearRegression.save`.

    Any liblinreg model file works (``linreg_save`` from C or another
    binding). The estimator's parameters are the ones the model was fitted
    with; ``coef_``, ``intercept_``, ``n_features_in_``, ``loss_history_``
    and every statistic are restored, predictions are identical, and an exact
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
