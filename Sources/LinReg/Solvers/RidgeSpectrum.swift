/// The eigendecomposition of the centred, weighted Gram matrix that every
/// ridge penalty shares, taken from a ``QRAccumulator``'s factor: what the
/// leave-one-out pass of ``RidgeLeaveOneOut`` needs to evaluate any number
/// of penalties without refitting.
///
/// With an intercept the factor's rows 1… are the R factor R_c of the
/// weighted, centred design (the ones column comes first), so
///
///     Xcᵀ W Xc = R_cᵀ R_c = V diag(λ) Vᵀ,   λⱼ = σⱼ(R_c)²,
///     Xcᵀ W yc = R_cᵀ c,     bⱼ = vⱼᵀ Xcᵀ W yc = (R_c vⱼ)ᵀ c,
///
/// and the ridge coefficients for penalty α are β(α) = Σⱼ vⱼ bⱼ/(λⱼ + α).
/// The weighted means (x̄, ȳ) and Σw come from the first row:
/// x̄ᶜ = R₀ᶜ/R₀₀, Σw = R₀₀² (after undoing the column scaling). Without an
/// intercept R_c is the whole design block and the means are zero.
///
/// The SVD is one-sided Jacobi on the unscaled d × d triangle (``JacobiSVD``,
/// relative accuracy of the σⱼ governed by the column-equilibrated
/// condition number), computed in double: the eigenvalues and projections
/// are used only to *rank* penalties by their leave-one-out error, while
/// the chosen penalty's coefficients come from the exact ridge solve
/// (``QRAccumulator/solution(alpha:rcond:)``).
struct RidgeSpectrum: Sendable {
    /// d, k.
    let features: Int
    let outputs: Int
    let fitIntercept: Bool
    /// Weighted column means of X (zeros without intercept), d.
    let featureMeans: [Double]
    /// Weighted means of Y (zeros without intercept), k.
    let outputMeans: [Double]
    /// 1/Σw with an intercept (the intercept's leverage per unit weight), else 0.
    let inverseWeightSum: Double
    /// λⱼ, d, largest first.
    let eigenvalues: [Double]
    /// Eigenvector j in `vectors[j*d ..< (j+1)*d]`.
    let vectors: [Double]
    /// bⱼₖ = vⱼᵀ Xcᵀ W ycₖ, at `projections[j*k + output]`.
    let projections: [Double]

    /// The spectrum of the rows `rows` accumulated.
    ///
    /// Throws ``EngineError/argument(_:)`` when the accumulator holds no
    /// rows or only zero weights, ``EngineError/overflow(_:)`` when an
    /// eigenvalue or projection is beyond the range of Double.
    init(_ rows: QRAccumulator) throws {
        guard rows.rowCount > 0 else { throw EngineError.argument("the model holds no rows") }
        let d = rows.features, k = rows.outputs, p = rows.parameterCount
        let offset = rows.fitIntercept ? 1 : 0
        let r = rows.r
        let exps = rows.columnExponents.map { $0 ?? 0 }
        features = d
        outputs = k
        fitIntercept = rows.fitIntercept
        if rows.fitIntercept {
            let diagonal = r[0, 0]
            guard diagonal.hi != 0 else { throw EngineError.argument("all sample weights are zero") }
            featureMeans = (0 ..< d).map { PowerOfTwo.scale((r[0, $0 &+ 1] / diagonal).value, by: exps[$0 &+ 1] &- exps[0]) }
            outputMeans = (0 ..< k).map { PowerOfTwo.scale((r[0, p &+ $0] / diagonal).value, by: exps[p &+ $0] &- exps[0]) }
            let root = PowerOfTwo.scale(abs(diagonal.value), by: exps[0])
            inverseWeightSum = (1 / root) / root
        } else {
            featureMeans = [Double](repeating: 0, count: d)
            outputMeans = [Double](repeating: 0, count: k)
            inverseWeightSum = 0
        }
        // The unscaled centred triangle as M·2^top, column-major.
        let top = (offset ..< p).map { exps[$0] }.max() ?? 0
        var m = [Double](repeating: 0, count: d &* d)
        for c in 0 ..< d {
            for i in 0 ... c {
                m[c &* d &+ i] = PowerOfTwo.scale(r.value(i &+ offset, c &+ offset), by: exps[c &+ offset] &- top)
            }
        }
        let svd = JacobiSVD(columnMajor: m, rows: d, columns: d, wantVectors: true)
        eigenvalues = svd.values.map { PowerOfTwo.scale($0 * $0, by: 2 &* top) }
        vectors = svd.v
        var b = [Double](repeating: 0, count: d &* k)
        for j in 0 ..< d {
            for o in 0 ..< k {
                var sum = 0.0
                for i in 0 ..< d { sum += svd.g[j &* d &+ i] * r.value(i &+ offset, p &+ o) }
                b[j &* k &+ o] = PowerOfTwo.scale(sum, by: top &+ exps[p &+ o])
            }
        }
        projections = b
        if !(eigenvalues + b + featureMeans + outputMeans).allSatisfy({ $0.isFinite }) || !inverseWeightSum.isFinite {
            throw EngineError.overflow("the design's Gram matrix or its projections are too large for a double")
        }
    }

    /// β(α) for output `output`: d coefficients of the centred problem
    /// (for tests; the fit itself uses the exact ridge solve).
    func coefficients(alpha: Double, output: Int) -> [Double] {
        let d = features
        var beta = [Double](repeating: 0, count: d)
        for j in 0 ..< d {
            let factor = projections[j &* outputs &+ output] / (eigenvalues[j] + alpha)
            for i in 0 ..< d { beta[i] += vectors[j &* d &+ i] * factor }
        }
        return beta
    }
}
