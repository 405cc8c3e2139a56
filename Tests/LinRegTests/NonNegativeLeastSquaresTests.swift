import Testing
@testable import LinReg

/// The NNLS solver (`SolverKind.nnls`): against brute-force enumeration of
/// supports (RidgeCVNNLSSupport, independent normal-equation solves), the
/// KKT conditions, and equality of fit, partial fit and merge.
///
/// Tolerances: 1e-9 relative to the largest coefficient against the
/// brute-force reference (normal equations in double lose about cond²·1e-16
/// ≈ 1e-12 on these problems); KKT dual 1e-9 relative to ‖xⱼ‖·‖r‖.
@Suite struct NonNegativeLeastSquaresTests {
    typealias S = StreamingSupport
    typealias R = RidgeCVNNLSSupport

    func fitted(_ problem: S.Problem, fitIntercept: Bool = true) throws -> LinearModel {
        try S.fitted(S.model(problem, solver: .nnls, fitIntercept: fitIntercept), problem, 0 ..< problem.n)
    }

    /// Output `o`'s column of Y.
    func column(_ problem: S.Problem, _ o: Int) -> [Double] {
        (0 ..< problem.n).map { problem.y[$0 * problem.k + o] }
    }

    /// A problem with moderately scaled, correlated features whose model has
    /// negative coefficients (so constraints are active), k outputs.
    func constrainedProblem(weighted: Bool, seed: UInt64) -> S.Problem {
        var problem = S.Problem(n: 300, d: 5, k: 2, weighted: weighted, seed: seed)
        var rng = SplitMix64(seed: seed &+ 100)
        func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 * 2 - 1 }
        let scales: [Double] = [1, 10, 0.1, 3, 1]
        let truth: [[Double]] = [[1.5, -0.2, 4, -0.5, 0.3], [-1, 0.1, -2, 0.7, 0.2]]
        for i in 0 ..< problem.n {
            let common = uniform()
            for c in 0 ..< problem.d { problem.x[i * problem.d + c] = scales[c] * (uniform() + 0.5 * common) }
            for o in 0 ..< problem.k {
                var value = 3.0 + 0.2 * uniform()
                for c in 0 ..< problem.d { value += truth[o][c] * problem.x[i * problem.d + c] }
                problem.y[i * problem.k + o] = value
            }
        }
        return problem
    }

    @Test(arguments: [(false, true), (true, true), (false, false), (true, false)])
    func equalsBruteForceAndSatisfiesKKT(weighted: Bool, fitIntercept: Bool) throws {
        let problem = constrainedProblem(weighted: weighted, seed: 21)
        let model = try fitted(problem, fitIntercept: fitIntercept)
        var clamped = 0
        for o in 0 ..< problem.k {
            let y = column(problem, o)
            let (b, beta) = R.bruteForceNNLS(x: problem.x, y: y, w: problem.w, n: problem.n, d: problem.d,
                                             intercept: fitIntercept)
            let got = Array(model.weights[(o * problem.d) ..< ((o + 1) * problem.d)])
            let scale = max(1, beta.map(abs).max() ?? 0)
            for c in 0 ..< problem.d {
                #expect(got[c] >= 0)
                if beta[c] == 0 {
                    #expect(got[c] == 0, "output \(o) feature \(c): an active constraint is an exact zero, got \(got[c])")
                    clamped += 1
                } else {
                    #expect(abs(got[c] - beta[c]) <= 1e-9 * scale, "output \(o) feature \(c): \(got[c]) vs \(beta[c])")
                }
            }
            #expect(abs(model.intercepts[o] - b) <= 1e-9 * max(scale, abs(b)))
            // KKT: gⱼ = xⱼᵀ W r ≤ 0 at zero coefficients, = 0 at positive ones.
            var r = [Double](repeating: 0, count: problem.n)
            var rNorm = 0.0
            for i in 0 ..< problem.n {
                var value = y[i] - model.intercepts[o]
                for c in 0 ..< problem.d { value -= problem.x[i * problem.d + c] * got[c] }
                r[i] = (problem.w?[i] ?? 1) * value
                rNorm += (problem.w?[i] ?? 1) * value * value
            }
            rNorm = rNorm.squareRoot()
            for c in 0 ..< problem.d {
                var g = 0.0, norm = 0.0
                for i in 0 ..< problem.n {
                    let xv = problem.x[i * problem.d + c]
                    g += xv * r[i]
                    norm += (problem.w?[i] ?? 1) * xv * xv
                }
                let bound = 1e-9 * norm.squareRoot() * rNorm
                if got[c] > 0 { #expect(abs(g) <= bound) } else { #expect(g <= bound) }
            }
        }
        #expect(clamped >= 2, "the problem must exercise the constraints")
        #expect(model.statistics == nil)
        #expect(throws: EngineError.self) { try model.statistic(.r2) }
    }

    @Test func orthogonalDesignClampsEachCoefficient() throws {
        // Centred ±1 columns that are orthogonal: NNLS = max(0, OLS) column by column, exactly.
        let n = 8, d = 3
        let signs: [[Double]] = [[1, 1, 1], [1, 1, -1], [1, -1, 1], [1, -1, -1], [-1, 1, 1], [-1, 1, -1], [-1, -1, 1], [-1, -1, -1]]
        let x = signs.flatMap { $0 }
        let truth: [Double] = [2, -3, 0.5]
        let y = signs.map { row in 4 + zip(row, truth).map { $0 * $1 }.reduce(0, +) }
        var model = try LinearModel(featureCount: d, outputCount: 1)
        model.hyperparameters.solver = .nnls
        try x.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { yp in
                try model.fit(X: MatrixView(base: xp.baseAddress!, rows: n, columns: d),
                              Y: MatrixView(base: yp.baseAddress!, rows: n, columns: 1))
            }
        }
        #expect(model.weights == [2, 0, 0.5])
        #expect(model.intercepts == [4])
    }

    @Test func partialFitAndMergeEqualOneFit() throws {
        let problem = constrainedProblem(weighted: true, seed: 5)
        let whole = try fitted(problem)
        let base = try S.model(problem, solver: .nnls)
        let streamed = try S.streamed(base, problem, S.chunks([40, 110, 150]))
        S.expectClose(streamed.weights, whole.weights, relative: 1e-10, "streamed weights")
        S.expectClose(streamed.intercepts, whole.intercepts, relative: 1e-10, "streamed intercepts")
        var left = try S.fitted(base, problem, 0 ..< 170)
        let right = try S.fitted(S.model(problem), problem, 170 ..< 300)  // exact: into's solver decides
        try left.merge(right)
        S.expectClose(left.weights, whole.weights, relative: 1e-10, "merged weights")
        #expect(left.weights.allSatisfy { $0 >= 0 })
    }

    /// alpha > 0: non-negative ridge (scikit-learn Ridge(positive=True)'s
    /// objective) against enumeration of the supports with the ridge
    /// solution on each (independent normal equations).
    @Test(arguments: [(0.5, true, true), (50.0, false, true), (5.0, true, false)])
    func alphaGivesNonNegativeRidge(alpha: Double, weighted: Bool, fitIntercept: Bool) throws {
        let problem = constrainedProblem(weighted: weighted, seed: 8)
        let model = try S.fitted(S.model(problem, solver: .nnls, fitIntercept: fitIntercept, alpha: alpha), problem,
                                 0 ..< problem.n)
        var clamped = 0
        for o in 0 ..< problem.k {
            let (b, beta) = R.bruteForceNNLS(x: problem.x, y: column(problem, o), w: problem.w, n: problem.n,
                                             d: problem.d, intercept: fitIntercept, alpha: alpha)
            let got = Array(model.weights[(o * problem.d) ..< ((o + 1) * problem.d)])
            let scale = max(1, beta.map(abs).max() ?? 0)
            for c in 0 ..< problem.d {
                #expect(got[c] >= 0)
                if beta[c] == 0 { clamped += 1; #expect(got[c] == 0, "feature \(c): \(got[c])") }
                else { #expect(abs(got[c] - beta[c]) <= 1e-9 * scale, "feature \(c): \(got[c]) vs \(beta[c])") }
            }
            #expect(abs(model.intercepts[o] - b) <= 1e-9 * max(scale, abs(b)))
        }
        #expect(clamped >= 1, "the problem must exercise the constraints")
    }

    @Test func solverParameter() throws {
        var parameters = Hyperparameters()
        #expect(throws: EngineError.self) { try parameters.set(.solver, to: 99) }
        try parameters.set(.solver, to: 5)
        #expect(parameters.solver == .nnls)
    }
}
