import Testing
@testable import LinReg

/// ``ConditionBound``: ‖R‖_F·‖R⁻¹‖_F bounds κ₂ (computed independently by
/// one-sided Jacobi) from above, by at most the factor n it can lose, and is
/// infinite for singular factors; the comparison-matrix bound bounds κ₂ from
/// above too (however loosely); the solver's rank decision relies on both.
struct ConditionBoundTests {
    static func rowMajor(_ columnMajor: [Double], _ n: Int) -> [Double] {
        var result = [Double](repeating: 0, count: n * n)
        for j in 0 ..< n { for i in 0 ... j { result[i * n + j] = columnMajor[j * n + i] } }
        return result
    }

    @Test(arguments: [(5, 0.3), (33, 0.9), (100, 0.99), (257, 0.9)])
    func boundsTheConditionNumber(shape: (Int, Double)) {
        let (n, rho) = shape
        let a = BidiagonalSVDTests.factor(n: n, rho: rho, seed: UInt64(n) &+ 5) { j in Double(1 + j % 7) }
        let values = JacobiSVD(columnMajor: a, rows: n, columns: n, wantVectors: false).values
        let kappa = values[0] / values[n - 1]
        let bound = ConditionBound.frobenius(upperRowMajor: Self.rowMajor(a, n), size: n)
        #expect(bound >= kappa * (1 - 1e-12), "n \(n): bound \(bound) below kappa \(kappa)")
        #expect(bound <= Double(n) * kappa * (1 + 1e-12), "n \(n): bound \(bound) above n kappa \(kappa)")
        // Columns solved on several workers (from 128 on): the same value.
        for threads in [2, 3] {
            #expect(ConditionBound.frobenius(upperRowMajor: Self.rowMajor(a, n), size: n, threads: threads) == bound)
        }
        if n >= 128 {
            var singular = Self.rowMajor(a, n)
            singular[(n / 2) * n + n / 2] = 0
            #expect(ConditionBound.frobenius(upperRowMajor: singular, size: n, threads: 2) == .infinity)
        }
    }

    @Test func singularOrNonFiniteFactorsHaveNoBound() {
        let n = 4
        var a = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { for j in i ..< n { a[i * n + j] = Double(1 + i + j) } }
        var singular = a
        singular[2 * n + 2] = 0
        #expect(ConditionBound.frobenius(upperRowMajor: singular, size: n) == .infinity)
        var nan = a
        nan[1] = .nan
        #expect(ConditionBound.frobenius(upperRowMajor: nan, size: n) == .infinity)
        #expect(ConditionBound.frobenius(upperRowMajor: [], size: 0) == .infinity)
        // The identity: ‖I‖_F·‖I‖_F = n.
        var identity = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { identity[i * n + i] = 1 }
        #expect(ConditionBound.frobenius(upperRowMajor: identity, size: n) == Double(n))
    }

    /// The comparison-matrix bound on the factors above (σ's by Jacobi) and
    /// on a hand-computed case: A = [[1, −a], [0, 1]] has M(A)⁻¹ = [[1, a],
    /// [0, 1]], both of whose norms are 1 + a, so the bound is
    /// ‖A‖_F·(1 + a) (up to its rounding allowance).
    @Test(arguments: [(5, 0.3), (33, 0.9), (100, 0.99), (257, 0.9)])
    func comparisonBoundsTheConditionNumber(shape: (Int, Double)) {
        let (n, rho) = shape
        let a = BidiagonalSVDTests.factor(n: n, rho: rho, seed: UInt64(n) &+ 5) { j in Double(1 + j % 7) }
        let values = JacobiSVD(columnMajor: a, rows: n, columns: n, wantVectors: false).values
        let kappa = values[0] / values[n - 1]
        let bound = ConditionBound.comparison(upperRowMajor: Self.rowMajor(a, n), size: n)
        #expect(bound >= kappa * (1 - 1e-12), "n \(n): comparison bound \(bound) below kappa \(kappa)")
        // Unequal norms: A = [[1, −a, −b], [0, 1, 0], [0, 0, 1]], M(A)⁻¹ =
        // [[1, a, b], [0, 1, 0], [0, 0, 1]]: ‖·‖∞ = 1 + a + b, ‖·‖₁ = 1 + max(a, b).
        for (p, q) in [(2.0, 0.0), (0.25, 7.0), (3.0, 5.0)] {
            let matrix: [Double] = [1, -p, -q, 0, 1, 0, 0, 0, 1]
            let expected = (3 + p * p + q * q).squareRoot() * ((1 + p + q) * (1 + max(p, q))).squareRoot()
            let got = ConditionBound.comparison(upperRowMajor: matrix, size: 3)
            #expect(got >= expected && got <= expected * (1 + 1e-13), "a \(p), b \(q): \(got) vs \(expected)")
        }
        for alpha in [0.0, 0.5, 3.0, 1e6] {
            let matrix: [Double] = [1, -alpha, 0, 1]
            let expected = (2 + alpha * alpha).squareRoot() * (1 + alpha)
            let got = ConditionBound.comparison(upperRowMajor: matrix, size: 2)
            #expect(got >= expected && got <= expected * (1 + 1e-13), "a \(alpha): \(got) vs \(expected)")
        }
    }

    @Test func comparisonIsInfiniteWithoutABound() {
        let n = 4
        var a = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { for j in i ..< n { a[i * n + j] = Double(1 + i + j) } }
        var singular = a
        singular[2 * n + 2] = 0
        #expect(ConditionBound.comparison(upperRowMajor: singular, size: n) == .infinity)
        var nan = a
        nan[1] = .nan
        #expect(ConditionBound.comparison(upperRowMajor: nan, size: n).isNaN == false)
        #expect(ConditionBound.comparison(upperRowMajor: nan, size: n) == .infinity)
        #expect(ConditionBound.comparison(upperRowMajor: [], size: 0) == .infinity)
        // Unit diagonal, −1 above it: M(A)⁻¹e grows as 2^(n−1), past
        // Double's range at n = 1100.
        let m = 1100
        var growing = [Double](repeating: 0, count: m * m)
        for i in 0 ..< m { for j in i ..< m { growing[i * m + j] = i == j ? 1 : -1 } }
        #expect(ConditionBound.comparison(upperRowMajor: growing, size: m) == .infinity)
        var identity = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { identity[i * n + i] = 1 }
        let unit = ConditionBound.comparison(upperRowMajor: identity, size: n)
        #expect(unit >= 2 && unit <= 2 * (1 + 1e-13))  // ‖I‖_F = 2, ‖M(I)⁻¹‖ = 1
    }

    /// The triangle's column norms read by rows are those summed down each
    /// column, bit for bit (the rank decision's equilibration and the
    /// aliasing rule depend on them).
    @Test func upperColumnNormsAreTheColumnSums() {
        let u = TriangularSolveTests.matrix(40, seed: 4)
        let norms = u.upperColumnSquaredNorms(33)
        #expect(norms.count == 33)
        for c in 0 ..< 33 { #expect(norms[c] == u.squaredNorm(column: c, rows: 0 ..< (c + 1)), "column \(c)") }
    }
}
