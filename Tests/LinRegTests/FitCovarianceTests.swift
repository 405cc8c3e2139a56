import Testing
@testable import LinReg

/// ``FitCovariance``: a full-rank least-squares fit computes (XᵀWX)⁻¹ when
/// it is first read, and it is the inverse of the design's cross-product
/// matrix (checked here against a double-double Gauss–Jordan inverse of
/// XᵀX formed from the rows, another algorithm); rank-deficient fits hold
/// their pseudo-inverse at once; ridge fits have none; concurrent first
/// reads agree; a later `partial_fit` of the accumulator does not change a
/// fit already taken.
@Suite struct FitCovarianceTests {
    static let rows = 3000

    static func row(_ i: Int) -> [Double] {
        [Double(i % 17), Double((i * i) % 101) / 8, Double((i * 7) % 23) - 11]
    }

    static func accumulator(rows range: Range<Int> = 0 ..< rows) throws -> QRAccumulator {
        let problem = DenseProblem(rows: Array(range), x: { i in row(i) },
                                   y: { i in [Double((i * 7919) % 13) + Double(i % 17) / 4] })
        return try problem.accumulator()
    }

    /// (XᵀX)⁻¹ of [X, 1] over `range`, features first then the intercept,
    /// by Gauss–Jordan elimination in double-double on the exact integer /
    /// dyadic cross-products.
    static func referenceInverse(rows range: Range<Int>) -> [Double] {
        let p = 4
        var a = [DoubleDouble](repeating: .zero, count: p * 2 * p)
        for i in range {
            let x = row(i) + [1]
            for r in 0 ..< p { for c in 0 ..< p { a[r * 2 * p + c] += DoubleDouble(x[r] * x[c]) } }
        }
        for r in 0 ..< p { a[r * 2 * p + p + r] = DoubleDouble(1) }
        for col in 0 ..< p {
            var pivot = col
            for r in col ..< p where abs(a[r * 2 * p + col].value) > abs(a[pivot * 2 * p + col].value) { pivot = r }
            for c in 0 ..< 2 * p { a.swapAt(col * 2 * p + c, pivot * 2 * p + c) }
            let inverse = DoubleDouble(1) / a[col * 2 * p + col]
            for c in 0 ..< 2 * p { a[col * 2 * p + c] = a[col * 2 * p + c] * inverse }
            for r in 0 ..< p where r != col {
                let factor = a[r * 2 * p + col]
                for c in 0 ..< 2 * p { a[r * 2 * p + c] -= factor * a[col * 2 * p + c] }
            }
        }
        return (0 ..< p * p).map { a[($0 / p) * 2 * p + p + $0 % p].value }
    }

    @Test func fullRankFitsDeferAndMatchTheInverse() throws {
        let fit = try Self.accumulator().solution(alpha: 0, rcond: -1)
        #expect(fit.rank == 4)
        #expect(fit.hasCovariance)
        #expect(fit.covariance?.isPending == true)
        let covariance = try #require(fit.unscaledCovariance)
        #expect(fit.covariance?.isPending == false)
        expectClose(covariance, Self.referenceInverse(rows: 0 ..< Self.rows), 1e-13, "(XᵀX)⁻¹")

        let ridge = try Self.accumulator().solution(alpha: 0.5, rcond: -1)
        #expect(!ridge.hasCovariance && ridge.unscaledCovariance == nil)
    }

    @Test func rankDeficientFitsHoldThePseudoInverse() throws {
        let problem = DenseProblem(rows: Array(0 ..< 500), x: { i in
            let a = Double(i % 17)
            return [a, Double((i * i) % 101) / 8, 2 * a]
        }, y: { i in [Double(i % 5)] })
        let fit = try problem.accumulator().solution(alpha: 0, rcond: -1)
        #expect(fit.rank == 3)
        #expect(fit.covariance?.isPending == false)
    }

    /// The accumulator continues (partial_fit) after a fit was taken: the
    /// fit's deferred covariance is still that of its own rows.
    @Test func laterUpdatesDoNotReachADeferredCovariance() throws {
        var accumulator = try Self.accumulator(rows: 0 ..< 2000)
        let fit = try accumulator.solution(alpha: 0, rcond: -1)
        #expect(fit.covariance?.isPending == true)
        let more = try Self.accumulator(rows: 2000 ..< Self.rows)
        try accumulator.merge(more)
        let later = try accumulator.solution(alpha: 0, rcond: -1)
        expectClose(try #require(fit.unscaledCovariance), Self.referenceInverse(rows: 0 ..< 2000), 1e-13, "first fit")
        expectClose(try #require(later.unscaledCovariance), Self.referenceInverse(rows: 0 ..< Self.rows), 1e-13,
                    "after the merge")
    }

    /// Sixteen concurrent first reads of copies of one fit see the matrix a
    /// serial read of an identical fit gives, bit for bit.
    @Test func concurrentFirstReadsAgree() throws {
        let expected = try #require(try Self.accumulator().solution(alpha: 0, rcond: -1).unscaledCovariance)
        let shared = try Self.accumulator().solution(alpha: 0, rcond: -1)
        let results = UnsafeMutablePointer<[Double]>.allocate(capacity: 16)
        results.initialize(repeating: [], count: 16)
        defer { results.deinitialize(count: 16); results.deallocate() }
        WorkerThreads.forEach(items: 16, workers: 4) { _, item in
            let copy = shared
            results[item] = copy.unscaledCovariance ?? []
        }
        for item in 0 ..< 16 { #expect(results[item] == expected) }
    }
}
