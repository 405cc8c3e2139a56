import Testing
@testable import LinReg

/// The robust covariance's pass (CovariancePass, CovarianceMeat) and its use
/// by LinearModel: the invariants that make chunked and distributed passes
/// equal one pass (additivity, merging, thread-count independence), the
/// refusals, and the format round trip. Parity with statsmodels and with
/// exact rational arithmetic is tested in Python
/// (bindings/python/tests/test_robust_inference.py).
struct CovariancePassTests {
    /// A deterministic heteroscedastic design: n rows, d features, k outputs,
    /// weights when `weighted`, cluster labels row % 7 and row % 5.
    struct Data: DenseData {
        var n: Int, d: Int, k: Int
        var x: [Double], y: [Double], w: [Double]?
        var groups: [Int64]

        init(n: Int, d: Int, k: Int, weighted: Bool) {
            self.n = n
            self.d = d
            self.k = k
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            func next() -> Double {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Double(state >> 11) / Double(1 << 53) - 0.5
            }
            let xs = (0 ..< n * d).map { _ in next() * 4 }
            x = xs
            y = (0 ..< n * k).map { i in
                let row = i / k
                let signal = (0 ..< d).reduce(0.0) { $0 + Double($1 + 1) * xs[row * d + $1] }
                return 3 + signal + next() * (1 + abs(xs[row * d]))
            }
            w = weighted ? (0 ..< n).map { _ in 0.5 + next() + 0.5 } : nil
            groups = (0 ..< n).flatMap { [Int64($0 % 7), Int64($0 % 5)] }
        }
    }

    static func model(_ data: Data, type: CovarianceType, threads: Int = 0) throws -> LinearModel {
        var model = try LinearModel(featureCount: data.d, outputCount: data.k)
        try model.hyperparameters.set(.covType, to: Double(type.rawValue))
        try model.hyperparameters.set(.threads, to: Double(threads))
        try data.withViews(as: Double.self) { X, Y, w in try model.fit(X: X, Y: Y, sampleWeight: w) }
        return model
    }

    /// Runs a pass over rows `range` (with the ways' labels when clustering).
    static func pass(_ model: inout LinearModel, _ data: Data, _ range: Range<Int>, ways: Int) throws {
        try data.withViews(as: Double.self) { X, Y, w in
            try data.groups.withUnsafeBufferPointer { g in
                let labels: [Int64] = range.flatMap { row in (0 ..< ways).map { data.groups[row * 2 + $0] } }
                _ = g
                try labels.withUnsafeBufferPointer { lp in
                    try model.covariancePass(X: X.rows(range), Y: Y.rows(range),
                                             sampleWeight: w.map { VectorView(base: $0.base + range.lowerBound, count: range.count) },
                                             groups: ways == 0 ? nil : lp.baseAddress, ways: ways)
                }
            }
        }
    }

    /// The largest relative difference between two covariance matrices (NaN entries must match).
    static func worst(_ a: [Double], _ b: [Double]) -> Double {
        #expect(a.count == b.count)
        let scale = a.map { abs($0) }.filter { $0.isFinite }.max() ?? 1
        return zip(a, b).map { x, y in x.isNaN && y.isNaN ? 0 : abs(x - y) / scale }.max() ?? 0
    }

    static let robustTypes: [(CovarianceType, Int)] = [(.hc0, 0), (.hc1, 0), (.hc2, 0), (.hc3, 0), (.cluster, 1), (.cluster, 2)]

