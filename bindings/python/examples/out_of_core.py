#!/usr/bin/env python3
"""Fit a linear regression to a .npy file larger than the memory the process may use.

    python bindings/python/examples/out_of_core.py [--rows 4000000] [--features 16]
        [--memory-limit-mb 64] [--chunk-rows N] [--dir DIR] [--keep] [--seed 0] [--json]

1. Writes ``X.npy`` (rows x features, float64: 512 MB by default) and
   ``y.npy`` to ``--dir`` (a temporary folder by default, removed at the end
   unless ``--keep``), chunk by chunk with plain file writes, from known true
   coefficients plus Gaussian noise.
2. Streams them back through ``LinearRegression.partial_fit``: each chunk
   is a ``numpy.memmap`` of just those rows (C-contiguous float64, so the
   binding hands it to liblinreg without a copy), unmapped before the next one.
   liblinreg keeps only the exact sufficient statistics (a few KiB), so
   memory stays constant whatever the number of rows.
3. Checks the answer: (a) exactness: a second estimator streamed only the
   first few chunks; one in-memory ``fit`` of those rows must give the same
   coefficients and statistics to 1e-10 relative; (b) every true
   coefficient lies within 6 standard errors of the streamed estimate (the
   standard errors come from the streamed fit's own statistics); (c) the
   process's peak resident memory (``VmHWM`` in ``/proc/self/status``) grew
   by less than ``--memory-limit-mb`` while writing and fitting, although the
   file is larger.

Exit status 0 when every check passes, 1 otherwise. ``--json`` prints the
measurements as one JSON line (used by the tests).

Why measure instead of ``resource.setrlimit(RLIMIT_AS)``: an address-space
limit counts reserved but untouched virtual memory -- the 8 MiB stack and
the 64 MiB glibc malloc arena reserved for each of liblinreg's worker
threads, numpy's and the Swift runtime's mappings -- so with numpy and the
library loaded a 64 MB limit fails on thread creation while almost nothing is
in use. Peak resident memory is what "fits in memory" means; Linux records it
per process (``VmHWM``), and ``/proc/self/clear_refs`` lets us reset it to the
current usage after the imports so that only the work is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple

import numpy as np

try:
    import linreg
except ImportError:  # running from the source tree without installing the package
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import linreg

MIB = 1024 * 1024
NOISE_SIGMA = 0.5


# -- memory measurement ------------------------------------------------------------


def memory_status() -> Optional[Dict[str, int]]:
    """``VmRSS`` and ``VmHWM`` (peak) of this process in bytes, or None off Linux."""
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) * 1024
    return out if len(out) == 2 else None


def reset_peak_memory() -> bool:
    """Reset ``VmHWM`` to the current RSS (Linux >= 4.0); False when not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


# -- the data ----------------------------------------------------------------------


def true_coefficients(n_features: int, seed: int = 0) -> Tuple[np.ndarray, float]:
    rng = np.random.default_rng([seed, 1])
    return rng.uniform(-3.0, 3.0, size=n_features), float(rng.uniform(-5.0, 5.0))


