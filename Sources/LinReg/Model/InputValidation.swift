/// Checks of training data that every solver relies on.
///
/// The value scan (NaN and infinity in X and Y) reads all the data, as much
/// as a fit's own pass: so the exact solver and moment-based gradient
/// descent skip it, detect non-finite values from their one pass (their sums
/// become non-finite), and only then call ``checkFiniteValues(X:Y:)`` to name
/// the culprit. Everything else is checked before any work.
enum InputValidation {
    /// The element type is Float or Double; shapes agree; sample weights
    /// are finite, non-negative and not all zero. Errors name the first entry at fault. The values of X and Y are
    /// checked by the solvers' own pass (see the type's comment).
    static func checkShapesAndWeights<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
        featureCount: Int, outputCount: Int
    ) throws {
        _ = try ConcreteElement(E.self)
        try checkShapes(X: X, Y: Y, featureCount: featureCount, outputCount: outputCount)
        try checkSampleWeights(sampleWeight, rows: X.rows)
    }

    static func checkShapes<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>, featureCount: Int,
                                               outputCount: Int) throws {
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
    }

    /// Throws ``EngineError/nonFinite(_:)`` naming the first NaN or infinity
    /// of X (row by row), else of Y.
    static func checkFiniteValues<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>) throws {
        try FiniteScan().specialized(X, Y, nil)
    }

    /// Sample weights: `rows` of them, finite, non-negative, not all zero.
    static func checkSampleWeights<E: TrainingScalar>(_ sampleWeight: VectorView<E>?, rows: Int) throws {
        guard let sampleWeight else { return }
        let none = MatrixView<E>(base: sampleWeight.base, rows: 0, columns: 0)
        try WeightScan(rows: rows).specialized(none, none, sampleWeight)
    }

    private struct FiniteScan: SpecializedJob {
        func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>, _: VectorView<F>?) throws {
            try scan(X, Y)
        }
    }

    private struct WeightScan: SpecializedJob {
        let rows: Int
        func run<F: TrainingScalar>(_: MatrixView<F>, _: MatrixView<F>, _ sampleWeight: VectorView<F>?) throws {
            try weightScan(sampleWeight, rows: rows)
        }
    }

    private static func scan<E: TrainingScalar>(_ X: MatrixView<E>, _ Y: MatrixView<E>) throws {
        if let (row, column) = X.firstNonFinite() {
            throw EngineError.nonFinite("X[\(row)][\(column)] is \(X[row, column]) (row \(row), column \(column))")
        }
        if let (row, column) = Y.firstNonFinite() {
            throw EngineError.nonFinite("Y[\(row)][\(column)] is \(Y[row, column]) (row \(row), column \(column))")
        }
    }

    private static func weightScan<E: TrainingScalar>(_ sampleWeight: VectorView<E>?, rows: Int) throws {
        if let weights = sampleWeight {
            guard weights.count == rows else {
                throw EngineError.argument("sample_weight has \(weights.count) entries; expected n_samples = \(rows)")
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
