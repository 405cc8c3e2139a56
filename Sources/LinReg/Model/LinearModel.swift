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
    /// The exact solver's sufficient statistics of every row fitted so far
    /// (by `fit`, `partialFit` and `merge`): what streaming and merging
    /// continue from. Nil when the weights came from GD/SGD or `setWeights`,
    /// or before any exact fit. Always present together with ``exactFit``.
    var accumulator: QRAccumulator?
    /// How the last `fit` or `partialFit` with the exact solver reduced its
    /// rows, and how many passes over the data it made (nil after GD/SGD,
    /// `merge`, `setWeights` or `load`: it is not stored in the model file).
    public internal(set) var solverReport: ExactSolverReport?
    /// The names of the d features, or nil (set by ``setNames(features:targets:)``).
    /// Kept by every fit, partial fit, merge and `setWeights`; saved with the model.
    public internal(set) var featureNames: [String]?
    /// The names of the k outputs (targets), or nil; kept as ``featureNames``.
    public internal(set) var targetNames: [String]?
    /// The robust covariance's sums at the current coefficients (nil until a
    /// covariance pass; cleared by every fit, merge and `setWeights`). See
    /// LinearModel+Covariance.swift.
    public internal(set) var covarianceMeat: CovarianceMeat?
    /// Whether rows may be added to ``covarianceMeat`` (a pass begun by
    /// `beginCovariancePass`; not one made by `fit` or loaded from a file).
    var covariancePassIsOpen = false
    /// The summaries of the last residual pass, one per output (see
    /// ``residualPass(X:Y:sampleWeight:append:)``); nil before one. Cleared
    /// by every fit and `setWeights`; not stored in the model file.
    public internal(set) var residualDiagnostics: [ResidualDiagnostics]?
    /// R-style aliasing of the last unpenalised exact fit's design, computed
    /// when the fit is committed (nil otherwise, and after `load`, where
    /// ``aliasing()`` derives it from the stored factor).
    var columnAliasing: ColumnAliasing?

    /// A model with zero weights, not fitted.
    public init(featureCount: Int, outputCount: Int) throws {
        guard featureCount >= 1 else { throw EngineError.argument("n_features = \(featureCount) must be at least 1") }
        guard outputCount >= 1 else { throw EngineError.argument("n_outputs = \(outputCount) must be at least 1") }
        guard let count = MemoryReservation.product(featureCount, outputCount),
              MemoryReservation.bytes(count: count, stride: MemoryLayout<Double>.stride) != nil else {
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
        // X and Y values are checked by the solvers' own pass (see InputValidation).
        try InputValidation.checkShapesAndWeights(X: X, Y: Y, sampleWeight: sampleWeight,
                                                  featureCount: featureCount, outputCount: outputCount)
        let options = hyperparameters
        switch options.solver {
        case .exact, .nnls:
            try reserveExactWorkspace()
            let problem = LeastSquaresProblem(X: X, Y: Y, sampleWeight: sampleWeight,
                                              fitIntercept: options.fitIntercept, alpha: options.alpha,
                                              rcond: options.rcond, threads: options.threads)
            var (result, rows, report) = try ExactSolver.fitReporting(problem, valuesChecked: false)
            if options.solver == .nnls { result = try rows.nonNegativeSolution(alpha: options.alpha, rcond: options.rcond) }
            let inference = try exactInference(result, fitIntercept: options.fitIntercept, alpha: options.alpha)
            let meat = try oneShotCovarianceMeat(result, rows: rows, statistics: inference, X: X, Y: Y,
                                                  sampleWeight: sampleWeight)
            try commitExact(result, statistics: inference, accumulator: rows, report: report)
            covarianceMeat = meat
        case .gradientDescent, .stochasticGradientDescent:
            try train(X: X, Y: Y, sampleWeight: sampleWeight, options: options, progress: progress,
                      continuingHistory: false)
        }
    }

    // MARK: Streaming and merging

    /// Continues fitting with one more chunk of rows: `X` (n × d), `Y`
    /// (n × k), optional `sampleWeight` (n).
    ///
    /// * Exact solver: adds the rows to ``accumulator`` (a new one, with the
    ///   current `fitIntercept`, when the model has none) and solves it with
    ///   the current alpha and rcond. The weights, ``exactFit`` and
    ///   ``statistics`` then equal those of one `fit` on every row added so
    ///   far (to rounding far below 1e-10). Refused when `fitIntercept`
    ///   differs from the accumulator's: call `fit` to start over.
    /// * GD/SGD: one epoch over the chunk from the current weights (as
    ///   `fit` with epochs = 1, momentum buffers starting at zero; SGD with
    ///   shuffle reshuffles the chunk with the seed), its loss appended to
    ///   ``lossHistory``; the progress handler sees the epoch's index in the
    ///   history. Exact-fit results and the accumulator are dropped.
    public mutating func partialFit<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>? = nil,
        progress: ProgressHandler? = nil
    ) throws {
        try InputValidation.checkShapesAndWeights(X: X, Y: Y, sampleWeight: sampleWeight,
                                                  featureCount: featureCount, outputCount: outputCount)
        let options = hyperparameters
        switch options.solver {
        case .exact, .nnls:
            try reserveExactWorkspace()
            var rows: QRAccumulator
            if let existing = accumulator {
                guard existing.fitIntercept == options.fitIntercept else {
                    throw EngineError.argument(interceptMismatch(accumulated: existing.fitIntercept, now: options.fitIntercept))
                }
                rows = existing
            } else {
                rows = try QRAccumulator(features: featureCount, outputs: outputCount, fitIntercept: options.fitIntercept)
            }
            let report = try ExactSolver.accumulate(X: X, Y: Y, sampleWeight: sampleWeight, into: &rows,
                                                    threads: options.threads, valuesChecked: false)
            try solveAndCommit(rows, options: options, report: report)
        case .gradientDescent, .stochasticGradientDescent:
            var oneEpoch = options
            oneEpoch.epochs = 1
            try train(X: X, Y: Y, sampleWeight: sampleWeight, options: oneEpoch, progress: progress,
                      continuingHistory: true)
        }
    }

    /// Adds the rows `other` was fitted on (disjoint from this model's) and
    /// solves again with this model's alpha and rcond (non-negative least
    /// squares when its solver is `.nnls`, else the exact solution): afterwards the model
    /// is, to rounding far below 1e-10, the exact fit of both row sets,
    /// whatever order or tree shape the merges took. `other` is unchanged.
    ///
    /// Both models need the exact solver's statistics (``accumulator``,
    /// left by an exact `fit`, `partialFit` or `merge`, and kept by save and
    /// load), the same shape and the same intercept setting. A model that
    /// was never fitted holds no rows and merges as the empty set: merging
    /// it changes nothing, merging into it copies `other`'s rows.
    public mutating func merge(_ other: LinearModel) throws {
        guard other.featureCount == featureCount, other.outputCount == outputCount else {
            throw EngineError.argument(
                "cannot merge a model of \(other.featureCount) features and \(other.outputCount) outputs into one of \(featureCount) features and \(outputCount) outputs")
        }
        let options = hyperparameters
        let mine = try mergeableRows(role: "this")
        guard let theirs = try other.mergeableRows(role: "the other") else { return }
        guard theirs.fitIntercept == options.fitIntercept else {
            throw EngineError.argument(
                "cannot merge: the other model's statistics were accumulated \(theirs.fitIntercept ? "with" : "without") an intercept but this model's fit_intercept is \(options.fitIntercept ? 1 : 0)")
        }
        var rows = theirs
        if let mine {
            guard mine.fitIntercept == options.fitIntercept else {
                throw EngineError.argument(interceptMismatch(accumulated: mine.fitIntercept, now: options.fitIntercept))
            }
            guard !mine.rowCount.addingReportingOverflow(theirs.rowCount).overflow else {
                throw EngineError.argument("cannot merge: the row counts \(mine.rowCount) + \(theirs.rowCount) overflow")
            }
            try reserveExactWorkspace()
            rows = mine
            try rows.merge(theirs)
        }
        try solveAndCommit(rows, options: options, report: nil)
    }

    /// Solves the accumulated rows with the options' alpha and rcond and
    /// commits the result (the end of `partialFit` and `merge`).
    private mutating func solveAndCommit(_ rows: QRAccumulator, options: Hyperparameters,
                                         report: ExactSolverReport?) throws {
        let result = options.solver == .nnls
            ? try rows.nonNegativeSolution(alpha: options.alpha, rcond: options.rcond)
            : try rows.solution(alpha: options.alpha, rcond: options.rcond, threads: options.threads)
        let inference = try exactInference(result, fitIntercept: rows.fitIntercept, alpha: options.alpha)
        try commitExact(result, statistics: inference, accumulator: rows, report: report)
    }

    /// GD/SGD from the current weights with `options`, then commit. With
    /// `continuingHistory` (partial fit) the new losses are appended to
    /// ``lossHistory`` and the progress handler sees epochs numbered after
    /// it; otherwise the history starts afresh.
    private mutating func train<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, options: Hyperparameters,
        progress: ProgressHandler?, continuingHistory: Bool
    ) throws {
        try reserveTrainerWorkspace()
        let start = options.fitIntercept ? intercepts : Array(repeating: 0, count: outputCount)
        let earlier = continuingHistory ? lossHistory : []
        let offset = earlier.count
        let handler: ProgressHandler? = offset == 0
            ? progress
            : progress.map { report in { epoch, loss in report(offset + epoch, loss) } }
        let result = try GradientTrainer.train(X: X, Y: Y, sampleWeight: sampleWeight,
                                               hyperparameters: options, initialWeights: weights,
                                               initialIntercepts: start, progress: handler,
                                               valuesChecked: false)
        try commitTrained(result, history: earlier + result.lossHistory)
    }

    /// This model's accumulated rows for a merge: nil when it was never
    /// fitted (no rows), an argument error when its weights did not come
    /// from the exact solver.
    private func mergeableRows(role: String) throws -> QRAccumulator? {
        if let accumulator { return accumulator }
        guard !isFitted else {
            throw EngineError.argument(
                "cannot merge: \(role) model holds no exact-solver statistics (its weights came from GD/SGD or set_weights); only models fitted with the exact solver (fit, partial_fit, merge) can be merged")
        }
        return nil
    }

    private func interceptMismatch(accumulated: Bool, now: Bool) -> String {
        "fit_intercept is \(now ? 1 : 0) but this model's statistics were accumulated \(accumulated ? "with" : "without") an intercept: call fit to start over, or set fit_intercept back to \(accumulated ? 1 : 0)"
    }

    /// Checks that the GD/SGD trainer's working set fits in memory.
    private func reserveTrainerWorkspace() throws {
        // Moments of [X, Y] and the trainer's buffers: a few (d+1)×(d+k+1) matrices.
        let square = MemoryReservation.product(featureCount + 1, featureCount + outputCount + 1)
        try MemoryReservation.ensureDoubles(square.flatMap { MemoryReservation.product($0, 4) },
                                            for: "gradient descent workspace for \(featureCount) features")
    }

    /// The last step of an exact fit, partial fit or merge: checks that the
    /// new state is one the model format accepts (finite weights and
    /// intercepts, a factor that ``QRAccumulator/archiveProblem()`` passes),
    /// then replaces the state. A state that fails the check is a bug of the
    /// solver, reported as ``EngineError/internal(_:)`` with the model left
    /// as it was: a fit that succeeds always leaves a model that can be
    /// saved, loaded, merged and continued.
    mutating func commitExact(_ result: LeastSquaresFit, statistics inference: RegressionStatistics?,
                                      accumulator rows: QRAccumulator, report: ExactSolverReport?) throws {
        if let bad = (result.weights + result.intercepts).firstIndex(where: { !$0.isFinite }) {
            throw EngineError.internal("the exact solver produced a non-finite coefficient (entry \(bad)); the model is unchanged")
        }
        if let problem = rows.archiveProblem() {
            throw EngineError.internal("the exact solver's state is not storable (\(problem)); the model is unchanged")
        }
        replaceState(weights: result.weights, intercepts: result.intercepts, history: [],
                     exact: (result, inference, rows, report))
    }

    /// The last step of a GD/SGD fit or partial fit: checks the trainer's
    /// result, then replaces the state with it and `history`.
    private mutating func commitTrained(_ result: TrainingResult, history: [Double]) throws {
        guard result.weights.count == weights.count, result.intercepts.count == outputCount else {
            throw EngineError.internal("trainer returned \(result.weights.count) weights for \(weights.count)")
        }
        replaceState(weights: result.weights, intercepts: result.intercepts, history: history, exact: nil)
    }

    /// Replaces everything a fit or `setWeights` produces at once: the
    /// model becomes fitted with these weights; the exact-solver results are
    /// `exact`'s, or cleared when it is nil. The names are not touched.
    mutating func replaceState(
        weights newWeights: [Double], intercepts newIntercepts: [Double], history: [Double],
        exact: (fit: LeastSquaresFit, statistics: RegressionStatistics?, accumulator: QRAccumulator,
                report: ExactSolverReport?)?
    ) {
        weights = newWeights
        intercepts = newIntercepts
        lossHistory = history
        exactFit = exact?.fit
        statistics = exact?.statistics
        accumulator = exact?.accumulator
        solverReport = exact?.report
        covarianceMeat = nil
        covariancePassIsOpen = false
        residualDiagnostics = nil
        columnAliasing = exact.flatMap { $0.statistics == nil ? nil : aliasing(of: $0.accumulator) }
        isFitted = true
    }

    /// Checks that the exact solver's working set fits in memory.
    private func reserveExactWorkspace() throws {
        let parameterCount = featureCount + 1
        // Working set of the solver: a few p×p and p×k matrices plus a bounded row block.
        let square = MemoryReservation.product(parameterCount, parameterCount + outputCount)
        try MemoryReservation.ensureDoubles(square.flatMap { MemoryReservation.product($0, 4) },
                                            for: "exact solver workspace for \(featureCount) features")
    }

    /// The statistics of an exact result (nil for ridge or without a
    /// covariance), after checking the result's shape.
    func exactInference(_ result: LeastSquaresFit, fitIntercept: Bool, alpha: Double) throws -> RegressionStatistics? {
        guard result.weights.count == weights.count, result.intercepts.count == outputCount else {
            throw EngineError.internal("exact solver returned \(result.weights.count) weights for \(weights.count)")
        }
        guard alpha == 0, result.hasCovariance else { return nil }
        return RegressionStatistics(fit: result, nFeatures: featureCount, nOutputs: outputCount, fitIntercept: fitIntercept)
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
        replaceState(weights: newWeights, intercepts: newIntercepts, history: [], exact: nil)
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
        // Non-finite X is found by the kernel's own check (one pass over X);
        // the output is left as it was then.
        try Prediction.apply(weights: weights, intercepts: intercepts, featureCount: featureCount,
                             outputCount: outputCount, X: X, output: output, threads: hyperparameters.threads)
    }

    // MARK: Statistics

    /// One value of `kind` per output, after an unpenalised exact fit.
    public func statistic(_ kind: StatisticKind) throws -> [Double] {
        if kind.isResidualDiagnostic { return try residualStatistic(kind) }
        let statistics = try availableStatistics()
        if (kind == .f || kind == .fPValue) && hyperparameters.covarianceType != .nonrobust {
            return try robustModelF(kind)  // a Wald F under the robust covariance (LinearModel+Covariance.swift)
        }
        return statistics.values(kind)
    }

    /// One value of `kind` per coefficient: k·d weights then k intercepts.
    public func coefficientStatistic(_ kind: CoefficientStatisticKind) throws -> [Double] {
        // Rank-deficient designs: R's reduced-design statistics (LinearModel+Aliasing.swift).
        if let values = try aliasedCoefficientStatistic(kind) { return values }
        let statistics = try availableStatistics()
        if hyperparameters.covarianceType != .nonrobust || hyperparameters.useT == 0 {
            return try coefficientInference().coefficientValues(kind, ciLevel: hyperparameters.ciLevel)
        }
        return statistics.coefficientValues(kind, ciLevel: hyperparameters.ciLevel)
    }

    /// Singular values of the (centred) design of the last exact fit.
    public func singularValues() throws -> [Double] {
        guard isFitted else { throw EngineError.notFitted("the model is not fitted") }
        guard let exactFit else {
            throw EngineError.unavailable("singular values exist only after an exact fit")
        }
        return exactFit.singularValues
    }

    func availableStatistics() throws -> RegressionStatistics {
        guard isFitted else { throw EngineError.notFitted("the model is not fitted") }
        guard let statistics else {
            throw EngineError.unavailable("statistics exist only after an unpenalised exact fit (solver exact, alpha 0); the last fit or set_weights produced none")
        }
        return statistics
    }
}
