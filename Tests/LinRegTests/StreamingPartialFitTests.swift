import Testing
@testable import LinReg

/// `LinearModel.partialFit`: chunk by chunk equals one fit (exact solver),
/// one epoch per chunk (GD/SGD), and the rules around them.
@Suite struct StreamingPartialFitTests {
    typealias S = StreamingSupport

    @Test func chunkedExactEqualsOneFit() throws {
        let problem = S.Problem(n: 1500, d: 4, k: 1)
        let base = try S.model(problem)
        let whole = try S.fitted(base, problem, 0 ..< 1500)
        for sizes in [[1500], [1, 7, 100, 392, 1000], [500, 500, 500], Array(repeating: 30, count: 50)] {
            let streamed = try S.streamed(base, problem, S.chunks(sizes))
            S.expectSameFit(streamed, whole)
            #expect(streamed.accumulator?.rowCount == 1500)
            #expect(streamed.lossHistory.isEmpty)
        }
    }

    @Test func inferenceIsAvailableAfterEveryChunk() throws {
        let problem = S.Problem(n: 600, d: 3, k: 2, seed: 7)
        var model = try S.model(problem)
        var end = 0
        for size in [10, 90, 200, 300] {
            let chunk = end ..< (end + size)
            try S.withViews(problem, chunk) { X, Y, w in try model.partialFit(X: X, Y: Y, sampleWeight: w) }
            end += size
            #expect(model.exactFit != nil)
            #expect(model.statistics != nil)
            #expect(model.exactFit?.observationCount == end)
            S.expectSameFit(model, try S.fitted(S.model(problem), problem, 0 ..< end))
        }
    }

    @Test func weightedMultiOutputAndNoIntercept() throws {
        let problem = S.Problem(n: 2000, d: 5, k: 3, weighted: true, seed: 3)
        for fitIntercept in [true, false] {
            let base = try S.model(problem, fitIntercept: fitIntercept)
            let whole = try S.fitted(base, problem, 0 ..< 2000)
            let streamed = try S.streamed(base, problem, S.chunks([3, 997, 1, 999]))
            S.expectSameFit(streamed, whole)
            #expect(streamed.accumulator?.fitIntercept == fitIntercept)
        }
    }

    @Test func float32ChunksEqualOneFloat32Fit() throws {
        let problem = S.Problem(n: 800, d: 3, k: 2, weighted: true, seed: 11)
        let base = try S.model(problem)
        let whole = try S.fitted(base, problem, 0 ..< 800, as: Float.self)
        let streamed = try S.streamed(base, problem, S.chunks([100, 300, 400]), as: Float.self)
        S.expectSameFit(streamed, whole)
    }

    @Test func fitThenPartialFitContinuesFromTheFit() throws {
        let problem = S.Problem(n: 900, d: 2, k: 1, seed: 5)
        let first = try S.fitted(S.model(problem), problem, 0 ..< 400)
        #expect(first.accumulator?.rowCount == 400)
        let continued = try S.streamed(first, problem, [400 ..< 900])
        S.expectSameFit(continued, try S.fitted(S.model(problem), problem, 0 ..< 900))
    }

    @Test func alphaAndRcondMayChangeBetweenChunks() throws {
        let problem = S.Problem(n: 500, d: 3, k: 1, seed: 9)
        var model = try S.streamed(S.model(problem), problem, [0 ..< 200])
        model.hyperparameters.alpha = 2.5
        model = try S.streamed(model, problem, [200 ..< 300])
        #expect(model.statistics == nil)
        #expect(model.exactFit?.unscaledCovariance == nil)
        let ridge = try S.fitted(S.model(problem, alpha: 2.5), problem, 0 ..< 300)
        S.expectClose(model.weights, ridge.weights, "ridge weights")
        S.expectClose(model.intercepts, ridge.intercepts, "ridge intercepts")
        // Back to least squares with another rcond: the accumulated rows are unpenalised.
        model.hyperparameters.alpha = 0
        model.hyperparameters.rcond = 1e-13
        model = try S.streamed(model, problem, [300 ..< 500])
        var reference = try S.model(problem)
        reference.hyperparameters.rcond = 1e-13
        S.expectSameFit(model, try S.fitted(reference, problem, 0 ..< 500))
        #expect(model.statistics != nil)
    }

    @Test func changedInterceptIsRefusedAndModelUnchanged() throws {
        let problem = S.Problem(n: 300, d: 2, k: 1)
        var model = try S.streamed(S.model(problem), problem, [0 ..< 150])
        model.hyperparameters.fitIntercept = false
        let before = model
        do {
            try S.withViews(problem, 150 ..< 300) { X, Y, w in try model.partialFit(X: X, Y: Y, sampleWeight: w) }
            Issue.record("partial_fit with a changed fit_intercept was accepted")
        } catch let error as EngineError {
            guard case .argument(let message) = error else {
                Issue.record("expected an argument error, got \(error)")
                return
            }
            #expect(message.contains("fit_intercept"))
            #expect(message.contains("call fit"))
        }
        #expect(model.weights == before.weights)
        #expect(model.accumulator == before.accumulator)
        // fit starts over with the new setting; streaming then continues.
        model = try S.fitted(model, problem, 0 ..< 150)
        model = try S.streamed(model, problem, [150 ..< 300])
        S.expectSameFit(model, try S.fitted(S.model(problem, fitIntercept: false), problem, 0 ..< 300))
    }

