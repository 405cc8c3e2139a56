"""Lasso / elastic-net calls on a :class:`linreg._model.Model`'s statistics.

One function per C entry point (``linreg_enet_*``, include/linreg.h,
experimental since 0.2), with the binding's checks: every array handed to C
is a fresh C-contiguous float64 (or int64) array of exactly the size C will
read or write. The estimators (:mod:`linreg.regularized`) are built on these.
"""

from __future__ import annotations

from ctypes import POINTER, c_double, c_int64
from typing import Optional, Sequence, Tuple

import numpy as np

from . import _arrays
from ._errors import ArgumentError
from ._library import ModelPtr
from ._model import Model, _ptr

__all__ = ["accumulate", "merge_statistics", "alpha_grid", "path", "fit", "cv_path"]

_P64 = POINTER(c_double)
_PI64 = POINTER(c_int64)


def _alphas(alphas) -> np.ndarray:
    a = np.array(alphas, dtype=np.float64, copy=True).reshape(-1)
    if a.size < 1:
        raise ArgumentError("alphas is empty: give at least one penalty")
    return np.ascontiguousarray(a)


def accumulate(model: Model, X, Y, sample_weight=None) -> None:
    """``linreg_enet_accumulate_*``: add rows to the statistics of a model that
    was never solved, without solving (the fold models of a cross-validation)."""
    X2, Y2, sw, _ = _arrays.prepare_fit(X, Y, sample_weight)
    n, p = X2.shape
    if p != model.n_features:
        raise ArgumentError(f"X has {p} features, but the model has {model.n_features}")
    if Y2.shape[1] != model.n_outputs:
        raise ArgumentError(f"y has {Y2.shape[1]} targets, but the model has {model.n_outputs} outputs")
    fn = model._capi.linreg_enet_accumulate_f32 if X2.dtype == np.float32 else model._capi.linreg_enet_accumulate_f64
    model._check(fn(model.handle, _ptr(X2), _ptr(Y2), _ptr(sw), n))


def merge_statistics(into: Model, other: Model) -> None:
    """``linreg_enet_merge_statistics``: ``other``'s rows added to ``into``'s statistics, without solving."""
    if not isinstance(other, Model):
        raise TypeError(f"merge_statistics needs a linreg.Model, got {type(other).__name__}")
    if other is into:
        raise ArgumentError("cannot merge a model into itself")
    into._check(into._capi.linreg_enet_merge_statistics(into.handle, other.handle))


def alpha_grid(model: Model, *, l1_ratio: float = 1.0, fit_intercept: bool = True, positive: bool = False,
               eps: float = 1e-3, n_alphas: int = 100) -> np.ndarray:
    """``linreg_enet_alpha_grid``: scikit-learn's grid (alpha_max down to eps * alpha_max)."""
    n = int(n_alphas)
    if n < 1:
        raise ArgumentError(f"n_alphas = {n} must be at least 1")
    out = np.empty(n, dtype=np.float64)
    model._check(model._capi.linreg_enet_alpha_grid(
        model.handle, float(l1_ratio), int(bool(fit_intercept)), int(bool(positive)), float(eps), n,
        out.ctypes.data_as(_P64)))
    return out


def path(model: Model, alphas, *, l1_ratio: float = 1.0, fit_intercept: bool = True, positive: bool = False,
         tol: float = 1e-4, max_iter: int = 1000) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``linreg_enet_path`` in the order given: (coefs ``(n_alphas, n_outputs, n_features)``,
    intercepts ``(n_alphas, n_outputs)``, gaps ``(n_alphas, n_outputs)``, n_iter ``(n_alphas, n_outputs)``)."""
    a = _alphas(alphas)
    k, d = model.n_outputs, model.n_features
    coefs = np.empty((a.size, k, d), dtype=np.float64)
    intercepts = np.empty((a.size, k), dtype=np.float64)
    gaps = np.empty((a.size, k), dtype=np.float64)
    iters = np.empty((a.size, k), dtype=np.int64)
    model._check(model._capi.linreg_enet_path(
        model.handle, a.ctypes.data_as(_P64), a.size, float(l1_ratio), int(bool(fit_intercept)),
        int(bool(positive)), float(tol), int(max_iter), coefs.ctypes.data_as(_P64),
        intercepts.ctypes.data_as(_P64), gaps.ctypes.data_as(_P64), iters.ctypes.data_as(_PI64)))
    return coefs, intercepts, gaps, iters


def fit(model: Model, alpha: float, *, l1_ratio: float = 1.0, fit_intercept: bool = True, positive: bool = False,
        tol: float = 1e-4, max_iter: int = 1000) -> Tuple[np.ndarray, np.ndarray]:
    """``linreg_enet_fit``: the model's weights become the elastic net's at ``alpha``;
    returns (gaps, n_iter), one per output."""
    gaps = np.empty(model.n_outputs, dtype=np.float64)
    iters = np.empty(model.n_outputs, dtype=np.int64)
    model._check(model._capi.linreg_enet_fit(
        model.handle, float(alpha), float(l1_ratio), int(bool(fit_intercept)), int(bool(positive)), float(tol),
        int(max_iter), gaps.ctypes.data_as(_P64), iters.ctypes.data_as(_PI64)))
    return gaps, iters


def cv_path(total: Model, tests: Sequence[Model], alphas, *, trains: Optional[Sequence[Optional[Model]]] = None,
            l1_ratio: float = 1.0, fit_intercept: bool = True, positive: bool = False, tol: float = 1e-4,
            max_iter: int = 1000) -> np.ndarray:
    """``linreg_enet_cv_path``: the test MSE ``(n_alphas, n_folds)`` of each fold's path, fold f
    trained on ``trains[f]`` or (None) on ``total`` minus ``tests[f]``."""
    a = _alphas(alphas)
    folds = len(tests)
    if folds < 1:
        raise ArgumentError("no folds: give at least one test model")
    if trains is not None and len(trains) != folds:
        raise ArgumentError(f"{len(trains)} training models for {folds} folds")
    for m in list(tests) + [t for t in (trains or []) if t is not None]:
        if not isinstance(m, Model):
            raise TypeError(f"folds must be linreg.Model objects, got {type(m).__name__}")
    test_array = (ModelPtr * folds)(*[m.handle for m in tests])
    train_array = None
    if trains is not None:
        train_array = (ModelPtr * folds)(*[(m.handle if m is not None else ModelPtr()) for m in trains])
    out = np.empty((a.size, folds), dtype=np.float64)
    total._check(total._capi.linreg_enet_cv_path(
        total.handle, test_array, train_array, folds, a.ctypes.data_as(_P64), a.size, float(l1_ratio),
        int(bool(fit_intercept)), int(bool(positive)), float(tol), int(max_iter), out.ctypes.data_as(_P64)))
    return out
