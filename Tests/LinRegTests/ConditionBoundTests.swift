import Testing
@testable import LinReg

/// ``ConditionBound``: ‖R‖_F·‖R⁻¹‖_F bounds κ₂ (computed independently by
/// one-sided Jacobi) from above, by at most the factor n it can lose, and is
/// infinite for singular factors; the solver's rank decision relies on it.
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
}
