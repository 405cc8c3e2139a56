#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Classical inference for an exact (unpenalised) least-squares fit, with the
/// definitions of statsmodels 0.15 `OLS(...).fit()` / `WLS(...).fit()`
/// results, computed from a `LeastSquaresFit` alone (the data is not read
/// again).
///
/// Per output j, with n rows, r = rank of the full design, k_c = 1 when an
/// intercept is fitted (else 0), RSS and TSS from the fit (TSS centred about
/// the weighted mean with an intercept, uncentred Σ w y² without):
///
/// | statistic | definition (statsmodels name) |
/// |---|---|
/// | R² | 1 − RSS/TSS (`rsquared`: centred with intercept, uncentred without) |
/// | adjusted R² | 1 − (n − k_c)/df_resid · (1 − R²) (`rsquared_adj`) |
/// | df_model, df_resid | r − k_c, n − r |
/// | F, its p-value | ((TSS − RSS)/df_model) / (RSS/df_resid) (`fvalue`), P(F(df_model, df_resid) > F) (`f_pvalue`) |
/// | log-likelihood | −n/2·log 2π − n/2·log(RSS/n) − n/2 + ½ Σ log wᵢ (`llf`; the last term is WLS's) |
/// | AIC, BIC | −2 llf + 2 (df_model + k_c), −2 llf + log n · (df_model + k_c) |
/// | σ | √(RSS/df_resid), the square root of statsmodels' `scale` |
///
/// Per coefficient, with V = (XᵀWX)⁺ (`normalized_cov_params`, shared by all
/// outputs) and scale_j = RSS_j/df_resid: standard error √(scale_j · V_ii)
/// (`bse`), t = coef/se (`tvalues`), two-sided p = 2 P(T_{df_resid} > |t|)
/// (`pvalues`), confidence interval coef ∓ t_{(1+level)/2, df_resid} · se
/// (`conf_int(alpha = 1 − level)`).
///
/// Degenerate cases give NaN rather than trapping (statsmodels gives nan or
/// ±inf there):
/// - df_resid ≤ 0 (n ≤ rank, a perfect fit): σ, adjusted R², F, its p-value,
///   and every coefficient statistic are NaN (no residual variance estimate);
///   the fit interpolates, so its RSS is rounding noise and the likelihood is
///   unbounded: llf = +∞, AIC = BIC = −∞ (as for RSS = 0), never a finite
///   number computed from that noise;
/// - df_model = 0 (nothing but the intercept, or an all-zero design): F and
///   its p-value are NaN;
/// - TSS = 0 (constant response): R², adjusted R², F and its p-value are NaN;
/// - RSS = 0 with df_resid > 0: the likelihood is unbounded, so llf = +∞,
///   AIC = BIC = −∞, F = +∞ and its p-value 0 (as statsmodels);
/// - n = 0: only the counts (n, rank, degrees of freedom), RSS and the
///   condition number are reported; everything else is NaN;
/// - no covariance (a penalised fit) or arrays shorter than the shapes
///   promise: the affected entries are NaN.
public struct RegressionStatistics: Sendable, Equatable {
    /// d, the number of features.
    public let featureCount: Int
    /// k, the number of outputs.
    public let outputCount: Int
    /// Whether the fit has an intercept (statsmodels' k_constant = 1).
    public let fitIntercept: Bool
    /// n − rank (statsmodels' `df_resid`), shared by all outputs.
    public let residualDegreesOfFreedom: Double
    /// rank − k_c (statsmodels' `df_model`), shared by all outputs.
    public let modelDegreesOfFreedom: Double
    /// Per output: RSS/df_resid (statsmodels' `scale`), NaN when df_resid ≤ 0.
    public let scales: [Double]

    /// The fit everything below is derived from; equality compares it (and
    /// the shapes), since derived tables hold NaN in degenerate cases and NaN
    /// never equals itself.
    private let fit: LeastSquaresFit

    /// Per-output statistics, indexed by `StatisticKind.allCases` order.
    private let table: [[Double]]
    /// k·d weights then k intercepts (NaN intercepts without an intercept).
    private let coefficients: [Double]

    public init(fit: LeastSquaresFit, nFeatures: Int, nOutputs: Int, fitIntercept: Bool) {
        let d = Swift.max(0, nFeatures)
        let k = Swift.max(0, nOutputs)
        featureCount = d
        outputCount = k
        self.fitIntercept = fitIntercept
        self.fit = fit

        let n = Double(fit.observationCount)
        let kConstant = fitIntercept ? 1.0 : 0.0
        let rank = Double(fit.rank)
        let dfModel = rank - kConstant
        let dfResid = n - rank
        residualDegreesOfFreedom = dfResid
        modelDegreesOfFreedom = dfModel

        func entry(_ array: [Double], _ index: Int) -> Double {
            index >= 0 && index < array.count ? array[index] : .nan
        }

        var scales = [Double](repeating: .nan, count: k)
        var columns = [[Double]](repeating: [Double](repeating: .nan, count: k), count: StatisticKind.allCases.count)
        for j in 0..<k {
            let rss = entry(fit.residualSumOfSquares, j)
            let tss = entry(fit.totalSumOfSquares, j)
            let row = Self.outputStatistics(rss: rss, tss: tss, n: n, rank: rank, kConstant: kConstant,
                                            sumLogWeights: fit.sumLogWeights)
            for (column, kind) in StatisticKind.allCases.enumerated() {
                columns[column][j] = row[kind] ?? .nan
            }
            scales[j] = dfResid > 0 ? rss / dfResid : .nan
        }
        self.scales = scales
        table = columns

        var coefficients = [Double](repeating: .nan, count: k * d + k)
        for j in 0..<k {
            for i in 0..<d { coefficients[j * d + i] = entry(fit.weights, j * d + i) }
            if fitIntercept { coefficients[k * d + j] = entry(fit.intercepts, j) }
        }
        self.coefficients = coefficients
    }