    /// A pass over chunks of a partial fit gives the covariance of one fit
    /// (whose own pass HC types make inside fit; clusters pass once): the
    /// sums are additive. Tolerance 1e-12 of the largest entry: chunked QR
    /// factors and sums differ from one pass only by rounding.
    @Test(arguments: [false, true]) func chunkedPassEqualsOneFit(weighted: Bool) throws {
        let data = Data(n: 300, d: 3, k: 2, weighted: weighted)
        for (type, ways) in Self.robustTypes {
            var whole = try Self.model(data, type: type)
            if type == .cluster {
                try whole.beginCovariancePass()
                try Self.pass(&whole, data, 0 ..< data.n, ways: ways)
            }
            var chunked = try LinearModel(featureCount: data.d, outputCount: data.k)
            try chunked.hyperparameters.set(.covType, to: Double(type.rawValue))
            let cuts = [0, 7, 120, 121, 300]
            try data.withViews(as: Double.self) { X, Y, w in
                for c in 0 ..< cuts.count - 1 {
                    let range = cuts[c] ..< cuts[c + 1]
                    try chunked.partialFit(X: X.rows(range), Y: Y.rows(range),
                                           sampleWeight: w.map { VectorView(base: $0.base + range.lowerBound, count: range.count) })
                }
            }
            #expect(throws: EngineError.self) { try chunked.covarianceMatrix() }  // no pass yet
            try chunked.beginCovariancePass()
            for c in 0 ..< cuts.count - 1 { try Self.pass(&chunked, data, cuts[c] ..< cuts[c + 1], ways: ways) }
            let difference = Self.worst(try whole.covarianceMatrix(), try chunked.covarianceMatrix())
            #expect(difference < 1e-12, "\(type) ways \(ways): \(difference)")
        }
    }

    /// Finite rows whose residuals overflow double at the fitted coefficients
    /// (here a row of 1e308s against slopes near 1 and 2): the pass reports
    /// an overflow, not an internal error (found by the fuzzer), and changes
    /// nothing, for a cluster and an HC pass alike.
    @Test func overflowingResidualsAreReportedAsOverflow() throws {
        let data = Data(n: 300, d: 2, k: 1, weighted: false)
        var huge = data
        huge.x[0] = 1e308
        huge.x[1] = 1e308
        func isOverflow(_ error: any Error) -> Bool {
            guard case EngineError.overflow(let message) = error else { return false }
            return message.contains("overflow double")
        }
        for (type, ways) in [(CovarianceType.cluster, 1), (.hc3, 0)] {
            var reference = try Self.model(data, type: type)
            try reference.beginCovariancePass()
            try Self.pass(&reference, data, 0 ..< 100, ways: ways)
            try Self.pass(&reference, data, 100 ..< data.n, ways: ways)
            var model = try Self.model(data, type: type)
            try model.beginCovariancePass()
            try Self.pass(&model, data, 0 ..< 100, ways: ways)
            #expect { try Self.pass(&model, huge, 0 ..< data.n, ways: ways) } throws: { isOverflow($0) }
            try Self.pass(&model, data, 100 ..< data.n, ways: ways)
            let difference = Self.worst(try reference.covarianceMatrix(), try model.covarianceMatrix())
            #expect(difference == 0, "\(type): the failed pass changed the sums (\(difference))")
        }
    }

    /// Parts' passes merged in any order equal one pass, and a pass survives
    /// the model format (bit for bit).
    @Test func mergedAndReloadedPassesEqualOnePass() throws {
        let data = Data(n: 200, d: 2, k: 1, weighted: true)
        for (type, ways) in Self.robustTypes {
            var whole = try Self.model(data, type: type)
            try whole.beginCovariancePass()
            try Self.pass(&whole, data, 0 ..< 200, ways: ways)
            let reference = try whole.covarianceMatrix()
            var parts: [LinearModel] = []
            for range in [0 ..< 50, 50 ..< 51, 51 ..< 200] {
                var part = try ModelArchive.encode(whole).withUnsafeBytes { try ModelArchive.decode($0) }
                try part.beginCovariancePass()
                try Self.pass(&part, data, range, ways: ways)
                parts.append(try ModelArchive.encode(part).withUnsafeBytes { try ModelArchive.decode($0) })
            }
            var into = parts[2]
            try into.mergeCovariancePass(parts[0])
            try into.mergeCovariancePass(parts[1])
            #expect(Self.worst(reference, try into.covarianceMatrix()) < 1e-12, "\(type) ways \(ways)")
            let reloaded = try ModelArchive.encode(whole).withUnsafeBytes { try ModelArchive.decode($0) }
            #expect(reloaded.covarianceMeat == whole.covarianceMeat)
            #expect(try reloaded.covarianceMatrix() == reference)
        }
    }

