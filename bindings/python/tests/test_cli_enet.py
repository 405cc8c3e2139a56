"""``linreg fit --lasso/--cv/--l1-ratio`` against scikit-learn (Lasso, ElasticNet,
LassoCV, ElasticNetCV on the Advertising data, tol=1e-12 on both sides so both
stop within rounding of the minimiser: 1e-8 relative), and its bad-input
contract (status 2, one line on stderr, nothing on stdout, no output file)."""

from __future__ import annotations

import numpy as np
import pytest

from linreg import cli
from test_cli import FEATURES, ad_csv, printed_params, run  # noqa: F401 (ad_csv is a fixture)

sk = pytest.importorskip("sklearn.linear_model")
TIGHT = ["--tol", "1e-12", "--max-iter", "200000"]


def _xy(advertising):
    return advertising[FEATURES].to_numpy(), advertising["Sales"].to_numpy()


def _check_params(out, ref):
    params = printed_params(out)["Sales"]
    got = np.array([params[n] for n in ["const", *FEATURES]])
    want = np.concatenate([[ref.intercept_], ref.coef_])
    assert np.max(np.abs(got - want)) <= 1e-8 * np.max(np.abs(want))


@pytest.mark.parametrize("extra, ref", [
    (["--lasso", "0.5"], lambda: sk.Lasso(alpha=0.5, tol=1e-12, max_iter=200000)),
    (["--lasso", "2", "--l1-ratio", "0.3", "--positive"],
     lambda: sk.ElasticNet(alpha=2.0, l1_ratio=0.3, positive=True, tol=1e-12, max_iter=200000)),
])
def test_fit_lasso_equals_sklearn_and_predicts(extra, ref, ad_csv, advertising, tmp_path, capsys):
    X, y = _xy(advertising)
    model_path = tmp_path / "m.lr"
    status, out, err = run(["fit", ad_csv, "--target", "Sales", *extra, *TIGHT, "--out", model_path], capsys)
    assert status == 0, err
    assert "duality gap" in out.splitlines()[0]
    fitted = ref().fit(X, y)
    _check_params(out, fitted)
    status, out, err = run(["predict", model_path, ad_csv], capsys)
    assert status == 0, err
    pred = np.array([float(v) for v in out.splitlines()[1:]])
    np.testing.assert_allclose(pred, fitted.predict(X), rtol=1e-8)


@pytest.mark.parametrize("ratio", [None, "0.5"])
def test_fit_cv_chooses_sklearns_alpha(ratio, ad_csv, advertising, capsys):
    X, y = _xy(advertising)
    extra = [] if ratio is None else ["--l1-ratio", ratio]
    status, out, err = run(["fit", ad_csv, "--target", "Sales", "--cv", "5", *extra, *TIGHT], capsys)
    assert status == 0, err
    ref = (sk.LassoCV(cv=5, tol=1e-12, max_iter=200000) if ratio is None
           else sk.ElasticNetCV(cv=5, l1_ratio=float(ratio), tol=1e-12, max_iter=200000)).fit(X, y)
    head = out.splitlines()[0]
    assert f"alpha {ref.alpha_!r}" in head or abs(float(head.split("alpha ")[1].split(",")[0]) / ref.alpha_ - 1) < 1e-12
    _check_params(out, ref)


@pytest.mark.parametrize("argv", [
    ["--lasso", "-1"],
    ["--lasso", "0.1", "--l1-ratio", "2"],
    ["--lasso", "0.1", "--cv", "3"],
    ["--lasso", "0.1", "--solver", "gd"],
    ["--lasso", "0.1", "--alpha", "1"],
    ["--cv", "1"],
    ["--l1-ratio", "0.5"],
    ["--cv", "3", "--target", "Sales,TV", "--features", "Radio"],
])
def test_bad_lasso_arguments(argv, ad_csv, tmp_path, capsys):
    out_model = tmp_path / "m.lr"
    base = ["fit", ad_csv] + ([] if "--target" in argv else ["--target", "Sales"])
    status, out, err = run(base + argv + ["--out", out_model], capsys)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert not out_model.exists()


def test_fit_cv_with_missing_drop_fits_the_kept_rows(advertising, tmp_path, capsys):
    """--missing drop before --cv: the rows with a missing value go, and LassoCV on the
    kept rows is scikit-learn's (its KFold over the kept rows)."""
    df = advertising.copy()
    df.iloc[[7, 90, 150], df.columns.get_loc("Radio")] = np.nan
    path = tmp_path / "holes.csv"
    df.to_csv(path)
    status, out, err = run(["fit", path, "--target", "Sales", "--cv", "4", "--missing", "drop", *TIGHT], capsys)
    assert status == 0, err
    assert "dropped 3 row(s)" in err
    kept = df.dropna()
    ref = sk.LassoCV(cv=4, tol=1e-12, max_iter=200000).fit(kept[FEATURES].to_numpy(), kept["Sales"].to_numpy())
    _check_params(out, ref)
