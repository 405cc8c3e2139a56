"""Conversion rules: how Python inputs become the buffers handed to C.

liblinreg reads dense, row-major (C-order) ``float32`` or ``float64`` matrices.
The binding hands such a matrix to C *as is* -- no copy -- when it already
is one; anything else is converted exactly once, by these rules:

1. **Containers.** numpy arrays, nested lists, pandas DataFrames and Series,
   and anything else ``numpy.asarray`` understands (e.g. CPU torch tensors,
   memory maps) are accepted. A pandas DataFrame also supplies feature names
   (``feature_names_in_``) when all its column names are strings. Sparse
   matrices are refused (``TypeError``): densify them with ``.toarray()``.
2. **Element type** of each array, on its own:

   ===========================================  ==========
   input dtype                                  becomes
   ===========================================  ==========
   ``float32``                                  ``float32``
   ``float16``                                  ``float32`` (exact; liblinreg has no half type)
   ``float64``                                  ``float64``
   any other real float (``longdouble``)        ``float64``
   integers, booleans, ``object``, strings      ``float64`` (strings must parse as numbers)
   complex                                      refused (``ValueError``)
   ===========================================  ==========

   Byte-swapped (non-native) data is converted to native order.
3. **X and y share one type.** For ``fit`` the element types chosen for X, y
   (and ``sample_weight``, which always follows them) must agree; when the
   rules above give different types for X and y, *both* become ``float64``.
   So ``float32`` X with ``float32`` y runs the float32 path, while
   ``float32`` X with a list (or ``float64`` array) y runs in float64.
   ``predict`` chooses the type from X alone and returns predictions of that
   type (liblinreg always computes in double and rounds to it).
4. **Layout.** Fortran-ordered, strided, misaligned or read-only-view inputs
   are copied into a C-contiguous array of the chosen type -- once, together
   with any type change. An input that is already a C-contiguous, aligned,
   native-endian ``float32``/``float64`` ndarray is passed without a copy.
5. **Shapes.** X must be 2-D ``(n_samples, n_features)`` with at least one
   sample and one feature. y may be 1-D ``(n_samples,)`` (one target: ``coef_``
   is 1-D, ``intercept_`` a float, ``predict`` returns 1-D) or 2-D
   ``(n_samples, n_targets)`` (multi-output; a column vector is one target in
   2-D form). ``sample_weight`` is ``None``, a scalar, or 1-D of length
   ``n_samples``. Anything else raises ``ValueError`` before C is called: the
   binding computes every size it passes, so no Python call can make C read
   or write out of bounds.
6. **Values.** Non-finite values are found by liblinreg, which names the first
   one (``"X[3][1] is NaN (row 3, column 1)"``); they raise
   :class:`linreg.NonFiniteError` (a ``FloatingPointError`` and ``ValueError``).
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional, Tuple

import numpy as np

from ._errors import ArgumentError

__all__ = [
    "choose_dtype",
    "common_dtype",
    "as_matrix",
    "as_targets",
    "as_sample_weight",
    "feature_names_of",
    "is_passthrough",
    "prepare",
    "prepare_fit",
    "FitInputs",
    "target_names_of",
]

F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)


def _is_sparse(obj: Any) -> bool:
    mod = type(obj).__module__ or ""
    return mod.startswith("scipy.sparse") or (
        hasattr(obj, "tocsr") and hasattr(obj, "nnz") and hasattr(obj, "toarray")
    )


def _is_dataframe(obj: Any) -> bool:
    t = type(obj)
    return (t.__module__ or "").startswith("pandas") and t.__name__ == "DataFrame"


def feature_names_of(X: Any) -> Optional[np.ndarray]:
    """Column names of a pandas DataFrame when they are all strings, else None.

    Mixed string / non-string column names raise TypeError (scikit-learn's rule).
    """
    if not _is_dataframe(X):
        return None
    names = np.asarray(X.columns, dtype=object)
    if len(names) == 0:
        return None
    types = sorted({type(v).__qualname__ for v in names})
    if len(types) > 1 and "str" in types:
        raise TypeError(
            "Feature names are only supported if all input features have string names, "
            f"but your input has {types} as feature name / column name types. "
            "Convert them all to strings, e.g. with X.columns = X.columns.astype(str), "
            "or use non-string names only."
        )
    if types == ["str"]:
        return names
    return None


def choose_dtype(dtype: np.dtype, name: str = "X") -> np.dtype:
    """The element type an array of ``dtype`` is handed to C as (rule 2)."""
    dtype = np.dtype(dtype)
    kind = dtype.kind
    if kind == "c":
        raise ArgumentError(f"Complex data not supported: {name} has dtype {dtype}")
    if kind == "f":
        if dtype.itemsize <= 4:  # float16, float32
            return F32
        return F64
    return F64  # ints, bools, object, strings, ...


def common_dtype(a: np.dtype, b: np.dtype) -> np.dtype:
    """Rule 3: the shared type of X and y."""
    return a if a == b else F64


def _asarray(obj: Any, name: str) -> np.ndarray:
    if obj is None:
        raise ArgumentError(f"{name} is None: an array-like is required")
    if _is_sparse(obj):
        raise TypeError(
            f"Sparse input is not supported for {name}: liblinreg needs a dense matrix "
            "(convert with .toarray())"
        )
    if _is_dataframe(obj) or (type(obj).__module__ or "").startswith("pandas"):
        try:
            arr = obj.to_numpy()
        except Exception:  # pragma: no cover - exotic pandas objects
            arr = np.asarray(obj)
        if arr.dtype == object:
            # nullable extension dtypes (pd.NA) -> NaN, which liblinreg then reports
            arr = obj.to_numpy(dtype=F64, na_value=np.nan)
        return arr
    return np.asarray(obj)


def _convert(arr: np.ndarray, dtype: np.dtype, name: str) -> np.ndarray:
    """One conversion to a C-contiguous, aligned, native array of ``dtype``."""
    if is_passthrough(arr, dtype):
        return arr
    try:
        out = np.array(arr, dtype=dtype, order="C", copy=True)
    except TypeError:
        raise
    except ValueError as exc:
        raise ArgumentError(f"{name} cannot be converted to {dtype}: {exc}") from exc
    return out


def is_passthrough(arr: Any, dtype: Optional[np.dtype] = None) -> bool:
    """True when ``arr`` is handed to C without any copy (rules 2 and 4)."""
    if not isinstance(arr, np.ndarray):
        return False
    if dtype is not None and arr.dtype != np.dtype(dtype):
        return False
    return (
        arr.dtype in (F32, F64)
        and arr.dtype.isnative
        and arr.flags.c_contiguous
        and arr.flags.aligned
    )


def _raw(obj: Any, name: str) -> Tuple[np.ndarray, np.dtype]:
    arr = _asarray(obj, name)
    return arr, choose_dtype(arr.dtype, name)


def _check_matrix_shape(arr: np.ndarray, name: str) -> None:
    if arr.ndim != 2:
        if arr.ndim == 1:
            raise ArgumentError(
                f"Expected a 2-D array for {name}, got a 1-D array of shape {arr.shape}. "
                f"Reshape your data either using {name}.reshape(-1, 1) if it has a single "
                f"feature or {name}.reshape(1, -1) if it contains a single sample."
            )
        raise ArgumentError(f"Expected a 2-D array for {name}, got {arr.ndim}-D with shape {arr.shape}")
    if arr.shape[0] < 1:
        raise ArgumentError(
            f"Found array with 0 sample(s) (shape={arr.shape}) while a minimum of 1 is required ({name})."
        )
    if arr.shape[1] < 1:
        raise ArgumentError(
            f"Found array with 0 feature(s) (shape={arr.shape}) while a minimum of 1 is required ({name})."
        )


def as_matrix(X: Any, name: str = "X", dtype: Optional[np.dtype] = None) -> np.ndarray:
    """X as a C-contiguous 2-D float32/float64 array (rules 1, 2, 4, 5).

    With ``dtype`` given, that type is used instead of rule 2's choice.
    """
    arr, chosen = _raw(X, name)
    _check_matrix_shape(arr, name)
    return _convert(arr, np.dtype(dtype) if dtype is not None else chosen, name)


def as_targets(y: Any, n_samples: int, dtype: Optional[np.dtype] = None) -> Tuple[np.ndarray, bool]:
    """y as a C-contiguous 2-D ``(n_samples, n_targets)`` array, and whether it was 1-D."""
    arr, chosen = _raw_targets(y)
    return _targets_from(arr, n_samples, np.dtype(dtype) if dtype is not None else chosen)


def _raw_targets(y: Any) -> Tuple[np.ndarray, np.dtype]:
    if y is None:
        raise ArgumentError(
            "LinearRegression requires y to be passed, but the target y is None"
        )
    return _raw(y, "y")


def _targets_from(arr: np.ndarray, n_samples: int, dtype: np.dtype) -> Tuple[np.ndarray, bool]:
    if arr.ndim == 1:
        one_d = True
    elif arr.ndim == 2:
        one_d = False
    else:
        raise ArgumentError(f"y must be 1-D (n_samples,) or 2-D (n_samples, n_targets); got shape {arr.shape}")
    if arr.shape[0] != n_samples:
        raise ArgumentError(
            f"Found input variables with inconsistent numbers of samples: [{n_samples}, {arr.shape[0]}] (X, y)"
        )
    if not one_d and arr.shape[1] < 1:
        raise ArgumentError(f"y has 0 targets (shape={arr.shape}); at least 1 is required")
    out = _convert(arr, dtype, "y")
    if one_d:
        out = out.reshape(n_samples, 1)  # a view: same buffer, no copy
    return out, one_d


def as_sample_weight(sample_weight: Any, n_samples: int, dtype: np.dtype) -> Optional[np.ndarray]:
    """sample_weight as a C-contiguous 1-D array of ``dtype`` and length n_samples, or None."""
    if sample_weight is None:
        return None
    if np.isscalar(sample_weight) or (isinstance(sample_weight, np.ndarray) and sample_weight.ndim == 0):
        return np.full(n_samples, float(sample_weight), dtype=dtype)
    arr = _asarray(sample_weight, "sample_weight")
    if arr.dtype.kind == "c":
        raise ArgumentError("Complex data not supported for sample_weight")
    if arr.ndim != 1:
        raise ArgumentError(f"sample_weight must be 1-D, got shape {arr.shape}")
    if arr.shape[0] != n_samples:
        raise ArgumentError(
            f"sample_weight.shape == {arr.shape}, expected ({n_samples},)"
        )
    return _convert(arr, np.dtype(dtype), "sample_weight")


class FitInputs(NamedTuple):
    """A fit's inputs after the rules: see :func:`prepare`."""

    X: np.ndarray
    Y: np.ndarray
    sample_weight: Optional[np.ndarray]
    y_1d: bool

    @property
    def dtype(self) -> np.dtype:
        """The type of every array (rule 3): float32 only when X and y both are."""
        return self.X.dtype


def prepare(X: Any, y: Any, sample_weight: Any = None) -> FitInputs:
    """Apply the rules to a fit's inputs.

    X is ``(n, p)``, Y is ``(n, k)``, sample_weight None or ``(n,)``, all
    C-contiguous and of one dtype (rule 3).
    """
    x_arr, x_dt = _raw(X, "X")
    _check_matrix_shape(x_arr, "X")
    y_arr, y_dt = _raw_targets(y)
    dt = common_dtype(x_dt, y_dt)
    X2 = _convert(x_arr, dt, "X")
    Y2, one_d = _targets_from(y_arr, X2.shape[0], dt)
    sw = as_sample_weight(sample_weight, X2.shape[0], dt)
    return FitInputs(X2, Y2, sw, one_d)


def prepare_fit(X: Any, y: Any, sample_weight: Any = None):
    """``(X2, Y2, sw, y_was_1d)``: :func:`prepare` as a plain tuple."""
    return tuple(prepare(X, y, sample_weight))


def target_names_of(y: Any) -> Optional[list]:
    """The names of y's targets: a named pandas Series gives ``[name]``, a
    DataFrame its column names; anything else None (the summary then says
    ``y``, or ``y0, y1, ...`` for several targets)."""
    if _is_dataframe(y):
        return [str(c) for c in y.columns]
    t = type(y)
    if (t.__module__ or "").startswith("pandas") and t.__name__ == "Series" and y.name is not None:
        return [str(y.name)]
    return None
