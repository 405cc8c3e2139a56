/// The exact solver's fast path: the triangular factor from the data's
/// moments (normal equations) instead of Householder reflections, when that
/// provably keeps about ten correct digits.
///
/// **One pass.** ``CrossProducts`` reads X, Y (and the weights) once, with
/// SIMD kernels on all cores, and returns N = Σ wᵢ, the column means and the
/// centred co-moments S of [X, Y] (about 25× less arithmetic per row than the
/// double-double Householder reduction, and no copy of the data).
///
/// **The same factor.** For the augmented design A = √w·[1, X, Y] the R
/// factor of A = QR is, up to the signs of its rows,
///
///     R = [ √N   √N·meanᵀ ]
///         [ 0    chol(S)  ]
///
/// (without an intercept, R = chol(S + N·mean·meanᵀ), the raw Gram matrix).
/// It is formed in double-double from the double moments — the means as the
/// exact sum origin + offset, the Cholesky factorisation in double-double —
/// and scaled by powers of two exactly as ``QRAccumulator`` stores its
/// factor, so the result *is* a ``QRAccumulator``: the same solution code,
/// statistics, streaming, merging and persistence follow. (A refined fit of
/// at least ``refinedDoubleFactorColumns`` features may instead start from
/// the condition estimate's double Cholesky factor, which its refinement
/// passes then correct.)
///
/// **The rule** (``normalEquationsFactor(_:fitIntercept:logWeightSum:)``).
/// The moments carry a relative error of a few units of ε = 2⁻⁵² per entry
/// (on the scale √(S_aa·S_bb)), which the factorisation amplifies by the
/// condition number of the equilibrated co-moment matrix. With
///
///     C = D·S·D  (D = diag(1/√S_cc), the correlation matrix of [X, Y] —
///                 centred with an intercept, raw without),
///     κ̂² = ‖C‖∞ · ‖C⁻¹‖∞   (an upper bound of κ₂(C), as C is symmetric),
///
/// and κ̂_X the same for C's X block:
///
/// * the path needs ``normalEquationsSuffice(equilibratedConditionEstimate:relativeTolerance:)``(κ̂_X, 1e-10),
///   i.e. 64·κ̂_X²·ε ≤ 1e-10 (κ̂_X ≤ 84): the coefficients' accuracy;
/// * one pass when also 64·κ̂²·ε ≤ 1e-10;
/// * else, when ``residualPassSuffices(augmentedConditionEstimate:relativeTolerance:)``
///   (64·κ̂·ε ≤ 1e-10, κ̂ ≲ 7000: a nearly exact fit, where the residual
///   block Syy − cᵀc would lose its digits to cancellation), a second pass
///   over the data computes the residuals' co-moments directly
///   (``ResidualMoments``) for that block;
/// * else the QR path, or for a `fit` of at least
///   ``refinementMinimumRows`` rows the refined path
///   (ExactSolver+Refinement.swift), whose passes then correct β and
///   compute correctly rounded residuals.
///
/// Rank-deficient designs (a constant column, collinear features or
/// outputs: C singular) and moments whose magnitudes leave 2^±800 (where
/// squares could have underflowed or overflowed) also go to the QR path.
/// What the path then guarantees: the slopes, sums of squares, singular
/// values and covariance agree with the QR path's to about 1e-10 relative;
/// the intercept to that relative to |ȳ| + Σ|x̄_c·β_c| (its size before
/// cancellation).
extension ExactSolver {
    /// The accuracy the normal-equations path must keep (relative).
    static let normalEquationsTolerance = 1e-10

    /// Rows per block of the moments' double-double Cholesky factorisation
    /// (the rows of a block are computed in parallel left of it).
    static let choleskyBlockRows = 32

