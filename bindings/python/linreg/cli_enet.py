"""``linreg fit --lasso ALPHA [--l1-ratio R] [--cv K] [--positive]``: lasso and
elastic net for the ``linreg`` command (see :mod:`linreg.cli`).

* ``--lasso ALPHA``: ``linreg.ElasticNet(alpha=ALPHA, l1_ratio=R)`` (R defaults
  to 1, the lasso);
* ``--cv K``: the penalty chosen by K-fold cross-validation
  (``linreg.LassoCV`` / ``ElasticNetCV``, scikit-learn's contiguous folds and
  alpha grid); with ``--lasso`` too, ALPHA is refused (CV chooses it);
* ``--l1-ratio R``, ``--positive``, ``--tol``, ``--max-iter``: as the estimators'.

The saved model (``--out``) holds the coefficients and the data's statistics;
``linreg predict`` uses it like any other model file.
"""

from __future__ import annotations

import argparse
from typing import Any, Optional

from .cli_data import CliError

__all__ = ["add_arguments", "wanted", "check", "fit"]


def add_arguments(fit: argparse.ArgumentParser, positive_int) -> None:
    """The fit subcommand's lasso / elastic-net options."""
    group = fit.add_argument_group("lasso and elastic net (coordinate descent on the data's statistics)")
    group.add_argument("--lasso", type=float, metavar="ALPHA", help="lasso / elastic-net penalty alpha")
    group.add_argument("--l1-ratio", type=float, metavar="R",
                       help="elastic-net mixing, 0 <= R <= 1 (default 1: the lasso)")
    group.add_argument("--cv", type=positive_int, metavar="K",
                       help="choose alpha by K-fold cross-validation (contiguous folds, 100 penalties)")
    group.add_argument("--positive", action="store_true", help="constrain the coefficients to be >= 0")
    group.add_argument("--tol", type=float, help="duality-gap tolerance (default 1e-4)")
    group.add_argument("--max-iter", type=positive_int, help="coordinate-descent sweeps at most (default 1000)")


def wanted(args: argparse.Namespace) -> bool:
    """True when the command line asks for the lasso / elastic net."""
    return (args.lasso is not None or args.cv is not None or args.l1_ratio is not None or args.positive
            or args.tol is not None or args.max_iter is not None)


def check(args: argparse.Namespace, n_targets: int) -> None:
    """Refuses combinations that do not make sense, before any fitting."""
    if args.lasso is None and args.cv is None:
        raise CliError("--l1-ratio, --positive, --tol and --max-iter need --lasso ALPHA or --cv K")
    if args.lasso is not None and args.cv is not None:
        raise CliError("--lasso ALPHA and --cv K exclude each other: --cv chooses alpha")
    if args.solver != "exact" or args.alpha is not None:
        raise CliError("--lasso/--cv use their own solver: drop --solver and --alpha")
    if args.cv is not None and args.cv < 2:
        raise CliError(f"--cv {args.cv}: cross-validation needs at least 2 folds")
    if args.cv is not None and n_targets > 1:
        raise CliError("--cv chooses alpha for one target only")


def fit(args: argparse.Namespace, X, y, w) -> tuple:
    """Fits the estimator the arguments describe; returns (estimator, headline)."""
    import linreg

    common: dict = {"fit_intercept": not args.no_intercept, "positive": bool(args.positive)}
    if args.tol is not None:
        common["tol"] = args.tol
    if args.max_iter is not None:
        common["max_iter"] = args.max_iter
    ratio = 1.0 if args.l1_ratio is None else args.l1_ratio
    name = "lasso" if ratio == 1.0 else f"elastic net (l1_ratio {ratio!r})"
    if args.cv is not None:
        est: Any = (linreg.LassoCV(cv=args.cv, **common) if ratio == 1.0
                    else linreg.ElasticNetCV(cv=args.cv, l1_ratio=ratio, **common))
        est.fit(X, y, sample_weight=w)
        mse = est.mse_path_.mean(axis=-1)
        head = (f"cross-validated {name} ({args.cv} folds, {len(est.alphas_)} penalties): alpha {est.alpha_!r}, "
                f"mean test MSE {float(mse.min())!r}, duality gap {_gap(est.dual_gap_)}")
    else:
        est = linreg.ElasticNet(alpha=args.lasso, l1_ratio=ratio, **common)
        est.fit(X, y, sample_weight=w)
        head = f"{name} fit (alpha {args.lasso!r}): duality gap {_gap(est.dual_gap_)}, {_iters(est.n_iter_)} sweeps"
    return est, head


def _gap(value: Any) -> str:
    import numpy as np

    return ", ".join(repr(float(v)) for v in np.atleast_1d(value))


def _iters(value: Any) -> str:
    return ", ".join(str(int(v)) for v in (value if isinstance(value, list) else [value]))


def save(est, path: Optional[str]) -> None:
    """Writes the estimator's C model (weights and statistics) to path."""
    if path:
        est._model.save(path)
