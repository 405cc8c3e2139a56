import Testing
@testable import LinReg

/// The refined normal-equations path (ExactSolver+Refinement.swift): taken
/// for large, correlated or polynomial designs, and equal to the
/// double-double Householder reduction (`householderFit`, the reference) to
/// the accuracy docs/SOLVER.md states.
@Suite struct RefinedPathTests {
    /// n rows of a design whose columns are u, u², …, u^degree (u uniform on
    /// (0, 1)) beside `others` further columns that are either independent
    /// (rho = 0) or equicorrelated at `rho`; y = Xβ + 1.5·(o + 1) + noise.
    struct Design: DenseData {
        let n: Int, d: Int, k: Int
        var x: [Double] = [], y: [Double] = [], w: [Double]? = nil

        init(n: Int, degree: Int, others: Int, rho: Double = 0, k: Int = 1, noise: Double = 0.5,
             weighted: Bool = false, seed: UInt64 = 3, polynomialLast: Bool = false) {
            self.n = n
            self.d = degree + others
            self.k = k
            var rng = SplitMix64(seed: seed)
            func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 }
            func normal() -> Double {  // sum of 12 uniforms, mean 0, variance 1
                var s = -6.0
                for _ in 0 ..< 12 { s += uniform() }
                return s
            }
            let beta = (0 ..< (d * k)).map { Double(($0 * 7919) % 13) / 4 - 1.5 }
            for _ in 0 ..< n {
                let u = uniform()
                var row = [Double]()
                var power = 1.0
                for _ in 0 ..< degree { power *= u; row.append(power) }
                let common = normal()
                for _ in 0 ..< others { row.append(rho.squareRoot() * common + (1 - rho).squareRoot() * normal()) }
                if polynomialLast { row = Array(row[degree...] + row[..<degree]) }
                x += row
                for o in 0 ..< k {
                    var v = 1.5 * Double(o + 1)
                    for c in 0 ..< d { v += beta[o * d + c] * row[c] }
                    y.append(v + noise * normal())
                }
            }
            if weighted { w = (0 ..< n).map { i in i % 17 == 3 ? 0 : 0.25 + uniform() } }
        }
    }

    static func close(_ a: [Double], _ b: [Double], _ tolerance: Double, _ what: String) {
        #expect(a.count == b.count, "\(what): \(a.count) vs \(b.count) values")
        let scale = max(1e-300, b.map(abs).max() ?? 0)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= tolerance * scale, "\(what): worst difference \(worst) against scale \(scale)")
    }

    /// A refined fit against the Householder reduction's: coefficients (the
    /// intercept against its size before cancellation) within `coefficients`,
    /// RSS 1e-9, TSS 1e-10 (‖R̃β‖² + RSS from the factor: the Gram matrix's
    /// ε·‖S‖·‖β‖², measured 2e-11), ranks equal, the covariance within
    /// `covariance` and singular values 1e-8 of the largest.
    static func expectAgreement(_ fit: LeastSquaresFit, _ reference: LeastSquaresFit, d: Int, coefficients: Double,
                                covariance: Double, _ what: String) {
        close(fit.weights, reference.weights, coefficients, "\(what) weights")
        let scale = (0 ..< reference.intercepts.count).map { o in
            abs(reference.intercepts[o]) + (0 ..< d).reduce(0) { $0 + abs(reference.weights[o * d + $1]) }
        }.max() ?? 1
        let interceptError = zip(fit.intercepts, reference.intercepts).map { abs($0 - $1) }.max() ?? 0
        #expect(interceptError <= coefficients * scale, "\(what) intercepts: \(interceptError)")
        close(fit.residualSumOfSquares, reference.residualSumOfSquares, 1e-9, "\(what) RSS")
        close(fit.totalSumOfSquares, reference.totalSumOfSquares, 1e-10, "\(what) TSS")
        #expect(fit.rank == reference.rank && fit.centeredRank == reference.centeredRank)
        close(fit.unscaledCovariance ?? [], reference.unscaledCovariance ?? [], covariance, "\(what) covariance")
        close(fit.singularValues, reference.singularValues, 1e-8, "\(what) singular values")
    }

    /// Polynomial (κ ≈ 1e4 and 4e5) and strongly correlated designs, with and
    /// without weights, intercept, several outputs, float32 and float64 input:
    /// the refined path is taken and agrees with the Householder reduction.
    @Test(arguments: [
        (6, 4, 0.0, 1, false, true), (6, 4, 0.0, 2, true, true), (8, 2, 0.0, 1, false, true),
        (0, 12, 0.999, 1, true, true), (6, 4, 0.0, 1, false, false), (0, 12, 0.999, 2, false, false),
    ])
    func refinedPathMatchesTheHouseholderReduction(_ c: (Int, Int, Double, Int, Bool, Bool)) throws {
        let (degree, others, rho, k, weighted, intercept) = c
        let design = Design(n: 40_000, degree: degree, others: others, rho: rho, k: k, weighted: weighted)
        func check<E: TrainingScalar>(_ type: E.Type) throws {
            try design.withViews(as: type) { X, Y, w in
                let problem = LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, fitIntercept: intercept, threads: 2)
                let (fit, _, report) = try ExactSolver.fitReporting(problem)
                #expect(report.path == .refinedNormalEquations, "\(c) \(E.self): took \(report.path)")
                #expect(report.passes >= 2 && report.passes <= 1 + ExactSolver.refinementMaximumPasses)
                let reference = try ExactSolver.householderFit(problem)
                // Coefficients: the noise floor of residuals in double (64·κ̂·ε ≲ 6e-9 at
                // κ̂ = 4e5; measured 1e-11 to 3e-10), inside 1e-8. Covariance and
                // singular values read from the factor: beyond κ̂²·ε = 1e-9 it is rebuilt
                // from the whitened rows (about κ̂·ε), so statsmodels' 1e-8 holds.
                Self.expectAgreement(fit, reference, d: design.d, coefficients: 1e-8, covariance: 1e-8,
                                     "\(c) \(E.self)")
            }
        }
        try check(Float.self)
        try check(Double.self)
    }

    /// Polynomial terms (κ̂ ≈ 6e4 and 4e5, beyond the moments' factor's
    /// statistics limit) beside many independent columns, first or last,
    /// weighted or not, with and without intercept, float32 and float64:
    /// the preconditioning pass whitens only part of the columns (asserted:
    /// ``ExactSolver/whitenedColumns(transform:design:exponents:offset:)``
    /// on the moments' factor keeps fewer than d), and every standard error,
    /// each against its own size (the covariance's diagonal, relative: the
    /// independent columns' are 1e-4 of the polynomial terms'), still agrees
    /// with the Householder reduction to 1e-8, statsmodels' tolerance.
    @Test(arguments: [(7, 12, false, false, true), (7, 12, true, true, true), (8, 20, true, false, true),
                      (7, 24, false, true, false), (8, 12, true, false, false)])
    func partialWhiteningKeepsEveryStandardError(_ c: (Int, Int, Bool, Bool, Bool)) throws {
        let (degree, others, last, weighted, intercept) = c
        let design = Design(n: 200_000, degree: degree, others: others, weighted: weighted, polynomialLast: last)
        func check<E: TrainingScalar>(_ type: E.Type) throws {
            try design.withViews(as: type) { X, Y, w in
                let problem = LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, fitIntercept: intercept, threads: 2)
                let moments = try CrossProducts(X: X, Y: Y, sampleWeight: w, threads: 2)
                let plan = try #require(try ExactSolver.normalEquationsPlan(
                    moments, fitIntercept: intercept, logWeightSum: ExactSolver.logWeightSum(w), allowRefinement: true))
                let (transform, block) = try #require(ExactSolver.whiteningTransform(plan.accumulator, threads: 2))
                let kept = ExactSolver.whitenedColumns(
                    transform: transform, design: block, exponents: plan.accumulator.columnExponents.map { $0 ?? 0 },
                    offset: intercept ? 1 : 0)
                #expect(kept.columns.count < design.d && kept.error <= ExactSolver.factorStatisticsLimit / 4,
                        "\(c) \(E.self): whitened \(kept.columns) of \(design.d)")
                let (fit, _, report) = try ExactSolver.fitReporting(problem)
                #expect(report.path == .refinedNormalEquations && report.passes == 3, "\(c) \(E.self): \(report)")
                let reference = try ExactSolver.householderFit(problem)
                Self.expectAgreement(fit, reference, d: design.d, coefficients: 1e-8, covariance: 1e-8, "\(c) \(E.self)")
                let p = design.d + (intercept ? 1 : 0)
                let variances = (0 ..< p).map { (fit.unscaledCovariance ?? [])[$0 * p + $0] }
                let expected = (0 ..< p).map { (reference.unscaledCovariance ?? [])[$0 * p + $0] }
                let worst = zip(variances, expected).map { abs($0 / $1 - 1) }.max() ?? .infinity
                // Standard errors: half that.
                #expect(worst <= 2e-8, "\(c) \(E.self): variances off by \(worst) relative")
            }
        }
        try check(Float.self)
        try check(Double.self)
    }

    /// Nearly exact polynomial fits (u…u⁷ beside 12 noise columns, noise
    /// 1e-9 and 2e-10 against y of unit size, float64) after a partial
    /// whitening: its contraction estimate (up to 1.25e-8) makes the
    /// remaining coefficient error look too large for the tiny RSS after one
    /// pass, so one more compensated pass measures it (four passes) instead
    /// of the Householder reduction (which these fits took without it); the
    /// RSS within 1e-9 of the reduction's (measured 1e-16), coefficients and
    /// covariance 1e-8.
    @Test(arguments: [1e-9, 2e-10])
    func nearlyExactFitsAfterPartialWhiteningAreRefined(noise: Double) throws {
        let design = Design(n: 200_000, degree: 7, others: 12, noise: noise)
        try design.withViews(as: Double.self) { X, Y, w in
            let problem = LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, threads: 2)
            let (fit, _, report) = try ExactSolver.fitReporting(problem)
            #expect(report.path == .refinedNormalEquations && report.passes == 4, "noise \(noise): \(report)")
            let reference = try ExactSolver.householderFit(problem)
            Self.expectAgreement(fit, reference, d: design.d, coefficients: 1e-8, covariance: 1e-8, "noise \(noise)")
        }
    }

    /// The columns the preconditioning pass whitens: the ill-conditioned
    /// block of a block-diagonal Gram matrix (a Hilbert-like block beside
    /// the identity), wherever it sits; every column when the whole design is
    /// ill-conditioned (equicorrelated at 1 − 1e-9; but the first, whose
    /// column of T is e₀); the bound left in G within the limit.
    @Test func whitenedColumnsAreTheIllConditionedBlock() throws {
        func columns(_ gram: [Double], _ d: Int) throws -> (columns: [Int], error: Double) {
            // Its double-double Cholesky factor R̃ (exponents 0) and T = R̃⁻¹.
            var r = DoubleDoubleMatrix(rows: d, columns: d)
            for b in 0 ..< d {
                for a in 0 ... b {
                    var sum = DoubleDouble(gram[a * d + b])
                    for i in 0 ..< a { sum -= r[i, a] * r[i, b] }
                    r[a, b] = a == b ? sum.squareRoot() : sum / r[a, a]
                }
            }
            let inverse = try #require(TriangularSolve.inverse(r, size: d, threads: 1))
            var transform = [Double](repeating: 0, count: d * d)
            for a in 0 ..< d { for l in a ..< d { transform[a * d + l] = inverse[a, l].value } }
            return ExactSolver.whitenedColumns(transform: transform, design: r,
                                               exponents: [Int](repeating: 0, count: d), offset: 0)
        }
        // Moments of u, …, u⁷ for u uniform on (0, 1), centred: 1/(p+q+1) − 1/((p+1)(q+1)).
        let degree = 7, d = 20
        for start in [0, 6, 13] {
            var gram = [Double](repeating: 0, count: d * d)
            for c in 0 ..< d { gram[c * d + c] = 1 }
            for i in 0 ..< degree {
                for j in 0 ..< degree {
                    let (a, b) = (start + i, start + j), (p, q) = (Double(i + 1), Double(j + 1))
                    gram[a * d + b] = 1 / (p + q + 1) - 1 / ((p + 1) * (q + 1))
                }
            }
            let chosen = try columns(gram, d)
            #expect(!chosen.columns.isEmpty && chosen.columns.allSatisfy { (start ..< start + degree).contains($0) },
                    "block at \(start): \(chosen.columns)")
            #expect(chosen.error <= ExactSolver.factorStatisticsLimit / 4 && chosen.error > 0)
        }
        var equicorrelated = [Double](repeating: 1 - 1e-9, count: 8 * 8)
        for c in 0 ..< 8 { equicorrelated[c * 8 + c] = 1 }
        // T's first column is e₀ (tₐ = 1): every other column is ill-conditioned.
        let all = try columns(equicorrelated, 8)
        #expect(Set(1 ..< 8).isSubset(of: all.columns) && all.error <= ExactSolver.factorStatisticsLimit / 4, "\(all)")
    }

    /// Wide refined fits (at least ``ExactSolver/refinedDoubleFactorColumns``)
    /// start from the condition estimate's double Cholesky factor when its
    /// rounding keeps the statistics within the limit (equicorrelated at
    /// 0.99: κ̂ ≈ 300), with the contraction (64 + d)·κ̂²·ε; else (at
    /// 0.9999: κ̂ ≈ 1e4) from the double-double factor, with 64·κ̂²·ε.
    /// Checked against the co-moments themselves: R̃ᵀR̃ = S entry by entry
    /// (on the scale √(S_aa·S_bb)) to the double factorisation's (d + 1)·ε,
    /// or to double-double rounding; and the coefficient column c solves
    /// R̃ᵀc = S_XY.
    /// With and without an intercept (raw co-moments then), one and two
    /// outputs; the plan is the same on one and two threads.
    @Test(arguments: [(0.99, true, true, 1), (0.9999, false, true, 1), (0.99, true, false, 2)])
    func wideRefinedFitsStartFromTheDoubleFactorWhenItSuffices(rho: Double, fromDouble: Bool, intercept: Bool,
                                                               k: Int) throws {
        let d = ExactSolver.refinedDoubleFactorColumns + 8
        let design = Design(n: 2000, degree: 0, others: d, rho: rho, k: k, seed: 11)
        try design.withViews(as: Double.self) { X, Y, w in
            let moments = try CrossProducts(X: X, Y: Y, sampleWeight: w, threads: 2)
            let plan = try #require(try ExactSolver.normalEquationsPlan(moments, fitIntercept: intercept,
                                                                        logWeightSum: .zero, allowRefinement: true,
                                                                        threads: 2))
            let single = try #require(try ExactSolver.normalEquationsPlan(moments, fitIntercept: intercept,
                                                                          logWeightSum: .zero, allowRefinement: true,
                                                                          threads: 1))
            #expect(single.accumulator == plan.accumulator && single.contraction == plan.contraction)
            // The design's co-moments: centred, or raw (S + N·mean·meanᵀ) without an intercept.
            let n = moments.weightSum
            func exactComoment(_ a: Int, _ b: Int) -> DoubleDouble {
                let (i, j) = (min(a, b), max(a, b))
                if intercept { return DoubleDouble(moments.comoment(i, j)) }
                return DoubleDouble(moments.comoment(i, j)) + (moments.exactMean(i) * n) * moments.exactMean(j)
            }
            func comoment(_ a: Int, _ b: Int) -> Double { exactComoment(a, b).value }
            var gram = [Double](repeating: 0, count: d * d)
            for a in 0 ..< d { for b in 0 ..< d { gram[a * d + b] = comoment(a, b) } }
            let kappa = ExactSolver.equilibratedConditionEstimate(gram: gram, size: d)
            let rho64 = 64 * kappa * kappa * Double.ulpOfOne
            let contraction = try #require(plan.contraction)
            #expect(contraction == (fromDouble ? rho64 * (1 + Double(d) / 64) : rho64), "κ̂ \(kappa)")
            #expect(!ExactSolver.refinementNeedsPreconditioning(contraction: contraction))
            #expect(plan.needsResiduals)

            let r = plan.accumulator.r, o = intercept ? 1 : 0
            let e = plan.accumulator.columnExponents.map { $0 ?? 0 }
            func scaled(_ a: Int, _ b: Int) -> Double {
                PowerOfTwo.scale(comoment(a, b), by: -(e[a + o] + e[b + o]))
            }
            var worst = 0.0
            for a in 0 ..< d {
                for b in stride(from: a, to: d, by: 7) {
                    var sum = DoubleDouble.zero
                    for t in o ... (a + o) { sum += r[t, a + o] * r[t, b + o] }
                    let size = (scaled(a, a) * scaled(b, b)).squareRoot()
                    worst = max(worst, abs((sum - DoubleDouble(scaled(a, b))).value) / size)
                }
            }
            if fromDouble {
                #expect(worst <= Double(d + 1) * Double.ulpOfOne && worst > 1e-20, "worst \(worst)")
            } else {
                #expect(worst <= 1e-20, "worst \(worst)")
            }
            for output in 0 ..< k {
                for b in 0 ..< d {
                    var sum = DoubleDouble.zero, size = 0.0
                    for t in o ... (b + o) {
                        sum += r[t, b + o] * r[t, d + o + output]
                        size += abs(r[t, b + o].hi * r[t, d + o + output].hi)
                    }
                    let target = exactComoment(b, d + output).scaled(byPowerOfTwo: -(e[b + o] + e[d + o + output]))
                    #expect(abs((sum - target).value) <= 1e-25 * size,
                            "output \(output) column \(b)")
                }
            }
        }
    }

    /// Nearly exact fits (R² up to 1 − 1e-19) of well-conditioned and
    /// correlated designs, which the residual pass alone cannot take (κ̂ of
    /// [X, Y] beyond 7,000): refined, the passes with correctly rounded
    /// residuals (ResidualKernel+Compensated.swift), two passes in all (three
    /// when the moments did not predict the near-exactness), and equal to the
    /// Householder reduction: the RSS to 1e-9 (residuals in double would
    /// leave it 1e-6 off at noise 1e-9), coefficients and covariance 1e-8.
    /// float32 input: y's own rounding (about 1e-7 relative) is the noise.
    @Test(arguments: [
        (0, 6, 0.0, 1e-6, 1, false, true), (0, 6, 0.0, 1e-9, 2, true, true), (0, 12, 0.9, 1e-7, 1, true, true),
        (0, 8, 0.0, 1e-8, 3, false, true), (3, 5, 0.0, 1e-6, 1, false, true), (0, 33, 0.5, 1e-8, 1, true, true),
    ])
    func nearlyExactFitsAreRefinedWithCorrectlyRoundedResiduals(_ c: (Int, Int, Double, Double, Int, Bool, Bool)) throws {
        let (degree, others, rho, noise, k, weighted, intercept) = c
        let design = Design(n: 40_000, degree: degree, others: others, rho: rho, k: k, noise: noise, weighted: weighted)
        func check<E: TrainingScalar>(_ type: E.Type) throws {
            try design.withViews(as: type) { X, Y, w in
                let problem = LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, fitIntercept: intercept, threads: 2)
                let (fit, _, report) = try ExactSolver.fitReporting(problem)
                #expect(report.path == .refinedNormalEquations, "\(c) \(E.self): took \(report.path)")
                #expect(report.passes >= 2 && report.passes <= 3, "\(c) \(E.self): \(report)")
                let reference = try ExactSolver.householderFit(problem)
                Self.expectAgreement(fit, reference, d: design.d, coefficients: 1e-8, covariance: 1e-8,
                                     "\(c) \(E.self)")
                let one = try ExactSolver.fitReporting(LeastSquaresProblem(
                    X: X, Y: Y, sampleWeight: w, fitIntercept: intercept, threads: 1))
                #expect(one.fit == fit && one.report == report, "\(c) \(E.self): threads change the bits")
            }
        }
        try check(Float.self)
        try check(Double.self)
    }

    /// Designs beyond refinement from the moments' factor alone (u…u¹⁰ and
    /// u…u¹¹: κ̂_X ≈ 1e7 to 1e8, so ρ = 64·κ̂²·ε > 1e-2) take the
    /// preconditioning pass (ExactSolver+Preconditioning.swift): the refined
    /// path with at least four passes, against the Householder reduction to
    /// the accuracy of residuals in double (the noise floor 64·κ̂·ε ≤ 1.4e-6
    /// at κ̂ = 1e8 bounds it; measured ≤ 6e-9 on 2,000,000 rows, asserted
    /// 1e-7). The factor is then as accurate as a backward-stable QR's, so the
    /// covariance and singular values carry about κ·ε (asserted 1e-6).
    @Test(arguments: [(10, 4, 1, false, true), (11, 3, 1, true, true), (10, 4, 2, true, true), (9, 4, 1, false, false)])
    func preconditionedPathMatchesTheHouseholderReduction(_ c: (Int, Int, Int, Bool, Bool)) throws {
        let (degree, others, k, weighted, intercept) = c
        // Enough rows that the RSS check passes (fewer send these degrees' noise-fitting
        // coefficients, and so the residuals' rounding, past it: the Householder reduction).
        // Without an intercept the raw columns' norms enter that check too: more noise.
        let design = Design(n: 200_000, degree: degree, others: others, k: k, noise: intercept ? 0.5 : 5,
                            weighted: weighted)
        try design.withViews(as: Double.self) { X, Y, w in
            let problem = LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, fitIntercept: intercept, threads: 2)
            let (fit, _, report) = try ExactSolver.fitReporting(problem)
            #expect(report.path == .refinedNormalEquations, "\(c): took \(report.path)")
            #expect(report.passes >= 4 && report.passes <= 2 + ExactSolver.refinementMaximumPasses, "\(c): \(report)")
            let reference = try ExactSolver.householderFit(problem)
            Self.expectAgreement(fit, reference, d: design.d, coefficients: 1e-7, covariance: 1e-6, "\(c)")
        }
        // Every thread count and instruction set: the same bits.
        try design.withViews(as: Float.self) { X, Y, w in
            let one = try ExactSolver.fitReporting(LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, threads: 1))
            let two = try ExactSolver.fitReporting(LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, threads: 3))
            #expect(one.fit == two.fit && one.accumulator == two.accumulator && one.report == two.report)
        }
    }

    @Test func sameBitsForEveryThreadCount() throws {
        let design = Design(n: 70_000, degree: 6, others: 3, k: 2, weighted: true)
        try design.withViews(as: Float.self) { X, Y, w in
            let one = try ExactSolver.fitReporting(LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, threads: 1))
            #expect(one.report.path == .refinedNormalEquations)
            for threads in [2, 3, 0] {
                let other = try ExactSolver.fitReporting(LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, threads: threads))
                #expect(other.fit == one.fit && other.accumulator == one.accumulator && other.report == one.report)
            }
        }
    }

    /// Small data keep the Householder reduction bit for bit; so do nearly
    /// exact polynomial fits whose RSS the residuals in double could not keep,
    /// and streamed chunks (partial fits never refine).
    @Test func whereTheRefinedPathIsNotTaken() throws {
        let small = Design(n: ExactSolver.refinementMinimumRows - 1, degree: 6, others: 2)
        try small.withViews(as: Double.self) { X, Y, w in
            let problem = LeastSquaresProblem(X: X, Y: Y, sampleWeight: w)
            let (fit, _, report) = try ExactSolver.fitReporting(problem)
            #expect(report.path == .householder)
            #expect(fit == (try ExactSolver.householderFit(problem)))
        }
        let exact = Design(n: 40_000, degree: 6, others: 2, noise: 1e-10)
        try exact.withViews(as: Double.self) { X, Y, w in
            let problem = LeastSquaresProblem(X: X, Y: Y, sampleWeight: w)
            let (fit, _, report) = try ExactSolver.fitReporting(problem)
            #expect(report.path == .householder, "a nearly exact polynomial fit took \(report.path)")
            #expect(fit == (try ExactSolver.householderFit(problem)))
        }
        // An exact fit in float64 (its residuals are y's rounding, ~1e-16 of
        // y): even correctly rounded residuals cannot tell the RSS from the
        // coefficients' own rounding; the double-double reduction can.
        let exactLinear = Design(n: 40_000, degree: 0, others: 6, noise: 0)
        try exactLinear.withViews(as: Double.self) { X, Y, w in
            let problem = LeastSquaresProblem(X: X, Y: Y, sampleWeight: w)
            let (fit, _, report) = try ExactSolver.fitReporting(problem)
            #expect(report.path == .householder, "an exact linear fit took \(report.path)")
            #expect(fit == (try ExactSolver.householderFit(problem)))
        }
        let chunk = Design(n: 40_000, degree: 6, others: 2)
        try chunk.withViews(as: Double.self) { X, Y, w in
            var rows = try QRAccumulator(features: chunk.d, outputs: 1, fitIntercept: true)
            let report = try ExactSolver.accumulate(X: X, Y: Y, sampleWeight: w, into: &rows)
            #expect(report.path == .householder)
        }
    }

    /// Well-conditioned data still take one pass; nearly exact ones two.
    @Test func wellConditionedDataKeepTheirPaths() throws {
        let independent = Design(n: 40_000, degree: 0, others: 6)
        try independent.withViews(as: Double.self) { X, Y, w in
            let report = try ExactSolver.fitReporting(LeastSquaresProblem(X: X, Y: Y, sampleWeight: w)).report
            #expect(report == ExactSolverReport(path: .normalEquations, passes: 1))
        }
    }
}