    /// Runs a row-oriented Cholesky factorisation (L[a][b] for b ≤ a, b <
    /// `columns`, by `entry`, which reads only rows ≤ a and returns false
    /// when a diagonal entry is not positive) by blocks of
    /// ``choleskyBlockRows`` rows: a block's entries left of it need only
    /// the finished rows above and their own row, so its rows are computed
    /// by `threads` workers (from 128 columns on), each taking a run of the
    /// block's rows column by column (a finished row b is then read once per
    /// worker, not once per row: wide factors stream from L3); then its own
    /// triangle, row by row. Every entry is the same expression whoever
    /// computes it, in whichever order. False when `entry` is. `entries`,
    /// when given, computes `entry(a, b)` for every row a of a run left of
    /// the diagonal block (never a diagonal entry), so that a kernel may
    /// compute several rows' entries side by side.
    static func choleskyByRowBlocks(size p: Int, columns: Int, threads: Int, _ entry: (Int, Int) -> Bool,
                                    entries: ((_ rows: Range<Int>, _ b: Int) -> Void)? = nil) -> Bool {
        let workers = p >= 128 ? WorkerThreads.count(requested: threads, pieces: p) : 1
        var first = 0
        while first < p {
            let end = min(p, first &+ choleskyBlockRows)
            let left = min(first, columns)
            if left > 0 {
                let rows = end &- first, runs = min(workers, rows)
                WorkerThreads.forEach(items: runs, workers: workers) { _, run in
                    let low = first &+ rows &* run / runs, high = first &+ rows &* (run &+ 1) / runs
                    for b in 0 ..< left {
                        if let entries {
                            entries(low ..< high, b)
                        } else {
                            for a in low ..< high { _ = entry(a, b) }
                        }
                    }
                }
            }
            for a in first ..< end {
                var b = first
                while b <= a && b < columns {
                    guard entry(a, b) else { return false }
                    b &+= 1
                }
            }
            first = end
        }
        return true
    }

    /// Whether the residual block may come from a second pass over the data
    /// (the residuals' own sums of squares) when Y makes the augmented design
    /// too ill-conditioned for the one-pass factor: the residuals are then
    /// computed in double to about ε·κ̂ relative (their size against that of
    /// the data), so the rule is 64·κ̂·ε ≤ `relativeTolerance` (κ̂ ≲ 7000,
    /// R² up to about 1 − 2e-8).
    static func residualPassSuffices(augmentedConditionEstimate kappa: Double,
                                     relativeTolerance: Double = 1e-10) -> Bool {
        guard kappa.isFinite, kappa >= 1, relativeTolerance > 0 else { return false }
        return 64 * kappa * Double.ulpOfOne <= relativeTolerance
    }

    /// The accumulator of the rows whose `moments` are given, factored from
    /// them, or nil when the rule above sends the data to the QR path.
    /// `logWeightSum` is Σ log wᵢ over the positive weights (zero without
    /// weights). With `needsResiduals` the residual block (the outputs'
    /// trailing k × k triangle) is left zero: the caller must fill it from a
    /// second pass (``fillResidualBlock(_:residualGram:)``).
    static func normalEquationsFactor(_ moments: CrossProducts, fitIntercept: Bool,
                                      logWeightSum: DoubleDouble) throws
        -> (accumulator: QRAccumulator, needsResiduals: Bool)? {
        guard let plan = try normalEquationsPlan(moments, fitIntercept: fitIntercept, logWeightSum: logWeightSum,
                                                 allowRefinement: false) else { return nil }
        return (plan.accumulator, plan.needsResiduals)
    }

