/// Which algorithm a fit runs.
public enum SolverKind: Int, Sendable, CaseIterable {
    /// Least squares or ridge, solved exactly (see `ExactSolver`).
    case exact = 0
    /// Full-batch gradient descent on the mean squared error.
    case gradientDescent = 1
    /// Mini-batch SGD with `torch.optim.SGD` semantics.
    case stochasticGradientDescent = 2
    /// Non-negative least squares (feature coefficients ≥ 0, intercept
    /// free), solved exactly from the exact solver's accumulated factor
    /// (see `QRAccumulator.nonNegativeSolution`). Since 0.2.
    case nnls = 5
}

/// The options of a fit. Defaults match `include/linreg.h`.
///
/// Values are validated by ``set(_:to:spelledAs:)`` before they are stored,
/// so every field here is always in range.
public struct Hyperparameters: Sendable, Equatable {
    public var solver: SolverKind = .exact
    public var fitIntercept: Bool = true
    public var learningRate: Double = 0.01
    public var epochs: Int = 1000
    public var batchSize: Int = 32
    public var shuffle: Bool = false
    public var seed: UInt64 = 0
    public var alpha: Double = 0
    public var weightDecay: Double = 0
    public var momentum: Double = 0
    public var ciLevel: Double = 0.95
    /// Worker threads; 0 means all cores.
    public var threads: Int = 0
    /// Relative singular-value cut-off; negative means max(n, p) · ε (numpy's rule).
    public var rcond: Double = -1
    /// The coefficient covariance estimator of inference (docs/INFERENCE.md).
    public var covarianceType: CovarianceType = .nonrobust
    /// Reference distribution of t and interval statistics: 1 Student t,
    /// 0 normal, −1 (default) statsmodels' rule (t for nonrobust, normal for
    /// robust covariances).
    public var useT: Int = -1

    public init() {}
}
