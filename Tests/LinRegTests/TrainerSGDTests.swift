import Testing
@testable import LinReg

/// Mini-batch SGD against torch nn.Linear + torch.optim.SGD + DataLoader.
///
/// Reference script (torch 2.13, CPU; data set d2 of ``TrainerSupport``):
/// ```python
/// W0 = [[0.1, -0.2, 0.3], [0.0, 0.25, -0.5]]; B0 = [0.5, -0.1]
/// def run(dt, batches_of_epoch, epochs, lr, momentum, wd, sw=None):
///     x = torch.tensor(X, dtype=torch.float64).to(dt); y = torch.tensor(Y, dtype=torch.float64).to(dt)
///     m = torch.nn.Linear(3, 2).to(dt)
///     m.weight.copy_(torch.tensor(W0, dtype=torch.float64)); m.bias.copy_(torch.tensor(B0, dtype=torch.float64))
///     opt = torch.optim.SGD(m.parameters(), lr=lr, momentum=momentum, weight_decay=wd)
///     for e in range(epochs):
///         total = 0.0
///         for idx in batches_of_epoch(e):
///             xb, yb = x[idx], y[idx]; opt.zero_grad()
///             if sw is None:
///                 loss = F.mse_loss(m(xb), yb); total += loss.item() * yb.numel()
///             else:
///                 wb = torch.tensor([sw[i] for i in idx], dtype=dt); d = m(xb) - yb
///                 sse = torch.sum(wb[:, None] * d * d); loss = sse / (wb.sum() * 2); total += sse.item()
///             loss.backward(); opt.step()
///         hist.append(total / ((len(X) if sw is None else sum(sw)) * 2))
/// loader = DataLoader(TensorDataset(torch.arange(23)), batch_size=5, shuffle=False)
/// ordered = lambda e: [b[0].tolist() for b in loader]   # [[0..4], [5..9], ..., [20, 21, 22]]
/// run(torch.float64, ordered, 20, 0.02, 0.9, 0.01); run(torch.float32, ordered, 20, 0.02, 0.9, 0.01)
/// ```
@Suite struct TrainerSGDTests {
    typealias S = TrainerSupport
    static let w0 = [0.1, -0.2, 0.3, 0.0, 0.25, -0.5]
    static let b0 = [0.5, -0.1]

    @Test func batchFiveWithMomentumAndDecayMatchesTorchFloat64() throws {
        let hp = S.hyperparameters(.stochasticGradientDescent, learningRate: 0.02, epochs: 20, batchSize: 5,
                                   momentum: 0.9, weightDecay: 0.01)
        let result = try S.train(Double.self, X: S.d2X, Y: S.d2Y, hyperparameters: hp,
                                 weights: Self.w0, intercepts: Self.b0)
        S.expectClose(result.weights, [0.968214519055223, -0.9302402706746896, 0.49786120025597225,
                                       0.037743926211575775, 1.9110146833985853, -0.9634449406128817],
                      relative: 1e-10, "W")
        S.expectClose(result.intercepts, [0.1286679599213163, 1.1240033375389857], relative: 1e-10, "b")
        S.expectClose(result.lossHistory, [
            2.2359956290422804, 0.709443078318108, 0.8772269876812836, 0.39795618425771057, 0.14285719865956087,
            0.1435654117515423, 0.03526839168884601, 0.051406418015985736, 0.0358925362067837, 0.02301398915522843,
            0.027436185718188847, 0.01788527755753677, 0.01638658341076294, 0.015523963230808754, 0.014450166110888975,
            0.014766367223858318, 0.014110070915489891, 0.013948997992765902, 0.01385165315464713, 0.013598302505748899,
        ], relative: 1e-10, "loss history")
    }

