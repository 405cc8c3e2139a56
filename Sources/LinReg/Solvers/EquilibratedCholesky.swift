/// The Cholesky factor, in double, of an equilibrated co-moment matrix, and
/// the condition estimate it gives: what the normal-equations rule decides
/// with (ExactSolver+NormalEquations.swift), and, for wide refined fits, the
/// factor the refinement starts from.
///
/// For a symmetric G with positive diagonal, D = diag(1/√G_cc) (rounded
/// to double) and C = D·G·D (unit diagonal up to rounding):
///
///     C = L·Lᵀ                         (row-oriented Cholesky, by blocks
///                                       of rows on the workers)
///     M = L⁻¹                          (by columns)
///     κ̂ = √(‖C‖∞ · ‖MᵀM‖∞)            (an upper bound of κ₂(C)^(1/2) =
///                                       κ₂ of the equilibrated design, as
///                                       ‖·‖₂ ≤ ‖·‖∞ for symmetric matrices)
///
/// Every entry is computed by the same expression whoever computes it, and
/// sums are taken in a fixed order: the same bits for any thread count.
/// Memory: two p × p arrays of doubles (the factor, taking over the
/// storage of G when the caller hands it over — a temporary, or `consume` —
/// and M).
struct EquilibratedCholesky {
    /// p, the order of G.
    let size: Int
    /// D's diagonal, 1/√G_cc rounded to double (so C = D·G·D is the matrix
    /// factored, with that rounding).
    let scale: [Double]
    /// L (row-major, lower triangle; the entries above the diagonal are
    /// scratch), with L·Lᵀ = C up to the Cholesky factorisation's rounding.
    let lower: [Double]
    /// √(‖C‖∞·‖C⁻¹‖∞), at least 1.
    let conditionEstimate: Double

    /// Factors `gram` (size × size, row-major, symmetric); nil when a
    /// diagonal entry is not positive and finite, or when the Cholesky
    /// factorisation of C breaks down (C singular or too close to it), or
    /// the estimate is not finite. `gram`'s storage becomes ``lower``.
    init?(gram: consuming [Double], size p: Int, threads: Int = 1) {
        guard p >= 1, gram.count == p &* p else { return nil }
        let level = KernelDispatch.level(nil)
        var scale = [Double](repeating: 0, count: p)
        for c in 0 ..< p {
            let g = gram[c &* p &+ c]
            guard g > 0, g.isFinite else { return nil }
            scale[c] = 1 / g.squareRoot()
        }
        // C in place of G, and ‖C‖∞.
        var l = consume gram
        var norm = 0.0
        for a in 0 ..< p {
            var row = 0.0
            let sa = scale[a]
            for b in 0 ..< p {
                let v = l[a &* p &+ b] * sa * scale[b]
                l[a &* p &+ b] = v
                row += abs(v)
            }
            norm = max(norm, row)
        }
        // Cholesky C = L·Lᵀ over C's lower triangle (entry (a, b) reads C's
        // own entry before writing L's there), M = L⁻¹ (lower; stored by
        // columns, so that every inner product below runs over contiguous
        // memory), then C⁻¹ = Mᵀ·M; |C⁻¹|'s upper triangle goes to the
        // strictly upper part of l (C's upper triangle is no longer needed),
        // its diagonal to `diagonal`.
        var inverse = [Double](repeating: 0, count: p &* p)  // inverse[j·p + i] = M[i][j]
        var rowSums = [Double](repeating: 0, count: p)
        let factored = l.withUnsafeMutableBufferPointer { lb -> Bool in
            inverse.withUnsafeMutableBufferPointer { mb -> Bool in
                guard let lp = lb.baseAddress, let mp = mb.baseAddress else { return false }
                // L[a][b]; false when a diagonal entry is not positive.
                func entry(_ a: Int, _ b: Int) -> Bool {
                    let rowA = lp + a &* p
                    let sum = rowA[b] - KernelDispatch.dot(rowA, lp + b &* p, count: b, level: level)
                    if a == b {
                        guard sum > 0, sum.isFinite else { return false }
                        rowA[a] = sum.squareRoot()
                    } else {
                        rowA[b] = sum / lp[b &* p &+ b]
                    }
                    return true
                }
                // The factor by blocks of rows, the columns of M, and then the
                // rows of MᵀM: on `threads` workers from 128 columns on.
                guard ExactSolver.choleskyByRowBlocks(size: p, columns: p, threads: threads, entry) else {
                    return false
                }
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
                // |(MᵀM)[a][b]| = |Σ_{t ≥ b} M[t][a]·M[t][b]| for b ≥ a.
                let diagonal = UnsafeMutablePointer<Double>.allocate(capacity: p)
                defer { diagonal.deallocate() }
                WorkerThreads.forEach(items: p, workers: workers) { _, a in
                    diagonal[a] = abs(KernelDispatch.dot(mp + (a &* p &+ a), mp + (a &* p &+ a),
                                                         count: p &- a, level: level))
                    var b = a &+ 1
                    while b < p {
                        lp[a &* p &+ b] = abs(KernelDispatch.dot(mp + (a &* p &+ b), mp + (b &* p &+ b),
                                                                 count: p &- b, level: level))
                        b &+= 1
                    }
                }
                for a in 0 ..< p {
                    rowSums[a] += diagonal[a]
                    for b in (a &+ 1) ..< p {
                        let value = lp[a &* p &+ b]
                        rowSums[a] += value
                        rowSums[b] += value
                    }
                }
                return true
            }
        }
        guard factored else { return nil }
        var inverseNorm = 0.0
        for a in 0 ..< p { inverseNorm = max(inverseNorm, rowSums[a]) }
        let product = norm * inverseNorm
        guard product.isFinite, product > 0 else { return nil }
        size = p
        self.scale = scale
        lower = l
        conditionEstimate = max(1, product.squareRoot())
    }
}
