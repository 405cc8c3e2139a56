import Testing
@testable import LinReg

/// `LinearModel.merge`: any order and tree shape equals one fit; what cannot
/// be merged is refused without changing the model.
@Suite struct StreamingMergeTests {
    typealias S = StreamingSupport

    /// Five parts of sizes 1, 99, 400, 250, 750 of one problem, each fitted alone.
    func parts(_ problem: S.Problem, fitIntercept: Bool = true) throws -> [LinearModel] {
        let base = try S.model(problem, fitIntercept: fitIntercept)
        return try S.chunks([1, 99, 400, 250, 750]).map { try S.fitted(base, problem, $0) }
    }

    func merged(_ a: LinearModel, _ b: LinearModel) throws -> LinearModel {
        var copy = a
        try copy.merge(b)
        return copy
    }

    @Test(arguments: [false, true])
    func everyOrderAndTreeShapeEqualsOneFit(weighted: Bool) throws {
        let problem = S.Problem(n: 1500, d: 4, k: 2, weighted: weighted, seed: 13)
        let whole = try S.fitted(S.model(problem), problem, 0 ..< 1500)
        let p = try parts(problem)
        // Left fold, right fold, reversed, interleaved, balanced tree, lopsided tree.
        let leftFold = try p.dropFirst().reduce(p[0]) { try merged($0, $1) }
        let rightFold = try p.dropLast().reversed().reduce(p[4]) { try merged($1, $0) }
        let reversed = try p.reversed().dropFirst().reduce(p[4]) { try merged($0, $1) }
        let interleaved = try [p[2], p[0], p[4], p[1], p[3]].dropFirst().reduce(p[2]) { try merged($0, $1) }
        let balanced = try merged(try merged(try merged(p[0], p[1]), try merged(p[2], p[3])), p[4])
        let lopsided = try merged(p[3], try merged(p[1], try merged(p[4], try merged(p[0], p[2]))))
        for (name, result) in [("left fold", leftFold), ("right fold", rightFold), ("reversed", reversed),
                               ("interleaved", interleaved), ("balanced", balanced), ("lopsided", lopsided)] {
            S.expectSameFit(result, whole)
            #expect(result.accumulator?.rowCount == 1500, "\(name)")
        }
    }

    @Test func mergeOfStreamedPartsWithoutIntercept() throws {
        let problem = S.Problem(n: 1000, d: 3, k: 1, weighted: true, seed: 17)
        let base = try S.model(problem, fitIntercept: false)
        let a = try S.streamed(base, problem, S.chunks([100, 200]))
        let b = try S.streamed(base, problem, [300 ..< 700, 700 ..< 1000])
        S.expectSameFit(try merged(b, a), try S.fitted(base, problem, 0 ..< 1000))
    }

    @Test func mergeSolvesWithTheTargetsAlpha() throws {
        let problem = S.Problem(n: 400, d: 3, k: 1, seed: 19)
        var a = try S.fitted(S.model(problem), problem, 0 ..< 200)
        let b = try S.fitted(S.model(problem, alpha: 7), problem, 200 ..< 400)
        a.hyperparameters.alpha = 3
        try a.merge(b)
        let ridge = try S.fitted(S.model(problem, alpha: 3), problem, 0 ..< 400)
        S.expectClose(a.weights, ridge.weights, "weights")
        S.expectClose(a.intercepts, ridge.intercepts, "intercepts")
        #expect(a.statistics == nil)
    }

    @Test func otherIsUnchanged() throws {
        let p = try parts(S.Problem(n: 1500, d: 2, k: 1))
        var into = p[2]
        let other = p[3]
        let copy = other
        try into.merge(other)
        #expect(other.accumulator == copy.accumulator)
        #expect(other.weights == copy.weights)
    }

    @Test func neverFittedModelsMergeAsTheEmptySet() throws {
        let problem = S.Problem(n: 600, d: 3, k: 2, seed: 23)
        let base = try S.model(problem)
        let part = try S.fitted(base, problem, 0 ..< 600)
        // Into an empty model: a copy of the other's rows, solved with the target's options.
        var empty = base
        try empty.merge(part)
        S.expectSameFit(empty, part)
        #expect(empty.accumulator == part.accumulator)
        // An empty other: nothing changes.
        var target = part
        try target.merge(base)
        #expect(target.accumulator == part.accumulator)
        #expect(target.weights == part.weights)
        // Both empty: still not fitted.
        var nothing = base
        try nothing.merge(base)
        #expect(!nothing.isFitted)
        #expect(nothing.accumulator == nil)
    }

    @Test func gradientDescentModelsCannotBeMerged() throws {
        let problem = S.Problem(n: 100, d: 2, k: 1)
        var gd = try S.model(problem, solver: .gradientDescent)
        gd.hyperparameters.epochs = 2
        gd.hyperparameters.learningRate = 1e-9
        gd = try S.fitted(gd, problem, 0 ..< 100)
        var exact = try S.fitted(S.model(problem), problem, 0 ..< 100)
        var handSet = try S.model(problem)
        try handSet.setWeights([1, 2], intercepts: [0])
        for (into, other, role) in [(gd, exact, "this model"), (exact, gd, "the other model"),
                                    (handSet, exact, "this model"), (exact, handSet, "the other model")] {
            var target = into
            let before = target
            do {
                try target.merge(other)
                Issue.record("merge of a model without exact statistics was accepted")
            } catch let error as EngineError {
                guard case .argument(let message) = error else {
                    Issue.record("expected an argument error, got \(error)")
                    continue
                }
                #expect(message.contains(role))
                #expect(message.contains("GD/SGD"))
            }
            #expect(target.weights == before.weights)
            #expect(target.accumulator == before.accumulator)
            #expect(target.lossHistory == before.lossHistory)
        }
        exact.hyperparameters.solver = .gradientDescent  // a parameter only: the statistics are still there
        try exact.merge(try S.fitted(S.model(problem), problem, 0 ..< 100))
        #expect(exact.accumulator?.rowCount == 200)
    }

    @Test func shapeAndInterceptMismatchesAreRefused() throws {
        let problem = S.Problem(n: 100, d: 2, k: 1)
        let a = try S.fitted(S.model(problem), problem, 0 ..< 100)
        let wide = S.Problem(n: 100, d: 3, k: 1)
        let b = try S.fitted(S.model(wide), wide, 0 ..< 100)
        let twoOutputs = S.Problem(n: 100, d: 2, k: 2)
        let c = try S.fitted(S.model(twoOutputs), twoOutputs, 0 ..< 100)
        let noIntercept = try S.fitted(S.model(problem, fitIntercept: false), problem, 0 ..< 100)
        for other in [b, c, noIntercept] {
            var target = a
            #expect(throws: EngineError.self) { try target.merge(other) }
            #expect(target.accumulator == a.accumulator)
        }
        // The target's fit_intercept changed since its statistics were built.
        var changed = a
        changed.hyperparameters.fitIntercept = false
        #expect(throws: EngineError.self) { try changed.merge(noIntercept) }
        #expect(changed.accumulator == a.accumulator)
    }
}
