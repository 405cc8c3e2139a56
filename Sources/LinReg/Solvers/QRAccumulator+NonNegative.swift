/// Non-negative least squares from a ``QRAccumulator``: the fit with every
/// feature coefficient ≥ 0 and a free (unconstrained) intercept, as
/// scikit-learn's `LinearRegression(positive=True)`, from the accumulated
/// factor alone (after fit, partial fit or merge; no row is read again).
///
/// With an intercept the factor is R = [r₀₀ r₀ᵀ c₀; 0 R_c c; 0 0 T] with the
/// ones column first, so the residual sum of squares is
/// (c₀ − r₀₀b − r₀ᵀw)² + ‖c − R_c·w‖² + ‖T‖². The intercept b appears only in
/// the first term, which it zeroes for any w: the constrained problem is
/// min ‖R_c·w − c‖ over w ≥ 0 (``NonNegativeLeastSquares`` on the centred
/// block), then b from the first row. Without an intercept R_c is the whole
/// design block. Each output is solved on its own. With a ridge penalty
/// α > 0 (scikit-learn's `Ridge(positive=True)` objective, ‖y − Xw − b‖²_W +
/// α‖w‖²) the same method runs on the ridge problem's factor R_α, whose
/// ‖R_α·w − c_α‖² is the penalised objective up to a constant
/// (``regularisedBlock(alpha:exponents:)``: the penalty rows absorbed by
/// Householder reflections; its positive column scaling keeps the sign
/// constraint).
extension QRAccumulator {
    /// The non-negative fit of the rows seen so far. Rank, singular values,
    /// condition number and the total sum of squares are those of the
    /// unconstrained fit (they describe the design); the weights, intercepts
    /// and residual sums of squares are the constrained solution's; there is
    /// no covariance (no inference for a constrained fit).
    ///
    /// - Throws: as ``solution(alpha:rcond:)`` (alpha finite and ≥ 0).
    func nonNegativeSolution(alpha: Double, rcond: Double) throws -> LeastSquaresFit {
        var fit = try solution(alpha: alpha, rcond: rcond)
        let exps = columnExponents.map { $0 ?? 0 }
        let p = parameterCount, d = features
        let offset = fitIntercept ? 1 : 0
        let block: DoubleDoubleMatrix
        var shift = [Int](repeating: 0, count: d)
        if alpha > 0 {
            let ridge = regularisedBlock(alpha: alpha, exponents: exps)
            block = ridge.block
            shift = ridge.shift
        } else {
            block = r.submatrix(rows: offset ..< columnCount, columns: offset ..< columnCount)
        }
        var solutions: [[DoubleDouble]] = []
        for j in 0 ..< outputs {
            let rhs = (0 ..< d).map { block[$0, d &+ j] }
            let solved = NonNegativeLeastSquares.solve(block, size: d, rightHandSide: rhs)
            var z = [DoubleDouble](repeating: .zero, count: p)
            for c in 0 ..< d { z[c &+ offset] = solved.z[c].scaled(byPowerOfTwo: shift[c]) }
            if fitIntercept { z[0] = interceptFromFirstRow(z, output: j) }
            solutions.append(z)
        }
        let mapped = try mapBack(solutions, exponents: exps)
        fit.weights = mapped.weights
        fit.intercepts = mapped.intercepts
        fit.residualSumOfSquares = mapped.rss
        fit.unscaledCovariance = nil
        return fit
    }
}
