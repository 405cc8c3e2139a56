import Testing
@testable import LinReg

// The mergeable QR accumulator, blocking, scaling, element types, threads,
// edge cases and errors of the exact solver. References are either exact
// rationals (see ExactSolverReferenceTests.swift for the method) or another
// fit whose answer is known to be the same by construction.

/// Relative distance between two fits' coefficients and sums of squares.
func fitDistance(_ a: LeastSquaresFit, _ b: LeastSquaresFit) -> Double {
    func distance(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count == y.count else { return .infinity }
        let scale = max(y.map { abs($0) }.max() ?? 0, 1e-300)
        return zip(x, y).map { abs($0 - $1) / max(abs($1), 1e-3 * scale) }.max() ?? 0
    }
    return max(distance(a.weights, b.weights), distance(a.intercepts, b.intercepts),
               distance(a.residualSumOfSquares, b.residualSumOfSquares),
               distance(a.totalSumOfSquares, b.totalSumOfSquares))
}

extension DenseProblem {
    /// The rows `range` as their own problem.
    func rows(_ range: Range<Int>) -> DenseProblem {
        var copy = self
        copy.n = range.count
        copy.X = Array(X[(range.lowerBound * d) ..< (range.upperBound * d)])
        copy.Y = Array(Y[(range.lowerBound * k) ..< (range.upperBound * k)])
        copy.weights = weights.map { Array($0[range]) }
        return copy
    }

    /// Adds this problem's rows to an accumulator.
    func add(to accumulator: inout QRAccumulator) throws {
        let X = self.X.isEmpty ? [0.0] : self.X
        try X.withUnsafeBufferPointer { xb in
            try Y.withUnsafeBufferPointer { yb in
                let x = MatrixView(base: xb.baseAddress!, rows: n, columns: d)
                let y = MatrixView(base: yb.baseAddress!, rows: n, columns: k)
                if let w = weights {
                    try w.withUnsafeBufferPointer { wb in
                        try accumulator.add(X: x, Y: y, sampleWeight: VectorView(base: wb.baseAddress!, count: n))
                    }
                } else {
                    try accumulator.add(X: x, Y: y, sampleWeight: nil)
                }
            }
        }
    }

    func accumulator() throws -> QRAccumulator {
        var result = try QRAccumulator(features: d, outputs: k, fitIntercept: intercept)
        try add(to: &result)
        return result
    }
}

enum AccumulatorProblems {
    /// 10,000 rows (three blocks of 4096 rows at most): the third column and
    /// y grow by 2¹⁰ from row 6000 on, so column exponents grow between blocks.
    static let multiBlock = DenseProblem(rows: Array(0 ..< 10_000), x: { i in
        let big = i >= 6000 ? 1024.0 : 1
        return [Double(i % 17), Double((i * i) % 101) / 8, Double(i % 50) * big]
    }, y: { i in
        let big = i >= 6000 ? 1024.0 : 1
        return [Double(3 * (i % 17)) - Double((i * i) % 101) / 4 + Double((i * 7919) % 13) + Double(i % 50) * big / 64]
    })
}

@Suite struct ExactSolverAccumulatorTests {
    @Test("Several blocks with growing column scales match the exact solution")
    func multiBlock() throws {
        let problem = AccumulatorProblems.multiBlock
        let accumulator = try problem.accumulator()
        #expect(accumulator.blockRows < problem.n)
        let fit = try accumulator.solution(alpha: 0, rcond: -1)
        // exact (Fraction), generator above
        expectClose(fit.weights, [3.0002728796706143, -2.0025158114639072, 0.015624873349780999], 1e-12, "weights")
        expectClose(fit.intercepts, [6.0136127434254218], 1e-12, "intercept")
        expectClose(fit.residualSumOfSquares, [140013.01682708014], 1e-11, "RSS")
        expectClose(fit.totalSumOfSquares, [584228628.61519531], 1e-13, "TSS")
        #expect(fit.observationCount == 10_000)
    }

