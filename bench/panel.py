"""The exact-solver design panel (issue "Exact solver at Gram-matrix speed on
every design"): the designs, their peers, the accuracy checks and the targets.

run_bench.py runs these cases with its own machinery (check first, then
interleaved timing, medians, peak-memory probes) and writes the section this
module formats (:func:`section`).

Every case is deterministic (fixed seeds). For each case:

* kappa: kappa_2 of the centred, column-equilibrated X (weighted-centred and
  scaled by sqrt(w) when the case has weights), from a float64 SVD of the data
  (of its first KAPPA_ROWS rows when it is larger; rows are i.i.d.); it picks
  the target row;
* reference: float64 ``numpy.linalg.lstsq`` on the centred data (the data as
  given, float32 widened exactly); error of a peer = max|b - b_ref| / max|b_ref|
  over the coefficients;
* when kappa >= MP_KAPPA: also mpmath at MP_DPS digits on a subsample of
  MP_ROWS rows (that subsample's own exact solution; every peer is fitted on
  the same subsample);
* liblinreg must be within the tolerance max(LIB_TOL, 64·kappa·2^-52) of the
  reference (the second term: float64 lstsq's own error bound, which its
  mpmath check shows it using up beyond kappa ~1e8): a row that is not is
  flagged in the table, not dropped. Its public coef_ is float32 after a
  float32 fit (scikit-learn's convention), so there each coefficient may in
  addition differ from the reference by one float32 spacing (its rounding):
  |b_j - b_ref_j| <= LIB_TOL * max|b_ref| + spacing_float32(b_ref_j). The other peers are timed whatever their
  error, which is printed beside their time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np

import cases as C

LIB_TOL = 1e-8
KAPPA_ROWS = 200_000
MP_KAPPA = 1e5
MP_ROWS = 300
MP_DPS = 50
#: Ridge penalty of the scikit-learn Ridge peer: its normal-equations (Cholesky)
#: route at a negligible penalty, so its error is comparable with the others'.
SK_RIDGE_ALPHA = 1e-8
#: Time budget (seconds) of one peer's timed repetitions in one panel case: a
#: peer whose checked run took t seconds gets at most max(1, budget // t)
#: repetitions (the fast peers get the run's --reps).
PEER_BUDGET = 20.0

NAME_LIB = "liblinreg"
NAME_XTX = "numpy X.T @ X"
NAME_LSTSQ = "numpy lstsq"
NAME_SKLR = "scikit-learn LinearRegression"
NAME_SKRIDGE = "scikit-learn Ridge"
NAME_TORCH = "torch.linalg.lstsq"
NAME_DAL = "scikit-learn-intelex LinearRegression"
#: the peers' columns in the table, in order
PEER_COLUMNS = [NAME_LSTSQ, NAME_SKLR, NAME_SKRIDGE, NAME_TORCH, NAME_DAL]


def solver_report(est) -> Tuple[Any, Any]:
    """(path, passes over the data) that liblinreg reports for a fit: 'n/a'
    until the estimator has the attributes."""
    return getattr(est, "solver_path_", "n/a"), getattr(est, "n_passes_", "n/a")


# ---------------------------------------------------------------------------
# designs
@dataclass
class Spec:
    key: str
    title: str
    n: int
    d: int
    dtype: Any
    design: str  # "independent", "correlated", "poly"
    rho: float = 0.0
    degree: int = 0
    noise: float = 1.0 / 3.0  # noise sd / signal sd (1/3: R^2 ~ 0.9)
    weighted: bool = False
    outputs: int = 1  # columns of Y (coefficients compared as k x d, flattened)
    note: str = ""


def specs() -> List[Spec]:
    f32, f64 = np.float32, np.float64
    return [
        Spec("panel_independent", "independent, R^2 ~ 0.9", 2_000_000, 32, f32, "independent"),
        Spec("panel_near_exact", "independent, noise 1e-3 (near-exact fit)", 2_000_000, 32, f32, "independent",
             noise=1e-3),
        Spec("panel_near_exact_5", "independent, noise 1e-5 (nearly exact fit, R^2 = 1 - 1e-10)", 2_000_000, 32,
             f32, "independent", noise=1e-5),
        Spec("panel_near_exact_f64", "correlated rho = 0.9, noise 1e-7 (nearly exact fit, R^2 = 1 - 1e-14)",
             2_000_000, 32, f64, "correlated", rho=0.9, noise=1e-7),
        Spec("panel_rho_0.9", "correlated, rho = 0.9", 2_000_000, 32, f32, "correlated", rho=0.9),
        Spec("panel_rho_0.999", "correlated, rho = 0.999", 2_000_000, 32, f32, "correlated", rho=0.999),
        Spec("panel_poly6", "polynomial u..u^6 beside noise columns", 2_000_000, 32, f32, "poly", degree=6),
        Spec("panel_poly7", "polynomial u..u^7 beside noise columns", 2_000_000, 32, f32, "poly", degree=7),
        Spec("panel_poly8", "polynomial u..u^8 beside noise columns", 2_000_000, 32, f32, "poly", degree=8),
        # The two upper condition classes (1e5 < kappa <= 1e8; beyond 1e8), in float64.
        Spec("panel_poly10", "polynomial u..u^10 beside noise columns", 2_000_000, 32, f64, "poly", degree=10),
        Spec("panel_poly12", "polynomial u..u^12 beside noise columns", 2_000_000, 32, f64, "poly", degree=12),
        Spec("panel_wide256", "wide, correlated rho = 0.9", 200_000, 256, f32, "correlated", rho=0.9),
        Spec("panel_wide1024", "wide, correlated rho = 0.9", 50_000, 1024, f32, "correlated", rho=0.9),
        Spec("panel_float64", "float64, correlated rho = 0.9", 1_000_000, 32, f64, "correlated", rho=0.9),
        Spec("panel_weighted", "weighted (log-normal weights), correlated rho = 0.9", 2_000_000, 32, f32,
             "correlated", rho=0.9, weighted=True),
        Spec("panel_multi4", "4 outputs, correlated rho = 0.999", 2_000_000, 32, f32, "correlated", rho=0.999,
             outputs=4),
        Spec("panel_multi4_poly8", "4 outputs, polynomial u..u^8 beside noise columns", 2_000_000, 32, f32, "poly",
             degree=8, outputs=4),
        Spec("panel_d8", "independent, range end d = 8", 2_000_000, 8, f32, "independent"),
        Spec("panel_d64", "independent, range end d = 64", 2_000_000, 64, f32, "independent"),
    ]


def lib_tolerance(info) -> float:
    """liblinreg's allowed error against float64 lstsq: LIB_TOL, or lstsq's own
    error bound 64·kappa·2^-52 when larger (kappa unknown: LIB_TOL)."""
    kappa = getattr(info, "kappa", math.nan)
    return LIB_TOL if not math.isfinite(kappa) else max(LIB_TOL, 64 * kappa * 2.0 ** -52)


def scaled_n(spec: Spec, scale: float) -> int:
    """n shrunk by scale, but never below 4 d (nor MP_ROWS) rows."""
    return max(int(round(spec.n * scale)), 4 * spec.d, MP_ROWS)


def make_data(spec: Spec, n: int):
    """(X, y, w or None) of a design: X (n x d) in spec.dtype with varied
    column means and scales, y = X beta + 1.5 + noise (same dtype)."""
    rng = np.random.default_rng(_seed(spec.key))
    d = spec.d
    if spec.design == "poly":
        u = rng.uniform(0.0, 1.0, n)
        cols = [u ** k for k in range(1, spec.degree + 1)]
        X = np.empty((n, d), dtype=np.float64)
        for k, c in enumerate(cols):
            X[:, k] = c
        X[:, spec.degree:] = rng.standard_normal((n, d - spec.degree))
        X = X.astype(spec.dtype)
    else:
        X = rng.standard_normal((n, d), dtype=np.float32 if spec.dtype == np.float32 else np.float64)
        if spec.design == "correlated":
            # equicorrelated columns: corr(x_i, x_j) = rho
            f = rng.standard_normal(n, dtype=X.dtype)
            X *= X.dtype.type(math.sqrt(1.0 - spec.rho))
            X += X.dtype.type(math.sqrt(spec.rho)) * f[:, None]
            del f
        means = rng.uniform(-3, 3, d)
        scales = np.exp(rng.uniform(np.log(0.5), np.log(2.0), d))
        X *= scales.astype(X.dtype)
        X += means.astype(X.dtype)
    X = np.ascontiguousarray(X)
    # coefficients of unit size in the equilibrated coordinates
    sd = X[: min(n, KAPPA_ROWS)].astype(np.float64).std(axis=0)
    k = spec.outputs
    shape = (d,) if k == 1 else (d, k)
    beta = rng.standard_normal(shape) / np.where(sd > 0, sd, 1.0).reshape((d,) + (1,) * (len(shape) - 1))
    signal = X @ beta.astype(X.dtype)
    noise_sd = spec.noise * np.std(signal, axis=0)
    y = np.ascontiguousarray((signal + 1.5 + noise_sd * rng.standard_normal(signal.shape)).astype(X.dtype))
    w = None
    if spec.weighted:
        w = np.ascontiguousarray(np.exp(rng.standard_normal(n)).astype(X.dtype))
    return X, y, w


def _seed(key: str) -> int:
    return sum((i + 1) * ord(c) for i, c in enumerate(key))  # stable across processes


def centred(X, y, w):
    """float64 (sqrt(w) *) centred copies of X and y (weighted means with w)."""
    X64 = X.astype(np.float64)
    y64 = y.astype(np.float64)
    w64 = None if w is None else w.astype(np.float64)
    xm = np.average(X64, axis=0, weights=w64)
    ym = np.average(y64, axis=0, weights=w64)
    X64 -= xm
    y64 -= ym
    if w64 is not None:
        s = np.sqrt(w64)
        X64 *= s[:, None]
        y64 *= s if y64.ndim == 1 else s[:, None]
    return X64, y64


def kappa(X, w) -> float:
    """kappa_2 of the centred, column-equilibrated X (on the first KAPPA_ROWS rows)."""
    m = min(X.shape[0], KAPPA_ROWS)
    Xc, _ = centred(X[:m], np.zeros(m, X.dtype), None if w is None else w[:m])
    norms = np.linalg.norm(Xc, axis=0)
    Xc /= np.where(norms > 0, norms, 1.0)
    s = np.linalg.svd(Xc, compute_uv=False)
    return float(s[0] / s[-1]) if s[-1] > 0 else math.inf


def reference(X, y, w) -> np.ndarray:
    """Coefficients from float64 lstsq on the centred data."""
    Xc, yc = centred(X, y, w)
    return np.linalg.lstsq(Xc, yc, rcond=None)[0].T.reshape(-1)  # k x d, flattened


def mp_reference(X, y, w, dps: int = MP_DPS) -> np.ndarray:
    """Exact (to ~dps digits) least-squares coefficients of the given rows:
    mpmath normal equations of the centred data (kappa^2 << 10^dps)."""
    import mpmath

    with mpmath.workdps(dps):
        n, d = X.shape
        rows = [[mpmath.mpf(float(v)) for v in r] for r in X.astype(np.float64)]
        ys = [mpmath.mpf(float(v)) for v in y.astype(np.float64)]
        ws = [mpmath.mpf(1)] * n if w is None else [mpmath.mpf(float(v)) for v in w.astype(np.float64)]
        sw = mpmath.fsum(ws)
        xm = [mpmath.fsum(ws[i] * rows[i][j] for i in range(n)) / sw for j in range(d)]
        ym = mpmath.fsum(ws[i] * ys[i] for i in range(n)) / sw
        Xc = [[rows[i][j] - xm[j] for j in range(d)] for i in range(n)]
        yc = [ys[i] - ym for i in range(n)]
        G = mpmath.matrix(d, d)
        g = mpmath.matrix(d, 1)
        for a in range(d):
            for b in range(a, d):
                G[a, b] = G[b, a] = mpmath.fsum(ws[i] * Xc[i][a] * Xc[i][b] for i in range(n))
            g[a] = mpmath.fsum(ws[i] * Xc[i][a] * yc[i] for i in range(n))
        beta = mpmath.lu_solve(G, g)
        return np.array([float(beta[j]) for j in range(d)])


# ---------------------------------------------------------------------------
# peers: fitter(X, y, w) -> coefficients (float64), called as a user would
def _coefs(est) -> np.ndarray:
    return np.asarray(est.coef_, dtype=np.float64).reshape(-1)


def _scaled_design(X, y, w):
    """[1, X] and y, times sqrt(w) per row when weighted, in X's dtype."""
    n = X.shape[0]
    A = np.empty((n, X.shape[1] + 1), dtype=X.dtype)
    A[:, 0] = 1
    A[:, 1:] = X
    b = y
    if w is not None:
        s = np.sqrt(w).astype(X.dtype)
        A *= s[:, None]
        b = y * s if y.ndim == 1 else y * s[:, None]
    return A, b


