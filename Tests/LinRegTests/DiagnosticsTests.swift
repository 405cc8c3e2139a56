import Testing
@testable import LinReg

/// The regression diagnostics of the engine: ``ResidualDiagnostics`` (and
/// the residual pass), ``ColumnAliasing`` and the influence pass.
///
/// References: scipy 1.x / statsmodels 0.15 values for a fixed vector
/// (`omni_normtest`, `jarque_bera`, `durbin_watson`; generator in the
/// comment of ``scipyVector``), exact small-integer designs whose aliasing
/// and combinations are known by construction, and the hat matrix of a
/// small design computed here from its normal equations. Tolerances: 1e-12
/// relative for values of a dozen numbers (both sides round a few times),
/// 1e-10 for the influence pass against a normal-equations reference of a
/// well-conditioned design.
struct DiagnosticsTests {
    /// The vector and statsmodels' answers for it:
    /// `omni_normtest(v)`, `jarque_bera(v)`, `durbin_watson(v)` with
    /// v = [1.5, -2, 0.25, 3, -1, 0.5, -0.75, 2, -3.5, 1, 0, 4].
    static let scipyVector: [Double] = [1.5, -2.0, 0.25, 3.0, -1.0, 0.5, -0.75, 2.0, -3.5, 1.0, 0.0, 4.0]

    static func summary(_ values: [Double]) -> ResidualDiagnostics {
        values.withUnsafeBufferPointer { ResidualDiagnostics(values: $0.baseAddress!, count: values.count, stride: 1) }
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        abs(a - b) <= tolerance * abs(b)
    }

    @Test func statisticsMatchStatsmodels() {
        let s = Self.summary(Self.scipyVector)
        #expect(Self.close(s.omnibus, 0.08177541760456142, 1e-12))
        #expect(Self.close(s.omnibusPValue, 0.9599369163620262, 1e-12))
        #expect(Self.close(s.jarqueBera, 0.1297716461480725, 1e-12))
        #expect(Self.close(s.jarqueBeraPValue, 0.9371744609680043, 1e-12))
        #expect(Self.close(s.skew, -0.1033677587639092, 1e-12))
        #expect(Self.close(s.kurtosis, 2.534378138304643, 1e-12))
        #expect(Self.close(s.durbinWatson, 2.3771712158808933, 1e-12))
    }

    @Test func appendingBlocksInOrderEqualsOneSummary() {
        let v = Self.scipyVector
        let whole = Self.summary(v)
        for cut in [1, 5, 11] {
            var joined = Self.summary(Array(v[..<cut]))
            joined.append(Self.summary(Array(v[cut...])))
            #expect(joined.count == whole.count)
            #expect(Self.close(joined.skew, whole.skew, 1e-13))
            #expect(Self.close(joined.kurtosis, whole.kurtosis, 1e-13))
            #expect(Self.close(joined.durbinWatson, whole.durbinWatson, 1e-13))
        }
        var empty = ResidualDiagnostics()
        empty.append(whole)
        #expect(empty == whole)
    }

    @Test func degenerateResidualsGiveNaN() {
        let constant = Self.summary([2, 2, 2, 2, 2, 2, 2, 2, 2])
        #expect(constant.skew.isNaN && constant.kurtosis.isNaN && constant.omnibus.isNaN)
        let short = Self.summary([1, -1, 2, -2, 0.5, 3, -3])  // n < 8: statsmodels gives nan
        #expect(short.omnibus.isNaN && !short.jarqueBera.isNaN)
    }

