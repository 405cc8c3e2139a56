/// Which columns of a rank-deficient design are aliased (dropped) and what
/// combination of the kept columns each one equals, decided as R's `lm`
/// does, from the stored factor alone (no pass over the data).
///
/// **Rule (R's LINPACK `dqrdc2`, limited column pivoting).** The columns of
/// the design √w·[1, X] are taken in order, intercept first. A column is
/// *aliased* when its norm after removing its projection on the kept columns
/// before it is below `tolerance` times its own norm (an all-zero column is
/// always aliased), or when as many columns as rows are already kept;
/// otherwise it is kept. `dqrdc2` moves aliased columns to the end and goes
/// on with the next, so the kept columns keep their order: R reports `NA`
/// for the aliased ones and `alias()` gives, for each, the combination of
/// the kept columns it equals. Here the test runs on the accumulator's
/// triangular factor R (which has the design's inner products: A = QR) by
/// Householder reflections in double-double, with exact residual norms where
/// `dqrdc2` downdates them; the two differ only for a column whose relative
/// residual lies within rounding of the tolerance.
///
/// **Tolerance.** The same number as the rank rule's (``QRAccumulator``'s
/// `rcond_eff`: LINREG_PARAM_RCOND when set, else max(n, p)·ε), applied to
/// the relative residual of each column instead of to the singular values
/// of the equilibrated design. R's `lm` uses 1e-7; set rcond = 1e-7 for R's
/// decisions on nearly collinear data. A relative residual ρ of a column
/// bounds the smallest singular value of the (equilibrated) design from
/// above, so a column aliased by this rule makes the rank rule see a
/// deficiency too; for exactly collinear columns (what aliasing is for) the
/// two rules agree on the count. When they do not (a design that is
/// nearly, not exactly, rank deficient), the coefficient table follows this
/// rule: the rank of the reduced design is the number of kept columns.
///
/// **Results.** The factor of the kept columns (r × r, upper triangular) and
/// their right-hand sides give R's estimates of the reduced design (the
/// least-squares coefficients of the kept columns alone; aliased ones NaN)
/// and its unscaled covariance diagonal; the same factor gives the hat
/// matrix of the influence measures (the kept columns span the design's
/// column space).
struct ColumnAliasing: Sendable, Equatable {
    /// p, the number of design columns (intercept first when fitted).
    let parameterCount: Int
    /// k, the number of outputs.
    let outputs: Int
    /// Whether column 0 is the intercept's.
    let fitIntercept: Bool
    /// Per design column (internal order): kept (true) or aliased.
    let kept: [Bool]
    /// The kept columns, in order.
    let keptColumns: [Int]
    /// r × (r + k): the upper-triangular factor of the kept columns (scaled
    /// coordinates, columns in ``keptColumns`` order), then the first r rows
    /// of the outputs' columns. When no column is aliased, the accumulator's
    /// m × m factor itself, whose first r rows are exactly that (read it by
    /// indices below r and r + k only).
    let factor: DoubleDoubleMatrix
    /// The accumulator's column exponents (nil ones as 0): column c of the
    /// factor is the design column times 2^(−exponents[c]).
    let exponents: [Int]
    /// Row-major p × p, internal order: row a holds, for an aliased column a,
    /// the coefficients of the kept columns whose combination equals it (in
    /// the caller's units); zeros elsewhere and in the rows of kept columns.
    /// Empty when no column is aliased (read it through ``combination(_:_:)``).
    let combinations: [Double]

    /// Entry (a, c) of ``combinations`` (0 when it is empty).
    func combination(_ a: Int, _ c: Int) -> Double {
        combinations.isEmpty ? 0 : combinations[a &* parameterCount &+ c]
    }

    /// The number of kept columns (the rank of the reduced design).
    var rank: Int { keptColumns.count }
    /// Whether no column is aliased.
    var isFullRank: Bool { keptColumns.count == parameterCount }

