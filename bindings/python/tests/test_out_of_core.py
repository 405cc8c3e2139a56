"""examples/out_of_core.py: a chunked fit of .npy files through numpy memmaps equals one fit, in bounded memory."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import linreg

from conftest import PY_DIR

EXAMPLE = PY_DIR / "examples" / "out_of_core.py"


@pytest.fixture(scope="module")
def ooc():
    spec = importlib.util.spec_from_file_location("linreg_example_out_of_core", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_chunked_memmap_fit_equals_one_fit(ooc, tmp_path):
    sm = pytest.importorskip("statsmodels.api")
    x_path, y_path, coef, intercept = ooc.write_dataset(tmp_path, rows=20_011, features=6, seed=3, chunk_rows=4096)
    X, y = np.load(x_path), np.load(y_path)
    assert X.shape == (20_011, 6) and y.shape == (20_011,) and X.dtype == np.float64
    blocks = list(ooc.iter_row_blocks(x_path, 1500))
    assert [len(b) for b in blocks] == [1500] * 13 + [511]
    assert all(isinstance(b, np.memmap) and b.flags.c_contiguous for b in blocks)
    del blocks

    est, head = ooc.fit_out_of_core(x_path, y_path, chunk_rows=1500, check_rows=3000)
    ref = linreg.LinearRegression().fit(X, y)
    for name in ["coef_", "intercept_", "bse_", "tvalues_", "rsquared_", "rsquared_adj_", "fvalue_", "llf_",
                 "aic_", "bic_", "ssr_", "nobs_", "df_resid_", "singular_", "condition_number_"]:
        np.testing.assert_allclose(getattr(est, name), getattr(ref, name), rtol=1e-10, err_msg=name)
    np.testing.assert_allclose(est.pvalues_, ref.pvalues_, rtol=1e-8, atol=1e-300)
    head_ref = linreg.LinearRegression().fit(X[:3000], y[:3000])
    np.testing.assert_allclose(head.coef_, head_ref.coef_, rtol=1e-10)
    np.testing.assert_allclose(head.bse_, head_ref.bse_, rtol=1e-10)

    res = sm.OLS(y, sm.add_constant(X)).fit()
    np.testing.assert_allclose(est.params_, res.params, rtol=1e-8)
    np.testing.assert_allclose(est.bse_, res.bse, rtol=1e-8)
    # the known truth is within a few standard errors
    assert np.all(np.abs(est.params_ - np.r_[intercept, coef]) <= 6 * est.bse_)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="peak RSS is read from /proc/self/status (Linux)")
def test_example_memory_stays_bounded(tmp_path):
    """A 128 MB file fitted with a 16 MiB budget: peak RSS growth is a small fraction of the file."""
    env = dict(os.environ, LINREG_LIBRARY=linreg.library_path, PYTHONPATH=str(PY_DIR))
    cmd = [sys.executable, str(EXAMPLE), "--rows", "1000000", "--features", "16",
           "--memory-limit-mb", "16", "--dir", str(tmp_path / "data"), "--json"]
    try:
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stdout + out.stderr
        result = json.loads(out.stdout.strip().splitlines()[-1])
        assert result["file_bytes"] == 128_000_000 == (tmp_path / "data" / "X.npy").stat().st_size - 128
    finally:
        shutil.rmtree(tmp_path / "data", ignore_errors=True)  # pytest keeps recent tmp_paths: free the 136 MB now
    assert result["ok"] and result["nobs"] == 1_000_000
    growth = result["peak_rss_growth_bytes"]
    assert growth is not None and growth <= 16 * 2**20, result
    assert growth < result["file_bytes"] / 8, result
    if result["fit_peak_rss_growth_bytes"] is not None:  # the fit alone: about one chunk
        assert result["fit_peak_rss_growth_bytes"] < result["file_bytes"] / 10, result
    assert result["max_rel_diff_vs_one_fit"] <= 1e-10
