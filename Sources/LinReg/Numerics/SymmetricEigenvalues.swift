#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Eigenvalues of a small dense symmetric matrix: Householder reduction to
/// tridiagonal form, then the implicit QL algorithm with Wilkinson-type
/// shifts (the classic `tred2` / `tqli` pair, eigenvalues only).
///
/// Used for the singular values of *well-conditioned* triangular factors
/// (``JacobiSVD/triangularValues(columnMajor:size:)``), where σ = √λ(AᵀA)
/// is as accurate as one-sided Jacobi and costs O(n³) once instead of O(n³)
/// per Jacobi sweep (a few hundred columns with clustered singular values
/// need ten sweeps or more).
enum SymmetricEigenvalues {
    /// √(a² + b²): the plain formula (at most about one ulp from the exact
    /// value, as good as the C library's `hypot` for the rotations of the
    /// QL iteration, which are backward stable with either) when both are
    /// within 2^±500, where neither the squares nor their sum can overflow or
    /// lose digits to underflow; `hypot` otherwise. The plain formula is
    /// several times faster, and QL spends most of its time here.
    @inline(__always)
    static func fastHypot(_ a: Double, _ b: Double) -> Double {
        let x = abs(a), y = abs(b)
        let large = 0x1p500, small = 0x1p-500
        if x < large && y < large && (x > small || x == 0) && (y > small || y == 0) {
            return (x * x + y * y).squareRoot()
        }
        return hypot(a, b)
    }

    /// The eigenvalues (unordered) of the symmetric `n × n` matrix `a`
    /// (row-major; only its lower triangle is read; destroyed), or nil if
    /// the QL iteration does not converge or a value is not finite.
    static func values(_ a: inout [Double], size n: Int) -> [Double]? {
        if n == 0 { return [] }
        if n == 1 { return a[0].isFinite ? [a[0]] : nil }
        var d = [Double](repeating: 0, count: n)
        var e = [Double](repeating: 0, count: n)
        let ok = a.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let m = buffer.baseAddress else { return false }
            tridiagonalize(m, n, &d, &e)
            return ql(&d, &e, n)
        }
        guard ok, d.allSatisfy(\.isFinite) else { return nil }
        return d
    }

    /// The eigenvalues (unordered) of the symmetric tridiagonal matrix with
    /// the given diagonal and `subdiagonal[i]` joining rows i − 1 and i
    /// (`subdiagonal[0]` unused); both are destroyed. Nil if the QL
    /// iteration does not converge or a value is not finite.
    static func tridiagonalValues(diagonal d: inout [Double], subdiagonal e: inout [Double],
                                  size n: Int) -> [Double]? {
        if n == 0 { return [] }
        if n == 1 { return d[0].isFinite ? [d[0]] : nil }
        guard ql(&d, &e, n), d.allSatisfy(\.isFinite) else { return nil }
        return d
    }

    /// Householder reduction (tred2 without the transformation matrix): on
    /// return d is the diagonal and e[1…] the subdiagonal of the tridiagonal
    /// matrix similar to a.
    private static func tridiagonalize(_ a: UnsafeMutablePointer<Double>, _ n: Int,
                                       _ d: inout [Double], _ e: inout [Double]) {
        @inline(__always) func at(_ i: Int, _ j: Int) -> UnsafeMutablePointer<Double> { a + (i &* n &+ j) }
        var i = n &- 1
        while i >= 1 {
            let l = i &- 1
            var h = 0.0
            if l > 0 {
                var scale = 0.0
                for k in 0 ... l { scale += abs(at(i, k).pointee) }
                if scale == 0 {
                    e[i] = at(i, l).pointee
                } else {
                    for k in 0 ... l {
                        at(i, k).pointee /= scale
                        h += at(i, k).pointee * at(i, k).pointee
                    }
                    var f = at(i, l).pointee
                    var g = f >= 0 ? -h.squareRoot() : h.squareRoot()
                    e[i] = scale * g
                    h -= f * g
                    at(i, l).pointee = f - g
                    f = 0
                    for j in 0 ... l {
                        g = 0
                        for k in 0 ... j { g += at(j, k).pointee * at(i, k).pointee }
                        var k = j &+ 1
                        while k <= l {
                            g += at(k, j).pointee * at(i, k).pointee
                            k &+= 1
                        }
                        e[j] = g / h
                        f += e[j] * at(i, j).pointee
                    }
                    let hh = f / (h + h)
                    for j in 0 ... l {
                        let fj = at(i, j).pointee
                        let gj = e[j] - hh * fj
                        e[j] = gj
                        for k in 0 ... j { at(j, k).pointee -= fj * e[k] + gj * at(i, k).pointee }
                    }
                }
            } else {
                e[i] = at(i, l).pointee
            }
            d[i] = h
            i &-= 1
        }
        e[0] = 0
        for i in 0 ..< n { d[i] = at(i, i).pointee }
    }

    /// Implicit QL on the tridiagonal (d, e[1…]): d becomes the eigenvalues.
    static func ql(_ d: inout [Double], _ e: inout [Double], _ n: Int) -> Bool {
        for i in 1 ..< n { e[i &- 1] = e[i] }
        e[n &- 1] = 0
        for l in 0 ..< n {
            var iterations = 0
            while true {
                var m = l
                while m < n &- 1 {
                    let dd = abs(d[m]) + abs(d[m &+ 1])
                    if abs(e[m]) <= Double.ulpOfOne * dd { break }
                    m &+= 1
                }
                if m == l { break }
                iterations &+= 1
                if iterations > 60 { return false }
                var g = (d[l &+ 1] - d[l]) / (2 * e[l])
                var r = fastHypot(g, 1)
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? abs(r) : -abs(r)))
                var s = 1.0, c = 1.0, p = 0.0
                var i = m &- 1
                var deflated = false
                while i >= l {
                    let f = s * e[i]
                    let b = c * e[i]
                    r = fastHypot(f, g)
                    e[i &+ 1] = r
                    if r == 0 {
                        d[i &+ 1] -= p
                        e[m] = 0
                        deflated = true
                        break
                    }
                    s = f / r
                    c = g / r
                    g = d[i &+ 1] - p
                    r = (d[i] - g) * s + 2 * c * b
                    p = s * r
                    d[i &+ 1] = g + p
                    g = c * r - b
                    i &-= 1
                }
                if deflated { continue }
                d[l] -= p
                e[l] = g
                e[m] = 0
            }
        }
        return true
    }
}

