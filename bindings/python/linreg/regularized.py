"""``linreg.Lasso``, ``linreg.ElasticNet``, ``linreg.LassoCV``, ``linreg.ElasticNetCV``.

scikit-learn's estimators of the same names (parameter names, objective,
fitted attributes), computed by liblinreg's coordinate descent on the
statistics its exact solver accumulates (``linreg_enet_*``, see
docs/REGULARIZED.md). The objective, for each target independently, is
scikit-learn's::

    1 / (2 * n_samples) * ||y - X w - b||^2_2   (sample weights rescaled to sum n_samples)
    + alpha * l1_ratio * ||w||_1 + 0.5 * alpha * (1 - l1_ratio) * ||w||^2_2

with the intercept unpenalised. ``fit`` reads X once (one exact accumulation);
the solver then works on the small Gram matrix only, so ``partial_fit``
continues from every row seen so far, and ``linreg.dask`` style merges work
too (:meth:`ElasticNet.from_model`).

The CV estimators read the data once for all folds: each test fold's rows are
accumulated into their own model (a slice of X, no copy, for scikit-learn's
default contiguous ``KFold``), the folds are merged into the total, and each
training set is the total minus its fold. The alpha grid comes from the full
data and each training fold is centred on its own means, as scikit-learn's
``LassoCV``.

Parameters scikit-learn has that do not apply here are accepted and checked
but change nothing: ``precompute`` (the solver always works on the Gram
matrix), ``copy_X`` (X is never modified), ``verbose``, ``n_jobs`` (the
library's own threads are used) and ``random_state``. ``selection`` must be
"cyclic" and ``warm_start`` False (random selection and warm starts are not
implemented: they raise ``NotImplementedError``).
"""

from __future__ import annotations

import numbers
from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from . import _arrays, _enet
from ._errors import ArgumentError
from ._model import Model, Param
from .estimator import LinearRegression, _Base, _RegressorMixin, _fitted_model, _name_list

__all__ = ["ElasticNet", "Lasso", "ElasticNetCV", "LassoCV", "enet_path", "lasso_path"]


def _warn_if_not_converged(gaps, iters, max_iter: int) -> None:
    """scikit-learn's ConvergenceWarning when a solve used every allowed sweep
    (the reported duality gap then says how far from optimal it stopped)."""
    import warnings

    iters = np.atleast_1d(np.asarray(iters))
    if not np.any(iters >= max_iter):
        return
    try:
        from sklearn.exceptions import ConvergenceWarning as category
    except Exception:  # pragma: no cover - without scikit-learn
        category = UserWarning
    gap = float(np.max(np.atleast_1d(gaps)))
    warnings.warn("Objective did not converge. You might want to increase the number of iterations, check the "
                  "scale of the features or consider increasing regularisation. "
                  f"Duality gap: {gap:.6e} after {int(max_iter)} iterations.", category, stacklevel=3)


def _check_number(name: str, value: Any, low: float, high: float = np.inf, *, integer: bool = False,
                  low_open: bool = False) -> None:
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        raise ArgumentError(f"The '{name}' parameter must be {'an int' if integer else 'a float'}; got {value!r}")
    if not np.isfinite(value) or value < low or (low_open and value == low) or value > high:
        rng = f"{'(' if low_open else '['}{low}, {high}]"
        raise ArgumentError(f"The '{name}' parameter must be in the range {rng}; got {value!r}")