    /// The sums do not depend on the number of worker threads (fixed chunks
    /// added in chunk order), even across several rounds of chunks.
    @Test func threadCountDoesNotChangeTheResult() throws {
        let data = Data(n: CovariancePass.chunkRows * 3 + 17, d: 2, k: 1, weighted: false)
        for (type, ways) in [(CovarianceType.hc3, 0), (.cluster, 2)] {
            var results: [[Double]] = []
            for threads in [1, 3] {
                var model = try Self.model(data, type: type, threads: threads)
                try model.beginCovariancePass()
                try Self.pass(&model, data, 0 ..< data.n, ways: ways)
                results.append(try model.covarianceMatrix())
            }
            #expect(results[0] == results[1])
        }
    }

    /// The pass `kind` over every row of `data` (as E) at the model's
    /// coefficients, on instruction set `level` (nil: the active one).
    static func directPass<E: TrainingScalar>(_ model: LinearModel, _ data: Data, _ kind: CovarianceMeat.Kind,
                                              ways: Int, as _: E.Type, threads: Int,
                                              level: KernelDispatch.Level?) throws -> CovarianceMeat {
        let fit = try #require(model.exactFit)
        let factor = model.covarianceFactor(fit)
        var meat = CovarianceMeat(kind: kind, featureCount: data.d, outputCount: data.k, fitIntercept: true,
                                  weights: model.weights, intercepts: model.intercepts, whitened: factor != nil)
        let labels: [Int64] = (0 ..< data.n).flatMap { row in (0 ..< ways).map { data.groups[row * 2 + $0] } }
        try data.withViews(as: E.self) { X, Y, w in
            try labels.withUnsafeBufferPointer { g in
                try CovariancePass.add(X: X, Y: Y, sampleWeight: w, groups: ways == 0 ? nil : g.baseAddress,
                                       ways: ways, unscaledCovariance: try #require(fit.unscaledCovariance),
                                       factor: factor, into: &meat, threads: threads, kernels: level)
            }
        }
        return meat
    }

    static let kinds: [(CovarianceMeat.Kind, Int)] = [(.white, 0), (.leverage, 0), (.jackknife, 0), (.cluster, 1), (.cluster, 2)]