    @Test("merge of disjoint row sets equals one fit of all rows (to 1e-10 and better)")
    func mergeEqualsSingleFit() throws {
        for problem in [AccumulatorProblems.multiBlock, ReferenceProblems.p2(weighted: true), ReferenceProblems.p3,
                        ReferenceProblems.r4, ReferenceProblems.p5] {
            let whole = try problem.accumulator().solution(alpha: 0, rcond: -1)
            // Uneven split in three, merged in two different orders.
            let a = problem.n / 3, b = problem.n / 3 + problem.n / 4
            var first = try problem.rows(0 ..< a).accumulator()
            let second = try problem.rows(a ..< b).accumulator()
            let third = try problem.rows(b ..< problem.n).accumulator()
            try first.merge(second)
            try first.merge(third)
            var reversed = third
            try reversed.merge(second)
            var head = try problem.rows(0 ..< a).accumulator()
            try head.merge(reversed)
            for merged in [first, head] {
                #expect(merged.rowCount == problem.n)
                let fit = try merged.solution(alpha: 0, rcond: -1)
                #expect(fitDistance(fit, whole) <= 1e-12, "merged fit differs by \(fitDistance(fit, whole))")
                #expect(fit.rank == whole.rank && fit.centeredRank == whole.centeredRank)
                #expect(abs(fit.sumLogWeights - whole.sumLogWeights) <= 1e-12 * max(1, abs(whole.sumLogWeights)))
                let ridge = try merged.solution(alpha: 0.75, rcond: -1)
                let wholeRidge = try problem.accumulator().solution(alpha: 0.75, rcond: -1)
                #expect(fitDistance(ridge, wholeRidge) <= 1e-12)
            }
        }
    }

    @Test("Streaming add in uneven chunks equals one add")
    func streaming() throws {
        let problem = AccumulatorProblems.multiBlock
        let whole = try problem.accumulator().solution(alpha: 0, rcond: -1)
        var streamed = try QRAccumulator(features: problem.d, outputs: problem.k, fitIntercept: true)
        var start = 0
        var size = 1
        while start < problem.n {
            let end = min(problem.n, start + size)
            try problem.rows(start ..< end).add(to: &streamed)
            start = end
            size = size * 3 + 1
        }
        #expect(streamed.rowCount == problem.n)
        #expect(fitDistance(try streamed.solution(alpha: 0, rcond: -1), whole) <= 1e-12)
    }

    @Test("Merging an empty accumulator changes nothing; mismatched shapes are refused")
    func mergeEdges() throws {
        let problem = ReferenceProblems.p3
        var accumulator = try problem.accumulator()
        let before = try accumulator.solution(alpha: 0, rcond: -1)
        try accumulator.merge(try QRAccumulator(features: 4, outputs: 2, fitIntercept: true))
        #expect(try accumulator.solution(alpha: 0, rcond: -1) == before)
        var empty = try QRAccumulator(features: 4, outputs: 2, fitIntercept: true)
        try empty.merge(accumulator)
        #expect(fitDistance(try empty.solution(alpha: 0, rcond: -1), before) <= 1e-15)
        #expect(throws: EngineError.self) { try accumulator.merge(try QRAccumulator(features: 3, outputs: 2, fitIntercept: true)) }
        #expect(throws: EngineError.self) { try accumulator.merge(try QRAccumulator(features: 4, outputs: 2, fitIntercept: false)) }
        #expect(throws: EngineError.self) { try QRAccumulator(features: 4, outputs: 2, fitIntercept: true).solution(alpha: 0, rcond: -1) }
    }

    @Test("Float input is promoted: same answer as the same values in Double")
    func floatInput() throws {
        let problem = ReferenceProblems.p3  // all values are exact in Float too
        let xf = problem.X.map { Float($0) }
        let yf = problem.Y.map { Float($0) }
        let wf = problem.weights!.map { Float($0) }
        #expect(zip(xf, problem.X).allSatisfy { Double($0) == $1 })
        let fit = try xf.withUnsafeBufferPointer { xb in
            try yf.withUnsafeBufferPointer { yb in
                try wf.withUnsafeBufferPointer { wb in
                    try ExactSolver.fit(LeastSquaresProblem(
                        X: MatrixView(base: xb.baseAddress!, rows: problem.n, columns: problem.d),
                        Y: MatrixView(base: yb.baseAddress!, rows: problem.n, columns: problem.k),
                        sampleWeight: VectorView(base: wb.baseAddress!, count: problem.n)))
                }
            }
        }
        #expect(fit == (try problem.fit()))
    }

    @Test("Results do not depend on threads")
    func threads() throws {
        let problem = AccumulatorProblems.multiBlock
        let reference = try problem.fit(threads: 0)
        for threads in [1, 2, 3, 16] {
            #expect(try problem.fit(threads: threads) == reference)
        }
    }