def fit_numpy_lstsq(X, y, w):
    A, b = _scaled_design(X, y, w)
    return np.asarray(np.linalg.lstsq(A, b, rcond=None)[0], dtype=np.float64)[1:].T.reshape(-1)


def fit_sk_linear(X, y, w):
    from sklearn.linear_model import LinearRegression

    return _coefs(LinearRegression().fit(X, y, sample_weight=w))


def fit_sk_ridge(X, y, w):
    from sklearn.linear_model import Ridge

    return _coefs(Ridge(alpha=SK_RIDGE_ALPHA).fit(X, y, sample_weight=w))


def fit_torch(X, y, w):
    import torch

    A, b = _scaled_design(X, y, w)
    # driver 'gels' (QR): the CPU default 'gelsy' truncates small singular
    # values in float32 (see cases.case_exact)
    rhs = torch.from_numpy(np.ascontiguousarray(b))
    sol = torch.linalg.lstsq(torch.from_numpy(A), rhs.reshape(-1, 1) if rhs.dim() == 1 else rhs,
                             driver="gels").solution
    return sol.numpy().astype(np.float64)[1:].T.reshape(-1)


def fit_onedal(X, y, w):
    from sklearnex.linear_model import LinearRegression

    return _coefs(LinearRegression().fit(X, y, sample_weight=w))


