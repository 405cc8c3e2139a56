import Testing
@testable import LinReg

/// Divergence, early stopping, zero epochs and inconsistent sizes.
@Suite struct TrainerEdgeCaseTests {
    typealias S = TrainerSupport
    static let w0 = [0.1, -0.2, 0.3, 0.05]
    static let b0 = [0.5, -0.1]

    @Test(arguments: [SolverKind.gradientDescent, .stochasticGradientDescent])
    func hugeLearningRateDiverges(solver: SolverKind) throws {
        let hp = S.hyperparameters(solver, learningRate: 1e3, epochs: 1000, batchSize: 3)
        do {
            _ = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp, weights: Self.w0, intercepts: Self.b0)
            Issue.record("expected .diverged")
        } catch let EngineError.diverged(message) {
            #expect(message.contains("epoch"))
        }
    }

    @Test func divergenceReportsTheEpoch() throws {
        // lr 10 on d1: |1 − lr·λ| > 1, the error grows geometrically and overflows
        // after a few hundred epochs, well before 100000.
        let hp = S.hyperparameters(.gradientDescent, learningRate: 10, epochs: 100_000)
        var seen = -1
        #expect(throws: EngineError.self) {
            _ = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp, weights: Self.w0,
                            intercepts: Self.b0, progress: { epoch, _ in seen = epoch; return true })
        }
        do {
            _ = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp, weights: Self.w0, intercepts: Self.b0)
            Issue.record("expected .diverged")
        } catch let EngineError.diverged(message) {
            #expect(message.contains("at epoch \(seen + 1)"))
        }
        #expect(seen > 10 && seen < 100_000)
    }

    /// Stopping at epoch 4 keeps 5 updates and 5 history entries: the same
    /// state as a 5-epoch run.
    @Test(arguments: [SolverKind.gradientDescent, .stochasticGradientDescent])
    func progressCanStopEarly(solver: SolverKind) throws {
        var calls: [(Int, Double)] = []
        let hp = S.hyperparameters(solver, learningRate: 0.05, epochs: 50, batchSize: 4, momentum: 0.5)
        let stopped = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp, weights: Self.w0,
                                  intercepts: Self.b0, progress: { epoch, loss in
                                      calls.append((epoch, loss))
                                      return epoch < 4
                                  })
        #expect(stopped.stoppedEarly)
        #expect(stopped.lossHistory.count == 5)
        #expect(calls.map(\.0) == [0, 1, 2, 3, 4])
        #expect(calls.map(\.1) == stopped.lossHistory)
        var five = hp
        five.epochs = 5
        let reference = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: five,
                                    weights: Self.w0, intercepts: Self.b0)
        #expect(reference.weights == stopped.weights)
        #expect(reference.intercepts == stopped.intercepts)
        #expect(reference.lossHistory == stopped.lossHistory)
        #expect(!reference.stoppedEarly)
    }

    /// Asking to stop after the last epoch skips nothing.
    @Test func stoppingAtTheLastEpochIsNotEarly() throws {
        let hp = S.hyperparameters(.gradientDescent, learningRate: 0.05, epochs: 3)
        let result = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp, weights: Self.w0,
                                 intercepts: Self.b0, progress: { _, _ in false })
        #expect(result.lossHistory.count == 1)
        #expect(result.stoppedEarly)
        let last = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp, weights: Self.w0,
                               intercepts: Self.b0, progress: { epoch, _ in epoch < 2 })
        #expect(last.lossHistory.count == 3)
        #expect(!last.stoppedEarly)
    }

    @Test(arguments: [SolverKind.gradientDescent, .stochasticGradientDescent])
    func zeroEpochsReturnsTheStart(solver: SolverKind) throws {
        var called = false
        let hp = S.hyperparameters(solver, learningRate: 0.05, epochs: 0)
        let result = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp, weights: Self.w0,
                                 intercepts: Self.b0, progress: { _, _ in called = true; return true })
        #expect(result == TrainingResult(weights: Self.w0, intercepts: Self.b0, lossHistory: [], stoppedEarly: false))
        #expect(!called)
        var noIntercept = hp
        noIntercept.fitIntercept = false
        let zero = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: noIntercept, weights: Self.w0,
                               intercepts: Self.b0)
        #expect(zero.weights == Self.w0)
        #expect(zero.intercepts == [0, 0])
    }

    @Test func inconsistentSizesThrowArgument() throws {
        let hp = S.hyperparameters(.gradientDescent, learningRate: 0.05, epochs: 3)
        #expect(throws: EngineError.self) {
            _ = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp, weights: [1, 2, 3], intercepts: Self.b0)
        }
        #expect(throws: EngineError.self) {
            _ = try S.train(Double.self, X: S.d1X, Y: S.d1Y, sampleWeight: [1, 2], hyperparameters: hp,
                            weights: Self.w0, intercepts: Self.b0)
        }
        var exact = hp
        exact.solver = .exact
        #expect(throws: EngineError.self) {
            _ = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: exact, weights: Self.w0, intercepts: Self.b0)
        }
    }

    /// Same inputs, any thread setting: bit-identical results.
    @Test func threadsDoNotChangeResults() throws {
        var results: [TrainingResult] = []
        for threads in [0, 1, 2, 7] {
            var hp = S.hyperparameters(.gradientDescent, learningRate: 0.05, epochs: 20)
            hp.threads = threads
            results.append(try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp, weights: Self.w0,
                                       intercepts: Self.b0))
        }
        for r in results.dropFirst() { #expect(S.identical(r, results[0])) }
    }

    /// No features: GD moves b alone, b ← b + lr·(2/k)(ȳ − b), so after T
    /// epochs b = ȳ + (b₀ − ȳ)(1 − 2·lr/k)^T (closed form), with k = 1.
    @Test func interceptOnlyModelFollowsTheClosedForm() throws {
        let y: [Double] = [1, 2, 4, 8, 16]   // ȳ = 6.2
        let none: [Double] = [0]
        let hp = S.hyperparameters(.gradientDescent, learningRate: 0.1, epochs: 20)
        let result = try none.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { yp in
                try GradientTrainer.train(X: MatrixView(base: xp.baseAddress!, rows: 5, columns: 0),
                                          Y: MatrixView(base: yp.baseAddress!, rows: 5, columns: 1), sampleWeight: nil,
                                          hyperparameters: hp, initialWeights: [], initialIntercepts: [1],
                                          progress: nil)
            }
        }
        var factor = 1.0
        for _ in 0..<20 { factor *= 0.8 }
        #expect(result.weights.isEmpty)
        S.expectClose(result.intercepts, [6.2 + (1 - 6.2) * factor], relative: 1e-13, "b")
        // Loss before the first update: mean of (y − 1)² = (0 + 1 + 9 + 49 + 225) / 5.
        S.expectClose([result.lossHistory.first ?? .nan], [56.8], relative: 1e-14, "first loss")
    }
}
