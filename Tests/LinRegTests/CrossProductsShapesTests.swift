import Testing
@testable import LinReg

/// Every tile and remainder path of the moments kernel (d from 0 to 9, so
/// odd d and p = d + k of every residue mod 4; n around the 128-row block
/// size; d = 70 and 100 for AVX-512's tall tiles and their remainders),
/// against a plain two-pass computation written out here, and the result's
/// independence of the thread count.
@Suite struct CrossProductsShapesTests {
    /// Deterministic values in [-2, 2) with a per-column offset.
    static func value(_ i: Int, _ j: Int, salt: Int) -> Double {
        Double((i &* 7919 &+ j &* 104_729 &+ salt &* 31) % 997) / 249.25 - 2 + Double(j) * 3
    }

    /// Two passes: weighted means, then Σ w (x − x̄)(z − z̄), in the obvious way.
    static func reference(x: [Double], y: [Double], w: [Double], n: Int, d: Int, k: Int)
        -> (N: Double, mean: [Double], s: [[Double]]) {
        let p = d + k
        func column(_ i: Int, _ c: Int) -> Double { c < d ? x[i * d + c] : y[i * k + c - d] }
        let N = w.reduce(0, +)
        var mean = [Double](repeating: 0, count: p)
        for c in 0..<p {
            for i in 0..<n { mean[c] += w[i] * column(i, c) }
            mean[c] /= N
        }
        var s = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for a in 0..<p {
            for b in 0..<p {
                for i in 0..<n { s[a][b] += w[i] * (column(i, a) - mean[a]) * (column(i, b) - mean[b]) }
            }
        }
        return (N, mean, s)
    }

    @Test(arguments: [(0, 1), (1, 1), (2, 1), (3, 2), (4, 1), (5, 3), (6, 2), (7, 1), (8, 4), (9, 2), (70, 2), (100, 3)])
    func matchesTwoPass(shape: (Int, Int)) throws {
        let (d, k) = shape
        for n in d >= 64 ? [129, 600] : [1, 3, 127, 128, 129, 300] {
            for weighted in [false, true] {
                var x: [Double] = [], y: [Double] = [], w: [Double] = []
                for i in 0..<n {
                    for j in 0..<d { x.append(Self.value(i, j, salt: 1)) }
                    for o in 0..<k { y.append(Self.value(i, o, salt: 2)) }
                    w.append(weighted ? Double((i * 3) % 5) / 2 + (i == 0 ? 1 : 0) : 1)
                }
                let m = try x.withUnsafeBufferPointer { xp in
                    try y.withUnsafeBufferPointer { yp in
                        try w.withUnsafeBufferPointer { wp in
                            try CrossProducts(X: MatrixView(base: xp.baseAddress ?? wp.baseAddress!, rows: n, columns: d),
                                              Y: MatrixView(base: yp.baseAddress!, rows: n, columns: k),
                                              sampleWeight: weighted ? VectorView(base: wp.baseAddress!, count: n) : nil)
                        }
                    }
                }
                let r = Self.reference(x: x, y: y, w: w, n: n, d: d, k: k)
                let what = "d=\(d) k=\(k) n=\(n) weighted=\(weighted)"
                #expect(m.rowCount == n, "\(what)")
                #expect(abs(m.weightSum - r.N) <= 1e-15 * r.N, "\(what)")
                TrainerSupport.expectClose(m.meanX + m.meanY, r.mean, relative: 1e-14, absolute: 1e-14, "mean \(what)")
                let scale = max(1, r.s.indices.map { r.s[$0][$0] }.max() ?? 1)
                var sxx: [Double] = [], sxy: [Double] = [], syy: [Double] = []
                for a in 0..<d {
                    for b in 0..<d { sxx.append(r.s[a][b]) }
                    for o in 0..<k { sxy.append(r.s[a][d + o]) }
                }
                for o in 0..<k { syy.append(r.s[d + o][d + o]) }
                TrainerSupport.expectClose(m.sxx, sxx, relative: 0, absolute: 1e-13 * scale, "sxx \(what)")
                TrainerSupport.expectClose(m.sxy, sxy, relative: 0, absolute: 1e-13 * scale, "sxy \(what)")
                TrainerSupport.expectClose(m.syy, syy, relative: 0, absolute: 1e-13 * scale, "syy \(what)")
            }
        }
    }

