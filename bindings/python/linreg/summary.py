"""statsmodels-style summary table of a fit (:meth:`linreg.RegressionResults.summary`).

``print(model.summary())`` shows, per target, the fit statistics (R^2,
adjusted R^2, F and its p-value, log-likelihood, AIC, BIC, the condition
number) and the coefficient table (coef, std err, t, P>|t| and the confidence
interval at the estimator's ``ci_level``), with a warning note when the
condition number is large (> 1000, statsmodels' threshold). Every number
comes from liblinreg.
"""

from __future__ import annotations

import datetime as _dt
import html
import itertools
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from ._model import Stat

__all__ = ["Summary"]

CONDITION_WARNING_THRESHOLD = 1000.0
_COL = 11  # width of a numeric column of the coefficient table


def _fmt(template: str, value: float) -> str:
    if value is None or not np.isfinite(value):
        return "nan" if value is None or np.isnan(value) else ("inf" if value > 0 else "-inf")
    return (template % value).strip()


def _forg(x: float, prec: int) -> str:
    """statsmodels' number format in tables: fixed, or %g for tiny/huge."""
    if not np.isfinite(x):
        return "nan" if np.isnan(x) else ("inf" if x > 0 else "-inf")
    if x != 0 and (abs(x) >= 1e4 or abs(x) < 10.0 ** (-prec)):
        return "%.*g" % (prec, x)
    return "%.*f" % (prec, x)


def _fixed(x: float, prec: int) -> str:
    if not np.isfinite(x):
        return "nan" if np.isnan(x) else ("inf" if x > 0 else "-inf")
    return "%.*f" % (prec, x)


def _pair(label: str, value: str, width: int) -> str:
    if not label and not value:
        return " " * width
    return label + value.rjust(max(width - len(label), len(value) + 1))


class Summary:
    """A rendered regression summary: ``str(summary)`` or ``print(summary)``.

    Attributes
    ----------
    blocks : list of dict
        Per target: ``"header"`` (list of (label, value) pairs),
        ``"names"``, and ``"table"`` (rows of coef, std err, t, P>|t|, low, high).
    """

    def __init__(self, blocks: List[Dict[str, Any]], title: str, ci_level: float) -> None:
        self.blocks = blocks
        self.title = title
        self.ci_level = ci_level

    @classmethod
    def build(
        cls,
        *,
        tables: Sequence[np.ndarray],
        stats: Sequence[Dict[Stat, float]],
        names: Sequence[str],
        ynames: Sequence[str],
        fit_intercept: bool,
        weighted: bool,
        ci_level: float,
        title: Optional[str] = None,
    ) -> "Summary":
        """The summary of one fit, per target: ``tables[t]`` has one row per
        parameter (coef, std err, t, P>|t|, low, high), ``stats[t]`` the fit
        statistics. :meth:`linreg.RegressionResults.summary` calls this."""
        method = "WLS" if weighted else "OLS"
        now = _dt.datetime.now()
        blocks = []
        for table, s, yname in zip(tables, stats, ynames):
            header_left = [
                ("Dep. Variable:", str(yname)),
                ("Model:", method),
                ("Method:", "Least Squares"),
                ("Date:", now.strftime("%a, %d %b %Y")),
                ("Time:", now.strftime("%H:%M:%S")),
                ("No. Observations:", _fmt("%d", s[Stat.N])),
                ("Df Residuals:", _fmt("%d", s[Stat.DF_RESID])),
                ("Df Model:", _fmt("%d", s[Stat.DF_MODEL])),
                ("Covariance Type:", "nonrobust"),
            ]
            header_right = [
                ("R-squared:" if fit_intercept else "R-squared (uncentered):", _fmt("%#8.3f", s[Stat.R2])),
                (
                    "Adj. R-squared:" if fit_intercept else "Adj. R-squared (uncentered):",
                    _fmt("%#8.3f", s[Stat.ADJ_R2]),
                ),
                ("F-statistic:", _fmt("%#8.4g", s[Stat.F])),
                ("Prob (F-statistic):", _fmt("%#6.3g", s[Stat.F_PVALUE])),
                ("Log-Likelihood:", _fmt("%#8.5g", s[Stat.LOGLIK])),
                ("AIC:", _fmt("%#8.4g", s[Stat.AIC])),
                ("BIC:", _fmt("%#8.4g", s[Stat.BIC])),
                ("Cond. No.:", _fmt("%#8.3g", s[Stat.COND])),
            ]
            blocks.append(
                {
                    "header": list(itertools.zip_longest(header_left, header_right, fillvalue=("", ""))),
                    "names": list(names),
                    "table": np.asarray(table, dtype=np.float64),
                    "cond": s[Stat.COND],
                    "rank": s[Stat.RANK],
                    "n_params": len(names),
                }
            )
        title = title or f"liblinreg {method} Regression Results"
        return cls(blocks, title, float(ci_level))

    # ------------------------------------------------------------------
    def as_text(self) -> str:
        lo = (1.0 - self.ci_level) / 2.0
        lo_label, hi_label = f"[{lo:.3g}", f"{1.0 - lo:.3g}]"
        out: List[str] = []
        for block in self.blocks:
            names = block["names"]
            name_w = max(10, max(len(n) for n in names) + 1)
            width = max(78, name_w + 6 * _COL)
            half = (width - 3) // 2
            out.append(self.title.center(width))
            out.append("=" * width)
            for (l_label, l_val), (r_label, r_val) in block["header"]:
                out.append(_pair(l_label, l_val, half) + "   " + _pair(r_label, r_val, width - half - 3))
            out.append("=" * width)
            heads = ["coef", "std err", "t", "P>|t|", lo_label, hi_label]
            out.append(" " * name_w + "".join(h.rjust(_COL) for h in heads))
            out.append("-" * width)
            for name, row in zip(names, block["table"]):
                # statsmodels' formats: coef to 4 places, P>|t| fixed to 3 places, the rest to 3
                cells = [_forg(row[0], 4), _forg(row[1], 3), _forg(row[2], 3), _fixed(row[3], 3)]
                cells += [_forg(v, 3) for v in row[4:]]
                out.append(name.ljust(name_w) + "".join(c.rjust(_COL) for c in cells))
            out.append("=" * width)
            notes = ["[1] Standard Errors assume that the covariance matrix of the errors is correctly specified."]
            cond = block["cond"]
            if np.isfinite(cond) and cond > CONDITION_WARNING_THRESHOLD:
                notes.append(
                    f"[{len(notes) + 1}] The condition number is large, {cond:.3g}. This might indicate that "
                    "there are\nstrong multicollinearity or other numerical problems."
                )
            if block["rank"] < block["n_params"]:
                notes.append(
                    f"[{len(notes) + 1}] The design matrix is rank deficient (rank {int(block['rank'])} < "
                    f"{block['n_params']} parameters): the minimum-norm solution is reported."
                )
            out.append("")
            out.append("Notes:")
            out.extend(notes)
            out.append("")
        return "\n".join(out).rstrip("\n")

    def __str__(self) -> str:
        return self.as_text()

    def __repr__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(self.as_text()) + "</pre>"

    def as_dataframe(self, target: int = 0):
        """The coefficient table of one target as a pandas DataFrame."""
        import pandas as pd

        lo = (1.0 - self.ci_level) / 2.0
        block = self.blocks[target]
        return pd.DataFrame(
            block["table"],
            index=block["names"],
            columns=["coef", "std err", "t", "P>|t|", f"[{lo:.3g}", f"{1.0 - lo:.3g}]"],
        )
