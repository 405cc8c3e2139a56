/// Checks of training data that every solver relies on.
public enum InputValidation {
    /// Shapes agree, values are finite, sample weights are finite,
    /// non-negative and not all zero. Errors name the first entry at fault.
    public static func checkTrainingData<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
        featureCount: Int, outputCount: Int
    ) throws {
        guard X.rows >= 1 else { throw EngineError.argument("n_samples = \(X.rows) must be at least 1") }
        guard X.columns == featureCount else {
            throw EngineError.argument("X has \(X.columns) columns; the model has \(featureCount) features")
        }
        guard Y.columns == outputCount else {
            throw EngineError.argument("Y has \(Y.columns) columns; the model has \(outputCount) outputs")
        }
        guard Y.rows == X.rows else {
            throw EngineError.argument("X has \(X.rows) rows but Y has \(Y.rows)")
        }
        if let (row, column) = X.firstNonFinite() {
            throw EngineError.nonFinite("X[\(row)][\(column)] is \(X[row, column]) (row \(row), column \(column))")
        }
        if let (row, column) = Y.firstNonFinite() {
            throw EngineError.nonFinite("Y[\(row)][\(column)] is \(Y[row, column]) (row \(row), column \(column))")
        }
        if let weights = sampleWeight {
            guard weights.count == X.rows else {
                throw EngineError.argument("sample_weight has \(weights.count) entries; expected n_samples = \(X.rows)")
            }
            var anyPositive = false
            for row in 0..<weights.count {
                let w = weights[row]
                guard w.isFinite else {
                    throw EngineError.nonFinite("sample_weight[\(row)] is \(w) (row \(row))")
                }
                guard w >= 0 else {
                    throw EngineError.argument("sample_weight[\(row)] = \(w) is negative (row \(row)); weights must be >= 0")
                }
                if w > 0 { anyPositive = true }
            }
            guard anyPositive else { throw EngineError.argument("sample_weight is all zeros; at least one weight must be positive") }
        }
    }
}
