/// Solves with an upper-triangular ``DoubleDoubleMatrix`` in double-double
/// arithmetic: back-substitution, forward substitution with the transpose,
/// and the inverse. Their inner products and updates are the SIMD
/// double-double kernels (`DoubleDoubleKernel`), whose exact products are
/// the same on every instruction set unless a product underflows (below
/// about 2⁻⁹⁶⁹; the factors here are scaled near 1).
///
/// Back-substitution is backward stable; in double-double its forward error
/// is about κ·u² ≈ κ·1e-32, so a triangular factor known to double-double
/// accuracy gives solutions exact to double precision for any condition
/// number below ~1e15 (after column scaling).
enum TriangularSolve {
    /// The solution x of U·x = b, with U the n × n block of `u` from row and
    /// column `first` (the leading block by default; upper triangle read,
    /// the rest ignored). Returns nil if a
    /// diagonal entry is zero or a result is not finite. Each xᵢ takes the
    /// SIMD double-double dot product of row i of U with x's tail
    /// (`DoubleDoubleKernel`: compensated, exact products, the same bits on
    /// every instruction set).
    static func backSubstitute(_ u: DoubleDoubleMatrix, size n: Int, from first: Int = 0,
                               rightHandSide b: [DoubleDouble]) -> [DoubleDouble]? {
        let level = KernelDispatch.level(nil)
        return solving(u, size: n, from: first, b) { uh, ul, ld, xh, xl in
            var i = n &- 1
            while i >= 0 {
                let row = i &* ld
                let dot = KernelDispatch.doubleDoubleDot(uh + (row &+ i &+ 1), ul + (row &+ i &+ 1), xh + (i &+ 1),
                                                         xl + (i &+ 1), rows: n &- i &- 1, level: level)
                let diagonal = DoubleDouble(uh[row &+ i], ul[row &+ i])
                if diagonal.hi == 0 { return false }
                let value = (DoubleDouble(xh[i], xl[i]) - dot) / diagonal
                if !value.hi.isFinite { return false }
                xh[i] = value.hi
                xl[i] = value.lo
                i &-= 1
            }
            return true
        }
    }

    /// The solution y of Uᵀ·y = b for the n × n upper-triangular block U of
    /// `u` from row and column `first` (forward substitution); nil as for
    /// ``backSubstitute(_:size:from:rightHandSide:)``.
    /// Column-oriented: once yᵢ is known, yᵢ times row i of U is taken off
    /// the remaining right-hand side (the SIMD double-double update of
    /// `DoubleDoubleKernel`), so each yᵢ subtracts its terms in the order
    /// l = 0, 1, …, i − 1 and every row of U is read once, contiguously.
    static func forwardSubstituteTransposed(_ u: DoubleDoubleMatrix, size n: Int, from first: Int = 0,
                                            rightHandSide b: [DoubleDouble]) -> [DoubleDouble]? {
        let level = KernelDispatch.level(nil)
        return solving(u, size: n, from: first, b) { uh, ul, ld, yh, yl in
            for i in 0 ..< n {
                let row = i &* ld
                let diagonal = DoubleDouble(uh[row &+ i], ul[row &+ i])
                if diagonal.hi == 0 { return false }
                let value = DoubleDouble(yh[i], yl[i]) / diagonal
                if !value.hi.isFinite { return false }
                yh[i] = value.hi
                yl[i] = value.lo
                KernelDispatch.doubleDoubleSubtractMultiple(value, uh + (row &+ i &+ 1), ul + (row &+ i &+ 1),
                                                            yh + (i &+ 1), yl + (i &+ 1), rows: n &- i &- 1,
                                                            level: level)
            }
            return true
        }
    }

    /// The substitutions' frame: checks the block (n × n from row and column
    /// `first`, inside `u`; `b` at least n long), then runs `solve` on U's
    /// planes from the block's corner (rows `ld` apart) and on b's planes,
    /// which it overwrites with the solution; b's entries past n are
    /// returned unchanged. nil when the block does not fit or `solve` fails.
    private static func solving(
        _ u: DoubleDoubleMatrix, size n: Int, from first: Int, _ b: [DoubleDouble],
        _ solve: (_ uh: UnsafePointer<Double>, _ ul: UnsafePointer<Double>, _ ld: Int,
                  _ xh: UnsafeMutablePointer<Double>, _ xl: UnsafeMutablePointer<Double>) -> Bool
    ) -> [DoubleDouble]? {
        guard n > 0, first >= 0, n <= min(u.rows, u.columns) &- first, b.count >= n else { return n == 0 ? b : nil }
        let ld = u.columns
        let corner = first &* ld &+ first
        var xh = b.map(\.hi), xl = b.map(\.lo)
        let solved = u.hi.withUnsafeBufferPointer { uhBuffer in
            u.lo.withUnsafeBufferPointer { ulBuffer in
                xh.withUnsafeMutableBufferPointer { xhBuffer in
                    xl.withUnsafeMutableBufferPointer { xlBuffer -> Bool in
                        guard let uh = uhBuffer.baseAddress, let ul = ulBuffer.baseAddress,
                              let vh = xhBuffer.baseAddress, let vl = xlBuffer.baseAddress else { return false }
                        return solve(uh + corner, ul + corner, ld, vh, vl)
                    }
                }
            }
        }
        guard solved else { return nil }
        return (0 ..< b.count).map { DoubleDouble(xh[$0], xl[$0]) }
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
