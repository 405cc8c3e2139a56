@testable import LinReg

/// Independent references for the NNLS and RidgeCV tests: a dense
/// weighted least-squares solve by Gaussian elimination with partial
/// pivoting on the normal equations, in plain Double, written here and
/// sharing nothing with the library's solvers.
enum RidgeCVNNLSSupport {
    /// Solves A·x = b (n × n, row-major); nil when a pivot is zero.
    static func solve(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
        var m = a, r = b
        for col in 0 ..< n {
            var pivot = col
            for row in col ..< n where abs(m[row * n + col]) > abs(m[pivot * n + col]) { pivot = row }
            if m[pivot * n + col] == 0 { return nil }
            if pivot != col {
                for j in 0 ..< n { m.swapAt(col * n + j, pivot * n + j) }
                r.swapAt(col, pivot)
            }
            for row in (col + 1) ..< n {
                let f = m[row * n + col] / m[col * n + col]
                if f == 0 { continue }
                for j in col ..< n { m[row * n + j] -= f * m[col * n + j] }
                r[row] -= f * r[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var s = r[row]
            for j in (row + 1) ..< n { s -= m[row * n + j] * x[j] }
            x[row] = s / m[row * n + row]
        }
        return x
    }

    /// Weighted ridge with an unpenalised intercept on the rows `rows`
    /// (nil: all) using only the feature `columns`: (intercept, weights of
    /// those columns), from the normal equations.
    static func ridge(x: [Double], y: [Double], w: [Double]?, n: Int, d: Int, columns: [Int], alpha: Double,
                      intercept: Bool, skipping skipped: Int? = nil) -> (Double, [Double])? {
        let q = columns.count + (intercept ? 1 : 0)
        var a = [Double](repeating: 0, count: q * q), b = [Double](repeating: 0, count: q)
        for i in 0 ..< n where i != skipped {
            let wi = w?[i] ?? 1
            var row: [Double] = intercept ? [1] : []
            row += columns.map { x[i * d + $0] }
            for r in 0 ..< q {
                b[r] += wi * row[r] * y[i]
                for c in 0 ..< q { a[r * q + c] += wi * row[r] * row[c] }
            }
        }
        for j in (intercept ? 1 : 0) ..< q { a[j * q + j] += alpha }
        guard let beta = solve(a, b, size: q) else { return nil }
        return intercept ? (beta[0], Array(beta.dropFirst())) : (0, beta)
    }

    /// Σ wᵢ(yᵢ − b − xᵢ·β)² for full-length β.
    static func rss(x: [Double], y: [Double], w: [Double]?, n: Int, d: Int, intercept b: Double, beta: [Double]) -> Double {
        var total = 0.0
        for i in 0 ..< n {
            var r = y[i] - b
            for c in 0 ..< d { r -= x[i * d + c] * beta[c] }
            total += (w?[i] ?? 1) * r * r
        }
        return total
    }

    /// NNLS by enumeration: the feasible unconstrained solution on each of
    /// the 2^d supports with the smallest objective RSS + alpha·‖β‖² (the
    /// minimiser is the (ridge) least-squares solution on its support, and
    /// feasible; the objective is strictly convex for alpha > 0).
    static func bruteForceNNLS(x: [Double], y: [Double], w: [Double]?, n: Int, d: Int,
                               intercept: Bool, alpha: Double = 0) -> (Double, [Double]) {
        var best: (Double, [Double]) = (0, [Double](repeating: 0, count: d))
        var bestRSS = Double.infinity
        for mask in 0 ..< (1 << d) {
            let columns = (0 ..< d).filter { mask & (1 << $0) != 0 }
            guard let (b, sub) = ridge(x: x, y: y, w: w, n: n, d: d, columns: columns, alpha: alpha,
                                       intercept: intercept),
                  sub.allSatisfy({ $0 >= 0 }) else { continue }
            var beta = [Double](repeating: 0, count: d)
            for (j, c) in columns.enumerated() { beta[c] = sub[j] }
            let value = rss(x: x, y: y, w: w, n: n, d: d, intercept: b, beta: beta)
                + alpha * beta.reduce(0) { $0 + $1 * $1 }
            if value < bestRSS { bestRSS = value; best = (b, beta) }
        }
        return best
    }
}