    /// Rows of weight zero add nothing, also when they fill whole blocks and
    /// a whole chunk (the kernel's first merged block then starts the
    /// chunk's sums; a chunk with no weight is skipped by the total): the
    /// moments equal those of the weighted rows alone, within 1e-13 relative
    /// (the blocks fall differently on the two), for widths that merge the
    /// chunks into the total serially and on several workers (p ≥ 512).
    /// The skipped rows are more than a chunk (16,384 rows narrow; 3,968 at
    /// 520 columns) and not a whole number of blocks.
    @Test(arguments: [(5, 2, 40_000, 17_000), (520, 1, 12_000, 4_500)])
    func zeroWeightBlocksAddNothing(shape: (Int, Int, Int, Int)) throws {
        let (d, k, n, skipped) = shape
        var x: [Double] = [], y: [Double] = [], w: [Double] = []
        for i in 0..<n {
            for j in 0..<d { x.append(Self.value(i, j, salt: 5) + Double(j % 7)) }
            for o in 0..<k { y.append(Self.value(i, o, salt: 6)) }
            w.append(i < skipped ? 0 : Double(1 + i % 3))
        }
        func moments(from first: Int) throws -> CrossProducts {
            let rows = n - first
            return try x.withUnsafeBufferPointer { xp in
                try y.withUnsafeBufferPointer { yp in
                    try w.withUnsafeBufferPointer { wp in
                        try CrossProducts(X: MatrixView(base: xp.baseAddress! + first * d, rows: rows, columns: d),
                                          Y: MatrixView(base: yp.baseAddress! + first * k, rows: rows, columns: k),
                                          sampleWeight: VectorView(base: wp.baseAddress! + first, count: rows),
                                          threads: 2)
                    }
                }
            }
        }
        let all = try moments(from: 0), tail = try moments(from: skipped)
        #expect(all.isFinite && all.weightSum == tail.weightSum)
        for (a, b) in [(all.sxx, tail.sxx), (all.sxy, tail.sxy), (all.syy, tail.syy), (all.meanX, tail.meanX)] {
            let scale = b.map(abs).max() ?? 1
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
            #expect(a.count == b.count && worst <= 1e-13 * scale, "d \(d): \(worst) of \(scale)")
        }
    }

    /// 40000 rows = 3 chunks: any number of workers gives the same bits.
    @Test func threadCountDoesNotChangeTheResult() throws {
        let n = 40_000, d = 5, k = 2
        var x: [Float] = [], y: [Float] = [], w: [Float] = []
        for i in 0..<n {
            for j in 0..<d { x.append(Float(Self.value(i, j, salt: 3))) }
            for o in 0..<k { y.append(Float(Self.value(i, o, salt: 4))) }
            w.append(Float((i * 3) % 4))
        }
        var results: [CrossProducts] = []
        for threads in [1, 2, 3, 0] {
            results.append(try x.withUnsafeBufferPointer { xp in
                try y.withUnsafeBufferPointer { yp in
                    try w.withUnsafeBufferPointer { wp in
                        try CrossProducts(X: MatrixView(base: xp.baseAddress!, rows: n, columns: d),
                                          Y: MatrixView(base: yp.baseAddress!, rows: n, columns: k),
                                          sampleWeight: VectorView(base: wp.baseAddress!, count: n), threads: threads)
                    }
                }
            })
        }
        for r in results.dropFirst() {
            #expect(r.sxx.map(\.bitPattern) == results[0].sxx.map(\.bitPattern))
            #expect(r.sxy.map(\.bitPattern) == results[0].sxy.map(\.bitPattern))
            #expect(r.syy.map(\.bitPattern) == results[0].syy.map(\.bitPattern))
            #expect(r.meanX.map(\.bitPattern) == results[0].meanX.map(\.bitPattern))
            #expect(r == results[0])
        }
    }
}