    /// `CovarianceKernel` computes the same bits on every instruction set
    /// (fused multiply-adds included: the baseline build's are the C
    /// library's correctly rounded `fma`) and for any thread count, for
    /// whitened (full-rank) and plain (rank-deficient: a repeated column)
    /// designs, both element types, with and without weights, several
    /// outputs, and widths on both sides of the eight-column blocks.
    @Test(arguments: [(3, 1), (8, 2), (33, 1)])
    func sumsAreIdenticalOnEveryInstructionSetAndThreadCount(shape: (Int, Int)) throws {
        let (d, k) = shape
        for weighted in [false, true] {
            for deficient in [false, true] {
                var data = Data(n: 9_000 + d, d: d, k: k, weighted: weighted)
                if deficient {
                    for row in 0 ..< data.n { data.x[row * d + d - 1] = data.x[row * d] }
                }
                let model = try Self.model(data, type: .hc3, threads: 1)
                #expect((model.covarianceFactor(try #require(model.exactFit)) == nil) == deficient)
                for (kind, ways) in Self.kinds {
                    func check<E: TrainingScalar>(_ type: E.Type) throws {
                        let reference = try Self.directPass(model, data, kind, ways: ways, as: type, threads: 1,
                                                            level: .baseline)
                        for level in PerformancePathTests.testableLevels() {
                            for threads in [1, 2] {
                                let meat = try Self.directPass(model, data, kind, ways: ways, as: type,
                                                               threads: threads, level: level)
                                #expect(meat == reference,
                                        "\(kind) ways \(ways) d \(d) k \(k) \(E.self) weighted \(weighted) deficient \(deficient) \(level.name) threads \(threads)")
                            }
                        }
                    }
                    try check(Double.self)
                    try check(Float.self)
                }
            }
        }
    }

    /// The sums against a plain scalar evaluation of their definitions
    /// (CovarianceMeat's documentation), in double-double: residuals, the
    /// whitened coordinates z = Fᵀx̃ (or x̃), leverages, then Σ cᵢzᵢzᵢᵀ or the
    /// cluster sums. Tolerance 1e-12 of each sum's largest entry: the kernel
    /// rounds each product once, over a few thousand rows.
    @Test(arguments: [false, true])
    func sumsMatchTheirDefinition(deficient: Bool) throws {
        let d = 5, k = 2
        var data = Data(n: 5_000, d: d, k: k, weighted: true)
        if deficient {
            for row in 0 ..< data.n { data.x[row * d + 4] = data.x[row * d + 1] - data.x[row * d + 2] }
        }
        let model = try Self.model(data, type: .hc3, threads: 1)
        let fit = try #require(model.exactFit)
        let factor = model.covarianceFactor(fit)
        let bread = try #require(fit.unscaledCovariance)
        let p = d + 1
        for (kind, ways) in Self.kinds {
            let meat = try Self.directPass(model, data, kind, ways: ways, as: Double.self, threads: 2, level: nil)
            var hc = [DoubleDouble](repeating: .zero, count: k * p * p)
            var clusters: [[CovarianceMeat.ClusterKey: [DoubleDouble]]] = Array(repeating: [:], count: ways == 2 ? 3 : 1)
            for row in 0 ..< data.n {
                let xt = (0 ..< d).map { data.x[row * d + $0] } + [1]  // x̃ = [x, 1]
                let w = data.w![row]
                // z = Fᵀx̃ (whitened) or x̃.
                let z: [DoubleDouble] = (0 ..< p).map { l in
                    guard let factor else { return DoubleDouble(xt[l]) }
                    var s = DoubleDouble.zero
                    for a in 0 ..< p { s = s + DoubleDouble(factor[a * p + l]) * DoubleDouble(xt[a]) }
                    return s
                }
                var h = DoubleDouble.zero
                if factor != nil {
                    for l in 0 ..< p { h = h + z[l] * z[l] }
                } else {
                    for a in 0 ..< p {
                        for b in 0 ..< p { h = h + DoubleDouble(xt[a]) * DoubleDouble(bread[a * p + b]) * DoubleDouble(xt[b]) }
                    }
                }
                h = h * DoubleDouble(w)
                for j in 0 ..< k {
                    var e = DoubleDouble(data.y[row * k + j]) - DoubleDouble(model.intercepts[j])
                    for c in 0 ..< d { e = e - DoubleDouble(model.weights[j * d + c]) * DoubleDouble(xt[c]) }
                    let f = DoubleDouble(w) * e
                    if kind == .cluster {
                        let labels = [data.groups[row * 2], data.groups[row * 2 + 1]]
                        let keys: [CovarianceMeat.ClusterKey] = ways == 1 ? [.init(first: labels[0], second: 0)]
                            : [.init(first: labels[0], second: 0), .init(first: labels[1], second: 0),
                               .init(first: labels[0], second: labels[1])]
                        for (g, key) in keys.enumerated() {
                            var sums = clusters[g][key] ?? Array(repeating: .zero, count: k * p)
                            for c in 0 ..< p { sums[j * p + c] = sums[j * p + c] + f * z[c] }
                            clusters[g][key] = sums
                        }
                        continue
                    }
                    let one = DoubleDouble(1) - h
                    let divisor = kind == .white ? DoubleDouble(1) : kind == .leverage ? one : one * one
                    let c = f * f / divisor
                    for a in 0 ..< p {
                        for b in 0 ..< p { hc[j * p * p + a * p + b] = hc[j * p * p + a * p + b] + c * z[a] * z[b] }
                    }
                }
            }
            if kind == .cluster {
                for g in 0 ..< clusters.count {
                    let got = meat.clusters[g]
                    #expect(got.keys.count == clusters[g].count)
                    let scale = got.sums.map { abs($0) }.max() ?? 1
                    for (slot, key) in got.keys.enumerated() {
                        let want = try #require(clusters[g][key])
                        for q in 0 ..< k * p {
                            #expect(abs(got.sums[slot * k * p + q] - want[q].value) <= 1e-12 * scale,
                                    "cluster \(key) grouping \(g) entry \(q) deficient \(deficient)")
                        }
                    }
                }
            } else {
                for j in 0 ..< k {
                    let block = (0 ..< p * p).map { hc[j * p * p + $0].value }
                    let scale = block.map { abs($0) }.max() ?? 1
                    for q in 0 ..< p * p {
                        #expect(abs(meat.hc[j * p * p + q] - block[q]) <= 1e-12 * scale,
                                "\(kind) output \(j) entry \(q) deficient \(deficient)")
                    }
                }
            }
        }
    }

    /// Refusals: a pass without begin, after the coefficients changed, with
    /// groups for HC or without for clusters, a different n_ways; an
    /// incomplete pass leaves the robust statistics unavailable; a pass is
    /// unchanged by a refused call.
    @Test func refusalsLeaveThePassUnchanged() throws {
        let data = Data(n: 60, d: 2, k: 1, weighted: false)
        var model = try Self.model(data, type: .cluster)
        #expect(throws: EngineError.self) { try Self.pass(&model, data, 0 ..< 60, ways: 1) }  // not begun
        try model.beginCovariancePass()
        try Self.pass(&model, data, 0 ..< 30, ways: 1)
        let before = model.covarianceMeat
        #expect(throws: EngineError.self) { try Self.pass(&model, data, 30 ..< 60, ways: 2) }
        #expect(throws: EngineError.self) { try Self.pass(&model, data, 30 ..< 60, ways: 0) }
        #expect(model.covarianceMeat == before)
        // 30 of 60 rows: unavailable, saying so.
        #expect(throws: EngineError.self) { try model.coefficientStatistic(.standardError) }
        try Self.pass(&model, data, 30 ..< 60, ways: 1)
        _ = try model.coefficientStatistic(.standardError)
        // HC: groups refused; a new fit discards the pass.
        var hc = try Self.model(data, type: .hc1)
        try hc.beginCovariancePass()
        #expect(throws: EngineError.self) { try Self.pass(&hc, data, 0 ..< 60, ways: 1) }
        try data.withViews(as: Double.self) { X, Y, w in try hc.partialFit(X: X.rows(0 ..< 10), Y: Y.rows(0 ..< 10), sampleWeight: nil) }
        #expect(hc.covarianceMeat == nil)
        #expect(throws: EngineError.self) { try Self.pass(&hc, data, 0 ..< 60, ways: 0) }
        // A pass for HC0 serves HC1 but not HC3.
        var white = try Self.model(data, type: .hc0)
        _ = try white.covarianceMatrix()
        try white.hyperparameters.set(.covType, to: Double(CovarianceType.hc1.rawValue))
        _ = try white.covarianceMatrix()
        try white.hyperparameters.set(.covType, to: Double(CovarianceType.hc3.rawValue))
        #expect(throws: EngineError.self) { try white.covarianceMatrix() }
    }

    /// NaN in X or Y during a pass is named by row and column.
    @Test func nonFiniteValuesAreNamed() throws {
        var data = Data(n: 40, d: 2, k: 1, weighted: false)
        var model = try Self.model(data, type: .hc0)
        try model.beginCovariancePass()
        data.x[2 * 17 + 1] = .nan
        #expect(throws: EngineError.nonFinite("X[17][1] is nan (row 17, column 1)")) {
            try Self.pass(&model, data, 0 ..< 40, ways: 0)
        }
    }

}

