"""statsmodels-style summary table of a fit (:meth:`linreg.RegressionResults.summary`).

``print(model.summary())`` shows, per target, the fit statistics (R^2,
adjusted R^2, F and its p-value, log-likelihood, AIC, BIC, the covariance
type), the coefficient table (coef, std err, t, P>|t| and the confidence
interval at the estimator's ``ci_level``; z and P>|z| when the statistics
use the normal distribution, as statsmodels' robust covariance types do by
default) and, when the fit's rows are at
hand, statsmodels' residual diagnostics (Omnibus, Durbin-Watson, Jarque-Bera,
skew, kurtosis, with the condition number), the first note naming the
covariance estimator in statsmodels' words, a warning note when the
condition number is large (> 1000, statsmodels' threshold). Aliased columns
of a rank-deficient design are marked as R marks them (their row is NA).
Every number comes from liblinreg. ``as_text()`` (also ``str()``),
``as_html()``, ``as_latex()`` and ``as_dataframe()`` render it.
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


def _covariance_note(cov_type: str) -> str:
    """statsmodels' first note for the covariance type (``cov_kwds["description"]``)."""
    if cov_type.startswith("HC"):
        return f"Standard Errors are heteroscedasticity robust ({cov_type})"
    if cov_type == "cluster":  # statsmodels names its one- and two-way estimator CRV1
        return "Standard Errors are robust to cluster correlation (CRV1)"
    return "Standard Errors assume that the covariance matrix of the errors is correctly specified."