def _write_npy_header(f, shape: Tuple[int, ...]) -> None:
    header = {"descr": np.lib.format.dtype_to_descr(np.dtype("<f8")), "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_2_0(f, header)


def write_dataset(
    directory: Path, rows: int, features: int, seed: int = 0, chunk_rows: int = 65536
) -> Tuple[Path, Path, np.ndarray, float]:
    """Write ``X.npy`` (rows x features) and ``y.npy`` (rows) chunk by chunk; returns paths and the truth.

    Plain ``write()`` calls of one chunk at a time: memory use is one chunk,
    whatever the size of the files (the page cache is not this process's memory).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    coef, intercept = true_coefficients(features, seed)
    rng = np.random.default_rng([seed, 2])
    x_path, y_path = directory / "X.npy", directory / "y.npy"
    with open(x_path, "wb") as fx, open(y_path, "wb") as fy:
        _write_npy_header(fx, (rows, features))
        _write_npy_header(fy, (rows,))
        for start in range(0, rows, chunk_rows):
            n = min(chunk_rows, rows - start)
            X = rng.standard_normal((n, features))
            y = X @ coef + intercept + NOISE_SIGMA * rng.standard_normal(n)
            X.astype("<f8", copy=False).tofile(fx)  # no intermediate bytes copy
            y.astype("<f8", copy=False).tofile(fy)
            del X, y
    return x_path, y_path, coef, intercept


def _npy_layout(path: Path) -> Tuple[Tuple[int, ...], np.dtype, int]:
    with open(path, "rb") as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise ValueError(f"{path}: .npy format version {version} is not supported here")
        offset = f.tell()
    if fortran:
        raise ValueError(f"{path}: Fortran-ordered arrays cannot be read row block by row block")
    return shape, dtype, offset


def iter_row_blocks(path: Path, chunk_rows: int, start: int = 0, stop: Optional[int] = None) -> Iterator[np.memmap]:
    """Yield rows ``start:stop`` of a C-ordered .npy file as memmaps of ``chunk_rows`` rows.

    Each block is its own mapping, dropped before the next one is made, so
    at most one block is ever resident.
    """
    shape, dtype, offset = _npy_layout(path)
    n_rows = shape[0]
    stop = n_rows if stop is None else min(stop, n_rows)
    row_bytes = dtype.itemsize * int(np.prod(shape[1:], dtype=np.int64))
    for first in range(start, stop, chunk_rows):
        n = min(chunk_rows, stop - first)
        block = np.memmap(path, dtype=dtype, mode="r", offset=offset + first * row_bytes, shape=(n,) + tuple(shape[1:]))
        yield block
        del block


def fit_out_of_core(
    x_path: Path,
    y_path: Path,
    chunk_rows: int,
    check_rows: int = 0,
    **params,
) -> Tuple["linreg.LinearRegression", Optional["linreg.LinearRegression"]]:
    """Stream the files through ``partial_fit``.

    Returns the estimator fitted on every row and, when ``check_rows > 0``,
    one fitted (in the same pass) on the chunks that start before row
    ``check_rows`` only.
    """
    est = linreg.LinearRegression(**params)
    head = linreg.LinearRegression(**params) if check_rows > 0 else None
    first = 0
    for X, y in zip(iter_row_blocks(x_path, chunk_rows), iter_row_blocks(y_path, chunk_rows)):
        est.partial_fit(X, y)
        if head is not None and first < check_rows:
            head.partial_fit(X, y)
        first += X.shape[0]
        del X, y
    return est, head


def _rel_diff(a, b) -> float:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=4_000_000)
    ap.add_argument("--features", type=int, default=16)
    ap.add_argument("--memory-limit-mb", type=float, default=64.0,
                    help="the peak resident memory growth allowed while writing and fitting")
    ap.add_argument("--chunk-rows", type=int, default=None,
                    help="rows per partial_fit (default: an eighth of the memory limit)")
    ap.add_argument("--dir", type=Path, default=None, help="where to write the files (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the files")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="print the measurements as one JSON line")
    args = ap.parse_args(argv)
    if args.rows < 1 or args.features < 1 or args.memory_limit_mb <= 0:
        ap.error("--rows, --features and --memory-limit-mb must be positive")

    limit = int(args.memory_limit_mb * MIB)
    row_bytes = 8 * (args.features + 1)
    chunk_rows = args.chunk_rows or max(1, limit // 8 // row_bytes)
    check_rows = min(args.rows, 4 * chunk_rows)
    file_bytes = args.rows * args.features * 8

    workdir = args.dir if args.dir is not None else Path(tempfile.mkdtemp(prefix="linreg-ooc-"))
    cleanup = args.dir is None and not args.keep
    try:
        reset_peak_memory()
        before = memory_status()

        t0 = time.perf_counter()
        x_path, y_path, coef, intercept = write_dataset(workdir, args.rows, args.features, args.seed, chunk_rows)
        t1 = time.perf_counter()
        after_write = memory_status()
        can_reset = reset_peak_memory()
        before_fit = memory_status()
        est, head = fit_out_of_core(x_path, y_path, chunk_rows, check_rows=check_rows)
        t2 = time.perf_counter()
        after = memory_status()
        # the whole run (writing and fitting): the largest peak against the RSS at the start
        peaks = [m["VmHWM"] for m in (after_write, after) if m]
        growth = (max(peaks) - before["VmRSS"]) if (before and after) else None
        # the fit alone (only when the peak could be reset after writing)
        fit_growth = (after["VmHWM"] - before_fit["VmRSS"]) if (can_reset and before_fit and after) else None

        # (a) exactness: the streamed head against one in-memory fit of the same rows
        # (this loads those rows, so it comes after the memory measurement)
        Xh = np.load(x_path, mmap_mode="r")[:check_rows]
        yh = np.load(y_path, mmap_mode="r")[:check_rows]
        ref = linreg.LinearRegression().fit(np.array(Xh), np.array(yh))
        del Xh, yh
        exact = max(
            _rel_diff(head.coef_, ref.coef_),
            _rel_diff(head.intercept_, ref.intercept_),
            _rel_diff(head.bse_, ref.bse_),
            _rel_diff(head.rsquared_, ref.rsquared_),
            _rel_diff(head.llf_, ref.llf_),
        )
        # (b) the truth, within 6 standard errors of the streamed estimate
        z = np.abs(est.params_ - np.concatenate([[intercept], coef])) / est.bse_
        ok_exact = exact <= 1e-10
        ok_truth = bool(np.all(z <= 6.0))
        ok_memory = growth is None or growth <= limit

        result = {
            "rows": args.rows,
            "features": args.features,
            "file_bytes": file_bytes,
            "chunk_rows": chunk_rows,
            "memory_limit_bytes": limit,
            "peak_rss_growth_bytes": growth,
            "fit_peak_rss_growth_bytes": fit_growth,
            "write_seconds": round(t1 - t0, 3),
            "fit_seconds": round(t2 - t1, 3),
            "rows_per_second": round(args.rows / max(t2 - t1, 1e-9)),
            "check_rows": check_rows,
            "max_rel_diff_vs_one_fit": exact,
            "max_abs_z_vs_truth": float(np.max(z)),
            "nobs": float(est.nobs_),
            "ok": bool(ok_exact and ok_truth and ok_memory),
        }
        if args.json:
            print(json.dumps(result))
        else:
            print(f"data: {args.rows} x {args.features} float64 = {file_bytes / MIB:.0f} MiB in {workdir}")
            print(f"written in {t1 - t0:.2f} s; fitted in {t2 - t1:.2f} s "
                  f"({result['rows_per_second']:,} rows/s, chunks of {chunk_rows} rows)")
            if growth is None:
                print("peak memory: not measurable here (no /proc/self/status)")
            else:
                print(f"peak resident memory growth: {growth / MIB:.1f} MiB "
                      f"(limit {limit / MIB:.0f} MiB, file {file_bytes / MIB:.0f} MiB)"
                      f" -> {'ok' if ok_memory else 'FAILED'}")
                if fit_growth is not None:
                    print(f"  of which while fitting: {fit_growth / MIB:.1f} MiB")
            print(f"first {check_rows} rows streamed vs one fit: max relative difference {exact:.2e}"
                  f" -> {'ok' if ok_exact else 'FAILED'}")
            print(f"true coefficients within {np.max(z):.2f} standard errors"
                  f" -> {'ok' if ok_truth else 'FAILED'}")
            print(est.summary())
        return 0 if result["ok"] else 1
    finally:
        if cleanup:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
