/// Per-output statistics of an exact fit (`linreg_stat` in C; raw values are the C enum's).
public enum StatisticKind: Int, Sendable, CaseIterable {
    case r2 = 1, adjustedR2 = 2, f = 3, fPValue = 4, logLikelihood = 5, aic = 6, bic = 7
    case sigma = 8, dfModel = 9, dfResid = 10, rank = 11, conditionNumber = 12, n = 13, rss = 14
    // Residual diagnostics (statsmodels' summary): from a residual pass, see ResidualDiagnostics.
    case omnibus = 20, omnibusPValue = 21, skew = 22, kurtosis = 23, durbinWatson = 24
    case jarqueBera = 25, jarqueBeraPValue = 26

    /// Whether the value comes from a residual pass (``LinearModel/residualPass(X:Y:sampleWeight:append:)``)
    /// rather than from the fit.
    public var isResidualDiagnostic: Bool { rawValue >= 20 && rawValue <= 26 }
}

/// Per-coefficient statistics (`linreg_coef_stat` in C).
public enum CoefficientStatisticKind: Int, Sendable, CaseIterable {
    case standardError = 1, t = 2, pValue = 3, confidenceLow = 4, confidenceHigh = 5
    /// R's estimate: the coefficient of the reduced design (aliased columns
    /// dropped, see ``ColumnAliasing``) for a kept column, NaN for an aliased one.
    case estimate = 10
    /// 1 for an aliased (dropped) column, 0 for a kept one.
    case aliased = 11
}
