"""statsmodels-style summary table for :class:`linreg.LinearRegression`.

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
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence

import numpy as np

from ._model import CoefStat, Stat

if TYPE_CHECKING:  # pragma: no cover
    from .estimator import LinearRegression

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
    def from_estimator(
        cls,
        est: "LinearRegression",
        yname: Optional[str] = None,
        xname: Optional[Sequence[str]] = None,
        title: Optional[str] = None,
    ) -> "Summary":
        stats = est._stats_dict()
        n_features = est.n_features_in_
        if xname is None:
            names = getattr(est, "feature_names_in_", None)
            xname = [str(n) for n in names] if names is not None else [f"x{i + 1}" for i in range(n_features)]
        xname = list(xname)
        if len(xname) != n_features:
            raise ValueError(f"xname has {len(xname)} names for {n_features} features")
        names = (["const"] if est.fit_intercept else []) + xname
        n_targets = 1 if est._y_1d else np.atleast_2d(est.coef_).shape[0]
        if yname is None:
            yname = est._y_name if getattr(est, "_y_name", None) is not None else "y"
        ynames = [str(yname)] if n_targets == 1 else [f"{yname}{i}" for i in range(n_targets)]
        method = "WLS" if est._weighted else "OLS"
        now = _dt.datetime.now()
        coef = stats["coef"]
        W = np.atleast_2d(est.coef_)
        b = np.atleast_1d(np.asarray(est.intercept_, dtype=float))

        def layout(parts, t):
            Wp, bp = parts
            row = Wp[t]
            return np.concatenate([[bp[t]], row]) if est.fit_intercept else row

        blocks = []
        for t in range(n_targets):
            s = {k: float(stats[k][t]) for k in Stat}
            header_left = [
                ("Dep. Variable:", ynames[t]),
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
                ("R-squared:" if est.fit_intercept else "R-squared (uncentered):", _fmt("%#8.3f", s[Stat.R2])),
                (
                    "Adj. R-squared:" if est.fit_intercept else "Adj. R-squared (uncentered):",
                    _fmt("%#8.3f", s[Stat.ADJ_R2]),
                ),
                ("F-statistic:", _fmt("%#8.4g", s[Stat.F])),
                ("Prob (F-statistic):", _fmt("%#6.3g", s[Stat.F_PVALUE])),
                ("Log-Likelihood:", _fmt("%#8.5g", s[Stat.LOGLIK])),
                ("AIC:", _fmt("%#8.4g", s[Stat.AIC])),
                ("BIC:", _fmt("%#8.4g", s[Stat.BIC])),
                ("Cond. No.:", _fmt("%#8.3g", s[Stat.COND])),
            ]
            params = np.concatenate([[b[t]], W[t]]) if est.fit_intercept else W[t]
            table = np.column_stack(
                [
                    params,
                    layout(coef[CoefStat.STDERR], t),
                    layout(coef[CoefStat.T], t),
                    layout(coef[CoefStat.PVALUE], t),
                    layout(coef[CoefStat.CI_LOW], t),
                    layout(coef[CoefStat.CI_HIGH], t),
                ]
            )
            blocks.append(
                {
                    "header": list(itertools.zip_longest(header_left, header_right, fillvalue=("", ""))),
                    "names": names,
                    "table": table,
                    "cond": s[Stat.COND],
                    "rank": s[Stat.RANK],
                    "n_params": len(names),
                }
            )
        title = title or f"liblinreg {method} Regression Results"
        return cls(blocks, title, float(stats["ci_level"]))

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
