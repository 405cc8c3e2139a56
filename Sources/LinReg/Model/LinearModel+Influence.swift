/// Influence measures of the last unpenalised exact fit (see
/// ``InfluenceMeasure`` for the definitions and ``InfluencePass`` for the
/// computation).
extension LinearModel {
    /// Writes `measures[j]` of every row of `X`, `Y` (and `sampleWeight`)
    /// to `outputs[j]`: n values for the hat diagonal, n × k for DFBETAS's
    /// n × (k·d + k) in the coefficient statistics' layout (aliased and
    /// absent-intercept entries NaN), n × k for the others, row-major.
    ///
    /// The rows must be those the model was fitted on (any subset, in any
    /// order, in any number of calls: each row's measures depend on that row
    /// and the fit only), with the weights they were fitted with. One pass
    /// over the data after a scan for NaN and infinity; nothing is written
    /// when the call fails.
    public func influence<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>? = nil,
        measures: [InfluenceMeasure], outputs: [UnsafeMutablePointer<Double>]
    ) throws {
        guard measures.count == outputs.count else {
            throw EngineError.argument("\(measures.count) measures but \(outputs.count) output buffers")
        }
        guard let fit = exactFit else {
            if !isFitted { throw EngineError.notFitted("the model is not fitted") }
            throw EngineError.unavailable("influence measures exist only after an unpenalised exact fit (solver exact, alpha 0)")
        }
        let aliasing = try aliasing()
        try InputValidation.checkShapesAndWeights(X: X, Y: Y, sampleWeight: sampleWeight,
                                                  featureCount: featureCount, outputCount: outputCount)
        try InputValidation.checkFiniteValues(X: X, Y: Y)
        if measures.isEmpty { return }
        let origins = CentredResiduals.means(of: accumulator) ?? CentredResiduals.firstRow(X: X, Y: Y)
        let pass = InfluencePass(aliasing: aliasing, features: featureCount, weights: weights, intercepts: intercepts,
                                 origins: origins, rss: fit.residualSumOfSquares,
                                 observationCount: fit.observationCount)
        try pass.run(X: X, Y: Y, sampleWeight: sampleWeight, measures: measures, outputs: outputs,
                     threads: hyperparameters.threads)
    }
}
