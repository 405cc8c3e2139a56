"""Locating and loading liblinreg, and the ctypes prototypes of its C API.

Search order (the first candidate that loads wins):

1. the ``LINREG_LIBRARY`` environment variable: a path to the library file
   (or to a directory holding ``liblinreg.so``). When it is set it is the only
   candidate: a wrong value is an error, never a silent fall-back to another
   copy of the library;
2. a copy shipped inside the package: ``linreg/_lib/liblinreg.so*``;
3. the repository's build output, ``<repo>/build/lib/liblinreg.so``, found
   relative to this file when the package runs from the source tree
   (``<repo>/bindings/python/linreg/_library.py``);
4. the system loader: ``ctypes.util.find_library("linreg")``.

When none loads, :class:`ImportError` lists every path tried and why each one
failed. After loading, the binding checks that ``linreg_version_number()`` is
:data:`EXPECTED_VERSION_NUMBER` (the header this binding was written for) and
raises :class:`ImportError` with both versions otherwise. It then declares
``argtypes`` and ``restype`` for every function of ``include/linreg.h``; a
library that lacks one (a stale build of the same version) is refused with
:class:`ImportError` naming the missing functions.

Test seam: every C call of the binding goes through the attributes of the
single :class:`CApi` object returned by :func:`api`, so a test can replace one
function (``monkeypatch.setattr(api(), "linreg_fit_f64", spy)``) to see the
exact pointers the binding passes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
import threading
from ctypes import POINTER, c_char_p, c_double, c_float, c_int, c_int32, c_int64, c_void_p
from pathlib import Path
from typing import List, Optional, Tuple

from ._errors import LINREG_OK, make_error

__all__ = [
    "EXPECTED_VERSION",
    "EXPECTED_VERSION_NUMBER",
    "CApi",
    "api",
    "check",
    "candidate_paths",
    "load_library",
    "PROGRESS_FN",
    "ModelPtr",
]

#: The header version this binding was written for (include/linreg.h).
EXPECTED_VERSION: Tuple[int, int, int] = (0, 1, 0)
#: As LINREG_VERSION_NUMBER: 10000*major + 100*minor + patch.
EXPECTED_VERSION_NUMBER: int = EXPECTED_VERSION[0] * 10000 + EXPECTED_VERSION[1] * 100 + EXPECTED_VERSION[2]

ENV_VAR = "LINREG_LIBRARY"
LIBRARY_NAME = "liblinreg.so"


class _Model(ctypes.Structure):
    """Opaque ``struct linreg_model``."""


#: ``linreg_model *``: a typed pointer, so a handle can never be confused with
#: an integer or a data pointer.
ModelPtr = POINTER(_Model)

#: ``typedef int (*linreg_progress_fn)(int64_t epoch, double loss, void *user_data);``
PROGRESS_FN = ctypes.CFUNCTYPE(c_int, c_int64, c_double, c_void_p)

_status = c_int  # enum linreg_status
_enum = c_int  # enum linreg_param / linreg_stat / linreg_coef_stat
_p_i64 = POINTER(c_int64)
_p_f64 = POINTER(c_double)
_p_f32 = POINTER(c_float)

# name -> (restype, argtypes): EVERY function of include/linreg.h.
PROTOTYPES = {
    "linreg_version_number": (c_int, []),
    "linreg_version_string": (c_char_p, []),
    "linreg_status_string": (c_char_p, [c_int]),
    "linreg_last_error": (c_char_p, []),
    "linreg_create": (_status, [c_int64, c_int64, POINTER(ModelPtr)]),
    "linreg_free": (None, [ModelPtr]),
    "linreg_get_shape": (_status, [ModelPtr, _p_i64, _p_i64]),
    "linreg_is_fitted": (c_int, [ModelPtr]),
    "linreg_set_param": (_status, [ModelPtr, _enum, c_double]),
    "linreg_get_param": (_status, [ModelPtr, _enum, _p_f64]),
    "linreg_set_progress": (_status, [ModelPtr, PROGRESS_FN, c_void_p]),
    "linreg_fit_f32": (_status, [ModelPtr, _p_f32, _p_f32, c_int64]),
    "linreg_fit_f64": (_status, [ModelPtr, _p_f64, _p_f64, c_int64]),
    "linreg_fit_weighted_f32": (_status, [ModelPtr, _p_f32, _p_f32, _p_f32, c_int64]),
    "linreg_fit_weighted_f64": (_status, [ModelPtr, _p_f64, _p_f64, _p_f64, c_int64]),
    "linreg_partial_fit_f32": (_status, [ModelPtr, _p_f32, _p_f32, c_int64]),
    "linreg_partial_fit_f64": (_status, [ModelPtr, _p_f64, _p_f64, c_int64]),
    "linreg_partial_fit_weighted_f32": (_status, [ModelPtr, _p_f32, _p_f32, _p_f32, c_int64]),
    "linreg_partial_fit_weighted_f64": (_status, [ModelPtr, _p_f64, _p_f64, _p_f64, c_int64]),
    "linreg_merge": (_status, [ModelPtr, ModelPtr]),
    "linreg_predict_f32": (_status, [ModelPtr, _p_f32, c_int64, _p_f32]),
    "linreg_predict_f64": (_status, [ModelPtr, _p_f64, c_int64, _p_f64]),
    "linreg_get_weights": (_status, [ModelPtr, _p_f64, _p_f64]),
    "linreg_set_weights": (_status, [ModelPtr, _p_f64, _p_f64]),
    "linreg_loss_history": (_status, [ModelPtr, _p_f64, c_int64, _p_i64]),
    "linreg_get_stat": (_status, [ModelPtr, _enum, _p_f64]),
    "linreg_get_coef_stats": (_status, [ModelPtr, _enum, _p_f64]),
    "linreg_singular_values": (_status, [ModelPtr, _p_f64, c_int64, _p_i64]),
    "linreg_serialize": (_status, [ModelPtr, c_void_p, c_int64, _p_i64]),
    "linreg_deserialize": (_status, [c_void_p, c_int64, POINTER(ModelPtr)]),
    "linreg_save": (_status, [ModelPtr, c_char_p]),
    "linreg_load": (_status, [c_char_p, POINTER(ModelPtr)]),
    "linreg_set_names": (_status, [ModelPtr, POINTER(c_char_p), POINTER(c_char_p)]),
    "linreg_get_feature_name": (_status, [ModelPtr, c_int64, c_char_p, c_int64, _p_i64]),
    "linreg_get_target_name": (_status, [ModelPtr, c_int64, c_char_p, c_int64, _p_i64]),
    "linreg_get_solver_info": (_status, [ModelPtr, POINTER(c_int32), _p_i64]),
    "linreg_cov_begin": (_status, [ModelPtr]),
    "linreg_cov_pass_f32": (_status, [ModelPtr, _p_f32, _p_f32, _p_f32, _p_i64, c_int64, c_int64]),
    "linreg_cov_pass_f64": (_status, [ModelPtr, _p_f64, _p_f64, _p_f64, _p_i64, c_int64, c_int64]),
    "linreg_cov_merge": (_status, [ModelPtr, ModelPtr]),
    "linreg_get_cov_params": (_status, [ModelPtr, _p_f64]),
    "linreg_wald_test": (_status, [ModelPtr, c_int64, _p_f64, _p_f64, c_int64, _p_f64, _p_f64, _p_f64, _p_f64]),
    "linreg_predict_interval_f64": (_status, [ModelPtr, _p_f64, _p_f64, c_int64, c_double, _p_f64]),
    "linreg_residual_pass_f32": (_status, [ModelPtr, _p_f32, _p_f32, _p_f32, c_int64, c_int32]),
    "linreg_residual_pass_f64": (_status, [ModelPtr, _p_f64, _p_f64, _p_f64, c_int64, c_int32]),
    "linreg_influence_f32": (_status, [ModelPtr, _p_f32, _p_f32, _p_f32, c_int64, POINTER(c_int32), c_int64,
                                       POINTER(_p_f64)]),
    "linreg_influence_f64": (_status, [ModelPtr, _p_f64, _p_f64, _p_f64, c_int64, POINTER(c_int32), c_int64,
                                       POINTER(_p_f64)]),
    "linreg_get_alias": (_status, [ModelPtr, _p_f64]),
    # lasso / elastic net on the accumulated statistics (experimental, since 0.2)
    "linreg_enet_alpha_grid": (_status, [ModelPtr, c_double, c_int32, c_int32, c_double, c_int64, _p_f64]),
    "linreg_enet_path": (_status, [ModelPtr, _p_f64, c_int64, c_double, c_int32, c_int32, c_double, c_int64,
                                   _p_f64, _p_f64, _p_f64, _p_i64]),
    "linreg_enet_fit": (_status, [ModelPtr, c_double, c_double, c_int32, c_int32, c_double, c_int64,
                                  _p_f64, _p_i64]),
    "linreg_enet_accumulate_f32": (_status, [ModelPtr, _p_f32, _p_f32, _p_f32, c_int64]),
    "linreg_enet_accumulate_f64": (_status, [ModelPtr, _p_f64, _p_f64, _p_f64, c_int64]),
    "linreg_enet_merge_statistics": (_status, [ModelPtr, ModelPtr]),
    "linreg_enet_cv_path": (_status, [ModelPtr, POINTER(ModelPtr), POINTER(ModelPtr), c_int64, _p_f64, c_int64,
                                      c_double, c_int32, c_int32, c_double, c_int64, _p_f64]),
    # since 0.2 (experimental): ridge penalty selection by exact leave-one-out (linreg.RidgeCV)
    "linreg_ridgecv_loo_f32": (_status, [ModelPtr, _p_f32, _p_f32, _p_f32, c_int64, _p_f64, c_int64, _p_f64, _p_f64]),
    "linreg_ridgecv_loo_f64": (_status, [ModelPtr, _p_f64, _p_f64, _p_f64, c_int64, _p_f64, c_int64, _p_f64, _p_f64]),
    "linreg_ridgecv_solve": (_status, [ModelPtr, _p_f64]),
}

class CApi:
    """The loaded library: one attribute per C function, prototypes declared.

    Attributes ``path`` (the file that was loaded), ``version`` (its
    ``linreg_version_string()``) and ``version_number``.
    """

    def __init__(self, cdll: ctypes.CDLL, path: str) -> None:
        self._cdll = cdll
        self.path = path
        #: header functions the library does not export: always empty, since such a
        #: library is refused (its version matches, so it is a stale build)
        self.missing: List[str] = [name for name in PROTOTYPES if not hasattr(cdll, name)]
        if self.missing:
            raise ImportError(
                f"liblinreg at {path} lacks the function(s) {', '.join(self.missing)} of "
                "include/linreg.h: it is a stale build of this version; rebuild it (make lib)"
            )
        for name, (restype, argtypes) in PROTOTYPES.items():
            fn = getattr(cdll, name)
            fn.restype = restype
            fn.argtypes = argtypes
            setattr(self, name, fn)
        self.version_number = int(self.linreg_version_number())
        self.version = self.linreg_version_string().decode("ascii", "replace")

    def last_error(self) -> str:
        """This thread's last error message (``linreg_last_error()``)."""
        raw = self.linreg_last_error()
        return raw.decode("utf-8", "replace") if raw else ""

    def status_string(self, status: int) -> str:
        raw = self.linreg_status_string(int(status))
        return raw.decode("utf-8", "replace") if raw else ""