    @Test("Several chunks on several threads: same bits for every thread count, exact answer")
    func chunkedThreads() throws {
        // 140,000 rows = three chunks of 65,536; the second column jumps by 512
        // from row 100,000 on and y by 1/2 from row 70,000 on. Exact (Fraction)
        // reference with the generator below.
        let problem = DenseProblem(rows: Array(0 ..< 140_000), x: { i in
            [Double(i % 23), Double((i * 7) % 31) / 4 + (i >= 100_000 ? 512 : 0)]
        }, y: { i in
            [2 * Double(i % 23) - Double((i * 7) % 31) / 4 + Double((i * 13) % 17) + (i >= 70_000 ? 0.5 : 0)]
        })
        #expect(problem.n > 2 * QRAccumulator.chunkRows)
        let reference = try problem.fit(threads: 1)
        expectClose(reference.weights, [1.9999915375513254, 0.00058991800600667087], 1e-12, "weights")
        expectClose(reference.intercepts, [4.4115307644023773], 1e-12, "intercept")
        expectClose(reference.residualSumOfSquares, [4066414.6461612642], 1e-12, "RSS")
        expectClose(reference.totalSumOfSquares, [28708541.368783929], 1e-12, "TSS")
        for threads in [0, 2, 3, 8] {
            #expect(try problem.fit(threads: threads) == reference, "threads = \(threads)")
        }
    }

    @Test("Power-of-two rescaling of columns, targets and weights is exact")
    func scaleInvariance() throws {
        let base = try ReferenceProblems.p3.fit()
        // X·2^600, Y·2^100, weights·2^-900: β scales by 2^-500, b by 2^100, RSS by 2^-700.
        var scaled = ReferenceProblems.p3
        scaled.X = scaled.X.map { $0 * 0x1p600 }
        scaled.Y = scaled.Y.map { $0 * 0x1p100 }
        scaled.weights = scaled.weights!.map { $0 * 0x1p-900 }
        let fit = try scaled.fit()
        expectClose(fit.weights.map { $0 * 0x1p500 }, base.weights, 1e-14, "weights")
        expectClose(fit.intercepts.map { $0 * 0x1p-100 }, base.intercepts, 1e-14, "intercepts")
        expectClose(fit.residualSumOfSquares.map { $0 * 0x1p700 }, base.residualSumOfSquares, 1e-13, "RSS")
        #expect(fit.rank == base.rank && fit.centeredRank == base.centeredRank)
        // Tiny data.
        var tiny = ReferenceProblems.p1
        tiny.X = tiny.X.map { $0 * 0x1p-1000 }
        let tinyFit = try tiny.fit()
        expectClose(tinyFit.weights.map { $0 * 0x1p-1000 }, try ReferenceProblems.p1.fit().weights, 1e-13, "tiny X")
    }

    @Test("Zero-weight rows change nothing but the row count")
    func zeroWeightRows() throws {
        let problem = ReferenceProblems.p3
        var padded = problem
        padded.n += 3
        padded.X += [1e300, -1e300, 7, 3, 1, 2, 3, 4, 0, 0, 0, 1e-300]
        padded.Y += [1e200, -5, 1, 2, 3, 4]
        padded.weights! += [0, 0, 0]
        let a = try problem.fit(), b = try padded.fit()
        #expect(b.observationCount == problem.n + 3)
        #expect(fitDistance(a, b) <= 1e-15)
        #expect(a.sumLogWeights == b.sumLogWeights)
    }

    @Test("Degenerate shapes: one row, constant target, no features, all-zero column")
    func degenerate() throws {
        // One row with an intercept: weights 0 (minimum norm), intercept = y.
        let one = DenseProblem(rows: [0], x: { _ in [3, -2] }, y: { _ in [5, -1] })
        let fitOne = try one.fit()
        #expect(fitOne.weights == [0, 0, 0, 0])
        expectClose(fitOne.intercepts, [5, -1], 1e-15, "intercepts")
        #expect(fitOne.rank == 1 && fitOne.centeredRank == 0)
        #expect(fitOne.residualSumOfSquares.allSatisfy { $0 == 0 })
        #expect(fitOne.singularValues.count == 1 && fitOne.singularValues[0] == 0)

        // Constant and zero targets: zero TSS, zero RSS, no NaN.
        let flat = DenseProblem(rows: Array(0 ..< 10), x: { i in [Double(i), Double(i * i % 7)] }, y: { _ in [4, 0] })
        let fitFlat = try flat.fit()
        expectClose(fitFlat.intercepts, [4, 0], 1e-14, "intercepts")
        #expect(fitFlat.weights.allSatisfy { abs($0) <= 1e-14 })
        #expect(fitFlat.totalSumOfSquares.allSatisfy { abs($0) <= 1e-20 })
        #expect(fitFlat.residualSumOfSquares.allSatisfy { abs($0) <= 1e-20 })

        // No features: the intercept is the weighted mean.
        let none = DenseProblem(rows: Array(1 ... 6), x: { _ in [] }, y: { i in [Double(i)] }, w: { i in Double(i) })
        let fitNone = try none.fit()
        expectClose(fitNone.intercepts, [91.0 / 21], 1e-15, "weighted mean")
        #expect(fitNone.weights.isEmpty && fitNone.singularValues.isEmpty && fitNone.centeredRank == 0)
        #expect(fitNone.rank == 1 && fitNone.conditionNumber == 1)
        expectClose(fitNone.unscaledCovariance ?? [], [1.0 / 21], 1e-15, "1/Σw")

        // An all-zero column without intercept: weight 0, rank 1, infinite condition number.
        let zero = DenseProblem(rows: Array(1 ... 8), intercept: false, x: { i in [Double(i), 0] }, y: { i in [Double(2 * i + 1)] })
        let fitZero = try zero.fit()
        #expect(fitZero.weights[1] == 0)
        expectClose([fitZero.weights[0]], [2 + 36.0 / 204], 1e-14, "slope")  // Σ i(2i+1) / Σ i² = 444/204
        #expect(fitZero.rank == 1 && fitZero.conditionNumber == .infinity)
        #expect(fitZero.unscaledCovariance.map { $0.allSatisfy { $0.isFinite } } == true)
    }

