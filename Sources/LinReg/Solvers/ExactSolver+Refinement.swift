/// The refined normal-equations path: the exact solver's answer at about the
/// cost of the Gram matrix for designs too ill-conditioned for the one-pass
/// rule (correlated columns, polynomial terms) and for fits too nearly exact
/// for the residual pass alone, on data large enough for the Householder
/// reduction's cost to matter.
///
/// **Method** (corrected semi-normal equations with fixed-precision
/// refinement; Björck, *Numerical Methods for Least Squares Problems*, §2.9
/// and §6.6):
///
/// 1. The one pass of the normal-equations path (``CrossProducts``) gives the
///    centred co-moments S; their double-double Cholesky factor R̃ of S_XX
///    (R̃ᵀR̃ = S_XX + E, ‖E‖ ≲ ε‖S_XX‖) and the first coefficients
///    β₀ = S_XX⁻¹ S_XY: relative error up to ρ = 64·κ̂²·ε, κ̂ the estimated
///    condition number of the equilibrated X. (Wide X, from
///    ``refinedDoubleFactorColumns`` on: R̃ may be the condition estimate's
///    double factor instead, ‖E‖ up to about (d + 1)·ε‖S_XX‖ per entry's
///    scale, and ρ = (64 + d)·κ̂²·ε.)
/// 2. Each refinement pass reads the data once more (``ResidualMoments``,
///    threaded, fixed chunks): the residuals r = y − b − Xβ about the column
///    origins, their gradient g = Σ w (x − x̄) r and co-moments Σ w r rᵀ.
///    The correction δ = R̃⁻¹R̃⁻ᵀ g (double-double triangular solves) shrinks
///    the error by about ρ: β ← β + δ, b = ȳ − x̄ᵀβ. The co-moments of the
///    new residuals follow without another pass: Σ w r′r′ᵀ = Σ w r rᵀ − gᵀδ
///    (exact for δ = S⁻¹g), centred about their weighted mean with an
///    intercept.
/// 3. Passes stop once the corrections reach their noise floor, 64·κ̂·ε of
///    β (what residuals computed in double can resolve), or when the next
///    correction is predicted below it (from ρ, then from the last two
///    corrections' ratio); a correction that does not shrink by half, or
///    more than ``refinementMaximumPasses`` passes, sends the data to the
///    Householder reduction instead. Typically one pass suffices: its
///    correction is ρ times the first solution's error.
///
/// The result is again a ``QRAccumulator``: R̃ as the design block, c = R̃β
/// (so that back-substitution returns the refined β), and the Cholesky
/// factor of the final residual co-moments as the residual block.
///
/// **Accuracy.** The residuals are computed about the column origins (or,
/// for nearly exact fits, correctly rounded from the raw rows: the kernel's
/// compensated mode) and their sums taken over blocks of 128 rows, then
/// blocks, then chunks (so the rounding does not grow with n). The coefficients converge to the
/// least-squares solution up to that noise floor; measured against float64
/// `numpy.linalg.lstsq` on 400,000 × 32 float32 rows: correlated columns
/// (ρ = 0.999) 2e-15, polynomial u…u⁶ (κ ≈ 1e4) 1e-12, u…u⁸ (κ ≈ 4e5)
/// 1e-11, where lstsq's own error is about 1e-10 (the double-double
/// Householder reduction agrees with lstsq to 9e-11 there). The RSS keeps
/// ``refinedResidualTolerance`` relative accuracy (checked by
/// ``residualSumsKeepDigits``; fits it declines, exact float64 fits for one,
/// take the Householder reduction). Quantities read from the factor
/// alone — the covariance (standard errors), singular values, condition
/// number, and answers after later `partial_fit`/`merge` calls that continue
/// from this factor — carry its relative error: about κ̂²·ε for the moments'
/// factor, so beyond ``factorStatisticsLimit`` the factor is rebuilt from
/// the whitened rows (about κ̂·ε, or the partial whitening's estimate, at
/// most 1.25e-8). With large residuals the coefficients have
/// float64 `lstsq`'s digits (residuals in double), not the double-double
/// reduction's. Hence the rule: the path is taken
/// only for `fit` (never for streamed chunks) on at least
/// ``refinementMinimumRows`` rows, where the Householder reduction would cost
/// 10–100× the Gram matrix; smaller data (NIST StRD, statsmodels' data sets)
/// keep the double-double reduction and its guarantees.
extension ExactSolver {
    /// The largest predicted contraction per pass, ρ = 64·κ̂_X²·ε (κ̂_X ≲ 8e5).
    static let refinementContractionLimit = 1e-2
    /// κ̂²·ε beyond which the moments' factor is rebuilt from whitened rows
    /// for the statistics read from it (κ̂ ≳ 15,000): they err by about
    /// 0.08·κ̂²·ε (measured 2.8e-9 at κ ≈ 1e4, 2e-6 at 4e5), so below it they
    /// keep statsmodels' 1e-8 with a margin of about 2.5.
    static let factorStatisticsLimit = 5e-8
    /// The relative accuracy the residual sums of squares must keep.
    static let refinedResidualTolerance = 1e-9
    /// Fewer rows than this go to the Householder reduction (it is cheap there).
    static let refinementMinimumRows = 32_768
    /// Most passes over the data after the first.
    static let refinementMaximumPasses = 8

