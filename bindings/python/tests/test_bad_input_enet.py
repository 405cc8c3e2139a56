"""Bad input to the lasso / elastic-net entry points (``linreg_enet_*`` through
``linreg._enet``, and the four estimators) never crashes the interpreter: each
case runs in a fresh interpreter (see test_bad_input.py, whose runner this
reuses) and must raise the documented exception with a message, leaving a
model that was fitted before unchanged."""

from __future__ import annotations

import os
import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest

from test_bad_input import FPE, NOT_FITTED, TYPE, VALUE, Case, run_case

UNAVAILABLE = "linreg._errors.UnavailableError"
NOT_IMPLEMENTED = "builtins.NotImplementedError"

FITTED = """
from linreg import _enet
m = linreg.Model(3, 1); m.fit(X, y)
"""

CASES = [
    # ---- the C calls, through linreg._enet -----------------------------------
    Case("path_on_unfitted_model", "from linreg import _enet\n_enet.path(linreg.Model(3, 1), [0.1])",
         raises=(UNAVAILABLE,), match="statistics"),
    Case("path_after_gd", """
        from linreg import _enet
        m = linreg.Model(3, 1); m.set_param(linreg.Param.SOLVER, linreg.Solver.GD); m.fit(X, y)
        _enet.path(m, [0.1])
        """, raises=(UNAVAILABLE,)),
    Case("path_after_set_weights", """
        from linreg import _enet
        m = linreg.Model(3, 1); m.set_weights(np.ones((1, 3)))
        _enet.path(m, [0.1])
        """, raises=(UNAVAILABLE,)),
    Case("path_negative_alpha", FITTED + "_enet.path(m, [0.1, -1.0])", raises=(VALUE,), match="alphas[1]"),
    Case("path_nan_alpha", FITTED + "_enet.path(m, [float('nan')])", raises=(VALUE,), match="alphas[0]"),
    Case("path_empty_alphas", FITTED + "_enet.path(m, [])", raises=(VALUE,)),
    Case("path_l1_ratio_above_one", FITTED + "_enet.path(m, [0.1], l1_ratio=1.5)", raises=(VALUE,),
         match="l1_ratio"),
    Case("path_negative_tol", FITTED + "_enet.path(m, [0.1], tol=-1)", raises=(VALUE,), match="tol"),
    Case("path_max_iter_zero", FITTED + "_enet.path(m, [0.1], max_iter=0)", raises=(VALUE,), match="max_iter"),
    Case("path_intercept_without_intercept_statistics", """
        from linreg import _enet
        m = linreg.Model(3, 1); m.set_param(linreg.Param.FIT_INTERCEPT, 0); m.fit(X, y)
        _enet.path(m, [0.1], fit_intercept=True)
        """, raises=(VALUE,), match="intercept"),
    Case("grid_l1_ratio_zero", FITTED + "_enet.alpha_grid(m, l1_ratio=0.0)", raises=(VALUE,), match="l1_ratio"),
    Case("grid_eps_zero", FITTED + "_enet.alpha_grid(m, eps=0.0)", raises=(VALUE,), match="eps"),
    Case("grid_n_alphas_zero", FITTED + "_enet.alpha_grid(m, n_alphas=0)", raises=(VALUE,)),
    Case("fit_failure_leaves_model_unchanged", FITTED + textwrap.dedent("""
        before = m.get_weights()
        try:
            _enet.fit(m, -1.0)
        except ValueError:
            pass
        else:
            raise AssertionError("negative alpha accepted")
        after = m.get_weights()
        same(before[0], after[0], tol=0); same(before[1], after[1], tol=0)
        m.stat(linreg.Stat.R2)          # still the exact fit's statistics
        """)),
    Case("cv_shape_mismatch", FITTED + textwrap.dedent("""
        other = linreg.Model(2, 1); other.fit(X[:, :2], y)
        _enet.cv_path(m, [other], [0.1])
        """), raises=(VALUE,), match="features"),
    Case("cv_fold_not_fitted", FITTED + "_enet.cv_path(m, [linreg.Model(3, 1)], [0.1])",
         raises=(UNAVAILABLE,), match="test model 0"),
    Case("cv_fold_as_large_as_total", FITTED + "_enet.cv_path(m, [m], [0.1])", raises=(VALUE,),
         match="nothing is left"),
    Case("cv_no_folds", FITTED + "_enet.cv_path(m, [], [0.1])", raises=(VALUE,)),
    Case("cv_intercept_settings_differ", FITTED + textwrap.dedent("""
        f = linreg.Model(3, 1); f.set_param(linreg.Param.FIT_INTERCEPT, 0); f.fit(X[:10], y[:10])
        _enet.cv_path(m, [f], [0.1])
        """), raises=(VALUE,), match="intercept"),
    Case("accumulate_into_fitted_model", FITTED + "_enet.accumulate(m, X, y)", raises=(VALUE,),
         match="never solved"),
    Case("accumulate_nan", """
        from linreg import _enet
        Xn = X.copy(); Xn[2, 1] = np.nan
        _enet.accumulate(linreg.Model(3, 1), Xn, y)
        """, raises=(VALUE, FPE), match="row 2"),
    Case("accumulate_negative_weight", """
        from linreg import _enet
        _enet.accumulate(linreg.Model(3, 1), X, y, -np.ones(30))
        """, raises=(VALUE,), match="negative"),
    Case("accumulated_model_cannot_predict", """
        from linreg import _enet
        a = linreg.Model(3, 1); _enet.accumulate(a, X, y)
        a.predict(X)
        """, raises=(NOT_FITTED,)),
    Case("merge_statistics_into_fitted_model", FITTED + textwrap.dedent("""
        a = linreg.Model(3, 1); _enet.accumulate(a, X, y)
        _enet.merge_statistics(m, a)
        """), raises=(VALUE,), match="never solved"),
    Case("merge_statistics_from_empty_model", """
        from linreg import _enet
        _enet.merge_statistics(linreg.Model(3, 1), linreg.Model(3, 1))
        """, raises=(VALUE,), match="no exact-solver statistics"),
    # ---- the estimators ----------------------------------------------------------
    Case("lasso_negative_alpha", "linreg.Lasso(alpha=-1).fit(X, y)", raises=(VALUE,), match="alpha"),
    Case("enet_l1_ratio_string", "linreg.ElasticNet(l1_ratio='a').fit(X, y)", raises=(VALUE,)),
    Case("enet_max_iter_float", "linreg.ElasticNet(max_iter=2.5).fit(X, y)", raises=(VALUE,)),
    Case("lasso_nan_in_X", """
        Xn = X.copy(); Xn[3, 2] = np.nan
        linreg.Lasso().fit(Xn, y)
        """, raises=(VALUE, FPE), match="row 3"),
    Case("lasso_predict_before_fit", "linreg.Lasso().predict(X)", raises=(NOT_FITTED,)),
    Case("lasso_wrong_feature_count", "linreg.Lasso(alpha=0.01).fit(X, y).predict(X[:, :2])", raises=(VALUE,),
         match="features"),
    Case("lasso_random_selection", "linreg.Lasso(selection='random').fit(X, y)", raises=(NOT_IMPLEMENTED,)),
    Case("lassocv_one_fold", "linreg.LassoCV(cv=1).fit(X, y)", raises=(VALUE,), match="n_splits"),
    Case("lassocv_more_folds_than_rows", "linreg.LassoCV(cv=31).fit(X, y)", raises=(VALUE,)),
    Case("lassocv_negative_eps", "linreg.LassoCV(eps=-1.0).fit(X, y)", raises=(VALUE,), match="eps"),
    Case("lassocv_negative_alpha_in_list", "linreg.LassoCV(alphas=[0.1, -2]).fit(X, y)", raises=(VALUE,)),
    Case("enetcv_l1_ratio_zero_with_grid", "linreg.ElasticNetCV(l1_ratio=0.0).fit(X, y)", raises=(VALUE,),
         match="l1_ratio=0"),
    Case("enetcv_multi_output", "linreg.ElasticNetCV().fit(X, np.column_stack([y, y]))", raises=(VALUE,),
         match="MultiTask"),
    Case("path_of_fold_models_that_are_strings", FITTED + "_enet.cv_path(m, ['x'], [0.1])", raises=(TYPE,)),
]


@pytest.fixture(scope="module")
def results(request):
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
def test_bad_input_enet(case: Case, results) -> None:
    report = results[case.name].result()
    raised, mro, message = report["raised"], report["mro"], report["message"]
    if not case.raises:
        assert raised is None, f"raised {raised}: {message}"
        return
    assert raised, f"no exception was raised (expected {case.raises})"
    for t in case.raises:
        assert t in mro, f"raised {raised} ({mro}), not a {t}: {message}"
    assert message.strip(), "the exception has no message"
    if case.match is not None:
        assert case.match in message, f"message {message!r} lacks {case.match!r}"
