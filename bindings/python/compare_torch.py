#!/usr/bin/env python3
"""PyTorch parity for liblinreg on the Advertising data.

Reproduces both halves of the seed experiment with the same 80/20 split as
``train_test_split(test_size=0.2, random_state=0)`` (features TV, Radio,
Newspaper; target Sales; float32, as the seed), runs liblinreg from the very
same initial weights, and prints side-by-side tables:

1. *From scratch*: ``w = torch.randn(1, 3)``, ``b = torch.randn(1)`` under
   ``--seed``; 1000 epochs of full-batch gradient descent at lr 1e-5 on the
   seed's ``mse`` -- against ``LinearRegression(solver="gd")``.
2. *Builtins*: ``nn.Linear(3, 1)``, ``torch.optim.SGD(lr=1e-5)``,
   ``DataLoader(TensorDataset(...), batch_size=5, shuffle=False)``,
   ``F.mse_loss``, 100 epochs -- against ``LinearRegression(solver="sgd",
   batch_size=5)``.
3. *Shuffled*: half 2 with ``shuffle=True`` on both sides, from the same
   initial weights. The two libraries draw different permutations, so the
   trajectories differ and only the final test MSE is compared: its median
   over :data:`SHUFFLE_RUNS` shuffle seeds on each side, within
   :data:`SHUFFLE_RTOL` (see there for why a median and why 5%).
4. *Exact least squares*: liblinreg's exact solver vs ``numpy.linalg.lstsq``
   vs ``sklearn.linear_model.LinearRegression`` (float64), to show how far
   1000 epochs of GD are from the optimum.

Halves 1 and 2 run PyTorch twice from the same initial values: in float32,
exactly as the seed, and in float64 (the same modules and loops after
``.double()``; the float32 data and weights convert to float64 exactly).
liblinreg runs once, on the seed's float32 arrays (it accumulates in double).

Exits 1 when, for GD or unshuffled SGD, any weight, the bias, the first or
last loss, or the train or test MSE of liblinreg

* differs from PyTorch float64 by more than :data:`PARITY_RTOL` (relative), or
* differs from PyTorch float32 by more than :data:`PARITY_RTOL` plus PyTorch's
  own float32 rounding error for that quantity (its relative distance from
  the float64 run, printed in the last column). Over the 3,200 SGD steps of
  half 2, float32 rounding moves PyTorch's bias by about 1e-5 relative (seed
  42); an implementation that does the arithmetic exactly sits exactly that
  far from it, so that much must be allowed on top of the tolerance;

or when the shuffled runs' median test MSEs differ by more than
:data:`SHUFFLE_RTOL`. Every computation is an importable function, used by
``tests/test_parity.py``.

Usage::

    python bindings/python/compare_torch.py [--data CSV] [--seed 42] [--plots DIR]

``--data`` defaults to ``$LINREG_ADVERTISING_CSV``, else
``<repo>/../shared/data/Advertising.csv``. ``--plots DIR`` also writes the
demo pictures (see ``demo_plots.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

import linreg  # a script: Python searches its own folder (bindings/python) first

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

DATA_ENV = "LINREG_ADVERTISING_CSV"
DEFAULT_DATA = REPO.parent / "shared" / "data" / "Advertising.csv"
FEATURES = ("TV", "Radio", "Newspaper")
TARGET = "Sales"

#: Largest relative difference allowed between PyTorch and liblinreg for GD
#: and unshuffled SGD (same data, same start, same update rule).
PARITY_RTOL = 1e-5
#: Shuffled SGD: allowed relative difference of the median final test MSE
#: over SHUFFLE_RUNS shuffle seeds per side.
#:
#: Why not one run per side: the final test MSE after 100 epochs of batch-5
#: SGD at lr 1e-5 depends on the order of the last mini-batches. Measured
#: with a plain numpy SGD using numpy's uniform permutations (300 orders, seed
#: 42's start): median 5.25, 90% quantile 5.86, 99% quantile 6.95, maximum
#: 7.6 -- a skewed distribution whose standard deviation is about 7% of its
#: mean. Two single runs with different permutation generators can honestly
#: differ by 10-40%, so no single-pair tolerance both passes a correct
#: implementation and catches a wrong one.
#:
#: Why the median of 10 and 5%: the bulk of the distribution is narrow
#: (64% of the orders land within 2% of the median), so the median of 10 runs
#: has a standard deviation of about 1.3%, and two such medians from
#: different seed sets differ by less than 4.1% in 95% and 6.5% in 99% of
#: cases (bootstrap from the 300 orders). 5% is therefore a bound a correct
#: implementation meets for the default seeds (42..51 on both sides: the check
#: is deterministic) and for about 97% of other seed sets; liblinreg's own
#: shuffled runs over 200 seeds match the numpy reference's distribution
#: (median 5.24, 90% quantile 5.79, 99% quantile 6.83).
#:
#: What it does not do: the final test MSE at this learning rate is nearly
#: flat in the details of training (twice the learning rate or no
#: reshuffling between epochs move the median by 1-2%), so this is a check
#: that shuffled training lands where PyTorch's does, not a check of the
#: update rule. The update rule is held to 1e-5 by the unshuffled halves,
#: and tests/test_gd_sgd.py checks that every shuffled epoch visits every
#: row exactly once.
SHUFFLE_RTOL = 0.05
#: Shuffle seeds per side for the shuffled comparison (seed, seed+1, ...).
SHUFFLE_RUNS = 10

GD_EPOCHS, GD_LR = 1000, 1e-5
SGD_EPOCHS, SGD_LR, SGD_BATCH = 100, 1e-5, 5


# ---------------------------------------------------------------------------
# data
def data_path(path: Optional[os.PathLike] = None) -> Path:
    """The CSV to read: ``path``, else ``$LINREG_ADVERTISING_CSV``, else the default."""
    if path:
        return Path(path)
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else DEFAULT_DATA


def load_advertising(path: Optional[os.PathLike] = None, dtype=np.float32) -> Tuple[np.ndarray, np.ndarray]:
    """(X, y): X is (200, 3) [TV, Radio, Newspaper], y is (200,) Sales."""
    import pandas as pd

    p = data_path(path)
    if not p.is_file():
        raise FileNotFoundError(
            f"Advertising data not found at {p}; pass --data or set {DATA_ENV}"
        )
    df = pd.read_csv(p, index_col=0)
    X = df[list(FEATURES)].to_numpy(dtype=dtype)
    y = df[TARGET].to_numpy(dtype=dtype)
    return np.ascontiguousarray(X), np.ascontiguousarray(y)


@dataclass
class Split:
    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def split_data(X: np.ndarray, y: np.ndarray) -> Split:
    """The seed's split: ``train_test_split(test_size=0.2, random_state=0)``."""
    from sklearn.model_selection import train_test_split

    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    return Split(*(np.ascontiguousarray(a) for a in (X_train, X_test, y_train, y_test)))


