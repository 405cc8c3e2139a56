import Testing
@testable import LinReg

/// Lasso and elastic net on the accumulated statistics (LinearModel+ElasticNet,
/// Solvers/ElasticNet): closed forms, optimality conditions computed here from
/// the raw data, and equality of the answers whatever way the statistics were
/// gathered. scikit-learn comparisons are in bindings/python/tests/test_regularized.py.
@Suite struct ElasticNetTests {
    typealias S = StreamingSupport

    /// Soft thresholding, the lasso's closed form for an orthonormal design.
    func soft(_ t: Double, _ lambda: Double) -> Double {
        t > lambda ? t - lambda : (t < -lambda ? t + lambda : 0)
    }

    /// Moments computed directly from the data (weighted, centred): Q = XcᵀWXc/S,
    /// q = XcᵀWyc/S, yy per output, the means.
    func directMoments(_ p: S.Problem, _ range: Range<Int>) -> (Q: [Double], q: [Double], xm: [Double], ym: [Double]) {
        let d = p.d, k = p.k
        var s = 0.0
        var xm = [Double](repeating: 0, count: d), ym = [Double](repeating: 0, count: k)
        for i in range {
            let w = p.w?[i] ?? 1
            s += w
            for c in 0 ..< d { xm[c] += w * p.x[i * d + c] }
            for j in 0 ..< k { ym[j] += w * p.y[i * k + j] }
        }
        xm = xm.map { $0 / s }
        ym = ym.map { $0 / s }
        var Q = [Double](repeating: 0, count: d * d), q = [Double](repeating: 0, count: k * d)
        for i in range {
            let w = p.w?[i] ?? 1
            for a in 0 ..< d {
                let xa = p.x[i * d + a] - xm[a]
                for b in 0 ..< d { Q[a * d + b] += w * xa * (p.x[i * d + b] - xm[b]) / s }
                for j in 0 ..< k { q[j * d + a] += w * xa * (p.y[i * k + j] - ym[j]) / s }
            }
        }
        return (Q, q, xm, ym)
    }

