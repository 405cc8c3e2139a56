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
                // Entries (a, b) of the rows `rows`, left of their block: four
                // rows at a time against row b (read once for the four).
                func entries(_ rows: Range<Int>, _ b: Int) {
                    let rowB = lp + b &* p, pivot = rowB[b]
                    var a = rows.lowerBound
                    while a &+ 4 <= rows.upperBound {
                        let dots = KernelDispatch.dots4(lp + a &* p, xStride: p, rowB, yStride: 0, count: b,
                                                        level: level)
                        for r in 0 ..< 4 {
                            let rowA = lp + (a &+ r) &* p
                            rowA[b] = (rowA[b] - dots[r]) / pivot
                        }
                        a &+= 4
                    }
                    while a < rows.upperBound {
                        _ = entry(a, b)
                        a &+= 1
                    }
                }
                // The factor by blocks of rows, the columns of M, and then the
                // columns of MᵀM: on `threads` workers from 128 columns on.
                guard ExactSolver.choleskyByRowBlocks(size: p, columns: p, threads: threads, entry,
                                                      entries: entries) else {
                    return false
                }
                let workers = p >= 128 ? WorkerThreads.count(requested: threads, pieces: p) : 1
                // M[i][j] = −Σ_{j ≤ t < i} L[i][t]·M[t][j] / L[i][i], by groups of
                // four columns j0 … j0 + 3 that go down the rows together (each
                // row of L read once for the four).
                func inverse(_ j: Int, row i: Int) -> Double {
                    -KernelDispatch.dot(lp + (i &* p &+ j), mp + (j &* p &+ j), count: i &- j, level: level)
                        / lp[i &* p &+ i]
                }
                WorkerThreads.forEach(items: (p &+ 3) / 4, workers: workers) { _, group in
                    let j0 = 4 &* group, j1 = Swift.min(p, j0 &+ 4)
                    for j in j0 ..< j1 { mp[j &* p &+ j] = 1 / lp[j &* p &+ j] }
                    // The group's own triangle, then the rows below it.
                    for i in (j0 &+ 1) ..< j1 {
                        for j in j0 ..< i { mp[j &* p &+ i] = inverse(j, row: i) }
                    }
                    var i = j1
                    if j1 &- j0 == 4 {
                        while i < p {
                            let dots = KernelDispatch.dots4(lp + (i &* p &+ j0), xStride: 1, mp + (j0 &* p &+ j0),
                                                            yStride: p &+ 1, count: i &- j0, countStep: -1,
                                                            level: level)
                            let pivot = lp[i &* p &+ i]
                            for r in 0 ..< 4 { mp[(j0 &+ r) &* p &+ i] = -dots[r] / pivot }
                            i &+= 1
                        }
                    }
                    while i < p {
                        for j in j0 ..< j1 { mp[j &* p &+ i] = inverse(j, row: i) }
                        i &+= 1
                    }
                }
                // |(MᵀM)[a][b]| = |Σ_{t ≥ b} M[t][a]·M[t][b]| for a ≤ b, by
                // columns b: four a's at a time against M's column b; a
                // worker takes eight columns at a time (so that two workers
                // seldom write into the same cache line of a row).
                let diagonal = UnsafeMutablePointer<Double>.allocate(capacity: p)
                defer { diagonal.deallocate() }
                WorkerThreads.forEach(items: (p &+ 7) / 8, workers: workers) { _, group in
                    for b in (8 &* group) ..< Swift.min(p, 8 &* group &+ 8) {
                        let columnB = mp + (b &* p &+ b), count = p &- b
                        diagonal[b] = abs(KernelDispatch.dot(columnB, columnB, count: count, level: level))
                        var a = 0
                        while a &+ 4 <= b {
                            let dots = KernelDispatch.dots4(mp + (a &* p &+ b), xStride: p, columnB, yStride: 0,
                                                            count: count, level: level)
                            for r in 0 ..< 4 { lp[(a &+ r) &* p &+ b] = abs(dots[r]) }
                            a &+= 4
                        }
                        while a < b {
                            lp[a &* p &+ b] = abs(KernelDispatch.dot(mp + (a &* p &+ b), columnB, count: count,
                                                                     level: level))
                            a &+= 1
                        }
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