def _package_dir() -> Path:
    return Path(__file__).resolve().parent


def _repo_build_candidate() -> Optional[Path]:
    """<repo>/build/lib/liblinreg.so when this file sits in <repo>/bindings/python/linreg/."""
    pkg = _package_dir()
    try:
        repo = pkg.parents[2]
    except IndexError:  # pragma: no cover - a very shallow install path
        return None
    if not (repo / "include" / "linreg.h").is_file():
        return None  # not the source tree (an installed copy)
    return repo / "build" / "lib" / LIBRARY_NAME


def candidate_paths() -> List[Tuple[str, Optional[str]]]:
    """The candidates in search order, as (description, path) pairs.

    ``path`` is None for a candidate that does not apply (with the reason in
    the description).
    """
    env = os.environ.get(ENV_VAR)
    if env:
        p = os.path.abspath(os.path.expanduser(env))
        if os.path.isdir(p):
            p = os.path.join(p, LIBRARY_NAME)
        return [(f"${ENV_VAR}", p)]
    out: List[Tuple[str, Optional[str]]] = []
    shipped_dir = _package_dir() / "_lib"
    shipped = sorted(glob.glob(str(shipped_dir / (LIBRARY_NAME + "*"))), key=len)
    if shipped:
        out.extend(("shipped in the package", s) for s in shipped)
    else:
        out.append(("shipped in the package", str(shipped_dir / LIBRARY_NAME)))
    repo_lib = _repo_build_candidate()
    if repo_lib is not None:
        out.append(("repository build output", str(repo_lib)))
    else:
        out.append(("repository build output (not running from the source tree)", None))
    found = ctypes.util.find_library("linreg")
    out.append(('system loader (ctypes.util.find_library("linreg"))', found))
    return out