    /// As ``normalEquationsFactor(_:fitIntercept:logWeightSum:)``; with
    /// `allowRefinement`, an X block too ill-conditioned for the one-pass rule
    /// but with κ̂_X at most ``preconditionedConditionLimit`` is factored too
    /// when its Cholesky factor exists (the residual block left for the
    /// caller), and `contraction` is the predicted ρ per pass: 64·κ̂_X²·ε for
    /// the double-double factor, (64 + d)·κ̂_X²·ε for the double one wide data
    /// may start from (``refinedDoubleFactorColumns``). The coefficients must
    /// then be refined by passes over the data (ExactSolver+Refinement.swift),
    /// the error shrinking by about ρ per pass, after a preconditioning pass
    /// when ``refinementNeedsPreconditioning(contraction:)``. So is a
    /// well-conditioned X whose fit is too nearly exact for the residual pass
    /// alone (κ̂ of [X, Y] beyond ``residualPassSuffices(augmentedConditionEstimate:relativeTolerance:)``):
    /// its refinement passes remove the moments' coefficient error from the
    /// RSS. `contraction` is nil when the one-pass rule or the residual pass
    /// holds. `conditionEstimate` is κ̂_X (1 without features).
    static func normalEquationsPlan(_ moments: CrossProducts, fitIntercept: Bool, logWeightSum: DoubleDouble,
                                    allowRefinement: Bool, threads: Int = 1) throws
        -> (accumulator: QRAccumulator, needsResiduals: Bool, contraction: Double?, conditionEstimate: Double)? {
        let d = moments.features, k = moments.outputs, p = d &+ k
        let n = moments.weightSum
        guard moments.isFinite, p >= 1, moments.rowCount >= 1, n.isFinite,
              n >= 0x1p-500, n <= 0x1p500 else { return nil }

        // Means as origin + offset, exactly (double-double).
        let means = (0 ..< p).map { moments.exactMean($0) }
        // The co-moment of the design's columns a ≤ b of [X, Y], in
        // double-double: centred (intercept), or raw Σ w a b = S + N·mean·meanᵀ.
        func designComoment(_ a: Int, _ b: Int) -> DoubleDouble {
            var value = DoubleDouble(moments.comoment(a, b))
            if !fitIntercept { value += (means[a] * n) * means[b] }
            return value
        }
        // The first `size` columns' co-moments rounded to double (symmetric).
        func roundedComoments(_ size: Int) -> [Double] {
            var rounded = [Double](repeating: 0, count: size &* size)
            for a in 0 ..< size {
                for b in a ..< size {
                    let value = designComoment(a, b).value
                    rounded[a &* size &+ b] = value
                    rounded[b &* size &+ a] = value
                }
            }
            return rounded
        }
        var diagonal = [Double](repeating: 0, count: p)
        for c in 0 ..< p {
            let g = designComoment(c, c).value
            guard g.isFinite, g >= 0x1p-800, g <= 0x1p800 else { return nil }
            diagonal[c] = g
        }

        // The rule: X alone well conditioned, and [X, Y] too (one pass) or
        // not too far off (a second pass for the residual block).
        var contraction: Double? = nil
        var estimateX = 1.0
        var factorX: EquilibratedCholesky? = nil
        if d > 0 {
            factorX = EquilibratedCholesky(gram: roundedComoments(d), size: d, threads: threads)
            estimateX = factorX?.conditionEstimate ?? .infinity
            if !normalEquationsSuffice(equilibratedConditionEstimate: estimateX,
                                       relativeTolerance: normalEquationsTolerance) {
                let rho = 64 * estimateX * estimateX * Double.ulpOfOne
                guard allowRefinement, rho.isFinite, rho <= preconditionedContractionLimit else { return nil }
                contraction = rho
            }
        }
        // Only the refined path may start from the estimate's factor.
        if contraction == nil { factorX = nil }
        // [X, Y]'s estimate decides only when X alone passed the rule (the
        // refined path checks its residuals after the passes instead).
        let estimate = contraction == nil
            ? equilibratedConditionEstimate(gram: roundedComoments(p), size: p, threads: threads) : .infinity
        let onePass = contraction == nil && normalEquationsSuffice(equilibratedConditionEstimate: estimate,
                                                                   relativeTolerance: normalEquationsTolerance)
        if contraction != nil {
            // The residual block comes from the refined coefficients'
            // residuals; their accuracy is checked after the passes
            // (ExactSolver+Refinement.swift), not bounded by κ̂ of [X, Y].
        } else if !onePass && !residualPassSuffices(augmentedConditionEstimate: estimate,
                                                    relativeTolerance: normalEquationsTolerance) {
            // A fit too nearly exact for the moments' coefficients to give
            // the residual block (their error ‖XΔβ‖² would show in the RSS):
            // refined like an ill-conditioned X (the passes correct β, and
            // check that the residuals in double keep the RSS's digits), or
            // the QR path.
            guard allowRefinement, d > 0 else { return nil }
            contraction = 64 * estimateX * estimateX * Double.ulpOfOne
        }

        // Column exponents: of each column's raw norm √(Σ w a²).
        let offset = fitIntercept ? 1 : 0
        let m = p &+ offset
        var exponents = [Int](repeating: 0, count: m)
        if fitIntercept { exponents[0] = Int(n.squareRoot().exponent) }
        for c in 0 ..< p {
            let raw = fitIntercept ? diagonal[c] + n * means[c].value * means[c].value : diagonal[c]
            guard raw.isFinite, raw > 0 else { return nil }
            exponents[c &+ offset] = Int(raw.squareRoot().exponent)
        }

        var accumulator = try QRAccumulator(features: d, outputs: k, fitIntercept: fitIntercept)
        if fitIntercept {
            let root = DoubleDouble(n).squareRoot()
            accumulator.r[0, 0] = root.scaled(byPowerOfTwo: -exponents[0])
            for c in 0 ..< p {
                accumulator.r[0, c &+ 1] = (root * means[c]).scaled(byPowerOfTwo: -exponents[c &+ 1])
            }
        }
        accumulator.columnExponents = exponents.map { Optional($0) }
        accumulator.rowCount = moments.rowCount
        accumulator.logWeightSum = logWeightSum

        // Wide refined fits start from the estimate's double factor when its
        // rounding keeps the statistics read from it within the limit the
        // double-double factor is held to (see `refinedDoubleFactorColumns`).
        // (When that factor fails its checks, the double-double one below is tried.)
        if let rho = contraction, let factorX, d >= refinedDoubleFactorColumns {
            let doubleRho = rho * (1 + Double(d) / 64)
            if !refinementNeedsPreconditioning(contraction: doubleRho),
               setDesignBlock(&accumulator, from: factorX, designComoment: designComoment) {
                return (accumulator, true, doubleRho, estimateX)
            }
        }

        // chol(D·G·D) in double-double, D = 2^(−e): L row-major, lower, in
        // two planes (high and low parts) so that the inner products along
        // its rows are the SIMD double-double dot products of
        // `DoubleDoubleKernel` (compensated, exact products; the same bits on
        // every instruction set). Without the outputs' k × k block when a
        // second pass fills it.
        var lowerHi = [Double](repeating: 0, count: p &* p)
        var lowerLo = [Double](repeating: 0, count: p &* p)
        let level = KernelDispatch.level(nil)
        let factored = lowerHi.withUnsafeMutableBufferPointer { hiBuffer in
            lowerLo.withUnsafeMutableBufferPointer { loBuffer -> Bool in
                guard let lh = hiBuffer.baseAddress, let ll = loBuffer.baseAddress else { return p == 0 }
                // L[a][b]; false when a diagonal entry is not positive.
                func entry(_ a: Int, _ b: Int) -> Bool {
                    let ea = exponents[a &+ offset], eb = exponents[b &+ offset]
                    let rowA = a &* p, rowB = b &* p
                    let dot = KernelDispatch.doubleDoubleDot(lh + rowA, ll + rowA, lh + rowB, ll + rowB,
                                                             rows: b, level: level)
                    let sum = designComoment(b, a).scaled(byPowerOfTwo: -(ea &+ eb)) - dot
                    let value: DoubleDouble
                    if a == b {
                        guard sum.hi > 0, sum.hi.isFinite else { return false }
                        value = sum.squareRoot()
                    } else {
                        value = sum / DoubleDouble(lh[rowB &+ b], ll[rowB &+ b])
                    }
                    lh[rowA &+ b] = value.hi
                    ll[rowA &+ b] = value.lo
                    return true
                }
                return choleskyByRowBlocks(size: p, columns: onePass ? p : d, threads: threads, entry)
            }
        }
        guard factored else { return nil }

        for a in 0 ..< p {
            for b in 0 ... a { accumulator.r[b &+ offset, a &+ offset] = DoubleDouble(lowerHi[a &* p &+ b], lowerLo[a &* p &+ b]) }
        }
        for c in 0 ..< (onePass ? m : offset &+ d) {
            guard accumulator.r[c, c].hi.isFinite, accumulator.r[c, c].hi > 0 else { return nil }
        }
        return (accumulator, !onePass, contraction, estimateX)
    }