    @Test func badChunksAreRefusedTransactionally() throws {
        var problem = S.Problem(n: 40, d: 2, k: 1, weighted: true)
        var model = try S.streamed(S.model(problem), problem, [0 ..< 20])
        let before = model
        problem.x[2 * 25 + 1] = .nan
        #expect(throws: EngineError.self) {
            try S.withViews(problem, 20 ..< 40) { X, Y, w in try model.partialFit(X: X, Y: Y, sampleWeight: w) }
        }
        problem.x[2 * 25 + 1] = 1
        for i in 20 ..< 40 { problem.w![i] = 0 }
        #expect(throws: EngineError.self) {
            try S.withViews(problem, 20 ..< 40) { X, Y, w in try model.partialFit(X: X, Y: Y, sampleWeight: w) }
        }
        #expect(model.accumulator == before.accumulator)
        #expect(model.weights == before.weights)
        #expect(model.exactFit == before.exactFit)
    }

    @Test func exactPartialFitAfterGradientDescentStartsFresh() throws {
        let problem = S.Problem(n: 200, d: 2, k: 1)
        var model = try S.model(problem, solver: .gradientDescent)
        model.hyperparameters.epochs = 5
        model.hyperparameters.learningRate = 1e-7
        model = try S.fitted(model, problem, 0 ..< 200)
        #expect(model.accumulator == nil)
        model.hyperparameters.solver = .exact
        model = try S.streamed(model, problem, S.chunks([120, 80]))
        S.expectSameFit(model, try S.fitted(S.model(problem), problem, 0 ..< 200))
        #expect(model.lossHistory.isEmpty)
    }

    @Test func setWeightsDropsTheAccumulator() throws {
        let problem = S.Problem(n: 50, d: 2, k: 1)
        var model = try S.fitted(S.model(problem), problem, 0 ..< 50)
        #expect(model.accumulator != nil)
        try model.setWeights([1, 2], intercepts: [3])
        #expect(model.accumulator == nil)
        #expect(model.exactFit == nil)
    }

    // MARK: GD / SGD

    @Test(arguments: [SolverKind.gradientDescent, .stochasticGradientDescent])
    func gradientPartialFitIsOneEpoch(solver: SolverKind) throws {
        let problem = S.Problem(n: 300, d: 3, k: 2, weighted: true, seed: 21)
        var model = try S.model(problem, solver: solver)
        model.hyperparameters.learningRate = 1e-9
        model.hyperparameters.batchSize = 16
        model.hyperparameters.momentum = 0.5
        model.hyperparameters.shuffle = solver == .stochasticGradientDescent
        model.hyperparameters.seed = 4
        model.hyperparameters.epochs = 1000  // ignored: one epoch per call
        try model.setWeights((0 ..< 6).map { Double($0) * 0.1 }, intercepts: [0.5, -0.5])
        var hp = model.hyperparameters
        hp.epochs = 1
        var expectedWeights = model.weights, expectedIntercepts = model.intercepts
        var expectedHistory: [Double] = []
        var seenEpochs: [Int] = []
        for chunk in S.chunks([100, 150, 50]) {
            let direct = try S.withViews(problem, chunk) { X, Y, w in
                try GradientTrainer.train(X: X, Y: Y, sampleWeight: w, hyperparameters: hp,
                                          initialWeights: expectedWeights, initialIntercepts: expectedIntercepts,
                                          progress: nil)
            }
            expectedWeights = direct.weights
            expectedIntercepts = direct.intercepts
            expectedHistory += direct.lossHistory
            try S.withViews(problem, chunk) { X, Y, w in
                try model.partialFit(X: X, Y: Y, sampleWeight: w) { epoch, _ in
                    seenEpochs.append(epoch)
                    return true
                }
            }
            #expect(model.weights == expectedWeights)
            #expect(model.intercepts == expectedIntercepts)
            #expect(model.lossHistory == expectedHistory)
            #expect(model.accumulator == nil)
            #expect(model.exactFit == nil)
            #expect(model.statistics == nil)
        }
        #expect(seenEpochs == [0, 1, 2])
        #expect(model.lossHistory.count == 3)
    }

    @Test func gradientPartialFitAfterExactFitDropsTheExactState() throws {
        let problem = S.Problem(n: 100, d: 2, k: 1)
        var model = try S.fitted(S.model(problem), problem, 0 ..< 50)
        model.hyperparameters.solver = .gradientDescent
        model.hyperparameters.learningRate = 1e-7
        let start = model.weights
        model = try S.streamed(model, problem, [50 ..< 100])
        #expect(model.accumulator == nil)
        #expect(model.exactFit == nil)
        #expect(model.lossHistory.count == 1)
        #expect(model.weights != start)
    }

    @Test func divergingChunkLeavesTheModelUnchanged() throws {
        let problem = S.Problem(n: 100, d: 2, k: 1)
        var model = try S.model(problem, solver: .gradientDescent)
        model.hyperparameters.learningRate = .greatestFiniteMagnitude
        let before = model
        #expect(throws: EngineError.self) {
            try S.withViews(problem, 0 ..< 100) { X, Y, w in try model.partialFit(X: X, Y: Y, sampleWeight: w) }
        }
        #expect(model.weights == before.weights)
        #expect(model.isFitted == before.isFitted)
        #expect(model.lossHistory.isEmpty)
    }
}
