"""The picture of ``linreg plot``: actual versus predicted, with the y = x line (as the demo draws it)."""

from __future__ import annotations

import numpy as np


def actual_vs_predicted(actual: np.ndarray, predicted: np.ndarray, target: str, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    actual = np.asarray(actual, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.float64)
    mse = float(np.mean((actual - predicted) ** 2))
    fig, ax = plt.subplots(figsize=(6.4, 5.6), dpi=100)
    try:
        ax.scatter(actual, predicted, s=24, alpha=0.8, label=f"{len(actual)} rows (MSE {mse:.4g})")
        lo = float(min(actual.min(), predicted.min()))
        hi = float(max(actual.max(), predicted.max()))
        pad = 0.05 * (hi - lo or 1.0)
        ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="black", lw=1, ls="--", label="y = x")
        ax.set_xlabel(f"actual {target}")
        ax.set_ylabel(f"predicted {target}")
        ax.set_title(f"{target}: actual versus predicted")
        ax.legend(loc="upper left")
        fig.tight_layout()
        fig.savefig(path, format=path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else "png")
    finally:
        plt.close(fig)