    /// The diagonal of the fit's unscaled covariance (features, then the
    /// intercept; NaN where there is none), read when a coefficient
    /// statistic is asked for (a deferred covariance is computed then).
    private var unscaledVariances: [Double] {
        let d = featureCount
        let p = d + (fitIntercept ? 1 : 0)
        var variances = [Double](repeating: .nan, count: d + 1)
        if let covariance = fit.unscaledCovariance, covariance.count == p * p {
            for i in 0..<p { variances[i] = covariance[i * p + i] }
        }
        return variances
    }

    /// Equal when built from equal fits with the same shapes (every other
    /// stored value is a function of those).
    public static func == (lhs: RegressionStatistics, rhs: RegressionStatistics) -> Bool {
        lhs.featureCount == rhs.featureCount && lhs.outputCount == rhs.outputCount
            && lhs.fitIntercept == rhs.fitIntercept && lhs.fit == rhs.fit
    }

    /// The statistics of one output; nil entries become NaN.
    private static func outputStatistics(rss: Double, tss: Double, n: Double, rank: Double, kConstant: Double,
                                         sumLogWeights: Double) -> [StatisticKind: Double] {
        let dfModel = rank - kConstant
        let dfResid = n - rank
        var row: [StatisticKind: Double] = [
            .dfModel: dfModel, .dfResid: dfResid, .rank: rank,
            .n: n, .rss: rss,
        ]
        guard n > 0 else { return row }

        let r2 = tss > 0 ? 1 - rss / tss : Double.nan
        row[.r2] = r2
        if dfResid > 0 {
            row[.adjustedR2] = 1 - (n - kConstant) / dfResid * (1 - r2)
            row[.sigma] = (rss / dfResid).squareRoot()
            if dfModel > 0, tss > 0 {
                let f = ((tss - rss) / dfModel) / (rss / dfResid)
                row[.f] = f
                row[.fPValue] = FisherF.sf(f, d1: dfModel, d2: dfResid)
            }
        }
        let halfN = 0.5 * n
        let logLikelihood = dfResid > 0
            ? -halfN * log(2 * Double.pi) - halfN * log(rss / n) - halfN + 0.5 * sumLogWeights
            : Double.infinity
        let parameterCount = dfModel + kConstant
        row[.logLikelihood] = logLikelihood
        row[.aic] = -2 * logLikelihood + 2 * parameterCount
        row[.bic] = -2 * logLikelihood + log(n) * parameterCount
        return row
    }

    /// k values, one per output.
    public func values(_ kind: StatisticKind) -> [Double] {
        // The fit computes its condition number when first asked (FitSpectrum).
        if kind == .conditionNumber { return [Double](repeating: fit.conditionNumber, count: outputCount) }
        guard let column = StatisticKind.allCases.firstIndex(of: kind) else {
            return [Double](repeating: .nan, count: outputCount)
        }
        return table[column]
    }

    /// k*d weight entries (row-major, like the weights) then k intercept entries; intercept entries NaN when no intercept was fitted.
    ///
    /// `ciLevel` (e.g. 0.95) is used by the confidence bounds only and must
    /// lie strictly between 0 and 1 (NaN bounds otherwise).
    public func coefficientValues(_ kind: CoefficientStatisticKind, ciLevel: Double) -> [Double] {
        let d = featureCount, k = outputCount
        var result = [Double](repeating: .nan, count: k * d + k)
        let df = residualDegreesOfFreedom
        // t_{(1+level)/2, df} as an upper-tail quantile: (1 − level)/2 is exact for level ≥ ½.
        var criticalValue = Double.nan
        if kind == .confidenceLow || kind == .confidenceHigh, ciLevel > 0, ciLevel < 1, df > 0 {
            criticalValue = StudentT.upperQuantile(0.5 * (1 - ciLevel), df: df)
        }
        let variances = unscaledVariances
        for index in 0..<(k * d + k) {
            let isIntercept = index >= k * d
            if isIntercept && !fitIntercept { continue }
            let output = isIntercept ? index - k * d : index / Swift.max(d, 1)
            let parameter = isIntercept ? d : index % Swift.max(d, 1)
            let coefficient = coefficients[index]
            let standardError = (scales[output] * variances[parameter]).squareRoot()
            switch kind {
            case .standardError:
                result[index] = standardError
            case .t:
                result[index] = coefficient / standardError
            case .pValue:
                result[index] = df > 0 ? StudentT.twoSidedPValue(coefficient / standardError, df: df) : .nan
            case .confidenceLow:
                result[index] = coefficient - criticalValue * standardError
            case .confidenceHigh:
                result[index] = coefficient + criticalValue * standardError
            case .estimate:
                result[index] = coefficient
            case .aliased:
                result[index] = 0
            }
        }
        return result
    }
}
