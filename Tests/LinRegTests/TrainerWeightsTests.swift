import Testing
@testable import LinReg

/// Sample weights in GD and SGD: each squared error is multiplied by its
/// row's weight and the mean divides by Σw·k.
@Suite struct TrainerWeightsTests {
    typealias S = TrainerSupport
    static let w0 = [0.1, -0.2, 0.3, 0.05]
    static let b0 = [0.5, -0.1]

    /// Fractional weights (one zero) against torch float64, the seed's loop on d1 with
    /// ```python
    /// sw = torch.tensor([0.5, 2.0, 1.0, 0.0, 3.25, 1.5, 0.75, 1.0, 2.5], dtype=torch.float64)
    /// for epoch in range(50):
    ///     diff = x @ w.t() + b - y; loss = torch.sum(sw[:, None] * diff * diff) / (sw.sum() * 2)
    ///     hist.append(loss.item()); loss.backward()
    ///     with torch.no_grad(): w -= w.grad * 0.05; b -= b.grad * 0.05; w.grad.zero_(); b.grad.zero_()
    /// ```
    @Test func weightedGDMatchesTorchWeightedLoss() throws {
        let sw = [0.5, 2.0, 1.0, 0.0, 3.25, 1.5, 0.75, 1.0, 2.5]
        let hp = S.hyperparameters(.gradientDescent, learningRate: 0.05, epochs: 50)
        let result = try S.train(Double.self, X: S.d1X, Y: S.d1Y, sampleWeight: sw, hyperparameters: hp,
                                 weights: Self.w0, intercepts: Self.b0)
        S.expectClose(result.weights, [0.6552109859206786, -0.9270886564884265, 0.05825933643122691, 0.12250963620507938],
                      relative: 1e-10, "W")
        S.expectClose(result.intercepts, [-0.332538828448245, -0.1878602706256622], relative: 1e-10, "b")
        S.expectClose([result.lossHistory.first ?? .nan, result.lossHistory.last ?? .nan],
                      [1.3170531250000002, 0.16307917814389636], relative: 1e-10, "first/last loss")
    }

    /// Integer weights are the same as repeating rows (weight 0 = dropping the row).
    @Test(arguments: [SolverKind.gradientDescent, .stochasticGradientDescent])
    func integerWeightsEqualDuplicatedRows(solver: SolverKind) throws {
        let counts = [2, 1, 0, 3, 1, 4, 1, 2, 1]
        var X: [[Double]] = [], Y: [[Double]] = []
        for (i, c) in counts.enumerated() {
            for _ in 0..<c {
                X.append(S.d1X[i])
                Y.append(S.d1Y[i])
            }
        }
        // SGD with one batch of everything, so batching is the same on both sides.
        let hp = S.hyperparameters(solver, learningRate: 0.03, epochs: 40, batchSize: 100, momentum: 0.3, weightDecay: 0.01)
        let weighted = try S.train(Double.self, X: S.d1X, Y: S.d1Y, sampleWeight: counts.map(Double.init),
                                   hyperparameters: hp, weights: Self.w0, intercepts: Self.b0)
        let repeated = try S.train(Double.self, X: X, Y: Y, hyperparameters: hp, weights: Self.w0, intercepts: Self.b0)
        S.expectClose(weighted.weights, repeated.weights, relative: 1e-12, "W")
        S.expectClose(weighted.intercepts, repeated.intercepts, relative: 1e-12, "b")
        S.expectClose(weighted.lossHistory, repeated.lossHistory, relative: 1e-12, "loss history")
    }

    /// Unit weights give the unweighted fit; scaling all weights changes nothing.
    @Test(arguments: [SolverKind.gradientDescent, .stochasticGradientDescent])
    func unitAndScaledWeights(solver: SolverKind) throws {
        let hp = S.hyperparameters(solver, learningRate: 0.05, epochs: 30, batchSize: 9, momentum: 0.5)
        let plain = try S.train(Double.self, X: S.d1X, Y: S.d1Y, hyperparameters: hp, weights: Self.w0, intercepts: Self.b0)
        let ones = try S.train(Double.self, X: S.d1X, Y: S.d1Y, sampleWeight: Array(repeating: 1, count: 9),
                               hyperparameters: hp, weights: Self.w0, intercepts: Self.b0)
        let scaled = try S.train(Double.self, X: S.d1X, Y: S.d1Y, sampleWeight: Array(repeating: 0.25, count: 9),
                                 hyperparameters: hp, weights: Self.w0, intercepts: Self.b0)
        for r in [ones, scaled] {
            S.expectClose(r.weights, plain.weights, relative: 1e-13, "W")
            S.expectClose(r.intercepts, plain.intercepts, relative: 1e-13, "b")
            S.expectClose(r.lossHistory, plain.lossHistory, relative: 1e-13, "loss history")
        }
    }
}