    @Test func batchFiveWithMomentumAndDecayMatchesTorchFloat32() throws {
        let hp = S.hyperparameters(.stochasticGradientDescent, learningRate: 0.02, epochs: 20, batchSize: 5,
                                   momentum: 0.9, weightDecay: 0.01)
        let result = try S.train(Float.self, X: S.d2X, Y: S.d2Y, hyperparameters: hp,
                                 weights: Self.w0, intercepts: Self.b0)
        S.expectClose(result.weights, [0.9682144522666931, -0.9302401542663574, 0.49786120653152466,
                                       0.037743911147117615, 1.9110147953033447, -0.9634449481964111],
                      relative: 1e-5, "W")
        S.expectClose(result.intercepts, [0.12866787612438202, 1.1240031719207764], relative: 1e-5, "b")
        S.expectClose(result.lossHistory, [
            2.2359957176706065, 0.7094430586566096, 0.8772268327681915, 0.39795608446002007, 0.14285723800244537,
            0.1435652313672978, 0.035268359736579914, 0.05140636100069336, 0.035892501999826534, 0.02301397316319787,
            0.027436155663884205, 0.017885275205354326, 0.016386574437922758, 0.01552396506556998, 0.01445015902509508,
            0.014766361766859241, 0.014110069074060606, 0.013948996693057858, 0.01385165265072947, 0.013598304505095533,
        ], relative: 1e-5, "loss history")
    }

    /// Weighted mini-batches (batch 4, momentum 0.5), float64, the same script with
    /// `SW = [((i * 7) % 5) / 2 for i in range(23)]`,
    /// `b4 = lambda e: [list(range(s, min(s + 4, 23))) for s in range(0, 23, 4)]`,
    /// `run(torch.float64, b4, 10, 0.05, 0.5, 0.0, SW)`.
    @Test func weightedBatchesMatchTorchWeightedLoss() throws {
        let sw = (0..<23).map { Double(($0 * 7) % 5) / 2 }
        let hp = S.hyperparameters(.stochasticGradientDescent, learningRate: 0.05, epochs: 10, batchSize: 4, momentum: 0.5)
        let result = try S.train(Double.self, X: S.d2X, Y: S.d2Y, sampleWeight: sw, hyperparameters: hp,
                                 weights: Self.w0, intercepts: Self.b0)
        S.expectClose(result.weights, [0.8948316347356309, -0.8515671685335449, 0.3941340351593472,
                                       0.13081827210507915, 1.818697400749931, -0.805371481890976],
                      relative: 1e-10, "W")
        S.expectClose(result.intercepts, [0.18856799030341734, 0.98605208361721], relative: 1e-10, "b")
        S.expectClose(result.lossHistory, [
            1.6644299969932814, 0.5322259414841882, 0.360863313239219, 0.24848361288199988, 0.1775871800313415,
            0.12896599995084482, 0.09515686892352834, 0.07139855445757971, 0.05460576310053061, 0.042688361942574825,
        ], relative: 1e-10, "loss history")
    }

    /// A batch size above n means one batch of all rows: exactly GD's steps
    /// (GD itself is checked against torch in TrainerGradientDescentTests).
    @Test func batchLargerThanRowsIsFullBatch() throws {
        let big = S.hyperparameters(.stochasticGradientDescent, learningRate: 0.05, epochs: 15, batchSize: 1_000_000)
        let exact = S.hyperparameters(.stochasticGradientDescent, learningRate: 0.05, epochs: 15, batchSize: 23)
        let a = try S.train(Double.self, X: S.d2X, Y: S.d2Y, hyperparameters: big, weights: Self.w0, intercepts: Self.b0)
        let b = try S.train(Double.self, X: S.d2X, Y: S.d2Y, hyperparameters: exact, weights: Self.w0, intercepts: Self.b0)
        #expect(S.identical(a, b))
    }

    /// Without an intercept b is not a parameter: it stays 0 under weight decay and momentum.
    @Test func withoutInterceptBiasStaysZero() throws {
        let hp = S.hyperparameters(.stochasticGradientDescent, learningRate: 0.02, epochs: 5, batchSize: 5,
                                   momentum: 0.9, weightDecay: 0.1, fitIntercept: false)
        let result = try S.train(Double.self, X: S.d2X, Y: S.d2Y, hyperparameters: hp,
                                 weights: Self.w0, intercepts: [3, 4])
        #expect(result.intercepts == [0, 0])
        #expect(result.lossHistory.count == 5)
    }
}
