import Testing
@testable import LinReg

/// The one-pass moments kernel against exact rational arithmetic, on data
/// whose means dwarf their spread (a naive Σx² − N·x̄² in float64 gives 0 for
/// Sxx[0][0] here instead of 8301.13).
///
/// Reference script (Python `fractions`, exact; rounded to float64 at the end):
/// ```python
/// n = 40000
/// def row(i):
///     x = [F(10**8) + F((i * 37) % 101, 64), F(-3 * 10**7) + F((i * 13 + 5) % 29, 32), F((i * 7) % 17, 8) - 1]
///     y = [F(5 * 10**7) + F((i * 11) % 23, 16), F((i * 3) % 19, 4)]
///     return x, y
/// def weight(i): return F((i * 5) % 7, 4)
/// N = sum(w); mx = [sum(wi * r[0][j]) / N ...]; my = ...
/// sxx[a][c] = sum(wi * (x[a] - mx[a]) * (x[c] - mx[c])); sxy[a][o] = ...; syy[o] = ...
/// rawxx[a][c] = sxx[a][c] + N * mx[a] * mx[c]
/// ```
@Suite struct CrossProductsTests {
    static let n = 40_000   // spans several 16384-row chunks and many 128-row blocks

    static func data() -> (x: [Double], y: [Double], w: [Double]) {
        var x: [Double] = [], y: [Double] = [], w: [Double] = []
        for i in 0..<n {
            x += [1e8 + Double((i * 37) % 101) / 64, -3e7 + Double((i * 13 + 5) % 29) / 32, Double((i * 7) % 17) / 8 - 1]
            y += [5e7 + Double((i * 11) % 23) / 16, Double((i * 3) % 19) / 4]
            w.append(Double((i * 5) % 7) / 4)
        }
        return (x, y, w)
    }