def load_split(path: Optional[os.PathLike] = None, dtype=np.float32) -> Split:
    return split_data(*load_advertising(path, dtype))


def mse_np(pred: np.ndarray, target: np.ndarray) -> float:
    """Mean squared error in float64 (used for both sides' train/test MSE)."""
    d = np.asarray(pred, dtype=np.float64).reshape(-1) - np.asarray(target, dtype=np.float64).reshape(-1)
    return float(np.mean(d * d))


def rel_diff(a: float, b: float) -> float:
    """|a - b| / max(|a|, |b|) (0 when both are 0)."""
    a, b = float(a), float(b)
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0.0 else abs(a - b) / scale


# ---------------------------------------------------------------------------
# runs
@dataclass
class Run:
    """One training run's results."""

    name: str
    weights: np.ndarray  # (3,)
    bias: float
    losses: np.ndarray  # one per epoch
    train_mse: float
    test_mse: float
    seconds: float

    @property
    def first_loss(self) -> float:
        return float(self.losses[0])

    @property
    def last_loss(self) -> float:
        return float(self.losses[-1])

    def quantities(self) -> Dict[str, float]:
        q = {f"w[{n}]": float(w) for n, w in zip(FEATURES, self.weights)}
        q["bias"] = float(self.bias)
        q["first loss"] = self.first_loss
        q["last loss"] = self.last_loss
        q["train MSE"] = self.train_mse
        q["test MSE"] = self.test_mse
        return q