class _EnetMixin:
    """Validation, fitted-attribute handling and prediction shared by the four estimators."""

    _check_feature_names = LinearRegression._check_feature_names
    _check_n_features = LinearRegression._check_n_features

    def __sklearn_tags__(self):  # type: ignore[override]
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = self._multi_output
        tags.target_tags.single_output = True
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        return tags

    def __sklearn_is_fitted__(self) -> bool:
        return getattr(self, "_model", None) is not None

    def __getstate__(self):
        state = dict(self.__dict__)
        model = state.pop("_model", None)  # a C handle cannot be pickled: its bytes can
        if model is not None:
            state["_model_bytes"] = model.serialize()
        return state

    def __setstate__(self, state):
        state = dict(state)
        data = state.pop("_model_bytes", None)
        self.__dict__.update(state)
        if data is not None:
            self._model = Model.deserialize(data)

    def _check_common(self) -> None:
        if not isinstance(self.fit_intercept, (bool, np.bool_)):
            raise ArgumentError(f"The 'fit_intercept' parameter must be a bool; got {self.fit_intercept!r}")
        if not isinstance(self.positive, (bool, np.bool_)):
            raise ArgumentError(f"The 'positive' parameter must be a bool; got {self.positive!r}")
        _check_number("tol", self.tol, 0.0)
        _check_number("max_iter", self.max_iter, 1, 2**31 - 1, integer=True)
        if getattr(self, "selection", "cyclic") != "cyclic":
            if self.selection == "random":
                raise NotImplementedError("selection='random' is not implemented by liblinreg: use 'cyclic'")
            raise ArgumentError(f"The 'selection' parameter must be 'cyclic' or 'random'; got {self.selection!r}")
        if getattr(self, "warm_start", False):
            raise NotImplementedError("warm_start=True is not implemented by liblinreg (every fit starts from zero)")

    def _options(self, l1_ratio: float) -> dict:
        return dict(l1_ratio=float(l1_ratio), fit_intercept=bool(self.fit_intercept), positive=bool(self.positive),
                    tol=float(self.tol), max_iter=int(self.max_iter))

    @staticmethod
    def _new_model(n_features: int, n_targets: int) -> Model:
        # The statistics always carry the intercept's column, so the weighted
        # objective's normaliser (the sum of the weights) is known even when no
        # intercept is fitted (fit_intercept is passed to the solver instead).
        model = Model(n_features, n_targets)
        model.set_param(Param.FIT_INTERCEPT, 1)
        return model

    def _set_fitted(self, model: Model, names, y_1d: bool, dtype, gaps: np.ndarray, iters: np.ndarray) -> None:
        W, b = model.get_weights()
        dtype = np.dtype(dtype)
        self._model = model
        self._y_1d = y_1d
        self.n_features_in_ = model.n_features
        if names is not None:
            self.feature_names_in_ = names
        elif "feature_names_in_" in self.__dict__:
            del self.feature_names_in_
        if y_1d:
            self.coef_ = W[0].astype(dtype)
            self.intercept_ = dtype.type(b[0])
            self.dual_gap_ = float(gaps[0])
            self.n_iter_ = int(iters[0])
        else:
            self.coef_ = W.astype(dtype)
            self.intercept_ = b.astype(dtype)
            self.dual_gap_ = np.asarray(gaps, dtype=np.float64)
            self.n_iter_ = [int(i) for i in iters]

    def _check_fitted(self) -> Model:
        return _fitted_model(self)

    def predict(self, X) -> np.ndarray:
        """Predictions ``X @ coef_.T + intercept_`` (1-D when fitted on a 1-D y)."""
        model = self._check_fitted()
        self._check_feature_names(X)
        X2 = _arrays.as_matrix(X, "X")
        self._check_n_features(X2.shape[1])
        out = model.predict(X2)
        return out.reshape(-1) if self._y_1d else out

    @property
    def sparse_coef_(self):
        """``coef_`` as a scipy sparse matrix (scikit-learn's attribute)."""
        from scipy import sparse

        return sparse.csr_matrix(np.atleast_2d(self.coef_))


