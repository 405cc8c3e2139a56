/// Penalty selection for ridge regression without refits (scikit-learn's
/// `RidgeCV(cv=None)`): the exact leave-one-out errors of many penalties
/// from one pass over the rows (``RidgeLeaveOneOut``), and the solution of
/// the accumulated statistics with one penalty per output.
extension LinearModel {
    /// The sums over the rows of the squared leave-one-out errors
    /// w·r(α)²/(1 − h(α))² of ridge regression with each penalty in
    /// `alphas`, per output: `result[a * outputCount + j]`. With `rowErrors`
    /// every row's errors are also written there, at
    /// `[(row * outputCount + j) * alphas.count + a]`.
    ///
    /// The leverages and residuals are those of the model's accumulated
    /// statistics (``accumulator``: its fit, partial fits and merges), so
    /// the rows passed here must be rows it was fitted on: the whole data at
    /// once, or chunk by chunk (the sums add up). The model is not changed.
    ///
    /// Throws ``EngineError/notFitted(_:)``, ``EngineError/unavailable(_:)``
    /// (no exact statistics), ``EngineError/argument(_:)`` (shapes, weights,
    /// an alpha not finite and > 0, no alphas), ``EngineError/nonFinite(_:)``.
    public func ridgeLeaveOneOutErrors<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, alphas: [Double],
        rowErrors: UnsafeMutablePointer<Double>? = nil
    ) throws -> [Double] {
        let rows = try ridgeStatistics()
        try InputValidation.checkShapesAndWeights(X: X, Y: Y, sampleWeight: sampleWeight,
                                                  featureCount: featureCount, outputCount: outputCount)
        guard !alphas.isEmpty else { throw EngineError.argument("n_alphas must be at least 1") }
        if let bad = alphas.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw EngineError.argument("alphas[\(bad)] = \(alphas[bad]) must be finite and > 0")
        }
        // The penalty tables (A·d·(k + 1) doubles) and each worker's lane sums (A·k·8).
        let perPenalty = MemoryReservation.product(featureCount, outputCount &+ 1)
        let tableCount = perPenalty.flatMap { MemoryReservation.product($0, alphas.count) }
        try MemoryReservation.ensureDoubles(tableCount, for: "leave-one-out tables of \(alphas.count) penalties")
        try MemoryReservation.ensureDoubles(MemoryReservation.product(outputCount &* 8, alphas.count),
                                            for: "leave-one-out sums of \(alphas.count) penalties")
        // Per-row errors are written as the pass goes: check the data first
        // then, so that a failure writes nothing.
        if rowErrors != nil { try InputValidation.checkFiniteValues(X: X, Y: Y) }
        let spectrum = try RidgeSpectrum(rows)
        let sums = try RidgeLeaveOneOut.errors(spectrum: spectrum, alphas: alphas, X: X, Y: Y,
                                               sampleWeight: sampleWeight, rowErrors: rowErrors,
                                               threads: hyperparameters.threads)
        // A NaN or infinity in X or Y makes every sum non-finite: only then
        // is the data scanned, to name the first bad value (finite data whose
        // sums overflow keep them).
        if !sums.allSatisfy(\.isFinite) { try InputValidation.checkFiniteValues(X: X, Y: Y) }
        return sums
    }

    /// Solves the accumulated statistics again with penalty `alphas[j]` for
    /// output j (each finite and ≥ 0) and makes that the model's fit. The
    /// ALPHA parameter is set to `alphas[0]` when all are equal and is
    /// otherwise left as it is (a later partial fit or merge solves with it,
    /// for every output). Statistics exist afterwards only when every
    /// penalty is 0. The solver parameter plays no part: this is ridge.
    public mutating func solveRidgePerOutput(alphas: [Double]) throws {
        let rows = try ridgeStatistics()
        guard alphas.count == outputCount else {
            throw EngineError.argument("alphas has \(alphas.count) entries; expected n_outputs = \(outputCount)")
        }
        if let bad = alphas.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw EngineError.argument("alphas[\(bad)] = \(alphas[bad]) must be finite and >= 0")
        }
        var solved: [Double: LeastSquaresFit] = [:]
        for alpha in alphas where solved[alpha] == nil {
            solved[alpha] = try rows.solution(alpha: alpha, rcond: hyperparameters.rcond)
        }
        guard var result = solved[alphas[0]] else { throw EngineError.internal("no ridge solution") }
        let d = featureCount
        for (j, alpha) in alphas.enumerated() {
            guard let fit = solved[alpha] else { throw EngineError.internal("no ridge solution") }
            for c in 0 ..< d { result.weights[j &* d &+ c] = fit.weights[j &* d &+ c] }
            result.intercepts[j] = fit.intercepts[j]
            result.residualSumOfSquares[j] = fit.residualSumOfSquares[j]
        }
        let largest = alphas.max() ?? 0
        if largest > 0 { result.unscaledCovariance = nil }
        let inference = try exactInference(result, fitIntercept: rows.fitIntercept, alpha: largest)
        var options = hyperparameters
        if alphas.allSatisfy({ $0 == alphas[0] }) { options.alpha = alphas[0] }
        try commitExact(result, statistics: inference, accumulator: rows, report: solverReport)
        hyperparameters = options
    }

    /// The exact statistics the ridge selection works from.
    private func ridgeStatistics() throws -> QRAccumulator {
        guard isFitted else { throw EngineError.notFitted("the model is not fitted: call fit first") }
        guard let accumulator else {
            throw EngineError.unavailable("ridge selection needs the exact solver's statistics (a fit, partial fit or merge with the exact solver); this model's weights came from GD/SGD or set_weights")
        }
        return accumulator
    }
}
