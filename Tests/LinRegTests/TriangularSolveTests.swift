import Testing
@testable import LinReg

/// ``TriangularSolve``'s substitutions (SIMD double-double kernels) against
/// the textbook scalar double-double recurrences written out here, and
/// against their own residuals, on blocks of a larger matrix (`from:`).
struct TriangularSolveTests {
    /// An m × m matrix whose upper triangle is random with both parts set
    /// (hi in [−1, 1), lo a random fraction of its ulp), a diagonal of size
    /// about 2 to 6, and garbage below the diagonal (which must not be read).
    static func matrix(_ m: Int, seed: UInt64) -> DoubleDoubleMatrix {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
        var u = DoubleDoubleMatrix(rows: m, columns: m)
        for i in 0 ..< m {
            for j in 0 ..< m {
                let hi = j == i ? 2 + 4 * uniform() : 2 * uniform() - 1
                let value = j < i ? DoubleDouble(.nan) : DoubleDouble(hi, hi.ulp * (uniform() - 0.5) / 2)
                u[i, j] = value
            }
        }
        return u
    }

    static func rightHandSide(_ n: Int, seed: UInt64) -> [DoubleDouble] {
        var rng = SplitMix64(seed: seed)
        return (0 ..< n).map { _ in
            let hi = Double(rng.next() >> 11) * 0x1p-52 - 1
            return DoubleDouble(hi, hi.ulp / 3)
        }
    }

    /// |a − b| against the size of the sum that made b.
    static func expectClose(_ a: [DoubleDouble], _ b: [DoubleDouble], _ scale: [Double], _ what: String) {
        for i in 0 ..< b.count {
            let difference = abs((a[i] - b[i]).value)
            #expect(difference <= 1e-28 * scale[i], "\(what) [\(i)]: \(difference) against \(scale[i])")
        }
    }

    @Test(arguments: [(1, 0), (7, 0), (8, 3), (31, 1), (200, 17)])
    func substitutionsAgreeWithTheScalarRecurrences(shape: (Int, Int)) throws {
        let (n, first) = shape
        let u = Self.matrix(n + first + 2, seed: UInt64(n * 31 + first))
        let b = Self.rightHandSide(n, seed: UInt64(n))
        func entry(_ i: Int, _ j: Int) -> DoubleDouble { u[first + i, first + j] }

        // U·x = b, scalar: xᵢ = (bᵢ − Σ_{j>i} U_ij x_j) / U_ii.
        var x = b, scaleX = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[i]
            var size = abs(b[i].hi)
            for j in (i + 1) ..< n {
                sum -= entry(i, j) * x[j]
                size += abs(entry(i, j).hi * x[j].hi)
            }
            x[i] = sum / entry(i, i)
            scaleX[i] = size / abs(entry(i, i).hi) + abs(x[i].hi)
        }
        let solved = try #require(TriangularSolve.backSubstitute(u, size: n, from: first, rightHandSide: b))
        Self.expectClose(solved, x, scaleX, "back-substitution")

        // Uᵀ·y = b, scalar: yᵢ = (bᵢ − Σ_{l<i} U_li y_l) / U_ii.
        var y = b, scaleY = [Double](repeating: 0, count: n)
        for i in 0 ..< n {
            var sum = b[i]
            var size = abs(b[i].hi)
            for l in 0 ..< i {
                sum -= entry(l, i) * y[l]
                size += abs(entry(l, i).hi * y[l].hi)
            }
            y[i] = sum / entry(i, i)
            scaleY[i] = size / abs(entry(i, i).hi) + abs(y[i].hi)
        }
        let forward = try #require(TriangularSolve.forwardSubstituteTransposed(u, size: n, from: first,
                                                                              rightHandSide: b))
        Self.expectClose(forward, y, scaleY, "forward substitution")

        // The leading block by default, with more right-hand-side entries than
        // n: those are returned unchanged.
        let longer = b + [DoubleDouble(5, 0), DoubleDouble(-7, 0)]
        let leading = try #require(TriangularSolve.backSubstitute(u, size: n, rightHandSide: longer))
        #expect(leading.count == n + 2 && leading[n] == longer[n] && leading[n + 1] == longer[n + 1])
        // Residual of the leading block's solution, in double-double.
        for i in 0 ..< n {
            var sum = DoubleDouble.zero, size = 0.0
            for j in i ..< n {
                sum += u[i, j] * leading[j]
                size += abs(u[i, j].hi * leading[j].hi)
            }
            #expect(abs((sum - b[i]).value) <= 1e-28 * size, "residual [\(i)]")
        }
    }

    /// A factor with more columns than rows (the aliasing report's r × (r + k)):
    /// rows are `columns` apart. A longer right-hand side keeps its tail.
    @Test func rectangularFactorsAndLongerRightHandSides() throws {
        let (n, extra) = (12, 5)
        let square = Self.matrix(n + extra, seed: 21)
        var wide = DoubleDoubleMatrix(rows: n, columns: n + extra)
        for i in 0 ..< n { for j in 0 ..< (n + extra) { wide[i, j] = square[i, j] } }
        let b = Self.rightHandSide(n, seed: 8) + [DoubleDouble(3, 0), DoubleDouble(-4, 0)]
        let fromSquare = try #require(TriangularSolve.backSubstitute(square, size: n, rightHandSide: b))
        let fromWide = try #require(TriangularSolve.backSubstitute(wide, size: n, rightHandSide: b))
        #expect(fromSquare == fromWide)
        let forwardSquare = try #require(TriangularSolve.forwardSubstituteTransposed(square, size: n, rightHandSide: b))
        let forwardWide = try #require(TriangularSolve.forwardSubstituteTransposed(wide, size: n, rightHandSide: b))
        #expect(forwardSquare == forwardWide)
        #expect(forwardWide.count == n + 2 && forwardWide[n] == b[n] && forwardWide[n + 1] == b[n + 1])
        #expect(TriangularSolve.backSubstitute(wide, size: n + 1, rightHandSide: b) == nil)  // past its rows
    }

    @Test func zeroPivotsAndBadBlocksHaveNoSolution() {
        var u = Self.matrix(6, seed: 9)
        let b = Self.rightHandSide(4, seed: 2)
        #expect(TriangularSolve.backSubstitute(u, size: 4, from: 3, rightHandSide: b) == nil)  // past the matrix
        #expect(TriangularSolve.forwardSubstituteTransposed(u, size: 4, from: 3, rightHandSide: b) == nil)
        #expect(TriangularSolve.backSubstitute(u, size: 5, rightHandSide: b) == nil)  // b too short
        u[3, 3] = .zero
        #expect(TriangularSolve.backSubstitute(u, size: 4, from: 1, rightHandSide: b) == nil)
        #expect(TriangularSolve.forwardSubstituteTransposed(u, size: 4, from: 1, rightHandSide: b) == nil)
        #expect(TriangularSolve.backSubstitute(u, size: 3, rightHandSide: b) != nil)  // the zero lies outside
        #expect(TriangularSolve.backSubstitute(u, size: 0, rightHandSide: []) == [])
    }
}
