"""The benchmark cases: data, peers (liblinreg and the libraries it is
compared with), and the answer checks run before any time is reported.

Every case is deterministic (fixed seeds), so a memory probe in a fresh
subprocess rebuilds exactly the same data and runs exactly the same call.

A *peer* is one way of doing the case's job, called as a user would call it
(the timed call includes building estimators, converting inputs and reading
results). ``check`` compares a peer's answer with the case's reference and
returns ``(ok, detail)``; a peer whose answer disagrees gets no time in the
report.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "bindings" / "python"))

import linreg  # noqa: E402  (the binding under test; LINREG_LIBRARY picks the library)

# ---------------------------------------------------------------------------
# parameters of the seed experiment ("linear regression from scratch in PyTorch")
SEED_GD_EPOCHS, SEED_GD_LR = 1000, 1e-5
SEED_SGD_EPOCHS, SEED_SGD_LR, SEED_SGD_BATCH = 100, 1e-5, 5
SEED = 42
#: Relative agreement required between liblinreg's GD/SGD and PyTorch's same
#: loop in float64 (weights, bias and every epoch's loss): the issue's 1e-5.
TRAJECTORY_RTOL = 1e-5

#: GD at scale: 1,000,000 x 32 float32, 1000 epochs.
SCALE_N, SCALE_D, SCALE_EPOCHS, SCALE_LR = 1_000_000, 32, 1000, 0.05
#: PyTorch's loop at scale runs this many epochs; its time is scaled to 1000.
SCALE_TORCH_EPOCHS = 10


@dataclass
class Peer:
    name: str
    run: Callable[[], Any]  # the timed call; returns the answer
    check: Callable[[Any], Tuple[bool, str]]
    repetitions: Optional[int] = None  # None: the run's default
    note: str = ""
    #: multiply the measured time by this before reporting (extrapolation)
    time_scale: float = 1.0
    is_liblinreg: bool = False
    is_floor: bool = False  # a reference operation, not a full solution
    #: measure peak memory (in a subprocess); off for peers whose memory says nothing new
    memory: bool = True

    @property
    def library(self) -> str:
        """What a memory probe must import and warm up first."""
        name = self.name.lower()
        if name.startswith("liblinreg"):
            return "liblinreg"
        if "torch" in name:
            return "torch"
        if "scikit-learn" in name:
            return "sklearn"
        return "numpy"


@dataclass
class Case:
    key: str
    title: str
    peers: List[Peer]
    description: str = ""
    #: name of the liblinreg peer the ratios are taken against
    baseline: str = "liblinreg"
    notes: List[str] = field(default_factory=list)


def rel_err(a, b) -> float:
    """max |a - b| / max |b| (0 when both are all zero)."""
    a = np.asarray(a, dtype=np.float64).reshape(-1)
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    scale = float(np.max(np.abs(b))) if b.size else 0.0
    diff = float(np.max(np.abs(a - b))) if b.size else 0.0
    return 0.0 if diff == 0.0 else diff / (scale if scale > 0 else 1.0)


def _ok(err: float, tol: float, what: str = "coef") -> Tuple[bool, str]:
    return err <= tol, f"{what} rel. err {err:.1e} (tol {tol:.0e})"


def within_float32_rounding(answer, reference, tol) -> Tuple[bool, str]:
    """A float32 result (liblinreg's coef_/intercept_ after a float32 fit) against a
    float64 reference: within tol * max|reference| plus one float32 spacing of each value."""
    answer = np.asarray(answer, dtype=np.float64).reshape(-1)
    reference = np.asarray(reference, dtype=np.float64).reshape(-1)
    room = tol * float(np.max(np.abs(reference))) + np.spacing(np.abs(reference).astype(np.float32)).astype(np.float64)
    ok = bool(np.all(np.abs(answer - reference) <= room))
    return ok, f"coef rel. err {rel_err(answer, reference):.1e} (tol {tol:.0e} + float32 rounding of the results)"


# ---------------------------------------------------------------------------
# data
def advertising(path: Optional[str]):
    """The seed's split of the Advertising data (float32): X_train 160 x 3."""
    import pandas as pd
    from sklearn.model_selection import train_test_split

    p = Path(path) if path else REPO.parent / "shared" / "data" / "Advertising.csv"
    df = pd.read_csv(p, index_col=0)
    X = df[["TV", "Radio", "Newspaper"]].to_numpy(dtype=np.float32)
    y = df["Sales"].to_numpy(dtype=np.float32)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    return (np.ascontiguousarray(X_train), np.ascontiguousarray(y_train),
            np.ascontiguousarray(X_test), np.ascontiguousarray(y_test))


def synthetic(n: int, d: int, dtype, seed: int = 1, standardized: bool = False):
    """X (n x d) with varied means and scales, y = X beta + b + noise (R^2 ~ 0.9)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d), dtype=np.float32 if dtype == np.float32 else np.float64)
    beta = rng.standard_normal(d)
    if not standardized:
        means = rng.uniform(-3, 3, d)
        scales = np.exp(rng.uniform(np.log(0.5), np.log(2.0), d))
        X *= scales.astype(X.dtype)
        X += means.astype(X.dtype)
        beta /= scales
    signal = X @ beta.astype(X.dtype)
    noise_sd = math.sqrt(float(np.var(signal)) / 9.0)  # R^2 ~ 0.9
    y = (signal + 1.5 + noise_sd * rng.standard_normal(n)).astype(X.dtype)
    return np.ascontiguousarray(X), np.ascontiguousarray(y)


# ---------------------------------------------------------------------------
# PyTorch loops of the seed experiment
def _torch():
    import torch

    return torch


def torch_scratch(X, y, w0, b0, epochs, lr, double=False):
    """The seed's from-scratch loop: model = x @ w.t() + b, mse, backward, w -= lr*grad.

    Returns (w, b, losses)."""
    torch = _torch()
    dtype = torch.float64 if double else torch.float32
    w = torch.tensor(w0, dtype=dtype).reshape(1, -1).requires_grad_()
    b = torch.tensor(b0, dtype=dtype).reshape(1).requires_grad_()
    inputs = torch.from_numpy(X).to(dtype)
    targets = torch.from_numpy(y).to(dtype).reshape(-1, 1)
    losses = []
    for _ in range(epochs):
        preds = inputs @ w.t() + b
        diff = preds - targets
        loss = torch.sum(diff * diff) / diff.numel()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= w.grad * lr
            b -= b.grad * lr
            w.grad.zero_()
            b.grad.zero_()
    return w.detach().numpy().reshape(-1).astype(np.float64), float(b.item()), np.asarray(losses)


def torch_loader(X, y, w0, b0, epochs, lr, batch, double=False):
    """nn.Linear + DataLoader(batch, shuffle=False) + optim.SGD + F.mse_loss.

    Returns (w, b, losses), the loss of an epoch being the mean of its batches'
    losses weighted by batch size (each taken before its step)."""
    torch = _torch()
    import torch.nn.functional as F
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    dtype = torch.float64 if double else torch.float32
    model = nn.Linear(X.shape[1], 1).to(dtype)
    with torch.no_grad():
        model.weight.copy_(torch.tensor(w0, dtype=dtype).reshape(1, -1))
        model.bias.copy_(torch.tensor(b0, dtype=dtype).reshape(1))
    inputs = torch.from_numpy(X).to(dtype)
    targets = torch.from_numpy(y).to(dtype).reshape(-1, 1)
    loader = DataLoader(TensorDataset(inputs, targets), batch_size=batch, shuffle=False)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        total = 0.0
        for xb, yb in loader:
            loss = F.mse_loss(model(xb), yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
            total += loss.item() * xb.shape[0]
        losses.append(total / inputs.shape[0])
    return (model.weight.detach().numpy().reshape(-1).astype(np.float64), float(model.bias.item()),
            np.asarray(losses))


def seed_init(d: int = 3):
    """w = torch.randn(1, d), b = torch.randn(1) after torch.manual_seed(42), as the seed."""
    torch = _torch()
    torch.manual_seed(SEED)
    w = torch.randn(1, d)
    b = torch.randn(1)
    return w.numpy().reshape(-1).copy(), b.numpy().copy()


def trajectory_check(reference, tol, float32_results=False):
    """Checks (w, b, losses) against a reference run, every epoch's loss included.
    With float32_results (liblinreg's coef_/intercept_ after a float32 fit) w and b
    may also differ from the reference by one float32 spacing of each value (their
    own rounding, as in within_float32_rounding); the losses are doubles."""
    wr, br, lr_ = reference

    def check(answer):
        w, b, losses = answer
        errs = {
            "w": rel_err(w, wr),
            "b": abs(b - br) / max(abs(br), 1e-300),
            "loss": float(np.max(np.abs(losses - lr_) / np.abs(lr_))) if len(losses) == len(lr_) else math.inf,
        }
        text = ", ".join(f"{k} {v:.1e}" for k, v in errs.items())
        if not float32_results:
            return max(errs.values()) <= tol, text + f" (tol {tol:.0e})"
        ok = (within_float32_rounding(w, wr, tol)[0] and within_float32_rounding([b], [br], tol)[0]
              and errs["loss"] <= tol)
        return ok, text + f" (tol {tol:.0e}, w and b + float32 rounding of the results)"

    return check


def liblinreg_trained(est):
    return (np.asarray(est.coef_, dtype=np.float64).reshape(-1), float(est.intercept_),
            np.asarray(est.loss_history_, dtype=np.float64))


# ---------------------------------------------------------------------------
# cases
def case_seed_gd(data: Optional[str]) -> Case:
    X, y, _, _ = advertising(data)
    w0, b0 = seed_init(3)
    reference = torch_scratch(X, y, w0, b0, SEED_GD_EPOCHS, SEED_GD_LR, double=True)
    check = trajectory_check(reference, TRAJECTORY_RTOL)

    def lib():
        est = linreg.LinearRegression(solver="gd", learning_rate=SEED_GD_LR, epochs=SEED_GD_EPOCHS)
        est.fit(X, y, coef_init=w0, intercept_init=float(b0[0]))
        return liblinreg_trained(est)

    def scratch():
        return torch_scratch(X, y, w0, b0, SEED_GD_EPOCHS, SEED_GD_LR)

    return Case(
        "seed_gd", "Seed GD: Advertising, 160 x 3 float32, 1000 epochs, lr 1e-5",
        [
            Peer("liblinreg", lib, check, is_liblinreg=True,
                 note="LinearRegression(solver='gd').fit, whole Python call"),
            Peer("PyTorch loop (seed)", scratch, trajectory_check(reference, 2e-4),
                 note="the seed's from-scratch loop, float32"),
        ],
        description="The seed's from-scratch gradient descent from w, b = torch.randn (seed 42). "
                    "Answers: weights, bias and all 1000 losses against the same loop in float64 "
                    f"(liblinreg within {TRAJECTORY_RTOL:g}; PyTorch float32 within its own rounding, 2e-4).",
    )


def case_seed_sgd(data: Optional[str]) -> Case:
    X, y, X_test, y_test = advertising(data)
    torch = _torch()
    torch.manual_seed(SEED)
    from torch import nn

    layer = nn.Linear(3, 1)  # the seed's initialisation
    w0 = layer.weight.detach().numpy().reshape(-1).copy()
    b0 = layer.bias.detach().numpy().copy()
    reference = torch_loader(X, y, w0, b0, SEED_SGD_EPOCHS, SEED_SGD_LR, SEED_SGD_BATCH, double=True)
    check = trajectory_check(reference, TRAJECTORY_RTOL)

    def lib():
        est = linreg.LinearRegression(solver="sgd", learning_rate=SEED_SGD_LR, epochs=SEED_SGD_EPOCHS,
                                      batch_size=SEED_SGD_BATCH, shuffle=False)
        est.fit(X, y, coef_init=w0, intercept_init=float(b0[0]))
        return liblinreg_trained(est)

    def loader():
        return torch_loader(X, y, w0, b0, SEED_SGD_EPOCHS, SEED_SGD_LR, SEED_SGD_BATCH)

    def sgd_regressor():
        from sklearn.linear_model import SGDRegressor

        est = SGDRegressor(loss="squared_error", penalty=None, learning_rate="constant", eta0=SEED_SGD_LR,
                           max_iter=SEED_SGD_EPOCHS, tol=None, shuffle=False)
        est.fit(X, y, coef_init=w0.astype(np.float64), intercept_init=float(b0[0]))
        return est

    reference_mse = float(np.mean((X_test.astype(np.float64) @ reference[0] + reference[1] - y_test) ** 2))

    def check_sgd_regressor(est):
        mse = float(np.mean((est.predict(X_test) - y_test) ** 2))
        err = abs(mse - reference_mse) / reference_mse
        return err <= 0.25, f"test MSE {mse:.3f} vs {reference_mse:.3f} ({err:.0%}; tol 25%: batch 1, not 5)"

    return Case(
        "seed_sgd", "Seed SGD: Advertising, 160 x 3 float32, 100 epochs, batch 5, lr 1e-5",
        [
            Peer("liblinreg", lib, check, is_liblinreg=True,
                 note="LinearRegression(solver='sgd', batch_size=5).fit, whole Python call"),
            Peer("PyTorch DataLoader loop (seed)", loader, trajectory_check(reference, 2e-4),
                 note="nn.Linear + DataLoader + optim.SGD + F.mse_loss, float32"),
            Peer("scikit-learn SGDRegressor", sgd_regressor, check_sgd_regressor,
                 note="constant eta0 1e-5, 100 epochs, batch 1 (its only mode): a different algorithm, "
                      "checked on test MSE only"),
        ],
        description="The seed's nn.Linear + DataLoader loop (batch 5, no shuffle) from nn.Linear's "
                    "initialisation under seed 42. Answers: weights, bias and all 100 epoch losses "
                    f"against the same loop in float64 (liblinreg within {TRAJECTORY_RTOL:g}).",
    )


def case_exact(n: int, d: int, dtype, slow_reps: int, checks: bool = True) -> Case:
    X, y = synthetic(n, d, dtype, seed=d)
    name = "float32" if dtype == np.float32 else "float64"
    ref = ridge_ref = np.zeros(d + 1)
    if checks:
        X64 = X.astype(np.float64)
        A64 = np.column_stack([np.ones(n), X64])
        ref = np.linalg.lstsq(A64, y.astype(np.float64), rcond=None)[0]
        del A64
        # Ridge reference (alpha = 1, intercept unpenalised) in float64 from the centred Gram matrix.
        xm = X64.mean(axis=0)
        ym = float(y.astype(np.float64).mean())
        G = X64.T @ X64 - n * np.outer(xm, xm)
        g = X64.T @ y.astype(np.float64) - n * xm * ym
        del X64
        ridge_coef = np.linalg.solve(G + np.eye(d), g)
        ridge_ref = np.concatenate([[ym - xm @ ridge_coef], ridge_coef])
    lib_tol = 1e-9
    # Peers that compute in float32 on float32 data can only agree to float32 accuracy.
    peer_tol = 2e-3 if dtype == np.float32 else 1e-8

    def coefs(est):
        return np.concatenate([[float(est.intercept_)], np.asarray(est.coef_, dtype=np.float64).reshape(-1)])

    def check(reference, tol):
        return lambda answer: _ok(rel_err(answer, reference), tol)

    def lib_check(reference):
        """liblinreg within lib_tol; after a float32 fit its coef_/intercept_
        are float32 (scikit-learn's convention), so each may also differ by
        one float32 spacing (its own rounding)."""
        def run(answer):
            if dtype != np.float32:
                return _ok(rel_err(answer, reference), lib_tol)
            return within_float32_rounding(answer, reference, lib_tol)
        return run

    def lib():
        return coefs(linreg.LinearRegression().fit(X, y))

    def lib_ridge():
        return coefs(linreg.LinearRegression(alpha=1.0).fit(X, y))

    def xtx():
        return X.T @ X

    def np_lstsq():
        A = np.column_stack([np.ones(n, dtype=X.dtype), X])
        return np.linalg.lstsq(A, y, rcond=None)[0]

    def sk_linear():
        from sklearn.linear_model import LinearRegression

        return coefs(LinearRegression().fit(X, y))

    def sk_ridge():
        from sklearn.linear_model import Ridge

        return coefs(Ridge(alpha=1.0).fit(X, y))

    def torch_lstsq():
        torch = _torch()
        Xt = torch.from_numpy(X)
        A = torch.cat([torch.ones(n, 1, dtype=Xt.dtype), Xt], dim=1)
        # driver 'gels' (QR): the CPU default 'gelsy' cuts singular values
        # below eps(float32)·n and returns wrong float32 answers here.
        return torch.linalg.lstsq(A, torch.from_numpy(y).reshape(-1, 1), driver="gels").solution.numpy().reshape(-1)

    return Case(
        f"exact_{n}x{d}_{name}", f"Exact fit: {n:,} x {d} {name}",
        [
            Peer("liblinreg", lib, lib_check(ref), is_liblinreg=True,
                 note="LinearRegression().fit (least squares, with statistics)"),
            Peer("numpy X.T @ X", xtx, lambda _: (True, "reference operation (Gram matrix only)"), is_floor=True,
                 note="OpenBLAS, not a solution", memory=False),
            Peer("numpy lstsq", np_lstsq, check(ref, peer_tol), repetitions=slow_reps,
                 note="lstsq(column_stack([1, X]), y)"),
            Peer("scikit-learn LinearRegression", sk_linear, check(ref, peer_tol), repetitions=slow_reps),
            Peer("torch.linalg.lstsq", torch_lstsq, check(ref, peer_tol), repetitions=slow_reps,
                 note="on cat([1, X]), driver='gels'"),
            Peer("liblinreg ridge", lib_ridge, lib_check(ridge_ref), is_liblinreg=True,
                 note="LinearRegression(alpha=1.0).fit", memory=False),
            Peer("scikit-learn Ridge", sk_ridge, check(ridge_ref, peer_tol), repetitions=slow_reps,
                 note="Ridge(alpha=1.0); ratio against liblinreg ridge"),
        ],
        description=f"X with varied column means and scales, y = X beta + 1.5 + noise (R^2 ~ 0.9). "
                    f"Answers: intercept and coefficients against numpy.linalg.lstsq in float64 on the same "
                    f"data (liblinreg within {lib_tol:g}, plus the float32 rounding of its float32 results, peers within {peer_tol:g}; ridge against a "
                    f"float64 solve of the centred normal equations).",
    )


def case_gd_scale(slow_reps: int, checks: bool = True) -> Case:
    X, y = synthetic(SCALE_N, SCALE_D, np.float32, seed=5, standardized=True)
    w0, b0 = seed_init(SCALE_D)
    reference = short_ref = (np.zeros(SCALE_D), 0.0, np.zeros(0))
    exact_ref = np.zeros(SCALE_D + 1)
    if checks:
        # Reference trajectory: plain float64 GD from the Gram matrix of [1, X, y] (numpy).
        A = np.column_stack([np.ones(SCALE_N), X.astype(np.float64), y.astype(np.float64)])
        G = A.T @ A / SCALE_N
        exact_ref = np.linalg.lstsq(A[:, :-1], A[:, -1], rcond=None)[0]
        del A
        p = SCALE_D + 1
        theta = np.concatenate([[float(b0[0])], w0.astype(np.float64)])
        ref_losses = []
        for _ in range(SCALE_EPOCHS):
            Gt = G[:p, :p] @ theta
            ref_losses.append(float(theta @ Gt - 2 * theta @ G[:p, p] + G[p, p]))
            theta = theta - SCALE_LR * 2 * (Gt - G[:p, p])
        reference = (theta[1:], float(theta[0]), np.asarray(ref_losses))
        # PyTorch's loop runs fewer epochs (its time is scaled up); its answer
        # is checked against liblinreg's first epochs.
        lib_short = linreg.LinearRegression(solver="gd", learning_rate=SCALE_LR, epochs=SCALE_TORCH_EPOCHS)
        lib_short.fit(X, y, coef_init=w0, intercept_init=float(b0[0]))
        short_ref = liblinreg_trained(lib_short)

    def lib():
        est = linreg.LinearRegression(solver="gd", learning_rate=SCALE_LR, epochs=SCALE_EPOCHS)
        est.fit(X, y, coef_init=w0, intercept_init=float(b0[0]))
        return liblinreg_trained(est)

    def lib_exact():
        est = linreg.LinearRegression().fit(X, y)
        return np.concatenate([[float(est.intercept_)], est.coef_])

    def torch_loop():
        return torch_scratch(X, y, w0, b0, SCALE_TORCH_EPOCHS, SCALE_LR)

    return Case(
        "gd_scale", f"GD at scale: {SCALE_N:,} x {SCALE_D} float32, {SCALE_EPOCHS} epochs, lr {SCALE_LR:g}",
        [
            Peer("liblinreg", lib, trajectory_check(reference, 1e-8, float32_results=True), is_liblinreg=True,
                 note="LinearRegression(solver='gd', epochs=1000).fit"),
            Peer("liblinreg exact fit", lib_exact, lambda a: within_float32_rounding(a, exact_ref, 1e-9),
                 note="the same data, solver='exact' (target: GD <= 1.5x this)"),
            Peer("PyTorch loop (seed), scaled", torch_loop, trajectory_check(short_ref, 1e-4),
                 repetitions=slow_reps, time_scale=SCALE_EPOCHS / SCALE_TORCH_EPOCHS,
                 note=f"the seed's loop in float32; {SCALE_TORCH_EPOCHS} epochs timed, x{SCALE_EPOCHS // SCALE_TORCH_EPOCHS}"),
        ],
        description="Standard-normal features, same start as the seed (torch.randn under seed 42). "
                    "liblinreg's 1000 epochs are checked (weights, bias, every loss) against plain float64 GD "
                    "on the Gram matrix (1e-8, plus the float32 rounding of its float32 weights and bias); "
                    "PyTorch's float32 loop against liblinreg's first "
                    f"{SCALE_TORCH_EPOCHS} epochs (1e-4: float32 sums over 1M rows).",
    )


def case_predict(checks: bool = True) -> Case:
    n, d = 2_000_000, 32
    X, y = synthetic(n, d, np.float32, seed=3)
    est = linreg.LinearRegression().fit(X, y)
    W = np.asarray(est.coef_, dtype=np.float32).reshape(1, -1)
    b = np.float32(est.intercept_)
    ref = np.zeros(n)
    if checks:
        ref = X.astype(np.float64) @ np.asarray(est.coef_, dtype=np.float64) + float(est.intercept_)

    def check(answer):
        err = rel_err(np.asarray(answer).reshape(-1), ref)
        return _ok(err, 1e-6, "prediction")

    def lib():
        return est.predict(X)

    def numpy_pred():
        return X @ W.T + b

    def torch_pred():
        torch = _torch()
        Xt = torch.from_numpy(X)
        return (Xt @ torch.from_numpy(W).T + float(b)).numpy()

    return Case(
        "predict", f"Prediction: {n:,} x {d} float32",
        [
            Peer("liblinreg", lib, check, is_liblinreg=True, note="est.predict(X) (float32 out, computed in double)"),
            Peer("numpy X @ W.T + b", numpy_pred, check, note="float32 OpenBLAS"),
            Peer("torch X @ W.T + b", torch_pred, check, note="float32"),
        ],
        description="The fitted model's predictions; answers against a float64 computation (1e-6 relative "
                    "to the largest prediction).",
    )


def all_cases(data: Optional[str], quick: bool = False) -> List[Tuple[str, Callable[[bool], Case]]]:
    """(key, builder(checks)) in report order; cases are built one at a time
    (and rebuilt by each memory probe, without their reference answers)."""
    slow = 2 if quick else 3
    sizes = [(2_000_000, 8), (2_000_000, 32), (200_000, 256)]
    if quick:
        sizes = [(200_000, 8), (200_000, 32), (20_000, 256)]
    builders: List[Tuple[str, Callable[[bool], Case]]] = [
        ("seed_gd", lambda checks: case_seed_gd(data)),
        ("seed_sgd", lambda checks: case_seed_sgd(data)),
    ]
    for n, d in sizes:
        for dtype in (np.float32, np.float64):
            key = f"exact_{n}x{d}_{'float32' if dtype == np.float32 else 'float64'}"
            builders.append((key, lambda checks, n=n, d=d, dtype=dtype: case_exact(n, d, dtype, slow, checks)))
    builders.append(("gd_scale", lambda checks: case_gd_scale(slow, checks)))
    builders.append(("predict", lambda checks: case_predict(checks)))
    import cases_inference  # HC3 and cluster-robust standard errors (issue 14)

    builders.extend(cases_inference.builders(quick, slow))
    import cases_enet  # the lasso path and LassoCV rows (issue 15)

    builders.extend(cases_enet.builders(quick, slow))
    from ridgecv_case import case_ridgecv  # issue #15 (bench/ridgecv_case.py)

    n_cv = 200_000 if quick else 2_000_000
    builders.append((f"ridgecv_{n_cv}x32", lambda checks: case_ridgecv(n_cv, 32, slow, checks)))
    return builders
