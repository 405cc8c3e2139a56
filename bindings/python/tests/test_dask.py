"""linreg.dask.fit on a real dask.distributed LocalCluster (3 worker processes on loopback).

The distributed fit must equal a single-machine fit to 1e-10 relative
(coefficients and inference statistics) and survive a worker process dying
in the middle of the computation.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time

import numpy as np
import pytest

import linreg

from conftest import PY_DIR

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")
cloudpickle = pytest.importorskip("cloudpickle")

RTOL = 1e-10
STATS = ["params_", "bse_", "tvalues_", "rsquared_", "rsquared_adj_", "fvalue_", "llf_", "aic_", "bic_",
         "ssr_", "sigma_", "nobs_", "df_model_", "df_resid_", "condition_number_", "singular_"]

# The helper tasks below are defined here, not in an installed module: ship them by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def assert_same_fit(a, b, rtol=RTOL):
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=rtol)
    np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=rtol)
    for name in STATS:
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=rtol, err_msg=name)
    np.testing.assert_allclose(a.pvalues_, b.pvalues_, rtol=1e-8, atol=1e-300)
    np.testing.assert_allclose(a.f_pvalue_, b.f_pvalue_, rtol=1e-8, atol=1e-300)
    assert a.rank_ == b.rank_


@pytest.fixture(scope="module")
def client():
    """A LocalCluster of 3 single-threaded worker processes; workers find the library via LINREG_LIBRARY."""
    with pytest.MonkeyPatch.context() as mp:
        # Worker processes inherit os.environ (and get the binding from PYTHONPATH).
        mp.setenv("LINREG_LIBRARY", linreg.library_path)
        mp.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(PY_DIR), os.environ.get("PYTHONPATH")])))
        with dask.config.set({"distributed.scheduler.allowed-failures": 3}):
            cluster = distributed.LocalCluster(
                n_workers=3,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.CRITICAL,
            )
            c = distributed.Client(cluster)
            try:
                yield c
            finally:
                c.close()
                cluster.close()


@pytest.fixture(scope="module")
def problem():
    rng = np.random.default_rng(7)
    n = 6000
    X = rng.normal(size=(n, 6)) * [1, 10, 0.1, 5, 1, 100] + [0, 3, 1, -2, 0, 50]
    y = X @ [1.0, -0.3, 8.0, 0.25, 0.0, 0.01] + 2.5 + rng.normal(size=n)
    w = rng.uniform(0.2, 3.0, size=n)
    return X, y, w


def test_workers_use_the_same_library(client):
    paths = client.run(lambda: __import__("linreg").library_path)
    assert len(paths) == 3
    assert {os.path.realpath(p) for p in paths.values()} == {os.path.realpath(linreg.library_path)}


@pytest.mark.parametrize("split_every", [2, 4])
def test_distributed_fit_equals_single_machine_fit(client, problem, split_every):
    sm = pytest.importorskip("statsmodels.api")
    X, y, _ = problem
    # uneven row blocks, empty ones included; y chunked differently (rechunked to X's blocks)
    chunks = (0, 700, 1300, 0, 1, 999, 1500, 1500, 0)
    dX = da.from_array(X, chunks=(chunks, 3))  # two column blocks: joined by fit
    dy = da.from_array(y, chunks=1000)
    est = linreg.dask.fit(dX, dy, split_every=split_every)
    ref = linreg.LinearRegression().fit(X, y)
    assert isinstance(est, linreg.LinearRegression)
    assert_same_fit(est, ref)
    np.testing.assert_allclose(est.predict(X), ref.predict(X), rtol=RTOL)
    res = sm.OLS(y, sm.add_constant(X)).fit()
    for mine, theirs in [(est.params_, res.params), (est.bse_, res.bse), (est.rsquared_, res.rsquared),
                         (est.fvalue_, res.fvalue), (est.llf_, res.llf)]:
        np.testing.assert_allclose(mine, theirs, rtol=1e-8)
    np.testing.assert_allclose(est.pvalues_, res.pvalues, rtol=1e-6, atol=1e-300)
    assert "OLS" in str(est.summary())


def test_weighted_multi_output_float32_and_no_intercept(client, problem):
    X, y, w = problem
    Y = np.c_[y, 3 * y - X[:, 0]]
    dX, dY, dw = (da.from_array(a, chunks=1700) for a in (X, Y, w))
    est = linreg.dask.fit(dX, dY, sample_weight=dw, fit_intercept=False, ci_level=0.9)
    ref = linreg.LinearRegression(fit_intercept=False, ci_level=0.9).fit(X, Y, sample_weight=w)
    assert est.coef_.shape == (2, 6)
    assert_same_fit(est, ref)
    np.testing.assert_allclose(est.conf_int(), ref.conf_int(), rtol=RTOL)
    assert "WLS" in str(est.summary())

    X32, y32 = X.astype(np.float32), y.astype(np.float32)
    est32 = linreg.dask.fit(da.from_array(X32, chunks=1000), da.from_array(y32, chunks=1000))
    assert_same_fit(est32, linreg.LinearRegression().fit(X32, y32))


def test_ridge_is_allowed_and_other_solvers_are_refused(client, problem):
    X, y, _ = problem
    dX, dy = da.from_array(X, chunks=2000), da.from_array(y, chunks=2000)
    ridge = linreg.dask.fit(dX, dy, alpha=50.0)
    np.testing.assert_allclose(ridge.coef_, linreg.LinearRegression(alpha=50.0).fit(X, y).coef_, rtol=RTOL)
    assert not hasattr(ridge, "bse_")
    for solver in ["gd", "sgd"]:
        with pytest.raises(ValueError, match="solver='exact' only"):
            linreg.dask.fit(dX, dy, solver=solver)
    with pytest.raises(ValueError, match="momentum"):
        linreg.dask.fit(dX, dy, momentum=0.5)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        linreg.dask.fit(dX, dy[:-1])
    with pytest.raises(ValueError, match="no rows"):
        linreg.dask.fit(dX[:0], dy[:0])


def test_partition_with_only_zero_weights(client, problem):
    """liblinreg refuses a chunk whose weights are all zero: the error names the row block.

    (A single fit counts zero-weight rows in nobs; should the engine start
    accepting such chunks, the distributed fit must then equal it.)
    """
    X, y, w = problem
    w = w.copy()
    w[:1000] = 0.0
    dX, dy, dw = (da.from_array(a, chunks=1000) for a in (X, y, w))
    try:
        est = linreg.dask.fit(dX, dy, sample_weight=dw)
    except ValueError as exc:
        assert "row block 0" in str(exc) and "zero" in str(exc)
    else:
        assert_same_fit(est, linreg.LinearRegression().fit(X, y, sample_weight=w))
    # blocks mixing zero and positive weights are fine, and zero-weight rows count in nobs as in one fit
    est = linreg.dask.fit(dX.rechunk(1500), dy.rechunk(1500), sample_weight=dw.rechunk(1500))
    assert_same_fit(est, linreg.LinearRegression().fit(X, y, sample_weight=w))
    assert est.nobs_ == len(y)


def test_result_can_be_saved_and_continue_streaming(client, problem, tmp_path):
    X, y, _ = problem
    est = linreg.dask.fit(da.from_array(X[:4000], chunks=1000), da.from_array(y[:4000], chunks=1000))
    est.save(tmp_path / "dist.lrm")
    loaded = linreg.load(tmp_path / "dist.lrm")
    loaded.partial_fit(X[4000:], y[4000:])
    assert_same_fit(loaded, linreg.LinearRegression().fit(X, y))


def test_import_linreg_without_dask(tmp_path):
    """`import linreg` (and `import linreg.dask`) work when dask is not importable; fit says what is missing."""
    code = (
        "import sys; sys.modules['dask'] = None; sys.modules['dask.array'] = None\n"
        "import linreg, linreg.dask\n"
        "try:\n"
        "    linreg.dask.fit([[1.0]], [1.0])\n"
        "except ImportError as e:\n"
        "    print('IMPORTERROR', e)\n"
    )
    env = dict(os.environ, LINREG_LIBRARY=linreg.library_path, PYTHONPATH=str(PY_DIR))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "IMPORTERROR" in out.stdout and "dask" in out.stdout


# -- a worker dies in the middle of the computation ------------------------------


def _load_block(X_block, block_id=None, marker=None, log=None, victim=None):
    """Produce a row block slowly; the `victim` block kills its worker process the first time."""
    time.sleep(0.05)
    i = block_id[0]
    with open(log, "a") as f:
        f.write(f"{i} {os.getpid()}\n")
    if i == victim:
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            pass  # second attempt (on a new or another worker): behave
        else:
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            os._exit(1)  # the worker process dies, losing every result it held
    return X_block


def test_survives_a_worker_killed_mid_computation(client, problem, tmp_path):
    X, y, _ = problem
    marker, log = tmp_path / "killed.pid", tmp_path / "blocks.log"
    before = client.run(os.getpid)
    n_blocks, victim = 12, 9
    dX = da.from_array(X, chunks=(len(y) // n_blocks, 6)).map_blocks(
        _load_block, marker=str(marker), log=str(log), victim=victim, dtype=X.dtype
    )
    dy = da.from_array(y, chunks=len(y) // n_blocks)

    est = linreg.dask.fit(dX, dy, split_every=2)

    # the victim really died, once, and its block was then produced again
    assert marker.exists()
    dead_pid = int(marker.read_text())
    assert dead_pid in before.values()
    produced = [line.split() for line in log.read_text().splitlines()]
    assert sum(1 for i, _ in produced if int(i) == victim) == 2
    assert len(produced) >= n_blocks + 1
    # the nanny replaced the dead worker: 3 workers again, none of them the dead process
    deadline = time.monotonic() + 30
    while len(client.scheduler_info()["workers"]) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    after = client.run(os.getpid)
    assert len(after) == 3 and dead_pid not in after.values()
    assert set(after) != set(before)
    # ... and the answer is unchanged
    assert_same_fit(est, linreg.LinearRegression().fit(X, y))