class Summary:
    """A rendered regression summary: ``str(summary)`` or ``print(summary)``.

    Attributes
    ----------
    blocks : list of dict
        Per target: ``"header"`` (list of (label, value) pairs),
        ``"names"``, and ``"table"`` (rows of coef, std err, t, P>|t|, low, high).
    """

    def __init__(self, blocks: List[Dict[str, Any]], title: str, ci_level: float, use_t: bool = True) -> None:
        self.blocks = blocks
        self.title = title
        self.ci_level = ci_level
        self.use_t = use_t

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
        cov_type: str = "nonrobust",
        use_t: bool = True,
        diagnostics: Optional[Sequence[Dict[str, float]]] = None,
        aliased: Optional[Sequence[Sequence[bool]]] = None,
        n_dropped: int = 0,
    ) -> "Summary":
        """The summary of one fit, per target: ``tables[t]`` has one row per
        parameter (coef, std err, t, P>|t|, low, high), ``stats[t]`` the fit
        statistics, ``diagnostics[t]`` the residual diagnostics (keys of
        :attr:`linreg.RegressionResults.diagn`) or None, ``aliased[t]`` one
        flag per parameter; ``use_t``: whether the table's statistics are t
        (else z, normal). :meth:`linreg.RegressionResults.summary` calls this."""
        method = "WLS" if weighted else "OLS"
        now = _dt.datetime.now()
        blocks = []
        for t, (table, s, yname) in enumerate(zip(tables, stats, ynames)):
            diagn = diagnostics[t] if diagnostics is not None else None
            header_left = [
                ("Dep. Variable:", str(yname)),
                ("Model:", method),
                ("Method:", "Least Squares"),
                ("Date:", now.strftime("%a, %d %b %Y")),
                ("Time:", now.strftime("%H:%M:%S")),
                ("No. Observations:", _fmt("%d", s[Stat.N])),
                ("Df Residuals:", _fmt("%d", s[Stat.DF_RESID])),
                ("Df Model:", _fmt("%d", s[Stat.DF_MODEL])),
                ("Covariance Type:", str(cov_type)),
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
            ]
            diagn_rows = []
            if diagn is None:
                header_right.append(("Cond. No.:", _fmt("%#8.3g", s[Stat.COND])))
            else:  # statsmodels' residual block; the condition number moves there
                diagn_rows = list(zip(
                    [("Omnibus:", _fmt("%#6.3f", diagn["omni"])), ("Prob(Omnibus):", _fmt("%#6.3f", diagn["omnipv"])),
                     ("Skew:", _fmt("%#6.3f", diagn["skew"])), ("Kurtosis:", _fmt("%#6.3f", diagn["kurtosis"]))],
                    [("Durbin-Watson:", _fmt("%#8.3f", diagn["durbin_watson"])),
                     ("Jarque-Bera (JB):", _fmt("%#8.3f", diagn["jb"])), ("Prob(JB):", _fmt("%#8.3g", diagn["jbpv"])),
                     ("Cond. No.", _fmt("%#8.3g", s[Stat.COND]))],
                ))
            blocks.append(
                {
                    "header": list(itertools.zip_longest(header_left, header_right, fillvalue=("", ""))),
                    "names": list(names),
                    "table": np.asarray(table, dtype=np.float64),
                    "cond": s[Stat.COND],
                    "rank": s[Stat.RANK],
                    "n_params": len(names),
                    "diagnostics": diagn_rows,
                    "aliased": [bool(a) for a in (aliased[t] if aliased is not None else [False] * len(names))],
                    "n_dropped": int(n_dropped),
                    "cov_type": str(cov_type),
                }
            )
        title = title or f"liblinreg {method} Regression Results"
        return cls(blocks, title, float(ci_level), bool(use_t))

    # ------------------------------------------------------------------
    def _ci_labels(self) -> List[str]:
        lo = (1.0 - self.ci_level) / 2.0
        return [f"[{lo:.3g}", f"{1.0 - lo:.3g}]"]

    def _heads(self) -> List[str]:
        """The coefficient table's column heads (statsmodels': t or z by the distribution)."""
        stat = "t" if self.use_t else "z"
        return ["coef", "std err", stat, f"P>|{stat}|"] + self._ci_labels()

    @staticmethod
    def _cells(block: Dict[str, Any]) -> List[List[str]]:
        """The coefficient table's cells, per parameter (``NA`` for an aliased column, as R)."""
        out = []
        for row, aliased in zip(block["table"], block["aliased"]):
            if aliased:
                out.append(["NA"] * 6)
                continue
            # statsmodels' formats: coef to 4 places, P>|t| fixed to 3 places, the rest to 3
            cells = [_forg(row[0], 4), _forg(row[1], 3), _forg(row[2], 3), _fixed(row[3], 3)]
            out.append(cells + [_forg(v, 3) for v in row[4:]])
        return out

    @staticmethod
    def _notes(block: Dict[str, Any]) -> List[str]:
        notes = [_covariance_note(block.get("cov_type", "nonrobust"))]
        cond = block["cond"]
        if np.isfinite(cond) and cond > CONDITION_WARNING_THRESHOLD:
            notes.append(
                f"The condition number is large, {cond:.3g}. This might indicate that there are\n"
                "strong multicollinearity or other numerical problems."
            )
        dropped = [name for name, a in zip(block["names"], block["aliased"]) if a]
        if dropped:
            notes.append(
                f"Coefficients: {len(dropped)} not defined because of singularities (aliased: {', '.join(dropped)}): "
                "the\nother estimates are those of the design without them, as R's lm."
            )
        elif block["rank"] < block["n_params"]:
            notes.append(
                f"The design matrix is rank deficient (rank {int(block['rank'])} < {block['n_params']} parameters)."
            )
        if block["n_dropped"]:
            notes.append(f"{block['n_dropped']} row(s) with missing values were dropped before the fit (missing='drop').")
        return notes

    def as_text(self) -> str:
        """The summary as plain text (statsmodels' layout)."""
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
            heads = self._heads()
            out.append(" " * name_w + "".join(h.rjust(_COL) for h in heads))
            out.append("-" * width)
            for name, cells in zip(names, self._cells(block)):
                out.append(name.ljust(name_w) + "".join(c.rjust(_COL) for c in cells))
            out.append("=" * width)
            if block["diagnostics"]:
                for (l_label, l_val), (r_label, r_val) in block["diagnostics"]:
                    out.append(_pair(l_label, l_val, half) + "   " + _pair(r_label, r_val, width - half - 3))
                out.append("=" * width)
            out.append("")
            out.append("Notes:")
            out.extend(f"[{i + 1}] {note}" for i, note in enumerate(self._notes(block)))
            out.append("")
        return "\n".join(out).rstrip("\n")

    def as_html(self) -> str:
        """The summary as HTML tables (statsmodels' ``simpletable`` class)."""
        e = html.escape
        out: List[str] = []
        for block in self.blocks:
            out.append('<table class="simpletable">')
            out.append(f"<caption>{e(self.title)}</caption>")
            for (l_label, l_val), (r_label, r_val) in block["header"]:
                out.append(f"<tr><th>{e(l_label)}</th><td>{e(l_val)}</td><th>{e(r_label)}</th><td>{e(r_val)}</td></tr>")
            out.append("</table>")
            out.append('<table class="simpletable">')
            heads = [""] + self._heads()
            out.append("<tr>" + "".join(f"<th>{e(h)}</th>" for h in heads) + "</tr>")
            for name, cells in zip(block["names"], self._cells(block)):
                out.append(f"<tr><th>{e(name)}</th>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
            out.append("</table>")
            if block["diagnostics"]:
                out.append('<table class="simpletable">')
                for (l_label, l_val), (r_label, r_val) in block["diagnostics"]:
                    out.append(f"<tr><th>{e(l_label)}</th><td>{e(l_val)}</td><th>{e(r_label)}</th>"
                               f"<td>{e(r_val)}</td></tr>")
                out.append("</table>")
            notes = "<br/>".join(f"[{i + 1}] {e(n)}" for i, n in enumerate(self._notes(block)))
            out.append(f"<p>Notes:<br/>{notes}</p>")
        return "\n".join(out)

    def as_latex(self) -> str:
        """The summary as LaTeX ``tabular`` environments (statsmodels' ``as_latex`` layout)."""
        special = {"\\": "\\textbackslash{}", "&": "\\&", "%": "\\%", "$": "\\$", "#": "\\#", "_": "\\_",
                   "{": "\\{", "}": "\\}", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}"}

        def tex(text: str) -> str:
            return "".join(special.get(ch, ch) for ch in text).replace("\n", " ")

        out: List[str] = []
        for block in self.blocks:
            out.append("\\begin{center}")
            out.append("\\begin{tabular}{lclc}")
            out.append("\\toprule")
            out.append(f"\\multicolumn{{4}}{{c}}{{{tex(self.title)}}} \\\\")
            out.append("\\midrule")
            for (l_label, l_val), (r_label, r_val) in block["header"]:
                out.append(f"\\textbf{{{tex(l_label)}}} & {tex(l_val)} & \\textbf{{{tex(r_label)}}} & {tex(r_val)} \\\\")
            out.append("\\bottomrule")
            out.append("\\end{tabular}")
            out.append("\\begin{tabular}{lcccccc}")
            heads = [""] + self._heads()
            out.append(" & ".join(f"\\textbf{{{tex(h)}}}" if h else "" for h in heads) + " \\\\")
            out.append("\\midrule")
            for name, cells in zip(block["names"], self._cells(block)):
                out.append(f"\\textbf{{{tex(name)}}} & " + " & ".join(tex(c) for c in cells) + " \\\\")
            out.append("\\bottomrule")
            out.append("\\end{tabular}")
            if block["diagnostics"]:
                out.append("\\begin{tabular}{lclc}")
                for (l_label, l_val), (r_label, r_val) in block["diagnostics"]:
                    out.append(f"\\textbf{{{tex(l_label)}}} & {tex(l_val)} & \\textbf{{{tex(r_label)}}} & "
                               f"{tex(r_val)} \\\\")
                out.append("\\bottomrule")
                out.append("\\end{tabular}")
            out.append("%\\caption{" + tex(self.title) + "}")
            out.append("\\end{center}")
            out.append("")
            out.append("Notes: \\newline")
            out.extend(f" [{i + 1}] {tex(n)} \\newline" for i, n in enumerate(self._notes(block)))
        return "\n".join(out)

    def __str__(self) -> str:
        return self.as_text()

    def __repr__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(self.as_text()) + "</pre>"

    def as_dataframe(self, target: int = 0):
        """The coefficient table of one target as a pandas DataFrame."""
        import pandas as pd

        block = self.blocks[target]
        return pd.DataFrame(block["table"], index=block["names"], columns=self._heads())
