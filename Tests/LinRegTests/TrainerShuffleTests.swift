import Testing
@testable import LinReg

/// The seeded shuffle: SplitMix64, Lemire's bounded draws, Fisher–Yates,
/// checked against an independent Python implementation of the documented
/// algorithm, and SGD over the shuffled order against torch.
///
/// ```python
/// M = (1 << 64) - 1
/// class SplitMix64:
///     def __init__(s, seed): s.state = seed
///     def next(s):
///         s.state = (s.state + 0x9E3779B97F4A7C15) & M; z = s.state
///         z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
///         z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
///         return z ^ (z >> 31)
///     def below(s, bound):
///         m = s.next() * bound
///         if (m & M) < bound:
///             t = (2**64 - bound) % bound
///             while (m & M) < t: m = s.next() * bound
///         return m >> 64
/// def orders(seed, n):   # one generator per fit; each epoch shuffles the identity
///     g = SplitMix64(seed)
///     while True:
///         p = list(range(n))
///         for i in range(n - 1, 0, -1): j = g.below(i + 1); p[i], p[j] = p[j], p[i]
///         yield p
/// ```
@Suite struct TrainerShuffleTests {
    typealias S = TrainerSupport
    static let w0 = [0.1, -0.2, 0.3, 0.0, 0.25, -0.5]
    static let b0 = [0.5, -0.1]

    /// `[hex(g.next()) for _ in range(3)]` with seed 0 (also the published SplitMix64 values).
    @Test func splitMixSequence() {
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(g.next() == 0x06C4_5D18_8009_454F)
    }

    /// `o = orders(7, 10); next(o), next(o)`.
    @Test func fisherYatesOrder() {
        var g = SplitMix64(seed: 7)
        var order = Array(0..<10)
        order.withUnsafeMutableBufferPointer { g.shuffle($0) }
        #expect(order == [9, 5, 8, 6, 1, 2, 4, 7, 0, 3])
        order = Array(0..<10)
        order.withUnsafeMutableBufferPointer { g.shuffle($0) }
        #expect(order == [1, 8, 3, 2, 9, 5, 6, 7, 0, 4])
    }

    @Test func boundedDrawsStayInRange() {
        var g = SplitMix64(seed: 99)
        for bound in [1, 2, 3, 7, 1000, Int(UInt32.max) + 5] {
            for _ in 0..<200 { #expect(g.next(below: UInt64(bound)) < UInt64(bound)) }
        }
        #expect(g.next(below: 0) == 0)
    }

    /// SGD (batch 4, momentum 0.5, lr 0.05, 15 epochs, seed 42) in torch over
    /// the orders above, float64:
    /// `o = orders(42, 23); perms = [next(o) for _ in range(15)]`,
    /// `sh = lambda e: [perms[e][s:s + 4] for s in range(0, 23, 4)]`,
    /// `run(torch.float64, sh, 15, 0.05, 0.5, 0.0)` with `run` of TrainerSGDTests.
    @Test func shuffledSGDMatchesTorchOverTheSameOrder() throws {
        let hp = S.hyperparameters(.stochasticGradientDescent, learningRate: 0.05, epochs: 15, batchSize: 4,
                                   momentum: 0.5, shuffle: true, seed: 42)
        let result = try S.train(Double.self, X: S.d2X, Y: S.d2Y, hyperparameters: hp,
                                 weights: Self.w0, intercepts: Self.b0)
        S.expectClose(result.weights, [0.9605817289188454, -0.8769508991793626, 0.5106746836778052,
                                       0.05026056380937697, 1.873984909567509, -0.9842345945466833],
                      relative: 1e-10, "W")
        S.expectClose(result.intercepts, [0.08591562539639495, 1.1805145973436242], relative: 1e-10, "b")
        S.expectClose(result.lossHistory, [
            1.7705827466323703, 0.5592706621884518, 0.331712070306848, 0.2082329785805202, 0.1347980129625857,
            0.09064115885868258, 0.0628404677948138, 0.04687853072395525, 0.03509740963147839, 0.026904724258390522,
            0.024205153941360812, 0.0200351072901151, 0.019219413234491434, 0.01672799241554844, 0.017265736468774818,
        ], relative: 1e-10, "loss history")
    }

    @Test func sameSeedSameResultOtherSeedOtherResultAndItConverges() throws {
        func run(seed: UInt64) throws -> TrainingResult {
            let hp = S.hyperparameters(.stochasticGradientDescent, learningRate: 0.05, epochs: 60, batchSize: 4,
                                       shuffle: true, seed: seed)
            return try S.train(Double.self, X: S.d2X, Y: S.d2Y, hyperparameters: hp,
                               weights: Self.w0, intercepts: Self.b0)
        }
        let a = try run(seed: 1), b = try run(seed: 1), c = try run(seed: 2)
        #expect(S.identical(a, b))
        #expect(a.weights != c.weights)
        // Unshuffled, for contrast: shuffling changes the trajectory.
        let plain = try S.train(Double.self, X: S.d2X, Y: S.d2Y,
                                hyperparameters: S.hyperparameters(.stochasticGradientDescent, learningRate: 0.05,
                                                                   epochs: 60, batchSize: 4),
                                weights: Self.w0, intercepts: Self.b0)
        #expect(a.weights != plain.weights)
        // Converges: both seeds end near the least-squares optimum, whose MSE is
        // 0.010860689783989961 (numpy: A = np.c_[X, np.ones(23)];
        // B = np.linalg.lstsq(A, Y, rcond=None)[0]; ((A @ B - Y) ** 2).mean()).
        for r in [a, c] {
            let first = try #require(r.lossHistory.first), last = try #require(r.lossHistory.last)
            #expect(last < first / 50)
            #expect(last < 0.010860689783989961 * 1.5)
        }
    }
}