extension JacobiSVD {
    /// The singular values of the upper-triangular `n × n` matrix given
    /// column-major in `a` (its strictly lower part must be zero).
    ///
    /// When the matrix is well conditioned (σ_min ≥ σ_max/10, judged from
    /// the eigenvalues themselves, whose absolute error ~ n·ε·σ_max² is far
    /// below that bound) the values are √λ of AᵀA, formed in double: their
    /// relative error is at most about n·ε·κ² ≤ 100·n·ε, on a par with
    /// Jacobi's n·ε·κ (for n < ``bidiagonalMinimumSize``). From that size on, the
    /// values of the bidiagonalization (``BidiagonalSVD``, absolute error
    /// about n·ε·σ_max, as LAPACK's) are kept when that is at most
    /// ``bidiagonalRelativeError`` of σ_min (κ ≲ 1e-9/(n·ε): about 17,000 at
    /// n = 257), or, beyond that, completed from the bidiagonalization of the
    /// inverse (``twoSidedValues``: κ up to about (1e-9/(n·ε))²). Otherwise,
    /// or if an iteration fails, one-sided Jacobi
    /// decides (``init(columnMajor:rows:columns:wantVectors:)``), keeping its
    /// relative accuracy for ill-conditioned and badly scaled matrices.
    /// Values only; vectors always come from Jacobi.
    static func triangularValues(columnMajor a: [Double], size n: Int) -> JacobiSVD {
        if n >= 2 && n < bidiagonalMinimumSize, let values = gramValues(a, n) {
            return JacobiSVD(values: values, rows: n, columns: n)
        }
        if n >= bidiagonalMinimumSize, let values = BidiagonalSVD.values(columnMajor: a, size: n),
           let largest = values.first, let smallest = values.last, largest > 0 {
            if smallest >= Double(n) * Double.ulpOfOne * largest / bidiagonalRelativeError {
                return JacobiSVD(values: values, rows: n, columns: n)
            }
            if let combined = twoSidedValues(a, n, values) {
                return JacobiSVD(values: combined, rows: n, columns: n)
            }
        }
        return JacobiSVD(columnMajor: a, rows: n, columns: n, wantVectors: false)
    }