    /// The aliasing of `accumulator`'s design at relative `tolerance`.
    init(_ accumulator: QRAccumulator, tolerance: Double) {
        let p = accumulator.parameterCount, k = accumulator.outputs
        let m = p &+ k
        parameterCount = p
        outputs = k
        fitIntercept = accumulator.fitIntercept
        exponents = accumulator.columnExponents.map { $0 ?? 0 }
        let r = accumulator.r
        var work = r
        var kept = [Bool](repeating: false, count: p)
        var keptColumns: [Int] = []
        var aliasedSoFar: [Int] = []
        var t = 0
        // Column j has no entries below row j: R is triangular, and the reflection of an
        // earlier kept column j′ acts on rows t′ ... j′ only (where its vector is non-zero).
        let squares = r.upperColumnSquaredNorms(p)
        for j in 0 ..< p {
            let original = squares[j].squareRoot().value
            let residual = work.squaredNorm(column: j, rows: t ..< (j &+ 1)).squareRoot().value
            let isAliased = original == 0 || !(residual >= tolerance * original) || t >= accumulator.rowCount
            if isAliased {
                aliasedSoFar.append(j)
                continue
            }
            // Householder reflection zeroing rows t+1 ... j of column j, applied
            // to every later column and to the aliased columns (whose top rows
            // then hold their coordinates in the kept columns' basis). Its cost
            // is O(m · (aliased so far)): nothing at all for a full-rank design.
            let last = j
            let below = work.squaredNorm(column: j, rows: (t &+ 1) ..< (last &+ 1))
            if below.hi != 0 {
                let head = work[t, j]
                let norm = (head.squared + below).squareRoot()
                let alpha = head.hi >= 0 ? -norm : norm
                var v = [DoubleDouble](repeating: .zero, count: last &- t &+ 1)
                v[0] = head - alpha
                for i in (t &+ 1) ... last { v[i &- t] = work[i, j] }
                let vNorm = v[0].squared + below
                let targets = Array((j &+ 1) ..< m) + aliasedSoFar
                for c in targets {
                    var s = DoubleDouble.zero
                    for i in t ... last { s += v[i &- t] * work[i, c] }
                    let factor = (s + s) / vNorm
                    if factor.hi == 0 { continue }
                    for i in t ... last { work[i, c] = work[i, c] - factor * v[i &- t] }
                }
                work[t, j] = alpha
                for i in (t &+ 1) ... last { work[i, j] = .zero }
            }
            kept[j] = true
            keptColumns.append(j)
            t &+= 1
        }
        self.kept = kept
        self.keptColumns = keptColumns
        let rank = keptColumns.count
        if rank == p {
            // Every column kept, no reflection made: R itself (shared, not copied).
            factor = r
            combinations = []
            return
        }
        var factor = DoubleDoubleMatrix(rows: rank, columns: rank &+ k)
        for i in 0 ..< rank {
            for (position, column) in keptColumns.enumerated() where position >= i { factor[i, position] = work[i, column] }
            for o in 0 ..< k { factor[i, rank &+ o] = work[i, p &+ o] }
        }
        self.factor = factor
        var combinations = [Double](repeating: 0, count: p &* p)
        for a in aliasedSoFar {
            let rhs = (0 ..< rank).map { work[$0, a] }
            guard let g = TriangularSolve.backSubstitute(factor, size: rank, rightHandSide: rhs) else { continue }
            for (position, column) in keptColumns.enumerated() {
                combinations[a &* p &+ column] = PowerOfTwo.scale(g[position].value, by: exponents[a] &- exponents[column])
            }
        }
        self.combinations = combinations
    }

    /// The reduced design's least-squares coefficients of output `output`
    /// (internal order, caller's units); NaN for aliased columns, or for all
    /// when the factor is singular (it cannot be after the rule above).
    func estimates(output: Int) -> [Double] {
        let p = parameterCount, rank = self.rank
        var result = [Double](repeating: .nan, count: p)
        let rhs = (0 ..< rank).map { factor[$0, rank &+ output] }
        guard let z = TriangularSolve.backSubstitute(factor, size: rank, rightHandSide: rhs) else { return result }
        let ey = exponents[p &+ output]
        for (position, column) in keptColumns.enumerated() {
            result[column] = PowerOfTwo.scale(z[position].value, by: ey &- exponents[column])
        }
        return result
    }

    /// F = R_K⁻¹ of the kept columns in the caller's units (r × r,
    /// row-major, ``keptColumns`` order, upper triangular): F·Fᵀ =
    /// (X_Kᵀ W X_K)⁻¹, the reduced design's unscaled covariance in factored
    /// form (robust sandwiches are formed as F·(FᵀMF)·Fᵀ); nil when the
    /// factor cannot be inverted.
    func inverseFactor() -> [Double]? {
        let rank = self.rank
        guard let inverse = TriangularSolve.inverse(factor, size: rank) else { return nil }
        var result = [Double](repeating: 0, count: rank &* rank)
        for (position, column) in keptColumns.enumerated() {
            for l in position ..< rank {
                result[position &* rank &+ l] = PowerOfTwo.scale(inverse[position, l].value, by: -exponents[column])
            }
        }
        return result
    }

    /// diag((X_Kᵀ W X_K)⁻¹) of the kept columns in the caller's units
    /// (internal order), NaN for aliased columns.
    func unscaledVariances() -> [Double] {
        var result = [Double](repeating: .nan, count: parameterCount)
        guard let inverse = TriangularSolve.inverse(factor, size: rank) else { return result }
        for (position, column) in keptColumns.enumerated() {
            var sum = DoubleDouble.zero
            for l in position ..< rank { sum += inverse[position, l].squared }
            result[column] = PowerOfTwo.scale(sum.value, by: -2 &* exponents[column])
        }
        return result
    }
}
