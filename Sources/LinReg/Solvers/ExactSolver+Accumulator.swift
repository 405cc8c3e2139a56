/// Entry points of the exact solver that keep its mergeable state: what
/// streaming (`partialFit`) and merging need from a fit.
///
/// ``ExactSolver/fit(_:)`` reduces the rows to a ``QRAccumulator`` and solves
/// it, then drops the accumulator. The model keeps it instead, so that more
/// rows can be added later (``accumulate(X:Y:sampleWeight:into:)``) or the
/// statistics of another row set merged in (``QRAccumulator/merge(_:)``),
/// with the same answer as one fit on all the rows.
extension ExactSolver {
    /// Fits `problem` exactly as ``fit(_:)`` does (same validation, same
    /// reduction, same solution) and also returns the accumulator of its rows.
    static func fitKeepingAccumulator<E: TrainingScalar>(
        _ problem: LeastSquaresProblem<E>
    ) throws -> (fit: LeastSquaresFit, accumulator: QRAccumulator) {
        try validate(problem)
        var accumulator = try QRAccumulator(features: problem.X.columns, outputs: problem.Y.columns,
                                            fitIntercept: problem.fitIntercept)
        try accumulate(X: problem.X, Y: problem.Y, sampleWeight: problem.sampleWeight, into: &accumulator)
        let fit = try accumulator.solution(alpha: problem.alpha, rcond: problem.rcond)
        return (fit, accumulator)
    }

    /// Adds rows to `accumulator`, dispatching to the concrete element types
    /// so that the row loops are specialised (callers in other modules reach
    /// here through unspecialised generics).
    static func accumulate<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, into accumulator: inout QRAccumulator
    ) throws {
        if let X = X as? MatrixView<Double>, let Y = Y as? MatrixView<Double> {
            if sampleWeight == nil {
                return try accumulator.add(X: X, Y: Y, sampleWeight: nil)
            }
            if let w = sampleWeight as? VectorView<Double> {
                return try accumulator.add(X: X, Y: Y, sampleWeight: w)
            }
        }
        if let X = X as? MatrixView<Float>, let Y = Y as? MatrixView<Float> {
            if sampleWeight == nil {
                return try accumulator.add(X: X, Y: Y, sampleWeight: nil)
            }
            if let w = sampleWeight as? VectorView<Float> {
                return try accumulator.add(X: X, Y: Y, sampleWeight: w)
            }
        }
        try accumulator.add(X: X, Y: Y, sampleWeight: sampleWeight)
    }
}
