"""The estimator's parameters: one table, and everything derived from it.

:data:`PARAMS` lists every constructor argument of
:class:`linreg.LinearRegression` once: its name, the C parameter it sets
(``enum linreg_param``), its Python type, its default and its valid range
(the range liblinreg checks, in words, quoted when C refuses a value). From
that table come the constructor's signature and ``get_params``
(:func:`signature`, :func:`names`), the validation and conversion to C values
(:func:`to_c`), the error that names the argument when C refuses a value
(:func:`apply`), and the constructor arguments that reproduce a C model's
parameters (:func:`from_model`).
"""

from __future__ import annotations

import inspect
import numbers
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional, Tuple

import numpy as np

from ._errors import ArgumentError
from ._model import CovType, Model, Param, Solver

__all__ = ["Spec", "PARAMS", "SOLVERS", "names", "signature", "to_c", "apply", "from_model"]

#: solver name -> C value
SOLVERS: Dict[str, Solver] = {"exact": Solver.EXACT, "gd": Solver.GD, "sgd": Solver.SGD}
_SOLVER_NAMES = {int(v): k for k, v in SOLVERS.items()}
#: cov_type name (statsmodels' spelling) -> C value
COV_TYPES: Dict[str, CovType] = {
    "nonrobust": CovType.NONROBUST, "HC0": CovType.HC0, "HC1": CovType.HC1, "HC2": CovType.HC2,
    "HC3": CovType.HC3, "cluster": CovType.CLUSTER,
}
_COV_TYPE_NAMES = {int(v): k for k, v in COV_TYPES.items()}
MAX_SEED = 2**53


def _is_int(v: Any) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _real(spec: "Spec", value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ArgumentError(f"{spec.name} must be a real number, got {value!r}")
    return float(value)


def _integer(spec: "Spec", value: Any) -> float:
    if not _is_int(value):
        raise ArgumentError(f"{spec.name} must be an integer, got {value!r}")
    return float(value)


def _boolean(spec: "Spec", value: Any) -> float:
    if value not in (True, False, 0, 1):
        raise ArgumentError(f"{spec.name} must be a bool, got {value!r}")
    return 1.0 if value else 0.0


def _solver(spec: "Spec", value: Any) -> float:
    if not isinstance(value, str) or value not in SOLVERS:
        raise ArgumentError(f"solver must be one of {sorted(SOLVERS)}, got {value!r}")
    return float(SOLVERS[value])


def _cov_type(spec: "Spec", value: Any) -> float:
    if not isinstance(value, str) or value not in COV_TYPES:
        raise ArgumentError(f"cov_type must be one of {list(COV_TYPES)}, got {value!r}")
    return float(COV_TYPES[value])


def _optional(convert: Callable[["Spec", Any], float], none: float) -> Callable[["Spec", Any], float]:
    return lambda spec, value: none if value is None else convert(spec, value)


def _seed(spec: "Spec", value: Any) -> float:
    """A seed drawn from ``random_state`` (only used for a shuffled SGD fit)."""
    if value is None:
        return float(np.random.randint(0, 2**31 - 1))
    if _is_int(value):
        if not 0 <= int(value) <= MAX_SEED:
            raise ArgumentError(f"random_state must be in 0 ... 2**53, got {value}")
        return float(int(value))
    if isinstance(value, np.random.RandomState):
        return float(value.randint(0, 2**31 - 1))
    if isinstance(value, np.random.Generator):
        return float(value.integers(0, MAX_SEED, endpoint=True))
    raise ArgumentError(f"random_state must be None, an int or a numpy random generator, got {value!r}")


@dataclass(frozen=True)
class Spec:
    """One constructor argument."""

    name: str
    key: Optional[Param]  # None: a Python-only argument (not sent to C)
    type: str  # in words, for the documentation
    default: Any
    range: str  # the valid values, in words
    convert: Optional[Callable[["Spec", Any], float]] = None  # Python value -> C value (validated)
    back: Optional[Callable[[float], Any]] = None  # C value -> Python value


PARAMS: Tuple[Spec, ...] = (
    Spec("solver", Param.SOLVER, "str", "exact", "'exact', 'gd' or 'sgd'", _solver,
         lambda v: _SOLVER_NAMES.get(int(v), "exact")),
    Spec("fit_intercept", Param.FIT_INTERCEPT, "bool", True, "True or False", _boolean, bool),
    Spec("alpha", Param.ALPHA, "float", 0.0, "finite and >= 0; solver='exact' only", _real, float),
    Spec("learning_rate", Param.LEARNING_RATE, "float", 0.01, "finite and > 0", _real, float),
    Spec("epochs", Param.EPOCHS, "int", 1000, "0 ... 2**31-1", _integer, int),
    Spec("batch_size", Param.BATCH_SIZE, "int", 32, "1 ... 2**31-1", _integer, int),
    Spec("shuffle", Param.SHUFFLE, "bool", False, "True or False", _boolean, bool),
    # the seed is drawn at fit time, and only for a shuffled SGD fit (see to_c)
    Spec("random_state", Param.SEED, "int, RandomState, Generator or None", None,
         "None, an int in 0 ... 2**53, or a numpy random generator", _seed, int),
    Spec("momentum", Param.MOMENTUM, "float", 0.0, "0 <= momentum < 1; solver='gd'/'sgd' only", _real, float),
    Spec("weight_decay", Param.WEIGHT_DECAY, "float", 0.0, "finite and >= 0; solver='gd'/'sgd' only",
         _real, float),
    # positive=True is the C solver LINREG_SOLVER_NNLS (see to_c and from_model)
    Spec("positive", None, "bool", False, "True or False; solver='exact' and alpha=0 only"),
    Spec("ci_level", Param.CI_LEVEL, "float", 0.95, "0 < ci_level < 1", _real, float),
    Spec("n_threads", Param.THREADS, "int or None", None, "None or 0 (all cores), or 1 ... 1024",
         _optional(_integer, 0.0), lambda v: int(v) if v != 0 else None),
    Spec("rcond", Param.RCOND, "float or None", None, "None (numpy.linalg.lstsq's rule), or finite and >= 0",
         _optional(_real, -1.0), lambda v: v if v != -1.0 else None),
    Spec("cov_type", Param.COV_TYPE, "str", "nonrobust", "'nonrobust', 'HC0', 'HC1', 'HC2', 'HC3' or 'cluster'",
         _cov_type, lambda v: _COV_TYPE_NAMES.get(int(v), "nonrobust")),
    Spec("use_t", Param.USE_T, "bool or None", None,
         "None (t for nonrobust, normal for robust cov_type, as statsmodels), True or False",
         _optional(_boolean, -1.0), lambda v: None if v == -1.0 else bool(v)),
    Spec("callback", None, "callable or None", None, "None or callable(epoch, loss) -> bool | None"),
    Spec("missing", None, "str", "raise", "'raise' or 'drop' (rows with NaN; see linreg.missing)"),
)

BY_NAME: Dict[str, Spec] = {s.name: s for s in PARAMS}
BY_KEY: Dict[Param, Spec] = {s.key: s for s in PARAMS if s.key is not None}


def names() -> Tuple[str, ...]:
    """The constructor arguments, in table order."""
    return tuple(s.name for s in PARAMS)


def signature() -> inspect.Signature:
    """``__init__(self, *, <every argument>=<default>)``: keyword-only, as scikit-learn's."""
    kw = inspect.Parameter.KEYWORD_ONLY
    return inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(s.name, kw, default=s.default) for s in PARAMS]
    )


