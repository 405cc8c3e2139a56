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
        // Column j of U⁻¹ solves U·x = eⱼ; only its first j + 1 entries are
        // non-zero. Each column is built in `column` (contiguous, so that
        // the inner products run along row i of U and the column together)
        // and then copied into the result.
        var result = DoubleDoubleMatrix(rows: n, columns: n)
        if n == 0 { return result }
        let ld = u.columns
        let columnHi = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let columnLo = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer {
            columnHi.deallocate()
            columnLo.deallocate()
        }
        let ok = u.hi.withUnsafeBufferPointer { uhBuffer -> Bool in
            u.lo.withUnsafeBufferPointer { ulBuffer -> Bool in
                guard let uh = uhBuffer.baseAddress, let ul = ulBuffer.baseAddress else { return false }
                for j in 0 ..< n {
                    var i = j
                    while i >= 0 {
                        var sum = i == j ? DoubleDouble.one : DoubleDouble.zero
                        let rowHi = uh + i &* ld, rowLo = ul + i &* ld
                        var l = i &+ 1
                        while l <= j {
                            sum -= DoubleDouble(rowHi[l], rowLo[l]) * DoubleDouble(columnHi[l], columnLo[l])
                            l &+= 1
                        }
                        let diagonal = DoubleDouble(rowHi[i], rowLo[i])
                        if diagonal.hi == 0 { return false }
                        let value = sum / diagonal
                        if !value.hi.isFinite { return false }
                        columnHi[i] = value.hi
                        columnLo[i] = value.lo
                        i &-= 1
                    }
                    for r in 0 ... j {
                        result.hi[r &* n &+ j] = columnHi[r]
                        result.lo[r &* n &+ j] = columnLo[r]
                    }
                }
                return true
            }
        }
        return ok ? result : nil
    }
}
