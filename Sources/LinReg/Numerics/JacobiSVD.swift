/// The singular value decomposition of a small dense matrix by one-sided
/// (Hestenes) Jacobi rotations, in `Double`.
///
/// The columns of G = A are rotated pairwise, G ← G·J, until every pair is
/// orthogonal to working precision; then G = A·V with orthogonal columns,
/// σⱼ = ‖gⱼ‖ and A = (G Σ⁻¹) Σ Vᵀ. One-sided Jacobi is used because it is
/// accurate for the matrices the solver gives it: it computes the singular
/// values of A = B·D (D diagonal) with *relative* accuracy governed by the
/// condition number of B, not of A (Demmel and Veselić, "Jacobi's method is
/// more accurate than QR", 1992), so badly scaled columns cost nothing and
/// even tiny singular values come out right when the column-equilibrated
/// matrix is well conditioned.
///
/// The solver only decomposes the small p × p triangular factors of the
/// exact solver (never the data), so the O(p³) cost per sweep is negligible.
struct JacobiSVD {
    /// Singular values, largest first (length = number of columns).
    var values: [Double]
    /// Right singular vectors: column j (stored `columns` apart, column-major)
    /// belongs to `values[j]`. Empty unless vectors were requested.
    var v: [Double]
    /// G = A·V, column-major (rows × columns): column j has norm `values[j]`.
    /// Empty unless vectors were requested.
    var g: [Double]
    let rows: Int
    let columns: Int

    /// Maximum number of sweeps; convergence normally takes 5–12.
    static let maximumSweeps = 80

    /// Decomposes the `rows × columns` matrix given column-major in `a`.
    /// Entries must be finite and moderately scaled (|a| ≲ 2^400).
    init(columnMajor a: [Double], rows: Int, columns: Int, wantVectors: Bool) {
        self.rows = rows
        self.columns = columns
        var g = a
        var v: [Double] = []
        if wantVectors {
            v = [Double](repeating: 0, count: columns &* columns)
            for j in 0 ..< columns { v[j &* columns &+ j] = 1 }
        }
        let tolerance = Double.ulpOfOne * Double(Swift.max(rows, 1)).squareRoot()
        g.withUnsafeMutableBufferPointer { gBuffer in
            v.withUnsafeMutableBufferPointer { vBuffer in
                guard let gp = gBuffer.baseAddress else { return }
                // An empty array may still have a base address: use it only with vectors.
                let vp = wantVectors && vBuffer.count == columns &* columns ? vBuffer.baseAddress : nil
                var sweep = 0
                while sweep < JacobiSVD.maximumSweeps {
                    var rotated = false
                    for i in 0 ..< columns {
                        let gi = gp + i &* rows
                        for j in (i &+ 1) ..< columns {
                            let gj = gp + j &* rows
                            var alpha = 0.0, beta = 0.0, gamma = 0.0
                            for r in 0 ..< rows {
                                let x = gi[r], y = gj[r]
                                alpha += x * x
                                beta += y * y
                                gamma += x * y
                            }
                            if alpha == 0 || beta == 0 { continue }
                            if !(abs(gamma) > tolerance * alpha.squareRoot() * beta.squareRoot()) { continue }
                            rotated = true
                            // Rotation that zeroes the (i, j) entry of GᵀG.
                            let zeta = (beta - alpha) / (2 * gamma)
                            let t: Double
                            if abs(zeta) > 1e150 {
                                t = 1 / (2 * zeta)
                            } else {
                                t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                            }
                            let c = 1 / (1 + t * t).squareRoot()
                            let s = c * t
                            for r in 0 ..< rows {
                                let x = gi[r], y = gj[r]
                                gi[r] = c * x - s * y
                                gj[r] = s * x + c * y
                            }
                            if let vp {
                                let vi = vp + i &* columns
                                let vj = vp + j &* columns
                                for r in 0 ..< columns {
                                    let x = vi[r], y = vj[r]
                                    vi[r] = c * x - s * y
                                    vj[r] = s * x + c * y
                                }
                            }
                        }
                    }
                    if !rotated { break }
                    sweep &+= 1
                }
            }
        }
        // σⱼ = ‖gⱼ‖, computed with scaling so that no square overflows.
        var norms = [Double](repeating: 0, count: columns)
        for j in 0 ..< columns {
            var scale = 0.0
            for r in 0 ..< rows { scale = Swift.max(scale, abs(g[j &* rows &+ r])) }
            if scale == 0 { continue }
            var sum = 0.0
            for r in 0 ..< rows {
                let x = g[j &* rows &+ r] / scale
                sum += x * x
            }
            norms[j] = scale * sum.squareRoot()
        }
        // Sort largest first (stable, so ties keep column order).
        let order = (0 ..< columns).sorted { a, b in
            norms[a] > norms[b] || (norms[a] == norms[b] && a < b)
        }
        values = order.map { norms[$0] }
        if wantVectors {
            var sortedG = [Double](repeating: 0, count: rows &* columns)
            var sortedV = [Double](repeating: 0, count: columns &* columns)
            for (target, source) in order.enumerated() {
                for r in 0 ..< rows { sortedG[target &* rows &+ r] = g[source &* rows &+ r] }
                for r in 0 ..< columns { sortedV[target &* columns &+ r] = v[source &* columns &+ r] }
            }
            self.g = sortedG
            self.v = sortedV
        } else {
            self.g = []
            self.v = []
        }
    }
}
