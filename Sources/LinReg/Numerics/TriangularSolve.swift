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
    /// entry is not finite. Columns are independent: they are computed on
    /// `threads` workers (0 = all cores) for n ≥ 64, with the same result.
    static func inverse(_ u: DoubleDoubleMatrix, size n: Int, threads: Int = 1) -> DoubleDoubleMatrix? {
        // Column j of U⁻¹ solves U·x = eⱼ; only its first j + 1 entries are
        // non-zero. Each column is built in a contiguous buffer (so that the
        // inner products run along row i of U and the column together) and
        // then copied into the planes of the result, column j by its worker.
        // The inner products are SIMD double-double dot products
        // (`DoubleDoubleKernel`): the same bits on every instruction set.
        if n == 0 { return DoubleDoubleMatrix(rows: 0, columns: 0) }
        let ld = u.columns
        let level = KernelDispatch.level(nil)
        let workers = n >= 64 ? WorkerThreads.count(requested: threads, pieces: n) : 1
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 2 &* n &* workers)
        let resultHi = UnsafeMutablePointer<Double>.allocate(capacity: n &* n)
        let resultLo = UnsafeMutablePointer<Double>.allocate(capacity: n &* n)
        let failed = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        resultHi.initialize(repeating: 0, count: n &* n)
        resultLo.initialize(repeating: 0, count: n &* n)
        failed.initialize(repeating: false, count: n)
        defer {
            scratch.deallocate()
            resultHi.deallocate()
            resultLo.deallocate()
            failed.deallocate()
        }
        u.hi.withUnsafeBufferPointer { uhBuffer in
            u.lo.withUnsafeBufferPointer { ulBuffer in
                guard let uh = uhBuffer.baseAddress, let ul = ulBuffer.baseAddress else { return }
                WorkerThreads.forEach(items: n, workers: workers) { worker, j in
                    let columnHi = scratch + 2 &* n &* worker, columnLo = columnHi + n
                    var i = j
                    while i >= 0 {
                        let rowHi = uh + i &* ld, rowLo = ul + i &* ld
                        // Σ over l in i + 1 ... j of U[i, l]·x[l], the SIMD
                        // double-double dot product (compensated, exact products).
                        let dot = KernelDispatch.doubleDoubleDot(rowHi + (i &+ 1), rowLo + (i &+ 1), columnHi + (i &+ 1),
                                                                 columnLo + (i &+ 1), rows: j &- i, level: level)
                        let sum = (i == j ? DoubleDouble.one : DoubleDouble.zero) - dot
                        let diagonal = DoubleDouble(rowHi[i], rowLo[i])
                        let value = sum / diagonal
                        if diagonal.hi == 0 || !value.hi.isFinite {
                            failed[j] = true
                            return
                        }
                        columnHi[i] = value.hi
                        columnLo[i] = value.lo
                        i &-= 1
                    }
                    for r in 0 ... j {
                        resultHi[r &* n &+ j] = columnHi[r]
                        resultLo[r &* n &+ j] = columnLo[r]
                    }
                }
            }
        }
        for j in 0 ..< n where failed[j] { return nil }
        var result = DoubleDoubleMatrix(rows: n, columns: n)
        for index in 0 ..< (n &* n) {
            result.hi[index] = resultHi[index]
            result.lo[index] = resultLo[index]
        }
        return result
    }
}
