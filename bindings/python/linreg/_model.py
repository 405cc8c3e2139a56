"""Low-level owner of one C ``linreg_model`` handle.

:class:`Model` mirrors the C API one call per method, with the binding's
conversion rules (:mod:`linreg._arrays`) and shape checks applied to every
array, so nothing it is given can make C read or write out of bounds.
Most users want :class:`linreg.LinearRegression` instead.
"""

from __future__ import annotations

import ctypes
import os
import weakref
from ctypes import POINTER, byref, c_char_p, c_double, c_float, c_int32, c_int64
from enum import IntEnum
from typing import Any, Callable, List, Optional, Sequence, Tuple

import numpy as np

from . import _arrays
from ._errors import LINREG_E_UNAVAILABLE, ArgumentError, LinregError
from ._library import PROGRESS_FN, ModelPtr, api, check

__all__ = ["Model", "Param", "Solver", "Stat", "CoefStat", "CovType", "InfluenceMeasure", "ProgressCallback"]

#: fn(epoch, loss) -> bool | None; a false value other than None stops training.
ProgressCallback = Callable[[int, float], Optional[bool]]


class Param(IntEnum):
    """``enum linreg_param``."""

    SOLVER = 1
    FIT_INTERCEPT = 2
    LEARNING_RATE = 3
    EPOCHS = 4
    BATCH_SIZE = 5
    SHUFFLE = 6
    SEED = 7
    ALPHA = 8
    WEIGHT_DECAY = 9
    MOMENTUM = 10
    CI_LEVEL = 11
    THREADS = 12
    RCOND = 13
    COV_TYPE = 14
    USE_T = 15


class CovType(IntEnum):
    """``enum linreg_cov_type``: the coefficient covariance estimator (experimental)."""

    NONROBUST = 0
    HC0 = 1
    HC1 = 2
    HC2 = 3
    HC3 = 4
    CLUSTER = 5


class Solver(IntEnum):
    """``enum linreg_solver``."""

    EXACT = 0
    GD = 1
    SGD = 2
    NNLS = 5  # since 0.2: non-negative least squares (LinearRegression(positive=True))


class Stat(IntEnum):
    """``enum linreg_stat``."""

    R2 = 1
    ADJ_R2 = 2
    F = 3
    F_PVALUE = 4
    LOGLIK = 5
    AIC = 6
    BIC = 7
    SIGMA = 8
    DF_MODEL = 9
    DF_RESID = 10
    RANK = 11
    COND = 12
    N = 13
    RSS = 14
    # residual diagnostics: from a residual pass (Model.residual_pass), not from the fit
    OMNIBUS = 20
    OMNIBUS_PVALUE = 21
    SKEW = 22
    KURTOSIS = 23
    DURBIN_WATSON = 24
    JARQUE_BERA = 25
    JARQUE_BERA_PVALUE = 26


#: The statistics a residual pass provides (not part of the fit's statistics).
RESIDUAL_STATS = frozenset(s for s in Stat if 20 <= s <= 26)


class CoefStat(IntEnum):
    """``enum linreg_coef_stat``."""

    STDERR = 1
    T = 2
    PVALUE = 3
    CI_LOW = 4
    CI_HIGH = 5
    ESTIMATE = 10
    ALIASED = 11


class InfluenceMeasure(IntEnum):
    """``enum linreg_influence_measure``."""

    HAT = 1
    RESID_STUDENTIZED_INTERNAL = 2
    RESID_STUDENTIZED_EXTERNAL = 3
    COOKS_DISTANCE = 4
    COOKS_PVALUE = 5
    DFFITS = 6
    RESID_PRESS = 7
    DFBETAS = 8


class SolverPath(IntEnum):
    """``enum linreg_solver_path``: how the exact solver reduced the rows."""

    NORMAL_EQUATIONS = 1
    RESIDUAL_PASS = 2
    REFINED = 3
    HOUSEHOLDER = 4


_P64 = POINTER(c_double)
_P32 = POINTER(c_float)


def _ptr(arr: Optional[np.ndarray]):
    """A typed pointer to ``arr``'s first element (NULL for None)."""
    if arr is None:
        return None
    if arr.dtype == np.float32:
        return arr.ctypes.data_as(_P32)
    if arr.dtype == np.float64:
        return arr.ctypes.data_as(_P64)
    raise TypeError(f"internal: no C pointer type for {arr.dtype}")  # pragma: no cover


