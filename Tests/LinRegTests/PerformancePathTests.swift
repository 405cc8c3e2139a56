import Testing
@testable import LinReg
#if canImport(Glibc)
import Glibc
#endif

/// The fast paths: the exact solver's normal-equations path and its rule,
/// non-finite detection fused into the fits' own pass, the run-time
/// dispatched kernels (same bits on every instruction set and thread count),
/// and the prediction kernel.
@Suite struct PerformancePathTests {
    /// A well-conditioned problem: n rows, d features with different means and
    /// scales, k outputs with noise (R² ≈ 0.9), optional weights (some zero).
    struct Problem: DenseData {
        let n: Int, d: Int, k: Int
        var x: [Double] = [], y: [Double] = [], w: [Double]? = nil

        init(n: Int, d: Int, k: Int, weighted: Bool = false, seed: UInt64 = 7, noise: Double = 1) {
            self.n = n
            self.d = d
            self.k = k
            var rng = SplitMix64(seed: seed)
            func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 * 2 - 1 }
            for _ in 0 ..< n {
                let row = (0 ..< d).map { c in Double(c % 5) - 2 + [0.5, 3, 0.02, 40, 1][c % 5] * uniform() }
                x += row
                for o in 0 ..< k {
                    var v = 1.5 * Double(o + 1)
                    for c in 0 ..< d { v += Double((c + o) % 7 - 3) * 0.25 * row[c] / [0.5, 3, 0.02, 40, 1][c % 5] }
                    y.append(v + noise * uniform())
                }
            }
            if weighted { w = (0 ..< n).map { i in i % 13 == 5 ? 0 : 0.5 + uniform() * 0.4 } }
        }
    }

    static func close(_ a: [Double], _ b: [Double], _ tolerance: Double, scale: Double? = nil, _ what: String) {
        #expect(a.count == b.count, "\(what): \(a.count) vs \(b.count) values")
        let s = scale ?? max(1e-300, b.map(abs).max() ?? 0)
        for (u, v) in zip(a, b) {
            #expect(abs(u - v) <= tolerance * s, "\(what): \(u) vs \(v) (scale \(s))")
        }
    }

    /// Every field of two fits agrees to `tolerance` (relative to each field's size).
    static func expectSameFit(_ a: LeastSquaresFit, _ b: LeastSquaresFit, _ tolerance: Double, _ what: String) {
        close(a.weights, b.weights, tolerance, "\(what) weights")
        close(a.intercepts, b.intercepts, tolerance, "\(what) intercepts")
        close(a.residualSumOfSquares, b.residualSumOfSquares, tolerance, "\(what) RSS")
        close(a.totalSumOfSquares, b.totalSumOfSquares, tolerance, "\(what) TSS")
        close(a.singularValues, b.singularValues, tolerance, "\(what) singular values")
        close([a.conditionNumber], [b.conditionNumber], tolerance, "\(what) condition number")
        close(a.unscaledCovariance ?? [], b.unscaledCovariance ?? [], tolerance, "\(what) covariance")
        #expect(a.rank == b.rank && a.centeredRank == b.centeredRank, "\(what) ranks")
        #expect(a.observationCount == b.observationCount, "\(what) n")
        #expect(abs(a.sumLogWeights - b.sumLogWeights) <= 1e-12 * max(1, abs(b.sumLogWeights)), "\(what) Σ log w")
    }

    // MARK: The normal-equations rule

    @Test(arguments: [(false, true, 1), (true, true, 2), (false, false, 1), (true, false, 3)])
    func wellConditionedTakesTheFastPathAndEqualsQR(weighted: Bool, intercept: Bool, k: Int) throws {
        let problem = Problem(n: 3000, d: 6, k: k, weighted: weighted)
        try problem.withViews(as: Double.self) { X, Y, w in
            let factor = try ExactSolver.normalEquationsRows(X: X, Y: Y, sampleWeight: w, fitIntercept: intercept,
                                                             threads: 1, valuesChecked: true)
            #expect(factor != nil, "well-conditioned data should take the normal-equations path")
            for alpha in [0.0, 2.5] {
                let lsp = LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, fitIntercept: intercept, alpha: alpha)
                let fast = try ExactSolver.fit(lsp)
                let qr = try ExactSolver.householderFit(lsp)
                Self.expectSameFit(fast, qr, 1e-12, "alpha \(alpha)")
            }
        }
    }

    @Test func floatDataTakesTheFastPathAndEqualsQR() throws {
        let problem = Problem(n: 70_000, d: 9, k: 1)  // several chunks
        try problem.withViews(as: Float.self) { X, Y, w in
            #expect(try ExactSolver.normalEquationsRows(X: X, Y: Y, sampleWeight: w, fitIntercept: true,
                                                        threads: 2, valuesChecked: true) != nil)
            let lsp = LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, threads: 2)
            Self.expectSameFit(try ExactSolver.fit(lsp), try ExactSolver.householderFit(lsp), 1e-12, "float")
        }
    }

    /// A nearly exact fit (R² ≈ 1 − 1e-6: too ill-conditioned with y in the
    /// design for one pass, fine for X) takes the two-pass variant: factor
    /// from the moments, residual block from the residuals themselves.
    @Test(arguments: [(false, 1), (true, 2), (false, 3)])
    func nearlyExactFitsTakeTheResidualPass(weighted: Bool, k: Int) throws {
        var problem = Problem(n: 5000, d: 5, k: k, weighted: weighted, noise: 1e-3)
        if k == 3 {
            // A third output equal to twice the first: [X, Y] is singular, so
            // the rule cannot bound it and the QR path decides.
            for i in 0 ..< problem.n { problem.y[i * 3 + 2] = 2 * problem.y[i * 3] }
        }
        try problem.withViews(as: Double.self) { X, Y, w in
            let moments = try CrossProducts(X: X, Y: Y, sampleWeight: w)
            let plan = try ExactSolver.normalEquationsFactor(moments, fitIntercept: true, logWeightSum: .zero)
            #expect(k == 3 ? plan == nil : plan?.needsResiduals == true)
            #expect(try ExactSolver.normalEquationsRows(X: X, Y: Y, sampleWeight: w, fitIntercept: true, threads: 2,
                                                        valuesChecked: true) != nil || k == 3)
            let lsp = LeastSquaresProblem(X: X, Y: Y, sampleWeight: w)
            let fast = try ExactSolver.fit(lsp), qr = try ExactSolver.householderFit(lsp)
            Self.close(fast.weights, qr.weights, 1e-12, "weights")
            Self.close(fast.intercepts, qr.intercepts, 1e-12, "intercepts")
            Self.close(fast.totalSumOfSquares, qr.totalSumOfSquares, 1e-12, "TSS")
            Self.close(fast.singularValues, qr.singularValues, 1e-12, "singular values")
            Self.close(fast.unscaledCovariance ?? [], qr.unscaledCovariance ?? [], 1e-12, "covariance")
            for (a, b) in zip(fast.residualSumOfSquares, qr.residualSumOfSquares) {
                #expect(abs(a - b) <= 1e-9 * b, "RSS \(a) vs \(b)")
            }
        }
    }

    /// The rule's estimate bounds the true equilibrated condition number from above.
    @Test func estimateIsAnUpperBound() {
        // Equicorrelated columns: C = (1 − ρ)I + ρ11ᵀ, κ₂(C) = (1 + (p − 1)ρ)/(1 − ρ).
        for (p, rho) in [(3, 0.5), (10, 0.9), (40, 0.3), (5, -0.2)] {
            var gram = [Double](repeating: rho, count: p * p)
            for i in 0 ..< p { gram[i * p + i] = 1 }
            // Unequal scales must not matter.
            for i in 0 ..< p {
                for j in 0 ..< p { gram[i * p + j] *= Double(i + 1) * Double(j + 1) * 1e3 }
            }
            let (a, b) = (1 + Double(p - 1) * rho, 1 - rho)  // the two eigenvalues
            let kappaC = max(a, b) / min(a, b)
            let estimate = ExactSolver.equilibratedConditionEstimate(gram: gram, size: p)
            #expect(estimate * estimate >= kappaC * (1 - 1e-12), "p \(p) ρ \(rho): \(estimate)² < \(kappaC)")
            #expect(estimate * estimate <= 2.5 * kappaC, "p \(p) ρ \(rho): \(estimate)² ≫ \(kappaC)")
        }
        #expect(ExactSolver.equilibratedConditionEstimate(gram: [1, 1, 1, 1], size: 2) == .infinity)
        #expect(!ExactSolver.normalEquationsSuffice(equilibratedConditionEstimate: 85))
        #expect(ExactSolver.normalEquationsSuffice(equilibratedConditionEstimate: 83))
    }

    /// Data the rule must send to the QR path; the fit still matches QR exactly.
    @Test(arguments: ["collinear", "nearly exact fit", "constant column", "huge values", "tiny values", "ill-conditioned"])
    func illConditionedGoesToQR(_ kind: String) throws {
        var problem = Problem(n: 500, d: 4, k: 1)
        switch kind {
        case "collinear":
            for i in 0 ..< problem.n { problem.x[i * 4 + 3] = 2 * problem.x[i * 4 + 1] - problem.x[i * 4] }
        case "nearly exact fit":
            problem = Problem(n: 500, d: 4, k: 1, noise: 1e-5)
        case "constant column":
            for i in 0 ..< problem.n { problem.x[i * 4 + 2] = 7 }
        case "huge values":
            problem.x = problem.x.map { $0 * 1e200 }
        case "tiny values":
            problem.x = problem.x.map { $0 * 1e-300 }
        default:
            // x₃ ≈ x₀ + x₁ up to 1e-4: κ̃ ≈ 1e4.
            for i in 0 ..< problem.n {
                problem.x[i * 4 + 3] = problem.x[i * 4] + problem.x[i * 4 + 1] + 1e-4 * Double((i * 37) % 11 - 5)
            }
        }
        try problem.withViews(as: Double.self) { X, Y, w in
            let factor = try ExactSolver.normalEquationsRows(X: X, Y: Y, sampleWeight: w, fitIntercept: true,
                                                             threads: 1, valuesChecked: true)
            #expect(factor == nil, "\(kind) must take the QR path")
            let lsp = LeastSquaresProblem(X: X, Y: Y, sampleWeight: w)
            let fit = try ExactSolver.fit(lsp)
            #expect(fit == (try ExactSolver.householderFit(lsp)))
            #expect(fit.weights.allSatisfy(\.isFinite) && fit.intercepts.allSatisfy(\.isFinite))
        }
    }

    /// NIST StRD: every ill-conditioned file is sent to the QR path, so the
    /// certified-values suite exercises it. Only the one-predictor files pass
    /// the rule: NoInt1 and NoInt2 (no intercept, κ̂ = 79.4 and 24.5 with y in
    /// the design: one pass) and Norris (R² = 0.99999: the residual pass); they
    /// keep 13–15 digits (ExactSolverNISTTests).
    @Test(arguments: nistModels)
    func nistGoesToQR(_ model: NISTModel) throws {
        let data = try #require(NISTDataset.load(model.name))
        var x: [Double] = [], y: [Double] = []
        var d = 0
        for row in data.data {
            y.append(row[0])
            if let degree = model.degree {
                d = degree
                for j in 1 ... degree { x.append(pow(row[1], Double(j))) }
            } else {
                d = row.count - 1
                x.append(contentsOf: row[1...])
            }
        }
        let n = data.data.count
        let factor = try x.withUnsafeBufferPointer { xb in
            try y.withUnsafeBufferPointer { yb in
                try ExactSolver.normalEquationsRows(X: MatrixView(base: xb.baseAddress!, rows: n, columns: d),
                                                    Y: MatrixView(base: yb.baseAddress!, rows: n, columns: 1),
                                                    sampleWeight: nil, fitIntercept: model.intercept, threads: 1,
                                                    valuesChecked: true)
            }
        }
        let wellConditioned = ["NoInt1", "NoInt2", "Norris"].contains(model.name)
        #expect((factor != nil) == wellConditioned,
                "\(model.name) should take the \(wellConditioned ? "normal-equations" : "QR") path")
    }

    /// Streaming through the fast path (chunk factors merged) equals one fit.
    @Test func partialFitsThroughTheFastPathEqualOneFit() throws {
        let problem = Problem(n: 4000, d: 5, k: 2, weighted: true)
        var streamed = try LinearModel(featureCount: 5, outputCount: 2)
        var whole = streamed
        try problem.withViews(as: Double.self) { X, Y, w in
            try whole.fit(X: X, Y: Y, sampleWeight: w)
            for range in [0 ..< 1000, 1000 ..< 2500, 2500 ..< 4000] {
                try streamed.partialFit(X: X.rows(range), Y: Y.rows(range), sampleWeight: w?.slice(range))
            }
        }
        Self.expectSameFit(try #require(streamed.exactFit), try #require(whole.exactFit), 1e-12, "streamed")
    }

    /// Singular values of well-conditioned triangular factors come from the
    /// eigenvalues of RᵀR; they agree with one-sided Jacobi's, and
    /// ill-conditioned factors still go to Jacobi (same values exactly).
    @Test func triangularSingularValuesMatchJacobi() {
        var rng = SplitMix64(seed: 99)
        func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 * 2 - 1 }
        for n in [2, 3, 7, 33, 120] {
            for spread in [1.0, 1e3] {
                // Upper triangular: a diagonal of about `spread`-to-1, small off-diagonals.
                var a = [Double](repeating: 0, count: n * n)
                for j in 0 ..< n {
                    for i in 0 ..< j { a[j * n + i] = 0.3 * uniform() / Double(n).squareRoot() }
                    a[j * n + j] = (1 + 0.2 * uniform()) * (spread == 1 ? 1 : (j % 2 == 0 ? 1 : 1 / spread))
                }
                let fast = JacobiSVD.triangularValues(columnMajor: a, size: n)
                let jacobi = JacobiSVD(columnMajor: a, rows: n, columns: n, wantVectors: false)
                #expect(fast.values.count == n)
                for (u, v) in zip(fast.values, jacobi.values) {
                    #expect(abs(u - v) <= 1e-13 * v, "n \(n) spread \(spread): \(u) vs \(v)")
                }
                if spread > 10 { #expect(fast.values == jacobi.values, "ill-conditioned: Jacobi decides") }
            }
        }
        var gram = [4.0, 1, 0, 1, 3, 1, 0, 1, 2]
        let values = SymmetricEigenvalues.values(&gram, size: 3)?.sorted() ?? []
        // Eigenvalues of [[4,1,0],[1,3,1],[0,1,2]]: 3 and 3 ± √3.
        Self.close(values, [3 - 3.0.squareRoot(), 3, 3 + 3.0.squareRoot()], 1e-15, "3 x 3 eigenvalues")
    }

    // MARK: Non-finite values found by the fits' own pass

    @Test(arguments: [SolverKind.exact, .gradientDescent, .stochasticGradientDescent])
    func nonFiniteValuesAreNamedAndTheModelIsUnchanged(_ solver: SolverKind) throws {
        for (where_, value, weighted) in [("X", Double.nan, false), ("Y", Double.infinity, false),
                                          ("X", -Double.infinity, true), ("Xzero", Double.nan, true)] {
            var problem = Problem(n: 20_000, d: 3, k: 1, weighted: weighted)
            var row = 12_345, column = 1
            if where_ == "Xzero" {
                // A NaN in a row of weight zero is still an error.
                row = 5  // 5 % 13 == 5: weight 0
                problem.x[row * 3 + column] = value
            } else if where_ == "X" {
                problem.x[row * 3 + column] = value
            } else {
                column = 0
                problem.y[row] = value
            }
            var model = try LinearModel(featureCount: 3, outputCount: 1)
            model.hyperparameters.solver = solver
            model.hyperparameters.epochs = 3
            model.hyperparameters.learningRate = 1e-4
            let before = model
            try problem.withViews(as: Float.self) { X, Y, w in
                do {
                    try model.fit(X: X, Y: Y, sampleWeight: w)
                    Issue.record("\(solver) \(where_): fit should fail")
                } catch let EngineError.nonFinite(message) {
                    let name = where_ == "Y" ? "Y" : "X"
                    #expect(message.hasPrefix("\(name)[\(row)][\(column)] is"), "\(message)")
                    #expect(message.contains("(row \(row), column \(column))"), "\(message)")
                }
            }
            #expect(model.weights == before.weights && !model.isFitted && model.accumulator == nil)
        }
    }

    /// Finite values whose squares overflow: the exact solver falls back to
    /// the scaled QR path and returns finite coefficients, never ±∞.
    @Test func overflowingSquaresFallBackToQR() throws {
        var problem = Problem(n: 300, d: 2, k: 1)
        problem.x = problem.x.map { $0 * 1e300 }
        problem.y = problem.y.map { $0 * 1e300 }
        var model = try LinearModel(featureCount: 2, outputCount: 1)
        try problem.withViews(as: Double.self) { X, Y, w in
            try model.fit(X: X, Y: Y, sampleWeight: w)
            let qr = try ExactSolver.householderFit(LeastSquaresProblem(X: X, Y: Y))
            #expect(model.exactFit == qr)
        }
        #expect(model.weights.allSatisfy(\.isFinite) && model.intercepts.allSatisfy(\.isFinite))
    }

    // MARK: Same bits on every instruction set and thread count

    /// The instruction sets this CPU can run: the "every instruction set"
    /// tests run each of them. Levels above the CPU's are not run (a
    /// requested level is capped to the supported one), and are said so on
    /// the output; a level named in `LINREG_REQUIRE_ISA` (baseline, avx2 or
    /// avx512; `make test` names the best this CPU has) that cannot run here
    /// fails the test instead of passing silently on fewer.
    static func testableLevels() -> [KernelDispatch.Level] {
        let runnable = KernelDispatch.Level.allCases.filter { $0 <= KernelDispatch.supported }
        let skipped = KernelDispatch.Level.allCases.filter { $0 > KernelDispatch.supported }
        if !skipped.isEmpty {
            print("PerformancePathTests: not run on this CPU: \(skipped.map(\.name).joined(separator: ", "))")
        }
        if let raw = getenv("LINREG_REQUIRE_ISA").map({ String(cString: $0) }), !raw.isEmpty {
            let required = KernelDispatch.Level.allCases.first { $0.name == raw.lowercased() }
            if required == nil {
                Issue.record("LINREG_REQUIRE_ISA=\(raw) names no instruction set (baseline, avx2, avx512)")
            } else if let required, !runnable.contains(required) {
                Issue.record("LINREG_REQUIRE_ISA=\(raw) but this CPU runs only \(runnable.map(\.name))")
            }
        }
        return runnable
    }

    /// (100, 1) takes AVX-512's tall tiles (p ≥ `MomentsKernel.tallTileColumns`)
    /// and their remainder; (260, 1) packed 16 × 8 tiles, two row panels per block and
    /// chunks of fewer rows (`CrossProducts.chunkRows(ld:)`, two of them);
    /// fewer rows (and for it Double only) keep the baseline's library `fma`
    /// quick.
    @Test(arguments: [(1, 1), (3, 1), (9, 2), (33, 3), (100, 1), (260, 1)])
    func momentsAreIdenticalOnEveryInstructionSetAndThreadCount(shape: (Int, Int)) throws {
        let (d, k) = shape
        for weighted in [false, true] {
            let rows = d >= 256 ? 8_000 : d >= 64 ? 9_000 : 34_000
            let problem = Problem(n: rows, d: d, k: k, weighted: weighted, seed: UInt64(d * 10 + k))
            func check<E: TrainingScalar>(_ type: E.Type) throws {
                try problem.withViews(as: type) { X, Y, w in
                    let reference = try CrossProducts(X: X, Y: Y, sampleWeight: w, threads: 1, kernels: .baseline)
                    #expect(reference.isFinite)
                    for level in Self.testableLevels() {
                        for threads in [1, 2, 3] {
                            let m = try CrossProducts(X: X, Y: Y, sampleWeight: w, threads: threads, kernels: level)
                            #expect(m == reference, "d \(d) k \(k) \(E.self) weighted \(weighted) \(level.name) threads \(threads)")
                        }
                    }
                }
            }
            if d < 256 { try check(Float.self) }
            try check(Double.self)
        }
    }

    /// The residual sums' definition in double-double, row by row: Σ w r rᵀ,
    /// Σ w r, Σ w (x − o) r for r = y − b − Xβ; with the largest size of a
    /// residual's terms about the origins (|y − o_y| + |b| + Σ|(x − o)·β| +
    /// |o·β|), of a residual, of an x − o, and N = Σ w.
    struct ReferenceSums {
        var gram: [Double], sums: [Double], gradient: [Double]
        var termSize = 0.0, residualSize = 0.0, xSize = 0.0, weightSum = 0.0

        init<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>, w: VectorView<E>?, beta: [Double],
                                intercepts: [DoubleDouble], origins: [Double]) {
            let d = X.columns, k = Y.columns
            var gram = [DoubleDouble](repeating: .zero, count: k * k)
            var sums = [DoubleDouble](repeating: .zero, count: k)
            var gradient = [DoubleDouble](repeating: .zero, count: k * d)
            for i in 0 ..< X.rows {
                let wi = w.map { $0[i].asDouble } ?? 1
                weightSum += wi
                var r = [DoubleDouble](repeating: .zero, count: k)
                for o in 0 ..< k {
                    var v = DoubleDouble(Y[i, o].asDouble) - intercepts[o]
                    var size = abs(Y[i, o].asDouble - origins[d + o]) + abs(intercepts[o].value)
                    for c in 0 ..< d {
                        v -= DoubleDouble(X[i, c].asDouble) * beta[o * d + c]
                        size += abs((X[i, c].asDouble - origins[c]) * beta[o * d + c]) + abs(origins[c] * beta[o * d + c])
                    }
                    r[o] = v
                    termSize = max(termSize, size)
                    residualSize = max(residualSize, abs(v.value))
                }
                for a in 0 ..< k {
                    for b in 0 ..< k { gram[a * k + b] += r[a] * r[b] * wi }
                    sums[a] += r[a] * wi
                    for c in 0 ..< d {
                        gradient[a * d + c] += r[a] * (X[i, c].asDouble - origins[c]) * wi
                        xSize = max(xSize, abs(X[i, c].asDouble - origins[c]))
                    }
                }
            }
            self.gram = gram.map(\.value)
            self.sums = sums.map(\.value)
            self.gradient = gradient.map(\.value)
        }
    }

    /// The residual pass (``ResidualMoments``, kernel `ResidualKernel`):
    /// the same bits on every instruction set and thread count, for the
    /// one-output and few-outputs (k ≤ 4) register paths (d ≤ 32) and the
    /// general loop, and sums
    /// that agree with a double-double evaluation of their definition.
    @Test(arguments: [(1, 1), (5, 1), (8, 1), (32, 1), (33, 1), (9, 2), (3, 3), (32, 4), (40, 3)])
    func residualSumsAreIdenticalOnEveryInstructionSetAndMatchAReference(shape: (Int, Int)) throws {
        let (d, k) = shape
        for weighted in [false, true] {
            let problem = Problem(n: 20_011, d: d, k: k, weighted: weighted, seed: UInt64(d * 7 + k))
            let beta = (0 ..< (k * d)).map { Double(($0 * 7919) % 201) / 80 - 1.2 }
            let intercepts = (0 ..< k).map { 0.75 - Double($0) }
            let origins = (0 ..< (d + k)).map { Double($0 % 3) - 1 }
            func check<E: TrainingScalar>(_ type: E.Type) throws {
                try problem.withViews(as: type) { X, Y, w in
                    let reference = try ResidualMoments.sums(
                        X: X, Y: Y, sampleWeight: w, weights: beta, intercepts: intercepts.map { DoubleDouble($0) }, origins: origins,
                        threads: 1, gradient: true, kernels: .baseline)
                    let definition = ReferenceSums(X: X, Y: Y, w: w, beta: beta,
                                                   intercepts: intercepts.map { DoubleDouble($0) }, origins: origins)
                    let termSize = definition.termSize, xSize = definition.xSize, weightSum = definition.weightSum
                    // Each residual is computed in double from terms of at
                    // most `termSize`: error ≲ (d + 4)·ε·termSize per row.
                    // The sums over N = Σw rows may add up to N of those
                    // (plus their own rounding): 64·N·ε·termSize (× the x
                    // size for the gradient) is a strict bound far below any
                    // wrong term. The gram (squares, no cancellation) is
                    // checked relative to its size.
                    let perRow = Double(d + 4) * 0x1p-52 * termSize
                    Self.close(reference.gram, definition.gram, 1e-12, "gram d \(d) k \(k)")
                    Self.close(reference.sum, definition.sums, 1, scale: 64 * weightSum * perRow,
                               "sums d \(d) k \(k)")
                    Self.close(reference.gradient, definition.gradient, 1, scale: 64 * weightSum * perRow * xSize,
                               "gradient d \(d) k \(k)")
                    for level in Self.testableLevels() {
                        for threads in [1, 2, 3] {
                            let m = try ResidualMoments.sums(
                                X: X, Y: Y, sampleWeight: w, weights: beta, intercepts: intercepts.map { DoubleDouble($0) }, origins: origins,
                                threads: threads, gradient: true, kernels: level)
                            #expect(m.gram == reference.gram && m.sum == reference.sum
                                    && m.gradient == reference.gradient,
                                    "d \(d) k \(k) \(E.self) weighted \(weighted) \(level.name) threads \(threads)")
                            let plain = try ResidualMoments.sums(
                                X: X, Y: Y, sampleWeight: w, weights: beta, intercepts: intercepts.map { DoubleDouble($0) }, origins: origins,
                                threads: threads, gradient: false, kernels: level)
                            #expect(plain.gram == reference.gram, "gram without gradient d \(d) k \(k) \(level.name)")
                        }
                    }
                }
            }
            try check(Float.self)
            try check(Double.self)
        }
    }

    /// The residual pass's compensated mode (ResidualKernel+Compensated.swift)
    /// on nearly exact data (y = b + Xβ + 1e-9·u, β the generating
    /// coefficients): the co-moments of the correctly rounded residuals agree
    /// with a double-double evaluation of their definition to 1e-12 relative
    /// (the rounding of the residuals themselves, ε/2 each, and of the sums),
    /// where the plain mode errs by about ε·|terms|/|r| (asserted above 1e-11
    /// for float64: the test can tell the modes apart); the sums and the
    /// gradient (of the rounded residuals) within the plain bounds; the same
    /// bits on every instruction set and thread count.
    @Test(arguments: [(1, 1), (5, 1), (8, 1), (32, 1), (33, 1), (9, 2), (3, 3), (32, 4), (40, 3)])
    func compensatedResidualsAreCorrectlyRoundedOnEveryInstructionSet(shape: (Int, Int)) throws {
        let (d, k) = shape
        let scales = [0.5, 3, 0.02, 40, 1]
        for weighted in [false, true] {
            let problem = Problem(n: 20_011, d: d, k: k, weighted: weighted, seed: UInt64(d * 11 + k), noise: 1e-9)
            let beta = (0 ..< (k * d)).map { i in Double((i % d + i / d) % 7 - 3) * 0.25 / scales[(i % d) % 5] }
            let intercepts = (0 ..< k).map { DoubleDouble(1.5 * Double($0 + 1)) }
            let origins = (0 ..< (d + k)).map { Double($0 % 3) - 1 }
            func check<E: TrainingScalar>(_ type: E.Type) throws {
                try problem.withViews(as: type) { X, Y, w in
                    let reference = try ResidualMoments.sums(
                        X: X, Y: Y, sampleWeight: w, weights: beta, intercepts: intercepts, origins: origins,
                        threads: 1, gradient: true, compensated: true, kernels: .baseline)
                    let definition = ReferenceSums(X: X, Y: Y, w: w, beta: beta, intercepts: intercepts,
                                                   origins: origins)
                    let residualSize = definition.residualSize, xSize = definition.xSize
                    let weightSum = definition.weightSum, gram = definition.gram
                    let diagonal = (0 ..< k).map { gram[$0 * k + $0] }.max() ?? 0
                    let what = "d \(d) k \(k) \(E.self) weighted \(weighted)"
                    Self.close(reference.gram, gram, 1e-12, scale: diagonal, "compensated gram \(what)")
                    // Sums of rounded residuals (ε/2 each) and their own rounding.
                    Self.close(reference.sum, definition.sums, 1, scale: 64 * weightSum * 0x1p-52 * residualSize,
                               "compensated sums \(what)")
                    Self.close(reference.gradient, definition.gradient, 1,
                               scale: 64 * weightSum * 0x1p-52 * residualSize * xSize, "compensated gradient \(what)")
                    if E.self == Double.self && d >= 5 {
                        let plain = try ResidualMoments.sums(
                            X: X, Y: Y, sampleWeight: w, weights: beta, intercepts: intercepts, origins: origins,
                            threads: 1, gradient: false, kernels: .baseline)
                        let error = (0 ..< (k * k)).map { abs(plain.gram[$0] - gram[$0]) }.max() ?? 0
                        #expect(error > 1e-11 * diagonal, "the plain mode kept the RSS's digits: \(what)")
                    }
                    for level in Self.testableLevels() {
                        for threads in [1, 2, 3] {
                            for withGradient in [true, false] {
                                let m = try ResidualMoments.sums(
                                    X: X, Y: Y, sampleWeight: w, weights: beta, intercepts: intercepts,
                                    origins: origins, threads: threads, gradient: withGradient, compensated: true,
                                    kernels: level)
                                #expect(m.gram == reference.gram, "\(what) \(level.name) threads \(threads)")
                                if withGradient {
                                    #expect(m.sum == reference.sum && m.gradient == reference.gradient,
                                            "\(what) \(level.name) threads \(threads)")
                                }
                            }
                        }
                    }
                }
            }
            try check(Float.self)
            try check(Double.self)
        }
    }

    @Test func exactFitIsIdenticalForEveryThreadCount() throws {
        let problem = Problem(n: 100_000, d: 7, k: 2, weighted: true)
        try problem.withViews(as: Float.self) { X, Y, w in
            let reference = try ExactSolver.fit(LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, threads: 1))
            for threads in [2, 3, 0] {
                #expect(try ExactSolver.fit(LeastSquaresProblem(X: X, Y: Y, sampleWeight: w, threads: threads)) == reference)
            }
        }
    }

    /// 70 features: the covariance's triangular inverse and product run on
    /// several workers (p ≥ 64), with the same bits as on one.
    @Test func wideSolutionIsIdenticalForEveryThreadCount() throws {
        let problem = Problem(n: 3_000, d: 70, k: 1, weighted: false, seed: 5)
        try problem.withViews(as: Double.self) { X, Y, _ in
            let reference = try ExactSolver.fit(LeastSquaresProblem(X: X, Y: Y, sampleWeight: nil, threads: 1))
            #expect(reference.unscaledCovariance?.allSatisfy(\.isFinite) == true)
            for threads in [2, 3, 0] {
                #expect(try ExactSolver.fit(LeastSquaresProblem(X: X, Y: Y, sampleWeight: nil, threads: threads)) == reference)
            }
        }
    }

    @Test func theDispatcherKnowsThisCPU() {
        // Whatever the machine, the active level is one it supports, and the
        // documented environment switches cap it.
        #expect(KernelDispatch.active <= KernelDispatch.supported)
        #expect(KernelDispatch.level(.baseline) == .baseline)
        #expect(KernelDispatch.level(.avx512) <= KernelDispatch.supported)
        #if arch(x86_64) && os(Linux)
        if let flags = CPUFeatures.cpuFlags(), flags.contains("avx512f"), flags.contains("avx512vl"),
           flags.contains("avx512bw"), flags.contains("avx512dq"), flags.contains("avx2") {
            #expect(KernelDispatch.supported == .avx512)
        }
        #endif
    }

    // MARK: Prediction

    @Test(arguments: [(1, 1), (3, 1), (8, 2), (13, 3), (32, 1), (40, 4)])
    func predictionsAreIdenticalOnEveryInstructionSetAndMatchAReference(shape: (Int, Int)) throws {
        let (d, k) = shape
        let n = 70_003
        let problem = Problem(n: n, d: d, k: 1, seed: 11)
        let weights = (0 ..< (k * d)).map { Double(($0 * 7919) % 201) / 50 - 2 }
        let intercepts = (0 ..< k).map { Double($0) - 0.5 }
        func check<E: TrainingScalar>(_ type: E.Type) throws {
            try problem.withViews(as: type) { X, _, _ in
                var reference = [E](repeating: 0, count: n * k)
                try reference.withUnsafeMutableBufferPointer { out in
                    try Prediction.apply(weights: weights, intercepts: intercepts, featureCount: d, outputCount: k,
                                         X: X, output: out.baseAddress!, threads: 1, kernels: .baseline)
                }
                for i in stride(from: 0, to: n, by: 997) {
                    for o in 0 ..< k {
                        var s = 0.0, scale = abs(intercepts[o])
                        for c in 0 ..< d {
                            s += X[i, c].asDouble * weights[o * d + c]
                            scale += abs(X[i, c].asDouble * weights[o * d + c])
                        }
                        let expected = intercepts[o] + s
                        let tolerance = E.self == Float.self ? Double(Float.ulpOfOne) * abs(expected) + 1e-13 * scale
                                                             : 1e-13 * scale
                        #expect(abs(reference[i * k + o].asDouble - expected) <= tolerance)
                    }
                }
                for level in Self.testableLevels() {
                    for threads in [1, 2] {
                        var out = [E](repeating: 0, count: n * k)
                        try out.withUnsafeMutableBufferPointer { buffer in
                            try Prediction.apply(weights: weights, intercepts: intercepts, featureCount: d,
                                                 outputCount: k, X: X, output: buffer.baseAddress!, threads: threads,
                                                 kernels: level)
                        }
                        #expect(out == reference, "d \(d) k \(k) \(E.self) \(level.name) threads \(threads)")
                    }
                }
            }
        }
        try check(Float.self)
        try check(Double.self)
    }

    /// Predictions beyond the output type fail with `overflow`, naming the
    /// row, and leave the output as it was; so does non-finite X, whether the
    /// output is saved (small outputs) or checked by a dry run (large ones).
    @Test(arguments: [false, true])
    func predictionFailuresLeaveTheOutputUntouched(dryRun: Bool) throws {
        let n = 100_000
        var x = (0 ..< n * 2).map { Float(($0 * 37) % 101) / 50 - 1 }
        x[2 * 54_321] = 3e30  // 3e30 · 1e10 overflows a float, not a double
        let limit = dryRun ? 0 : Prediction.maximumSavedBytes
        try x.withUnsafeBufferPointer { xb in
            let X = MatrixView(base: xb.baseAddress!, rows: n, columns: 2)
            var out = (0 ..< n).map { Float($0) }
            let before = out
            do {
                try out.withUnsafeMutableBufferPointer {
                    try Prediction.apply(weights: [1e10, 1], intercepts: [0], featureCount: 2, outputCount: 1, X: X,
                                         output: $0.baseAddress!, threads: 2, kernels: nil, savedLimit: limit)
                }
                Issue.record("predict should overflow")
            } catch let EngineError.overflow(message) {
                #expect(message.contains("row 54321"), "\(message)")
            }
            #expect(out == before)
            // In double the same prediction is fine.
            let xd = x.map { Double($0) }
            var outd = [Double](repeating: -1, count: n)
            try xd.withUnsafeBufferPointer { xdb in
                try outd.withUnsafeMutableBufferPointer {
                    try Prediction.apply(weights: [1e10, 1], intercepts: [0], featureCount: 2, outputCount: 1,
                                         X: MatrixView(base: xdb.baseAddress!, rows: n, columns: 2),
                                         output: $0.baseAddress!, threads: 2, kernels: nil, savedLimit: limit)
                }
            }
            #expect(outd[54_321] == Double(Float(3e30)) * 1e10 + Double(x[2 * 54_321 + 1]))
        }
        var bad = (0 ..< n * 2).map { Double($0 % 7) }
        bad[2 * 77_777 + 1] = -.infinity
        try bad.withUnsafeBufferPointer { xb in
            var out = (0 ..< n).map { Double($0) }
            let before = out
            do {
                try out.withUnsafeMutableBufferPointer {
                    try Prediction.apply(weights: [1, 2], intercepts: [3], featureCount: 2, outputCount: 1,
                                         X: MatrixView(base: xb.baseAddress!, rows: n, columns: 2),
                                         output: $0.baseAddress!, threads: 2, kernels: nil, savedLimit: limit)
                }
                Issue.record("predict should fail")
            } catch let EngineError.nonFinite(message) {
                #expect(message.hasPrefix("X[77777][1] is -inf"), "\(message)")
            }
            #expect(out == before)
        }
    }

    @Test func predictionLeavesTheOutputUntouchedOnNonFiniteInput() throws {
        var problem = Problem(n: 100_000, d: 4, k: 1)
        problem.x[77_777 * 4 + 2] = .nan
        var model = try LinearModel(featureCount: 4, outputCount: 1)
        try model.setWeights([1, 2, 3, 4], intercepts: [5])
        try problem.withViews(as: Double.self) { X, _, _ in
            var out = (0 ..< problem.n).map { Double($0) }
            let before = out
            do {
                try out.withUnsafeMutableBufferPointer { try model.predict(X: X, into: $0.baseAddress!) }
                Issue.record("predict should fail")
            } catch let EngineError.nonFinite(message) {
                #expect(message.hasPrefix("X[77777][2] is nan"), "\(message)")
            }
            #expect(out == before)
        }
    }
}
