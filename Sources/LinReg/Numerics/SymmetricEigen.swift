/// Eigenvalues and eigenvectors of a small dense symmetric matrix by the
/// cyclic Jacobi method (accurate to a few ulps of the largest eigenvalue;
/// used for the m × m covariance of m linear restrictions, m small).
enum SymmetricEigen {
    /// The eigen-decomposition of the symmetric `n × n` row-major `a`:
    /// eigenvalues, and eigenvectors as the columns of a row-major n × n
    /// matrix. Nil when a value is not finite.
    static func decompose(_ a: [Double], size n: Int) -> (values: [Double], vectors: [Double])? {
        guard a.count == n * n, a.allSatisfy({ $0.isFinite }) else { return nil }
        var m = a
        var v = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { v[i * n + i] = 1 }
        for _ in 0 ..< 100 {
            var off = 0.0, total = 0.0
            for i in 0 ..< n {
                for j in 0 ..< n {
                    total += m[i * n + j] * m[i * n + j]
                    if i != j { off += m[i * n + j] * m[i * n + j] }
                }
            }
            if off <= 1e-32 * total || off == 0 { break }
            for pIndex in 0 ..< n {
                for q in (pIndex + 1) ..< max(n, pIndex + 1) {
                    let apq = m[pIndex * n + q]
                    if apq == 0 { continue }
                    let app = m[pIndex * n + pIndex], aqq = m[q * n + q]
                    let theta = (aqq - app) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0 ..< n {
                        let mkp = m[k * n + pIndex], mkq = m[k * n + q]
                        m[k * n + pIndex] = c * mkp - s * mkq
                        m[k * n + q] = s * mkp + c * mkq
                    }
                    for k in 0 ..< n {
                        let mpk = m[pIndex * n + k], mqk = m[q * n + k]
                        m[pIndex * n + k] = c * mpk - s * mqk
                        m[q * n + k] = s * mpk + c * mqk
                    }
                    for k in 0 ..< n {
                        let vkp = v[k * n + pIndex], vkq = v[k * n + q]
                        v[k * n + pIndex] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0 ..< n).map { m[$0 * n + $0] }, v)
    }
}
