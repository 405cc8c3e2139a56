"""The ``linreg`` command: fit, predict, summary and plot from data files.

::

    linreg fit DATA --target COL [--features A,B,...] [--solver exact|gd|sgd] [--alpha A]
               [--learning-rate R] [--epochs N] [--batch-size B] [--shuffle] [--seed S]
               [--weights COL] [--no-intercept] [--missing raise|drop] [--out MODEL]
               [--cov-type nonrobust|HC0|HC1|HC2|HC3|cluster] [--groups COL[,COL2]]
               [--lasso ALPHA | --cv K] [--l1-ratio R] [--positive] [--tol T] [--max-iter N]
    linreg predict MODEL DATA [--out FILE]
    linreg summary MODEL
    linreg plot MODEL DATA --target COL --out FILE.png

DATA is CSV (TSV for ``.tsv``/``.tab``), or Parquet (``.parquet``/``.pq``,
through pyarrow), read with pandas. MODEL is liblinreg's model file
(``LinearRegression.save``, ``linreg_save``). Bad input (a missing file, an
unknown or non-numeric column, a missing value, a corrupt model file) prints
one line on stderr and exits with status 2, leaving no output file behind.
``--cov-type`` chooses the covariance estimator of the summary's standard
errors, tests and intervals (statsmodels' ``cov_type``; ``cluster`` takes its
labels, of any type, from ``--groups``: one column, or two for two-way
clustering); the saved model keeps it. Also ``python -m linreg``.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import List, Optional, Sequence

import numpy as np

from . import cli_enet
from .cli_data import (
    CliError,
    check_columns,
    numeric_columns,
    read_table,
    split_names,
    write_atomically,
)

__all__ = ["main"]

PROG = "linreg"


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (status 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _linreg():
    import linreg  # the package: importing it loads liblinreg

    return linreg


def _lib_message(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# --------------------------------------------------------------------------- progress
class ProgressBar:
    """A one-line progress bar on a terminal (stderr), as a GD/SGD ``callback``."""

    WIDTH = 30

    def __init__(self, epochs: int, stream=None) -> None:
        self.epochs = max(int(epochs), 1)
        self.stream = stream if stream is not None else sys.stderr
        self._last = 0.0
        self.shown = False

    def __call__(self, epoch: int, loss: float) -> None:
        now = time.monotonic()
        done = epoch + 1
        if done < self.epochs and now - self._last < 0.1:
            return None
        self._last = now
        filled = int(self.WIDTH * done / self.epochs)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] epoch {done}/{self.epochs}  loss {loss:.6g}")
        self.stream.flush()
        self.shown = True
        return None

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------- helpers
def _load_model(path: str):
    linreg = _linreg()
    try:
        return linreg.load(path)
    except (linreg.LinregError, OSError) as exc:
        raise CliError(f"{path}: cannot load the model: {_lib_message(exc)}") from None


def _target_names(model, n_targets: int) -> List[str]:
    names = getattr(model, "target_names_", None)
    if names is not None and len(names) == n_targets:
        return [str(n) for n in names]
    return ["prediction"] if n_targets == 1 else [f"prediction_{i}" for i in range(n_targets)]


def _feature_names(model, model_path: str) -> List[str]:
    names = getattr(model, "feature_names_in_", None)
    if names is None:
        raise CliError(
            f"{model_path}: the model file has no feature names, so the data's columns cannot be "
            "matched by name (a model fitted on a pandas DataFrame, as by `linreg fit`, and saved by "
            "this version of liblinreg keeps them)"
        )
    return [str(n) for n in names]


def _params_block(model, targets: Sequence[str], features: Sequence[str], with_r2: bool) -> str:
    """Intercept and coefficients in full precision (repr: the float round-trips), and R^2
    and the standard errors (under the fit's covariance type) with the statistics."""
    coef = np.atleast_2d(np.asarray(model.coef_, dtype=np.float64))
    intercept = np.atleast_1d(np.asarray(model.intercept_, dtype=np.float64))
    r2 = np.atleast_1d(np.asarray(model.rsquared_, dtype=np.float64)) if with_r2 else None
    bse = np.atleast_2d(np.asarray(model.bse_, dtype=np.float64)) if with_r2 else None
    names = (["const"] if model.fit_intercept else []) + list(features)
    width = max(len(n) for n in names + ["R-squared"]) + 2
    lines: List[str] = []
    for k, target in enumerate(targets):
        lines.append(f"Parameters of {target} (full precision):")
        values = ([intercept[k]] if model.fit_intercept else []) + list(coef[k])
        lines.extend(f"  {name:<{width}}{float(v)!r}" for name, v in zip(names, values))
        if r2 is not None:
            lines.append(f"  {'R-squared':<{width}}{float(r2[k])!r}")
        if bse is not None:
            lines.append(f"Standard errors of {target} ({model.cov_type}, full precision):")
            lines.extend(f"  {name:<{width}}{float(v)!r}" for name, v in zip(names, bse[k]))
    return "\n".join(lines)


# --------------------------------------------------------------------------- commands
def cmd_fit(args: argparse.Namespace) -> int:
    linreg = _linreg()
    targets = split_names(args.target)
    features = split_names(args.features)
    group_columns = _check_covariance_arguments(args)
    df = read_table(args.data)
    check_columns(df, args.data, targets, "target column")
    if args.weights is not None:
        check_columns(df, args.data, [args.weights], "weights column")
    if group_columns:
        check_columns(df, args.data, group_columns, "groups column")
    if features is None:
        skip = set(targets) | ({args.weights} if args.weights else set()) | set(group_columns)
        features = [str(c) for c in df.columns if str(c) not in skip]
        if not features:
            raise CliError(f"{args.data}: no feature columns besides the target")
    else:
        check_columns(df, args.data, features, "feature column")
        for name in features:
            if name in targets:
                raise CliError(f"{args.data}: column {name!r} is both a feature and the target")
            if name in group_columns:
                raise CliError(f"{args.data}: column {name!r} is both a feature and a groups column")
    used = list(dict.fromkeys(features + targets + ([args.weights] if args.weights else [])))
    data, dropped = numeric_columns(df, args.data, used, args.missing)
    groups = None
    if group_columns:
        data, groups, more = _group_labels(df, data, args.data, group_columns, args.missing)
        dropped += more
    if dropped:
        print(f"{PROG}: dropped {dropped} row(s) with a missing value in the used columns of "
              f"{args.data}; {len(data)} left", file=sys.stderr)

    if cli_enet.wanted(args):
        return _fit_regularized(args, data, features, targets)
    params = {"solver": args.solver, "fit_intercept": not args.no_intercept}
    for name, value in (("alpha", args.alpha), ("learning_rate", args.learning_rate), ("epochs", args.epochs),
                        ("batch_size", args.batch_size), ("random_state", args.seed)):
        if value is not None:
            params[name] = value
    if args.shuffle:
        params["shuffle"] = True
    if args.cov_type != "nonrobust":
        params["cov_type"] = args.cov_type
    model = linreg.LinearRegression(**params)
    X = data[features]
    y = data[targets[0]] if len(targets) == 1 else data[targets]
    w = data[args.weights].to_numpy() if args.weights else None

    bar = None
    if args.solver != "exact" and sys.stderr.isatty():
        bar = ProgressBar(params.get("epochs", model.epochs))
    try:
        if groups is None:
            model.fit(X, y, sample_weight=w, callback=bar)
        else:
            model.fit(X, y, sample_weight=w, groups=groups)
    except linreg.LinregError as exc:
        raise CliError(f"{args.data}: fit failed: {_lib_message(exc)}") from None
    finally:
        if bar is not None:
            bar.close()

    model.results_.n_dropped = dropped  # --missing drop: the summary notes the rows dropped
    exact_stats = args.solver == "exact" and not (args.alpha or 0.0)
    if exact_stats:
        text = str(model.summary()) + "\n\n" + _params_block(model, targets, features, with_r2=True)
    else:
        history = model.loss_history_
        if args.solver == "exact":
            head = f"ridge fit (alpha {args.alpha!r}); statistics need an unpenalised exact fit"
        else:
            final = float(history[-1]) if len(history) else float("nan")
            head = f"solver {args.solver}: {len(history)} epochs, final loss (MSE) {final!r}"
        text = head + "\n" + _params_block(model, targets, features, with_r2=False)
    if args.out:
        try:
            model.save(args.out)
        except (linreg.LinregError, OSError) as exc:
            raise CliError(f"{args.out}: cannot save the model: {_lib_message(exc)}") from None
    print(text)
    return 0


def _check_covariance_arguments(args: argparse.Namespace) -> List[str]:
    """The ``--groups`` columns (none without them), after refusing what makes no sense."""
    groups = split_names(args.groups) or []
    if args.cov_type == "cluster" and not groups:
        raise CliError("--cov-type cluster needs --groups COL (or COL1,COL2 for two-way clustering)")
    if groups and args.cov_type != "cluster":
        raise CliError("--groups gives cluster labels: it needs --cov-type cluster")
    if len(groups) > 2:
        raise CliError(f"--groups {args.groups}: one column (one-way) or two (two-way clustering)")
    if args.cov_type != "nonrobust" and (args.solver != "exact" or args.alpha or cli_enet.wanted(args)):
        raise CliError(f"--cov-type {args.cov_type}: statistics need an unpenalised exact fit "
                       "(drop --solver, --alpha and --lasso/--cv)")
    return groups


def _group_labels(df, data, path: str, columns: Sequence[str], missing: str):
    """The cluster labels of ``data``'s rows (any type: strings too; an n-vector for one
    column, n x 2 for two), ``data`` without the rows whose label is missing
    (``--missing drop``; else an error naming the row), and how many such rows were dropped."""
    labels = df.loc[data.index, list(columns)]
    absent = labels.isna().to_numpy()
    dropped = 0
    if absent.any():
        if missing != "drop":
            row, j = np.argwhere(absent)[0]
            position = int(df.index.get_indexer([labels.index[row]])[0])
            raise CliError(f"{path}: missing value in groups column {columns[j]!r} at row {position + 1} "
                           "(use --missing drop to drop such rows)")
        keep = ~absent.any(axis=1)
        dropped = int((~keep).sum())
        data, labels = data[keep], labels[keep]
        if len(data) == 0:
            raise CliError(f"{path}: every row has a missing value in the used columns: nothing left to fit")
    values = labels.to_numpy()
    return data, (values[:, 0] if values.shape[1] == 1 else values), dropped


def _prediction_input(model, model_path: str, data_path: str, extra: Sequence[str] = ()):
    features = _feature_names(model, model_path)
    df = read_table(data_path)
    check_columns(df, data_path, features, "feature column")
    if extra:
        check_columns(df, data_path, list(extra), "target column")
    data, _ = numeric_columns(df, data_path, list(dict.fromkeys(list(features) + list(extra))), "raise",
                              drop_hint=False)
    return data, features


def _predict(model, X, data_path: str) -> np.ndarray:
    linreg = _linreg()
    try:
        pred = model.predict(X)
    except linreg.LinregError as exc:
        raise CliError(f"{data_path}: prediction failed: {_lib_message(exc)}") from None
    return pred.reshape(len(X), -1)


def cmd_predict(args: argparse.Namespace) -> int:
    model = _load_model(args.model)
    data, features = _prediction_input(model, args.model, args.data)
    pred = _predict(model, data[features], args.data)
    import pandas as pd

    out = pd.DataFrame(pred, columns=_target_names(model, pred.shape[1]))
    if args.out:
        write_atomically(args.out, lambda tmp: out.to_csv(tmp, index=False))
    else:
        out.to_csv(sys.stdout, index=False)
    return 0


def _fit_regularized(args: argparse.Namespace, data, features: List[str], targets: List[str]) -> int:
    """``fit --lasso``/``--cv`` (linreg.cli_enet)."""
    linreg = _linreg()
    cli_enet.check(args, len(targets))
    X = data[features]
    y = data[targets[0]] if len(targets) == 1 else data[targets]
    w = data[args.weights].to_numpy() if args.weights else None
    try:
        est, head = cli_enet.fit(args, X, y, w)
    except linreg.LinregError as exc:
        raise CliError(f"{args.data}: fit failed: {_lib_message(exc)}") from None
    text = head + "\n" + _params_block(est, targets, features, with_r2=False)
    try:
        cli_enet.save(est, args.out)
    except (linreg.LinregError, OSError) as exc:
        raise CliError(f"{args.out}: cannot save the model: {_lib_message(exc)}") from None
    print(text)
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    linreg = _linreg()
    model = _load_model(args.model)
    try:
        text = str(model.summary())
    except (linreg.LinregError, AttributeError) as exc:
        raise CliError(f"{args.model}: no summary: {_lib_message(exc)}") from None
    print(text)
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    model = _load_model(args.model)
    data, features = _prediction_input(model, args.model, args.data, extra=[args.target])
    pred = _predict(model, data[features], args.data)
    names = _target_names(model, pred.shape[1])
    if pred.shape[1] == 1:
        column = 0
    elif args.target in names:
        column = names.index(args.target)
    else:
        raise CliError(f"{args.model}: the model has {pred.shape[1]} outputs ({', '.join(names)}) and none is "
                       f"named {args.target!r}")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise CliError("the picture needs matplotlib, which is not installed (pip install 'linreg[plot]')") from None
    from .cli_plot import actual_vs_predicted

    actual = data[args.target].to_numpy()
    write_atomically(args.out, lambda tmp: actual_vs_predicted(actual, pred[:, column], args.target, tmp))
    print(f"{PROG}: wrote {args.out}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- parser
def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Linear regression with liblinreg from data files "
                     "(CSV, TSV, Parquet).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    fit = sub.add_parser("fit", help="fit a model; print its summary (exact) or final loss (GD/SGD)")
    fit.add_argument("data", metavar="DATA", help="CSV, TSV or Parquet file")
    fit.add_argument("--target", required=True, metavar="COL", help="target column (A,B for several outputs)")
    fit.add_argument("--features", metavar="A,B,...",
                     help="feature columns (default: every column but the target and the weights)")
    fit.add_argument("--solver", choices=["exact", "gd", "sgd"], default="exact")
    fit.add_argument("--alpha", type=float, help="ridge penalty of the exact solver")
    fit.add_argument("--learning-rate", type=float, help="GD/SGD step size")
    fit.add_argument("--epochs", type=_positive_int, help="GD/SGD passes over the data")
    fit.add_argument("--batch-size", type=_positive_int, help="SGD rows per mini-batch")
    fit.add_argument("--shuffle", action="store_true", help="SGD: reshuffle the rows every epoch")
    fit.add_argument("--seed", type=_positive_int, help="seed of the shuffle")
    fit.add_argument("--weights", metavar="COL", help="column of sample weights (weighted least squares)")
    fit.add_argument("--no-intercept", action="store_true", help="fit no intercept")
    fit.add_argument("--missing", choices=["raise", "drop"], default="raise",
                     help="a missing value in a used column: fail (default) or drop its row")
    fit.add_argument("--out", metavar="MODEL", help="write the fitted model to this file")
    fit.add_argument("--cov-type", choices=["nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"], default="nonrobust",
                     help="covariance estimator of the standard errors, tests and intervals (statsmodels' cov_type)")
    fit.add_argument("--groups", metavar="COL[,COL2]",
                     help="cluster labels for --cov-type cluster: one column, or two for two-way clustering")
    cli_enet.add_arguments(fit, _positive_int)
    fit.set_defaults(func=cmd_fit)

    pred = sub.add_parser("predict", help="predictions as CSV, one column per output")
    pred.add_argument("model", metavar="MODEL")
    pred.add_argument("data", metavar="DATA")
    pred.add_argument("--out", metavar="FILE", help="write the CSV here instead of standard output")
    pred.set_defaults(func=cmd_predict)

    summ = sub.add_parser("summary", help="the statsmodels-style summary of a saved exact fit")
    summ.add_argument("model", metavar="MODEL")
    summ.set_defaults(func=cmd_summary)

    plot = sub.add_parser("plot", help="actual versus predicted, as a picture")
    plot.add_argument("model", metavar="MODEL")
    plot.add_argument("data", metavar="DATA")
    plot.add_argument("--target", required=True, metavar="COL", help="column of actual values")
    plot.add_argument("--out", required=True, metavar="FILE.png")
    plot.set_defaults(func=cmd_plot)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command; returns the exit status (0, or 2 for bad input)."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        sys.stdout.flush()
        print(f"{PROG} {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `linreg predict ... | head`
        return 0
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