def enet_path(X, y, *, l1_ratio=0.5, eps=1e-3, n_alphas="deprecated", alphas=100, precompute="auto", Xy=None,
              copy_X=True, coef_init=None, verbose=False, return_n_iter=False, positive=False, check_input=True,
              tol=1e-4, max_iter=1000, sample_weight=None, **params):
    """scikit-learn's ``enet_path``: the elastic-net path by coordinate descent,
    *without intercept* (center X and y first, as scikit-learn expects), from
    one accumulation of X (no exact solve, no second pass).

    Returns ``(alphas, coefs, dual_gaps)`` (and ``n_iters`` with
    ``return_n_iter``): coefs ``(n_features, n_alphas)``, or
    ``(n_targets, n_features, n_alphas)`` for a 2-D y; alphas decreasing (an int
    gives scikit-learn's grid of that many values). ``precompute``, ``Xy``,
    ``copy_X``, ``verbose`` and ``check_input`` are accepted for compatibility
    (the statistics are always computed from X; a given ``Xy`` is not used);
    ``coef_init`` (a warm start) is not implemented.
    """
    if params:
        raise ArgumentError(f"Unexpected parameters in params {sorted(params)}")
    if coef_init is not None:
        raise NotImplementedError("coef_init (a warm start of the path) is not implemented by liblinreg")
    if not (isinstance(n_alphas, str) and n_alphas == "deprecated"):
        import warnings

        warnings.warn("'n_alphas' was deprecated in 1.9 and will be removed in 1.11. 'alphas' now accepts an "
                      "integer value which removes the need to pass 'n_alphas'.", FutureWarning, stacklevel=2)
        alphas = n_alphas
    elif alphas is None:
        import warnings

        warnings.warn("'alphas=None' is deprecated and will be removed in 1.11, at which point the default value "
                      "will be set to 100. Set 'alphas=100' to silence this warning.", FutureWarning, stacklevel=2)
        alphas = 100
    _check_number("l1_ratio", l1_ratio, 0.0, 1.0)
    data = _arrays.prepare(_densify(X), _densify(y), sample_weight)
    if positive and not data.y_1d and data.Y.shape[1] > 1:
        raise ArgumentError("positive=True is not allowed for multi-output (y.ndim != 1)")
    model = Model(data.X.shape[1], data.Y.shape[1])
    model.set_param(Param.FIT_INTERCEPT, 1)  # the sum of the weights, even without intercept
    _enet.accumulate(model, data.X, data.Y, data.sample_weight)
    grid = _grid(model, alphas, float(l1_ratio), eps, fit_intercept=False, positive=bool(positive))
    coefs, _, gaps, iters = _enet.path(model, grid, l1_ratio=float(l1_ratio), fit_intercept=False,
                                       positive=bool(positive), tol=float(tol), max_iter=int(max_iter))
    _warn_if_not_converged(gaps, iters, int(max_iter))
    coefs = np.moveaxis(coefs, 0, -1)  # (k, d, n_alphas)
    if data.y_1d:
        out = (grid, coefs[0], gaps[:, 0])
        n_iters = [int(i) for i in iters[:, 0]]
    else:
        out = (grid, coefs, gaps.max(axis=1))
        n_iters = [int(i) for i in iters.max(axis=1)]
    return out + (n_iters,) if return_n_iter else out


def lasso_path(X, y, *, eps=1e-3, n_alphas="deprecated", alphas=100, precompute="auto", Xy=None, copy_X=True,
               coef_init=None, verbose=False, return_n_iter=False, positive=False, **params):
    """scikit-learn's ``lasso_path``: :func:`enet_path` with l1_ratio = 1."""
    return enet_path(X, y, l1_ratio=1.0, eps=eps, n_alphas=n_alphas, alphas=alphas, precompute=precompute, Xy=Xy,
                     copy_X=copy_X,
                     coef_init=coef_init, verbose=verbose, return_n_iter=return_n_iter, positive=positive,
                     **params)


def _densify(a):
    return a.toarray() if hasattr(a, "toarray") and hasattr(a, "nnz") else a


