import Testing
@testable import LinReg

/// The bidiagonalization's singular values against one-sided Jacobi (an
/// independent method, relatively accurate) on triangular matrices like the
/// solver's factors, and the choice ``JacobiSVD/triangularValues`` makes.
struct BidiagonalSVDTests {
    /// An upper-triangular n × n matrix (column-major) R = chol-like factor of
    /// equicorrelated columns (correlation rho), columns scaled by `scales`.
    static func factor(n: Int, rho: Double, seed: UInt64, scale: (Int) -> Double = { _ in 1 }) -> [Double] {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 * 2 - 1 }
        // Rows of a random design; R from the Householder-free Cholesky of its Gram.
        let m = 3 * n
        var x = [Double](repeating: 0, count: m * n)
        for i in 0 ..< m {
            let common = uniform()
            for j in 0 ..< n { x[i * n + j] = (rho.squareRoot() * common + (1 - rho).squareRoot() * uniform()) * scale(j) }
        }
        var g = [Double](repeating: 0, count: n * n)
        for a in 0 ..< n {
            for b in a ..< n {
                var s = 0.0
                for i in 0 ..< m { s += x[i * n + a] * x[i * n + b] }
                g[a * n + b] = s
            }
        }
        var r = [Double](repeating: 0, count: n * n)  // column-major
        for j in 0 ..< n {
            for i in 0 ... j {
                var s = g[i * n + j]
                for k in 0 ..< i { s -= r[j * n + k] * r[i * n + k] }
                r[j * n + i] = i == j ? s.squareRoot() : s / r[i * n + i]
            }
        }
        return r
    }

    @Test(arguments: [(48, 0.5), (64, 0.9), (120, 0.99), (257, 0.9)])
    func valuesAgreeWithJacobi(shape: (Int, Double)) throws {
        let (n, rho) = shape
        let a = Self.factor(n: n, rho: rho, seed: UInt64(n))
        let bidiagonal = try #require(BidiagonalSVD.values(columnMajor: a, size: n))
        let jacobi = JacobiSVD(columnMajor: a, rows: n, columns: n, wantVectors: false).values
        #expect(bidiagonal.count == n)
        // Absolute error of the bidiagonal route: a few n·ε·σ_max.
        let tolerance = 8 * Double(n) * Double.ulpOfOne * jacobi[0]
        for (u, v) in zip(bidiagonal, jacobi) { #expect(abs(u - v) <= tolerance, "n \(n): \(u) vs \(v)") }
        #expect(zip(bidiagonal, bidiagonal.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func singularAndZeroMatricesHaveZeroValues() throws {
        let n = 50
        var a = Self.factor(n: n, rho: 0.5, seed: 3)
        // Column 7 = column 3 (rank n − 1) and the zero matrix.
        for i in 0 ..< n { a[7 * n + i] = a[3 * n + i] }
        let values = try #require(BidiagonalSVD.values(columnMajor: a, size: n))
        #expect(values.last! <= 64 * Double(n) * Double.ulpOfOne * values[0])
        let zero = try #require(BidiagonalSVD.values(columnMajor: [Double](repeating: 0, count: n * n), size: n))
        #expect(zero.allSatisfy { $0 == 0 })
        #expect(BidiagonalSVD.values(columnMajor: [Double](repeating: .nan, count: 4), size: 2) == nil)
    }

    /// Graded columns (scales 1 … 1e12): the bidiagonal values of the small
    /// singular values are not relatively accurate, so the dispatcher must
    /// keep Jacobi's, which are.
    @Test func gradedMatricesKeepJacobi() {
        let n = 60
        let a = Self.factor(n: n, rho: 0.3, seed: 9) { j in pow10(Double(j % 13)) }
        let chosen = JacobiSVD.triangularValues(columnMajor: a, size: n).values
        let jacobi = JacobiSVD(columnMajor: a, rows: n, columns: n, wantVectors: false).values
        #expect(chosen == jacobi)
    }


    /// Columns graded 1 … 1e4 (κ beyond the direct route's n·ε·κ ≤ 1e-9, well
    /// within the two-sided route's n·ε·√κ): the values the dispatcher keeps
    /// come from the bidiagonalizations of R and of R⁻¹, and agree with
    /// Jacobi's (relatively accurate) to 1e-9 relative in every value, the
    /// small ones included.
    @Test(arguments: [100, 257])
    func inverseCompletesTheSmallValues(n: Int) throws {
        let a = Self.factor(n: n, rho: 0.9, seed: UInt64(n) &+ 17) { j in pow10(Double(j % 5)) }
        let jacobi = JacobiSVD(columnMajor: a, rows: n, columns: n, wantVectors: false).values
        let kappa = jacobi[0] / jacobi[n - 1]
        #expect(Double(n) * Double.ulpOfOne * kappa > JacobiSVD.bidiagonalRelativeError, "kappa \(kappa)")
        let direct = try #require(BidiagonalSVD.values(columnMajor: a, size: n))
        let combined = try #require(JacobiSVD.twoSidedValues(a, n, direct))
        var worst = 0.0
        for (u, v) in zip(combined, jacobi) { worst = max(worst, abs(u - v) / v) }
        #expect(worst <= 1e-9, "n \(n), kappa \(kappa): worst relative error \(worst)")
        #expect(JacobiSVD.triangularValues(columnMajor: a, size: n).values == combined)
        // Printed beside the direct route's error in the smallest value.
        print("BidiagonalSVDTests n \(n), kappa \(kappa): two-sided worst relative error \(worst), direct \(abs(direct[n - 1] - jacobi[n - 1]) / jacobi[n - 1])")
    }
}

private func pow10(_ e: Double) -> Double { (0 ..< Int(e)).reduce(1.0) { r, _ in r * 10 } }