    /// From this many X columns on, the refined path starts from the double
    /// Cholesky factor the condition estimate made (``EquilibratedCholesky``)
    /// instead of factoring the co-moments again in double-double, which
    /// costs about a tenth of the moments pass at 1,024 columns (p³/6
    /// double-double multiply-adds). That factor's rounding, at most
    /// γ_{d+1} = (d + 1)·ε per entry of the unit-diagonal C (Higham,
    /// *Accuracy and Stability of Numerical Algorithms*, Theorem 10.3, with
    /// (|L||Lᵀ|)ᵢⱼ ≤ 1), adds to the co-moments' few ε: its predicted
    /// contraction is taken as (64 + d)·κ̂²·ε instead of 64·κ̂²·ε, and it is
    /// used only when that keeps the statistics read from the factor inside
    /// ``factorStatisticsLimit`` without a preconditioning pass
    /// (``refinementNeedsPreconditioning(contraction:)``); otherwise the
    /// double-double factor as for narrower data. Measured on 40,000-row
    /// designs of 512 and 1,024 columns at κ up to 4,500: standard errors
    /// within 6.5e-12 relative of the double-double factor's. The
    /// coefficients and the RSS are the refinement passes' either way.
    static let refinedDoubleFactorColumns = 512

    /// Fills `accumulator`'s design block (X's rows and columns, scaled by
    /// its column exponents) from the double Cholesky factor of X's
    /// equilibrated co-moments, and each output's coefficient column c from
    /// Rᵀc = the scaled X–Y co-moments (``TriangularSolve/forwardSubstituteTransposed(_:size:from:rightHandSide:)``,
    /// double-double); the residual block is left zero. False when a pivot is
    /// not positive and finite or a coefficient entry is not finite (the
    /// accumulator's design block is then partly written: the caller refills
    /// it).
    private static func setDesignBlock(_ accumulator: inout QRAccumulator, from factor: EquilibratedCholesky,
                                       designComoment: (Int, Int) -> DoubleDouble) -> Bool {
        let d = accumulator.features, k = accumulator.outputs
        let offset = accumulator.fitIntercept ? 1 : 0
        let exps = accumulator.columnExponents.map { $0 ?? 0 }
        guard factor.size == d else { return false }
        // chol(D₂·G·D₂) = D₂·D⁻¹·L for D₂ = 2^(−e) and D = diag(scale): row a
        // of L times 2^(−e_a)/scale_a, as column a of R.
        for a in 0 ..< d {
            let rowFactor = (DoubleDouble.one / DoubleDouble(factor.scale[a])).scaled(byPowerOfTwo: -exps[a &+ offset])
            for b in 0 ... a {
                accumulator.r[b &+ offset, a &+ offset] = rowFactor * factor.lower[a &* d &+ b]
            }
            let pivot = accumulator.r[a &+ offset, a &+ offset].hi
            guard pivot.isFinite, pivot > 0 else { return false }
        }
        for o in 0 ..< k {
            let column = d &+ offset &+ o, ey = exps[column]
            let u = (0 ..< d).map { b in designComoment(b, d &+ o).scaled(byPowerOfTwo: -(ey &+ exps[b &+ offset])) }
            guard let c = TriangularSolve.forwardSubstituteTransposed(accumulator.r, size: d, from: offset,
                                                                      rightHandSide: u) else { return false }
            for b in 0 ..< d { accumulator.r[b &+ offset, column] = c[b] }
        }
        return true
    }