    @Test(arguments: [1.0, 0.5, 0.2])
    func orthonormalDesignGivesTheSoftThresholdClosedForm(l1Ratio: Double) throws {
        // Columns 1, 2, 3 of the 8 × 8 Sylvester-Hadamard matrix: mean zero, XᵀX/n = I.
        let n = 8, d = 3
        var x = [Double](repeating: 0, count: n * d)
        for i in 0 ..< n {
            for c in 0 ..< d { x[i * d + c] = ((i >> c) & 1) == 0 ? 1 : -1 }
        }
        let y: [Double] = [3, -1, 4, 1, -5, 9, 2, -6]
        var model = try LinearModel(featureCount: d, outputCount: 1)
        try x.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { yp in
                try model.fit(X: MatrixView(base: xp.baseAddress!, rows: n, columns: d),
                              Y: MatrixView(base: yp.baseAddress!, rows: n, columns: 1))
            }
        }
        let mean = y.reduce(0, +) / Double(n)
        let q = (0 ..< d).map { c in (0 ..< n).reduce(0.0) { $0 + x[$1 * d + c] * y[$1] } / Double(n) }
        for alpha in [0.1, 0.5, 1.2, 3.0] {
            let options = ElasticNetOptions(l1Ratio: l1Ratio, tolerance: 1e-14, maxIterations: 100)
            let path = try model.elasticNetPath(alphas: [alpha], options: options)
            for c in 0 ..< d {
                let expected = soft(q[c], alpha * l1Ratio) / (1 + alpha * (1 - l1Ratio))
                // q and the moments are exact small dyadic numbers: only the final division rounds.
                #expect(abs(path.coefficients[c] - expected) <= 1e-15 * max(1, abs(expected)), "alpha \(alpha), c \(c)")
            }
            // The columns have mean zero, so the intercept is the mean of y.
            #expect(abs(path.intercepts[0] - mean) <= 1e-15 * abs(mean))
            #expect(abs(path.gaps[0]) <= 1e-14)
        }
    }

    @Test(arguments: [false, true])
    func optimalityConditionsHoldOnCorrelatedWeightedData(positive: Bool) throws {
        let p = S.Problem(n: 600, d: 5, k: 2, weighted: true, seed: 29)
        let model = try S.fitted(S.model(p), p, 0 ..< p.n)
        let direct = directMoments(p, 0 ..< p.n)
        for l1Ratio in [1.0, 0.6] {
            let options = ElasticNetOptions(l1Ratio: l1Ratio, positive: positive, tolerance: 1e-14, maxIterations: 1_000_000)
            let grid = try model.elasticNetAlphaGrid(count: 12, eps: 1e-4, options: options)
            let path = try model.elasticNetPath(alphas: grid, options: options)
            for (t, alpha) in grid.enumerated() {
                let l1 = alpha * l1Ratio, l2 = alpha * (1 - l1Ratio)
                for j in 0 ..< p.k {
                    let base = (t * p.k + j) * p.d
                    let w = Array(path.coefficients[base ..< base + p.d])
                    let qScale = (0 ..< p.d).map { abs(direct.q[j * p.d + $0]) }.max()!
                    for c in 0 ..< p.d {
                        var g = direct.q[j * p.d + c] - l2 * w[c]
                        for b in 0 ..< p.d { g -= direct.Q[c * p.d + b] * w[b] }
                        // Subgradient conditions of F at w; the slack covers the solver's stopping
                        // point (steps below 1e-14 relative) and this test's own double sums.
                        let slack = 1e-9 * qScale
                        if positive { #expect(w[c] >= 0) }
                        if w[c] > 0 {
                            #expect(abs(g - l1) <= slack, "t \(t) j \(j) c \(c): \(g) vs \(l1)")
                        } else if w[c] < 0 {
                            #expect(abs(g + l1) <= slack, "t \(t) j \(j) c \(c): \(g) vs \(-l1)")
                        } else if positive {
                            #expect(g <= l1 + slack, "t \(t) j \(j) c \(c)")
                        } else {
                            #expect(abs(g) <= l1 + slack, "t \(t) j \(j) c \(c)")
                        }
                    }
                    var dot = 0.0
                    for c in 0 ..< p.d { dot += direct.xm[c] * w[c] }
                    let b = direct.ym[j] - dot
                    #expect(abs(path.intercepts[t * p.k + j] - b) <= 1e-9 * max(1, abs(b)))
                }
            }
            // The grid starts where every output's solution is zero (with k > 1 scikit-learn's
            // grid uses the norm over outputs, so alpha_max may exceed one output's threshold).
            #expect(path.coefficients[0 ..< (p.k * p.d)].allSatisfy { $0 == 0 })
            // Output j's own threshold, from the direct moments: zero just above, not just below.
            for j in 0 ..< p.k {
                let row = direct.q[(j * p.d) ..< ((j + 1) * p.d)]
                let threshold = (positive ? max(0, row.max()!) : row.map { abs($0) }.max()!) / l1Ratio
                let near = try model.elasticNetPath(alphas: [threshold * (1 + 1e-9), threshold * (1 - 1e-6)],
                                                    options: options)
                #expect(near.coefficients[(j * p.d) ..< ((j + 1) * p.d)].allSatisfy { $0 == 0 }, "output \(j)")
                let below = (p.k + j) * p.d
                #expect(near.coefficients[below ..< (below + p.d)].contains { $0 != 0 }, "output \(j)")
            }
        }
    }

    @Test func streamedMergedAndArchivedStatisticsGiveTheSamePath() throws {
        let p = S.Problem(n: 1500, d: 4, k: 2, weighted: true, seed: 31)
        let base = try S.model(p)
        let whole = try S.fitted(base, p, 0 ..< 1500)
        let streamed = try S.streamed(base, p, S.chunks([1, 499, 700, 300]))
        var merged = try S.fitted(base, p, 0 ..< 600)
        try merged.merge(try S.fitted(base, p, 600 ..< 1500))
        let archived = try S.decode(ModelArchive.encode(whole))
        let options = ElasticNetOptions(l1Ratio: 0.8, tolerance: 1e-13, maxIterations: 1_000_000)
        let grid = try whole.elasticNetAlphaGrid(count: 20, eps: 1e-3, options: options)
        let reference = try whole.elasticNetPath(alphas: grid, options: options)
        #expect(try archived.elasticNetPath(alphas: grid, options: options) == reference)
        for other in [streamed, merged] {
            let path = try other.elasticNetPath(alphas: grid, options: options)
            S.expectNormClose(path.coefficients, reference.coefficients, relative: 1e-10, "coefficients")
            S.expectNormClose(path.intercepts, reference.intercepts, relative: 1e-10, "intercepts")
        }
    }

    @Test func crossValidationScoresEachFoldOnItsOwnRows() throws {
        let p = S.Problem(n: 900, d: 3, k: 1, weighted: false, seed: 37)
        let base = try S.model(p)
        let folds = S.chunks([300, 300, 300])
        let tests = try folds.map { try S.fitted(base, p, $0) }
        let trains = try folds.map { fold in
            try S.streamed(base, p, [0 ..< fold.lowerBound, fold.upperBound ..< 900].filter { !$0.isEmpty })
        }
        var total = try S.model(p)
        for t in tests { try total.merge(t) }
        let options = ElasticNetOptions(l1Ratio: 1, tolerance: 1e-13, maxIterations: 1_000_000)
        let grid = try total.elasticNetAlphaGrid(count: 8, eps: 1e-3, options: options)
        let fromTotal = try LinearModel.elasticNetCrossValidation(total: total, tests: tests, trains: [],
                                                                  alphas: grid, options: options)
        let fromTrains = try LinearModel.elasticNetCrossValidation(total: total, tests: tests, trains: trains,
                                                                   alphas: grid, options: options)
        S.expectClose(fromTotal, fromTrains, relative: 1e-10, "mse")
        // Each entry is the test rows' mean squared error of that fold's path, computed here from the data.
        for (f, fold) in folds.enumerated() {
            let path = try trains[f].elasticNetPath(alphas: grid, options: options)
            for t in 0 ..< grid.count {
                var sum = 0.0
                for i in fold {
                    var r = p.y[i] - path.intercepts[t]
                    for c in 0 ..< p.d { r -= path.coefficients[t * p.d + c] * p.x[i * p.d + c] }
                    sum += r * r
                }
                let mse = sum / Double(fold.count)
                #expect(abs(fromTotal[t * folds.count + f] - mse) <= 1e-10 * mse, "fold \(f), alpha \(t)")
            }
        }
    }

    @Test func statisticsAccumulatedWithoutSolvingGiveTheSamePath() throws {
        let p = S.Problem(n: 800, d: 4, k: 1, weighted: true, seed: 43)
        let solved = try S.fitted(S.model(p), p, 0 ..< 800)
        var first = try S.model(p), second = try S.model(p)
        try S.withViews(p, 0 ..< 300) { X, Y, w in try first.accumulateStatistics(X: X, Y: Y, sampleWeight: w) }
        try S.withViews(p, 300 ..< 800) { X, Y, w in try second.accumulateStatistics(X: X, Y: Y, sampleWeight: w) }
        #expect(!first.isFitted && first.exactFit == nil && first.accumulator?.rowCount == 300)
        try first.mergeStatistics(second)
        #expect(!first.isFitted && first.accumulator?.rowCount == 800)
        let options = ElasticNetOptions(l1Ratio: 0.9, tolerance: 1e-13, maxIterations: 1_000_000)
        let grid = try solved.elasticNetAlphaGrid(count: 10, eps: 1e-3, options: options)
        let reference = try solved.elasticNetPath(alphas: grid, options: options)
        let path = try first.elasticNetPath(alphas: grid, options: options)
        S.expectNormClose(path.coefficients, reference.coefficients, relative: 1e-10, "coefficients")
        // Refusals: into a solved model, across intercept settings, a model into itself.
        var fitted = solved
        #expect(throws: EngineError.self) {
            try S.withViews(p, 0 ..< 10) { X, Y, w in try fitted.accumulateStatistics(X: X, Y: Y, sampleWeight: w) }
        }
        #expect(throws: EngineError.self) { try fitted.mergeStatistics(first) }
        var other = try S.model(p, fitIntercept: false)
        try S.withViews(p, 0 ..< 10) { X, Y, w in try other.accumulateStatistics(X: X, Y: Y, sampleWeight: w) }
        #expect(throws: EngineError.self) { try first.mergeStatistics(other) }
        // Solving: the elastic-net fit makes it fitted, with the exact fit's design description.
        try first.fitElasticNet(alpha: grid[5], options: options)
        #expect(first.isFitted && first.exactFit?.singularValues.count == 4)
        S.expectNormClose(first.weights, Array(reference.coefficients[20 ..< 24]), relative: 1e-10, "weights")
    }

    @Test func fitKeepsTheStatisticsAndFailuresChangeNothing() throws {
        let p = S.Problem(n: 300, d: 3, k: 1, seed: 41)
        var model = try S.fitted(S.model(p), p, 0 ..< 300)
        let before = model
        #expect(throws: EngineError.self) { try model.fitElasticNet(alpha: -1, options: ElasticNetOptions()) }
        #expect(throws: EngineError.self) { try model.fitElasticNet(alpha: 1, options: ElasticNetOptions(l1Ratio: 2)) }
        #expect(throws: EngineError.self) { try model.fitElasticNet(alpha: 1, options: ElasticNetOptions(tolerance: -1)) }
        #expect(model.weights == before.weights && model.statistics != nil)
        let outcome = try model.fitElasticNet(alpha: 0.05, options: ElasticNetOptions(tolerance: 1e-12))
        let path = try before.elasticNetPath(alphas: [0.05], options: ElasticNetOptions(tolerance: 1e-12))
        #expect(model.weights == path.coefficients && model.intercepts == path.intercepts)
        #expect(outcome.gaps == path.gaps)
        #expect(model.statistics == nil && model.accumulator == before.accumulator)
        #expect(try model.singularValues() == before.singularValues())
        let loaded = try S.decode(ModelArchive.encode(model))
        #expect(loaded.statistics == nil && loaded.weights == model.weights)
        var unfitted = try S.model(p)
        #expect(throws: EngineError.unavailable(
            "the model holds no exact-solver statistics (fit, partial_fit or merge it with the exact solver first; GD/SGD and set_weights leave none)")) {
            try unfitted.fitElasticNet(alpha: 1, options: ElasticNetOptions())
        }
        var noIntercept = try S.fitted(S.model(p, fitIntercept: false), p, 0 ..< 300)
        #expect(throws: EngineError.self) { try noIntercept.fitElasticNet(alpha: 1, options: ElasticNetOptions()) }
        try noIntercept.fitElasticNet(alpha: 1, options: ElasticNetOptions(fitIntercept: false))
        #expect(noIntercept.intercepts == [0])
    }
}
