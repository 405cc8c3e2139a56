/// The residual pass: statsmodels' residual diagnostics (Omnibus,
/// Durbin–Watson, Jarque–Bera, skew, kurtosis) of the fitted model on data
/// read in row order, possibly in chunks.
extension LinearModel {
    /// Summarises the (weighted) residuals of the current weights on `X`,
    /// `Y` (and `sampleWeight`), in row order. `append` false starts a new
    /// pass; true continues the last one with rows that follow the previous
    /// chunk's (the Durbin–Watson difference across the boundary is
    /// included), so chunks in order give one pass over all their rows.
    /// The statistics are then ``statistic(_:)`` of the residual kinds.
    ///
    /// Works for any fitted model (exact, ridge, GD/SGD, set weights). On
    /// error the previous pass is kept unchanged.
    public mutating func residualPass<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>? = nil, append: Bool
    ) throws {
        guard isFitted else { throw EngineError.notFitted("the model is not fitted: call fit or set_weights first") }
        try InputValidation.checkShapesAndWeights(X: X, Y: Y, sampleWeight: sampleWeight,
                                                  featureCount: featureCount, outputCount: outputCount)
        var state: [ResidualDiagnostics]
        if append {
            guard let existing = residualDiagnostics else {
                throw EngineError.argument("append = 1 but there is no residual pass to continue (none since the last fit): start one with append = 0")
            }
            state = existing
        } else {
            state = [ResidualDiagnostics](repeating: ResidualDiagnostics(), count: outputCount)
        }
        // About the fit's weighted column means when the factor has them, else about the first row.
        let origins = CentredResiduals.means(of: accumulator) ?? CentredResiduals.firstRow(X: X, Y: Y)
        let parts = try ResidualPass.diagnostics(X: X, Y: Y, sampleWeight: sampleWeight, weights: weights,
                                                 intercepts: intercepts, origins: origins,
                                                 threads: hyperparameters.threads)
        if parts.contains(where: { !($0.sumOfSquares.isFinite && $0.m4.isFinite) }) {
            // NaN or infinity in the data (throws naming it), or residuals too large to square.
            try InputValidation.checkFiniteValues(X: X, Y: Y)
            throw EngineError.overflow("the residuals' fourth powers overflow a double")
        }
        for o in 0 ..< outputCount { state[o].append(parts[o]) }
        residualDiagnostics = state
    }

    /// One residual statistic per output, from the last residual pass.
    func residualStatistic(_ kind: StatisticKind) throws -> [Double] {
        guard isFitted else { throw EngineError.notFitted("the model is not fitted") }
        guard let residualDiagnostics else {
            throw EngineError.unavailable("residual diagnostics exist only after a residual pass over the data (linreg_residual_pass_*) since the last fit")
        }
        return residualDiagnostics.map { $0.value(kind) ?? .nan }
    }
}
