/// Solves with an upper-triangular ``DoubleDoubleMatrix`` in double-double
/// arithmetic: back-substitution and the inverse.
///
/// Back-substitution is backward stable; in double-double its forward error
/// is about κ·u² ≈ κ·1e-32, so a triangular factor known to double-double
/// accuracy gives solutions exact to double precision for any condition
/// number below ~1e15 (after column scaling).
enum TriangularSolve {
    /// The solution x of U[0..<n, 0..<n]·x = b, with U the leading n × n
    /// block of `u` (upper triangle read, the rest ignored). Returns nil if a
    /// diagonal entry is zero or a result is not finite.
    static func backSubstitute(_ u: DoubleDoubleMatrix, size n: Int, rightHandSide b: [DoubleDouble]) -> [DoubleDouble]? {
        var x = b
        var i = n &- 1
        while i >= 0 {
            var sum = x[i]
            var j = i &+ 1
            while j < n {
                sum -= u[i, j] * x[j]
                j &+= 1
            }
            let diagonal = u[i, i]
            if diagonal.hi == 0 { return nil }
            let value = sum / diagonal
            if !value.hi.isFinite { return nil }
            x[i] = value
            i &-= 1
        }
        return x
    }

    /// The solution y of Uᵀ·y = b for the leading n × n upper-triangular
    /// block U of `u` (forward substitution); nil as for ``backSubstitute``.
    static func forwardSubstituteTransposed(_ u: DoubleDoubleMatrix, size n: Int,
                                            rightHandSide b: [DoubleDouble]) -> [DoubleDouble]? {
        var y = b
        for i in 0 ..< n {
            var sum = y[i]
            for l in 0 ..< i { sum -= u[l, i] * y[l] }
            let diagonal = u[i, i]
            if diagonal.hi == 0 { return nil }
            let value = sum / diagonal
            if !value.hi.isFinite { return nil }
            y[i] = value
        }
        return y
    }

    /// The inverse of the leading n × n upper-triangular block of `u`, as an
    /// upper-triangular n × n matrix; nil if a diagonal entry is zero or an
    /// entry is not finite.
    static func inverse(_ u: DoubleDoubleMatrix, size n: Int) -> DoubleDoubleMatrix? {
        var result = DoubleDoubleMatrix(rows: n, columns: n)
        // Column j of U⁻¹ solves U·x = eⱼ; only its first j + 1 entries are non-zero.
        for j in 0 ..< n {
            var i = j
            while i >= 0 {
                var sum = i == j ? DoubleDouble.one : DoubleDouble.zero
                var l = i &+ 1
                while l <= j {
                    sum -= u[i, l] * result[l, j]
                    l &+= 1
                }
                let diagonal = u[i, i]
                if diagonal.hi == 0 { return nil }
                let value = sum / diagonal
                if !value.hi.isFinite { return nil }
                result[i, j] = value
                i &-= 1
            }
        }
        return result
    }
}
