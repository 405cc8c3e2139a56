"""Exceptions raised by the liblinreg binding.

Every failing C call returns a ``linreg_status``; the binding turns it into an
exception whose message is the library's own (``linreg_last_error()``, which
names the argument, row or column at fault). All of them derive from
:class:`LinregError`, so ``except linreg.LinregError`` catches anything the
library reports, and each also derives from the built-in exception a Python
user would expect:

==========================  ================================  ==========================================
C status                    exception                         also an instance of
==========================  ================================  ==========================================
``LINREG_E_ARGUMENT``       :class:`ArgumentError`            ``ValueError``
``LINREG_E_NONFINITE``      :class:`NonFiniteError`           ``FloatingPointError``, ``ValueError``
``LINREG_E_NOT_FITTED``     :class:`NotFittedError`           ``sklearn.exceptions.NotFittedError``
                                                              (``ValueError``, ``AttributeError``)
``LINREG_E_DIVERGED``       :class:`DivergedError`            ``FloatingPointError``
``LINREG_E_NOMEM``          :class:`OutOfMemoryError`         ``MemoryError``
``LINREG_E_UNAVAILABLE``    :class:`UnavailableError`         ``RuntimeError``, ``AttributeError``
``LINREG_E_INTERNAL``       :class:`InternalError`            ``RuntimeError``
``LINREG_E_FORMAT``         :class:`FormatError`              ``ValueError``
``LINREG_E_IO``             :class:`LinregIOError`            ``OSError``
``LINREG_E_OVERFLOW``       :class:`ResultOverflowError`      ``OverflowError``
==========================  ================================  ==========================================

Why these choices:

* Non-finite *input* is bad input (``ValueError``, which is what scikit-learn's
  conventions and ``check_estimator`` expect) and also a floating-point problem
  (``FloatingPointError``, like numpy's ``errstate(invalid="raise")``).
* Divergence is not the caller's data being wrong but the arithmetic blowing
  up (learning rate too large), so it is a ``FloatingPointError`` only.
* ``NotFittedError`` subclasses scikit-learn's class when scikit-learn is
  importable, so ``except sklearn.exceptions.NotFittedError`` works; without
  scikit-learn it is a compatible ``ValueError``/``AttributeError``.
* Statistics that a fit does not hold (after GD/SGD or ridge) raise
  :class:`UnavailableError`, which is also an ``AttributeError`` so that
  ``hasattr(model, "pvalues_")`` answers ``False`` instead of raising.

Errors that the binding detects itself before calling C (a wrong shape, an
empty array, ...) use the same classes, with ``status`` set to the status C
would have returned.
"""

from __future__ import annotations

from typing import Dict, Optional, Type

__all__ = [
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
    "LINREG_OK",
    "LINREG_E_ARGUMENT",
    "LINREG_E_NONFINITE",
    "LINREG_E_NOT_FITTED",
    "LINREG_E_DIVERGED",
    "LINREG_E_NOMEM",
    "LINREG_E_UNAVAILABLE",
    "LINREG_E_INTERNAL",
    "LINREG_E_FORMAT",
    "LINREG_E_IO",
    "LINREG_E_OVERFLOW",
]

# Status codes (include/linreg.h, enum linreg_status). Never reused.
LINREG_OK = 0
LINREG_E_ARGUMENT = 1
LINREG_E_NONFINITE = 2
LINREG_E_NOT_FITTED = 3
LINREG_E_DIVERGED = 4
LINREG_E_NOMEM = 5
LINREG_E_UNAVAILABLE = 6
LINREG_E_INTERNAL = 7
LINREG_E_FORMAT = 8
LINREG_E_IO = 9
LINREG_E_OVERFLOW = 10


