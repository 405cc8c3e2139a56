/// Per-output statistics of an exact fit (`linreg_stat` in C; raw values are the C enum's).
public enum StatisticKind: Int, Sendable, CaseIterable {
    case r2 = 1, adjustedR2 = 2, f = 3, fPValue = 4, logLikelihood = 5, aic = 6, bic = 7
    case sigma = 8, dfModel = 9, dfResid = 10, rank = 11, conditionNumber = 12, n = 13, rss = 14
}

/// Per-coefficient statistics (`linreg_coef_stat` in C).
public enum CoefficientStatisticKind: Int, Sendable, CaseIterable {
    case standardError = 1, t = 2, pValue = 3, confidenceLow = 4, confidenceHigh = 5
}
