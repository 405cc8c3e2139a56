#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Entry points of the exact solver that keep its mergeable state: what
/// streaming (`partialFit`) and merging need from a fit.
///
/// ``ExactSolver/fit(_:)`` reduces the rows to a ``QRAccumulator`` and solves
/// it, then drops the accumulator. The model keeps it instead, so that more
/// rows can be added later (``accumulate(X:Y:sampleWeight:into:threads:valuesChecked:)``)
/// or the statistics of another row set merged in (``QRAccumulator/merge(_:)``),
/// with the same answer as one fit on all the rows.
///
/// Rows are reduced by the normal-equations fast path when its rule allows
/// (their factor is then merged into the accumulator), else by the
/// double-double Householder reduction.
extension ExactSolver {
    /// Fits `problem` exactly as ``fit(_:)`` does (same validation, same
    /// reduction, same solution) and also returns the accumulator of its rows.
    ///
    /// With `valuesChecked` false the caller has not scanned X and Y for NaN
    /// and infinity: the fast pass notices them (its sums turn non-finite)
    /// and only then are the data scanned, to throw
    /// ``EngineError/nonFinite(_:)`` naming the first bad entry.
    static func fitKeepingAccumulator<E: TrainingScalar>(
        _ problem: LeastSquaresProblem<E>, valuesChecked: Bool = true
    ) throws -> (fit: LeastSquaresFit, accumulator: QRAccumulator) {
        let result = try fitReporting(problem, valuesChecked: valuesChecked)
        return (result.fit, result.accumulator)
    }

    /// As ``fitKeepingAccumulator(_:valuesChecked:)``, also saying which path
    /// the rows took and how many passes over the data it made. A `fit` may
    /// take the refined normal-equations path (ExactSolver+Refinement.swift);
    /// streamed chunks never do.
    static func fitReporting<E: TrainingScalar>(
        _ problem: LeastSquaresProblem<E>, valuesChecked: Bool = true
    ) throws -> (fit: LeastSquaresFit, accumulator: QRAccumulator, report: ExactSolverReport) {
        try validate(problem)
        _ = try QRAccumulator.checkedColumns(features: problem.X.columns, outputs: problem.Y.columns,
                                            fitIntercept: problem.fitIntercept)
        // The normal-equations paths build their own factor; only the QR
        // reduction needs an empty one to reduce into.
        var accumulator: QRAccumulator
        let report: ExactSolverReport
        var spent = 0
        if let (factor, fast) = try normalEquationsRowsReporting(
            X: problem.X, Y: problem.Y, sampleWeight: problem.sampleWeight, fitIntercept: problem.fitIntercept,
            threads: problem.threads, valuesChecked: valuesChecked,
            allowRefinement: problem.X.rows >= refinementMinimumRows, spent: &spent) {
            (accumulator, report) = (factor, fast)
        } else {
            accumulator = try QRAccumulator(features: problem.X.columns, outputs: problem.Y.columns,
                                            fitIntercept: problem.fitIntercept)
            report = try householderFallback(X: problem.X, Y: problem.Y, sampleWeight: problem.sampleWeight,
                                             into: &accumulator, threads: problem.threads, spent: spent)
        }
        let fit = try accumulator.solution(alpha: problem.alpha, rcond: problem.rcond, threads: problem.threads)
        return (fit, accumulator, report)
    }