@dataclass
class Comparison:
    """liblinreg against PyTorch float32 (the seed) and, when run, PyTorch float64."""

    title: str
    torch: Run  # float32, as the seed
    liblinreg: Run
    init_weights: np.ndarray
    init_bias: float
    rtol: float
    torch64: Optional[Run] = None
    compare: Sequence[str] = ()  # which quantities must agree (all when empty)
    diffs: Dict[str, float] = field(default_factory=dict)  # liblinreg vs PyTorch float32
    diffs64: Dict[str, float] = field(default_factory=dict)  # liblinreg vs PyTorch float64
    rounding: Dict[str, float] = field(default_factory=dict)  # PyTorch float32 vs float64

    def __post_init__(self) -> None:
        a, b = self.torch.quantities(), self.liblinreg.quantities()
        self.diffs = {k: rel_diff(a[k], b[k]) for k in a}
        if self.torch64 is not None:
            c = self.torch64.quantities()
            self.diffs64 = {k: rel_diff(c[k], b[k]) for k in a}
            self.rounding = {k: rel_diff(a[k], c[k]) for k in a}

    @property
    def keys(self) -> List[str]:
        return list(self.compare or self.diffs)

    @property
    def checked(self) -> Dict[str, float]:
        """Relative differences to PyTorch float32 of the compared quantities."""
        return {k: self.diffs[k] for k in self.keys}

    def allowed(self, key: str) -> float:
        """Tolerance against PyTorch float32: rtol plus PyTorch's own float32 error."""
        return self.rtol + self.rounding.get(key, 0.0)

    @property
    def max_rel_diff(self) -> float:
        return max(self.checked.values())

    @property
    def max_rel_diff64(self) -> float:
        return max((self.diffs64[k] for k in self.keys), default=float("nan"))

    @property
    def failures(self) -> List[str]:
        out = [
            f"{k}: {self.diffs[k]:.3e} from PyTorch float32 > {self.allowed(k):.3e}"
            for k in self.keys
            if not self.diffs[k] <= self.allowed(k)
        ]
        out += [
            f"{k}: {self.diffs64[k]:.3e} from PyTorch float64 > {self.rtol:g}"
            for k in self.keys
            if k in self.diffs64 and not self.diffs64[k] <= self.rtol
        ]
        return out

    @property
    def ok(self) -> bool:
        return not self.failures


def _torch():
    import torch

    torch.set_num_threads(1)  # deterministic and fast for these tiny problems
    return torch