    static func moments(_ x: [Double], _ y: [Double], _ w: [Double]?, rows: Range<Int>) throws -> CrossProducts {
        try x.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { yp in
                try (w ?? [0]).withUnsafeBufferPointer { wp in
                    try CrossProducts(
                        X: MatrixView(base: xp.baseAddress!, rows: n, columns: 3).rows(rows),
                        Y: MatrixView(base: yp.baseAddress!, rows: n, columns: 2).rows(rows),
                        sampleWeight: w == nil ? nil : VectorView(base: wp.baseAddress!, count: n).slice(rows))
                }
            }
        }
    }

    /// Co-moment entries are compared on the scale √(S_aa·S_cc) (their natural
    /// size); means to 1e-15 of their size plus the data's spread (≈ 1);
    /// raw sums to 4e-15 of Σ|x_a||x_c| ≈ N·(|x̄_a| + σ_a)(|x̄_c| + σ_c), the
    /// accuracy any double computation of them can have.
    static func check(_ m: CrossProducts, N: Double, meanX: [Double], meanY: [Double], sxx: [Double], sxy: [Double],
                      syy: [Double], rawXX: [Double], tolerance: Double = 1e-14) {
        #expect(m.rowCount == n)
        #expect(abs(m.weightSum - N) <= 1e-15 * N)
        TrainerSupport.expectClose(m.meanX, meanX, relative: 1e-15, absolute: 1e-15, "meanX")
        TrainerSupport.expectClose(m.meanY, meanY, relative: 1e-15, absolute: 1e-15, "meanY")
        for a in 0..<3 {
            for c in 0..<3 {
                let scale = (sxx[a * 3 + a] * sxx[c * 3 + c]).squareRoot()
                #expect(abs(m.sxx[a * 3 + c] - sxx[a * 3 + c]) <= tolerance * scale, "sxx[\(a)][\(c)] = \(m.sxx[a * 3 + c])")
            }
            for o in 0..<2 {
                let scale = (sxx[a * 3 + a] * syy[o]).squareRoot()
                #expect(abs(m.sxy[a * 2 + o] - sxy[a * 2 + o]) <= tolerance * scale, "sxy[\(a)][\(o)] = \(m.sxy[a * 2 + o])")
            }
        }
        TrainerSupport.expectClose(m.syy, syy, relative: tolerance, "syy")
        let raw = m.rawXX()
        for a in 0..<3 {
            for c in 0..<3 {
                let size = { (j: Int) in abs(meanX[j]) + (sxx[j * 3 + j] / N).squareRoot() }
                let tolerance = 4e-15 * N * size(a) * size(c)
                #expect(abs(raw[a * 3 + c] - rawXX[a * 3 + c]) <= tolerance,
                        "rawXX[\(a)][\(c)] = \(raw[a * 3 + c]), expected \(rawXX[a * 3 + c]) (±\(tolerance))")
            }
        }
        #expect(m.sxx[1] == m.sxx[3] && m.sxx[2] == m.sxx[6] && m.sxx[5] == m.sxx[7], "symmetric")
    }

    static func checkUnweighted(_ m: CrossProducts) {
        check(m, N: 40000, meanX: [100000000.78121914, -29999999.562492188, -6.25e-06],
              meanY: [50000000.6875, 2.24990625],
              sxx: [8301.133995111084, -1.3232325439453125, 1.62108603515625, -1.3232325439453125, 2734.396481933594,
                    0.562501953125, 1.62108603515625, 0.562501953125, 15000.3124984375],
              sxy: [-1.3779296875, -20.26964697265625, 0.072265625, -0.929658203125, -0.2421875, -1.1250234375],
              syy: [6875.4296875, 74999.0621484375],
              rawXX: [4.0000000624975315e+20, -1.199999991874317e+20, -24999998.57421875, -1.199999991874317e+20,
                      3.599999894998126e+19, 7500000.453125, -24999998.57421875, 7500000.453125, 15000.3125])
    }

    static func checkWeighted(_ m: CrossProducts) {
        check(m, N: 29999.75, meanX: [100000000.7812879, -29999999.56246797, -1.0416753472945607e-06],
              meanY: [50000000.68755312, 2.250056250468754],
              sxx: [6225.832537495064, 0.5180299954241155, 1.7768566528418988, 0.5180299954241155, 2050.8732602353393,
                    3.062501000984904, 1.7768566528418988, 3.062501000984904, 11249.027343717447],
              sxy: [2.851502111313167, -17.23150925346253, 0.4413551997698939, 6.537055321815182, 2.185548535170085,
                    -11.523435742172852],
              syy: [5156.824134081326, 56251.07803007733],
              rawXX: [2.999975046876883e+20, -8.999924939056808e+19, -3124998.2475585938, -8.999924939056808e+19,
                      2.6999774212448915e+19, 937503.048828125, -3124998.2475585938, 937503.048828125, 11249.02734375])
    }

    @Test func unweightedMomentsWithLargeOffsets() throws {
        let (x, y, _) = Self.data()
        Self.checkUnweighted(try Self.moments(x, y, nil, rows: 0..<Self.n))
    }

    @Test func weightedMomentsWithLargeOffsets() throws {
        let (x, y, w) = Self.data()
        Self.checkWeighted(try Self.moments(x, y, w, rows: 0..<Self.n))
    }

    /// Two uneven halves merged equal the whole (and the exact values).
    @Test(arguments: [false, true])
    func mergeOfHalvesEqualsWhole(weighted: Bool) throws {
        let (x, y, w) = Self.data()
        var first = try Self.moments(x, y, weighted ? w : nil, rows: 0..<17_001)
        let second = try Self.moments(x, y, weighted ? w : nil, rows: 17_001..<Self.n)
        #expect(first.rowCount == 17_001 && second.rowCount == Self.n - 17_001)
        try first.merge(second)
        if weighted { Self.checkWeighted(first) } else { Self.checkUnweighted(first) }
        let whole = try Self.moments(x, y, weighted ? w : nil, rows: 0..<Self.n)
        TrainerSupport.expectClose(first.sxx, whole.sxx, relative: 0, absolute: 1e-14 * 15000, "sxx")
        TrainerSupport.expectClose(first.sxy, whole.sxy, relative: 0, absolute: 1e-14 * 15000, "sxy")
        TrainerSupport.expectClose(first.meanX, whole.meanX, relative: 1e-15, absolute: 1e-15, "meanX")
    }

    @Test func mergingEmptyChangesNothingAndShapesMustAgree() throws {
        let (x, y, _) = Self.data()
        var m = try Self.moments(x, y, nil, rows: 0..<1000)
        let before = m
        try m.merge(CrossProducts(features: 3, outputs: 2))
        #expect(m == before)
        var empty = CrossProducts(features: 3, outputs: 2)
        try empty.merge(before)
        #expect(empty == before)
        #expect(throws: EngineError.self) { try m.merge(CrossProducts(features: 2, outputs: 2)) }
    }

    /// Float32 input: x = 1e4 + k/64 (exact in Float), n = 1000, unweighted;
    /// exact references from the same `fractions` script:
    /// ```python
    /// rows = [([F(10**4) + F((i * 37) % 101, 64), F((i * 7) % 17, 8)], [F((i * 3) % 19, 4)]) for i in range(1000)]
    /// ```
    @Test func floatInput() throws {
        var x: [Float] = [], y: [Float] = []
        for i in 0..<1000 {
            x += [1e4 + Float((i * 37) % 101) / 64, Float((i * 7) % 17) / 8]
            y.append(Float((i * 3) % 19) / 4)
        }
        let m = try x.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { yp in
                try CrossProducts(X: MatrixView(base: xp.baseAddress!, rows: 1000, columns: 2),
                                  Y: MatrixView(base: yp.baseAddress!, rows: 1000, columns: 1), sampleWeight: nil)
            }
        }
        TrainerSupport.expectClose(m.meanX, [10000.78140625, 0.99975], relative: 1e-15, "meanX")
        TrainerSupport.expectClose(m.meanY, [2.24875], relative: 1e-15, "meanY")
        TrainerSupport.expectClose(m.sxx, [207.8725341796875, 1.1562890625, 1.1562890625, 375.2811875],
                                   relative: 0, absolute: 1e-12 * 375, "sxx")
        TrainerSupport.expectClose(m.sxy, [-12.0271484375, -0.5003125], relative: 0, absolute: 1e-12 * 375, "sxy")
        TrainerSupport.expectClose(m.syy, [1874.1859375], relative: 1e-13, "syy")
        TrainerSupport.expectClose(m.rawYY(), [1874.1859375 + 1000 * 2.24875 * 2.24875], relative: 1e-15, "rawYY")
    }
}
