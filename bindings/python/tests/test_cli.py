"""The linreg command (linreg.cli): answers against statsmodels and numpy, and its bad-input contract.

Every expected number is computed here, independently of liblinreg
(statsmodels OLS/WLS, numpy's closed forms and a numpy replay of gradient
descent), except the predictions' bit-for-bit match with the library's own
``predict``, which is the point of that check. Bad input must give exit
status 2, exactly one line on stderr naming the file, column or row, nothing
on stdout and no output file.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import linreg
from linreg import cli

from conftest import PY_DIR, advertising_path

sm = pytest.importorskip("statsmodels.api")
FEATURES = ["TV", "Radio", "Newspaper"]
RTOL = 1e-8


def run(argv, capsys):
    """main(argv) in this process: (status, stdout, stderr)."""
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def printed_params(stdout: str):
    """{target: {name: value}} from the 'Parameters of T (full precision):' blocks."""
    blocks = {}
    current = None
    for line in stdout.splitlines():
        head = re.match(r"Parameters of (.+) \(full precision\):$", line)
        if head:
            current = blocks.setdefault(head.group(1), {})
            continue
        row = re.match(r"  (\S+)\s+(-?[0-9.]+(?:e-?\d+)?|nan)$", line)
        if row and current is not None:
            current[row.group(1)] = float(row.group(2))
        else:
            current = None if not line.startswith("  ") else current
    return blocks


@pytest.fixture
def ad_csv():
    path = advertising_path()
    if not path.is_file():
        pytest.fail(f"Advertising data not found at {path}", pytrace=False)
    return path


@pytest.fixture
def ols(advertising):
    return sm.OLS(advertising["Sales"], sm.add_constant(advertising[FEATURES])).fit()


# --------------------------------------------------------------------------- fit
def test_fit_exact_prints_summary_and_statsmodels_values(ad_csv, ols, tmp_path, capsys):
    out_model = tmp_path / "m.lr"
    status, out, err = run(["fit", ad_csv, "--target", "Sales", "--out", out_model], capsys)
    assert status == 0, err
    assert "OLS Regression Results" in out and err == ""
    params = printed_params(out)["Sales"]
    assert list(params) == ["const", *FEATURES, "R-squared"]  # the unnamed index column is not a feature
    np.testing.assert_allclose([params[n] for n in ["const", *FEATURES]], ols.params.to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(params["R-squared"], ols.rsquared, rtol=RTOL)
    # the summary's rounded table shows statsmodels' values too
    assert re.search(rf"R-squared:\s+{ols.rsquared:.3f}", out)
    # the model file holds the same fit
    loaded = linreg.load(out_model)
    np.testing.assert_allclose(loaded.params_, ols.params.to_numpy(), rtol=RTOL)


def test_fit_features_no_intercept_weights(advertising, tmp_path, capsys):
    rng = np.random.default_rng(7)
    df = advertising.copy()
    df["w"] = rng.uniform(0.5, 2.0, size=len(df))
    data = tmp_path / "weighted.csv"
    df.to_csv(data)  # with the index as an unnamed first column, as Advertising.csv
    status, out, err = run(["fit", data, "--target", "Sales", "--features", "Radio,TV", "--weights", "w",
                            "--no-intercept"], capsys)
    assert status == 0, err
    ref = sm.WLS(df["Sales"], df[["Radio", "TV"]], weights=df["w"]).fit()
    params = printed_params(out)["Sales"]
    assert list(params) == ["Radio", "TV", "R-squared"]
    np.testing.assert_allclose([params["Radio"], params["TV"]], ref.params.to_numpy(), rtol=RTOL)
    np.testing.assert_allclose(params["R-squared"], ref.rsquared, rtol=RTOL)  # uncentred, as statsmodels
    assert "WLS" in out

    # without --features, the weights column is not a feature either
    status, out, err = run(["fit", data, "--target", "Sales", "--weights", "w"], capsys)
    assert status == 0, err
    ref = sm.WLS(df["Sales"], sm.add_constant(df[FEATURES]), weights=df["w"]).fit()
    params = printed_params(out)["Sales"]
    np.testing.assert_allclose([params[n] for n in ["const", *FEATURES]], ref.params.to_numpy(), rtol=RTOL)


def test_fit_ridge_and_multi_output(advertising, ad_csv, capsys):
    status, out, err = run(["fit", ad_csv, "--target", "Sales,Newspaper", "--features", "TV,Radio",
                            "--alpha", "50"], capsys)
    assert status == 0, err
    X = advertising[["TV", "Radio"]].to_numpy()
    Xc = X - X.mean(axis=0)
    blocks = printed_params(out)
    assert list(blocks) == ["Sales", "Newspaper"]
    for target in ["Sales", "Newspaper"]:
        y = advertising[target].to_numpy()
        coef = np.linalg.solve(Xc.T @ Xc + 50 * np.eye(2), Xc.T @ (y - y.mean()))
        intercept = y.mean() - X.mean(axis=0) @ coef
        got = blocks[target]
        np.testing.assert_allclose([got["const"], got["TV"], got["Radio"]], [intercept, *coef], rtol=1e-9)
        assert "R-squared" not in got  # no statistics for a penalised fit

    status, out, err = run(["fit", ad_csv, "--target", "Sales,Newspaper", "--features", "TV,Radio"], capsys)
    assert status == 0, err
    for target in ["Sales", "Newspaper"]:
        ref = sm.OLS(advertising[target], sm.add_constant(advertising[["TV", "Radio"]])).fit()
        got = printed_params(out)[target]
        np.testing.assert_allclose([got["const"], got["TV"], got["Radio"]], ref.params.to_numpy(), rtol=RTOL)
        np.testing.assert_allclose(got["R-squared"], ref.rsquared, rtol=RTOL)


def test_fit_gd_prints_the_final_loss_of_a_numpy_replay(advertising, ad_csv, capsys):
    lr, epochs = 1e-5, 60
    status, out, err = run(["fit", ad_csv, "--target", "Sales", "--solver", "gd", "--learning-rate", lr,
                            "--epochs", epochs], capsys)
    assert status == 0, err
    assert err == ""  # no progress bar when stderr is not a terminal
    X = advertising[FEATURES].to_numpy()
    y = advertising["Sales"].to_numpy()
    W, b, losses = np.zeros(3), 0.0, []
    for _ in range(epochs):  # full-batch GD on the MSE from zero; the loss is recorded before each step
        r = X @ W + b - y
        losses.append(np.mean(r * r))
        W, b = W - lr * 2 * X.T @ r / len(y), b - lr * 2 * r.mean()
    head = re.search(r"solver gd: (\d+) epochs, final loss \(MSE\) (\S+)", out)
    assert head and int(head.group(1)) == epochs
    np.testing.assert_allclose(float(head.group(2)), losses[-1], rtol=1e-9)
    got = printed_params(out)["Sales"]
    np.testing.assert_allclose([got["const"], *[got[n] for n in FEATURES]], [b, *W], rtol=1e-9)


def test_progress_bar_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    bar = cli.ProgressBar(4, stream=stream)
    for epoch, loss in enumerate([4.0, 3.0, 2.0, 1.5]):
        bar(epoch, loss)
    bar.close()
    text = stream.getvalue()
    assert text.endswith("epoch 4/4  loss 1.5\n") and "[" + "#" * 30 + "]" in text


def test_fit_missing_drop_reports_and_fits_the_rest(advertising, tmp_path, capsys):
    df = advertising.copy()
    df.iloc[[3, 10], df.columns.get_loc("Radio")] = np.nan
    df.iloc[17, df.columns.get_loc("Sales")] = np.nan
    df.iloc[20, df.columns.get_loc("Newspaper")] = np.nan  # not a used column below
    data = tmp_path / "holes.csv"
    df.to_csv(data)
    status, out, err = run(["fit", data, "--target", "Sales", "--features", "TV,Radio", "--missing", "drop"],
                           capsys)
    assert status == 0, err
    assert err.count("\n") == 1 and "dropped 3 row(s)" in err and "197 left" in err
    kept = df.dropna(subset=["TV", "Radio", "Sales"])
    ref = sm.OLS(kept["Sales"], sm.add_constant(kept[["TV", "Radio"]])).fit()
    got = printed_params(out)["Sales"]
    np.testing.assert_allclose([got["const"], got["TV"], got["Radio"]], ref.params.to_numpy(), rtol=RTOL)
    assert "3 row(s) with missing values were dropped before the fit" in out  # the summary's note


def printed_bse(stdout: str):
    """{target: (cov_type, {name: value})} from the 'Standard errors of T (TYPE, full precision):' blocks."""
    blocks = {}
    current = None
    for line in stdout.splitlines():
        head = re.match(r"Standard errors of (.+) \((\S+), full precision\):$", line)
        if head:
            current = {}
            blocks[head.group(1)] = (head.group(2), current)
            continue
        row = re.match(r"  (\S+)\s+(-?[0-9.]+(?:e-?\d+)?|nan)$", line)
        if row and current is not None:
            current[row.group(1)] = float(row.group(2))
        else:
            current = None
    return blocks


def _with_labels(advertising, tmp_path):
    """Advertising with two label columns of text (9 markets, 8 periods) written to a CSV."""
    df = advertising.copy()
    n = len(df)
    df["market"] = [f"m{i % 9}" for i in range(n)]
    df["period"] = [f"q{i // 25}" for i in range(n)]
    path = tmp_path / "labelled.csv"
    df.to_csv(path)
    return df, path


@pytest.mark.parametrize("cov_type", ["HC0", "HC1", "HC2", "HC3"])
def test_fit_cov_type_prints_statsmodels_robust_errors(advertising, ad_csv, tmp_path, cov_type, capsys):
    out_model = tmp_path / "robust.lr"
    status, out, err = run(["fit", ad_csv, "--target", "Sales", "--cov-type", cov_type, "--out", out_model], capsys)
    assert status == 0, err
    ref = sm.OLS(advertising["Sales"], sm.add_constant(advertising[FEATURES])).fit(cov_type=cov_type)
    kind, bse = printed_bse(out)["Sales"]
    assert kind == cov_type and list(bse) == ["const", *FEATURES]
    np.testing.assert_allclose(list(bse.values()), ref.bse.to_numpy(), rtol=RTOL)
    assert f"Standard Errors are heteroscedasticity robust ({cov_type})" in out
    # the saved model keeps its covariance type: `linreg summary` shows the same errors
    status, summary, err = run(["summary", out_model], capsys)
    assert status == 0, err
    assert re.search(rf"Covariance Type:\s+{cov_type}\b", summary) and "P>|z|" in summary
    np.testing.assert_allclose(linreg.load(out_model).bse_, ref.bse.to_numpy(), rtol=RTOL)


@pytest.mark.parametrize("columns", [["market"], ["market", "period"]])
def test_fit_cluster_with_text_labels_matches_statsmodels(advertising, tmp_path, columns, capsys):
    df, path = _with_labels(advertising, tmp_path)
    status, out, err = run(["fit", path, "--target", "Sales", "--features", "TV,Radio,Newspaper",
                            "--cov-type", "cluster", "--groups", ",".join(columns)], capsys)
    assert status == 0, err
    codes = np.column_stack([pd.factorize(df[c])[0] for c in columns])
    ref = sm.OLS(df["Sales"], sm.add_constant(df[FEATURES])).fit(
        cov_type="cluster", cov_kwds={"groups": codes[:, 0] if len(columns) == 1 else codes})
    kind, bse = printed_bse(out)["Sales"]
    assert kind == "cluster"
    np.testing.assert_allclose(list(bse.values()), ref.bse.to_numpy(), rtol=RTOL)
    assert "robust to cluster correlation" in out


def test_fit_cluster_label_columns_are_not_features_and_missing_labels_drop(advertising, tmp_path, capsys):
    df, path = _with_labels(advertising, tmp_path)
    df = df.drop(columns="period")
    df.loc[df.index[[4, 50]], "market"] = np.nan
    df.to_csv(path)
    # without --features: every column but the target and the labels is a feature
    status, out, err = run(["fit", path, "--target", "Sales", "--cov-type", "cluster", "--groups", "market",
                            "--missing", "drop"], capsys)
    assert status == 0, err
    assert "dropped 2 row(s)" in err and "198 left" in err
    kept = df.dropna(subset=["market"])
    ref = sm.OLS(kept["Sales"], sm.add_constant(kept[FEATURES])).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(kept["market"])[0]})
    kind, bse = printed_bse(out)["Sales"]
    assert list(bse) == ["const", *FEATURES]
    np.testing.assert_allclose(list(bse.values()), ref.bse.to_numpy(), rtol=RTOL)
    got = printed_params(out)["Sales"]
    np.testing.assert_allclose([got[n] for n in ["const", *FEATURES]], ref.params.to_numpy(), rtol=RTOL)


def test_fit_parquet(advertising, ols, tmp_path, capsys):
    pytest.importorskip("pyarrow")  # bindings/python/requirements-test.txt installs it
    data = tmp_path / "ad.parquet"
    advertising.reset_index(drop=True).to_parquet(data, engine="pyarrow")
    status, out, err = run(["fit", data, "--target", "Sales"], capsys)
    assert status == 0, err
    got = printed_params(out)["Sales"]
    np.testing.assert_allclose([got[n] for n in ["const", *FEATURES]], ols.params.to_numpy(), rtol=RTOL)


# --------------------------------------------------------------------------- predict, summary, plot
@pytest.fixture
def model_file(ad_csv, tmp_path, capsys):
    path = tmp_path / "m.lr"
    status, _, err = run(["fit", ad_csv, "--target", "Sales", "--out", path], capsys)
    assert status == 0, err
    return path


def test_predict_matches_columns_by_name(advertising, ols, model_file, tmp_path, capsys):
    loaded = linreg.load(model_file)  # the names travel in the model file
    assert list(loaded.feature_names_in_) == FEATURES and list(loaded.target_names_) == ["Sales"]
    shuffled = tmp_path / "shuffled.csv"
    advertising[["Newspaper", "Sales", "TV", "Radio"]].assign(extra="text").to_csv(shuffled, index=False)
    status, out, err = run(["predict", model_file, shuffled], capsys)
    assert status == 0, err
    got = pd.read_csv(io.StringIO(out))
    assert list(got.columns) == ["Sales"] and len(got) == 200
    expected = sm.add_constant(advertising[FEATURES]).to_numpy() @ ols.params.to_numpy()
    np.testing.assert_allclose(got["Sales"].to_numpy(), expected, rtol=1e-10)
    # the same numbers as the library's own predict, to the last bit (the CSV keeps every digit)
    library = linreg.LinearRegression().fit(advertising[FEATURES], advertising["Sales"]).predict(advertising[FEATURES])
    np.testing.assert_array_equal(got["Sales"].to_numpy(), library)

    out_csv = tmp_path / "pred.csv"
    status, out, err = run(["predict", model_file, shuffled, "--out", out_csv], capsys)
    assert status == 0 and out == "" and err == ""
    np.testing.assert_array_equal(pd.read_csv(out_csv)["Sales"].to_numpy(), library)


def test_summary_of_a_saved_fit(ols, model_file, capsys):
    status, out, err = run(["summary", model_file], capsys)
    assert status == 0, err
    assert "OLS Regression Results" in out
    assert re.search(rf"R-squared:\s+{ols.rsquared:.3f}\b", out)
    assert re.search(rf"F-statistic:\s+{ols.fvalue:.1f}\b", out)


def test_plot_writes_a_png(model_file, ad_csv, tmp_path, capsys):
    png = tmp_path / "avp.png"
    status, out, err = run(["plot", model_file, ad_csv, "--target", "Sales", "--out", png], capsys)
    assert status == 0, err
    import matplotlib.image

    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.image.imread(png).shape[:2] == (560, 640)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


# --------------------------------------------------------------------------- bad input
def _with(advertising, tmp_path, name, column, row, value):
    df = advertising.copy()
    df[column] = df[column].astype(object)
    df.iloc[row, df.columns.get_loc(column)] = value
    path = tmp_path / name
    df.to_csv(path)
    return path


def _damaged(model_file, tmp_path, name, how):
    data = bytearray(model_file.read_bytes())
    if how == "truncated":
        data = data[:100]
    elif how == "flipped":
        data[len(data) // 2] ^= 0xFF
    elif how == "version":
        data[8:12] = (99).to_bytes(4, "little")
    path = tmp_path / name
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("case", [
    "missing data file", "unknown target", "unknown feature", "unknown weights", "non-numeric column",
    "nan with raise", "infinity", "diverging gd", "bad parameter",
    "missing model", "truncated model", "corrupt model", "model of another version", "not a model",
    "summary of a gd model", "predict: missing column", "predict: nan", "plot: unknown target",
    "cluster without groups", "groups without cluster", "three groups columns", "robust gd", "robust ridge",
    "unknown groups column", "missing label with raise",
])
def test_bad_input_is_one_line_and_status_2(case, advertising, ad_csv, model_file, tmp_path, capsys):
    out_file = tmp_path / "out.any"
    expect = []  # substrings of the one stderr line
    if case == "missing data file":
        argv, expect = ["fit", tmp_path / "nope.csv", "--target", "Sales"], ["nope.csv", "no such file"]
    elif case == "unknown target":
        argv, expect = ["fit", ad_csv, "--target", "sales"], [str(ad_csv), "'sales'"]
    elif case == "unknown feature":
        argv, expect = ["fit", ad_csv, "--target", "Sales", "--features", "TV,Foo"], ["'Foo'"]
    elif case == "unknown weights":
        argv, expect = ["fit", ad_csv, "--target", "Sales", "--weights", "w"], ["'w'"]
    elif case == "non-numeric column":
        data = _with(advertising, tmp_path, "text.csv", "Radio", 4, "abc")
        argv, expect = ["fit", data, "--target", "Sales"], ["text.csv", "'Radio'", "row 5", "'abc'"]
    elif case == "nan with raise":
        data = _with(advertising, tmp_path, "nan.csv", "TV", 11, np.nan)
        argv, expect = ["fit", data, "--target", "Sales"], ["nan.csv", "'TV'", "row 12", "--missing drop"]
    elif case == "infinity":
        data = _with(advertising, tmp_path, "inf.csv", "Sales", 6, np.inf)
        argv, expect = ["fit", data, "--target", "Sales"], ["inf.csv", "'Sales'", "row 7"]
    elif case == "diverging gd":
        argv = ["fit", ad_csv, "--target", "Sales", "--solver", "gd", "--learning-rate", "1", "--epochs", "50"]
        expect = ["diverged"]
    elif case == "bad parameter":
        argv, expect = ["fit", ad_csv, "--target", "Sales", "--learning-rate", "-1", "--solver", "gd"], ["learning"]
    elif case == "missing model":
        argv, expect = ["summary", tmp_path / "none.lr"], ["none.lr"]
    elif case == "truncated model":
        argv, expect = ["predict", _damaged(model_file, tmp_path, "t.lr", "truncated"), ad_csv], ["t.lr"]
    elif case == "corrupt model":
        argv, expect = ["summary", _damaged(model_file, tmp_path, "c.lr", "flipped")], ["c.lr", "corrupt"]
    elif case == "model of another version":
        argv, expect = ["summary", _damaged(model_file, tmp_path, "v.lr", "version")], ["v.lr", "version 99"]
    elif case == "not a model":
        argv, expect = ["summary", ad_csv], [str(ad_csv), "not a liblinreg model"]
    elif case == "summary of a gd model":
        gd = tmp_path / "gd.lr"
        assert cli.main(["fit", str(ad_csv), "--target", "Sales", "--solver", "gd", "--learning-rate", "1e-5",
                         "--epochs", "5", "--out", str(gd)]) == 0
        capsys.readouterr()
        argv, expect = ["summary", gd], ["gd.lr", "no summary"]
    elif case == "predict: missing column":
        data = tmp_path / "partial.csv"
        advertising[["TV", "Newspaper"]].to_csv(data)
        argv, expect = ["predict", model_file, data], ["partial.csv", "'Radio'"]
    elif case == "predict: nan":
        data = _with(advertising, tmp_path, "hole.csv", "Newspaper", 199, np.nan)
        argv, expect = ["predict", model_file, data], ["hole.csv", "'Newspaper'", "row 200"]
    elif case == "plot: unknown target":
        argv, expect = ["plot", model_file, ad_csv, "--target", "Profit"], ["'Profit'"]
    elif case == "cluster without groups":
        argv, expect = ["fit", ad_csv, "--target", "Sales", "--cov-type", "cluster"], ["--groups"]
    elif case == "groups without cluster":
        argv, expect = ["fit", ad_csv, "--target", "Sales", "--groups", "TV"], ["--cov-type cluster"]
    elif case == "three groups columns":
        argv = ["fit", ad_csv, "--target", "Sales", "--cov-type", "cluster", "--groups", "TV,Radio,Newspaper"]
        expect = ["two-way"]
    elif case == "robust gd":
        argv, expect = ["fit", ad_csv, "--target", "Sales", "--cov-type", "HC3", "--solver", "gd"], ["unpenalised"]
    elif case == "robust ridge":
        argv, expect = ["fit", ad_csv, "--target", "Sales", "--cov-type", "HC1", "--alpha", "2"], ["unpenalised"]
    elif case == "unknown groups column":
        argv = ["fit", ad_csv, "--target", "Sales", "--cov-type", "cluster", "--groups", "region"]
        expect = [str(ad_csv), "'region'"]
    elif case == "missing label with raise":
        data = _with(advertising.assign(region="north"), tmp_path, "labels.csv", "region", 8, np.nan)
        argv = ["fit", data, "--target", "Sales", "--features", "TV,Radio", "--cov-type", "cluster",
                "--groups", "region"]
        expect = ["labels.csv", "'region'", "row 9", "--missing drop"]
    if argv[0] != "summary":  # the only command that writes no file
        argv = argv + ["--out", out_file]
    status, out, err = run(argv, capsys)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith(f"linreg {argv[0]}: ")
    for part in expect:
        assert part in err, (part, err)
    assert not out_file.exists()
    assert [p.name for p in tmp_path.iterdir() if ".tmp" in p.name] == []


def test_python_m_linreg_end_to_end(ad_csv, ols, tmp_path):
    """As a process: `python -m linreg`, status 0 / 2, no traceback, and --help."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PY_DIR) + os.pathsep + env.get("PYTHONPATH", "")

    def linreg_cmd(*args):
        return subprocess.run([sys.executable, "-m", "linreg", *map(str, args)], capture_output=True, text=True,
                              env=env, cwd=tmp_path, timeout=120)

    done = linreg_cmd("fit", ad_csv, "--target", "Sales", "--out", "m.lr")
    assert done.returncode == 0, done.stderr
    got = printed_params(done.stdout)["Sales"]
    np.testing.assert_allclose([got[n] for n in ["const", *FEATURES]], ols.params.to_numpy(), rtol=RTOL)
    assert (tmp_path / "m.lr").is_file()

    bad = linreg_cmd("fit", ad_csv, "--target", "Sales", "--features", "TV,Nope", "--out", "n.lr")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "'Nope'" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "n.lr").exists()

    usage = linreg_cmd("fit", ad_csv)  # --target is required: argparse's error, on one line too
    assert usage.returncode == 2 and usage.stderr.count("\n") == 1 and "--target" in usage.stderr

    helped = linreg_cmd("--help")
    assert helped.returncode == 0 and all(c in helped.stdout for c in ["fit", "predict", "summary", "plot"])
