import Testing
@testable import LinReg

/// `EquilibratedCholesky`: its factor and estimate are those of the plain
/// formulation, one inner product per entry (row-oriented Cholesky, the
/// inverse column by column, |MᵀM| entry by entry, all with `KernelDispatch.dot`),
/// bit for bit, whatever the grouping of its kernels and the thread count;
/// and the factor reproduces C = D·G·D to the Cholesky bound.
struct EquilibratedCholeskyTests {
    /// An equicorrelated-plus-noise Gram matrix of order p with unequal scales.
    static func gram(_ p: Int, seed: UInt64) -> [Double] {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int64(bitPattern: state >> 11) % 2_000_001) / 1_000_000 - 1
        }
        // G = AᵀA for a (p + 8) × p design with correlated columns.
        let n = p + 8
        var a = [Double](repeating: 0, count: n * p)
        for i in 0 ..< n {
            let common = next()
            for j in 0 ..< p { a[i * p + j] = (0.9 * common + 0.45 * next()) * Double(1 + j % 7) }
        }
        var g = [Double](repeating: 0, count: p * p)
        for i in 0 ..< p {
            for j in 0 ... i {
                var s = 0.0
                for r in 0 ..< n { s += a[r * p + i] * a[r * p + j] }
                g[i * p + j] = s
                g[j * p + i] = s
            }
        }
        return g
    }

    /// The plain formulation: (L, κ̂).
    static func reference(_ gram: [Double], _ p: Int) -> (lower: [Double], estimate: Double) {
        let level = KernelDispatch.level(nil)
        let scale = (0 ..< p).map { 1 / gram[$0 * p + $0].squareRoot() }
        var c = gram
        var norm = 0.0
        for a in 0 ..< p {
            var row = 0.0
            for b in 0 ..< p {
                c[a * p + b] = c[a * p + b] * scale[a] * scale[b]
                row += abs(c[a * p + b])
            }
            norm = max(norm, row)
        }
        var m = [Double](repeating: 0, count: p * p)
        var rowSums = [Double](repeating: 0, count: p)
        c.withUnsafeMutableBufferPointer { lb in
            m.withUnsafeMutableBufferPointer { mb in
                let lp = lb.baseAddress!, mp = mb.baseAddress!
                for a in 0 ..< p {
                    for b in 0 ... a {
                        let sum = lp[a * p + b] - KernelDispatch.dot(lp + a * p, lp + b * p, count: b, level: level)
                        lp[a * p + b] = a == b ? sum.squareRoot() : sum / lp[b * p + b]
                    }
                }
                for j in 0 ..< p {
                    mp[j * p + j] = 1 / lp[j * p + j]
                    for i in (j + 1) ..< max(j + 1, p) {
                        mp[j * p + i] = -KernelDispatch.dot(lp + (i * p + j), mp + (j * p + j), count: i - j,
                                                            level: level) / lp[i * p + i]
                    }
                }
                for a in 0 ..< p {
                    rowSums[a] += abs(KernelDispatch.dot(mp + (a * p + a), mp + (a * p + a), count: p - a,
                                                         level: level))
                    for b in (a + 1) ..< max(a + 1, p) {
                        let v = abs(KernelDispatch.dot(mp + (a * p + b), mp + (b * p + b), count: p - b, level: level))
                        rowSums[a] += v
                        rowSums[b] += v
                    }
                }
            }
        }
        let inverseNorm = rowSums.max() ?? 0
        return (c, max(1, (norm * inverseNorm).squareRoot()))
    }

    @Test(arguments: [1, 3, 4, 7, 130, 132, 133, 135, 161])
    func sameBitsAsOneInnerProductPerEntry(p: Int) throws {
        let g = Self.gram(p, seed: 0x5851_F42D_4C95_7F2D &+ UInt64(p))
        let (lower, estimate) = Self.reference(g, p)
        for threads in [1, 2, 3] {
            let factor = try #require(EquilibratedCholesky(gram: g, size: p, threads: threads))
            #expect(factor.conditionEstimate.bitPattern == estimate.bitPattern,
                    "p \(p) threads \(threads): \(factor.conditionEstimate) vs \(estimate)")
            var differing = 0
            for a in 0 ..< p {
                for b in 0 ... a where factor.lower[a * p + b].bitPattern != lower[a * p + b].bitPattern {
                    differing += 1
                }
            }
            #expect(differing == 0, "p \(p) threads \(threads): \(differing) entries of L differ")
            // L·Lᵀ = C to the Cholesky bound (Higham Thm 10.3: γ_{p+1}·(|L||Lᵀ|)ᵢⱼ ≤ γ_{p+1}, C's
            // diagonal being 1).
            var worst = 0.0
            for a in 0 ..< p {
                for b in 0 ... a {
                    var s = 0.0
                    for t in 0 ... b { s += factor.lower[a * p + t] * factor.lower[b * p + t] }
                    let c = g[a * p + b] * factor.scale[a] * factor.scale[b]
                    worst = max(worst, abs(s - c))
                }
            }
            #expect(worst <= Double(p + 1) * Double.ulpOfOne * 1.01, "p \(p): ‖LLᵀ − C‖max = \(worst)")
        }
    }
}