def _invalid(owner: str, spec: Spec, value: Any, message: str) -> ArgumentError:
    return ArgumentError(f"{owner}: invalid {spec.name}={value!r} (expected {spec.range}): {message}")


def to_c(owner: str, values: Dict[str, Any]) -> Dict[Param, float]:
    """Validate the arguments ``values`` (name -> value) and convert them to C values.

    Types are checked here, ranges by liblinreg in :func:`apply`. Raises
    :class:`ArgumentError` naming the argument.
    """
    out: Dict[Param, float] = {}
    for spec in PARAMS:
        if spec.key is None or spec.key == Param.SEED:
            continue
        try:
            out[spec.key] = spec.convert(spec, values[spec.name])
        except ArgumentError as exc:
            raise ArgumentError(f"{owner}: {exc.message}") from None
    solver = Solver(int(out[Param.SOLVER]))
    if solver != Solver.EXACT and out[Param.ALPHA] != 0.0:
        raise ArgumentError(
            f"{owner}: alpha (ridge penalty) applies to solver='exact' only; "
            "use weight_decay with solver='gd'/'sgd'"
        )
    if solver == Solver.EXACT and (out[Param.MOMENTUM] != 0.0 or out[Param.WEIGHT_DECAY] != 0.0):
        raise ArgumentError(f"{owner}: momentum and weight_decay apply to solver='gd'/'sgd' only")
    positive = values.get("positive", False)
    if positive not in (True, False, 0, 1):
        raise ArgumentError(f"{owner}: positive must be a bool, got {positive!r}")
    if positive:  # non-negative least squares (ridge with alpha > 0): the C solver LINREG_SOLVER_NNLS
        if solver != Solver.EXACT:
            raise ArgumentError(
                f"{owner}: positive=True (non-negative least squares) needs solver='exact'"
            )
        out[Param.SOLVER] = float(Solver.NNLS)
    seed = 0.0  # only a shuffled SGD fit draws a seed (random_state None draws a new one each fit)
    if out[Param.SHUFFLE] and solver == Solver.SGD:
        spec = BY_KEY[Param.SEED]
        try:
            seed = spec.convert(spec, values[spec.name])
        except ArgumentError as exc:
            raise ArgumentError(f"{owner}: {exc.message}") from None
    out[Param.SEED] = seed
    return {key: out[key] for key in sorted(out)}


def apply(model: Model, c_values: Dict[Param, float], owner: str, values: Dict[str, Any]) -> None:
    """Set every C parameter on ``model``; a value C refuses raises an error naming the argument."""
    for key, value in c_values.items():
        try:
            model.set_param(key, value)
        except ArgumentError as exc:
            spec = BY_KEY[key]
            raise _invalid(owner, spec, values[spec.name], exc.message) from None


def from_model(model: Model) -> Dict[str, Any]:
    """The constructor arguments that reproduce a C model's parameters."""
    out = {s.name: s.back(model.get_param(s.key)) for s in PARAMS if s.key is not None}
    out["positive"] = int(model.get_param(Param.SOLVER)) == Solver.NNLS
    if out["positive"]:
        out["solver"] = "exact"
    if not (out["shuffle"] and out["solver"] == "sgd"):
        out["random_state"] = None  # the default; the seed only matters to a shuffled SGD fit
    out["callback"] = None
    return out
