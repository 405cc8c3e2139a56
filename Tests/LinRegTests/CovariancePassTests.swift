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