class ElasticNet(_EnetMixin, _RegressorMixin, _Base):
    """Linear regression with combined L1 and L2 priors (scikit-learn's ``ElasticNet``).

    Parameters
    ----------
    alpha : float, default 1.0
        Penalty strength (>= 0).
    l1_ratio : float, default 0.5
        Mixing parameter, 0 <= l1_ratio <= 1 (1 is the lasso).
    fit_intercept : bool, default True
    precompute, copy_X : accepted for compatibility (see the module documentation).
    max_iter : int, default 1000
        Coordinate-descent sweeps at most.
    tol : float, default 1e-4
        Stop when the duality gap is at most ``tol * ||y - mean(y)||^2 / n_samples``
        (scikit-learn's rule; ``dual_gap_`` reports it).
    warm_start : must be False.
    positive : bool, default False
        Constrain the coefficients to be >= 0.
    random_state : unused (cyclic selection).
    selection : must be "cyclic".

    Attributes: ``coef_``, ``intercept_``, ``dual_gap_``, ``n_iter_``,
    ``n_features_in_``, ``feature_names_in_``, ``sparse_coef_``.
    """

    _multi_output = True
    _fixed_l1_ratio: Optional[float] = None

    def __init__(self, alpha=1.0, *, l1_ratio=0.5, fit_intercept=True, precompute=False, max_iter=1000,
                 copy_X=True, tol=1e-4, warm_start=False, positive=False, random_state=None, selection="cyclic"):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def _l1_ratio(self) -> float:
        return self._fixed_l1_ratio if self._fixed_l1_ratio is not None else self.l1_ratio

    def _check_params(self) -> None:
        _check_number("alpha", self.alpha, 0.0)
        _check_number("l1_ratio", self._l1_ratio(), 0.0, 1.0)
        self._check_common()

    def fit(self, X, y, sample_weight=None, check_input=True) -> "ElasticNet":
        """Fit on X (n_samples, n_features) and y (n_samples,) or (n_samples, n_targets)."""
        self._check_params()
        names = _arrays.feature_names_of(X)
        data = _arrays.prepare(X, y, sample_weight)
        model = self._new_model(data.X.shape[1], data.Y.shape[1])
        model.set_names(_name_list(names), _arrays.target_names_of(y))
        model.fit(data.X, data.Y, data.sample_weight)
        self._solve(model, names, data.y_1d, data.dtype)
        return self

    def partial_fit(self, X, y, sample_weight=None) -> "ElasticNet":
        """Add one more chunk of rows and refit on every row seen so far.

        The result equals ``fit`` on all the chunks together (the statistics
        are merged exactly; the solver then runs on them).
        """
        self._check_params()
        names = _arrays.feature_names_of(X)
        data = _arrays.prepare(X, y, sample_weight)
        current = getattr(self, "_model", None)
        if current is None:
            model = self._new_model(data.X.shape[1], data.Y.shape[1])
        else:
            self._check_feature_names(X)
            self._check_n_features(data.X.shape[1])
            if data.Y.shape[1] != current.n_outputs:
                raise ArgumentError(f"y has {data.Y.shape[1]} targets; the model was fitted with {current.n_outputs}")
            model = Model.deserialize(current.serialize())  # the estimator changes only on success
            names = getattr(self, "feature_names_in_", None)
        model.partial_fit(data.X, data.Y, data.sample_weight)
        y_1d = data.y_1d if current is None else self._y_1d
        self._solve(model, names, y_1d, data.dtype)
        return self

    path = staticmethod(enet_path)

    def _solve(self, model: Model, names, y_1d: bool, dtype) -> None:
        if self.alpha == 0:
            import warnings

            warnings.warn("With alpha=0, this algorithm does not converge well. You are advised to use the "
                          "LinearRegression estimator", UserWarning, stacklevel=3)
        gaps, iters = _enet.fit(model, float(self.alpha), **self._options(self._l1_ratio()))
        _warn_if_not_converged(gaps, iters, int(self.max_iter))
        self._set_fitted(model, names, y_1d, dtype, gaps, iters)

    @classmethod
    def from_model(cls, model, **params) -> "ElasticNet":
        """The estimator fitted on the statistics a :class:`linreg.Model` (or an
        exactly fitted :class:`linreg.LinearRegression`, e.g. the result of
        :func:`linreg.dask.fit`) holds, after ``fit``, ``partial_fit``,
        ``merge`` or loading: no pass over the data. With ``fit_intercept=True``
        the statistics must have been accumulated with an intercept. The
        model is copied, not changed."""
        if isinstance(model, LinearRegression):
            model = model._check_fitted()
        if not isinstance(model, Model):
            raise TypeError(f"from_model needs a linreg.Model or a fitted LinearRegression, got {type(model).__name__}")
        est = cls(**params)
        est._check_params()
        copy = Model.deserialize(model.serialize())
        names = copy.feature_names()
        est._solve(copy, None if names is None else np.asarray(names, dtype=object), copy.n_outputs == 1,
                   np.float64)
        return est