    /// The coefficients (k × d, row-major) and intercepts (k) that
    /// `accumulator`'s parameter block gives, by double-double
    /// back-substitution (the residual block is not read).
    static func factorCoefficients(_ accumulator: QRAccumulator) -> (weights: [Double], intercepts: [Double])? {
        let d = accumulator.features, k = accumulator.outputs
        let offset = accumulator.fitIntercept ? 1 : 0
        let pp = d &+ offset
        let exps = accumulator.columnExponents.map { $0 ?? 0 }
        var weights = [Double](repeating: 0, count: k &* d)
        var intercepts = [Double](repeating: 0, count: k)
        for o in 0 ..< k {
            let rhs = (0 ..< pp).map { accumulator.r[$0, pp &+ o] }
            guard let z = TriangularSolve.backSubstitute(accumulator.r, size: pp, rightHandSide: rhs) else { return nil }
            let ey = exps[pp &+ o]
            for c in 0 ..< d { weights[o &* d &+ c] = PowerOfTwo.scale(z[c &+ offset].value, by: ey &- exps[c &+ offset]) }
            if offset == 1 { intercepts[o] = PowerOfTwo.scale(z[0].value, by: ey &- exps[0]) }
        }
        guard weights.allSatisfy(\.isFinite), intercepts.allSatisfy(\.isFinite) else { return nil }
        return (weights, intercepts)
    }