    /// Whether refinement from a factor whose predicted contraction per pass
    /// is `rho` (64·κ̂²·ε for the double-double factor of the moments) first
    /// rebuilds it from whitened rows: beyond ``refinementContractionLimit``
    /// (the first solution may be wrong in every digit), or when the
    /// statistics read from it, about ρ/64 relative, would exceed
    /// ``factorStatisticsLimit``.
    static func refinementNeedsPreconditioning(contraction rho: Double) -> Bool {
        rho > refinementContractionLimit || rho / 64 > factorStatisticsLimit
    }

    /// The refined factor of the rows from the first pass's `factor` (design
    /// block and coefficients from the moments, residual block empty), or nil
    /// when refinement does not converge or the RSS would not keep its
    /// digits; `spent` counts every pass made over the data, declined or not.
    /// `contraction` is the factor's predicted ρ per pass and
    /// `conditionEstimate` κ̂_X (``normalEquationsPlan(_:fitIntercept:logWeightSum:allowRefinement:threads:)``).
    /// Also returns the number of passes made after the first (a
    /// preconditioning pass included, when
    /// ``refinementNeedsPreconditioning(contraction:)``).
    static func refinedRows<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, factor: consuming QRAccumulator,
        moments: CrossProducts, contraction: Double, conditionEstimate kappa: Double, threads: Int,
        spent: inout Int
    ) throws -> (accumulator: QRAccumulator, passes: Int)? {
        let d = factor.features, k = factor.outputs
        guard d >= 1, kappa.isFinite, let start = factorCoefficients(factor) else { return nil }
        // The corrections' noise floor: residuals in double carry about
        // ε·κ̂·‖β‖ of error into the gradient's solution.
        let noiseFloor = max(0x1p-53, 64 * kappa * Double.ulpOfOne)
        // Too ill-conditioned to refine from the moments' factor: a better
        // one from the whitened rows first (ExactSolver+Preconditioning.swift).
        // Also when the moments' factor would leave the statistics read from it
        // (standard errors, singular values: about 0.08·κ̂²·ε relative) short of
        // statsmodels' 1e-8 (``factorStatisticsLimit``); the whitened factor
        // carries about κ̂·ε (whitening only its ill-conditioned columns: at
        // most the estimate ``whitenedColumns(transform:design:exponents:offset:)``
        // returns).
        var contraction = contraction, preconditioning = 0, partialWhitening = false
        // Beyond the contraction limit the moments' β₀ may be wrong in every
        // digit: its first correction is then judged by a second pass.
        let roughStart = contraction > refinementContractionLimit
        if refinementNeedsPreconditioning(contraction: contraction) {
            spent &+= 1
            guard let better = preconditionedFactor(X: X, sampleWeight: sampleWeight, factor: factor,
                                                    moments: moments, threads: threads) else { return nil }
            factor = better.factor
            contraction = better.contraction
            preconditioning = 1
            partialWhitening = better.partial
        }
        let offset = factor.fitIntercept ? 1 : 0
        let exps = factor.columnExponents.map { $0 ?? 0 }
        let origins = moments.origin
        let means = (0 ..< (d &+ k)).map { moments.exactMean($0) }
        let n = moments.weightSum

        var beta = start.weights  // k × d
        var intercepts = interceptsFromMeans(beta, means: means, d: d, k: k, fitIntercept: factor.fitIntercept)
        // A nearly exact fit (its RSS, predicted from the moments, too small
        // for residuals in double to keep to `refinedResidualTolerance`)
        // takes correctly rounded residuals from the first pass on.
        var compensated = predictsNearlyExactFit(moments, beta: beta, fitIntercept: factor.fitIntercept)
        var previous = Double.infinity
        var ratio = contraction
        var passes = 0
        var relative = 0.0
        var corrections = [Double](repeating: 0, count: k)  // the last max|δ| of each output
        var residualGram: [Double] = []

        /// One pass: the residual sums of β, the correction, the new
        /// residual co-moments; the correction's size relative to β.
        func refine() throws -> Double? {
            passes &+= 1
            spent &+= 1
            let sums = try ResidualMoments.sums(X: X, Y: Y, sampleWeight: sampleWeight, weights: beta,
                                                intercepts: intercepts, origins: origins, threads: threads,
                                                gradient: true, compensated: compensated)
            guard sums.gram.allSatisfy(\.isFinite), sums.gradient.allSatisfy(\.isFinite) else { return nil }
            // The gradient about the means (intercept) or about zero (none).
            var gradient = sums.gradient
            for o in 0 ..< k {
                for c in 0 ..< d {
                    let shift = factor.fitIntercept ? -moments.offset[c] : origins[c]
                    gradient[o &* d &+ c] += shift * sums.sum[o]
                }
            }
            var correction = [Double](repeating: 0, count: k &* d)
            for o in 0 ..< k {
                guard let delta = solveNormalEquations(factor.r, exponents: exps, offset: offset,
                                                       rightHandSide: Array(gradient[(o &* d) ..< ((o &+ 1) &* d)]))
                else { return nil }
                for c in 0 ..< d { correction[o &* d &+ c] = delta[c] }
            }
            // Residual co-moments of the corrected coefficients: Σ w r rᵀ − gᵀδ,
            // centred about the residuals' mean with an intercept.
            residualGram = sums.gram
            for a in 0 ..< k {
                for b in 0 ..< k {
                    var g = 0.0
                    for c in 0 ..< d { g += gradient[a &* d &+ c] * correction[b &* d &+ c] }
                    var value = residualGram[a &* k &+ b] - g
                    if factor.fitIntercept && n > 0 { value -= sums.sum[a] * sums.sum[b] / n }
                    residualGram[a &* k &+ b] = value
                }
            }
            for a in 0 ..< k {
                for b in 0 ..< a {
                    let mean = 0.5 * (residualGram[a &* k &+ b] + residualGram[b &* k &+ a])
                    residualGram[a &* k &+ b] = mean
                    residualGram[b &* k &+ a] = mean
                }
            }
            var size = 0.0, scale = 0.0
            for o in 0 ..< k {
                var largest = 0.0
                for c in 0 ..< d {
                    let i = o &* d &+ c
                    beta[i] += correction[i]
                    largest = max(largest, abs(correction[i]))
                    scale = max(scale, abs(beta[i]))
                }
                corrections[o] = largest
                size = max(size, largest)
            }
            intercepts = interceptsFromMeans(beta, means: means, d: d, k: k, fitIntercept: factor.fitIntercept)
            return scale > 0 ? size / scale : 0
        }

        while true {
            guard let step = try refine() else { return nil }
            relative = step
            // At the noise floor the corrections stop shrinking: the
            // coefficients are then as accurate as residuals in double allow.
            // (After preconditioning from a rough start the first correction
            // fixes a β₀ that may be wrong in every digit: one more pass always.
            // From β₀ within ρ ≤ 1e-2 the rebuilt factor's correction leaves
            // about ρ times its contraction, at most 1e-2 × 1.25e-8, below the
            // noise floor for every κ̂ beyond the statistics limit: one pass.)
            let settled = passes > (roughStart ? 1 : 0)
            if relative <= noiseFloor && settled { break }
            if passes > 1 {
                guard relative <= 0.5 * previous else { return nil }
                ratio = previous > 0 ? relative / previous : 0
            }
            previous = relative
            if (relative * ratio <= noiseFloor || relative == 0) && settled { break }
            guard passes < refinementMaximumPasses else { return nil }
        }

        // The RSS must keep `refinedResidualTolerance` relative accuracy
        // (``residualSumsKeepDigits``). When it does not with residuals in
        // double (the prediction above missed), one more pass with correctly
        // rounded residuals; else the Householder reduction. Also one more
        // (compensated) pass when a partial whitening's conservative
        // contraction estimate made the remaining coefficient error look too
        // large: the next correction measures it.
        // Each output's remaining coefficient error: its last correction
        // times the predicted contraction (at least β's own rounding). The
        // residuals' rounding noise in the corrections adds at most about
        // p·‖rounding‖² to the RSS (the gradient's noise seen through S⁻¹),
        // far inside the first rule.
        func remainingErrors() -> [Double] {
            (0 ..< k).map { o in
                var largest = 0.0
                for c in 0 ..< d { largest = max(largest, abs(beta[o &* d &+ c])) }
                return max(corrections[o] * min(ratio, 1), 0x1p-53 * largest)
            }
        }
        if !residualSumsKeepDigits(moments, beta: beta, intercepts: intercepts, residualGram: residualGram,
                                   coefficientErrors: remainingErrors(), compensated: compensated,
                                   fitIntercept: factor.fitIntercept) {
            guard !compensated || partialWhitening else { return nil }
            compensated = true
            guard try refine() != nil else { return nil }
            guard residualSumsKeepDigits(moments, beta: beta, intercepts: intercepts, residualGram: residualGram,
                                         coefficientErrors: remainingErrors(), compensated: true,
                                         fitIntercept: factor.fitIntercept) else { return nil }
        }

        // The factor moves into the result (no copy of its planes): swapped
        // with an empty one (`factor` is captured by `refine`, so it cannot be
        // consumed).
        guard var accumulator = try? QRAccumulator(features: 0, outputs: 0, fitIntercept: false) else { return nil }
        swap(&accumulator, &factor)
        setCoefficientColumn(&accumulator, weights: beta, exponents: exps)
        guard fillResidualBlock(&accumulator, residualGram: residualGram) else { return nil }
        guard factorCoefficients(accumulator) != nil else { return nil }
        return (accumulator, passes &+ preconditioning)
    }

    /// bₒ = ȳₒ − Σ_c x̄_c βₒc in double-double (0 without an intercept).
    private static func interceptsFromMeans(_ beta: [Double], means: [DoubleDouble], d: Int, k: Int,
                                            fitIntercept: Bool) -> [DoubleDouble] {
        guard fitIntercept else { return [DoubleDouble](repeating: .zero, count: k) }
        return (0 ..< k).map { o in
            var sum = means[d &+ o]
            for c in 0 ..< d { sum -= means[c] * beta[o &* d &+ c] }
            return sum
        }
    }

    /// Whether the moments predict, for some output, an RSS too small for
    /// residuals computed in double to keep its digits (with a margin of 4):
    /// RSS ≈ S_yy − βᵀS_xy (zero when within its own rounding) against the
    /// plain rule of ``residualSumsKeepDigits``.
    static func predictsNearlyExactFit(_ moments: CrossProducts, beta: [Double], fitIntercept: Bool) -> Bool {
        let d = moments.features, k = moments.outputs
        let n = moments.weightSum
        func comoment(_ a: Int, _ b: Int) -> Double {
            let value = moments.comoment(a, b)
            if fitIntercept { return value }
            return value + n * moments.exactMean(a).value * moments.exactMean(b).value
        }
        for o in 0 ..< k {
            let yy = comoment(d &+ o, d &+ o)
            var rss = yy, size = abs(yy)
            var spread = moments.comoment(d &+ o, d &+ o).squareRoot()
            for c in 0 ..< d {
                let term = beta[o &* d &+ c] * comoment(c, d &+ o)
                rss -= term
                size += abs(term)
                spread += moments.comoment(c, c).squareRoot() * abs(beta[o &* d &+ c])
            }
            if !(rss > 64 * Double.ulpOfOne * size) { return true }
            if 4 * 128 * Double.ulpOfOne * spread > refinedResidualTolerance * rss.squareRoot() { return true }
        }
        return false
    }

    /// Whether the refined RSS of each output keeps `refinedResidualTolerance`
    /// relative accuracy. Two sources of error:
    ///
    /// * the residuals' rounding: each carries about ε times the size of
    ///   its terms (plain mode: y − o_y and (x − o)·β about the origins;
    ///   `spread` = √S_yy + Σ_c √S_cc·|β_c|), or ε² times the raw terms'
    ///   (compensated mode: |y|, |b| and |x·β|, as raw norms); the RSS then
    ///   errs by at most 2·‖error‖·√RSS: the rule 128·ε·spread ≤ tol·√RSS
    ///   (ε² and the raw norms when compensated; a bound about ten times
    ///   the rounding's usual size);
    /// * the coefficients' own error (`coefficientErrors`: each output's
    ///   max|Δ|, the predicted next correction): RSS(β + Δ) = RSS + ‖X̃Δ‖²,
    ///   at most (max|Δ|·Σ_c √S_cc)², held to tol/4 of the RSS.
    ///
    /// The rounding rule's constant grows with d in the compensated mode
    /// (128 + 4·d: Dot2's error in eight lanes grows with the terms per lane).
    static func residualSumsKeepDigits(_ moments: CrossProducts, beta: [Double], intercepts: [DoubleDouble],
                                       residualGram: [Double], coefficientErrors: [Double], compensated: Bool,
                                       fitIntercept: Bool) -> Bool {
        let d = moments.features, k = moments.outputs
        let n = moments.weightSum
        for o in 0 ..< k {
            let rss = residualGram[o &* k &+ o]
            guard rss.isFinite, rss >= 0 else { return false }
            var spread = 0.0, columns = 0.0
            if compensated {
                let y = moments.exactMean(d &+ o).value
                spread = (moments.comoment(d &+ o, d &+ o) + n * y * y).squareRoot()
                    + n.squareRoot() * abs(intercepts[o].value)
            } else {
                spread = moments.comoment(d &+ o, d &+ o).squareRoot()
            }
            for c in 0 ..< d {
                let b = abs(beta[o &* d &+ c])
                let centred = moments.comoment(c, c).squareRoot()
                if compensated {
                    let x = moments.exactMean(c).value
                    spread += (moments.comoment(c, c) + n * x * x).squareRoot() * b
                } else {
                    spread += centred * b
                }
                columns += centred
            }
            let rounding = compensated ? (128 + 4 * Double(d)) * Double.ulpOfOne * Double.ulpOfOne
                                       : 128 * Double.ulpOfOne
            guard rounding * spread <= refinedResidualTolerance * rss.squareRoot() else { return false }
            let shift = coefficientErrors[o] * columns
            guard 4 * shift * shift <= refinedResidualTolerance * rss else { return false }
        }
        return true
    }

    /// δ with S_XX·δ = g, S_XX = R̃ᵀR̃ in the caller's units: the design block
    /// R̃ is stored scaled by 2^(−e_c) per column, so δ_c = w_c·2^(−e_c) with
    /// R_sᵀR_s·w = u, u_c = g_c·2^(−e_c). Double-double triangular solves
    /// with the design block of `r` (rows and columns from `offset`).
    private static func solveNormalEquations(_ r: DoubleDoubleMatrix, exponents: [Int], offset: Int,
                                             rightHandSide g: [Double]) -> [Double]? {
        let d = g.count
        let u = (0 ..< d).map { DoubleDouble(g[$0]).scaled(byPowerOfTwo: -exponents[$0 &+ offset]) }
        guard let v = TriangularSolve.forwardSubstituteTransposed(r, size: d, from: offset, rightHandSide: u),
              let w = TriangularSolve.backSubstitute(r, size: d, from: offset, rightHandSide: v) else { return nil }
        let delta = (0 ..< d).map { PowerOfTwo.scale(w[$0].value, by: -exponents[$0 &+ offset]) }
        return delta.allSatisfy(\.isFinite) ? delta : nil
    }

    /// Sets the rows of the design block in each output's column to c = R̃β
    /// (scaled coordinates), so that back-substitution returns β; the
    /// intercept row (√N·ȳ) is left as the first pass made it.
    private static func setCoefficientColumn(_ accumulator: inout QRAccumulator, weights beta: [Double],
                                             exponents: [Int]) {
        let d = accumulator.features, k = accumulator.outputs
        let offset = accumulator.fitIntercept ? 1 : 0
        let first = d &+ offset
        let ld = accumulator.r.columns
        let level = KernelDispatch.level(nil)
        let zeros = [Double](repeating: 0, count: d)
        var values = [DoubleDouble](repeating: .zero, count: d)
        for o in 0 ..< k {
            let ey = exponents[first &+ o]
            // β in R's scaled coordinates (exact: powers of two).
            let z = (0 ..< d).map { PowerOfTwo.scale(beta[o &* d &+ $0], by: exponents[$0 &+ offset] &- ey) }
            // cᵢ = Σ_{j ≥ i} R[i][j]·z_j, the SIMD double-double dot product.
            accumulator.r.hi.withUnsafeBufferPointer { hb in
                accumulator.r.lo.withUnsafeBufferPointer { lb in
                    z.withUnsafeBufferPointer { zb in
                        zeros.withUnsafeBufferPointer { nb in
                            guard let rh = hb.baseAddress, let rl = lb.baseAddress, let zh = zb.baseAddress,
                                  let zl = nb.baseAddress else { return }
                            for i in 0 ..< d {
                                let start = (i &+ offset) &* ld &+ offset &+ i
                                values[i] = KernelDispatch.doubleDoubleDot(rh + start, rl + start, zh + i, zl + i,
                                                                           rows: d &- i, level: level)
                            }
                        }
                    }
                }
            }
            for i in 0 ..< d { accumulator.r[i &+ offset, first &+ o] = values[i] }
        }
    }
}
