"""liblinreg for Python: linear regression computed by the liblinreg C library.

>>> import numpy as np, linreg
>>> X = np.array([[1.0], [2.0], [3.0]]); y = np.array([2.0, 4.0, 6.0])
>>> linreg.LinearRegression().fit(X, y).coef_
array([2.])

Pure Python over ctypes (no compiled extension). Importing the package loads
the library (search order in :mod:`linreg._library`: ``$LINREG_LIBRARY``, a
copy in ``linreg/_lib/``, the repository's ``build/lib/``, the system loader)
and checks that its version is the one this binding was written for,
raising ``ImportError`` otherwise.

Input conversion rules: see :mod:`linreg._arrays`. Errors: see
:mod:`linreg._errors`. Estimator parameters: :mod:`linreg._params`. A fit's
weights and statistics (statsmodels' names): :class:`linreg.RegressionResults`,
the estimator's ``results_``. Persistence: ``LinearRegression.save(path)`` and
``linreg.load(path)`` (liblinreg's file format; pickle and joblib work too).
Streaming: ``LinearRegression.partial_fit``. Distributed fits on Dask:
:func:`linreg.dask.fit` (``linreg.dask`` imports dask only when used).
"""

from __future__ import annotations

from ._errors import (
    ArgumentError,
    DivergedError,
    FormatError,
    InternalError,
    LinregError,
    LinregIOError,
    NonFiniteError,
    NotFittedError,
    OutOfMemoryError,
    ResultOverflowError,
    UnavailableError,
)
from ._library import EXPECTED_VERSION_NUMBER, api as _api

_capi = _api()  # load now: ImportError (with the paths tried, or both versions) if impossible

from ._model import CoefStat, InfluenceMeasure, Model, Param, Solver, Stat  # noqa: E402
from .estimator import LinearRegression, load  # noqa: E402
from .influence import Influence  # noqa: E402
from .regularized import ElasticNet, ElasticNetCV, Lasso, LassoCV, enet_path, lasso_path  # noqa: E402
from .results import RegressionResults  # noqa: E402
from .ridge_cv import RidgeCV  # noqa: E402
from .summary import Summary  # noqa: E402

__version__ = "0.1.0"

#: Path of the loaded shared library.
library_path: str = _capi.path
#: Version of the loaded library, "MAJOR.MINOR.PATCH".
library_version: str = _capi.version


def __getattr__(name: str):
    # ``linreg.dask`` is imported on first use, so ``import linreg`` never needs dask.
    if name == "dask":
        import importlib

        return importlib.import_module(".dask", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def version_number() -> int:
    """``linreg_version_number()`` of the loaded library."""
    return int(_capi.linreg_version_number())


__all__ = [
    "LinearRegression",
    "Lasso",
    "ElasticNet",
    "LassoCV",
    "ElasticNetCV",
    "enet_path",
    "lasso_path",
    "RidgeCV",
    "load",
    "RegressionResults",
    "Model",
    "Summary",
    "Param",
    "Solver",
    "Stat",
    "CoefStat",
    "InfluenceMeasure",
    "Influence",
    "LinregError",
    "ArgumentError",
    "NonFiniteError",
    "NotFittedError",
    "DivergedError",
    "OutOfMemoryError",
    "UnavailableError",
    "InternalError",
    "FormatError",
    "LinregIOError",
    "ResultOverflowError",
    "EXPECTED_VERSION_NUMBER",
    "library_path",
    "library_version",
    "version_number",
]