struct ClusterSumsSmokeTests {
    @Test func addsTwoKeys() {
        var sums = CovarianceMeat.ClusterSums()
        let values: [Double] = [1, 2]
        values.withUnsafeBufferPointer { v in
            sums.add(.init(first: 1, second: 0), v.baseAddress!, width: 2)
            sums.add(.init(first: 2, second: 0), v.baseAddress!, width: 2)
            sums.add(.init(first: 1, second: 0), v.baseAddress!, width: 2)
        }
        #expect(sums.sums == [2, 4, 1, 2])
    }
}

/// The exact solver's preconditioning pass (``WhitenedGram``): Σ wᵢzᵢzᵢᵀ with
/// zᵢ = Tᵀ(xᵢ − c), against a double-double evaluation of that definition
/// (1e-13 of the largest entry), and the same bits on every instruction set
/// and thread count; with a subset of T's columns (a partial whitening) and
/// without weights (the kernel then sums the transformed rows unscaled).
struct WhitenedGramTests {
    @Test(arguments: [(3, nil, true), (9, nil, true), (20, nil, true), (20, nil, false), (9, [4], true),
                      (20, [1, 5, 6, 17], false), (20, [0, 2, 3, 4, 7, 8, 9, 10, 11, 19], true)] as [(Int, [Int]?, Bool)])
    func matchesItsDefinition(_ c: (Int, [Int]?, Bool)) throws {
        let (d, columns, weighted) = c
        let kept = columns ?? Array(0 ..< d), m = kept.count
        let data = CovariancePassTests.Data(n: 20_000 + d, d: d, k: 1, weighted: weighted)
        // An upper triangular T and a centre c with origins o.
        let transform: [Double] = (0 ..< d * d).map { i in i / d <= i % d ? Double((i * 37) % 11) / 7 - 0.6 : 0 }
        let origins = (0 ..< d).map { Double($0) * 0.25 - 1 }
        let centre = (0 ..< d).map { Double($0) * 0.3 - 0.5 }
        let offsets = zip(centre, origins).map { DoubleDouble($0) - DoubleDouble($1) }
        var reference = [DoubleDouble](repeating: .zero, count: m * m)
        for row in 0 ..< data.n {
            let w = DoubleDouble(data.w?[row] ?? 1)
            let z: [DoubleDouble] = kept.map { l in
                var s = DoubleDouble.zero
                for a in 0 ... l { s = s + DoubleDouble(transform[a * d + l]) * (DoubleDouble(data.x[row * d + a]) - DoubleDouble(centre[a])) }
                return s
            }
            for a in 0 ..< m {
                for b in 0 ..< m { reference[a * m + b] = reference[a * m + b] + w * z[a] * z[b] }
            }
        }
        let expected = reference.map(\.value)
        let scale = expected.map(abs).max() ?? 1
        var first: [Double]?
        try data.withViews(as: Double.self) { X, _, w in
            for level in PerformancePathTests.testableLevels() {
                for threads in [1, 2] {
                    let gram = try #require(WhitenedGram.sums(X: X, sampleWeight: w, transform: transform,
                                                              columns: columns, origins: origins, offsets: offsets,
                                                              threads: threads, kernels: level))
                    #expect(gram.count == m * m)
                    if let first { #expect(gram == first, "\(c) \(level.name) threads \(threads)") } else { first = gram }
                    let worst = zip(gram, expected).map { abs($0 - $1) }.max() ?? 0
                    #expect(worst <= 1e-13 * scale, "\(c) \(level.name): \(worst) of \(scale)")
                }
            }
        }
    }
}