def onedal_available() -> Optional[str]:
    """None when scikit-learn-intelex imports, else why not."""
    try:
        import sklearnex.linear_model  # noqa: F401
    except Exception as exc:  # pragma: no cover - reported in the table
        return f"{type(exc).__name__}: {exc}"
    return None


# ---------------------------------------------------------------------------
@dataclass
class PanelInfo:
    """What the table needs beyond run_bench's per-peer results."""
    spec: Spec
    n: int
    kappa: float = math.nan
    errors: Dict[str, float] = field(default_factory=dict)  # against float64 lstsq
    mp_errors: Dict[str, float] = field(default_factory=dict)  # against mpmath, on the subsample
    mp_kappa: float = math.nan
    mp_note: str = ""
    path: Any = "n/a"
    passes: Any = "n/a"
    yardstick: str = ""
    missing: Dict[str, str] = field(default_factory=dict)  # peer -> why it is absent
    lib_ok: Optional[bool] = None  # liblinreg within LIB_TOL (+ float32 rounding of coef_)
    lib_rounded_err: Optional[float] = None  # against the reference rounded to coef_'s dtype


def build(spec: Spec, scale: float, checks: bool, slow_reps: int) -> Tuple[C.Case, PanelInfo]:
    n = scaled_n(spec, scale)
    X, y, w = make_data(spec, n)
    info = PanelInfo(spec, n)
    wide = spec.d >= 256
    # Yardstick: X.T @ X in X's dtype; float64 for d >= 256 (float32 input is promoted there).
    Xg = X.astype(np.float64) if wide and X.dtype != np.float64 else X
    info.yardstick = f"X.T @ X in {Xg.dtype}" + (" (X widened beforehand, untimed)" if Xg is not X else "")
    last: Dict[str, Any] = {}

    def fit_lib(X_, y_, w_):
        est = C.linreg.LinearRegression(solver="exact").fit(X_, y_, sample_weight=w_)
        last["est"] = est
        return _coefs(est)

    fitters: Dict[str, Callable] = {
        NAME_LIB: fit_lib,
        NAME_LSTSQ: fit_numpy_lstsq,
        NAME_SKLR: fit_sk_linear,
        NAME_SKRIDGE: fit_sk_ridge,
        NAME_TORCH: fit_torch,
    }
    why = onedal_available()
    if why is None:
        fitters[NAME_DAL] = fit_onedal
    else:
        info.missing[NAME_DAL] = f"not installed ({why})"

    if checks:
        info.kappa = kappa(X, w)
        ref = reference(X, y, w)
        if info.kappa >= MP_KAPPA:
            if spec.d > 64:
                info.mp_note = f"mpmath check skipped (d = {spec.d} > 64)"
            else:
                idx = np.sort(np.random.default_rng(7).choice(n, MP_ROWS, replace=False))
                Xs, ys = np.ascontiguousarray(X[idx]), np.ascontiguousarray(y[idx])
                ws = None if w is None else np.ascontiguousarray(w[idx])
                info.mp_kappa = kappa(Xs, ws)
                mref = (mp_reference(Xs, ys, ws) if ys.ndim == 1 else
                        np.concatenate([mp_reference(Xs, ys[:, o], ws) for o in range(ys.shape[1])]))
                info.mp_errors["float64 lstsq (the reference)"] = C.rel_err(reference(Xs, ys, ws), mref)
                for name, fitter in fitters.items():
                    try:
                        info.mp_errors[name] = C.rel_err(fitter(Xs, ys, ws), mref)
                    except Exception as exc:
                        info.mp_errors[name] = math.nan
                        info.missing.setdefault(name, f"subsample fit failed: {type(exc).__name__}: {exc}")
                info.mp_note = (f"mpmath ({MP_DPS} digits) on a {MP_ROWS}-row subsample "
                                f"(its kappa {info.mp_kappa:.1e})")
    else:
        ref = None

    def checker(name):
        def check(answer):
            if ref is None:
                return True, "not checked"
            err = C.rel_err(answer, ref)
            info.errors[name] = err
            if name == NAME_LIB:
                est = last.get("est")
                info.path, info.passes = solver_report(est)
                out = np.asarray(est.coef_).dtype
                tol = lib_tolerance(info)
                info.lib_ok = (err <= tol if out == np.float64
                               else C.within_float32_rounding(answer, ref, tol)[0])
                rounding = ""
                if out != np.float64:
                    info.lib_rounded_err = C.rel_err(answer, ref.astype(out))
                    rounding = (f", {info.lib_rounded_err:.1e} against the reference rounded to {out.name}"
                                f" (coef_ is {out.name})")
                return True, (f"coef rel. err {err:.1e}{rounding}: "
                              + ("within " if info.lib_ok else "**FLAGGED**: not within ")
                              + f"{tol:.1g}{' + float32 rounding' if rounding else ''}; "
                              f"path {info.path}, passes {info.passes}")
            return True, f"coef rel. err {err:.1e} (timed whatever the error)"
        return check

    def runner(fitter):
        return lambda: fitter(X, y, w)

    peers = [
        C.Peer(NAME_LIB, runner(fit_lib), checker(NAME_LIB), is_liblinreg=True,
               note="LinearRegression(solver='exact').fit"),
        C.Peer(NAME_XTX, lambda: Xg.T @ Xg, lambda _: (True, info.yardstick), is_floor=True,
               note=info.yardstick, memory=False),
    ]
    notes = {
        NAME_LSTSQ: "lstsq([1, X]) in X's dtype (rows times sqrt(w))",
        NAME_SKLR: "sample_weight",
        NAME_SKRIDGE: f"Ridge(alpha={SK_RIDGE_ALPHA:g}): its normal-equations route",
        NAME_TORCH: "on [1, X] in X's dtype (rows times sqrt(w)), driver='gels'",
        NAME_DAL: "sklearnex.linear_model.LinearRegression (oneDAL; it may hand weighted fits to scikit-learn)",
    }
    for name in PEER_COLUMNS:
        if name in fitters:
            peers.append(C.Peer(name, runner(fitters[name]), checker(name), repetitions=slow_reps,
                                note=notes[name], memory=False))
    n_text = f"{n:,} x {spec.d}"
    case = C.Case(spec.key, f"Panel: {spec.title}, {n_text} {np.dtype(spec.dtype).name}", peers,
                  description="", baseline=NAME_LIB)
    case.peer_budget = PEER_BUDGET  # run_bench: repetitions of a slow peer at most budget // its time
    return case, info


