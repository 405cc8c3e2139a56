/// A linear model `Y = X·Wᵀ + b` with `featureCount` inputs and
/// `outputCount` outputs, its options, and what its last fit produced.
///
/// Every mutating operation is transactional: it either succeeds and
/// replaces the state, or throws an ``EngineError`` and leaves the model
/// exactly as it was.
public struct LinearModel: Sendable {
    /// d: inputs per row.
    public let featureCount: Int
    /// k: outputs per row.
    public let outputCount: Int
    /// Options read by the next fit.
    public var hyperparameters = Hyperparameters()
    /// k × d weights, row-major.
    public internal(set) var weights: [Double]
    /// k intercepts.
    public internal(set) var intercepts: [Double]
    /// True once the model has weights to predict with.
    public internal(set) var isFitted = false
    /// The per-epoch losses of the last GD/SGD fit (empty otherwise).
    public internal(set) var lossHistory: [Double] = []
    /// The last exact fit's full result (nil after GD/SGD or `setWeights`).
    public internal(set) var exactFit: LeastSquaresFit?
    /// Inference for the last unpenalised exact fit.
    public internal(set) var statistics: RegressionStatistics?

    /// A model with zero weights, not fitted.
    public init(featureCount: Int, outputCount: Int) throws {
        guard featureCount >= 1 else { throw EngineError.argument("n_features = \(featureCount) must be at least 1") }
        guard outputCount >= 1 else { throw EngineError.argument("n_outputs = \(outputCount) must be at least 1") }
        guard let count = MemoryReservation.product(featureCount, outputCount) else {
            throw EngineError.argument("n_features * n_outputs = \(featureCount) * \(outputCount) overflows")
        }
        try MemoryReservation.ensureDoubles(count, for: "weights of \(outputCount) x \(featureCount)")
        self.featureCount = featureCount
        self.outputCount = outputCount
        self.weights = Array(repeating: 0, count: count)
        self.intercepts = Array(repeating: 0, count: outputCount)
    }

    // MARK: Fitting

