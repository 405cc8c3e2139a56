import Testing
@testable import LinReg

/// ``FitSpectrum``: a full-rank fit defers its singular values and condition
/// number until they are read, then gives what an eager computation gives
/// (the values' accuracy is checked against mpmath and statsmodels by
/// ExactSolverReferenceTests, whose full-rank fits take this path), once,
/// whichever threads ask first.
@Suite struct FitSpectrumTests {
    /// A full-rank design (3 features, intercept) and a rank-deficient one
    /// (its third column the first doubled).
    static func accumulator(deficient: Bool) throws -> QRAccumulator {
        let problem = DenseProblem(rows: Array(0 ..< 3000), x: { i in
            let a = Double(i % 17), b = Double((i * i) % 101) / 8
            return [a, b, deficient ? 2 * a : Double((i * 7) % 23) - 11]
        }, y: { i in [Double((i * 7919) % 13) + Double(i % 17) / 4] })
        return try problem.accumulator()
    }

    @Test func fullRankFitsDeferAndRankDeficientFitsDoNot() throws {
        let full = try Self.accumulator(deficient: false).solution(alpha: 0, rcond: -1)
        #expect(full.rank == 4)
        #expect(full.spectrum.isPending)
        let ridge = try Self.accumulator(deficient: false).solution(alpha: 0.5, rcond: -1)
        #expect(ridge.spectrum.isPending)
        let deficient = try Self.accumulator(deficient: true).solution(alpha: 0, rcond: -1)
        #expect(deficient.rank == 3)
        #expect(!deficient.spectrum.isPending)
        #expect(deficient.conditionNumber == .infinity)

        // Reading computes each value once; then nothing is pending.
        let values = full.singularValues
        #expect(full.spectrum.isPending)
        let condition = full.conditionNumber
        #expect(!full.spectrum.isPending)
        #expect(full.singularValues == values && full.conditionNumber == condition)
    }

    /// The deferred values equal a one-sided Jacobi SVD of the same design
    /// (another algorithm: 1e-13 relative), and the condition number is
    /// the ratio of the full design's extreme values.
    @Test func deferredValuesMatchJacobi() throws {
        let accumulator = try Self.accumulator(deficient: false)
        let fit = try accumulator.solution(alpha: 0, rcond: -1)
        let singular = fit.singularValues
        #expect(singular.count == 3)
        // Rebuild the centred design's singular values from the rows: √(eigenvalues) of
        // XcᵀXc via Jacobi on the centred data matrix itself (rows × 3, column-major).
        let n = 3000
        var columns = [[Double]](repeating: [], count: 3)
        for i in 0 ..< n {
            let row = [Double(i % 17), Double((i * i) % 101) / 8, Double((i * 7) % 23) - 11]
            for c in 0 ..< 3 { columns[c].append(row[c]) }
        }
        var centred: [Double] = []
        var full: [Double] = [Double](repeating: 1, count: n)
        for c in 0 ..< 3 {
            let mean = columns[c].reduce(0, +) / Double(n)
            centred += columns[c].map { $0 - mean }
            full += columns[c]
        }
        let reference = JacobiSVD(columnMajor: centred, rows: n, columns: 3, wantVectors: false).values
        expectClose(singular, reference, 1e-13, "singular values")
        let fullValues = JacobiSVD(columnMajor: full, rows: n, columns: 4, wantVectors: false).values
        expectClose([fit.conditionNumber], [fullValues[0] / fullValues[3]], 1e-12, "condition number")
    }

    /// Sixteen concurrent first reads (copies of one fit share its spectrum)
    /// all see the values a serial read of an identical fit gives.
    @Test func concurrentFirstReadsAgree() throws {
        let serial = try Self.accumulator(deficient: false).solution(alpha: 0, rcond: -1)
        let expectedValues = serial.singularValues, expectedCondition = serial.conditionNumber
        let shared = try Self.accumulator(deficient: false).solution(alpha: 0, rcond: -1)
        #expect(shared.spectrum.isPending)
        let results = UnsafeMutablePointer<([Double], Double)>.allocate(capacity: 16)
        results.initialize(repeating: ([], .nan), count: 16)
        defer { results.deinitialize(count: 16); results.deallocate() }
        WorkerThreads.forEach(items: 16, workers: 4) { _, item in
            let copy = shared
            // Half the readers ask for the singular values first, half for the condition number.
            if item % 2 == 0 {
                let values = copy.singularValues
                results[item] = (values, copy.conditionNumber)
            } else {
                let condition = copy.conditionNumber
                results[item] = (copy.singularValues, condition)
            }
        }
        for item in 0 ..< 16 {
            #expect(results[item].0 == expectedValues && results[item].1 == expectedCondition)
        }
        // Equality reads the deferred values (a fit built from them is equal).
        let eager = LeastSquaresFit(weights: serial.weights, intercepts: serial.intercepts, rank: serial.rank,
                                    centeredRank: serial.centeredRank, singularValues: expectedValues,
                                    conditionNumber: expectedCondition, unscaledCovariance: serial.unscaledCovariance,
                                    residualSumOfSquares: serial.residualSumOfSquares,
                                    totalSumOfSquares: serial.totalSumOfSquares,
                                    observationCount: serial.observationCount, sumLogWeights: serial.sumLogWeights)
        #expect(eager == shared)
    }
}
