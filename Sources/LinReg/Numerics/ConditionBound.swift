/// Upper bounds on the 2-norm condition number of an upper-triangular
/// matrix, cheap enough to settle "clearly full rank" without an SVD.
///
/// σ_max(A) ≤ ‖A‖_F, and two bounds of 1/σ_min(A) = ‖A⁻¹‖₂:
///
/// * ``comparison(upperRowMajor:size:)``, O(n²): the comparison matrix
///   M(A) (|a_ii| on the diagonal, −|a_ij| above it) has a non-negative
///   inverse with |A⁻¹| ≤ M(A)⁻¹ entrywise (Higham, *Accuracy and Stability
///   of Numerical Algorithms*, Theorem 8.12), so ‖A⁻¹‖∞ ≤ ‖M(A)⁻¹e‖∞ and
///   ‖A⁻¹‖₁ ≤ ‖M(A)⁻ᵀe‖∞ (e = ones), each one triangular solve whose terms
///   are all non-negative (each step's rounding, at most (n + 2)·ε relative,
///   compounds along the recurrence: at most about (n + 2)²·ε/2 in all, as
///   for ‖A‖_F², a sum of n²/2 squares; covered by a factor
///   1 + 2(n + 2)²·ε), and
///   ‖A⁻¹‖₂ ≤ √(‖A⁻¹‖₁·‖A⁻¹‖∞). It can exceed κ₂ by orders of magnitude
///   (exponentially in n for some matrices), so it settles only the clear
///   cases;
/// * ``frobenius(upperRowMajor:size:threads:)``, O(n³): ‖A⁻¹‖₂ ≤ ‖A⁻¹‖_F,
///   the inverse formed in double by back-substitution, one column at a
///   time (n³/6 multiply-adds over contiguous rows): its computed value
///   errs by about n·ε·κ relative (Higham, §14.2), which the caller keeps
///   below a percent before trusting the bound.
enum ConditionBound {
    /// ‖A‖_F·√(‖M(A)⁻¹‖₁·‖M(A)⁻¹‖∞)·(1 + 2(n + 2)²·ε), an upper bound of
    /// κ₂(A) for the `n × n` upper-triangular A given row-major in `a`
    /// (strictly lower part ignored); `.infinity` when a diagonal entry is
    /// zero or a value is not finite.
    static func comparison(upperRowMajor a: [Double], size n: Int) -> Double {
        guard n >= 1, a.count >= n &* n else { return .infinity }
        var normSquared = 0.0
        // x = M⁻¹e by rows from the bottom (‖·‖∞ of M⁻¹), y = M⁻ᵀe by
        // columns: after yᵢ, row i adds |a_ij|·yᵢ to the sums of every j > i.
        var x = [Double](repeating: 0, count: n)
        var sums = [Double](repeating: 0, count: n)
        var rowsNorm = 0.0, columnsNorm = 0.0
        var i = n &- 1
        while i >= 0 {
            var sum = 1.0
            for j in (i &+ 1) ..< n { sum += abs(a[i &* n &+ j]) * x[j] }
            x[i] = sum / abs(a[i &* n &+ i])
            guard x[i].isFinite else { return .infinity }  // NaN, a zero pivot, or overflow
            rowsNorm = max(rowsNorm, x[i])
            i &-= 1
        }
        for i in 0 ..< n {
            let diagonal = abs(a[i &* n &+ i])
            let y = (1 + sums[i]) / diagonal
            guard y.isFinite else { return .infinity }
            columnsNorm = max(columnsNorm, y)
            normSquared += diagonal * diagonal
            for j in (i &+ 1) ..< n {
                let v = abs(a[i &* n &+ j])
                sums[j] += v * y
                normSquared += v * v
            }
        }
        let bound = normSquared.squareRoot() * (rowsNorm * columnsNorm).squareRoot()
            * (1 + 2 * Double(n &+ 2) * Double(n &+ 2) * Double.ulpOfOne)
        return bound.isFinite && bound > 0 ? bound : .infinity
    }

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