    /// x3 = x1 + 2·x2 exactly (small integers), so column 3 of the design is aliased.
    static func collinearModel(intercept: Bool = true) throws -> (LinearModel, [Double], [Double]) {
        let n = 12
        var x: [Double] = []
        var y: [Double] = []
        for i in 0 ..< n {
            let x1 = Double((i * 7) % 5) - 2, x2 = Double((i * 3) % 7) - 3
            x += [x1, x2, x1 + 2 * x2]
            y.append(1 + 0.5 * x1 - x2 + Double(i % 3 - 1) * 0.25)
        }
        var model = try LinearModel(featureCount: 3, outputCount: 1)
        model.hyperparameters.fitIntercept = intercept
        try x.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { yp in
                try model.fit(X: MatrixView(base: xp.baseAddress!, rows: n, columns: 3),
                              Y: MatrixView(base: yp.baseAddress!, rows: n, columns: 1))
            }
        }
        return (model, x, y)
    }

    @Test func aliasedColumnAndItsCombination() throws {
        let (model, _, _) = try Self.collinearModel()
        let aliasing = try model.aliasing()
        #expect(aliasing.kept == [true, true, true, false])  // intercept, x1, x2 kept; x3 aliased
        let combinations = try model.aliasCombinations()  // features then intercept, 4 × 4
        #expect(Self.close(combinations[2 * 4 + 0], 1, 1e-14))
        #expect(Self.close(combinations[2 * 4 + 1], 2, 1e-14))
        #expect(abs(combinations[2 * 4 + 3]) < 1e-14)
        let mask = try model.coefficientStatistic(.aliased)
        #expect(mask == [0, 0, 1, 0])
        let se = try model.coefficientStatistic(.standardError)
        #expect(se[2].isNaN && !se[0].isNaN && !se[3].isNaN)
    }

    @Test func fullRankFitHasNothingAliased() throws {
        let (model, _, _) = try Self.collinearModel()
        var full = model
        // A full-rank design: the same rows with x3 replaced by x1².
        let n = 12
        var x: [Double] = []
        var y: [Double] = []
        for i in 0 ..< n {
            let x1 = Double((i * 7) % 5) - 2, x2 = Double((i * 3) % 7) - 3
            x += [x1, x2, x1 * x1]
            y.append(1 + x1 - x2 + Double(i % 3 - 1))
        }
        try x.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { yp in
                try full.fit(X: MatrixView(base: xp.baseAddress!, rows: n, columns: 3),
                             Y: MatrixView(base: yp.baseAddress!, rows: n, columns: 1))
            }
        }
        #expect(try full.aliasing().isFullRank)
        #expect(try full.coefficientStatistic(.estimate) == full.weights + full.intercepts)
    }

    @Test func hatValuesMatchTheNormalEquationsAndSumToTheRank() throws {
        // y on [1, x1, x2] for 9 rows of small integers: (XᵀX)⁻¹ by Cramer's rule here.
        let rows: [[Double]] = [[1, 2], [2, 1], [3, 5], [4, 3], [5, 8], [6, 2], [7, 7], [8, 4], [9, 9]]
        let x = rows.flatMap { $0 }
        let y: [Double] = [3, 1, 4, 1, 5, 9, 2, 6, 5]
        var model = try LinearModel(featureCount: 2, outputCount: 1)
        var hat = [Double](repeating: .nan, count: 9)
        try x.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { yp in
                let X = MatrixView(base: xp.baseAddress!, rows: 9, columns: 2)
                let Y = MatrixView(base: yp.baseAddress!, rows: 9, columns: 1)
                try model.fit(X: X, Y: Y)
                try hat.withUnsafeMutableBufferPointer { out in
                    try model.influence(X: X, Y: Y, measures: [.hat], outputs: [out.baseAddress!])
                }
            }
        }
        var g = [[Double]](repeating: [0, 0, 0], count: 3)
        for r in rows {
            let v = [1, r[0], r[1]]
            for a in 0 ..< 3 { for b in 0 ..< 3 { g[a][b] += v[a] * v[b] } }
        }
        func det3(_ m: [[Double]]) -> Double {
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        }
        let det = det3(g)
        var inverse = [[Double]](repeating: [0, 0, 0], count: 3)
        for a in 0 ..< 3 {
            for b in 0 ..< 3 {
                let r = [0, 1, 2].filter { $0 != b }, c = [0, 1, 2].filter { $0 != a }
                let minor = g[r[0]][c[0]] * g[r[1]][c[1]] - g[r[0]][c[1]] * g[r[1]][c[0]]
                inverse[a][b] = ((a + b) % 2 == 0 ? 1 : -1) * minor / det
            }
        }
        var trace = 0.0
        for (i, r) in rows.enumerated() {
            let v = [1, r[0], r[1]]
            var h = 0.0
            for a in 0 ..< 3 { for b in 0 ..< 3 { h += v[a] * inverse[a][b] * v[b] } }
            #expect(Self.close(hat[i], h, 1e-10))
            trace += hat[i]
        }
        #expect(Self.close(trace, 3, 1e-12))
    }

    @Test func residualPassDoesNotDependOnThreadsOrChunks() throws {
        var generator = SplitMix64(seed: 7)
        let n = 40_000
        let x = (0 ..< 2 * n).map { _ in Double(generator.next() % 1000) / 100 }
        let y = (0 ..< n).map { i in x[2 * i] - 0.5 * x[2 * i + 1] + Double(generator.next() % 100) / 50 }
        var model = try LinearModel(featureCount: 2, outputCount: 1)
        var results: [[Double]] = []
        try x.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { yp in
                let X = MatrixView(base: xp.baseAddress!, rows: n, columns: 2)
                let Y = MatrixView(base: yp.baseAddress!, rows: n, columns: 1)
                try model.fit(X: X, Y: Y)
                for threads in [1, 3] {
                    model.hyperparameters.threads = threads
                    try model.residualPass(X: X, Y: Y, append: false)
                    results.append(StatisticKind.allCases.filter(\.isResidualDiagnostic).map { try! model.statistic($0)[0] })
                }
                try model.residualPass(X: X.rows(0 ..< 12_345), Y: Y.rows(0 ..< 12_345), append: false)
                try model.residualPass(X: X.rows(12_345 ..< n), Y: Y.rows(12_345 ..< n), append: true)
                results.append(StatisticKind.allCases.filter(\.isResidualDiagnostic).map { try! model.statistic($0)[0] })
            }
        }
        #expect(results[0] == results[1])  // the same bits for every thread count
        for (a, b) in zip(results[2], results[0]) { #expect(Self.close(a, b, 1e-12)) }
    }
}