class Model:
    """One C model: ``linreg_create(n_features, n_outputs)`` ... ``linreg_free``.

    The handle is freed when the object is garbage-collected (a
    ``weakref.finalize``) or by :meth:`close`. Methods that change the model
    (``set_*``, ``fit``) must not run concurrently with any other call on the
    same model; concurrent ``predict`` / ``get_*`` calls are safe.
    """

    def __init__(self, n_features: int, n_outputs: int = 1) -> None:
        n_features = int(n_features)
        n_outputs = int(n_outputs)
        capi = api()
        handle = ModelPtr()
        check(capi.linreg_create(n_features, n_outputs, byref(handle)), capi)
        self._adopt(capi, handle)

    def _adopt(self, capi, handle) -> None:
        if not handle:  # pragma: no cover - the C contract says this cannot happen
            raise LinregError("liblinreg returned LINREG_OK but no model")
        self._capi = capi
        self._handle = handle
        self._finalizer = weakref.finalize(self, capi.linreg_free, handle)
        nf, no = c_int64(), c_int64()
        check(capi.linreg_get_shape(handle, byref(nf), byref(no)), capi)
        self.n_features = int(nf.value)
        self.n_outputs = int(no.value)

    @classmethod
    def _from_handle(cls, capi, handle) -> "Model":
        self = cls.__new__(cls)
        self._adopt(capi, handle)
        return self

    # -- persistence (docs/FORMAT.md) ---------------------------------------
    def serialize(self) -> bytes:
        """The model's bytes: shape, parameters, weights, loss history, exact-fit results."""
        size = c_int64()
        self._check(self._capi.linreg_serialize(self.handle, None, 0, byref(size)))
        n = int(size.value)
        buf = ctypes.create_string_buffer(max(n, 1))
        self._check(self._capi.linreg_serialize(self.handle, buf, n, byref(size)))
        return buf.raw[: int(size.value)]

    @classmethod
    def deserialize(cls, data: bytes) -> "Model":
        """A new model from :meth:`serialize`'s bytes (FormatError when damaged)."""
        data = bytes(data)
        capi = api()
        handle = ModelPtr()
        buf = ctypes.create_string_buffer(data, len(data)) if data else None
        check(capi.linreg_deserialize(buf, len(data), byref(handle)), capi)
        return cls._from_handle(capi, handle)

    def save(self, path) -> None:
        """Save to a file, atomically (``linreg_save``)."""
        self._check(self._capi.linreg_save(self.handle, os.fsencode(path)))

    @classmethod
    def load(cls, path) -> "Model":
        """Load a file written by :meth:`save` (``linreg_load``)."""
        capi = api()
        handle = ModelPtr()
        check(capi.linreg_load(os.fsencode(path), byref(handle)), capi)
        return cls._from_handle(capi, handle)

    # -- names (experimental; kept in the model file) ----------------------
    def set_names(self, feature_names: Optional[Sequence[str]], target_names: Optional[Sequence[str]]) -> None:
        """``linreg_set_names``: ``n_features`` feature names and ``n_outputs``
        target names (str); None means none (removes that kind). Each name is
        stored as UTF-8 (at most 4096 bytes, no NUL character)."""
        self._check(self._capi.linreg_set_names(
            self.handle,
            self._name_array(feature_names, self.n_features, "feature"),
            self._name_array(target_names, self.n_outputs, "target"),
        ))

    @staticmethod
    def _name_array(names: Optional[Sequence[str]], expected: int, role: str):
        if names is None:
            return None
        names = list(names)
        if len(names) != expected:
            raise ArgumentError(f"{len(names)} {role} names given; the model has {expected} {role}s")
        encoded = []
        for i, name in enumerate(names):
            if not isinstance(name, str):
                raise TypeError(f"{role} name {i} is a {type(name).__name__}, not a str")
            if "\0" in name:
                raise ArgumentError(f"{role} name {i} ({name!r}) contains a NUL character")
            try:
                encoded.append(name.encode("utf-8"))
            except UnicodeEncodeError as exc:  # a lone surrogate
                raise ArgumentError(f"{role} name {i} ({name!r}) cannot be encoded as UTF-8: {exc.reason}") from None
        return (c_char_p * len(encoded))(*encoded)

    def _read_names(self, function: Any, count: int) -> Optional[List[str]]:
        """Every name from ``function(model, index, buf, capacity, &length)``, or None when
        the model has none (LINREG_E_UNAVAILABLE)."""
        names = []
        length = c_int64()
        for index in range(count):
            status = function(self.handle, index, None, 0, byref(length))
            if status == LINREG_E_UNAVAILABLE:
                return None
            self._check(status)
            buf = ctypes.create_string_buffer(int(length.value) + 1)
            self._check(function(self.handle, index, buf, len(buf), byref(length)))
            names.append(buf.raw[: int(length.value)].decode("utf-8"))
        return names

    def feature_names(self) -> Optional[List[str]]:
        """The feature names (``linreg_get_feature_name``), or None when the model has none."""
        return self._read_names(self._capi.linreg_get_feature_name, self.n_features)

    def target_names(self) -> Optional[List[str]]:
        """The target names (``linreg_get_target_name``), or None when the model has none."""
        return self._read_names(self._capi.linreg_get_target_name, self.n_outputs)

    # -- lifetime ---------------------------------------------------------
    @property
    def handle(self):
        """The ``linreg_model *`` (a ctypes pointer); raises once closed."""
        if not self._finalizer.alive:
            raise ArgumentError("this liblinreg model has been closed")
        return self._handle

    def close(self) -> None:
        """Free the C model now (idempotent)."""
        self._finalizer()

    def __enter__(self) -> "Model":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _check(self, status: int) -> None:
        check(status, self._capi)

    # -- shape, parameters ------------------------------------------------
    def get_shape(self) -> Tuple[int, int]:
        nf, no = c_int64(), c_int64()
        self._check(self._capi.linreg_get_shape(self.handle, byref(nf), byref(no)))
        return int(nf.value), int(no.value)

    def is_fitted(self) -> bool:
        return bool(self._capi.linreg_is_fitted(self.handle))

    def set_param(self, key: Param, value: float) -> None:
        self._check(self._capi.linreg_set_param(self.handle, int(key), float(value)))

    def get_param(self, key: Param) -> float:
        out = c_double()
        self._check(self._capi.linreg_get_param(self.handle, int(key), byref(out)))
        return float(out.value)

    # -- fitting ----------------------------------------------------------
    def fit(
        self,
        X: Any,
        Y: Any,
        sample_weight: Any = None,
        progress: Optional[ProgressCallback] = None,
    ) -> None:
        """``linreg_fit_*`` (or ``linreg_fit_weighted_*``) on converted inputs.

        ``progress(epoch, loss)`` is called once per GD/SGD epoch; returning a
        false value other than None stops training early. An exception raised
        by it stops training and is re-raised here once C has returned.
        """
        self._fit(X, Y, sample_weight, progress, partial=False)

    def partial_fit(
        self,
        X: Any,
        Y: Any,
        sample_weight: Any = None,
        progress: Optional[ProgressCallback] = None,
    ) -> None:
        """``linreg_partial_fit_*``: fit one more chunk of rows (see include/linreg.h).

        Exact solver: the model's sufficient statistics grow by the chunk and
        the weights and statistics become those of one fit on all rows so
        far. GD/SGD: one epoch over the chunk from the current weights.
        """
        self._fit(X, Y, sample_weight, progress, partial=True)

    def merge(self, other: "Model") -> None:
        """``linreg_merge``: add the rows ``other`` was (exactly) fitted on to this model."""
        if not isinstance(other, Model):
            raise TypeError(f"merge needs a linreg.Model, got {type(other).__name__}")
        if other is self:
            raise ArgumentError("cannot merge a model into itself")
        self._check(self._capi.linreg_merge(self.handle, other.handle))

    def _fit(self, X: Any, Y: Any, sample_weight: Any, progress: Optional[ProgressCallback], partial: bool) -> None:
        X2, Y2, sw, _ = _arrays.prepare_fit(X, Y, sample_weight)
        n, p = X2.shape
        if p != self.n_features:
            raise ArgumentError(f"X has {p} features, but the model has {self.n_features}")
        if Y2.shape[1] != self.n_outputs:
            raise ArgumentError(f"y has {Y2.shape[1]} targets, but the model has {self.n_outputs} outputs")
        assert X2.shape == (n, p) and Y2.shape == (n, self.n_outputs)
        assert X2.dtype == Y2.dtype and (sw is None or (sw.dtype == X2.dtype and sw.shape == (n,)))
        capi = self._capi
        f32 = X2.dtype == np.float32
        kind = "partial_fit" if partial else "fit"
        if sw is None:
            fn = getattr(capi, f"linreg_{kind}_{'f32' if f32 else 'f64'}")
            args = (self.handle, _ptr(X2), _ptr(Y2), n)
        else:
            fn = getattr(capi, f"linreg_{kind}_weighted_{'f32' if f32 else 'f64'}")
            args = (self.handle, _ptr(X2), _ptr(Y2), _ptr(sw), n)

        if progress is None:
            status = fn(*args)
            self._check(status)
            return

        caught: List[BaseException] = []

        def trampoline(epoch: int, loss: float, _user_data: Any) -> int:
            if caught:
                return 1
            try:
                answer = progress(int(epoch), float(loss))
            except BaseException as exc:  # noqa: BLE001 - must not cross into C
                caught.append(exc)
                return 1
            return 1 if (answer is not None and not answer) else 0

        c_callback = PROGRESS_FN(trampoline)  # kept alive by this frame for the whole fit
        self._check(capi.linreg_set_progress(self.handle, c_callback, None))
        try:
            status = fn(*args)
        finally:
            # NULL removes the callback; X2, Y2, sw and c_callback stay referenced
            # by this frame until here, so C never sees a freed buffer.
            capi.linreg_set_progress(self.handle, PROGRESS_FN(), None)
        if caught:
            raise caught[0]
        self._check(status)

    # -- prediction -------------------------------------------------------
    def predict(self, X: Any) -> np.ndarray:
        """``X W^T + b`` as an ``(n_samples, n_outputs)`` array of X's type."""
        X2 = _arrays.as_matrix(X, "X")
        n, p = X2.shape
        if p != self.n_features:
            raise ArgumentError(f"X has {p} features, but the model has {self.n_features}")
        out = np.empty((n, self.n_outputs), dtype=X2.dtype)
        fn = self._capi.linreg_predict_f32 if X2.dtype == np.float32 else self._capi.linreg_predict_f64
        self._check(fn(self.handle, _ptr(X2), n, _ptr(out)))
        return out

    # -- weights ----------------------------------------------------------
    def get_weights(self) -> Tuple[np.ndarray, np.ndarray]:
        """``(W, b)``: W is ``(n_outputs, n_features)``, b is ``(n_outputs,)``."""
        W = np.empty((self.n_outputs, self.n_features), dtype=np.float64)
        b = np.empty(self.n_outputs, dtype=np.float64)
        self._check(self._capi.linreg_get_weights(self.handle, _ptr(W), _ptr(b)))
        return W, b

    def set_weights(self, W: Any, b: Any = None) -> None:
        """Replace the weights (``(n_outputs, n_features)``) and intercepts (or zeros)."""
        W2 = np.array(W, dtype=np.float64, order="C", copy=True)
        if W2.size != self.n_outputs * self.n_features or W2.ndim > 2:
            raise ArgumentError(
                f"W has shape {W2.shape}; expected ({self.n_outputs}, {self.n_features})"
            )
        if W2.ndim == 2 and W2.shape != (self.n_outputs, self.n_features):
            raise ArgumentError(
                f"W has shape {W2.shape}; expected ({self.n_outputs}, {self.n_features})"
            )
        b2 = None
        if b is not None:
            b2 = np.array(b, dtype=np.float64, order="C", copy=True).reshape(-1)
            if b2.shape != (self.n_outputs,):
                raise ArgumentError(f"b has {b2.size} entries; expected {self.n_outputs}")
        self._check(self._capi.linreg_set_weights(self.handle, _ptr(W2), _ptr(b2)))

    # -- history, statistics ---------------------------------------------
    def _read_vector(self, function: Any) -> np.ndarray:
        """A variable-length vector from ``function(model, out, capacity, &count)``:
        the length first (capacity 0), then the values."""
        count = c_int64()
        self._check(function(self.handle, None, 0, byref(count)))
        n = int(count.value)
        out = np.empty(n, dtype=np.float64)
        if n:
            self._check(function(self.handle, _ptr(out), n, byref(count)))
            n = min(n, int(count.value))
        return out[:n]

    def loss_history(self) -> np.ndarray:
        """The per-epoch losses of the last GD/SGD fit (empty after an exact fit)."""
        return self._read_vector(self._capi.linreg_loss_history)

    def stat(self, key: Stat) -> np.ndarray:
        """One statistic per output, ``(n_outputs,)``."""
        out = np.empty(self.n_outputs, dtype=np.float64)
        self._check(self._capi.linreg_get_stat(self.handle, int(key), _ptr(out)))
        return out

    def coef_stat(self, key: CoefStat) -> Tuple[np.ndarray, np.ndarray]:
        """``(weights_part, intercepts_part)`` shaped like :meth:`get_weights`."""
        k, p = self.n_outputs, self.n_features
        out = np.empty(k * (p + 1), dtype=np.float64)
        self._check(self._capi.linreg_get_coef_stats(self.handle, int(key), _ptr(out)))
        return out[: k * p].reshape(k, p), out[k * p :].copy()

    def singular_values(self) -> np.ndarray:
        """The singular values of the last exact fit's (centred) design."""
        return self._read_vector(self._capi.linreg_singular_values)

    # -- diagnostics (experimental) ----------------------------------------
    def _data(self, X: Any, Y: Any, sample_weight: Any):
        """X, Y (2-D) and weights converted and checked against the model's shape."""
        X2, Y2, sw, _ = _arrays.prepare_fit(X, Y, sample_weight)
        if X2.shape[1] != self.n_features:
            raise ArgumentError(f"X has {X2.shape[1]} features, but the model has {self.n_features}")
        if Y2.shape[1] != self.n_outputs:
            raise ArgumentError(f"y has {Y2.shape[1]} targets, but the model has {self.n_outputs} outputs")
        return X2, Y2, sw

    def residual_pass(self, X: Any, Y: Any, sample_weight: Any = None, append: bool = False) -> None:
        """``linreg_residual_pass_*``: summarise the residuals of X, Y in row order (``append``
        continues the previous pass with the rows that follow); then :meth:`stat` gives the
        residual diagnostics (``Stat.OMNIBUS`` ... ``Stat.JARQUE_BERA_PVALUE``)."""
        X2, Y2, sw = self._data(X, Y, sample_weight)
        fn = self._capi.linreg_residual_pass_f32 if X2.dtype == np.float32 else self._capi.linreg_residual_pass_f64
        self._check(fn(self.handle, _ptr(X2), _ptr(Y2), _ptr(sw), X2.shape[0], 1 if append else 0))

    def influence(self, X: Any, Y: Any, sample_weight: Any = None,
                  measures: Sequence["InfluenceMeasure"] = tuple()) -> List[np.ndarray]:
        """``linreg_influence_*``: one array per measure, ``(n,)`` for the hat diagonal,
        ``(n, n_outputs * (n_features + 1))`` for DFBETAS, ``(n, n_outputs)`` otherwise."""
        X2, Y2, sw = self._data(X, Y, sample_weight)
        n = X2.shape[0]
        kinds = [InfluenceMeasure(m) for m in measures]
        outs = []
        for kind in kinds:
            if kind == InfluenceMeasure.HAT:
                outs.append(np.empty(n, dtype=np.float64))
            elif kind == InfluenceMeasure.DFBETAS:
                outs.append(np.empty((n, self.n_outputs * (self.n_features + 1)), dtype=np.float64))
            else:
                outs.append(np.empty((n, self.n_outputs), dtype=np.float64))
        c_kinds = (c_int32 * max(1, len(kinds)))(*[int(k) for k in kinds])
        c_outs = (_P64 * max(1, len(kinds)))(*[_ptr(o) for o in outs])
        fn = self._capi.linreg_influence_f32 if X2.dtype == np.float32 else self._capi.linreg_influence_f64
        self._check(fn(self.handle, _ptr(X2), _ptr(Y2), _ptr(sw), n, c_kinds, len(kinds), c_outs))
        return outs

    def alias(self) -> np.ndarray:
        """``linreg_get_alias``: ``(n_features + 1, n_features + 1)``, features then intercept."""
        side = self.n_features + 1
        out = np.empty((side, side), dtype=np.float64)
        self._check(self._capi.linreg_get_alias(self.handle, _ptr(out)))
        return out

    def solver_info(self) -> Tuple["SolverPath", int]:
        """(path, passes over the data) of the last exact fit or partial fit."""
        path = c_int32()
        passes = c_int64()
        self._check(self._capi.linreg_get_solver_info(self.handle, byref(path), byref(passes)))
        return SolverPath(path.value), int(passes.value)
