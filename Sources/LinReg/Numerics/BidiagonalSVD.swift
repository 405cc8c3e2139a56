/// Singular values of a square matrix by Householder bidiagonalization
/// (Golub and Kahan) and the eigenvalues of the Golub–Kahan tridiagonal
/// matrix, values only.
///
/// A = U·B·Vᵀ with B upper bidiagonal (diagonal d, superdiagonal e), by
/// alternating Householder reflections from the left (zeroing a column below
/// the diagonal) and the right (zeroing a row right of the superdiagonal):
/// 8n³/3 flops once, against about 6n³ per sweep of one-sided Jacobi (which
/// takes 6–12 sweeps on a few hundred columns). The singular values of B are
/// the non-negative eigenvalues of the 2n × 2n symmetric tridiagonal matrix
/// with zero diagonal and off-diagonal (d₀, e₀, d₁, e₁, …, d_{n−1}), found
/// by the implicit QL iteration of ``SymmetricEigenvalues``.
///
/// **Accuracy.** Both steps are backward stable: each σᵢ carries an absolute
/// error of about c·n·ε·σ_max (as LAPACK's `dgesvd`, which numpy and
/// scikit-learn use), i.e. a relative error of about n·ε·σ_max/σᵢ. One-sided
/// Jacobi is relatively accurate even for tiny σᵢ of graded matrices; the
/// caller (``JacobiSVD/triangularValues(columnMajor:size:)``) therefore uses
/// these values only when n·ε·κ is small and Jacobi otherwise.
enum BidiagonalSVD {
    /// The singular values of the `n × n` matrix given column-major in `a`,
    /// largest first, or nil if an entry or a value is not finite or the
    /// eigenvalue iteration fails. Entries must be moderately scaled
    /// (|a| ≲ 2^400, as for ``JacobiSVD``).
    static func values(columnMajor a: [Double], size n: Int) -> [Double]? {
        guard n >= 1, a.count >= n &* n else { return nil }
        var m = a
        var d = [Double](repeating: 0, count: n)
        var e = [Double](repeating: 0, count: n)
        let finite = m.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return bidiagonalize(base, n, &d, &e)
        }
        guard finite else { return nil }
        // The Golub–Kahan matrix: zero diagonal, off-diagonal d₀, e₀, d₁, …
        let size = 2 &* n
        var diagonal = [Double](repeating: 0, count: size)
        var offDiagonal = [Double](repeating: 0, count: size)  // offDiagonal[i] joins i − 1 and i
        for k in 0 ..< n {
            offDiagonal[2 &* k &+ 1] = d[k]
            if k &+ 1 < n { offDiagonal[2 &* k &+ 2] = e[k] }
        }
        guard var lambda = SymmetricEigenvalues.tridiagonalValues(diagonal: &diagonal, subdiagonal: &offDiagonal,
                                                                  size: size)
        else { return nil }
        lambda.sort(by: >)
        // The eigenvalues are ±σᵢ: the n largest are the σᵢ (a zero σ may
        // come out as a tiny negative number).
        let values = lambda.prefix(n).map { abs($0) }.sorted(by: >)
        return values.allSatisfy(\.isFinite) ? values : nil
    }

    /// Reduces the column-major `n × n` matrix at `a` (destroyed) to upper
    /// bidiagonal form: its diagonal into d, its superdiagonal into e[0 ..< n−1].
    /// False if a non-finite value appears.
    private static func bidiagonalize(_ a: UnsafeMutablePointer<Double>, _ n: Int,
                                      _ d: inout [Double], _ e: inout [Double]) -> Bool {
        let w = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let u = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer {
            w.deallocate()
            u.deallocate()
        }
        @inline(__always) func column(_ j: Int) -> UnsafeMutablePointer<Double> { a + j &* n }
        let level = KernelDispatch.level(nil)
        for k in 0 ..< n {
            // Left reflection H = I − τ·v·vᵀ on rows k…: column k becomes d[k]·e₁.
            let x = column(k) + k
            let length = n &- k
            let norm = squaredNorm(x, length, level).squareRoot()
            guard norm.isFinite else { return false }
            if norm == 0 {
                d[k] = 0
            } else {
                let alpha = x[0] > 0 ? -norm : norm
                let v0 = x[0] - alpha
                x[0] = v0  // v = x − alpha·e₁, stored in place
                let tau = 1 / (norm * abs(v0))  // 2 / vᵀv, with vᵀv = 2·norm·|v0|
                var j = k &+ 1
                while j < n {
                    let target = column(j) + k
                    let s = tau * KernelDispatch.dot(x, target, count: length, level: level)
                    axpy(-s, x, target, length)
                    j &+= 1
                }
                d[k] = alpha
            }
            // Right reflection on columns k+1…: row k becomes (…, d[k], e[k], 0, …).
            if k &+ 1 >= n { continue }
            if k &+ 2 == n {
                e[k] = column(k &+ 1)[k]
                continue
            }
            let count = n &- k &- 1
            for c in 0 ..< count { u[c] = column(k &+ 1 &+ c)[k] }
            let norm2 = squaredNorm(u, count, level).squareRoot()
            guard norm2.isFinite else { return false }
            if norm2 == 0 {
                e[k] = 0
                continue
            }
            let beta = u[0] > 0 ? -norm2 : norm2
            u[0] -= beta
            let tau = 1 / (norm2 * abs(u[0]))
            // Rows k+1…: w = A[k+1…, k+1…]·u, then A −= τ·w·uᵀ (column by column).
            let rows = n &- k &- 1
            for r in 0 ..< rows { w[r] = 0 }
            for c in 0 ..< count { axpy(u[c], column(k &+ 1 &+ c) + (k &+ 1), w, rows) }
            for c in 0 ..< count { axpy(-tau * u[c], w, column(k &+ 1 &+ c) + (k &+ 1), rows) }
            e[k] = beta
        }
        return d.allSatisfy(\.isFinite) && e.allSatisfy(\.isFinite)
    }

    @inline(__always)
    private static func squaredNorm(_ x: UnsafeMutablePointer<Double>, _ count: Int,
                                    _ level: KernelDispatch.Level) -> Double {
        KernelDispatch.dot(x, x, count: count, level: level)
    }

    /// y += s·x over `count` values.
    @inline(__always)
    private static func axpy(_ s: Double, _ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                             _ count: Int) {
        let sv = SIMD8<Double>(repeating: s)
        var i = 0
        while i &+ 8 <= count {
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Double>.self)
                + sv * UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Double>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv, as: SIMD8<Double>.self)
            i &+= 8
        }
        while i < count {
            y[i] += s * x[i]
            i &+= 1
        }
    }
}
