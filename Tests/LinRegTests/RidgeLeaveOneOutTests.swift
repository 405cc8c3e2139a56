import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import LinReg

/// Ridge penalty selection (`ridgeLeaveOneOutErrors`, `solveRidgePerOutput`):
/// the leave-one-out errors against brute force (n refits by independent
/// normal-equation solves, RidgeCVNNLSSupport), independence of chunking and
/// thread count, the per-output solve against direct ridge fits.
///
/// Tolerances: brute force 1e-8 relative per error (normal equations in
/// double, cond² ≈ 1e4 here, and 1/(1 − h)² amplification ≤ ~10); sums of
/// chunks 1e-12 relative (only the order of the additions differs).
@Suite struct RidgeLeaveOneOutTests {
    typealias S = StreamingSupport
    typealias R = RidgeCVNNLSSupport

    /// Moderately scaled, correlated features; k outputs; optional weights (some zero).
    func problem(n: Int, weighted: Bool, seed: UInt64, k: Int = 2) -> S.Problem {
        var p = S.Problem(n: n, d: 4, k: k, weighted: weighted, seed: seed)
        var rng = SplitMix64(seed: seed &+ 7)
        func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 * 2 - 1 }
        for i in 0 ..< n {
            let common = uniform()
            for c in 0 ..< 4 { p.x[i * 4 + c] = [1.0, 5, 0.2, 2][c] * (uniform() + 0.8 * common) }
            for o in 0 ..< k {
                var value = 1.0 + uniform()
                for c in 0 ..< 4 { value += Double((c + o) % 3 - 1) * p.x[i * 4 + c] }
                p.y[i * k + o] = value
            }
        }
        return p
    }

    func errors(_ model: LinearModel, _ p: S.Problem, _ range: Range<Int>, alphas: [Double],
                rows: UnsafeMutablePointer<Double>? = nil) throws -> [Double] {
        try S.withViews(p, range) { X, Y, w in
            try model.ridgeLeaveOneOutErrors(X: X, Y: Y, sampleWeight: w, alphas: alphas, rowErrors: rows)
        }
    }

    @Test(arguments: [(false, true), (true, true), (true, false)])
    func equalsBruteForce(weighted: Bool, fitIntercept: Bool) throws {
        let p = problem(n: 40, weighted: weighted, seed: 3)
        let alphas = [0.01, 1.0, 25.0]
        let model = try S.fitted(S.model(p, fitIntercept: fitIntercept), p, 0 ..< p.n)
        var rows = [Double](repeating: .nan, count: p.n * p.k * alphas.count)
        let sums = try rows.withUnsafeMutableBufferPointer { try errors(model, p, 0 ..< p.n, alphas: alphas, rows: $0.baseAddress) }
        for (a, alpha) in alphas.enumerated() {
            for o in 0 ..< p.k {
                let y = (0 ..< p.n).map { p.y[$0 * p.k + o] }
                var total = 0.0
                for i in 0 ..< p.n {
                    guard let (b, beta) = R.ridge(x: p.x, y: y, w: p.w, n: p.n, d: p.d, columns: Array(0 ..< p.d),
                                                  alpha: alpha, intercept: fitIntercept, skipping: i) else {
                        Issue.record("singular reference"); return
                    }
                    var r = y[i] - b
                    for c in 0 ..< p.d { r -= p.x[i * p.d + c] * beta[c] }
                    let expected = (p.w?[i] ?? 1) * r * r
                    let got = rows[(i * p.k + o) * alphas.count + a]
                    #expect(abs(got - expected) <= 1e-8 * max(expected, 1e-6), "row \(i) output \(o) alpha \(alpha): \(got) vs \(expected)")
                    total += got
                }
                #expect(abs(sums[a * p.k + o] - total) <= 1e-12 * total)
            }
        }
    }

    @Test func chunksMergesAndThreadsGiveTheSameSums() throws {
        let p = problem(n: 30000, weighted: true, seed: 9)
        let alphas = [0.1, 3.0, 100.0]
        var whole = try S.fitted(S.model(p), p, 0 ..< p.n)
        let reference = try errors(whole, p, 0 ..< p.n, alphas: alphas)
        for threads in [1, 2, 3] {
            whole.hyperparameters.threads = threads
            #expect(try errors(whole, p, 0 ..< p.n, alphas: alphas) == reference, "threads \(threads)")
        }
        // Statistics from partial fits and a merge; LOO sums over three chunks.
        var merged = try S.streamed(S.model(p), p, S.chunks([10000, 5000]))
        try merged.merge(S.fitted(S.model(p), p, 15000 ..< 30000))
        var chunked = [Double](repeating: 0, count: reference.count)
        for range in S.chunks([7000, 11000, 12000]) {
            for (i, v) in try errors(merged, p, range, alphas: alphas).enumerated() { chunked[i] += v }
        }
        S.expectClose(chunked, reference, relative: 1e-12, "chunked sums")
    }

    /// The dispatched kernel gives the same bits on every instruction set
    /// this CPU has (LINREG_REQUIRE_ISA makes sure the tested sets exist).
    @Test func everyInstructionSetGivesTheSameBits() throws {
        let p = problem(n: 3001, weighted: true, seed: 12, k: 3)
        let model = try S.fitted(S.model(p), p, 0 ..< p.n)
        let alphas = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000]
        let rows = try model.accumulator.map(RidgeSpectrum.init)
        guard let spectrum = rows else { Issue.record("no statistics"); return }
        var results: [[Double]] = []
        for level in KernelDispatch.Level.allCases where level <= KernelDispatch.supported {
            let sums = try S.withViews(p, 0 ..< p.n) { X, Y, w in
                try RidgeLeaveOneOut.errors(spectrum: spectrum, alphas: alphas, X: X, Y: Y, sampleWeight: w,
                                            rowErrors: nil, threads: 1, level: level)
            }
            results.append(sums)
        }
        #expect(results.count >= 1)
        for r in results.dropFirst() { #expect(r == results[0]) }
    }

    /// Penalties small against the spectrum come from the power series
    /// (RidgeLeaveOneOut.Series); they must equal the exact evaluation (an
    /// independent computation: per row and penalty, 1/(λ + α) directly) to
    /// 1e-11 relative, mixed with exact penalties above λ_min/16; a row with
    /// leverage above the series' limit sends every penalty to the exact
    /// path (then the sums are the exact ones, bit for bit).
    @Test(arguments: [(false, 1), (true, 2), (true, 3)])
    func seriesEqualsExactEvaluation(weighted: Bool, k: Int) throws {
        let p = problem(n: 20000, weighted: weighted, seed: 21, k: k)
        let model = try S.fitted(S.model(p), p, 0 ..< p.n)
        guard let spectrum = try model.accumulator.map(RidgeSpectrum.init),
              let smallest = spectrum.eigenvalues.min() else { Issue.record("no statistics"); return }
        // 40 penalties from 1e-3 to λ_min/1e4 (with d = 4 the series saves
        // work only for small ratios), and three above λ_min/16.
        var alphas = (0 ..< 40).map { 1e-3 * pow10(log10(smallest / 1e4 / 1e-3) * Double($0) / 39) }
        alphas += [smallest / 8, smallest, 10 * smallest]
        let plan = try #require(RidgeLeaveOneOut.Series(spectrum: spectrum, alphas: alphas))
        #expect(plan.seriesIndices.count == 40 && plan.exactIndices.count == 3)
        func run(exactOnly: Bool) throws -> [Double] {
            try S.withViews(p, 0 ..< p.n) { X, Y, w in
                try RidgeLeaveOneOut.errors(spectrum: spectrum, alphas: alphas, X: X, Y: Y, sampleWeight: w,
                                            rowErrors: nil, threads: 2, exactOnly: exactOnly)
            }
        }
        let series = try run(exactOnly: false), exact = try run(exactOnly: true)
        var worst = 0.0
        for (u, v) in zip(series, exact) { worst = max(worst, abs(u - v) / v) }
        #expect(worst <= 1e-11, "worst relative difference \(worst)")
        // The exact penalties are computed the same way on both paths.
        for index in plan.exactIndices {
            for o in 0 ..< k { #expect(series[index * k + o] == exact[index * k + o]) }
        }
        print("RidgeLeaveOneOutTests series (weighted \(weighted), k \(k)): \(plan.orders) orders, worst relative difference \(worst)")
    }

    @Test func aHighLeverageRowFallsBackToTheExactPath() throws {
        var p = problem(n: 5000, weighted: false, seed: 5, k: 1)
        // One row far out: its leverage is close to 1.
        for c in 0 ..< p.d { p.x[c] = 1e4 * Double(c + 1) }
        let model = try S.fitted(S.model(p), p, 0 ..< p.n)
        guard let spectrum = try model.accumulator.map(RidgeSpectrum.init),
              let smallest = spectrum.eigenvalues.min() else { Issue.record("no statistics"); return }
        let alphas = (0 ..< 30).map { smallest / 1e6 * Double($0 + 1) }
        #expect(RidgeLeaveOneOut.Series(spectrum: spectrum, alphas: alphas) != nil)
        func run(exactOnly: Bool) throws -> [Double] {
            try S.withViews(p, 0 ..< p.n) { X, Y, w in
                try RidgeLeaveOneOut.errors(spectrum: spectrum, alphas: alphas, X: X, Y: Y, sampleWeight: w,
                                            rowErrors: nil, threads: 1, exactOnly: exactOnly)
            }
        }
        #expect(try run(exactOnly: false) == run(exactOnly: true))
    }

    @Test func perOutputSolveEqualsRidgeFits() throws {
        let p = problem(n: 200, weighted: true, seed: 4)
        var model = try S.fitted(S.model(p), p, 0 ..< p.n)
        try model.solveRidgePerOutput(alphas: [0.5, 20])
        for (o, alpha) in [0.5, 20].enumerated() {
            let ridge = try S.fitted(S.model(p, alpha: alpha), p, 0 ..< p.n)
            S.expectClose(Array(model.weights[(o * 4) ..< (o * 4 + 4)]), Array(ridge.weights[(o * 4) ..< (o * 4 + 4)]),
                          relative: 1e-14, "output \(o)")
            S.expectClose([model.intercepts[o]], [ridge.intercepts[o]], relative: 1e-14, "intercept \(o)")
        }
        #expect(model.hyperparameters.alpha == 0, "ALPHA keeps its value for unequal penalties")
        #expect(model.statistics == nil)
        try model.solveRidgePerOutput(alphas: [0, 0])
        #expect(model.statistics != nil, "all penalties 0: the least-squares statistics")
    }

    @Test func refusals() throws {
        let p = problem(n: 20, weighted: false, seed: 1)
        let fresh = try S.model(p)
        #expect(throws: EngineError.self) { try errors(fresh, p, 0 ..< 20, alphas: [1]) }
        let model = try S.fitted(S.model(p), p, 0 ..< 20)
        for bad in [[], [0.0], [-1.0], [Double.nan], [Double.infinity]] {
            #expect(throws: EngineError.self) { try errors(model, p, 0 ..< 20, alphas: bad) }
        }
        var copy = model
        #expect(throws: EngineError.self) { try copy.solveRidgePerOutput(alphas: [1]) }
        #expect(throws: EngineError.self) { try copy.solveRidgePerOutput(alphas: [1, -1]) }
        #expect(copy.weights == model.weights)
    }
}

private func pow10(_ e: Double) -> Double { exp(e * log(10.0)) }
private func log10(_ x: Double) -> Double { log(x) / log(10.0) }