    /// Adds rows to `accumulator`: by the normal-equations path when its
    /// rule allows (refined by further passes when `allowRefinement`), else
    /// by the QR reduction, dispatching to the concrete element types so that
    /// the row loops are specialised (callers in other modules reach here
    /// through unspecialised generics). `valuesChecked` as in
    /// ``fitKeepingAccumulator(_:valuesChecked:)``. Returns the path taken.
    @discardableResult
    static func accumulate<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, into accumulator: inout QRAccumulator,
        threads: Int = 1, valuesChecked: Bool = true, allowRefinement: Bool = false
    ) throws -> ExactSolverReport {
        if X.rows == 0 { return ExactSolverReport(path: .householder, passes: 0) }
        var spent = 0
        if let (factor, report) = try normalEquationsRowsReporting(
            X: X, Y: Y, sampleWeight: sampleWeight, fitIntercept: accumulator.fitIntercept, threads: threads,
            valuesChecked: valuesChecked, allowRefinement: allowRefinement, spent: &spent) {
            try accumulator.merge(factor)
            return report
        }
        return try householderFallback(X: X, Y: Y, sampleWeight: sampleWeight, into: &accumulator, threads: threads,
                                       spent: spent)
    }

    /// The QR reduction of rows the normal-equations path declined (after
    /// `spent` passes over them), into `accumulator`.
    private static func householderFallback<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, into accumulator: inout QRAccumulator,
        threads: Int, spent: Int
    ) throws -> ExactSolverReport {
        try householderRows(X: X, Y: Y, sampleWeight: sampleWeight, into: &accumulator, threads: threads)
        // The passes of the path that declined (the moments, and any refinement
        // or residual pass before it declined), then the reduction.
        return ExactSolverReport(path: .householder, passes: max(1, spent) &+ 1)
    }

    /// The factor of the rows by the normal-equations path, or nil when the
    /// rule (or an overflow) sends them to the QR path. Throws
    /// ``EngineError/nonFinite(_:)`` for NaN or infinite X or Y values when
    /// `valuesChecked` is false.
    static func normalEquationsRows<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, fitIntercept: Bool,
        threads: Int, valuesChecked: Bool
    ) throws -> QRAccumulator? {
        var spent = 0
        return try normalEquationsRowsReporting(X: X, Y: Y, sampleWeight: sampleWeight, fitIntercept: fitIntercept,
                                                threads: threads, valuesChecked: valuesChecked,
                                                allowRefinement: false, spent: &spent)?.accumulator
    }

    /// As ``normalEquationsRows(X:Y:sampleWeight:fitIntercept:threads:valuesChecked:)``,
    /// refining when allowed, with the path taken. `spent` counts the passes
    /// made over the data, also when the path declines.
    static func normalEquationsRowsReporting<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, fitIntercept: Bool,
        threads: Int, valuesChecked: Bool, allowRefinement: Bool, spent: inout Int
    ) throws -> (accumulator: QRAccumulator, report: ExactSolverReport)? {
        let moments = try CrossProducts(X: X, Y: Y, sampleWeight: sampleWeight, threads: threads)
        spent = 1
        if !moments.isFinite {
            // NaN or infinity in the data (throws), or finite data whose
            // sums overflowed: the scaled QR reduction handles those.
            if !valuesChecked { try InputValidation.checkFiniteValues(X: X, Y: Y) }
            return nil
        }
        guard case let (factor, needsResiduals, contraction, conditionEstimate)? = try normalEquationsPlan(
            moments, fitIntercept: fitIntercept, logWeightSum: logWeightSum(sampleWeight, threads: threads),
            allowRefinement: allowRefinement, threads: threads) else { return nil }
        if let contraction {
            // The factor moves in (its m × m planes are then updated in place).
            guard let refined = try refinedRows(X: X, Y: Y, sampleWeight: sampleWeight, factor: consume factor,
                                                moments: moments, contraction: contraction,
                                                conditionEstimate: conditionEstimate, threads: threads, spent: &spent)
            else { return nil }
            return (refined.accumulator, ExactSolverReport(path: .refinedNormalEquations, passes: 1 &+ refined.passes))
        }
        if !needsResiduals { return (factor, ExactSolverReport(path: .normalEquations, passes: 1)) }
        // A nearly exact fit: the residual block from the residuals themselves.
        guard let (weights, intercepts) = factorCoefficients(factor) else { return nil }
        spent &+= 1
        let gram = try ResidualMoments.gram(X: X, Y: Y, sampleWeight: sampleWeight, weights: weights,
                                        intercepts: intercepts.map { DoubleDouble($0) }, origins: moments.origin, threads: threads)
        guard gram.allSatisfy(\.isFinite) else { return nil }
        var accumulator = factor
        guard fillResidualBlock(&accumulator, residualGram: gram) else { return nil }
        return (accumulator, ExactSolverReport(path: .normalEquationsWithResidualPass, passes: 2))
    }

    /// Σ log wᵢ over the positive weights, in double-double (as the QR path),
    /// on `threads` workers: fixed chunks of ``logWeightChunk`` weights each
    /// summed in double-double, then added in chunk order (the same bits for
    /// every thread count).
    static func logWeightSum<E: TrainingScalar>(_ weights: VectorView<E>?, threads: Int = 1) -> DoubleDouble {
        guard let weights else { return .zero }
        if let w = weights as? VectorView<Double> { return logSum(w, threads: threads) }
        if let w = weights as? VectorView<Float> { return logSum(w, threads: threads) }
        return logSum(weights, threads: threads)
    }

    /// Weights per chunk of ``logWeightSum(_:threads:)``.
    static let logWeightChunk = 65_536

    private static func logSum<E: TrainingScalar>(_ weights: VectorView<E>, threads: Int) -> DoubleDouble {
        let n = weights.count
        guard n > 0 else { return .zero }
        let chunks = (n &- 1) / logWeightChunk &+ 1
        var partial = [DoubleDouble](repeating: .zero, count: chunks)
        partial.withUnsafeMutableBufferPointer { buffer in
            guard let out = buffer.baseAddress else { return }
            let workers = WorkerThreads.count(requested: threads, pieces: chunks)
            WorkerThreads.forEach(items: chunks, workers: workers) { _, chunk in
                var sum = DoubleDouble.zero
                for i in (chunk &* logWeightChunk) ..< min(n, (chunk &+ 1) &* logWeightChunk) {
                    let w = weights[i].asDouble
                    if w > 0 { sum += log(w) }
                }
                out[chunk] = sum
            }
        }
        return partial.reduce(.zero, +)
    }

    /// The QR reduction of the rows into `accumulator`, specialised.
    static func householderRows<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, into accumulator: inout QRAccumulator,
        threads: Int
    ) throws {
        if let X = X as? MatrixView<Double>, let Y = Y as? MatrixView<Double> {
            if sampleWeight == nil {
                return try accumulator.add(X: X, Y: Y, sampleWeight: nil, threads: threads)
            }
            if let w = sampleWeight as? VectorView<Double> {
                return try accumulator.add(X: X, Y: Y, sampleWeight: w, threads: threads)
            }
        }
        if let X = X as? MatrixView<Float>, let Y = Y as? MatrixView<Float> {
            if sampleWeight == nil {
                return try accumulator.add(X: X, Y: Y, sampleWeight: nil, threads: threads)
            }
            if let w = sampleWeight as? VectorView<Float> {
                return try accumulator.add(X: X, Y: Y, sampleWeight: w, threads: threads)
            }
        }
        try accumulator.add(X: X, Y: Y, sampleWeight: sampleWeight, threads: threads)
    }
}
