/// An upper bound on the 2-norm condition number of an upper-triangular
/// matrix, cheap enough to settle "clearly full rank" without an SVD.
///
/// σ_max(A) ≤ ‖A‖_F and 1/σ_min(A) = ‖A⁻¹‖₂ ≤ ‖A⁻¹‖_F, so
/// κ₂(A) ≤ ‖A‖_F·‖A⁻¹‖_F. The inverse is formed in double by
/// back-substitution, one column at a time (n³/6 multiply-adds over
/// contiguous rows): its computed value errs by about n·ε·κ relative
/// (Higham, *Accuracy and Stability of Numerical Algorithms*, §14.2), which
/// the caller keeps below a percent before trusting the bound.
enum ConditionBound {
    /// ‖A‖_F·‖Â⁻¹‖_F for the `n × n` upper-triangular matrix A given
    /// row-major in `a` (strictly lower part ignored), with Â⁻¹ the computed
    /// inverse; `.infinity` when a diagonal entry is zero or a value is not
    /// finite. The columns of Â⁻¹ are solved by `threads` workers from 128
    /// columns on (0 = all cores); their squared norms are added in column
    /// order, so the bound does not depend on the thread count.
    static func frobenius(upperRowMajor a: [Double], size n: Int, threads: Int = 1) -> Double {
        guard n >= 1, a.count >= n &* n else { return .infinity }
        var normSquared = 0.0
        for i in 0 ..< n {
            for j in i ..< n { normSquared += a[i &* n &+ j] * a[i &* n &+ j] }
        }
        let workers = n >= 128 ? WorkerThreads.count(requested: threads, pieces: n) : 1
        let level = KernelDispatch.level(nil)
        var columnSquares = [Double](repeating: 0, count: n)
        let ok = a.withUnsafeBufferPointer { ab -> Bool in
            columnSquares.withUnsafeMutableBufferPointer { sb -> Bool in
                guard let ap = ab.baseAddress, let squares = sb.baseAddress else { return false }
                let columns = UnsafeMutablePointer<Double>.allocate(capacity: workers &* n)
                defer { columns.deallocate() }
                let failed = UnsafeMutablePointer<Bool>.allocate(capacity: n)
                failed.initialize(repeating: false, count: n)
                defer { failed.deallocate() }
                // Column j of A⁻¹ solves A·x = eⱼ; its entries past j are zero.
                WorkerThreads.forEach(items: n, workers: workers) { worker, j in
                    let x = columns + worker &* n
                    var squared = 0.0
                    var i = j
                    while i >= 0 {
                        let row = ap + i &* n
                        let sum = (i == j ? 1.0 : 0.0) - KernelDispatch.dot(row + (i &+ 1), x + (i &+ 1), count: j &- i,
                                                                            level: level)
                        let diagonal = row[i]
                        let value = sum / diagonal
                        guard diagonal != 0, value.isFinite else {
                            failed[j] = true
                            return
                        }
                        x[i] = value
                        squared += value * value
                        i &-= 1
                    }
                    squares[j] = squared
                }
                for j in 0 ..< n where failed[j] { return false }
                return true
            }
        }
        var inverseSquared = 0.0
        for j in 0 ..< n { inverseSquared += columnSquares[j] }
        let bound = normSquared.squareRoot() * inverseSquared.squareRoot()
        return ok && bound.isFinite ? bound : .infinity
    }
}
