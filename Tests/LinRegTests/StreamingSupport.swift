import Testing
@testable import LinReg

/// Data and comparisons shared by the streaming, merging and
/// accumulator-persistence tests (namespaced so they cannot collide with
/// other test files).
enum StreamingSupport {
    /// A reproducible regression problem: n rows, d features on different
    /// scales, k outputs with noise, optional weights (some zero).
    struct Problem {
        let n: Int, d: Int, k: Int
        var x: [Double]
        var y: [Double]
        var w: [Double]?

        init(n: Int, d: Int, k: Int, weighted: Bool = false, seed: UInt64 = 1) {
            self.n = n
            self.d = d
            self.k = k
            var rng = SplitMix64(seed: seed)
            func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 * 2 - 1 }
            let scales = (0 ..< d).map { c in [1.0, 1e3, 1e-2, 37.5, 1e5][c % 5] }
            let coefficients: [Double] = (0 ..< (k * d)).map { (i: Int) -> Double in
                let sign: Double = i % 2 == 0 ? 1 : -1
                return 0.5 + Double(i % 7) * 0.75 * sign
            }
            x = []
            y = []
            x.reserveCapacity(n * d)
            y.reserveCapacity(n * k)
            for _ in 0 ..< n {
                let row = (0 ..< d).map { c in scales[c] * (uniform() + (c == 0 ? 3 : 0)) }
                x.append(contentsOf: row)
                for o in 0 ..< k {
                    var value = 10.0 * Double(o + 1)
                    for c in 0 ..< d { value += coefficients[o * d + c] * row[c] / scales[c] }
                    y.append(value + 0.3 * uniform())
                }
            }
            if weighted {
                w = (0 ..< n).map { i in i % 11 == 3 ? 0 : 0.25 + 2 * (uniform() + 1) }
            }
        }