class LinregError(Exception):
    """Base class of every error reported by liblinreg or its binding.

    Attributes
    ----------
    status : int
        The ``linreg_status`` code (``LINREG_E_*``).
    message : str
        The message, as the library wrote it when the library detected the
        problem (``linreg_last_error()``).
    """

    status: int = LINREG_E_INTERNAL

    def __init__(self, message: str = "", status: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def __str__(self) -> str:  # keep str() free of the tuple formatting of multi-base exceptions
        return self.message


class ArgumentError(LinregError, ValueError):
    """Invalid argument: bad size, shape, parameter key or value (LINREG_E_ARGUMENT)."""

    status = LINREG_E_ARGUMENT


class NonFiniteError(LinregError, FloatingPointError, ValueError):
    """NaN or infinity in X, y, weights or sample weights (LINREG_E_NONFINITE)."""

    status = LINREG_E_NONFINITE


class DivergedError(LinregError, FloatingPointError):
    """Gradient descent produced a non-finite loss or weight (LINREG_E_DIVERGED).

    Usually the learning rate is too large for the scale of the features.
    """

    status = LINREG_E_DIVERGED


def _sklearn_not_fitted_base() -> Type[Exception]:
    try:  # scikit-learn is optional
        from sklearn.exceptions import NotFittedError as _SkNotFittedError
    except Exception:  # pragma: no cover - exercised only without scikit-learn

        class _SkNotFittedError(ValueError, AttributeError):  # type: ignore[no-redef]
            """Stand-in for sklearn.exceptions.NotFittedError."""

    return _SkNotFittedError


class NotFittedError(LinregError, _sklearn_not_fitted_base()):  # type: ignore[misc]
    """The model has no weights yet (LINREG_E_NOT_FITTED).

    A subclass of ``sklearn.exceptions.NotFittedError`` when scikit-learn is
    installed; otherwise of ``ValueError`` and ``AttributeError``, like it.
    """

    status = LINREG_E_NOT_FITTED


class OutOfMemoryError(LinregError, MemoryError):
    """An allocation inside the library failed (LINREG_E_NOMEM)."""

    status = LINREG_E_NOMEM


class UnavailableError(LinregError, RuntimeError, AttributeError):
    """The model holds no such result (LINREG_E_UNAVAILABLE).

    Statistics exist only after an unpenalised exact fit. Also an
    ``AttributeError``, so ``hasattr(est, "pvalues_")`` is ``False`` then.
    """

    status = LINREG_E_UNAVAILABLE


class InternalError(LinregError, RuntimeError):
    """A bug in liblinreg (LINREG_E_INTERNAL)."""

    status = LINREG_E_INTERNAL


class FormatError(LinregError, ValueError):
    """Model bytes or file truncated, corrupted, of another version, or not a model (LINREG_E_FORMAT)."""

    status = LINREG_E_FORMAT


class LinregIOError(LinregError, OSError):
    """The operating system refused a file operation (LINREG_E_IO); the message has the reason."""

    status = LINREG_E_IO

    def __init__(self, message: str = "", status: Optional[int] = None) -> None:
        OSError.__init__(self, message)
        self.message = message
        if status is not None:
            self.status = status


class ResultOverflowError(LinregError, OverflowError):
    """A coefficient or prediction is too large for the output type (LINREG_E_OVERFLOW)."""

    status = LINREG_E_OVERFLOW


_BY_STATUS: Dict[int, Type[LinregError]] = {
    LINREG_E_ARGUMENT: ArgumentError,
    LINREG_E_NONFINITE: NonFiniteError,
    LINREG_E_NOT_FITTED: NotFittedError,
    LINREG_E_DIVERGED: DivergedError,
    LINREG_E_NOMEM: OutOfMemoryError,
    LINREG_E_UNAVAILABLE: UnavailableError,
    LINREG_E_INTERNAL: InternalError,
    LINREG_E_FORMAT: FormatError,
    LINREG_E_IO: LinregIOError,
    LINREG_E_OVERFLOW: ResultOverflowError,
}


def error_class(status: int) -> Type[LinregError]:
    """The exception class for a non-zero ``linreg_status``.

    Unknown codes (from a newer library) map to :class:`LinregError`.
    """
    return _BY_STATUS.get(int(status), LinregError)


def make_error(status: int, message: str) -> LinregError:
    """Build the exception for ``status`` carrying ``message``."""
    cls = error_class(status)
    if cls is NonFiniteError and "NaN" not in message and "inf" not in message:
        # scikit-learn (check_estimator) looks for "NaN" or "inf" in the message;
        # liblinreg may spell NaN in lower case ("X[0][0] is nan ...").
        message = f"{message} (input contains NaN or infinity)"
    err = cls(message, status=int(status))
    return err