def torch_scratch(split: Split, seed: int = 42, epochs: int = GD_EPOCHS, lr: float = GD_LR, double: bool = False):
    """The seed's from-scratch loop. Returns (Run, w0 (1,3), b0 (1,)).

    ``double=True`` runs the same loop in float64 from the same float32 draws.
    """
    torch = _torch()
    dtype = torch.float64 if double else torch.float32
    torch.manual_seed(seed)
    w = torch.randn(1, 3).to(dtype).requires_grad_()
    b = torch.randn(1).to(dtype).requires_grad_()
    w0, b0 = w.detach().numpy().copy(), b.detach().numpy().copy()

    inputs = torch.from_numpy(split.X_train).to(dtype)
    targets = torch.from_numpy(split.y_train).to(dtype).reshape(-1, 1)

    def model(x):
        return x @ w.t() + b

    def mse(t1, t2):
        diff = t1 - t2
        return torch.sum(diff * diff) / diff.numel()

    losses: List[float] = []
    t0 = time.perf_counter()
    for _ in range(epochs):
        preds = model(inputs)
        loss = mse(preds, targets)
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= w.grad * lr
            b -= b.grad * lr
            w.grad.zero_()
            b.grad.zero_()
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        train_pred = model(inputs).numpy()
        test_pred = model(torch.from_numpy(split.X_test).to(dtype)).numpy()
    run = Run(
        "PyTorch float64" if double else "PyTorch",
        w.detach().numpy().reshape(-1).astype(np.float64),
        float(b.item()),
        np.asarray(losses),
        mse_np(train_pred, split.y_train),
        mse_np(test_pred, split.y_test),
        seconds,
    )
    return run, w0, b0


