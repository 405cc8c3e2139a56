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

    /// (‖x‖², ‖y‖², x·y) over `count` values, in eight partial sums per
    /// quantity (lane l takes the entries ≡ l mod 8), combined in a fixed order.
    @inline(__always)
    static func products(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                         _ count: Int) -> (Double, Double, Double) {
        var xx = SIMD8<Double>(), yy = SIMD8<Double>(), xy = SIMD8<Double>()
        var r = 0
        while r &+ 8 <= count {
            let u = UnsafeRawPointer(x + r).loadUnaligned(as: SIMD8<Double>.self)
            let v = UnsafeRawPointer(y + r).loadUnaligned(as: SIMD8<Double>.self)
            xx = xx + u * u
            yy = yy + v * v
            xy = xy + u * v
            r &+= 8
        }
        var lane = 0
        while r < count {
            let u = x[r], v = y[r]
            xx[lane] += u * u
            yy[lane] += v * v
            xy[lane] += u * v
            r &+= 1
            lane &+= 1
        }
        @inline(__always) func total(_ v: SIMD8<Double>) -> Double {
            let h = v.lowHalf + v.highHalf
            let q = h.lowHalf + h.highHalf
            return q[0] + q[1]
        }
        return (total(xx), total(yy), total(xy))
    }

    /// (x, y) ← (c·x − s·y, s·x + c·y) over `count` values.
    @inline(__always)
    static func rotate(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int,
                       _ c: Double, _ s: Double) {
        let cv = SIMD4<Double>(repeating: c), sv = SIMD4<Double>(repeating: s)
        var r = 0
        while r &+ 4 <= count {
            let u = UnsafeRawPointer(x + r).loadUnaligned(as: SIMD4<Double>.self)
            let v = UnsafeRawPointer(y + r).loadUnaligned(as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(x + r).storeBytes(of: cv * u - sv * v, as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(y + r).storeBytes(of: sv * u + cv * v, as: SIMD4<Double>.self)
            r &+= 4
        }
        while r < count {
            let u = x[r], v = y[r]
            x[r] = c * u - s * v
            y[r] = s * u + c * v
            r &+= 1
        }
    }

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
                            let (alpha, beta, gamma) = JacobiSVD.products(gi, gj, rows)
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
                            JacobiSVD.rotate(gi, gj, rows, c, s)
                            if let vp {
                                JacobiSVD.rotate(vp + i &* columns, vp + j &* columns, columns, c, s)
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
