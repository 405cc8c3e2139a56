"""Bad input to the diagnostics entry points (residual pass, influence, alias, missing policy).

The same harness as test_bad_input.py: each case runs in its own interpreter,
so a crash inside liblinreg is a failed test, not a dead test run; the child
must exit normally and raise the expected exception (or none).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from test_bad_input import FPE, NOT_FITTED, VALUE, Case, run_case

RUNTIME = "builtins.RuntimeError"
ATTRIBUTE = "builtins.AttributeError"

CASES = [
    Case("residual_pass_before_fit", "linreg.Model(3, 1).residual_pass(X, y)", raises=(VALUE,), match="not fitted"),
    Case("residual_pass_nan", """
        m = linreg.Model(3, 1); m.fit(X, y)
        Xn = X.copy(); Xn[4, 1] = np.nan
        m.residual_pass(Xn, y)
        """, raises=(VALUE, FPE), match="X[4][1]"),
    Case("residual_pass_append_without_a_pass", """
        m = linreg.Model(3, 1); m.fit(X, y)
        m.residual_pass(X, y, append=True)
        """, raises=(VALUE,), match="no residual pass to continue"),
    Case("residual_pass_wrong_width", """
        m = linreg.Model(3, 1); m.fit(X, y)
        m.residual_pass(X[:, :2], y)
        """, raises=(VALUE,), match="2 features"),
    Case("residual_pass_raw_c_null_and_bad_append", """
        from linreg._library import api
        m = linreg.Model(3, 1); m.fit(X, y)
        capi = api()
        assert capi.linreg_residual_pass_f64(m.handle, None, None, None, 30, 0) == 1
        assert capi.linreg_residual_pass_f64(None, None, None, None, 30, 0) == 1
        from linreg._model import _ptr
        Xc, yc = np.ascontiguousarray(X), np.ascontiguousarray(y)
        assert capi.linreg_residual_pass_f64(m.handle, _ptr(Xc), _ptr(yc), None, 30, 7) == 1
        assert b"append = 7" in capi.linreg_last_error()
        assert capi.linreg_residual_pass_f64(m.handle, _ptr(Xc), _ptr(yc), None, -3, 0) == 1
        """),
    Case("diagnostics_stat_before_pass", """
        m = linreg.Model(3, 1); m.fit(X, y)
        m.stat(linreg.Stat.OMNIBUS)
        """, raises=(RUNTIME,), match="residual pass"),
    Case("influence_after_gd", """
        linreg.LinearRegression(solver="gd", learning_rate=1e-3, epochs=3).fit(X, y).get_influence()
        """, raises=(RUNTIME, ATTRIBUTE), match="exact solver"),
    Case("influence_after_ridge_raw_model", """
        m = linreg.Model(3, 1); m.set_param(linreg.Param.ALPHA, 1.0); m.fit(X, y)
        m.influence(X, y, None, [linreg.InfluenceMeasure.HAT])
        """, raises=(RUNTIME,), match="unpenalised exact fit"),
    Case("influence_before_fit", """
        linreg.Model(3, 1).influence(X, y, None, [linreg.InfluenceMeasure.HAT])
        """, raises=(VALUE,), match="not fitted"),
    Case("influence_unknown_measure", """
        m = linreg.Model(3, 1); m.fit(X, y)
        m.influence(X, y, None, [99])
        """, raises=(VALUE,)),
    Case("influence_raw_c_refusals", """
        import ctypes
        from linreg._library import api
        from linreg._model import _ptr
        m = linreg.Model(3, 1); m.fit(X, y)
        capi = api()
        Xc, yc, out = np.ascontiguousarray(X), np.ascontiguousarray(y), np.full(30, -7.0)
        kinds = (ctypes.c_int32 * 1)(99)
        outs = (ctypes.POINTER(ctypes.c_double) * 1)(_ptr(out))
        assert capi.linreg_influence_f64(m.handle, _ptr(Xc), _ptr(yc), None, 30, kinds, 1, outs) == 1
        assert b"measures[0] = 99" in capi.linreg_last_error()
        kinds[0] = 1
        assert capi.linreg_influence_f64(m.handle, _ptr(Xc), _ptr(yc), None, 30, kinds, 65, outs) == 1
        assert capi.linreg_influence_f64(m.handle, _ptr(Xc), _ptr(yc), None, 30, None, 1, outs) == 1
        assert capi.linreg_influence_f64(m.handle, _ptr(Xc), _ptr(yc), None, 30, kinds, 1, None) == 1
        nulls = (ctypes.POINTER(ctypes.c_double) * 1)()
        assert capi.linreg_influence_f64(m.handle, _ptr(Xc), _ptr(yc), None, 30, kinds, 1, nulls) == 1
        assert b"out[0] is NULL" in capi.linreg_last_error()
        assert capi.linreg_influence_f64(m.handle, _ptr(Xc), _ptr(yc), None, 2**62, kinds, 1, outs) == 1
        assert np.all(out == -7.0)  # nothing written
        """),
    Case("influence_with_only_X", """
        linreg.LinearRegression().fit(X, y).get_influence(X)
        """, raises=(VALUE,), match="both X and y"),
    Case("influence_of_a_chunked_fit_without_rows", """
        est = linreg.LinearRegression(); est.partial_fit(X, y)
        est.get_influence()
        """, raises=(RUNTIME, ATTRIBUTE), match="pass X and y"),
    Case("alias_before_fit_and_null", """
        from linreg._library import api
        capi = api()
        m = linreg.Model(3, 1)
        assert capi.linreg_get_alias(m.handle, None) == 1
        m.alias()
        """, raises=(VALUE,), match="not fitted"),
    Case("alias_after_gd", """
        linreg.LinearRegression(solver="gd", learning_rate=1e-3, epochs=3).fit(X, y).aliased_
        """, raises=(RUNTIME, ATTRIBUTE), match="exact solver"),
    Case("missing_policy_unknown", "linreg.LinearRegression(missing='ignore').fit(X, y)", raises=(VALUE,),
         match="missing='ignore'"),
    Case("missing_drop_everything", """
        linreg.LinearRegression(missing="drop").fit(np.full((3, 2), np.nan), np.ones(3))
        """, raises=(VALUE,), match="nothing left to fit"),
    Case("missing_drop_keeps_infinities_errors", """
        Xi = X.copy(); Xi[2, 0] = np.inf
        linreg.LinearRegression(missing="drop").fit(Xi, y)
        """, raises=(VALUE, FPE), match="row 2"),
    Case("missing_drop_ok", """
        Xn = X.copy(); Xn[2, 0] = np.nan
        est = linreg.LinearRegression(missing="drop").fit(Xn, y)
        assert est.n_dropped_ == 1
        same(est.coef_, reference(X=np.delete(X, 2, 0), y=np.delete(y, 2)).coef_)
        """),
    Case("unfitted_diagnostics", "linreg.LinearRegression().get_influence()", raises=(NOT_FITTED,)),
]


@pytest.fixture(scope="module")
def results():
    with ThreadPoolExecutor(max_workers=3) as pool:
        yield {case.name: pool.submit(run_case, case.body) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, results) -> None:
    report = results[case.name].result()
    raised, mro, message = report["raised"], report["mro"], report["message"]
    if not case.raises:
        assert raised is None, f"raised {raised}: {message}"
        return
    for expected in case.raises:
        assert expected in mro, f"raised {raised} ({mro}): {message}; expected {expected}"
    if case.match:
        assert case.match in message, message
