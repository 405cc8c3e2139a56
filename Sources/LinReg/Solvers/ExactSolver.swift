/// Least squares and ridge regression solved exactly (no iterations):
/// ordinary, weighted, multi-output, with or without an intercept, full rank
/// or rank-deficient.
///
/// **Method.** The rows are reduced, block by block, to the R factor of the
/// augmented design √w·[1, X, Y] by Householder reflections in
/// double-double arithmetic (``QRAccumulator``, ``StackedHouseholder``);
/// the data are read once and never copied whole. The small factor then
/// gives everything (``QRAccumulator/solution(alpha:rcond:)``): the
/// coefficients by double-double back-substitution (full rank), the
/// minimum-norm solution by a Jacobi SVD of the centred block (rank
/// deficient), or ridge by re-triangularising with √alpha·I rows. The
/// condition number is never squared and the reduction is accurate to about
/// 1e-30, so the result is the exact least-squares solution of the float64
/// (or promoted float32) data, correctly rounded to a few units in the last
/// place unless the problem's own condition number forbids it.
/// See docs/SOLVER.md for the precision argument and the measured digits.
///
/// **Contract.** `fit` reads `problem.X`, `Y` and `sampleWeight` through
/// their views; the caller has checked finiteness and row counts. Results
/// depend only on the data and options, never on `problem.threads`: the
/// rows are cut into fixed chunks (``QRAccumulator/chunkRows``) and blocks
/// (a function of the column count alone), chunks are reduced independently,
/// by `threads` workers, and merged in row order.
///
/// **Normal-equations fast path.** Before the QR reduction, the data's
/// moments are gathered in one fast pass (``CrossProducts``) and, when
/// ``normalEquationsSuffice(equilibratedConditionEstimate:relativeTolerance:)``
/// says that loses nothing that matters, the same triangular factor is
/// formed from them by a double-double Cholesky factorisation
/// (``normalEquationsFactor(_:fitIntercept:logWeightSum:)``, see
/// ExactSolver+NormalEquations.swift for the rule). Everything else —
/// ill-conditioned, rank-deficient or extreme-magnitude data — takes the
/// QR reduction, reading the data a second time.
enum ExactSolver {
    /// Fits `problem`; throws only ``EngineError``.
    static func fit<E: TrainingScalar>(_ problem: LeastSquaresProblem<E>) throws -> LeastSquaresFit {
        try fitKeepingAccumulator(problem).fit
    }

    /// The reduction by blocked double-double Householder QR only (the
    /// reference the fast path is tested against).
    static func householderFit<E: TrainingScalar>(_ problem: LeastSquaresProblem<E>) throws -> LeastSquaresFit {
        try validate(problem)
        var accumulator = try QRAccumulator(features: problem.X.columns, outputs: problem.Y.columns,
                                            fitIntercept: problem.fitIntercept)
        try householderRows(X: problem.X, Y: problem.Y, sampleWeight: problem.sampleWeight, into: &accumulator,
                            threads: problem.threads)
        return try accumulator.solution(alpha: problem.alpha, rcond: problem.rcond, threads: problem.threads)
    }

    /// Shape and option checks (the model layer normally rules these out).
    static func validate<E: TrainingScalar>(_ problem: LeastSquaresProblem<E>) throws {
        let X = problem.X, Y = problem.Y
        guard X.rows >= 1, X.rows == Y.rows else {
            throw EngineError.argument("X has \(X.rows) rows and Y has \(Y.rows); both need the same number, at least 1")
        }
        // X may have no columns (then the fit is the intercept alone).
        guard X.columns >= 0, Y.columns >= 1 else {
            throw EngineError.argument("Y needs at least one column and X a non-negative count (got X: \(X.columns), Y: \(Y.columns))")
        }
        if let w = problem.sampleWeight {
            guard w.count == X.rows else {
                throw EngineError.argument("sample_weight has \(w.count) entries for \(X.rows) rows")
            }
        }
        guard problem.alpha.isFinite, problem.alpha >= 0 else {
            throw EngineError.argument("alpha must be finite and >= 0, got \(problem.alpha)")
        }
        guard !problem.rcond.isNaN, problem.rcond.isFinite else {
            throw EngineError.argument("rcond must be finite (negative for the default), got \(problem.rcond)")
        }
    }

    /// The documented switch rule for a normal-equations fast path.
    ///
    /// Solving the normal equations (Gram matrix XᵀWX in double, Cholesky)
    /// loses about κ̃²·ε relative accuracy, where κ̃ is the 2-norm condition
    /// number of the *column-equilibrated* (weighted, centred when an
    /// intercept is fitted) design and ε = 2⁻⁵². They are accurate enough only
    /// when `64 · κ̃² · ε ≤ relativeTolerance`; with the default tolerance
    /// 1e-10 (the accuracy promised for merged and streamed fits) that is
    /// κ̃ ≲ 84. A Cholesky-based estimate of κ̃ (e.g. from the diagonal of
    /// the factor of the equilibrated Gram matrix) is good enough here, but it
    /// must be an over-estimate or within a factor of two. A non-finite or
    /// non-positive estimate means "no".
    static func normalEquationsSuffice(equilibratedConditionEstimate kappa: Double,
                                              relativeTolerance: Double = 1e-10) -> Bool {
        guard kappa.isFinite, kappa >= 1, relativeTolerance > 0 else { return false }
        return 64 * kappa * kappa * Double.ulpOfOne <= relativeTolerance
    }
}