    /// Fits the model to `X` (n × d) and `Y` (n × k) with the solver in
    /// ``hyperparameters``, optionally weighting rows by `sampleWeight`.
    public mutating func fit<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>? = nil,
        progress: ProgressHandler? = nil
    ) throws {
        try InputValidation.checkTrainingData(X: X, Y: Y, sampleWeight: sampleWeight,
                                              featureCount: featureCount, outputCount: outputCount)
        let options = hyperparameters
        switch options.solver {
        case .exact:
            let parameterCount = featureCount + 1
            // Working set of the solver: a few p×p and p×k matrices plus a bounded row block.
            let square = MemoryReservation.product(parameterCount, parameterCount + outputCount)
            try MemoryReservation.ensureDoubles(square.flatMap { MemoryReservation.product($0, 4) },
                                                for: "exact solver workspace for \(featureCount) features")
            let problem = LeastSquaresProblem(X: X, Y: Y, sampleWeight: sampleWeight,
                                              fitIntercept: options.fitIntercept, alpha: options.alpha,
                                              rcond: options.rcond, threads: options.threads)
            let result = try ExactSolver.fit(problem)
            guard result.weights.count == weights.count, result.intercepts.count == outputCount else {
                throw EngineError.internal("exact solver returned \(result.weights.count) weights for \(weights.count)")
            }
            let inference: RegressionStatistics? = (options.alpha == 0 && result.unscaledCovariance != nil)
                ? RegressionStatistics(fit: result, nFeatures: featureCount, nOutputs: outputCount,
                                       fitIntercept: options.fitIntercept)
                : nil
            weights = result.weights
            intercepts = result.intercepts
            lossHistory = []
            exactFit = result
            statistics = inference
            isFitted = true
        case .gradientDescent, .stochasticGradientDescent:
            let square = MemoryReservation.product(featureCount + 1, featureCount + outputCount + 1)
            try MemoryReservation.ensureDoubles(square.flatMap { MemoryReservation.product($0, 4) },
                                                for: "gradient descent workspace for \(featureCount) features")
            let start = options.fitIntercept ? intercepts : Array(repeating: 0, count: outputCount)
            let result = try GradientTrainer.train(X: X, Y: Y, sampleWeight: sampleWeight,
                                                   hyperparameters: options, initialWeights: weights,
                                                   initialIntercepts: start, progress: progress)
            guard result.weights.count == weights.count, result.intercepts.count == outputCount else {
                throw EngineError.internal("trainer returned \(result.weights.count) weights for \(weights.count)")
            }
            weights = result.weights
            intercepts = result.intercepts
            lossHistory = result.lossHistory
            exactFit = nil
            statistics = nil
            isFitted = true
        }
    }

    // MARK: Weights

    /// Replaces the weights (k × d) and intercepts (k). The model becomes
    /// fitted; loss history and statistics are cleared.
    public mutating func setWeights(_ newWeights: [Double], intercepts newIntercepts: [Double]) throws {
        guard newWeights.count == weights.count else {
            throw EngineError.argument("W has \(newWeights.count) entries; expected n_outputs * n_features = \(weights.count)")
        }
        guard newIntercepts.count == outputCount else {
            throw EngineError.argument("b has \(newIntercepts.count) entries; expected n_outputs = \(outputCount)")
        }
        if let bad = newWeights.firstIndex(where: { !$0.isFinite }) {
            throw EngineError.nonFinite("W[\(bad / featureCount)][\(bad % featureCount)] is \(newWeights[bad]) (output \(bad / featureCount), feature \(bad % featureCount))")
        }
        if let bad = newIntercepts.firstIndex(where: { !$0.isFinite }) {
            throw EngineError.nonFinite("b[\(bad)] is \(newIntercepts[bad]) (output \(bad))")
        }
        weights = newWeights
        intercepts = newIntercepts
        lossHistory = []
        exactFit = nil
        statistics = nil
        isFitted = true
    }

    // MARK: Prediction

    /// Writes `X·Wᵀ + b` (n × k, row-major) to `output`, computed in double.
    /// `output` must address `X.rows * outputCount` elements. On error
    /// nothing is written.
    public func predict<E: TrainingScalar>(X: MatrixView<E>, into output: UnsafeMutablePointer<E>) throws {
        guard isFitted else { throw EngineError.notFitted("the model is not fitted: call fit or set_weights first") }
        guard X.columns == featureCount else {
            throw EngineError.argument("X has \(X.columns) columns; the model has \(featureCount) features")
        }
        if let (row, column) = X.firstNonFinite() {
            throw EngineError.nonFinite("X[\(row)][\(column)] is \(X[row, column]) (row \(row), column \(column))")
        }
        Prediction.apply(weights: weights, intercepts: intercepts, featureCount: featureCount,
                         outputCount: outputCount, X: X, output: output)
    }

    // MARK: Statistics

    /// One value of `kind` per output, after an unpenalised exact fit.
    public func statistic(_ kind: StatisticKind) throws -> [Double] {
        try availableStatistics().values(kind)
    }

    /// One value of `kind` per coefficient: k·d weights then k intercepts.
    public func coefficientStatistic(_ kind: CoefficientStatisticKind) throws -> [Double] {
        try availableStatistics().coefficientValues(kind, ciLevel: hyperparameters.ciLevel)
    }

    /// Singular values of the (centred) design of the last exact fit.
    public func singularValues() throws -> [Double] {
        guard isFitted else { throw EngineError.notFitted("the model is not fitted") }
        guard let exactFit else {
            throw EngineError.unavailable("singular values exist only after an exact fit")
        }
        return exactFit.singularValues
    }

    private func availableStatistics() throws -> RegressionStatistics {
        guard isFitted else { throw EngineError.notFitted("the model is not fitted") }
        guard let statistics else {
            throw EngineError.unavailable("statistics exist only after an unpenalised exact fit (solver exact, alpha 0); the last fit or set_weights produced none")
        }
        return statistics
    }
}