    @Test("rcond: larger cut-offs drop directions; huge ridge shrinks to the mean; never NaN")
    func cutOffsAndPenalties() throws {
        let problem = ReferenceProblems.p2(weighted: false)
        #expect(try problem.fit().centeredRank == 3)
        // κ̃ ≈ 1e10: a cut-off of 1e-6 removes the near-collinear direction.
        let truncated = try problem.fit(rcond: 1e-6)
        #expect(truncated.centeredRank == 2 && truncated.rank == 3)
        #expect(truncated.weights.allSatisfy { $0.isFinite && abs($0) < 10 })
        // rcond ≥ 1 keeps nothing: all weights zero, intercept the mean.
        let nothing = try problem.fit(rcond: 1)
        #expect(nothing.rank == 0 && nothing.centeredRank == 0)
        #expect(nothing.weights == [0, 0, 0])
        let mean = (1 ... 40).map { Double(3 * $0 + ReferenceProblems.mod($0 * 13, 7)) + Double($0 % 3) / 2 }.reduce(0, +) / 40
        expectClose(nothing.intercepts, [mean], 1e-14, "mean")
        // Ridge: never fails for rank reasons, symmetric on duplicated columns.
        let duplicate = try ReferenceProblems.r1.fit(alpha: 1e-3)
        #expect(abs(duplicate.weights[0] - duplicate.weights[2]) <= 1e-12 * abs(duplicate.weights[0]))
        // A dominating penalty keeps full relative accuracy (exact Fraction
        // ridge solutions with alpha = 10³⁰⁰ and 10¹⁰⁰, same generator as P2).
        let huge = try problem.fit(alpha: 1e300)
        expectClose(huge.weights, [1.5921e-296, 1.5920999999569729e-296, -6.575e-299], 1e-12, "alpha = 1e300")
        expectClose(huge.intercepts, [mean], 1e-14, "mean")
        expectClose(try problem.fit(alpha: 1e100).weights, [1.5921e-96, 1.5920999999569729e-96, -6.575e-99], 1e-12,
                    "alpha = 1e100")
        let tiny = try ReferenceProblems.r1.fit(alpha: 1e-300)
        #expect(tiny.weights.allSatisfy { $0.isFinite } && tiny.intercepts.allSatisfy { $0.isFinite })
    }

    @Test("Bad options are refused with EngineError.argument")
    func errors() throws {
        let problem = ReferenceProblems.p3
        #expect(throws: EngineError.self) { try problem.fit(alpha: -1) }
        #expect(throws: EngineError.self) { try problem.fit(alpha: .infinity) }
        #expect(throws: EngineError.self) { try problem.fit(rcond: .nan) }
        var allZero = problem
        allZero.weights = Array(repeating: 0, count: problem.n)
        #expect(throws: EngineError.self) { try allZero.fit() }
        #expect(throws: EngineError.self) { try QRAccumulator(features: -1, outputs: 1, fitIntercept: true) }
        #expect(throws: EngineError.self) { try QRAccumulator(features: Int.max / 2, outputs: 1, fitIntercept: true) }
    }

    @Test("The normal-equations switch rule")
    func normalEquationsRule() {
        #expect(ExactSolver.normalEquationsSuffice(equilibratedConditionEstimate: 10))
        #expect(!ExactSolver.normalEquationsSuffice(equilibratedConditionEstimate: 1e4))
        #expect(ExactSolver.normalEquationsSuffice(equilibratedConditionEstimate: 1e4, relativeTolerance: 1e-3))
        #expect(!ExactSolver.normalEquationsSuffice(equilibratedConditionEstimate: .nan))
        #expect(!ExactSolver.normalEquationsSuffice(equilibratedConditionEstimate: .infinity))
    }
}