def all_panel(scale: float, slow_reps: int) -> List[Tuple[str, Callable[[bool], Tuple[C.Case, PanelInfo]]]]:
    return [(s.key, lambda checks, s=s: build(s, scale, checks, slow_reps)) for s in specs()]


# ---------------------------------------------------------------------------
# targets and the report section
def target_for(info: PanelInfo) -> Tuple[str, Optional[float], Optional[float]]:
    """(text, max ratio to X.T @ X, min speed-up over scikit-learn LinearRegression)."""
    k, d = info.kappa, info.spec.d
    if math.isnan(k):
        return "kappa unknown", None, None
    if k <= 1e5:
        sk = 5.0 if d >= 256 else 10.0
        return f"<= 1.5x X.T@X, >= {sk:g}x faster than sklearn LR", 1.5, sk
    if k <= 1e8:
        return "<= 3x X.T@X", 3.0, None
    return "<= 10x X.T@X (stated on 2,000,000 x 32)", 10.0, None


def assess(info: PanelInfo, results) -> Tuple[str, str, Optional[float]]:
    """(target text, 'met' / 'not met: ...', ratio to X.T @ X)."""
    text, max_ratio, min_sk = target_for(info)
    lib = results.get(NAME_LIB, {}).get("median")
    xtx = results.get(NAME_XTX, {}).get("median")
    sk = results.get(NAME_SKLR, {}).get("median")
    ratio = lib / xtx if lib and xtx else None
    fails = []
    if max_ratio is not None:
        if ratio is None:
            fails.append("no time")
        elif ratio > max_ratio:
            fails.append(f"{ratio:.2f}x X.T@X")
    if min_sk is not None:
        if not (lib and sk):
            fails.append("no sklearn time")
        elif sk / lib < min_sk:
            fails.append(f"only {sk / lib:.2g}x sklearn LR")
    err = info.errors.get(NAME_LIB)
    if not info.lib_ok:
        fails.append("accuracy " + ("unchecked" if err is None else f"{err:.0e}: FLAGGED"))
    return text, ("**met**" if not fails else "**not met**: " + "; ".join(fails)), ratio


