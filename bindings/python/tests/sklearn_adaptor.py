"""Run scikit-learn's own ``test_base.py`` and ``test_ridge.py`` against linreg.

scikit-learn's linear-model test suites (from the installed scikit-learn, the
version of the test environment) are loaded as private module copies while
``sklearn.linear_model.LinearRegression`` and ``sklearn.linear_model.Ridge``
are replaced by the adaptors below, so every ``LinearRegression(...)`` and
``Ridge(...)`` in them -- in test bodies and in parametrize lists alike -- is
liblinreg's exact solver behind scikit-learn's constructor signature. The
test modules ``test_sklearn_base.py`` and ``test_sklearn_ridge.py`` expose
those test functions (with their parametrizations and the module's fixtures)
to pytest; ``conftest.py`` applies the lists below to the collected items and
prints them with a count summary at the end of the run.

The adaptors map scikit-learn's arguments by name (nothing else):

* ``fit_intercept`` -> ``fit_intercept``; Ridge ``alpha`` (a scalar) ->
  ``alpha`` of the exact solver; ``alpha=0`` is least squares;
* every Ridge ``solver`` name ("auto", "svd", "cholesky", "lsqr",
  "sparse_cg", "sag", "saga") is an alias of liblinreg's one exact solver
  (``solver_`` echoes the alias requested; ``n_iter_`` is None, as
  scikit-learn's for its direct solvers); ``max_iter``, ``tol`` and
  ``random_state`` are accepted and unused (nothing iterates);
* ``copy_X`` is accepted (liblinreg never modifies its inputs);
  ``n_jobs`` -> ``n_threads``;
* sparse X (or y) is densified;
* scikit-learn's shape conventions that differ from ``linreg.LinearRegression``
  (Ridge's raveled ``coef_`` for one-column y; a 0.0 ``intercept_`` without
  intercept) are applied to the copies of the fitted attributes.

``LinearRegression(positive=True)`` is liblinreg's non-negative least
squares (``positive=True``). ``RidgeCV`` with ``scoring=None`` is
``linreg.RidgeCV`` (exact leave-one-out, or K-fold with ``cv``); with
``scoring`` given (the suites' reference fits) it is scikit-learn's own
RidgeCV, which does not count as reaching the estimator. Features the
adaptor declares missing raise :class:`MissingFeature`:
``Ridge(positive=True)``, per-target alpha arrays, and ``solver="lbfgs"``
(scikit-learn allows it only with ``positive=True``). ``RidgeClassifier``
and ``RidgeClassifierCV`` are not replaced (scikit-learn's classification
code would run, not liblinreg): tests that use only them are listed in
:data:`NOT_REACHING`.

Two lists, by test id pattern (``fnmatch`` on ``"<suite>::<name>[<params>]"``):

* :data:`MISSING`: tests that use a feature the adaptor declares missing. They
  run as strict ``xfail``: they must fail (a pass means the list is stale).
* :data:`NOT_REACHING`: tests that never reach the estimator (they test
  scikit-learn internals, or only the classes not replaced). They are skipped.

Every other test must pass, and must reach the estimator: a test that passes
without fitting an adaptor fails (so the lists cannot silently rot).

``pytest.raises(..., match=...)`` inside the suites tolerates different
wording only for errors raised by liblinreg itself (``linreg.LinregError``):
the exception type must still match; every other message must match as
written.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import importlib.util
import re
import sys
import types
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pytest

import linreg

sklearn = pytest.importorskip("sklearn")
import sklearn.linear_model  # noqa: E402
from scipy import sparse as _sparse  # noqa: E402
from sklearn.base import BaseEstimator, RegressorMixin  # noqa: E402
from sklearn.utils.validation import check_is_fitted  # noqa: E402

SUITES = ("test_base", "test_ridge")
SUITE_DIR = Path(sklearn.linear_model.__file__).resolve().parent / "tests"


class MissingFeature(NotImplementedError):
    """A scikit-learn feature the adaptor (liblinreg) does not provide."""


#: how many adaptor fits ran (a test that passes must have increased it)
FITS = 0

# ---------------------------------------------------------------------------
# The adaptors


def _dense(a: Any) -> Any:
    return a.toarray() if _sparse.issparse(a) else a


class _Adaptor(RegressorMixin, BaseEstimator):
    """Common part: fit through linreg.LinearRegression, copy the fitted attributes."""

    _ravel_one_column = False  # Ridge's convention for a (n, 1) y

    def _linreg_params(self) -> Dict[str, Any]:
        n_jobs = getattr(self, "n_jobs", None)
        return {
            "solver": "exact",
            "fit_intercept": self.fit_intercept,
            "n_threads": n_jobs if (n_jobs is not None and n_jobs > 0) else None,
        }

    def _check_supported(self) -> None:
        pass

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> "_Adaptor":
        global FITS
        FITS += 1
        self._check_supported()
        est = linreg.LinearRegression(**self._linreg_params())
        y = _dense(y)
        est.fit(_dense(X), y, sample_weight=_dense(sample_weight))
        self.estimator_ = est
        self.n_features_in_ = est.n_features_in_
        if hasattr(est, "feature_names_in_"):
            self.feature_names_in_ = est.feature_names_in_
        elif "feature_names_in_" in self.__dict__:
            del self.feature_names_in_
        coef, intercept = est.coef_, est.intercept_
        self._one_column = self._ravel_one_column and np.ndim(y) == 2 and coef.shape[0] == 1
        if self._one_column:
            coef = coef.ravel()
        if not self.fit_intercept:
            intercept = 0.0  # scikit-learn's _set_intercept
        self.coef_, self.intercept_ = coef, intercept
        self._fitted_extra(est)
        return self

    def _fitted_extra(self, est: linreg.LinearRegression) -> None:
        pass

    def predict(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        out = self.estimator_.predict(_dense(X))
        return out.ravel() if self._one_column else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # densified
        tags.target_tags.multi_output = True
        return tags


class LinearRegression(_Adaptor):
    """scikit-learn's ``LinearRegression`` signature over linreg's exact solver."""

    def __init__(self, *, fit_intercept=True, copy_X=True, tol=1e-6, n_jobs=None, positive=False):
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.tol = tol
        self.n_jobs = n_jobs
        self.positive = positive

    def _linreg_params(self) -> Dict[str, Any]:
        return {**super()._linreg_params(), "positive": bool(self.positive)}

    def _fitted_extra(self, est: linreg.LinearRegression) -> None:
        if not self.positive:  # scikit-learn's nnls path sets neither
            self.rank_ = est.rank_
            self.singular_ = est.singular_


#: scikit-learn's Ridge solver names, all aliases of liblinreg's exact solver
RIDGE_SOLVER_ALIASES = ("auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga")


class Ridge(_Adaptor):
    """scikit-learn's ``Ridge`` signature over linreg's exact solver with ``alpha``."""

    _ravel_one_column = True

    def __init__(self, alpha=1.0, *, fit_intercept=True, copy_X=True, max_iter=None, tol=1e-4,
                 solver="auto", positive=False, random_state=None):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.positive = positive
        self.random_state = random_state

    def _check_supported(self) -> None:
        super()._check_supported()
        if self.positive:
            raise MissingFeature("Ridge(positive=True): non-negative ridge")
        if np.ndim(self.alpha) > 0 and np.size(self.alpha) != 1:
            raise MissingFeature("Ridge(alpha=<array>): one penalty per target")
        if self.solver == "lbfgs":
            raise MissingFeature("Ridge(solver='lbfgs'): scikit-learn's solver for positive=True")
        if self.solver not in RIDGE_SOLVER_ALIASES:
            raise ValueError(
                f"The 'solver' parameter of Ridge must be a str among {sorted(RIDGE_SOLVER_ALIASES + ('lbfgs',))}."
                f" Got {self.solver!r} instead."
            )

    def _linreg_params(self) -> Dict[str, Any]:
        alpha = self.alpha
        if np.ndim(alpha) > 0:
            alpha = np.asarray(alpha).reshape(-1)[0]
        if isinstance(alpha, np.generic):
            alpha = alpha.item()
        return {**super()._linreg_params(), "alpha": alpha}

    def _fitted_extra(self, est: linreg.LinearRegression) -> None:
        self.solver_ = self.solver
        self.n_iter_ = None


class RidgeCV(RegressorMixin, BaseEstimator):
    """scikit-learn's ``RidgeCV`` signature over ``linreg.RidgeCV`` (exact leave-one-out).

    ``scoring=None`` is liblinreg (``cv=None``: exact leave-one-out; ``cv``
    given: K-fold). The suites use ``scoring=...`` mostly as the *reference*
    a leave-one-out fit is compared with, so those fits run scikit-learn's
    own ``RidgeCV`` (``_SklearnRidgeCV``, with scikit-learn's own Ridge):
    they do not count as adaptor fits, so a test that makes only such fits
    must be listed in :data:`NOT_REACHING`.
    """

    def __init__(self, alphas=(0.1, 1.0, 10.0), *, fit_intercept=True, scoring=None, cv=None, gcv_mode=None,
                 store_cv_results=False, alpha_per_target=False):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.gcv_mode = gcv_mode
        self.store_cv_results = store_cv_results
        self.alpha_per_target = alpha_per_target

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **params: Any) -> "RidgeCV":
        global FITS
        if self.scoring is not None or params:
            return self._reference_fit(X, y, sample_weight, **params)
        FITS += 1
        est = linreg.RidgeCV(alphas=self.alphas, fit_intercept=self.fit_intercept, cv=self.cv, gcv_mode=self.gcv_mode,
                             store_cv_results=self.store_cv_results, alpha_per_target=self.alpha_per_target)
        est.fit(_dense(X), _dense(y), sample_weight=_dense(sample_weight))
        return self._mirror(est)

    def _mirror(self, est: Any) -> "RidgeCV":
        """Takes the fitted attributes of `est` (liblinreg's or scikit-learn's RidgeCV)."""
        self.estimator_ = est
        for name in ("alpha_", "best_score_", "coef_", "intercept_", "n_features_in_", "cv_results_",
                     "feature_names_in_"):
            if hasattr(est, name):
                setattr(self, name, getattr(est, name))
            elif name in self.__dict__:
                delattr(self, name)
        return self

    def _reference_fit(self, X: Any, y: Any, sample_weight: Any, **params: Any) -> "RidgeCV":
        """scoring given: scikit-learn's own RidgeCV (not liblinreg; not counted in FITS)."""
        est = _SklearnRidgeCV(**self.get_params())
        est.fit(X, y, sample_weight=sample_weight, **params)
        return self._mirror(est)

    def predict(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        est = self.estimator_
        return est.predict(X if isinstance(est, _SklearnRidgeCV) else _dense(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # densified
        tags.target_tags.multi_output = True
        return tags


_SklearnRidgeCV = sklearn.linear_model.RidgeCV  # scikit-learn's own, for the reference fits


# ---------------------------------------------------------------------------
# pytest.raises inside the suites: liblinreg's own wording may differ


class _PytestShim(types.ModuleType):
    """The ``pytest`` module as the suites see it: ``raises`` tolerates liblinreg's wording."""

    def __init__(self) -> None:
        super().__init__("pytest")

    def __getattr__(self, name: str) -> Any:
        return getattr(pytest, name)

    @staticmethod
    def raises(expected: Any, *args: Any, match: Optional[str] = None, **kwargs: Any):
        if args:  # the function form: pytest.raises(Exc, func, *args)
            return pytest.raises(expected, *args, match=match, **kwargs)
        return _raises(expected, match, kwargs)


@contextlib.contextmanager
def _raises(expected: Any, match: Optional[str], kwargs: Dict[str, Any]):
    with pytest.raises(expected, **kwargs) as excinfo:
        yield excinfo
    if match is None or re.search(match, str(excinfo.value)):
        return
    if isinstance(excinfo.value, linreg.LinregError):
        WORDING_DIFFERS.append((match, str(excinfo.value)))
        return
    raise AssertionError(f"Regex pattern did not match.\n Regex: {match!r}\n Input: {str(excinfo.value)!r}")


#: (scikit-learn's pattern, liblinreg's message) for every tolerated difference
WORDING_DIFFERS: List[Tuple[str, str]] = []


# ---------------------------------------------------------------------------
# Loading the suites


@pytest.fixture
def global_random_seed() -> int:
    """scikit-learn's default global seed (its conftest parametrizes with 42)."""
    return 42


def _load_suite(name: str) -> types.ModuleType:
    path = SUITE_DIR / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"linreg_sklearn_suite_{name}", path)
    module = importlib.util.module_from_spec(spec)
    replaced = {"LinearRegression": LinearRegression, "Ridge": Ridge, "RidgeCV": RidgeCV}
    saved = {k: getattr(sklearn.linear_model, k) for k in replaced}
    try:  # the suites import the classes by name: hand them the adaptors
        for k, v in replaced.items():
            setattr(sklearn.linear_model, k, v)
        spec.loader.exec_module(module)
    finally:
        for k, v in saved.items():
            setattr(sklearn.linear_model, k, v)
    for k, v in replaced.items():
        assert module.__dict__.get(k, v) is v, f"{name}: {k} is not the adaptor"
    module.pytest = _PytestShim()
    return module


def _reaching(fn: Any, suite: str) -> Any:
    @functools.wraps(fn)
    def test(*args: Any, **kwargs: Any) -> None:
        before = FITS
        fn(*args, **kwargs)
        if FITS == before:
            raise AssertionError(
                f"{suite}::{fn.__name__} passed without fitting the adaptor: list it in "
                "sklearn_adaptor.NOT_REACHING with the reason"
            )

    return test


def collect(name: str) -> Dict[str, Any]:
    """The test functions and fixtures of one suite, for a test module's globals."""
    module = _load_suite(name)
    out: Dict[str, Any] = {"global_random_seed": global_random_seed}
    for key, value in vars(module).items():
        if key.startswith("test_") and callable(value):
            out[key] = _reaching(value, name)
        elif type(value).__name__ == "FixtureFunctionDefinition" or hasattr(value, "_pytestfixturefunction"):
            out[key] = value
    return out


# ---------------------------------------------------------------------------
# The lists

_POSITIVE = "Ridge(positive=True) (non-negative ridge) is not a liblinreg feature"
_LBFGS = "solver='lbfgs' is scikit-learn's solver for positive=True (declared missing)"
_PER_TARGET = "per-target alpha arrays (one penalty per target) are not a liblinreg feature"
_SPARSE_LIMITS = (
    "checks scikit-learn's own sparse-input limits (errors/warnings of svd, cholesky, saga, sag, "
    "RidgeCV(gcv_mode='svd') "
    "with an intercept on sparse X); the adaptor densifies sparse input, so there is no limit to report"
)
_ITERATIVE = "n_iter_ of the iterative solvers: the solver names are aliases of the exact solver, nothing iterates"
_IN_PLACE = (
    "copy_X=False: the test asserts that scikit-learn centred dense X in place; "
    "liblinreg never writes to its inputs"
)
_ARRAY_API = "array API namespaces (array_api_dispatch): liblinreg takes numpy arrays"

#: pattern -> reason: tests using a feature the adaptor declares missing (strict xfail)
MISSING: Dict[str, str] = {
    "test_base::test_raises_value_error_if_positive_and_sparse": (
        "scikit-learn refuses sparse X with positive=True (its scipy nnls needs dense X); the adaptor "
        "densifies sparse input, so there is no limit to report"
    ),
    "test_base::test_inplace_data_preprocessing[[]*-None[]]": _IN_PLACE,
    "test_base::test_array_api_move_estimator_to": _ARRAY_API,
    "test_ridge::test_*positive*": _POSITIVE,
    "test_ridge::test_lbfgs_solver_error": _LBFGS,
    "test_ridge::test_dtype_match[[]lbfgs[]]": _LBFGS,
    "test_ridge::test_ridge_fit_intercept_sparse[[]*-lbfgs[]]": _LBFGS,
    "test_ridge::test_ridge_sample_weight_consistency[[]lbfgs-*": _LBFGS,
    "test_ridge::test_ridge_individual_penalties": _PER_TARGET,
    "test_ridge::test_dtype_match_cholesky": _PER_TARGET,
    "test_ridge::test_ridge_cv_individual_penalties": _PER_TARGET,
    "test_ridge::test_n_iter": _ITERATIVE,
    "test_ridge::test_ridge_fit_intercept_sparse_error*": _SPARSE_LIMITS,
    "test_ridge::test_ridge_fit_intercept_sparse_sag*": _SPARSE_LIMITS,
    "test_ridge::test_regularization_limits_ridge_gcv[[]csr_*-svd-*": _SPARSE_LIMITS,
    "test_ridge::test_ridge_array_api_compliance*": _ARRAY_API,
    "test_ridge::test_ridge_classifier_multilabel_array_api*": _ARRAY_API,
    "test_ridge::test_ridge_per_target_alpha_array_api*": _ARRAY_API,
    "test_ridge::test_array_api_*": _ARRAY_API,
}

_PREPROCESSING = "tests scikit-learn's private helpers (_preprocess_data, _rescale_data, make_dataset)"
_RIDGE_INTERNALS = "tests scikit-learn's private Ridge solvers and operators (_solve_*, _X_CenterStackOp, Gram)"
_FUNCTION = "tests the function sklearn.linear_model.ridge_regression only (not an estimator)"
_CLASSIFIERS = (
    "uses only RidgeClassifier / RidgeClassifierCV, which the adaptor does not replace "
    "(classification is not a liblinreg feature)"
)
_REFERENCE_CV = (
    "fits RidgeCV only with scoring=... (a scorer), which the adaptor hands to scikit-learn's own "
    "RidgeCV (liblinreg's RidgeCV is scoring=None only)"
)

#: pattern -> reason: tests that never reach the estimator (skipped)
NOT_REACHING: Dict[str, str] = {
    "test_base::test_preprocess_data*": _PREPROCESSING,
    "test_base::test_sparse_preprocess_data_offsets*": _PREPROCESSING,
    "test_base::test_csr_preprocess_data*": _PREPROCESSING,
    "test_base::test_preprocess_copy_data_no_checks*": _PREPROCESSING,
    "test_base::test_dtype_preprocess_data*": _PREPROCESSING,
    "test_base::test_rescale_data*": _PREPROCESSING,
    "test_base::test_fused_types_make_dataset*": _PREPROCESSING,
    "test_base::test_predict_proba_lr_large_values": "tests LinearClassifierMixin._predict_proba_lr (classification)",
    "test_ridge::test_primal_dual_relationship": _RIDGE_INTERNALS,
    "test_ridge::test_X_CenterStackOp*": _RIDGE_INTERNALS,
    "test_ridge::test_compute_gram*": _RIDGE_INTERNALS,
    "test_ridge::test_compute_covariance*": _RIDGE_INTERNALS,
    "test_ridge::test_lbfgs_solver_consistency*": _RIDGE_INTERNALS,
    "test_ridge::test_check_gcv_mode_choice*": _RIDGE_INTERNALS,
    "test_ridge::test_ridge_regression_check_arguments_validity*": _FUNCTION,
    "test_ridge::test_ridge_regression_convergence_fail": _FUNCTION,
    "test_ridge::test_ridge_regression_dtype_stability*": _FUNCTION,
    "test_ridge::test_regularization_limits_ridge_classifier_gcv*": _CLASSIFIERS,
    "test_ridge::test_dense_sparse[[]*-_test_ridge_classifiers[]]": _CLASSIFIERS,
    "test_ridge::test_ridge_classifier_with_scoring*": _CLASSIFIERS,
    "test_ridge::test_class_weights*": _CLASSIFIERS,
    "test_ridge::test_class_weight_vs_sample_weight*": _CLASSIFIERS,
    "test_ridge::test_ridge_classifier_cv_store_cv_results*": _CLASSIFIERS,
    "test_ridge::test_ridgecv_alphas_zero[[]RidgeClassifierCV-*": _CLASSIFIERS,
    "test_ridge::test_ridgecv_alphas_validation[[]*-RidgeClassifierCV[]]": _CLASSIFIERS,
    "test_ridge::test_ridgecv_alphas_scalar[[]RidgeClassifierCV[]]": _CLASSIFIERS,
    "test_ridge::test_ridgecv_alphas_conversion[[]RidgeClassifierCV[]]": _CLASSIFIERS,
    "test_ridge::test_ridge_best_score[[]*-make_classification[]]": _CLASSIFIERS,
    "test_ridge::test_ridge_gcv_cv_results_not_stored[[]*-make_classification[]]": _CLASSIFIERS,
    "test_ridge::test_metadata_routing_with_default_scoring[[]RidgeClassifierCV[]]": _CLASSIFIERS,
    "test_ridge::test_set_score_request_with_default_scoring[[]*-make_classification[]]": _CLASSIFIERS,
    # with sparse X the helper's fits are scikit-learn's _RidgeGCV and RidgeCV(scoring=...)
    "test_ridge::test_dense_sparse[[]csr_*-_test_ridge_loo[]]": _REFERENCE_CV,
    "test_ridge::test_ridge_regression_custom_scoring*": _REFERENCE_CV,
    "test_ridge::test_ridgecv_store_cv_results[[]neg_mean_squared_error[]]": _REFERENCE_CV,
    "test_ridge::test_ridgecv_store_cv_results[[]_mean_squared_error_callable[]]": _REFERENCE_CV,
    "test_ridge::test_metadata_routing_with_default_scoring[[]RidgeCV[]]": (
        "enables metadata routing (fit parameters routed to a scorer): the adaptor hands that fit to "
        "scikit-learn's own RidgeCV"
    ),
    "test_ridge::test_ridge_loo_cv_asym_scoring": _REFERENCE_CV,
    "test_ridge::test_ridge_gcv_integer_arrays": _REFERENCE_CV,
}


def classify(suite: str, name: str) -> Optional[Tuple[str, str]]:
    """("missing" | "not reaching", reason) for a test id ``name`` (with params), or None."""
    tid = f"{suite}::{name}"
    for kind, table in (("missing", MISSING), ("not reaching", NOT_REACHING)):
        for pattern, reason in table.items():
            if fnmatch.fnmatchcase(tid, pattern):
                return kind, reason
    return None


def modify_items(items: List[Any]) -> None:
    """Mark the suite items: strict xfail for MISSING, skip for NOT_REACHING."""
    for item in items:
        suite = getattr(item.module, "SKLEARN_SUITE", None)
        if suite is None:
            continue
        found = classify(suite, item.name)
        if found is None:
            continue
        kind, reason = found
        if kind == "missing":
            item.add_marker(pytest.mark.xfail(strict=True, reason=f"declared missing: {reason}"))
        else:
            item.add_marker(pytest.mark.skip(reason=f"does not reach the estimator: {reason}"))


def terminal_summary(terminalreporter: Any) -> None:
    """The declared lists and a count summary of the suite items in this run."""
    counts: Dict[str, Dict[str, int]] = {s: {} for s in SUITES}
    for outcome in ("passed", "failed", "error", "skipped", "xfailed", "xpassed"):
        for rep in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(rep, "nodeid", "")
            if outcome == "passed" and getattr(rep, "when", None) != "call":
                continue
            kind = outcome
            if outcome == "xfailed":
                declared = "declared missing" in str(getattr(rep, "wasxfail", ""))
                kind = "xfailed (declared missing)" if declared else "xfailed by scikit-learn"
            elif outcome == "skipped":
                reason = str(getattr(rep, "longrepr", ""))
                kind = "not reaching (skipped)" if "does not reach the estimator" in reason else "skipped by scikit-learn"
            for suite in SUITES:
                if f"test_sklearn_{suite[5:]}.py::" in nodeid:
                    counts[suite][kind] = counts[suite].get(kind, 0) + 1
    if not any(counts.values()):
        return
    tr = terminalreporter
    tr.section("scikit-learn suites through linreg (tests/sklearn_adaptor.py)")
    for suite in SUITES:
        c = counts[suite]
        if c:
            tr.write_line(f"{suite}.py: " + ", ".join(f"{v} {k}" for k, v in sorted(c.items())))
    if any(c.get("xpassed") for c in counts.values()):
        tr.write_line("(xpassed: scikit-learn's own non-strict xfail marks, its sparse-CSR cases of "
                      "issue #30131, pass here since the adaptor densifies)")

    def shown(pattern: str) -> str:  # fnmatch's [[] and []] are literal brackets
        return pattern.replace("[[]", "[").replace("[]]", "]")

    tr.write_line("declared missing (strict xfail):")
    for pattern, reason in MISSING.items():
        tr.write_line(f"  {shown(pattern)}: {reason}")
    tr.write_line("not reaching the estimator (skipped):")
    for pattern, reason in NOT_REACHING.items():
        tr.write_line(f"  {shown(pattern)}: {reason}")
    if WORDING_DIFFERS:
        tr.write_line("liblinreg's error wording accepted in place of scikit-learn's (same exception type):")
        for pattern, message in sorted(set(WORDING_DIFFERS)):
            tr.write_line(f"  {pattern!r} <- {message.splitlines()[0]!r}")