class Lasso(ElasticNet):
    """Linear model trained with an L1 prior (scikit-learn's ``Lasso``): ElasticNet with l1_ratio = 1."""

    _fixed_l1_ratio = 1.0
    path = staticmethod(lasso_path)

    def __init__(self, alpha=1.0, *, fit_intercept=True, precompute=False, copy_X=True, max_iter=1000, tol=1e-4,
                 warm_start=False, positive=False, random_state=None, selection="cyclic"):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection


def _grid(model: Model, alphas, l1_ratio: float, eps: float, *, fit_intercept: bool, positive: bool) -> np.ndarray:
    """An int gives scikit-learn's automatic grid on ``model``; an array its values sorted decreasing."""
    if isinstance(alphas, numbers.Integral) and not isinstance(alphas, bool):
        _check_number("alphas", alphas, 1, integer=True)
        _check_number("eps", eps, 0.0, low_open=True)
        if l1_ratio == 0:
            raise ArgumentError(
                "Automatic alpha grid generation is not supported for l1_ratio=0. Please supply a grid by "
                "providing your estimator with the appropriate `alphas=` argument.")
        return _enet.alpha_grid(model, l1_ratio=l1_ratio, fit_intercept=fit_intercept, positive=positive,
                                eps=float(eps), n_alphas=int(alphas))
    for i, a in enumerate(np.asarray(alphas, dtype=object).reshape(-1)):
        if isinstance(a, bool) or not isinstance(a, numbers.Real):
            raise TypeError(f"alphas[{i}] must be an instance of float, not {type(a).__name__}.")
    values = np.asarray(alphas, dtype=np.float64).reshape(-1)
    if values.size < 1:
        raise ArgumentError("alphas must not be empty")
    for i, a in enumerate(values):
        if not np.isfinite(a) or a < 0:
            raise ArgumentError(f"alphas[{i}] == {a}, must be >= 0.0.")
    return np.sort(values)[::-1].copy()


def _warn_column_vector() -> None:
    import warnings

    try:
        from sklearn.exceptions import DataConversionWarning as category
    except Exception:  # pragma: no cover - without scikit-learn
        category = UserWarning
    warnings.warn("A column-vector y was passed when a 1d array was expected. Please change the shape of y to "
                  "(n_samples, ), for example using ravel().", category, stacklevel=3)


