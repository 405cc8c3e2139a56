#!/usr/bin/env python3
"""liblinreg against numpy, scikit-learn and PyTorch, in one run (``make bench``).

For every case (bench/cases.py):

1. each peer runs once and its answer is checked against the case's
   reference; a peer whose answer disagrees gets no time in the report;
2. the peers are timed *interleaved*: repetition r runs every peer once, in an
   order rotated by r, so load from other processes on the machine falls on
   all of them alike; the report gives medians and ratios (absolute times on a
   shared machine drift, ratios much less);
3. each peer's peak memory is measured in a fresh subprocess: the case's data
   are built, the peer is warmed up on a small problem (so one-off library
   buffers do not count), the peak-RSS counter is reset
   (``/proc/self/clear_refs``), the peer runs once, and the report gives
   ``VmHWM - VmRSS at the reset``: the memory the call needed above the
   caller's buffers.

The table goes to ``--out`` (BENCHMARKS.md) with the machine it ran on.

After these cases comes the exact-solver design panel (bench/panel.py: one
section with kappa, path, passes, targets and every peer's error beside its
time), run by the same machinery.

Usage::

    LINREG_LIBRARY=build/lib/liblinreg.so python bench/run_bench.py --data ../shared/data/Advertising.csv \
        --out BENCHMARKS.md [--reps 7] [--quick] [--only KEY ...] [--no-memory] \
        [--panel-only | --no-panel] [--scale 0.05]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

# Idle OpenBLAS (numpy, scipy) and OpenMP (torch, scikit-learn) worker
# threads otherwise keep spinning on both cores for up to ~0.1 s after each
# call and slow down whichever peer runs next (measured here: liblinreg's fit
# 25% and predict 40% slower right after a numpy call). With these settings
# they go to sleep at once; numpy's and torch's own times do not change
# (measured; see BENCHMARKS.md). Set before numpy is imported.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no bench/__pycache__ in the source tree

import cases as C  # noqa: E402
import panel as P  # noqa: E402


# ---------------------------------------------------------------------------
# timing
def timed(fn) -> float:
    """Wall time of one call (the cyclic garbage collector is off while
    timing: a collection right before a call evicts the caches and can cost a
    sub-millisecond call several times its own time)."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run_case(case: C.Case, reps: int) -> Dict[str, dict]:
    results: Dict[str, dict] = {}
    for peer in case.peers:
        t0 = time.perf_counter()
        answer = None
        try:
            answer = peer.run()
            ok, detail = peer.check(answer)
        except Exception as exc:  # a peer that fails is reported, not fatal
            ok, detail = False, f"error: {type(exc).__name__}: {exc}"
        del answer
        results[peer.name] = {"ok": bool(ok), "check": detail, "times": [],
                              "first": time.perf_counter() - t0}
        print(f"  {peer.name:34s} {'ok ' if ok else 'BAD'} {detail}", flush=True)
    budget = getattr(case, "peer_budget", None)
    if budget:  # the panel: a slow peer gets at most budget // (one run) repetitions
        for peer in case.peers:
            first = results[peer.name]["first"]
            if results[peer.name]["ok"] and first > 0 and budget // first < (peer.repetitions or reps):
                peer.repetitions = max(1, int(budget // first))
    active = [p for p in case.peers if results[p.name]["ok"]]
    gc.collect()
    gc.disable()
    try:
        _timing_rounds(case, active, results, reps)
    finally:
        gc.enable()
        gc.collect()
    for peer in case.peers:
        t = results[peer.name]["times"]
        results[peer.name]["median"] = float(np.median(t)) if t else None
    return results


def _timing_rounds(case: C.Case, active, results, reps: int) -> None:
    for r in range(reps):
        order = active[r % len(active):] + active[: r % len(active)] if active else []
        for peer in order:
            if len(results[peer.name]["times"]) >= (peer.repetitions or reps):
                continue
            results[peer.name]["times"].append(timed(peer.run) * peer.time_scale)


# ---------------------------------------------------------------------------
# benchmark-only packages
def ensure_bench_requirements(path: Path = HERE / "requirements-bench.txt") -> None:
    """pip-install bench/requirements-bench.txt into this interpreter's
    environment when one of its modules does not import (idempotent: nothing
    runs when they all import)."""
    import importlib.util

    missing = []
    for line in path.read_text().splitlines():
        req, _, comment = line.partition("#")
        module = comment.strip()[len("import"):].strip() if comment.strip().startswith("import") else ""
        if req.strip() and module and importlib.util.find_spec(module) is None:
            missing.append(req.strip())
    if missing:
        print(f"installing benchmark-only packages: {' '.join(missing)}", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-r", str(path)], check=True)


# ---------------------------------------------------------------------------
# memory (in a subprocess per peer)
def _status(field: str) -> int:
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def probe(data: Optional[str], key: str, peer_name: str, quick: bool, scale: float) -> None:
    """Child process: print {"bytes": peak memory of one call above the data}."""
    panel_builders = dict(P.all_panel(scale, 1))
    if key in panel_builders:
        case, _ = panel_builders[key](False)
    else:
        case = dict(C.all_cases(data, quick))[key](False)
    peer = next(p for p in case.peers if p.name == peer_name)
    # Warm up the peer's library (thread pools, one-off buffers) on a small problem.
    Xw, yw = C.synthetic(2000, 4, np.float32, seed=9)
    if peer.library == "liblinreg":
        C.linreg.LinearRegression().fit(Xw, yw).predict(Xw)
        C.linreg.LinearRegression(solver="gd", epochs=2).fit(Xw, yw)
    elif peer.library == "sklearn":
        from sklearn.linear_model import LinearRegression, Ridge, SGDRegressor

        LinearRegression().fit(Xw, yw)
        Ridge().fit(Xw, yw)
        SGDRegressor(max_iter=2, tol=None).fit(Xw, yw)
    elif peer.library == "torch":
        import torch

        t = torch.from_numpy(Xw)
        torch.linalg.lstsq(t, torch.from_numpy(yw).reshape(-1, 1), driver="gels")
        (t @ t.T[:, :1]).sum()
    else:
        np.linalg.lstsq(np.column_stack([np.ones(2000, np.float32), Xw]), yw, rcond=None)
        Xw.T @ Xw
    gc.collect()
    # Give freed heap memory back to the system first, or a peer's allocations
    # could reuse pages already counted in the RSS and show as nothing.
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    base = _status("VmRSS")
    answer = peer.run()
    peak = _status("VmHWM")
    del answer
    print(json.dumps({"bytes": peak - base}))


def measure_memory(args, key: str, peer: str) -> Optional[int]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--probe", key, peer]
    if args.data:
        cmd += ["--data", args.data]
    if args.quick:
        cmd.append("--quick")
    cmd += ["--scale", repr(args.scale)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=os.environ.copy())
        line = [l for l in out.stdout.splitlines() if l.startswith("{")]
        if out.returncode != 0 or not line:
            print(f"    memory probe failed: {out.stderr.strip()[-300:]}", flush=True)
            return None
        return int(json.loads(line[-1])["bytes"])
    except subprocess.TimeoutExpired:
        return None


# ---------------------------------------------------------------------------
# machine
def machine() -> List[str]:
    lines = []
    model, flags = "?", set()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name") and model == "?":
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    simd = [f for f in ("avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl") if f in flags]
    lines.append(f"- CPU: {model}, {os.cpu_count()} logical cores; {', '.join(simd) or 'no AVX'}; memory {mem}")
    lines.append(f"- OS: {platform.platform()}; Python {platform.python_version()}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load:
        lines.append(f"- Load average when the run started: {load[0]:.2f} (other processes share the machine)")
    import sklearn
    import torch

    lines.append(f"- numpy {np.__version__}, scikit-learn {sklearn.__version__}, torch {torch.__version__} "
                 f"(torch threads {torch.get_num_threads()})")
    try:
        from importlib.metadata import version

        lines.append(f"- scikit-learn-intelex {version('scikit-learn-intelex')}, mpmath {version('mpmath')} "
                     f"(the design panel)")
    except Exception:
        lines.append("- scikit-learn-intelex / mpmath: not installed (the design panel lacks them)")
    try:
        from threadpoolctl import threadpool_info

        for info in threadpool_info():
            if info.get("user_api") == "blas":
                lines.append(f"- BLAS: {info.get('internal_api')} {info.get('version')} "
                             f"({info.get('architecture')}), {info.get('num_threads')} threads, "
                             f"{Path(info.get('filepath', '')).name}")
    except Exception:
        lines.append("- BLAS: (threadpoolctl unavailable)")
    level = "AVX-512" if {"avx512f", "avx512dq", "avx512bw", "avx512vl", "avx2"} <= flags else (
        "AVX2" if "avx2" in flags else "baseline (SSE2)")
    if os.environ.get("LINREG_DISABLE_AVX2") not in (None, "", "0"):
        level = "baseline (SSE2; LINREG_DISABLE_AVX2 set)"
    elif os.environ.get("LINREG_DISABLE_AVX512") not in (None, "", "0") and level == "AVX-512":
        level = "AVX2 (LINREG_DISABLE_AVX512 set)"
    lib = C.linreg.__dict__.get("__version__", "?")
    lines.append(f"- liblinreg {lib} ({os.environ.get('LINREG_LIBRARY', 'default search')}), kernels: {level}, "
                 f"threads: all cores (LINREG_PARAM_THREADS = 0)")
    return lines


# ---------------------------------------------------------------------------
# report
def fmt_time(t: Optional[float]) -> str:
    if t is None:
        return "-"
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} us"


def fmt_bytes(b: Optional[int]) -> str:
    if b is None:
        return "-"
    if b < 2**20:
        return f"{b / 2**10:.0f} KiB"
    return f"{b / 2**20:.1f} MiB"


def ratio_text(peer_t: Optional[float], lib_t: Optional[float], floor: bool) -> str:
    if peer_t is None or lib_t is None:
        return "-"
    if floor:
        return f"liblinreg = {lib_t / peer_t:.2f}x this"
    r = peer_t / lib_t
    return f"{r:.2f}x" if r < 10 else f"{r:.0f}x"


def case_table(case: C.Case, results, memory) -> List[str]:
    lib_t = results.get(case.baseline, {}).get("median")
    ridge_t = results.get("liblinreg ridge", {}).get("median")
    out = [f"### {case.title}", "", case.description, "",
           "| peer | median | liblinreg faster by | peak memory above the data | reps | answer |",
           "|---|---:|---:|---:|---:|---|"]
    for peer in case.peers:
        r = results[peer.name]
        base = ridge_t if peer.name == "scikit-learn Ridge" else lib_t
        if peer.is_liblinreg or peer.name == "liblinreg exact fit":
            rat = "-" if peer.name == case.baseline else ratio_text(r["median"], lib_t, False).replace("x", "x (vs liblinreg)")
            if peer.name in ("liblinreg ridge",):
                rat = "-"
            if peer.name == "liblinreg exact fit":
                # The case's own liblinreg run (its first row: GD, RidgeCV, ...) against one exact fit.
                rat = f"first row = {lib_t / r['median']:.2f}x this" if r["median"] and lib_t else "-"
        else:
            rat = ratio_text(r["median"], base, peer.is_floor)
        time_text = fmt_time(r["median"]) if r["ok"] else "(not timed)"
        note = f" ({peer.note})" if peer.note else ""
        mark = "ok" if r["ok"] else "**DIFFERS**"
        out.append(f"| {peer.name}{note} | {time_text} | {rat} | {fmt_bytes(memory.get(peer.name))} | "
                   f"{len(r['times'])} | {mark}: {r['check']} |")
    out.append("")
    return out


def targets(all_results) -> List[str]:
    def med(key, peer):
        return all_results.get(key, {}).get(peer, {}).get("median")

    rows = []

    def row(name, value, goal, met):
        rows.append(f"| {name} | {value} | {goal} | {'**met**' if met else '**not met**'} |")

    k = "exact_2000000x32_float32"
    lib, xtx, sk = med(k, "liblinreg"), med(k, "numpy X.T @ X"), med(k, "scikit-learn LinearRegression")
    if lib and xtx:
        row("Exact fit 2M x 32 float32 vs numpy X.T @ X", f"{lib / xtx:.2f}x the time", "<= 1.25x", lib / xtx <= 1.25)
    if lib and sk:
        row("Exact fit 2M x 32 float32 vs scikit-learn LinearRegression", f"{sk / lib:.0f}x faster", ">= 20x",
            sk / lib >= 20)
    lib, t = med("seed_gd", "liblinreg"), med("seed_gd", "PyTorch loop (seed)")
    if lib and t:
        row("Seed GD (1000 epochs) through Python vs PyTorch loop", f"{t / lib:.0f}x faster", ">= 200x", t / lib >= 200)
    lib, t = med("seed_sgd", "liblinreg"), med("seed_sgd", "PyTorch DataLoader loop (seed)")
    if lib and t:
        row("Seed SGD (100 epochs, batch 5) vs DataLoader loop", f"{t / lib:.0f}x faster", ">= 200x", t / lib >= 200)
    gd, ex = med("gd_scale", "liblinreg"), med("gd_scale", "liblinreg exact fit")
    if gd and ex:
        row("GD 1000 epochs on 1M x 32 vs one exact fit", f"{gd / ex:.2f}x the time", "<= 1.5x", gd / ex <= 1.5)
    lib, npt = med("predict", "liblinreg"), med("predict", "numpy X @ W.T + b")
    if lib and npt:
        row("Prediction 2M x 32 vs numpy X @ W.T + b", f"{lib / npt:.2f}x the time", "<= 1.25x", lib / npt <= 1.25)
    cv, ex = med("ridgecv_2000000x32", "liblinreg"), med("ridgecv_2000000x32", "liblinreg exact fit")
    if cv and ex:
        row("RidgeCV 100 alphas on 2M x 32 vs one exact fit", f"{cv / ex:.2f}x the time", "<= 1.2x", cv / ex <= 1.2)
    return ["| target | measured | goal | |", "|---|---:|---:|---|"] + rows


def write_report(path: Path, args, built, all_results, all_memory, started, elapsed, machine_lines,
                 panel_built=()) -> None:
    lines = ["# Benchmarks", "",
             f"Generated by `make bench` (bench/run_bench.py) on {started:%Y-%m-%d %H:%M} UTC in "
             f"{elapsed / 60:.1f} minutes.", "", "## Machine", ""] + machine_lines + [
        "", "## Method", "",
        f"Each case checks every peer's answer first (a peer that disagrees is not timed), then times the "
        f"peers interleaved: repetition r runs each peer once in an order rotated by r; {args.reps} "
        f"repetitions (the slow peers: numpy/torch lstsq, scikit-learn, PyTorch at scale: "
        f"{2 if args.quick else 3}); the tables give medians. Ratios are 'peer median / liblinreg median' "
        f"(for numpy X.T @ X, which is not a solution but the floor of any normal-equations method: "
        f"liblinreg's time / its time). Environment: OPENBLAS_THREAD_TIMEOUT="
        f"{os.environ.get('OPENBLAS_THREAD_TIMEOUT')} and OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}, "
        f"so that one peer's idle BLAS/OpenMP threads do not spin against the next peer (without them, "
        f"whatever runs right after a numpy call loses up to 40% to spinning OpenBLAS threads; numpy's and "
        f"torch's own times are the same either way). Peak memory: each peer in a fresh process, after its data are "
        f"built and the libraries warmed up on a small problem; the peak RSS counter is reset, the call "
        f"runs once, and the table gives VmHWM minus the RSS at the reset (returned results included; "
        f"'-': not measured, for numpy X.T @ X and for liblinreg ridge, which runs liblinreg's pass). "
        f"The machine is shared with other processes, so absolute times drift between runs; the ratios "
        f"come from interleaved runs of one process.", "", "## Targets", ""] + targets(all_results) + [
        "", "## Cases", ""]
    for case in built:
        lines += case_table(case, all_results[case.key], all_memory.get(case.key, {}))
    lines += P.section(list(panel_built), all_results, all_memory, fmt_time, fmt_bytes, args.scale, args.reps,
                       2 if args.quick else 3)
    path.write_text("\n".join(lines) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", help="Advertising CSV (default ../shared/data/Advertising.csv)")
    ap.add_argument("--out", default=str(HERE.parent / "BENCHMARKS.md"))
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="smaller data, fewer repetitions (a smoke test)")
    ap.add_argument("--only", nargs="*", help="case keys to run")
    ap.add_argument("--no-memory", action="store_true")
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--panel-only", action="store_true", help="run only the exact-solver design panel")
    group.add_argument("--no-panel", action="store_true", help="skip the exact-solver design panel")
    ap.add_argument("--scale", type=float, default=None,
                    help="design panel: n times this (default 1; 0.05 with --quick)")
    ap.add_argument("--no-install", action="store_true",
                    help="do not pip-install bench/requirements-bench.txt when a module is missing")
    ap.add_argument("--probe", nargs=2, metavar=("CASE", "PEER"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.scale is None:
        args.scale = 0.05 if args.quick else 1.0
    if not args.scale > 0:
        ap.error("--scale must be > 0")
    if args.probe:
        probe(args.data, args.probe[0], args.probe[1], args.quick, args.scale)
        return 0
    if args.quick:
        args.reps = min(args.reps, 3)
    if not args.no_install and not args.no_panel:
        ensure_bench_requirements()
    started = _dt.datetime.now(_dt.timezone.utc)
    t0 = time.perf_counter()
    machine_lines = machine()
    print("\n".join(machine_lines), flush=True)
    built, all_results, all_memory, panel_built = [], {}, {}, []
    for key, builder in ([] if args.panel_only else C.all_cases(args.data, args.quick)):
        if args.only and key not in args.only:
            continue
        print(f"\n== {key}", flush=True)
        case = builder(True)
        all_results[key] = run_case(case, args.reps)
        for peer in case.peers:
            r = all_results[key][peer.name]
            print(f"  {peer.name:34s} {fmt_time(r['median']):>10s}  ({len(r['times'])} reps)", flush=True)
        # Keep the case's small metadata only; free its data before the probes.
        slim = C.Case(case.key, case.title, [C.Peer(p.name, None, None, p.repetitions, p.note, p.time_scale,
                                                     p.is_liblinreg, p.is_floor, p.memory) for p in case.peers],
                      case.description, case.baseline, case.notes)
        del case
        gc.collect()
        built.append(slim)
        if not args.no_memory:
            all_memory[key] = {}
            for peer in slim.peers:
                if not peer.memory:
                    continue
                all_memory[key][peer.name] = measure_memory(args, key, peer.name)
                print(f"  memory {peer.name:27s} {fmt_bytes(all_memory[key][peer.name]):>10s}", flush=True)
        write_report(Path(args.out), args, built, all_results, all_memory, started, time.perf_counter() - t0,
                     machine_lines)
    # The exact-solver design panel: the same machinery, one table.
    slow = 2 if args.quick else 3
    for key, builder in ([] if args.no_panel else P.all_panel(args.scale, slow)):
        if args.only and key not in args.only:
            continue
        print(f"\n== {key} (design panel, scale {args.scale:g})", flush=True)
        case, info = builder(True)
        print(f"  n x d = {info.n:,} x {info.spec.d}, kappa {info.kappa:.1e}", flush=True)
        all_results[key] = run_case(case, args.reps)
        for peer in case.peers:
            r = all_results[key][peer.name]
            err = info.errors.get(peer.name)
            print(f"  {peer.name:38s} {fmt_time(r['median']):>10s}  ({len(r['times'])} reps)"
                  + ("" if err is None else f"  err {err:.1e}"), flush=True)
        slim = C.Case(case.key, case.title, [C.Peer(p.name, None, None, p.repetitions, p.note, p.time_scale,
                                                     p.is_liblinreg, p.is_floor, p.memory) for p in case.peers],
                      case.description, case.baseline, case.notes)
        del case, builder
        gc.collect()
        if not args.no_memory:
            all_memory[key] = {}
            for peer in slim.peers:
                if peer.memory:
                    all_memory[key][peer.name] = measure_memory(args, key, peer.name)
                    print(f"  memory {peer.name:31s} {fmt_bytes(all_memory[key][peer.name]):>10s}", flush=True)
        print(P.console_summary(slim, info, all_results[key]), flush=True)
        panel_built.append((slim, info))
        write_report(Path(args.out), args, built, all_results, all_memory, started, time.perf_counter() - t0,
                     machine_lines, panel_built)
    print(f"\nwrote {args.out} in {(time.perf_counter() - t0) / 60:.1f} min")
    print("\n".join(targets(all_results)))
    for case, info in panel_built:
        text, met, ratio = P.assess(info, all_results[case.key])
        print(f"panel {case.key:20s} kappa {info.kappa:.1e}  "
              f"{'-' if ratio is None else f'{ratio:.2f}x'} X.T@X  {text}: {met}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
