"""Bad input never crashes the interpreter: it raises a clear exception.

Each case runs in a fresh interpreter (``subprocess.run([sys.executable, "-c",
...])``), so a segmentation fault or an abort inside liblinreg shows up as a
negative return code instead of killing the test run. The interpreters start
a few at a time (``LINREG_BAD_INPUT_JOBS``, default: cores + 1), since most of
each case's time is importing numpy, scikit-learn and the binding. The child prints the
exception it got (its class, every base class, and its message); the test
then checks that

* the child exited normally (return code 0: no signal, no abort);
* the expected exception type was raised -- ``ValueError`` for bad data or
  parameters, ``FloatingPointError`` for non-finite values and divergence,
  scikit-learn's ``NotFittedError`` before ``fit`` -- or, for inputs that are
  merely unusual (non-contiguous views, pandas, float16, ...), that the call
  succeeded and gave the same answer as a clean float64 array.

Run: ``LINREG_LIBRARY=build/lib/liblinreg.so python -m pytest bindings/python/tests/test_bad_input.py -q``
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple, Optional, Tuple
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PYTHON_DIR = REPO / "bindings" / "python"

# The child's preamble: small, well-conditioned data and a reporter.
PRELUDE = textwrap.dedent(
    """
    import json, sys, warnings
    import numpy as np
    import linreg

    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.25 + 0.01 * rng.normal(size=30)

    def reference(X=X, y=y, **kw):
        return linreg.LinearRegression(**kw).fit(np.ascontiguousarray(X, dtype=np.float64),
                                                 np.ascontiguousarray(y, dtype=np.float64))

    def same(a, b, tol=1e-12):
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if a.shape != b.shape or not np.allclose(a, b, rtol=tol, atol=tol):
            raise AssertionError(f"results differ: {a!r} vs {b!r}")
    """
)

REPORT = textwrap.dedent(
    """
    try:
        case()
    except BaseException as exc:  # report whatever it is; the parent judges
        mro = [f"{c.__module__}.{c.__qualname__}" for c in type(exc).__mro__]
        print("RESULT " + json.dumps({"raised": type(exc).__name__, "mro": mro, "message": str(exc)}))
    else:
        print("RESULT " + json.dumps({"raised": None, "mro": [], "message": ""}))
    """
)


def run_case(body: str, timeout: float = 300.0) -> dict:
    """Runs ``def case(): <body>`` in a new interpreter; returns the parsed report."""
    code = PRELUDE + "\ndef case():\n" + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ") + "\n" + REPORT
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PYTHON_DIR) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if "LINREG_LIBRARY" in env and not os.path.isabs(env["LINREG_LIBRARY"]):
        env["LINREG_LIBRARY"] = os.path.abspath(env["LINREG_LIBRARY"])
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env, cwd=str(REPO)
    )
    detail = f"\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr[-4000:]}"
    assert proc.returncode == 0, f"the interpreter died (return code {proc.returncode}){detail}"
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"no report from the child{detail}"
    report = json.loads(lines[-1][len("RESULT "):])
    report["stderr"] = proc.stderr
    return report


VALUE = "builtins.ValueError"
TYPE = "builtins.TypeError"
FPE = "builtins.FloatingPointError"
NOT_FITTED = "sklearn.exceptions.NotFittedError"


class Case(NamedTuple):
    """One bad input. ``raises``: every one of these must be in the exception's
    MRO (``module.QualName``); ``any_of``: at least one must; neither: the case
    must run without an exception. ``match``: a substring of the message."""

    name: str
    body: str
    raises: Tuple[str, ...] = ()
    any_of: Tuple[str, ...] = ()
    match: Optional[str] = None
    forbid: Tuple[str, ...] = ()


CASES = [
    # ---- wrong dtypes ------------------------------------------------------
    # numpy cannot turn object() into a number: TypeError from the conversion, before C.
    Case("object_array_of_arbitrary_objects",
         "linreg.LinearRegression().fit(np.array([[object()], [object()]], dtype=object), [1.0, 2.0])",
         any_of=(TYPE, VALUE)),
    Case("object_array_of_numbers_is_converted", """
        same(linreg.LinearRegression().fit(X.astype(object), y).coef_, reference().coef_)
        """),
    # None becomes NaN on conversion, which liblinreg then reports by row and column.
    Case("object_array_with_none", """
        Xo = X.astype(object); Xo[4, 1] = None
        linreg.LinearRegression().fit(Xo, y)
        """, raises=(VALUE, FPE), match="row 4"),
    Case("complex_X", "linreg.LinearRegression().fit(X + 1j, y)", raises=(VALUE,), match="omplex"),
    Case("complex_y", "linreg.LinearRegression().fit(X, y.astype(complex))", raises=(VALUE,), match="omplex"),
    Case("complex_predict", "linreg.LinearRegression().fit(X, y).predict(X[:2] * 1j)", raises=(VALUE,)),
    Case("non_numeric_strings",
         "linreg.LinearRegression().fit(np.array([['a', 'b'], ['c', 'd']]), [1.0, 2.0])", raises=(VALUE,)),
    Case("numeric_strings_are_parsed", """
        same(linreg.LinearRegression().fit(X.astype(str), y).coef_, reference().coef_, tol=1e-9)
        """),
    Case("ragged_lists", "linreg.LinearRegression().fit([[1.0, 2.0], [3.0]], [1.0, 2.0])", raises=(VALUE,)),
    Case("bool_int_big_endian_are_converted", """
        ref = reference()
        same(linreg.LinearRegression().fit(X.astype('>f8'), y.astype('>f8')).coef_, ref.coef_)
        Xi = (X * 10).astype(np.int64)
        same(linreg.LinearRegression().fit(Xi, y).coef_, reference(X=Xi).coef_)
        Xb = X > 0
        same(linreg.LinearRegression().fit(Xb, y).coef_, reference(X=Xb).coef_)
        """),
    # float16 is converted to float32 exactly (README, conversion rules), and float32 input is
    # widened exactly and solved to the exact least-squares answer of those values (SOLVER.md):
    # so the fit is the float32 fit bit for bit, and the float64 least-squares solution of the
    # float16 values (numpy) up to the rounding of coef_ to float32 (2**-24 relative) when the
    # estimator reports float32 coefficients for float32 input, as scikit-learn does.
    Case("float16_is_the_fit_of_its_exact_float32_values", """
        Xh, yh = X.astype(np.float16), y.astype(np.float16)
        h = linreg.LinearRegression().fit(Xh, yh)
        f = linreg.LinearRegression().fit(Xh.astype(np.float32), yh.astype(np.float32))
        same(h.coef_, f.coef_, tol=0); same(h.intercept_, f.intercept_, tol=0)
        X64, y64 = Xh.astype(np.float64), yh.astype(np.float64)      # exact widening
        ref = np.linalg.lstsq(np.column_stack([np.ones(len(X64)), X64]), y64, rcond=None)[0]
        for got, want in ((np.asarray(h.coef_, np.float64), ref[1:]), (float(h.intercept_), ref[0])):
            err = np.max(np.abs(got - want) / np.abs(want))
            assert err <= 2.0 ** -24 + 1e-12, (got, want, err)
        # not the fit of the unrounded data: the float16 rounding moved the answer by far more
        assert np.max(np.abs(ref[1:] - reference().coef_)) > 1e-5
        p = h.predict(Xh)
        assert p.dtype == np.float32, p.dtype
        exact = X64 @ ref[1:] + ref[0]
        assert np.max(np.abs(p - exact)) <= 2.0 ** -23 * np.max(np.abs(exact)), np.max(np.abs(p - exact))
        # float16 y with float64 X: the types differ, so both run in float64 (bit for bit)
        m = linreg.LinearRegression().fit(X, yh)
        same(m.coef_, reference(y=y64).coef_, tol=0)
        """),
    # ---- non-contiguous views ----------------------------------------------
    Case("strided_views_give_the_contiguous_answer", """
        big = rng.normal(size=(60, 6))
        Xv = big[::2, ::2]                      # strided rows and columns
        yv = big[::2, 1] * 3.0 + 1.0
        same(linreg.LinearRegression().fit(Xv, yv).coef_, reference(X=Xv, y=yv).coef_)
        XF = np.asfortranarray(X)               # column-major
        m = linreg.LinearRegression().fit(XF, y)
        same(m.coef_, reference().coef_)
        same(m.predict(XF[::-1]), m.predict(np.ascontiguousarray(X[::-1])))   # negative strides
        XT = np.ascontiguousarray(X.T).T        # a transposed view
        same(linreg.LinearRegression().fit(XT, y).coef_, reference().coef_)
        ro = X.copy(); ro.setflags(write=False)  # read-only
        same(linreg.LinearRegression().fit(ro, y).coef_, reference().coef_)
        col = big[:30, 2]                        # non-contiguous 1-D y
        same(linreg.LinearRegression().fit(X, col).coef_, reference(y=col).coef_)
        """),
    Case("misaligned_buffer", """
        raw = np.zeros(X.size * 8 + 1, dtype=np.uint8)
        Xm = raw[1:].view(np.float64).reshape(X.shape)   # one byte off: not 8-byte aligned
        assert not Xm.flags.aligned
        Xm[...] = X
        same(linreg.LinearRegression().fit(Xm, y).coef_, reference().coef_)
        """),
    # ---- wrong shapes ------------------------------------------------------
    Case("one_dimensional_X", "linreg.LinearRegression().fit(X[:, 0], y)", raises=(VALUE,), match="2-D"),
    Case("three_dimensional_X", "linreg.LinearRegression().fit(X.reshape(30, 3, 1), y)", raises=(VALUE,)),
    Case("three_dimensional_y", "linreg.LinearRegression().fit(X, y.reshape(30, 1, 1))", raises=(VALUE,)),
    Case("inconsistent_number_of_samples", "linreg.LinearRegression().fit(X, y[:-1])",
         raises=(VALUE,), match="inconsistent"),
    Case("sample_weight_wrong_length", "linreg.LinearRegression().fit(X, y, sample_weight=np.ones(29))",
         raises=(VALUE,)),
    Case("sample_weight_negative", "linreg.LinearRegression().fit(X, y, sample_weight=-np.ones(30))",
         raises=(VALUE,), match="negative"),
    Case("sample_weight_all_zero", "linreg.LinearRegression().fit(X, y, sample_weight=np.zeros(30))",
         raises=(VALUE,)),
    Case("predict_wrong_number_of_features", "linreg.LinearRegression().fit(X, y).predict(X[:, :2])",
         raises=(VALUE,), match="features"),
    Case("predict_one_dimensional_X", "linreg.LinearRegression().fit(X, y).predict(X[0])", raises=(VALUE,)),
    Case("set_weights_wrong_shape", "linreg.Model(3, 1).set_weights(np.ones((2, 2)))", raises=(VALUE,)),
    # ---- empty arrays ------------------------------------------------------
    Case("no_samples", "linreg.LinearRegression().fit(np.empty((0, 3)), np.empty(0))",
         raises=(VALUE,), match="0 sample"),
    Case("no_features", "linreg.LinearRegression().fit(np.empty((30, 0)), y)", raises=(VALUE,), match="0 feature"),
    Case("no_targets", "linreg.LinearRegression().fit(X, np.empty((30, 0)))", raises=(VALUE,)),
    Case("predict_no_samples", "linreg.LinearRegression().fit(X, y).predict(np.empty((0, 3)))", raises=(VALUE,)),
    Case("empty_lists", "linreg.LinearRegression().fit([], [])", raises=(VALUE,)),
    # ---- non-finite values -------------------------------------------------
    Case("nan_in_X_names_row_and_column", """
        Xn = X.copy(); Xn[7, 2] = np.nan
        linreg.LinearRegression().fit(Xn, y)
        """, raises=(VALUE, FPE), match="row 7, column 2"),
    Case("inf_in_y", """
        yy = y.copy(); yy[3] = np.inf
        linreg.LinearRegression().fit(X, yy)
        """, raises=(VALUE, FPE), match="row 3"),
] + [
    Case(f"nan_in_float32_X_{solver}", f"""
        Xn = X.astype(np.float32); Xn[0, 0] = np.nan
        linreg.LinearRegression(solver={solver!r}, epochs=5).fit(Xn, y.astype(np.float32))
        """, raises=(VALUE, FPE))
    for solver in ("exact", "gd", "sgd")
] + [
    Case("nan_in_sample_weight", """
        w = np.ones(30); w[5] = np.nan
        linreg.LinearRegression().fit(X, y, sample_weight=w)
        """, raises=(VALUE, FPE)),
    Case("nan_in_predict", """
        Xn = X.copy(); Xn[1, 1] = np.nan
        linreg.LinearRegression().fit(X, y).predict(Xn)
        """, raises=(VALUE, FPE)),
    Case("nan_weights", "linreg.Model(3, 1).set_weights([[np.nan, 1.0, 2.0]])", raises=(VALUE, FPE)),
    # Magnitudes near the float64 limit: a finite answer, or a clear data error (never a crash,
    # never an InternalError).
    Case("huge_finite_values", """
        m = linreg.LinearRegression().fit(X * 1e300, y * 1e300)
        assert np.all(np.isfinite(m.coef_)) and np.isfinite(m.intercept_), (m.coef_, m.intercept_)
        """, any_of=("<none>", VALUE, FPE)),
    # ---- pandas ------------------------------------------------------------
    Case("pandas_dataframe_and_series", """
        import pandas as pd
        df = pd.DataFrame(X, columns=["a", "b", "c"])
        m = linreg.LinearRegression().fit(df, pd.Series(y))
        same(m.coef_, reference().coef_)
        assert list(m.feature_names_in_) == ["a", "b", "c"]
        same(m.predict(df), reference().predict(X))
        """),
    Case("pandas_missing_values", """
        import pandas as pd
        df = pd.DataFrame(X, columns=["a", "b", "c"]).astype("Float64")
        df.iloc[2, 1] = pd.NA
        linreg.LinearRegression().fit(df, y)
        """, raises=(VALUE, FPE), match="row 2"),
    Case("pandas_string_column", """
        import pandas as pd
        linreg.LinearRegression().fit(pd.DataFrame({"a": X[:, 0], "b": ["x"] * 30}), y)
        """, raises=(VALUE,)),
    Case("pandas_predict_with_other_columns", """
        import pandas as pd
        m = linreg.LinearRegression().fit(pd.DataFrame(X, columns=["a", "b", "c"]), y)
        m.predict(pd.DataFrame(X, columns=["a", "b", "z"]))
        """, raises=(VALUE,)),
    # ---- not fitted --------------------------------------------------------
    Case("predict_before_fit", "linreg.LinearRegression().predict(X)", raises=(NOT_FITTED, VALUE)),
    Case("model_predict_before_fit", "linreg.Model(3, 1).predict(X)", raises=(NOT_FITTED,)),
] + [
    # ---- invalid parameters (checked at fit) -------------------------------
    Case(f"invalid_parameter_{i}", f"linreg.LinearRegression({params}).fit(X, y)", raises=(VALUE,))
    for i, params in enumerate([
        "solver='newton'",
        "learning_rate=0.0",
        "learning_rate=float('nan')",
        "learning_rate=float('inf')",
        "alpha=-1.0",
        "solver='gd', epochs=-1",
        "solver='sgd', batch_size=0",
        "solver='sgd', momentum=1.0",
        "ci_level=1.5",
        "n_threads=-3",
        "solver='sgd', shuffle=True, random_state=-1",
    ])
] + [
    # ---- divergence ----------------------------------------------------------
    Case(f"huge_learning_rate_{solver}", f"""
        linreg.LinearRegression(solver={solver!r}, learning_rate=1e10, epochs=200).fit(X, y)
        """, raises=(FPE,), match="epoch", forbid=(VALUE,))
    for solver in ("gd", "sgd")
] + [
    Case("divergence_leaves_previous_fit_usable", """
        model = linreg.Model(3, 1)
        model.set_param(linreg.Param.SOLVER, linreg.Solver.GD)
        model.set_param(linreg.Param.EPOCHS, 100)
        model.fit(X, y)
        before = model.get_weights()
        model.set_param(linreg.Param.LEARNING_RATE, 1e12)
        try:
            model.fit(X, y)
        except FloatingPointError:
            pass
        else:
            raise AssertionError("no divergence")
        after = model.get_weights()
        same(before[0], after[0], tol=0); same(before[1], after[1], tol=0)
        model.predict(X)
        """),
] + [
    # ---- non-negative least squares and RidgeCV (since 0.2) -----------------
    Case("positive_with_gd", "linreg.LinearRegression(positive=True, solver='gd').fit(X, y)",
         raises=(VALUE,), match="positive=True"),
    Case("positive_not_a_bool", "linreg.LinearRegression(positive='yes').fit(X, y)", raises=(VALUE,)),
    Case("nnls_solver_with_negative_alpha_in_c", """
        m = linreg.Model(3, 1)
        m.set_param(linreg.Param.SOLVER, linreg.Solver.NNLS)
        m.set_param(linreg.Param.ALPHA, -0.5)
        """, raises=(VALUE,), match="LINREG_PARAM_ALPHA"),
    Case("positive_nan_in_X", """
        Xn = X.copy(); Xn[5, 2] = np.nan
        linreg.LinearRegression(positive=True).fit(Xn, y)
        """, raises=(VALUE, FPE), match="row 5"),
    Case("ridgecv_zero_alpha", "linreg.RidgeCV(alphas=[1.0, 0.0]).fit(X, y)", raises=(VALUE,), match="alphas[1]"),
    Case("ridgecv_negative_alpha", "linreg.RidgeCV(alphas=-1.0).fit(X, y)", raises=(VALUE,), match="alphas"),
    Case("ridgecv_nan_alpha", "linreg.RidgeCV(alphas=[float('nan')]).fit(X, y)", raises=(VALUE,)),
    Case("ridgecv_empty_alphas", "linreg.RidgeCV(alphas=[]).fit(X, y)", raises=(VALUE,), match="empty"),
    Case("ridgecv_string_alpha", "linreg.RidgeCV(alphas=[1.0, 'a']).fit(X, y)", raises=(TYPE,)),
    Case("ridgecv_kfold_with_store_cv_results", "linreg.RidgeCV(cv=5, store_cv_results=True).fit(X, y)",
         raises=(VALUE,), match="incompatible"),
    Case("ridgecv_scoring", "linreg.RidgeCV(scoring='r2').fit(X, y)", raises=(VALUE,), match="scoring"),
    Case("ridgecv_nan_in_y", """
        yn = y.copy(); yn[3] = np.inf
        linreg.RidgeCV().fit(X, yn)
        """, raises=(VALUE, FPE), match="row 3"),
    Case("ridgecv_negative_weight", "linreg.RidgeCV().fit(X, y, sample_weight=-np.ones(30))",
         raises=(VALUE,), match="negative"),
    Case("ridgecv_predict_before_fit", "linreg.RidgeCV().predict(X)", raises=(NOT_FITTED, VALUE)),
    Case("ridgecv_loo_before_fit", """
        from linreg._ridge_cv_calls import leave_one_out_errors
        leave_one_out_errors(linreg.Model(3, 1), X, y, None, np.array([1.0]), False)
        """, raises=(NOT_FITTED,)),
    Case("ridgecv_loo_after_gd", """
        from linreg._ridge_cv_calls import leave_one_out_errors
        m = linreg.Model(3, 1)
        m.set_param(linreg.Param.SOLVER, linreg.Solver.GD)
        m.fit(X, y)
        leave_one_out_errors(m, X, y, None, np.array([1.0]), False)
        """, raises=("linreg._errors.UnavailableError",)),
]


@pytest.fixture(scope="module")
def results(request):
    """Starts every selected case's interpreter, a few at a time; maps name -> future."""
    selected = [
        item.callspec.params["case"]
        for item in request.session.items
        if getattr(item, "module", None) is request.module and hasattr(item, "callspec")
        and "case" in item.callspec.params
    ]
    jobs = int(os.environ.get("LINREG_BAD_INPUT_JOBS", (os.cpu_count() or 1) + 1))
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    futures = {case.name: pool.submit(run_case, case.body) for case in selected}
    yield futures
    pool.shutdown(wait=True)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, results) -> None:
    report = results[case.name].result()  # re-raises "the interpreter died" etc.
    raised, mro, message = report["raised"], report["mro"], report["message"]
    if not case.raises and not case.any_of:
        assert raised is None, f"raised {raised}: {message}"
        return
    if case.any_of:
        ok = (raised is None and "<none>" in case.any_of) or any(t in mro for t in case.any_of)
        assert ok, f"raised {raised} ({mro}): {message}; expected one of {case.any_of}"
    if case.raises:
        assert raised, f"no exception was raised (expected {case.raises})"
        for t in case.raises:
            assert t in mro, f"raised {raised} ({mro}), not a {t}: {message}"
    for t in case.forbid:
        assert t not in mro, f"raised {raised}, which is also a {t}: {message}"
    if raised:
        assert message.strip(), "the exception has no message"
    if case.match is not None:
        assert case.match in message, f"message {message!r} lacks {case.match!r}"