def load_library() -> CApi:
    """Load liblinreg following the search order; see the module docstring."""
    tried: List[str] = []
    for desc, path in candidate_paths():
        if path is None:
            tried.append(f"  - {desc}: nothing found")
            continue
        if os.sep in path and not os.path.exists(path):
            tried.append(f"  - {desc}: {path}: no such file")
            continue
        try:
            cdll = ctypes.CDLL(path)
        except OSError as exc:
            tried.append(f"  - {desc}: {path}: {exc}")
            continue
        try:
            number = int(_version_number_of(cdll))
        except AttributeError:
            tried.append(f"  - {desc}: {path}: not liblinreg (no linreg_version_number)")
            continue
        check_version(number, path)
        return CApi(cdll, path)
    hint = (
        f"Set {ENV_VAR} to the library file, build it with `make` in the repository, "
        "or install it where the system loader finds it."
    )
    raise ImportError("liblinreg could not be loaded; tried, in order:\n" + "\n".join(tried) + "\n" + hint)


def _version_number_of(cdll: ctypes.CDLL) -> int:
    fn = cdll.linreg_version_number
    fn.restype = c_int
    fn.argtypes = []
    return fn()


def check_version(found: int, path: str = "liblinreg") -> None:
    """Raise ImportError unless ``found`` equals :data:`EXPECTED_VERSION_NUMBER`.

    The check is exact: before 1.0 any release may change the ABI, and the
    binding ships with the library it was written for.
    """
    if int(found) != EXPECTED_VERSION_NUMBER:
        def fmt(n: int) -> str:
            return f"{n // 10000}.{n // 100 % 100}.{n % 100} ({n})"

        raise ImportError(
            f"liblinreg version mismatch: the library at {path} is version {fmt(int(found))}, "
            f"but this binding was written for version {fmt(EXPECTED_VERSION_NUMBER)}"
        )


_API: Optional[CApi] = None
_LOCK = threading.Lock()


def api() -> CApi:
    """The loaded library (loaded on first use; raises ImportError when impossible)."""
    global _API
    if _API is None:
        with _LOCK:
            if _API is None:
                _API = load_library()
    return _API


def check(status: int, capi: Optional[CApi] = None) -> None:
    """Raise the exception for a failed status, with the library's message."""
    if status == LINREG_OK:
        return
    capi = capi or api()
    message = capi.last_error() or capi.status_string(status)
    raise make_error(status, message)
