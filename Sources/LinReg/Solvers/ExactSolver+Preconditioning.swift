/// The refined path's preconditioning pass, for designs too ill-conditioned
/// for refinement from the moments' factor alone (ρ = 64·κ̂_X²·ε above
/// ``refinementContractionLimit``, κ̂_X from about 8e5 to ``preconditionedConditionLimit``).
///
/// **Method** (Cholesky QR applied twice; Yamamoto, Nakatsukasa, Yanagisawa
/// and Fukaya, "Roundoff error analysis of the CholeskyQR2 algorithm", 2015).
/// The moments' double-double Cholesky factor R̃ of S_XX carries the Gram
/// matrix's error: R̃ᵀR̃ = S_XX + E, ‖E‖ ≲ ε‖S_XX‖, so refinement with it
/// contracts by about κ²·ε per pass, or not at all. One more pass over X
/// forms the Gram matrix of the whitened rows zᵢ = R̃⁻ᵀ(xᵢ − x̄)
/// (``WhitenedGram``): G = R̃⁻ᵀS_XX R̃⁻¹ = I + O(κ²ε), whose condition is
/// about 1 whenever κ²ε ≲ 1/2, so its own double-double Cholesky factor R₂
/// is accurate to about ε, and R₂R̃ is a factor of S_XX with an error of a
/// few ε relative, as from a backward-stable QR of X — or, with a partial
/// whitening (``whitenedColumns(transform:design:exponents:offset:)``: only
/// the ill-conditioned columns of R̃⁻¹), with the error that bound
/// estimates, at most ``factorStatisticsLimit``/4. Refinement with it
/// then contracts by about ε·cond(G)² plus that error per pass: the first
/// pass corrects the moments' β₀ (itself up to ρ off), the second confirms it
/// at the noise floor 64·κ̂·ε. Four passes in all (moments, whitened Gram,
/// two residual passes) instead of the double-double Householder reduction.
///
/// When the moments' Cholesky factor does not exist (κ²ε ≳ 1: beyond about
/// 1e8) or G's is not well conditioned, the data go to the Householder
/// reduction as before.
extension ExactSolver {
    /// The largest κ̂_X the preconditioned refinement is tried for.
    static let preconditionedConditionLimit = 1e8

    /// ρ = 64·κ̂²·ε at ``preconditionedConditionLimit``.
    static var preconditionedContractionLimit: Double {
        64 * preconditionedConditionLimit * preconditionedConditionLimit * Double.ulpOfOne
    }

    /// `factor` with its design block replaced by R₂·R̃ (see above), and the
    /// refinement contraction that factor gives, 64·κ̂(G)²·ε plus the partial
    /// whitening's error estimate, and whether the whitening was partial; nil
    /// when a factor does not exist or G is not near the identity.
    static func preconditionedFactor<E: TrainingScalar>(
        X: MatrixView<E>, sampleWeight: VectorView<E>?, factor: QRAccumulator, moments: CrossProducts, threads: Int
    ) -> (factor: QRAccumulator, contraction: Double, partial: Bool)? {
        let d = factor.features
        let offset = factor.fitIntercept ? 1 : 0
        guard let (transform, design) = whiteningTransform(factor, threads: threads) else { return nil }
        let whitened = whitenedColumns(transform: transform, design: design,
                                       exponents: factor.columnExponents.map { $0 ?? 0 }, offset: offset)
        let kept = whitened.columns, m = kept.count
        let origins = Array(moments.origin[0 ..< d])
        let offsets = (0 ..< d).map { c in
            factor.fitIntercept ? DoubleDouble(moments.offset[c]) : DoubleDouble(-origins[c])
        }
        guard let gram = WhitenedGram.sums(X: X, sampleWeight: sampleWeight, transform: transform,
                                           columns: m == d ? nil : kept, origins: origins, offsets: offsets,
                                           threads: threads) else { return nil }
        // G is the identity outside the kept block (up to `whitened.error`), so
        // its estimate √(‖C‖∞·‖C⁻¹‖∞) is the block's: the identity adds rows of
        // norm 1 to C and C⁻¹, and both norms are at least 1 on the block (unit
        // diagonal, and the inverse's diagonal at least its reciprocal).
        let estimate = equilibratedConditionEstimate(gram: gram, size: m, threads: threads)
        let contraction = 64 * pow2(estimate) * Double.ulpOfOne + whitened.error
        guard contraction.isFinite, contraction <= refinementContractionLimit else { return nil }

        // R₂ with R₂ᵀR₂ = G_JJ (double-double Cholesky of the kept block; the
        // identity elsewhere), then R_s′ = R₂·R_s: only the kept rows change.
        var r2 = DoubleDoubleMatrix(rows: m, columns: m)
        for b in 0 ..< m {
            for a in 0 ... b {
                var sum = DoubleDouble(gram[a &* m &+ b])
                for i in 0 ..< a { sum -= r2[i, a] * r2[i, b] }
                if a == b {
                    guard sum.hi > 0, sum.hi.isFinite else { return nil }
                    r2[a, a] = sum.squareRoot()
                } else {
                    r2[a, b] = sum / r2[a, a]
                }
            }
        }
        var better = factor
        for (i, a) in kept.enumerated() {
            for b in a ..< d {
                var sum = DoubleDouble.zero
                for j in i ..< m where kept[j] <= b { sum += r2[i, j] * design[kept[j], b] }
                better.r[a &+ offset, b &+ offset] = sum
            }
            guard better.r[a &+ offset, a &+ offset].hi > 0, better.r[a &+ offset, a &+ offset].hi.isFinite else {
                return nil
            }
        }
        return (better, contraction, m < d)
    }

