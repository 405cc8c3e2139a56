"""Demo pictures for liblinreg on the Advertising data (matplotlib, Agg backend).

Writes into the output folder (default ``<repo>/build/demo``):

* ``actual_vs_predicted.png``: actual vs predicted Sales on the test rows for
  liblinreg's exact solver, its GD run (the seed's 1000 epochs) and
  PyTorch's, with the y = x line;
* ``loss_curve.png``: training loss per epoch on a log scale, liblinreg and
  PyTorch overlaid, for the from-scratch GD half and the builtins SGD half.

They are drawn from the comparison report of ``compare_torch.py``, which
calls :func:`make_plots`::

    python bindings/python/compare_torch.py --plots DIR [--data CSV] [--seed 42]

(``make demo`` writes them to ``build/demo``). This module only draws: it
imports neither ``compare_torch`` nor anything else of this folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import List

import numpy as np


def make_plots(report, out_dir: os.PathLike) -> List[Path]:
    """Draw the two pictures from a ``compare_torch.Report``; returns their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import linreg

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    split = report.split
    y_test = split.y_test.astype(np.float64)
    scratch = report.scratch

    # predictions on the test rows
    exact = linreg.LinearRegression().fit(split.X_train.astype(np.float64), split.y_train.astype(np.float64))
    pred_exact = exact.predict(split.X_test.astype(np.float64))
    gd = linreg.LinearRegression(solver="gd", learning_rate=1e-5, epochs=len(scratch.liblinreg.losses))
    gd.fit(split.X_train, split.y_train, coef_init=scratch.init_weights, intercept_init=scratch.init_bias)
    pred_gd = gd.predict(split.X_test)
    pred_torch = split.X_test.astype(np.float64) @ scratch.torch.weights + scratch.torch.bias

    fig, ax = plt.subplots(figsize=(6.4, 6.0), dpi=110)
    ax.scatter(y_test, pred_exact, s=28, marker="o", label=f"liblinreg exact (test MSE {report.exact.test_mse['liblinreg exact']:.3g})")
    ax.scatter(y_test, pred_gd, s=28, marker="^", alpha=0.8, label=f"liblinreg GD, {len(scratch.liblinreg.losses)} epochs (test MSE {scratch.liblinreg.test_mse:.3g})")
    ax.scatter(y_test, pred_torch, s=60, marker="x", alpha=0.8, label=f"PyTorch GD, same start (test MSE {scratch.torch.test_mse:.3g})")
    lo = float(min(y_test.min(), pred_exact.min(), pred_gd.min(), pred_torch.min()))
    hi = float(max(y_test.max(), pred_exact.max(), pred_gd.max(), pred_torch.max()))
    pad = 0.05 * (hi - lo)
    ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="black", lw=1, ls="--", label="y = x")
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_aspect("equal")
    ax.set_xlabel("actual Sales (test rows)")
    ax.set_ylabel("predicted Sales")
    ax.set_title(f"Advertising: actual vs predicted on {len(y_test)} test rows")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    p1 = out / "actual_vs_predicted.png"
    fig.savefig(p1)
    plt.close(fig)

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), dpi=110)
    for ax, comp, label in (
        (axes[0], report.scratch, "from scratch: full-batch GD, lr 1e-5"),
        (axes[1], report.builtins, "builtins: SGD, batch 5, lr 1e-5, no shuffle"),
    ):
        ep_t = np.arange(len(comp.torch.losses))
        ep_l = np.arange(len(comp.liblinreg.losses))
        ax.plot(ep_t, comp.torch.losses, lw=4, alpha=0.45, color="tab:orange", label="PyTorch")
        ax.plot(ep_l, comp.liblinreg.losses, lw=1.3, color="tab:blue", label="liblinreg")
        ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("training MSE (log scale)")
        sub = f"max rel. diff vs PyTorch float32 {comp.max_rel_diff:.1e}"
        if comp.torch64 is not None:
            sub += f", vs float64 {comp.max_rel_diff64:.1e}"
        ax.set_title(f"{label}\n{sub}", fontsize=10)
        ax.grid(alpha=0.3, which="both")
        ax.legend()
    opt = report.exact.train_mse["liblinreg exact"]
    for ax in axes:
        ax.axhline(opt, color="gray", ls=":", lw=1)
        ax.annotate("exact optimum", xy=(0.98, opt), xycoords=("axes fraction", "data"), ha="right", va="bottom", fontsize=8, color="gray")
    fig.tight_layout()
    p2 = out / "loss_curve.png"
    fig.savefig(p2)
    plt.close(fig)
    return [p1, p2]