def _err(e: Optional[float]) -> str:
    if e is None:
        return "?"
    return "nan" if math.isnan(e) else f"{e:.0e}"


def section(built: List[Tuple[C.Case, PanelInfo]], all_results, all_memory, fmt_time, fmt_bytes,
            scale: float, reps: int, slow_reps: int) -> List[str]:
    """The markdown section for BENCHMARKS.md."""
    if not built:
        return []
    lines = ["## Exact-solver design panel", "",
             "Issue \"Exact solver at Gram-matrix speed on every design\". kappa: kappa_2 of the centred, "
             "column-equilibrated X (weighted: sqrt(w) times the weighted-centred X), float64 SVD on "
             f"at most {KAPPA_ROWS:,} rows. Targets: kappa <= 1e5: liblinreg <= 1.5x numpy X.T @ X on the same "
             "array (same dtype, same threads; float64 for d >= 256, where float32 input is promoted) and >= 10x "
             "faster than scikit-learn LinearRegression (5x for d >= 256); 1e5 < kappa <= 1e8: <= 3x X.T @ X; "
             "beyond: <= 10x X.T @ X on 2,000,000 x 32. Errors: max|b - b_ref| / max|b_ref| over the "
             "coefficients, b_ref from float64 numpy lstsq on the centred data; liblinreg must be within "
             f"max({LIB_TOL:g}, 64 kappa 2^-52), the second being lstsq's own error bound (a row that is not "
             "says so: FLAGGED); after a float32 fit its coef_ is float32, so each "
             "coefficient may also differ by one float32 spacing (its rounding), and the cell adds its error "
             "against the reference rounded to float32 ('vs rounded ref'). Every other peer is timed whatever its error. "
             f"For kappa >= {MP_KAPPA:g} the reference and every peer are also checked against mpmath "
             f"({MP_DPS} digits) on a {MP_ROWS}-row subsample, fitted by each on that subsample. "
             "Path / passes: what liblinreg reports (solver_path_, n_passes_; 'n/a' while it does not). "
             f"Cells: median time (repetitions) · error. Repetitions: up to {reps} for liblinreg and X.T @ X, up "
             f"to {slow_reps} for the other peers, and at most max(1, {PEER_BUDGET:g} s / one run) for any peer "
             "(so the slowest peers on the largest cases run once). The yardstick X.T @ X is unweighted on the "
             "weighted case; for d >= 256 it runs on a float64 copy of X made beforehand (not timed). "
             "float32 peers (and liblinreg's float32 coef_) cannot get below ~3e-08: the rounding of "
             "the coefficients themselves. "
             f"scikit-learn Ridge runs at alpha = {SK_RIDGE_ALPHA:g} (its normal-equations solve). "
             "Memory: liblinreg's peak above the data (the issue: no copy of X, memory above the data "
             "independent of n)."]
    if scale != 1.0:
        lines += ["", f"**Scaled run (--scale {scale:g}): n is {scale:g} of the stated sizes; the targets are "
                      "stated for the full sizes.**"]
    header = ["case", "n x d", "dtype", "kappa", "path", "passes", "liblinreg", "lib. memory", "ratio to X.T@X",
              "X.T@X", "target", "met?"] + PEER_COLUMNS
    lines += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    mp_lines = []
    for case, info in built:
        res = all_results.get(case.key, {})
        text, met, ratio = assess(info, res)

        def cell(name):
            r = res.get(name)
            if r is None:
                return "-" if name not in info.missing else f"({info.missing[name][:60]})"
            if not r["ok"]:
                return f"failed: {r['check'][:80]}"
            return f"{fmt_time(r['median'])} ({len(r['times'])}) · {_err(info.errors.get(name))}"

        lib_cell = cell(NAME_LIB)
        if info.lib_rounded_err is not None:
            lib_cell += f" ({_err(info.lib_rounded_err)} vs rounded ref)"
        if info.lib_ok is False:
            lib_cell += " **FLAGGED**"
        xr = res.get(NAME_XTX, {})
        row = [info.spec.title, f"{info.n:,} x {info.spec.d}", np.dtype(info.spec.dtype).name,
               f"{info.kappa:.1e}", str(info.path), str(info.passes), lib_cell,
               fmt_bytes(all_memory.get(case.key, {}).get(NAME_LIB)),
               "-" if ratio is None else f"{ratio:.2f}x",
               f"{fmt_time(xr.get('median'))} ({len(xr.get('times', []))})" + (" f64" if info.spec.d >= 256 else ""),
               text, met] + [cell(p) for p in PEER_COLUMNS]
        lines.append("| " + " | ".join(row) + " |")
        if info.mp_note:
            mp_lines.append(f"- {info.spec.title}: {info.mp_note}" + (": " + ", ".join(
                f"{k} {_err(v)}" for k, v in info.mp_errors.items()) if info.mp_errors else ""))
    if mp_lines:
        lines += ["", "Against mpmath (kappa >= 1e5):", ""] + mp_lines
    lines.append("")
    return lines


def console_summary(case: C.Case, info: PanelInfo, results) -> str:
    text, met, ratio = assess(info, results)
    r = "-" if ratio is None else f"{ratio:.2f}x"
    return (f"  kappa {info.kappa:.1e}; path {info.path}, passes {info.passes}; liblinreg/X.T@X {r}; "
            f"target {text}: {met}" + (f"\n  {info.mp_note}: " + ", ".join(
                f"{k} {_err(v)}" for k, v in info.mp_errors.items()) if info.mp_note else ""))
