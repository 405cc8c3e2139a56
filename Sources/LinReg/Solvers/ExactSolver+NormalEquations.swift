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
/// statistics, streaming, merging and persistence follow.
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
    /// computes it, in whichever order. False when `entry` is.
    static func choleskyByRowBlocks(size p: Int, columns: Int, threads: Int, _ entry: (Int, Int) -> Bool) -> Bool {
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
                        for a in low ..< high { _ = entry(a, b) }
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
    /// caller), and `contraction` is ρ = 64·κ̂_X²·ε: the coefficients must then
    /// be refined by passes over the data (ExactSolver+Refinement.swift), the
    /// error shrinking by about ρ per pass, after a preconditioning pass when
    /// ρ exceeds ``refinementContractionLimit``. So is a well-conditioned X
    /// whose fit is too nearly exact for the residual pass alone (κ̂ of
    /// [X, Y] beyond ``residualPassSuffices(augmentedConditionEstimate:relativeTolerance:)``):
    /// its refinement passes remove the moments' coefficient error from the
    /// RSS. `contraction` is nil when the one-pass rule or the residual pass
    /// holds.
    static func normalEquationsPlan(_ moments: CrossProducts, fitIntercept: Bool, logWeightSum: DoubleDouble,
                                    allowRefinement: Bool, threads: Int = 1) throws
        -> (accumulator: QRAccumulator, needsResiduals: Bool, contraction: Double?)? {
        let d = moments.features, k = moments.outputs, p = d &+ k
        let n = moments.weightSum
        guard moments.isFinite, p >= 1, moments.rowCount >= 1, n.isFinite,
              n >= 0x1p-500, n <= 0x1p500 else { return nil }

        // Means as origin + offset, exactly (double-double).
        let means = (0 ..< p).map { moments.exactMean($0) }
        // The co-moment matrix of the design's [X, Y] columns, in double-double:
        // centred (intercept), or raw Σ w a aᵀ = S + N·mean·meanᵀ.
        var gram = [DoubleDouble](repeating: .zero, count: p &* p)
        for a in 0 ..< p {
            for b in a ..< p {
                var value = DoubleDouble(moments.comoment(a, b))
                if !fitIntercept { value += (means[a] * n) * means[b] }
                gram[a &* p &+ b] = value
                gram[b &* p &+ a] = value
            }
        }
        var diagonal = [Double](repeating: 0, count: p)
        for c in 0 ..< p {
            let g = gram[c &* p &+ c].value
            guard g.isFinite, g >= 0x1p-800, g <= 0x1p800 else { return nil }
            diagonal[c] = g
        }

        // The rule: X alone well conditioned, and [X, Y] too (one pass) or
        // not too far off (a second pass for the residual block).
        var rounded = [Double](repeating: 0, count: p &* p)
        for i in 0 ..< (p &* p) { rounded[i] = gram[i].value }
        var contraction: Double? = nil
        var estimateX = 1.0
        if d > 0 {
            var leading = [Double](repeating: 0, count: d &* d)
            for a in 0 ..< d {
                for b in 0 ..< d { leading[a &* d &+ b] = rounded[a &* p &+ b] }
            }
            estimateX = equilibratedConditionEstimate(gram: leading, size: d, threads: threads)
            if !normalEquationsSuffice(equilibratedConditionEstimate: estimateX,
                                       relativeTolerance: normalEquationsTolerance) {
                let rho = 64 * estimateX * estimateX * Double.ulpOfOne
                guard allowRefinement, rho.isFinite, rho <= preconditionedContractionLimit else { return nil }
                contraction = rho
            }
        }
        // [X, Y]'s estimate decides only when X alone passed the rule (the
        // refined path checks its residuals after the passes instead).
        let estimate = contraction == nil
            ? equilibratedConditionEstimate(gram: rounded, size: p, threads: threads) : .infinity
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
                    let sum = gram[rowA &+ b].scaled(byPowerOfTwo: -(ea &+ eb)) - dot
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

        var accumulator = try QRAccumulator(features: d, outputs: k, fitIntercept: fitIntercept)
        if fitIntercept {
            let root = DoubleDouble(n).squareRoot()
            accumulator.r[0, 0] = root.scaled(byPowerOfTwo: -exponents[0])
            for c in 0 ..< p {
                accumulator.r[0, c &+ 1] = (root * means[c]).scaled(byPowerOfTwo: -exponents[c &+ 1])
            }
        }
        for a in 0 ..< p {
            for b in 0 ... a { accumulator.r[b &+ offset, a &+ offset] = DoubleDouble(lowerHi[a &* p &+ b], lowerLo[a &* p &+ b]) }
        }
        for c in 0 ..< (onePass ? m : offset &+ d) {
            guard accumulator.r[c, c].hi.isFinite, accumulator.r[c, c].hi > 0 else { return nil }
        }
        accumulator.columnExponents = exponents.map { Optional($0) }
        accumulator.rowCount = moments.rowCount
        accumulator.logWeightSum = logWeightSum
        return (accumulator, !onePass, contraction)
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
    /// equilibration: √(‖C‖∞·‖C⁻¹‖∞) with C = D·G·D; +∞ when the Cholesky
    /// factorisation of C breaks down (C singular or too close to it).
    static func equilibratedConditionEstimate(gram: [Double], size p: Int, threads: Int = 1) -> Double {
        guard p >= 1, gram.count == p &* p else { return .infinity }
        let level = KernelDispatch.level(nil)
        var scale = [Double](repeating: 0, count: p)
        for c in 0 ..< p {
            let g = gram[c &* p &+ c]
            guard g > 0, g.isFinite else { return .infinity }
            scale[c] = 1 / g.squareRoot()
        }
        var c = [Double](repeating: 0, count: p &* p)
        var norm = 0.0
        for a in 0 ..< p {
            var row = 0.0
            for b in 0 ..< p {
                let v = gram[a &* p &+ b] * scale[a] * scale[b]
                c[a &* p &+ b] = v
                row += abs(v)
            }
            norm = max(norm, row)
        }
        // Cholesky C = L·Lᵀ (L lower, row-major), M = L⁻¹ (lower; stored by
        // columns, so that every inner product below runs over contiguous
        // memory), then C⁻¹ = Mᵀ·M.
        var l = [Double](repeating: 0, count: p &* p)
        var inverse = [Double](repeating: 0, count: p &* p)  // inverse[j·p + i] = M[i][j]
        var inverseNorm = 0.0
        var rowSums = [Double](repeating: 0, count: p)
        let factored = l.withUnsafeMutableBufferPointer { lb -> Bool in
            inverse.withUnsafeMutableBufferPointer { mb -> Bool in
                guard let lp = lb.baseAddress, let mp = mb.baseAddress else { return false }
                // L[a][b]; false when a diagonal entry is not positive.
                func entry(_ a: Int, _ b: Int) -> Bool {
                    let rowA = lp + a &* p
                    let sum = c[a &* p &+ b] - KernelDispatch.dot(rowA, lp + b &* p, count: b, level: level)
                    if a == b {
                        guard sum > 0, sum.isFinite else { return false }
                        rowA[a] = sum.squareRoot()
                    } else {
                        rowA[b] = sum / lp[b &* p &+ b]
                    }
                    return true
                }
                // The Cholesky factor by blocks of rows, the columns of M, and
                // then the rows of MᵀM: on `threads` workers from 128 columns
                // on (each value is computed the same way whoever computes it;
                // the row sums are then taken in a fixed order).
                guard choleskyByRowBlocks(size: p, columns: p, threads: threads, entry) else { return false }
                let workers = p >= 128 ? WorkerThreads.count(requested: threads, pieces: p) : 1
                WorkerThreads.forEach(items: p, workers: workers) { _, j in
                    let column = mp + j &* p
                    column[j] = 1 / lp[j &* p &+ j]
                    var i = j &+ 1
                    while i < p {
                        // M[i][j] = −Σ_{j ≤ t < i} L[i][t]·M[t][j] / L[i][i]
                        column[i] = -KernelDispatch.dot(lp + (i &* p &+ j), column + j, count: i &- j, level: level)
                            / lp[i &* p &+ i]
                        i &+= 1
                    }
                }
                // |C⁻¹| by rows, upper triangle: |(MᵀM)[a][b]| = |Σ_{t ≥ b} M[t][a]·M[t][b]|.
                let magnitudes = UnsafeMutablePointer<Double>.allocate(capacity: p &* p)
                defer { magnitudes.deallocate() }
                WorkerThreads.forEach(items: p, workers: workers) { _, a in
                    for b in a ..< p {
                        magnitudes[a &* p &+ b] = abs(KernelDispatch.dot(mp + (a &* p &+ b), mp + (b &* p &+ b),
                                                                          count: p &- b, level: level))
                    }
                }
                for a in 0 ..< p {
                    for b in a ..< p {
                        let value = magnitudes[a &* p &+ b]
                        rowSums[a] += value
                        if b != a { rowSums[b] += value }
                    }
                }
                return true
            }
        }
        guard factored else { return .infinity }
        for a in 0 ..< p { inverseNorm = max(inverseNorm, rowSums[a]) }
        let product = norm * inverseNorm
        guard product.isFinite, product > 0 else { return .infinity }
        return max(1, product.squareRoot())
    }
}
