"""Least squares in exact rational arithmetic: an independent reference for tests.

Every float64 is a rational number, so the least-squares fit of float data
has an exact answer. :func:`exact_fit` computes it with :class:`fractions.Fraction`
(Gauss-Jordan on X'WX): the coefficients, residuals, RSS, the inverse
(X'WX)^-1 and the hat diagonal, all exact. Tests round them to float only at
the end (one rounding, relative error 1.1e-16), so a comparison with them
measures the library's error alone, also on ill-conditioned data (Longley)
where statsmodels' own answer carries errors of cond * eps.

Sample weights enter as w (never sqrt(w)), so any float weight is exact.
"""

from __future__ import annotations

from fractions import Fraction
from typing import List, Optional, Sequence

import numpy as np


class ExactFit:
    """The exact weighted least-squares fit of ``y`` on ``[1, X]`` (or ``X``)."""

    def __init__(self, X: np.ndarray, y: np.ndarray, weights: Optional[np.ndarray] = None,
                 intercept: bool = True) -> None:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        n = X.shape[0]
        rows = [([Fraction(1)] if intercept else []) + [Fraction(float(v)) for v in X[i]] for i in range(n)]
        w = [Fraction(1)] * n if weights is None else [Fraction(float(v)) for v in weights]
        ys = [Fraction(float(v)) for v in y]
        p = len(rows[0])
        gram = [[sum(w[i] * rows[i][a] * rows[i][b] for i in range(n)) for b in range(p)] for a in range(p)]
        rhs = [sum(w[i] * rows[i][a] * ys[i] for i in range(n)) for a in range(p)]
        self.inverse = _inverse(gram)
        self.params = [sum(self.inverse[a][b] * rhs[b] for b in range(p)) for a in range(p)]
        self.resid = [ys[i] - sum(rows[i][a] * self.params[a] for a in range(p)) for i in range(n)]
        self.weights = w
        self.rss = sum(w[i] * self.resid[i] ** 2 for i in range(n))
        self.rows = rows
        self.n, self.p = n, p
        # C x_i for every row: the numerator of DFBETA.
        self.c_x = [[sum(self.inverse[a][b] * rows[i][b] for b in range(p)) for a in range(p)] for i in range(n)]
        self.hat = [w[i] * sum(rows[i][a] * self.c_x[i][a] for a in range(p)) for i in range(n)]

    def influence(self) -> dict:
        """The influence measures in float from the exact pieces (one rounding each, then float
        arithmetic of a few operations: relative error a few 1e-16)."""
        n, p = self.n, self.p
        df = n - p
        rss = float(self.rss)
        s = np.sqrt(rss / df)
        h = np.array([float(v) for v in self.hat])
        we = np.array([np.sqrt(float(self.weights[i])) * float(self.resid[i]) for i in range(n)])
        # RSS - w e^2 / (1 - h) exactly, then rounded: no cancellation in float.
        loo = np.array([float((self.rss - self.weights[i] * self.resid[i] ** 2 / (1 - self.hat[i])) / (df - 1))
                        for i in range(n)])
        s_i = np.sqrt(loo)
        internal = we / (s * np.sqrt(1 - h))
        external = we / (s_i * np.sqrt(1 - h))
        cooks = internal ** 2 * h / (1 - h) / p
        dffits = external * np.sqrt(h / (1 - h))
        press = we / (1 - h)
        cdiag = np.array([float(self.inverse[a][a]) for a in range(p)])
        dfbeta = np.array([[float(self.c_x[i][a] * self.weights[i] * self.resid[i] / (1 - self.hat[i]))
                            for a in range(p)] for i in range(n)])
        dfbetas = dfbeta / (s_i[:, None] * np.sqrt(cdiag)[None, :])
        return dict(hat=h, internal=internal, external=external, cooks=cooks, dffits=dffits, press=press,
                    dfbetas=dfbetas, df=df, wresid=we)


def exact_dyadic_fit(X: np.ndarray, y: np.ndarray, weights: Optional[np.ndarray] = None, *,
                     x_scale: int, y_scale: int, w_scale: int = 1):
    """(coefficients, intercept, RSS) of the exact least-squares fit of y on
    [1, X], rounded once to float, for data that ``x_scale``, ``y_scale`` and
    ``w_scale`` turn into integers (dyadic data: k * 2^-e): the normal
    equations summed as Python ints (fast enough for 10^5 rows, where
    :class:`ExactFit`'s fractions per row are not), solved exactly."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = X.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    for values, scale in ((X, x_scale), (y, y_scale), (w, w_scale)):
        scaled = values * scale
        assert np.array_equal(scaled, np.round(scaled)), "data not integers at the given scale"
    rows = [[x_scale] + [int(v) for v in r] for r in (X * x_scale)]  # a = x_scale * [1, x]
    ys = [int(v) for v in y * y_scale]
    ws = [int(v) for v in w * w_scale]
    p = d + 1
    gram = [[0] * p for _ in range(p)]
    rhs = [0] * p
    for a, yv, wv in zip(rows, ys, ws):
        for i in range(p):
            wa = wv * a[i]
            rhs[i] += wa * yv
            g = gram[i]
            for j in range(i, p):
                g[j] += wa * a[j]
    for i in range(p):
        for j in range(i):
            gram[i][j] = gram[j][i]
    inverse = _inverse([[Fraction(v) for v in row] for row in gram])
    # y_scale * y = sum_i beta_i a_i: beta in the scaled units
    beta = [sum(inverse[i][j] * rhs[j] for j in range(p)) for i in range(p)]
    rss = Fraction(0)
    for a, yv, wv in zip(rows, ys, ws):
        r = yv - sum(b * v for b, v in zip(beta, a))
        rss += wv * r * r
    unit = Fraction(x_scale, y_scale)  # y = sum beta_i (x_scale / y_scale) [1, x]_i
    return (np.array([float(b * unit) for b in beta[1:]]), float(beta[0] * unit),
            float(rss / (y_scale * y_scale * w_scale)))


def _inverse(a: Sequence[Sequence[Fraction]]) -> List[List[Fraction]]:
    """The inverse of a non-singular square matrix of Fractions (Gauss-Jordan, exact)."""
    n = len(a)
    m = [list(row) + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(a)]
    for col in range(n):
        pivot = next(r for r in range(col, n) if m[r][col] != 0)
        m[col], m[pivot] = m[pivot], m[col]
        inv = 1 / m[col][col]
        m[col] = [v * inv for v in m[col]]
        for r in range(n):
            if r != col and m[r][col] != 0:
                f = m[r][col]
                m[r] = [vr - f * vc for vr, vc in zip(m[r], m[col])]
    return [row[n:] for row in m]


def exact_moments(values: Sequence[Fraction]) -> dict:
    """Exact n, mean, central moment sums M2, M3, M4, sum of squares and Durbin-Watson numerator."""
    n = len(values)
    mean = sum(values) / n
    d = [v - mean for v in values]
    return dict(n=n, m2=sum(x ** 2 for x in d), m3=sum(x ** 3 for x in d), m4=sum(x ** 4 for x in d),
                ss=sum(v ** 2 for v in values),
                dw_num=sum((values[t] - values[t - 1]) ** 2 for t in range(1, n)), mean=mean)