        /// Rows `range` as (X, Y, w) arrays.
        func rows(_ range: Range<Int>) -> (x: [Double], y: [Double], w: [Double]?) {
            (Array(x[(range.lowerBound * d) ..< (range.upperBound * d)]),
             Array(y[(range.lowerBound * k) ..< (range.upperBound * k)]),
             w.map { Array($0[range]) })
        }
    }

    /// Calls `body` with views of rows `range` of `problem`, stored as `E`.
    static func withViews<R>(
        _ problem: Problem, _ range: Range<Int>,
        _ body: (MatrixView<Double>, MatrixView<Double>, VectorView<Double>?) throws -> R
    ) rethrows -> R {
        try withViews(problem, range, as: Double.self, body)
    }

    /// Calls `body` with views of rows `range` of `problem`, stored as `E`.
    static func withViews<E: TrainingScalar, R>(
        _ problem: Problem, _ range: Range<Int>, as type: E.Type,
        _ body: (MatrixView<E>, MatrixView<E>, VectorView<E>?) throws -> R
    ) rethrows -> R {
        let (x, y, w) = problem.rows(range)
        let xe = x.map { E(roundingFrom: $0) }
        let ye = y.map { E(roundingFrom: $0) }
        let we = (w ?? []).map { E(roundingFrom: $0) }
        return try xe.withUnsafeBufferPointer { xp in
            try ye.withUnsafeBufferPointer { yp in
                try we.withUnsafeBufferPointer { wp in
                    try body(MatrixView(base: xp.baseAddress!, rows: range.count, columns: problem.d),
                             MatrixView(base: yp.baseAddress!, rows: range.count, columns: problem.k),
                             w == nil ? nil : VectorView(base: wp.baseAddress!, count: range.count))
                }
            }
        }
    }

    /// A model of the problem's shape with the given options.
    static func model(_ problem: Problem, solver: SolverKind = .exact, fitIntercept: Bool = true,
                      alpha: Double = 0) throws -> LinearModel {
        var model = try LinearModel(featureCount: problem.d, outputCount: problem.k)
        model.hyperparameters.solver = solver
        model.hyperparameters.fitIntercept = fitIntercept
        model.hyperparameters.alpha = alpha
        return model
    }

    /// `model` fitted on rows `range` with one `fit`.
    static func fitted<E: TrainingScalar>(_ model: LinearModel, _ problem: Problem, _ range: Range<Int>,
                                          as type: E.Type = Double.self) throws -> LinearModel {
        var copy = model
        try withViews(problem, range, as: type) { X, Y, w in try copy.fit(X: X, Y: Y, sampleWeight: w) }
        return copy
    }

    /// `model` after `partialFit` on each of `chunks` in turn.
    static func streamed<E: TrainingScalar>(_ model: LinearModel, _ problem: Problem, _ chunks: [Range<Int>],
                                            as type: E.Type = Double.self) throws -> LinearModel {
        var copy = model
        for chunk in chunks {
            try withViews(problem, chunk, as: type) { X, Y, w in try copy.partialFit(X: X, Y: Y, sampleWeight: w) }
        }
        return copy
    }

    /// Consecutive ranges of the given sizes.
    static func chunks(_ sizes: [Int]) -> [Range<Int>] {
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return start ..< (start + size)
        }
    }

    /// ‖actual − expected‖∞ ≤ relative·‖expected‖∞, and the same length.
    static func expectNormClose(_ actual: [Double], _ expected: [Double], relative: Double = 1e-10,
                                _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
                sourceLocation: sourceLocation)
        let scale = expected.map { abs($0) }.max() ?? 0
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            let bothNaN = a.isNaN && e.isNaN
            #expect(bothNaN || abs(a - e) <= relative * scale, "\(what)[\(i)] = \(a), expected \(e)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Element by element: |actual − expected| ≤ relative·|expected| (NaN matches NaN).
    static func expectClose(_ actual: [Double], _ expected: [Double], relative: Double = 1e-10,
                            _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)",
                sourceLocation: sourceLocation)
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            let bothNaN = a.isNaN && e.isNaN
            #expect(bothNaN || abs(a - e) <= relative * abs(e), "\(what)[\(i)] = \(a), expected \(e)",
                    sourceLocation: sourceLocation)
        }
    }

    /// Two exact-fitted models agree: coefficients, sums of squares,
    /// covariance, ranks, singular values, n, Σ log w and every statistic.
    static func expectSameFit(_ actual: LinearModel, _ expected: LinearModel, relative: Double = 1e-10,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        guard let a = actual.exactFit, let e = expected.exactFit else {
            Issue.record("an exact fit is missing", sourceLocation: sourceLocation)
            return
        }
        #expect(actual.isFitted, sourceLocation: sourceLocation)
        expectClose(actual.weights, expected.weights, relative: relative, "weights", sourceLocation: sourceLocation)
        expectClose(actual.intercepts, expected.intercepts, relative: relative, "intercepts",
                    sourceLocation: sourceLocation)
        expectClose(a.residualSumOfSquares, e.residualSumOfSquares, relative: relative, "RSS",
                    sourceLocation: sourceLocation)
        expectClose(a.totalSumOfSquares, e.totalSumOfSquares, relative: relative, "TSS",
                    sourceLocation: sourceLocation)
        expectNormClose(a.singularValues, e.singularValues, relative: relative, "singular values",
                        sourceLocation: sourceLocation)
        #expect((a.unscaledCovariance == nil) == (e.unscaledCovariance == nil), sourceLocation: sourceLocation)
        if let ac = a.unscaledCovariance, let ec = e.unscaledCovariance {
            // The diagonal (variances, hence bse) element-wise, the rest norm-wise.
            let p = Int(Double(ec.count).squareRoot())
            expectClose((0 ..< p).map { ac[$0 * p + $0] }, (0 ..< p).map { ec[$0 * p + $0] }, relative: relative,
                        "covariance diagonal", sourceLocation: sourceLocation)
            expectNormClose(ac, ec, relative: relative, "covariance", sourceLocation: sourceLocation)
        }
        #expect(a.rank == e.rank, sourceLocation: sourceLocation)
        #expect(a.centeredRank == e.centeredRank, sourceLocation: sourceLocation)
        #expect(a.observationCount == e.observationCount, sourceLocation: sourceLocation)
        #expect(abs(a.sumLogWeights - e.sumLogWeights) <= 1e-12 * max(1, abs(e.sumLogWeights)),
                sourceLocation: sourceLocation)
        #expect((actual.statistics == nil) == (expected.statistics == nil), sourceLocation: sourceLocation)
        if expected.statistics != nil {
            for kind in StatisticKind.allCases {
                let av = (try? actual.statistic(kind)) ?? []
                let ev = (try? expected.statistic(kind)) ?? []
                expectClose(av, ev, relative: kind == .fPValue ? 1e-8 : relative, "statistic \(kind)",
                            sourceLocation: sourceLocation)
            }
            for kind in CoefficientStatisticKind.allCases {
                let av = (try? actual.coefficientStatistic(kind)) ?? []
                let ev = (try? expected.coefficientStatistic(kind)) ?? []
                if kind == .pValue {
                    expectNormClose(av, ev, relative: 1e-8, "coefficient \(kind)", sourceLocation: sourceLocation)
                } else {
                    expectClose(av, ev, relative: relative, "coefficient \(kind)", sourceLocation: sourceLocation)
                }
            }
        }
    }

    /// The payload range of section `tag` in model bytes, or nil.
    static func section(_ tag: UInt32, in bytes: [UInt8]) -> Range<Int>? {
        func le(_ at: Int, _ count: Int) -> UInt64 {
            (0 ..< count).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
        }
        var at = 24
        while at + 12 <= bytes.count - 4 {
            let found = UInt32(le(at, 4))
            let length = Int(le(at + 4, 8))
            if found == tag { return (at + 12) ..< (at + 12 + length) }
            at += 12 + length
        }
        return nil
    }

    /// Writes `value` little-endian at `offset`.
    static func put(_ value: UInt64, _ count: Int, at offset: Int, in bytes: inout [UInt8]) {
        for i in 0 ..< count { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }

    /// Recomputes the trailing checksum (so that only the reader's other checks can object).
    static func fixChecksum(_ bytes: inout [UInt8]) {
        let crc = bytes[0 ..< (bytes.count - 4)].withUnsafeBytes { CRC32.checksum($0) }
        put(UInt64(crc), 4, at: bytes.count - 4, in: &bytes)
    }

    /// `bytes` with section `tag`'s payload replaced by `payload` (lengths and checksum fixed).
    static func replacingSection(_ tag: UInt32, with payload: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard let range = section(tag, in: bytes) else { return bytes }
        var out = Array(bytes[0 ..< (range.lowerBound - 8)])
        var length = [UInt8](repeating: 0, count: 8)
        put(UInt64(payload.count), 8, at: 0, in: &length)
        out += length + payload + Array(bytes[range.upperBound...])
        put(UInt64(out.count - 28), 8, at: 16, in: &out)
        fixChecksum(&out)
        return out
    }

    /// Decodes `bytes`.
    static func decode(_ bytes: [UInt8]) throws -> LinearModel {
        try bytes.withUnsafeBytes { try ModelArchive.decode($0) }
    }
}