def _kfold_bounds(n_samples: int, n_splits: int) -> List[Tuple[int, int]]:
    """The test folds of scikit-learn's ``KFold(n_splits)`` (contiguous,
    unshuffled) as (start, stop): the first ``n_samples % n_splits`` folds
    have one extra row."""
    if n_splits < 2:
        raise ArgumentError(f"k-fold cross-validation requires at least one train/test split by setting n_splits=2 "
                            f"or more, got n_splits={n_splits}.")
    if n_splits > n_samples:
        raise ArgumentError(f"Cannot have number of splits n_splits={n_splits} greater than the number of "
                            f"samples: n_samples={n_samples}.")
    sizes = [n_samples // n_splits + (1 if f < n_samples % n_splits else 0) for f in range(n_splits)]
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    return [(int(starts[f]), int(starts[f + 1])) for f in range(n_splits)]


def _kfold(n_samples: int, n_splits: int) -> List[Tuple[np.ndarray, np.ndarray]]:
    """scikit-learn's ``KFold(n_splits)`` as (train, test) index arrays."""
    out, everything = [], np.arange(n_samples)
    for start, stop in _kfold_bounds(n_samples, n_splits):
        out.append((np.concatenate([everything[:start], everything[stop:]]), everything[start:stop]))
    return out


def _splits(cv, X, y) -> List[Tuple[np.ndarray, np.ndarray]]:
    n = X.shape[0]
    if cv is None:
        cv = 5
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        return _kfold(n, int(cv))
    try:
        from sklearn.model_selection import check_cv
    except Exception:  # pragma: no cover - without scikit-learn
        return [(np.asarray(tr), np.asarray(te)) for tr, te in cv]
    return [(np.asarray(tr), np.asarray(te)) for tr, te in check_cv(cv).split(X, y)]


def _index(index, n: int) -> np.ndarray:
    """Row numbers (a boolean mask becomes its positions); refuses numbers outside 0 .. n-1."""
    index = np.asarray(index)
    if index.dtype == bool:
        return np.flatnonzero(index)
    index = index.astype(np.int64, copy=False).reshape(-1)
    if index.size and (index.min() < 0 or index.max() >= n):
        raise ArgumentError(f"a cross-validation split names rows outside 0 .. {n - 1}")
    return index


def _rows(index: np.ndarray):
    """A slice for a contiguous increasing index (a view of X, no copy), else the index."""
    index = np.asarray(index)
    if index.dtype == bool:
        index = np.flatnonzero(index)
    if index.size and index[-1] - index[0] + 1 == index.size and np.all(np.diff(index) == 1):
        return slice(int(index[0]), int(index[-1]) + 1)
    return index


class ElasticNetCV(_EnetMixin, _RegressorMixin, _Base):
    """Elastic net with the penalty chosen by cross-validation (scikit-learn's ``ElasticNetCV``).

    Parameters as scikit-learn's: ``l1_ratio`` (float or list), ``eps``,
    ``alphas`` (int: the automatic grid of that many values; or the
    penalties), ``fit_intercept``, ``precompute``, ``max_iter``, ``tol``,
    ``cv`` (None = 5-fold, an int, a splitter or an iterable of (train, test)
    index arrays), ``copy_X``, ``verbose``, ``n_jobs``, ``positive``,
    ``random_state``, ``selection``.

    Attributes: ``alpha_``, ``l1_ratio_``, ``alphas_``, ``mse_path_``
    ((n_alphas, n_folds), or (n_l1_ratio, n_alphas, n_folds)), ``coef_``,
    ``intercept_``, ``dual_gap_``, ``n_iter_``, ``n_features_in_``.
    """

    _multi_output = False
    _is_lasso = False

    def __init__(self, *, l1_ratio=0.5, eps=1e-3, alphas=100, fit_intercept=True, precompute="auto",
                 max_iter=1000, tol=1e-4, cv=None, copy_X=True, verbose=0, n_jobs=None, positive=False,
                 random_state=None, selection="cyclic"):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.copy_X = copy_X
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def _l1_ratios(self) -> np.ndarray:
        if self._is_lasso:
            return np.array([1.0])
        ratios = np.atleast_1d(np.asarray(self.l1_ratio, dtype=np.float64))
        for r in ratios:
            _check_number("l1_ratio", float(r), 0.0, 1.0)
        return ratios

    def fit(self, X, y, sample_weight=None, **params) -> "ElasticNetCV":
        """Choose alpha (and l1_ratio) by K-fold CV, then fit on all of X, y with them.

        ``params`` (scikit-learn's metadata routing, e.g. ``groups``) are refused
        as scikit-learn refuses them without routing enabled: give ``cv`` the
        splits instead.
        """
        if params:
            raise ArgumentError(
                f"Passing extra keyword arguments to {type(self).__name__}.fit is only supported if "
                "enable_metadata_routing=True, which you can set using `sklearn.set_config`. See the User Guide "
                "<https://scikit-learn.org/stable/metadata_routing.html> for more details. Extra parameters "
                f"passed are: {set(params)}")
        self._check_common()
        _check_number("eps", self.eps, 0.0, low_open=True)
        ratios = self._l1_ratios()
        names = _arrays.feature_names_of(X)
        data = _arrays.prepare(X, y, sample_weight)
        if data.Y.shape[1] > 1:
            raise ArgumentError(f"For multi-task outputs, use MultiTask{type(self).__name__}")
        y_1d = data.y_1d
        if not y_1d:  # a column vector: one target, as scikit-learn (which ravels it, with this warning)
            _warn_column_vector()
            y_1d = True
        Xd, Yd, sw = data.X, data.Y, data.sample_weight
        n, d = Xd.shape

        def accumulate(index) -> Model:
            rows = index if isinstance(index, slice) else _rows(index)
            model = self._new_model(d, 1)
            _enet.accumulate(model, Xd[rows], Yd[rows], None if sw is None else sw[rows])  # no solve
            return model

        # One read of the data when the test folds partition the rows: each fold's
        # rows are accumulated once, the total is their merge, and each training set
        # is the total minus its fold. Other splits read what they need.
        cv = 5 if self.cv is None else self.cv
        if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
            # KFold: contiguous test folds that partition the rows (no index arrays).
            tests = [accumulate(slice(start, stop)) for start, stop in _kfold_bounds(n, int(cv))]
            partition = True
            trains: List[Optional[Model]] = [None] * len(tests)
        else:
            folds = _splits(cv, Xd, Yd[:, 0])
            tests = [accumulate(test) for _, test in folds]
            seen = np.zeros(n, dtype=np.int64)
            for _, test in folds:
                seen += np.bincount(_index(test, n), minlength=n)
            partition = bool(np.all(seen == 1))
            # Fold f trains on the total minus its test rows when its training set is
            # exactly the other rows (GroupKFold, ...); otherwise on its own rows.
            trains = []
            for train, test in folds:
                in_test = np.bincount(_index(test, n), minlength=n)
                in_train = np.bincount(_index(train, n), minlength=n)
                is_complement = in_test.max(initial=0) <= 1 and np.array_equal(in_train, 1 - in_test)
                trains.append(None if is_complement else accumulate(train))
        if partition:
            total = self._union(tests)
        else:
            total = accumulate(np.arange(n))
        self._stream_folds = None  # a fit starts over (fold_pass's folds)
        self._stream_dtype = None
        self._select(total, tests, trains, ratios, names, y_1d, data.dtype, _arrays.target_names_of(y))
        return self

    def fold_pass(self, X, y, sample_weight=None, *, fold: int) -> "ElasticNetCV":
        """Add a chunk of rows to cross-validation fold ``fold`` (0, 1, ...); returns ``self``.

        Streaming K-fold: each fold's statistics are accumulated from its
        chunks (any number, any order, folds interleaved); every training set
        is the total minus its fold, as ``fit`` with contiguous ``KFold``.
        After each call, once at least two folds hold rows, ``alpha_``,
        ``l1_ratio_``, ``alphas_``, ``mse_path_`` and the coefficients are
        chosen again from all the rows so far, exactly as ``fit`` would on
        the same folds (the order of the rows within a fold changes only the
        statistics' rounding). ``cv`` is not used; a ``fit`` starts over.
        """
        self._check_common()
        _check_number("eps", self.eps, 0.0, low_open=True)
        if isinstance(fold, bool) or not isinstance(fold, numbers.Integral) or fold < 0:
            raise ArgumentError(f"fold must be an integer >= 0, got {fold!r}")
        ratios = self._l1_ratios()
        names = _arrays.feature_names_of(X)
        data = _arrays.prepare(X, y, sample_weight)
        if data.Y.shape[1] > 1:
            raise ArgumentError(f"For multi-task outputs, use MultiTask{type(self).__name__}")
        d = data.X.shape[1]
        folds: Dict[int, Model] = getattr(self, "_stream_folds", None) or {}
        fresh = not folds
        if folds:
            self._check_n_features_of(d)
            if list(names if names is not None else []) != list(getattr(self, "_stream_names", None) or []):
                raise ArgumentError("fold_pass: the feature names differ from the earlier chunks'")
        model = folds.get(int(fold)) or self._new_model(d, 1)
        _enet.accumulate(model, data.X, data.Y, data.sample_weight)  # no solve
        folds[int(fold)] = model
        self._stream_folds = folds
        self._stream_names = names
        self._stream_dtype = data.dtype if fresh else _arrays.common_dtype(self._stream_dtype, data.dtype)
        if len(folds) < 2:
            return self
        tests = [folds[f] for f in sorted(folds)]
        self._select(self._union(tests), tests, [None] * len(tests), ratios, names, True, self._stream_dtype,
                     _arrays.target_names_of(y))
        return self

    @classmethod
    def _union(cls, tests: List[Model]) -> Model:
        """The statistics of all the folds' rows (their merge, without solving)."""
        total = cls._new_model(tests[0].n_features, 1)
        for m in tests:
            _enet.merge_statistics(total, m)
        return total

    def _check_n_features_of(self, d: int) -> None:
        first = next(iter(self._stream_folds.values()))
        if first.n_features != d:
            raise ArgumentError(f"X has {d} features, but the earlier chunks had {first.n_features}")

    def _select(self, total: Model, tests: List[Model], trains: List[Optional[Model]], ratios: np.ndarray,
                names, y_1d: bool, dtype, ynames) -> None:
        """The penalty (and l1_ratio) with the smallest mean cross-validated MSE over the folds'
        statistics (training set f: ``trains[f]``, or the total minus ``tests[f]`` when None),
        then the final coefficients from the total's statistics."""
        d = total.n_features
        grids = [_grid(total, self.alphas, r, self.eps, fit_intercept=bool(self.fit_intercept),
                       positive=bool(self.positive)) for r in ratios]
        mse = np.stack([_enet.cv_path(total, tests, g, trains=trains, **self._options(r))
                        for r, g in zip(ratios, grids)])  # (n_l1, n_alphas, n_folds)
        best = (np.inf, None, None)
        for r, g, m in zip(ratios, grids, mse.mean(axis=-1)):
            i = int(np.argmin(m))
            if m[i] < best[0]:
                best = (m[i], g[i], r)
        if best[1] is None:
            raise ArgumentError("cross-validation gave no finite error (every fold's MSE is NaN)")
        self.alpha_ = float(best[1])
        self.l1_ratio_ = float(best[2])
        if isinstance(self.alphas, numbers.Integral) and not isinstance(self.alphas, bool):
            self.alphas_ = np.asarray(grids) if len(ratios) > 1 else grids[0]
        else:
            self.alphas_ = grids[0]
        self.mse_path_ = np.squeeze(mse)
        # The final fit on all rows: the path at alpha_ on the total's statistics
        # (no data pass, no exact solve); the estimator keeps its coefficients.
        coefs, intercepts, gaps, iters = _enet.path(total, [self.alpha_], **self._options(self.l1_ratio_))
        _warn_if_not_converged(gaps, iters, int(self.max_iter))
        final = Model(d, 1)
        final.set_param(Param.FIT_INTERCEPT, 1 if self.fit_intercept else 0)
        final.set_names(_name_list(names), ynames)
        final.set_weights(coefs[0], intercepts[0])
        self._set_fitted(final, names, y_1d, dtype, gaps[0], iters[0])
        if self._is_lasso:
            del self.l1_ratio_


class LassoCV(ElasticNetCV):
    """Lasso with the penalty chosen by cross-validation (scikit-learn's ``LassoCV``)."""

    _is_lasso = True

    def __init__(self, *, eps=1e-3, alphas=100, fit_intercept=True, precompute="auto", max_iter=1000, tol=1e-4,
                 copy_X=True, cv=None, verbose=False, n_jobs=None, positive=False, random_state=None,
                 selection="cyclic"):
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.copy_X = copy_X
        self.cv = cv
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