    /// T = R̃⁻¹ (d × d row-major, upper triangular) for the design block of
    /// `factor` (R_s, returned too), or nil when it does not exist or is not
    /// finite.
    static func whiteningTransform(_ factor: QRAccumulator, threads: Int) -> (transform: [Double],
                                                                             design: DoubleDoubleMatrix)? {
        let d = factor.features
        let offset = factor.fitIntercept ? 1 : 0
        let exponents = factor.columnExponents.map { $0 ?? 0 }
        let design = factor.r.submatrix(rows: offset ..< (offset &+ d), columns: offset ..< (offset &+ d))
        guard d >= 1, let inverse = TriangularSolve.inverse(design, size: d, threads: threads) else { return nil }
        // T = R̃⁻¹ = diag(2^−e)·R_s⁻¹ (R̃ = R_s·diag(2^e)): rows scaled exactly.
        var transform = [Double](repeating: 0, count: d &* d)
        for a in 0 ..< d {
            for l in a ..< d {
                transform[a &* d &+ l] = PowerOfTwo.scale(inverse[a, l].value, by: -exponents[a &+ offset])
            }
        }
        guard transform.allSatisfy(\.isFinite) else { return nil }
        return (transform, design)
    }

    /// The columns of T = R̃⁻¹ the preconditioning pass whitens, and the
    /// estimated error left in G by taking the identity for the others.
    ///
    /// G = R̃⁻ᵀS R̃⁻¹ = I − TᵀET, with E the rounding error of the moments'
    /// co-moments: |Eᵢⱼ| ≲ γ·√(SᵢᵢSⱼⱼ), so |(TᵀET)ₐᵦ| ≲ γ·tₐ·tᵦ with
    /// tₐ = Σᵢ |Tᵢₐ|·√Sᵢᵢ, the 1-norm of T's column a in the equilibrated
    /// design. Only the columns of large tₐ (the ill-conditioned block: the
    /// polynomial terms beside independent columns, say) carry a visible
    /// error; G is computed from the rows for them and taken as the identity
    /// elsewhere, which leaves γ·√(2·Σₐ tₐ²·Σ_rest tₐ²) at most in Frobenius
    /// norm (the pairs not both kept). γ is not a proven bound of the
    /// co-moments' rounding (blocks of 512 rows summed with fused steps can
    /// reach many ε); it is estimated as 2ε. With γ = ε the estimate for the
    /// moments' factor itself (nothing whitened) is about κ̂²·ε on the
    /// polynomial designs, twelve times its measured error 0.08·κ̂²·ε (a
    /// statistic errs by at most ‖ΔG‖₂ relative); 2ε doubles that margin. The
    /// columns are kept by decreasing tₐ until that estimate is within
    /// ``factorStatisticsLimit``/4; with every column kept it is zero (the
    /// whole rebuild). The statistics read from the factor then err by about
    /// that estimate relative at most (standard errors measured 4e-13 to
    /// 1.4e-10 from a float64 QR's, the estimate up to 1.25e-8), and
    /// refinement contracts by it at worst.
    /// γ/ε in the estimate above.
    static let whiteningRoundingEstimate = 2.0

    static func whitenedColumns(transform: [Double], design: DoubleDoubleMatrix, exponents: [Int],
                                offset: Int) -> (columns: [Int], error: Double) {
        let d = design.columns
        // √Sᵢᵢ = ‖R̃'s column i‖ = 2^eᵢ·‖R_s's column i‖.
        let roots = (0 ..< d).map { i in
            var sum = 0.0
            for l in 0 ... i { sum += design[l, i].value * design[l, i].value }
            return PowerOfTwo.scale(sum.squareRoot(), by: exponents[i &+ offset])
        }
        let norms = (0 ..< d).map { a in
            var sum = 0.0
            for i in 0 ... a { sum += abs(transform[i &* d &+ a]) * roots[i] }
            return sum
        }
        guard norms.allSatisfy(\.isFinite) else { return (Array(0 ..< d), 0) }
        let order = (0 ..< d).sorted { norms[$0] > norms[$1] || (norms[$0] == norms[$1] && $0 < $1) }
        let total = norms.reduce(0) { $0 + $1 * $1 }
        // The estimate with the first `kept` columns of `order` whitened (the
        // rest summed afresh, not by subtraction from the total).
        func estimate(keeping kept: Int) -> Double {
            let rest = order[kept...].reduce(0) { $0 + norms[$1] * norms[$1] }
            return whiteningRoundingEstimate * Double.ulpOfOne * (2 * total * rest).squareRoot()
        }
        var kept = 1
        while kept < d && estimate(keeping: kept) > factorStatisticsLimit / 4 { kept &+= 1 }
        guard kept < d else { return (Array(0 ..< d), 0) }
        return (Array(order[0 ..< kept]).sorted(), estimate(keeping: kept))
    }

    private static func pow2(_ x: Double) -> Double { x * x }
}