def torch_builtins(
    split: Split,
    seed: int = 42,
    epochs: int = SGD_EPOCHS,
    lr: float = SGD_LR,
    batch_size: int = SGD_BATCH,
    shuffle: bool = False,
    double: bool = False,
    shuffle_seed: Optional[int] = None,
):
    """nn.Linear + optim.SGD + DataLoader + F.mse_loss. Returns (Run, w0, b0).

    ``double=True`` runs the same loop in float64 (``model.double()``) from the
    same initial values. ``shuffle_seed`` seeds the DataLoader's generator
    (default: ``seed``).

    The per-epoch loss is the mean of the epoch's squared errors, each batch's
    taken before its own step (what liblinreg's SGD loss history records).
    """
    torch = _torch()
    import torch.nn.functional as F
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    dtype = torch.float64 if double else torch.float32
    torch.manual_seed(seed)
    model = nn.Linear(3, 1).to(dtype)
    w0 = model.weight.detach().numpy().copy()
    b0 = model.bias.detach().numpy().copy()
    inputs = torch.from_numpy(split.X_train).to(dtype)
    targets = torch.from_numpy(split.y_train).to(dtype).reshape(-1, 1)
    generator = torch.Generator().manual_seed(seed if shuffle_seed is None else shuffle_seed) if shuffle else None
    loader = DataLoader(TensorDataset(inputs, targets), batch_size=batch_size, shuffle=shuffle, generator=generator)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    n = inputs.shape[0]
    losses: List[float] = []
    t0 = time.perf_counter()
    for _ in range(epochs):
        total = 0.0
        for xb, yb in loader:
            pred = model(xb)
            loss = F.mse_loss(pred, yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
            total += loss.item() * xb.shape[0]
        losses.append(total / n)
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        train_pred = model(inputs).numpy()
        test_pred = model(torch.from_numpy(split.X_test).to(dtype)).numpy()
    run = Run(
        "PyTorch float64" if double else "PyTorch",
        model.weight.detach().numpy().reshape(-1).astype(np.float64),
        float(model.bias.item()),
        np.asarray(losses),
        mse_np(train_pred, split.y_train),
        mse_np(test_pred, split.y_test),
        seconds,
    )
    return run, w0, b0


def liblinreg_run(split: Split, w0: np.ndarray, b0: np.ndarray, **params) -> Run:
    """liblinreg from the given start (coef_init / intercept_init); params go to LinearRegression."""
    est = linreg.LinearRegression(**params)
    t0 = time.perf_counter()
    est.fit(split.X_train, split.y_train, coef_init=np.asarray(w0).reshape(-1), intercept_init=float(np.asarray(b0).reshape(-1)[0]))
    seconds = time.perf_counter() - t0
    # params_ holds the weights in double (float32 data give float32 coef_/intercept_, rounded
    # from them, scikit-learn's convention): the comparison is of liblinreg's double arithmetic
    params = np.asarray(est.params_, dtype=np.float64).reshape(-1)
    bias, weights = (params[0], params[1:]) if est.fit_intercept else (0.0, params)
    return Run(
        "liblinreg",
        weights,
        float(bias),
        np.asarray(est.loss_history_),
        mse_np(est.predict(split.X_train), split.y_train),
        mse_np(est.predict(split.X_test), split.y_test),
        seconds,
    )


def compare_scratch(split: Split, seed: int = 42, epochs: int = GD_EPOCHS, lr: float = GD_LR) -> Comparison:
    """Half 1: from-scratch GD vs liblinreg solver='gd'."""
    t, w0, b0 = torch_scratch(split, seed, epochs, lr)
    t64, _, _ = torch_scratch(split, seed, epochs, lr, double=True)
    l = liblinreg_run(split, w0, b0, solver="gd", learning_rate=lr, epochs=epochs)
    return Comparison(
        f"1. From scratch: w, b = torch.randn (seed {seed}); full-batch GD, lr {lr:g}, {epochs} epochs, float32",
        t, l, w0.reshape(-1), float(b0[0]), PARITY_RTOL, torch64=t64,
    )


def compare_builtins(
    split: Split, seed: int = 42, epochs: int = SGD_EPOCHS, lr: float = SGD_LR, batch_size: int = SGD_BATCH
) -> Comparison:
    """Half 2: nn.Linear/SGD/DataLoader(shuffle=False) vs liblinreg solver='sgd'."""
    t, w0, b0 = torch_builtins(split, seed, epochs, lr, batch_size, shuffle=False)
    t64, _, _ = torch_builtins(split, seed, epochs, lr, batch_size, shuffle=False, double=True)
    l = liblinreg_run(split, w0, b0, solver="sgd", learning_rate=lr, epochs=epochs, batch_size=batch_size, shuffle=False)
    return Comparison(
        f"2. Builtins: nn.Linear(3, 1) (seed {seed}), optim.SGD lr {lr:g}, DataLoader batch {batch_size}, "
        f"shuffle=False, {epochs} epochs",
        t, l, w0.reshape(-1), float(b0[0]), PARITY_RTOL, torch64=t64,
    )


@dataclass
class ShuffledComparison:
    """Shuffled SGD: final test MSE over several shuffle seeds per side."""

    title: str
    pair: Comparison  # the first seed on both sides, shown in full (informational)
    seeds: List[int]
    torch_mse: List[float]
    liblinreg_mse: List[float]
    rtol: float = SHUFFLE_RTOL

    @property
    def torch_median(self) -> float:
        return float(np.median(self.torch_mse))

    @property
    def liblinreg_median(self) -> float:
        return float(np.median(self.liblinreg_mse))

    @property
    def rel_diff(self) -> float:
        return rel_diff(self.torch_median, self.liblinreg_median)

    @property
    def ok(self) -> bool:
        return self.rel_diff <= self.rtol


def compare_shuffled(
    split: Split,
    seed: int = 42,
    epochs: int = SGD_EPOCHS,
    lr: float = SGD_LR,
    batch_size: int = SGD_BATCH,
    runs: int = SHUFFLE_RUNS,
) -> ShuffledComparison:
    """Half 2 with shuffle=True on both sides, from seed's initial weights,
    over shuffle seeds seed ... seed+runs-1: median test MSEs within SHUFFLE_RTOL."""
    seeds = [seed + i for i in range(runs)]
    torch_runs, lib_runs = [], []
    w0 = b0 = None
    for s in seeds:
        t, w0, b0 = torch_builtins(split, seed, epochs, lr, batch_size, shuffle=True, shuffle_seed=s)
        torch_runs.append(t)
        lib_runs.append(
            liblinreg_run(
                split, w0, b0, solver="sgd", learning_rate=lr, epochs=epochs, batch_size=batch_size,
                shuffle=True, random_state=s,
            )
        )
    pair = Comparison(
        f"3. Builtins with shuffle=True on both sides (different permutation generators), seed {seed}",
        torch_runs[0], lib_runs[0], w0.reshape(-1), float(b0[0]), float("inf"), compare=("test MSE",),
    )
    return ShuffledComparison(
        pair.title,
        pair,
        seeds,
        [r.test_mse for r in torch_runs],
        [r.test_mse for r in lib_runs],
    )


def format_shuffled(c: ShuffledComparison) -> str:
    lines = [c.title, "=" * len(c.title)]
    p = c.pair
    init = ", ".join(f"{v:.9g}" for v in p.init_weights)
    lines.append(f"initial weights (both sides): w = [{init}], b = {p.init_bias:.9g}")
    head = f"{'quantity':<14}{'PyTorch':>18}{'liblinreg':>18}{'rel. diff':>11}"
    lines += [f"first shuffle seed ({c.seeds[0]}) in full (not compared: different permutations):", head, "-" * len(head)]
    a, b = p.torch.quantities(), p.liblinreg.quantities()
    for k in a:
        lines.append(f"{k:<14}{_num(a[k]):>18}{_num(b[k]):>18}{p.diffs[k]:>11.2e}")
    lines.append(f"{'wall time (s)':<14}{p.torch.seconds:>18.4f}{p.liblinreg.seconds:>18.4f}")
    lines.append(f"final test MSE over shuffle seeds {c.seeds[0]}..{c.seeds[-1]}:")
    lines.append("  PyTorch   " + " ".join(f"{v:.3f}" for v in c.torch_mse))
    lines.append("  liblinreg " + " ".join(f"{v:.3f}" for v in c.liblinreg_mse))
    verdict = "OK" if c.ok else "FAIL"
    lines.append(
        f"median test MSE: PyTorch {c.torch_median:.4f}, liblinreg {c.liblinreg_median:.4f}; relative difference "
        f"{c.rel_diff:.3e} (tolerance {c.rtol:.0%}) -> {verdict}"
    )
    return "\n".join(lines)


@dataclass
class ExactResult:
    """The least-squares optimum on the training rows, three ways (float64)."""

    coef: Dict[str, np.ndarray]  # name -> [intercept, w_TV, w_Radio, w_Newspaper]
    train_mse: Dict[str, float]
    test_mse: Dict[str, float]
    seconds: Dict[str, float]

    @property
    def max_rel_diff(self) -> float:
        ref = self.coef["numpy.linalg.lstsq"]
        return max(rel_diff(a, b) for v in self.coef.values() for a, b in zip(v, ref))


def exact_solutions(split: Split) -> ExactResult:
    from sklearn.linear_model import LinearRegression as SkLinearRegression

    Xtr = split.X_train.astype(np.float64)
    ytr = split.y_train.astype(np.float64)
    Xte = split.X_test.astype(np.float64)
    coef, tr, te, secs = {}, {}, {}, {}

    t0 = time.perf_counter()
    est = linreg.LinearRegression(solver="exact").fit(Xtr, ytr)
    secs["liblinreg exact"] = time.perf_counter() - t0
    coef["liblinreg exact"] = np.concatenate([[est.intercept_], est.coef_])
    tr["liblinreg exact"] = mse_np(est.predict(Xtr), ytr)
    te["liblinreg exact"] = mse_np(est.predict(Xte), split.y_test)

    t0 = time.perf_counter()
    A = np.column_stack([np.ones(len(Xtr)), Xtr])
    sol = np.linalg.lstsq(A, ytr, rcond=None)[0]
    secs["numpy.linalg.lstsq"] = time.perf_counter() - t0
    coef["numpy.linalg.lstsq"] = sol
    tr["numpy.linalg.lstsq"] = mse_np(A @ sol, ytr)
    te["numpy.linalg.lstsq"] = mse_np(np.column_stack([np.ones(len(Xte)), Xte]) @ sol, split.y_test)

    t0 = time.perf_counter()
    sk = SkLinearRegression().fit(Xtr, ytr)
    secs["sklearn LinearRegression"] = time.perf_counter() - t0
    coef["sklearn LinearRegression"] = np.concatenate([[sk.intercept_], sk.coef_])
    tr["sklearn LinearRegression"] = mse_np(sk.predict(Xtr), ytr)
    te["sklearn LinearRegression"] = mse_np(sk.predict(Xte), split.y_test)
    return ExactResult(coef, tr, te, secs)


# ---------------------------------------------------------------------------
# printing
def _num(v: float) -> str:
    return f"{v:.9g}"


def format_comparison(c: Comparison) -> str:
    lines = [c.title, "=" * len(c.title)]
    init = ", ".join(f"{v:.9g}" for v in c.init_weights)
    lines.append(f"initial weights (both sides): w = [{init}], b = {c.init_bias:.9g}")
    a, b = c.torch.quantities(), c.liblinreg.quantities()
    wide = c.torch64 is not None
    head = f"{'quantity':<14}{'PyTorch f32':>18}{'liblinreg':>18}{'rel. diff':>11}"
    if wide:
        head += f"{'PyTorch f64':>18}{'rel. diff':>11}{'f32 error':>11}"
    lines += [head, "-" * len(head)]
    c64 = c.torch64.quantities() if wide else {}
    for k in a:
        row = f"{k:<14}{_num(a[k]):>18}{_num(b[k]):>18}{c.diffs[k]:>11.2e}"
        if wide:
            row += f"{_num(c64[k]):>18}{c.diffs64[k]:>11.2e}{c.rounding[k]:>11.2e}"
        if c.compare and k not in c.compare:
            row += "  (not compared)"
        lines.append(row)
    row = f"{'wall time (s)':<14}{c.torch.seconds:>18.4f}{c.liblinreg.seconds:>18.4f}{'':>11}"
    if wide:
        row += f"{c.torch64.seconds:>18.4f}{'':>22}"
    lines.append(row + "  (not compared)")
    verdict = "OK" if c.ok else "FAIL"
    if wide:
        lines.append(
            f"largest relative difference: {c.max_rel_diff:.3e} from PyTorch float32 (allowed {c.rtol:g} + PyTorch's "
            f"own float32 error, 'f32 error'), {c.max_rel_diff64:.3e} from PyTorch float64 (allowed {c.rtol:g}) -> {verdict}"
        )
    else:
        lines.append(f"largest relative difference: {c.max_rel_diff:.3e} (tolerance {c.rtol:g}) -> {verdict}")
    for f in c.failures:
        lines.append(f"  FAIL {f}")
    return "\n".join(lines)


def format_exact(e: ExactResult, gd: Optional[Comparison] = None) -> str:
    title = "4. Exact least squares on the training rows (float64)"
    lines = [title, "=" * len(title)]
    names = ["intercept"] + [f"w[{n}]" for n in FEATURES] + ["train MSE", "test MSE", "time (s)"]
    cols = list(e.coef)
    if gd is not None:
        cols_gd = ["liblinreg GD (1000 ep.)"]
    else:
        cols_gd = []
    head = f"{'':<12}" + "".join(f"{c:>26}" for c in cols + cols_gd)
    lines += [head, "-" * len(head)]
    for i, n in enumerate(names):
        row = f"{n:<12}"
        for col in cols:
            if i < 4:
                v = e.coef[col][i]
            elif n == "train MSE":
                v = e.train_mse[col]
            elif n == "test MSE":
                v = e.test_mse[col]
            else:
                v = e.seconds[col]
            row += f"{_num(v):>26}"
        if gd is not None:
            r = gd.liblinreg
            gv = [r.bias, *r.weights, r.train_mse, r.test_mse, r.seconds][i]
            row += f"{_num(gv):>26}"
        lines.append(row)
    lines.append(f"largest relative difference between the exact solutions: {e.max_rel_diff:.3e}")
    if gd is not None:
        opt = e.test_mse["liblinreg exact"]
        lines.append(
            f"after {len(gd.liblinreg.losses)} epochs of GD the test MSE is {gd.liblinreg.test_mse:.4g} "
            f"vs {opt:.4g} at the optimum ({gd.liblinreg.test_mse / opt:.2f}x); the intercept has moved "
            f"from {gd.init_bias:.4g} to {gd.liblinreg.bias:.4g} of the optimum's {e.coef['liblinreg exact'][0]:.4g}"
        )
    return "\n".join(lines)


@dataclass
class Report:
    scratch: Comparison
    builtins: Comparison
    shuffled: ShuffledComparison
    exact: ExactResult
    split: Split

    @property
    def ok(self) -> bool:
        return self.scratch.ok and self.builtins.ok and self.shuffled.ok

    def text(self) -> str:
        parts = [format_comparison(self.scratch), format_comparison(self.builtins), format_shuffled(self.shuffled)]
        parts.append(format_exact(self.exact, self.scratch))
        return "\n\n".join(parts)


def progress_bar_fit(split: Split, epochs: int = GD_EPOCHS, lr: float = GD_LR, stream=None, width: int = 40) -> int:
    """The seed's GD through liblinreg with a text progress bar drawn by the
    per-epoch callback (called from C through ctypes); returns the number of
    epochs the callback saw."""
    stream = stream if stream is not None else sys.stdout
    seen = 0

    def draw(epoch: int, loss: float) -> bool:
        nonlocal seen
        seen += 1
        done = epoch + 1
        if done == epochs or done % max(1, epochs // 50) == 0:
            filled = width * done // epochs
            stream.write(f"\r  liblinreg GD [{'#' * filled}{'.' * (width - filled)}] {done:>{len(str(epochs))}}/{epochs} epochs, loss {loss:10.4f}")
            stream.flush()
        return True

    linreg.LinearRegression(solver="gd", learning_rate=lr, epochs=epochs, callback=draw).fit(split.X_train, split.y_train)
    stream.write("\n")
    return seen


def run_all(data: Optional[os.PathLike] = None, seed: int = 42, shuffle_runs: int = SHUFFLE_RUNS) -> Report:
    split = load_split(data)
    return Report(
        compare_scratch(split, seed),
        compare_builtins(split, seed),
        compare_shuffled(split, seed, runs=shuffle_runs),
        exact_solutions(load_split(data, np.float64)),
        split,
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", help=f"Advertising CSV (default ${DATA_ENV}, else {DEFAULT_DATA})")
    ap.add_argument("--seed", type=int, default=42, help="torch.manual_seed for the initial weights (default 42)")
    ap.add_argument("--plots", metavar="DIR", help="also write the demo pictures into DIR")
    ap.add_argument(
        "--shuffle-runs", type=int, default=SHUFFLE_RUNS,
        help=f"shuffle seeds per side in the shuffled comparison (default {SHUFFLE_RUNS})",
    )
    args = ap.parse_args(argv)
    if args.shuffle_runs < 1:
        ap.error("--shuffle-runs must be at least 1")

    print(f"liblinreg {linreg.library_version} from {linreg.library_path}")
    print(f"data: {data_path(args.data)}\n")
    print("progress (per-epoch callback from C), the seed's GD from zero weights:")
    progress_bar_fit(load_split(args.data))
    print()
    report = run_all(args.data, args.seed, args.shuffle_runs)
    print(report.text())
    print()
    if report.ok:
        print("parity: OK")
    else:
        bad = [c.title.split(":")[0].split(" (")[0] for c in (report.scratch, report.builtins, report.shuffled) if not c.ok]
        print(f"parity: FAILED ({', '.join(bad)})")
    if args.plots:
        import demo_plots

        paths = demo_plots.make_plots(report, args.plots)
        print(f"\npictures written to {Path(args.plots).resolve()}:")
        for p in paths:
            print(f"  {p.resolve()}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
