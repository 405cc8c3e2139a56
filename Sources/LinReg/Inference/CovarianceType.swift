/// The estimator of the coefficients' covariance that inference uses
/// (`linreg_cov_type` in C; the raw values are the C enum's). Formulas and
/// small-sample corrections: docs/INFERENCE.md.
public enum CovarianceType: Int, Sendable, CaseIterable {
    /// σ²·(XᵀWX)⁺, the classical covariance (statsmodels' `nonrobust`).
    case nonrobust = 0
    /// White's heteroscedasticity-consistent sandwich, no correction.
    case hc0 = 1
    /// HC0 times n/(n − rank).
    case hc1 = 2
    /// Squared scores divided by 1 − hᵢ (leverage).
    case hc2 = 3
    /// Squared scores divided by (1 − hᵢ)².
    case hc3 = 4
    /// Cluster-robust (one- or two-way), with statsmodels' corrections.
    case cluster = 5

    /// The statsmodels spelling, for messages.
    public var name: String {
        switch self {
        case .nonrobust: return "nonrobust"
        case .hc0: return "HC0"
        case .hc1: return "HC1"
        case .hc2: return "HC2"
        case .hc3: return "HC3"
        case .cluster: return "cluster"
        }
    }

    /// Which accumulated meat serves this estimator (nil: none is needed).
    var meatKind: CovarianceMeat.Kind? {
        switch self {
        case .nonrobust: return nil
        case .hc0, .hc1: return .white
        case .hc2: return .leverage
        case .hc3: return .jackknife
        case .cluster: return .cluster
        }
    }
}
