"""Reading and checking the data of the ``linreg`` command (pandas; Parquet through pyarrow).

Every problem raises :class:`CliError` with one line naming the file, the
column and the row; ``linreg.cli.main`` prints it and exits with status 2.
Rows are numbered from 1, the header excluded (row 1 is the first data row).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np


class CliError(Exception):
    """A user error: one line on stderr, exit status 2."""


PARQUET_SUFFIXES = (".parquet", ".pq")


def _pandas():
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is in the test environment
        raise CliError("reading data needs pandas, which is not installed (pip install 'linreg[cli]')") from None
    return pd


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def read_table(path: str):
    """The table in ``path`` (CSV, TSV, or Parquet by suffix) as a DataFrame.

    A CSV's unnamed leading column (the row labels written by R or by
    ``DataFrame.to_csv``, as in ``Advertising.csv``) is dropped.
    """
    pd = _pandas()
    p = Path(path)
    if not p.exists():
        raise CliError(f"{path}: no such file")
    if p.is_dir():
        raise CliError(f"{path}: is a folder, not a data file")
    suffix = p.suffix.lower()
    try:
        if suffix in PARQUET_SUFFIXES:
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise CliError(f"{path}: reading Parquet needs pyarrow (pip install pyarrow)") from None
            df = pd.read_parquet(p, engine="pyarrow")
        else:
            df = pd.read_csv(p, sep="\t" if suffix in (".tsv", ".tab") else ",")
    except CliError:
        raise
    except Exception as exc:  # pandas/pyarrow parse errors, unreadable file, bad encoding
        raise CliError(f"{path}: cannot read the data: {_one_line(exc)}") from None
    if len(df.columns) and str(df.columns[0]).startswith("Unnamed: 0"):
        df = df.drop(columns=df.columns[0])
    if len(df) == 0:
        raise CliError(f"{path}: no data rows")
    return df


def split_names(text: Optional[str]) -> Optional[List[str]]:
    if text is None:
        return None
    names = [n.strip() for n in text.split(",")]
    if not names or any(n == "" for n in names):
        raise CliError(f"empty column name in {text!r}")
    return names


def check_columns(df, path: str, names: Sequence[str], what: str = "column") -> None:
    """Every name is a column of ``df``, once."""
    columns = [str(c) for c in df.columns]
    for name in names:
        if name not in columns:
            shown = ", ".join(columns[:20]) + (", ..." if len(columns) > 20 else "")
            raise CliError(f"{path}: no {what} {name!r} (the columns are: {shown})")
    seen = set()
    for name in names:
        if name in seen:
            raise CliError(f"{path}: column {name!r} is given twice")
        seen.add(name)


def numeric_columns(df, path: str, names: Sequence[str], missing: str = "raise",
                    drop_hint: bool = True) -> Tuple["object", int]:
    """The columns ``names`` of ``df`` as float64 (a new DataFrame), and how many rows were dropped.

    A column that is not numeric fails naming its first value that is not a
    number. Missing values (NaN, empty cells) fail naming the first row and
    column (``missing="raise"``) or drop their rows (``missing="drop"``).
    Infinities always fail.
    """
    pd = _pandas()
    out = pd.DataFrame(index=df.index)
    for name in names:
        col = df[name]
        if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
            if pd.api.types.is_complex_dtype(col):
                raise CliError(f"{path}: column {name!r} is complex, not real numbers")
            out[name] = col.astype("float64")
            continue
        converted = pd.to_numeric(col, errors="coerce")
        bad = converted.isna() & col.notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise CliError(f"{path}: column {name!r} is not numeric: row {row + 1} holds {col.iloc[row]!r}")
        out[name] = converted.astype("float64")
    values = out.to_numpy()
    inf = np.isinf(values)
    if inf.any():
        row, j = np.argwhere(inf)[0]
        raise CliError(f"{path}: column {names[j]!r} is {values[row, j]} at row {row + 1}")
    nan = np.isnan(values)
    dropped = 0
    if nan.any():
        if missing == "drop":
            keep = ~nan.any(axis=1)
            dropped = int((~keep).sum())
            out = out[keep]
            if len(out) == 0:
                raise CliError(f"{path}: every row has a missing value in {', '.join(names)}: nothing left to fit")
        else:
            row, j = np.argwhere(nan)[0]
            hint = " (use --missing drop to drop such rows)" if drop_hint else ""
            raise CliError(f"{path}: missing value in column {names[j]!r} at row {row + 1}{hint}")
    return out, dropped


def write_atomically(path: str, write) -> None:
    """``write(tmp_path)`` then rename onto ``path``: no partial file, even on failure."""
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise CliError(f"{path}: cannot write: the folder {parent} does not exist")
    tmp = parent / f".{target.name}.{os.getpid()}.tmp{target.suffix}"
    try:
        write(str(tmp))
        os.replace(tmp, target)
    except CliError:
        raise
    except Exception as exc:
        raise CliError(f"{path}: cannot write: {_one_line(exc)}") from None
    finally:
        if tmp.exists():
            tmp.unlink()
