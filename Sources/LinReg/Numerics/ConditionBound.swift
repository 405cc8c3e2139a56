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
    /// finite.
    static func frobenius(upperRowMajor a: [Double], size n: Int) -> Double {
        guard n >= 1, a.count >= n &* n else { return .infinity }
        var normSquared = 0.0
        for i in 0 ..< n {
            for j in i ..< n { normSquared += a[i &* n &+ j] * a[i &* n &+ j] }
        }
        var inverseSquared = 0.0
        var column = [Double](repeating: 0, count: n)
        let ok = a.withUnsafeBufferPointer { ab -> Bool in
            column.withUnsafeMutableBufferPointer { cb -> Bool in
                guard let ap = ab.baseAddress, let x = cb.baseAddress else { return false }
                // Column j of A⁻¹ solves A·x = eⱼ; its entries past j are zero.
                for j in 0 ..< n {
                    var i = j
                    while i >= 0 {
                        let row = ap + i &* n
                        let sum = (i == j ? 1.0 : 0.0) - contiguousDot(row + (i &+ 1), x + (i &+ 1), j &- i)
                        let diagonal = row[i]
                        guard diagonal != 0 else { return false }
                        let value = sum / diagonal
                        guard value.isFinite else { return false }
                        x[i] = value
                        inverseSquared += value * value
                        i &-= 1
                    }
                }
                return true
            }
        }
        let bound = normSquared.squareRoot() * inverseSquared.squareRoot()
        return ok && bound.isFinite ? bound : .infinity
    }
}