    /// Fills the outputs' k × k residual block of `accumulator` with the
    /// double-double Cholesky factor of the residual co-moments
    /// Σ wᵢ rᵢ rᵢᵀ (k × k, row-major, unscaled); a zero pivot (an exact fit)
    /// leaves its row zero, as the reduction would. False on a non-finite
    /// or negative pivot.
    static func fillResidualBlock(_ accumulator: inout QRAccumulator, residualGram g: [Double]) -> Bool {
        let d = accumulator.features, k = accumulator.outputs
        let offset = accumulator.fitIntercept ? 1 : 0
        let first = d &+ offset
        let exps = accumulator.columnExponents.map { $0 ?? 0 }
        var t = [DoubleDouble](repeating: .zero, count: k &* k)  // lower, row-major
        for a in 0 ..< k {
            for b in 0 ... a {
                var sum = DoubleDouble(g[a &* k &+ b]).scaled(byPowerOfTwo: -(exps[first &+ a] &+ exps[first &+ b]))
                for i in 0 ..< b { sum -= t[a &* k &+ i] * t[b &* k &+ i] }
                if a == b {
                    // Rounding may leave a zero pivot (linearly dependent
                    // outputs) slightly negative.
                    let scale = PowerOfTwo.scale(g[a &* k &+ a], by: -2 &* exps[first &+ a])
                    if sum.hi < 0 && -sum.hi <= 1e-12 * scale { sum = .zero }
                    guard sum.hi.isFinite, sum.hi >= 0 else { return false }
                    t[a &* k &+ a] = sum.squareRoot()
                } else {
                    let pivot = t[b &* k &+ b]
                    t[a &* k &+ b] = pivot.hi > 0 ? sum / pivot : .zero
                }
            }
        }
        for a in 0 ..< k {
            for b in 0 ... a { accumulator.r[first &+ b, first &+ a] = t[a &* k &+ b] }
        }
        return true
    }

    /// An upper bound of κ₂(D·A) for the design A with co-moment matrix
    /// `gram` (size × size, symmetric, positive diagonal) and D its
    /// equilibration: √(‖C‖∞·‖C⁻¹‖∞) with C = D·G·D (``EquilibratedCholesky``);
    /// +∞ when the Cholesky factorisation of C breaks down (C singular or
    /// too close to it).
    static func equilibratedConditionEstimate(gram: consuming [Double], size p: Int, threads: Int = 1) -> Double {
        EquilibratedCholesky(gram: consume gram, size: p, threads: threads)?.conditionEstimate ?? .infinity
    }
}