    /// The values `direct` (of A, largest first, each with absolute error
    /// about n·ε·σ_max) completed from the inverse: the bidiagonalization of
    /// A⁻¹ (computed in double-double by ``TriangularSolve``, then rounded)
    /// gives τⱼ = 1/σ with absolute error about n·ε·τ_max = n·ε/σ_min, so
    /// σᵢ = 1/τ_(n−1−i) has relative error about n·ε·σᵢ/σ_min, small exactly
    /// where the direct values' n·ε·σ_max/σᵢ is large. Each σᵢ is taken from
    /// the side with the smaller bound; nil (Jacobi decides) when some bound
    /// exceeds ``bidiagonalRelativeError``: the worst index has about
    /// n·ε·√κ, so this covers κ up to about (1e-9/(n·ε))², some 2·10⁷ at
    /// n = 1,025, at the cost of one more bidiagonalization instead of the
    /// many sweeps Jacobi takes there.
    static func twoSidedValues(_ a: [Double], _ n: Int, _ direct: [Double]) -> [Double]? {
        var factor = DoubleDoubleMatrix(rows: n, columns: n)
        for r in 0 ..< n {
            for c in r ..< n { factor.hi[r &* n &+ c] = a[c &* n &+ r] }
        }
        guard let inverse = TriangularSolve.inverse(factor, size: n) else { return nil }
        var columnMajor = [Double](repeating: 0, count: n &* n)
        for r in 0 ..< n {
            for c in r ..< n { columnMajor[c &* n &+ r] = inverse.hi[r &* n &+ c] + inverse.lo[r &* n &+ c] }
        }
        guard let reciprocal = BidiagonalSVD.values(columnMajor: columnMajor, size: n),
              let largestInverse = reciprocal.first, largestInverse > 0, largestInverse.isFinite,
              let largest = direct.first else { return nil }
        let error = Double(n) * Double.ulpOfOne
        var values = [Double](repeating: 0, count: n)
        for i in 0 ..< n {
            let fromInverse = reciprocal[n &- 1 &- i]
            let directBound = direct[i] > 0 ? error * largest / direct[i] : .infinity
            let inverseBound = fromInverse > 0 ? error * largestInverse / fromInverse : .infinity
            guard min(directBound, inverseBound) <= bidiagonalRelativeError else { return nil }
            values[i] = directBound <= inverseBound ? direct[i] : 1 / fromInverse
        }
        // Both sides are sorted; the switch from one to the other may not be.
        values.sort(by: >)
        return values.allSatisfy { $0.isFinite && $0 > 0 } ? values : nil
    }

    /// Matrices at least this large may take the bidiagonalization
    /// (``BidiagonalSVD``) when Jacobi's sweeps would cost more than it.
    static let bidiagonalMinimumSize = 48
    /// The relative error n·ε·σ_max/σ_min the bidiagonalization's smallest
    /// value may carry; beyond it Jacobi's relative accuracy decides.
    static let bidiagonalRelativeError = 1e-9

    /// A decomposition holding values only.
    init(values: [Double], rows: Int, columns: Int) {
        self.values = values
        self.v = []
        self.g = []
        self.rows = rows
        self.columns = columns
    }

    /// √λ(AᵀA), largest first, when κ ≤ 10; nil otherwise.
    private static func gramValues(_ a: [Double], _ n: Int) -> [Double]? {
        var gram = [Double](repeating: 0, count: n &* n)
        a.withUnsafeBufferPointer { ab in
            gram.withUnsafeMutableBufferPointer { gb in
                guard let ap = ab.baseAddress, let gp = gb.baseAddress else { return }
                for i in 0 ..< n {
                    let ci = ap + i &* n
                    for j in 0 ... i {
                        let cj = ap + j &* n
                        // Column j of an upper-triangular matrix ends at row j.
                        var sum = 0.0
                        for r in 0 ... j { sum += ci[r] * cj[r] }
                        gp[i &* n &+ j] = sum
                    }
                }
            }
        }
        guard var lambda = SymmetricEigenvalues.values(&gram, size: n) else { return nil }
        lambda.sort(by: >)
        guard let largest = lambda.first, let smallest = lambda.last, largest > 0, largest.isFinite,
              smallest >= largest / 100 else { return nil }
        return lambda.map { $0.squareRoot() }
    }
}
