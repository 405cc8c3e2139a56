/// Full-batch gradient descent and mini-batch SGD on the mean squared error,
/// with the semantics of the seed experiment ("linear regression from
/// scratch in PyTorch") and of `torch.optim.SGD`, computed in `Double`.
///
/// **Model and loss.** Predictions are X·Wᵀ + b (W k × d, b k). With row
/// weights wᵢ (1 without sample weights) the loss of a set of rows R is
///
///     L_R = Σ_{i∈R} wᵢ Σₒ (wₒ·xᵢ + bₒ − yᵢₒ)² / (Σ_{i∈R} wᵢ · k)
///
/// — torch's `mse_loss` (mean over all elements) when the weights are 1.
/// Each step is the `torch.optim.SGD` update of ``SGDOptimizer`` (weight
/// decay and momentum apply to W and b alike; without an intercept b stays 0
/// and is not a parameter). With no weight decay or momentum this is exactly
/// the seed's `w -= w.grad * lr; b -= b.grad * lr`.
///
/// **Gradient descent** (`.gradientDescent`): one step per epoch on the
/// loss of all rows. The recorded loss of epoch e is the full-batch loss
/// *before* epoch e's update (what the seed prints). The data are read once:
/// the loss and gradient come from their moments (``CrossProducts``,
/// ``MomentObjective``) at O(k·d²) per epoch. When that would cost more than
/// reading the data every epoch (d large against n or the number of epochs,
/// or d > ``maximumMomentFeatures``), each epoch reads the data directly
/// instead (``BatchObjective``); both compute the same quantities.
///
/// **SGD** (`.stochasticGradientDescent`): each epoch visits the rows in
/// mini-batches of `batchSize` (the last one may be smaller; a batch size
/// above n means one batch of all rows), one step per batch on that batch's
/// loss. Rows come in index order, or with `shuffle` in a new random order
/// every epoch: a ``SplitMix64`` generator seeded once per fit with
/// `hyperparameters.seed`, and at the start of each epoch the identity order
/// 0, 1, …, n−1 is shuffled by ``SplitMix64/shuffle(_:)`` (Fisher–Yates with
/// Lemire's bounded draws). The recorded loss of an epoch is
/// Σ_batches (weighted batch SSE, computed before that batch's step) / (N·k)
/// with N = Σ wᵢ over all rows. A batch whose weights sum to zero has zero
/// gradient; its step still runs (weight decay and momentum act).
///
/// **Progress and stopping.** After epoch e's update its loss is appended to
/// the history and `progress(e, loss)` runs; if it returns false training
/// stops there, keeping e + 1 updates and e + 1 history entries.
/// `stoppedEarly` is true when that skipped at least one epoch.
///
/// **Errors.** ``EngineError/diverged(_:)`` when a recorded loss or any
/// parameter becomes NaN or infinite (the message names the epoch);
/// ``EngineError/argument(_:)`` for inconsistent sizes (which the caller
/// normally rules out). With `epochs == 0` the initial weights come back
/// unchanged with an empty history (intercepts are zero without an
/// intercept, as after any fit without one).
///
/// Results depend only on the inputs, never on `threads`: GD's single pass
/// over the data (``CrossProducts``) uses that many workers on fixed chunks
/// merged in order; the epochs and SGD run on the calling thread.
enum GradientTrainer {
    /// GD reads the data through their moments only while d is at most this
    /// (the d × d moment matrix then needs at most 128 MiB).
    static let maximumMomentFeatures = 4096

    /// Trains a linear model from `initialWeights` (k × d row-major) and
    /// `initialIntercepts` (k) with `hyperparameters.solver`
    /// (`.gradientDescent` or `.stochasticGradientDescent`); see the type's
    /// documentation for the exact semantics.
    ///
    /// Throws only ``EngineError``.
    static func train<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
        hyperparameters: Hyperparameters, initialWeights: [Double], initialIntercepts: [Double],
        progress: ProgressHandler?
    ) throws -> TrainingResult {
        try train(X: X, Y: Y, sampleWeight: sampleWeight, hyperparameters: hyperparameters,
                  initialWeights: initialWeights, initialIntercepts: initialIntercepts, progress: progress,
                  valuesChecked: true)
    }

    /// As the public `train`; with `valuesChecked` false the caller has not
    /// scanned X and Y for NaN and infinity: gradient descent through the
    /// moments notices them from its one pass (and only then scans, to name
    /// the entry), every other path scans first. Throws
    /// ``EngineError/nonFinite(_:)`` for them, before any training.
    static func train<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
        hyperparameters: Hyperparameters, initialWeights: [Double], initialIntercepts: [Double],
        progress: ProgressHandler?, valuesChecked: Bool
    ) throws -> TrainingResult {
        try Training(hyperparameters: hyperparameters, initialWeights: initialWeights,
                     initialIntercepts: initialIntercepts, progress: progress, valuesChecked: valuesChecked)
            .specialized(X, Y, sampleWeight)
    }

    /// The training, run specialised (see ConcreteElement.swift).
    private struct Training: SpecializedJob {
        let hyperparameters: Hyperparameters
        let initialWeights: [Double], initialIntercepts: [Double]
        let progress: ProgressHandler?
        let valuesChecked: Bool
        func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>,
                                    _ sampleWeight: VectorView<F>?) throws -> TrainingResult {
            try GradientTrainer.run(X: X, Y: Y, sampleWeight: sampleWeight, hyperparameters: hyperparameters,
                                    initialWeights: initialWeights, initialIntercepts: initialIntercepts,
                                    progress: progress, valuesChecked: valuesChecked)
        }
    }

    /// The implementation of ``train(X:Y:sampleWeight:hyperparameters:initialWeights:initialIntercepts:progress:)``.
    fileprivate static func run<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
        hyperparameters: Hyperparameters, initialWeights: [Double], initialIntercepts: [Double],
        progress: ProgressHandler?, valuesChecked: Bool
    ) throws -> TrainingResult {
        let n = X.rows, d = X.columns, k = Y.columns
        let hp = hyperparameters
        guard n >= 1, Y.rows == n, d >= 0, k >= 1 else {
            throw EngineError.argument("train: X is \(n)×\(d) and Y is \(Y.rows)×\(k); need equal row counts ≥ 1 and k ≥ 1")
        }
        let (kd, overflow) = k.multipliedReportingOverflow(by: d)
        guard !overflow, kd < Int.max - k else {
            throw EngineError.argument("train: \(k) outputs × \(d) features overflow")
        }
        guard initialWeights.count == kd, initialIntercepts.count == k else {
            throw EngineError.argument(
                "train: initial weights have \(initialWeights.count) values (expected \(kd)), intercepts \(initialIntercepts.count) (expected \(k))")
        }
        if let w = sampleWeight, w.count != n {
            throw EngineError.argument("train: sample_weight has \(w.count) entries, expected \(n)")
        }
        guard hp.epochs >= 0 else { throw EngineError.argument("train: epochs \(hp.epochs) < 0") }
        guard hp.solver == .gradientDescent || hp.solver == .stochasticGradientDescent else {
            throw EngineError.argument("train: solver \(hp.solver) is not gradient descent or SGD")
        }
        var totalWeight = Double(n)
        if let w = sampleWeight {
            totalWeight = 0
            for i in 0..<n { totalWeight += w[i].asDouble }
        }
        guard totalWeight > 0, totalWeight.isFinite else {
            throw EngineError.argument("train: sample weights sum to \(totalWeight); need a finite positive sum")
        }

        let throughMoments = hp.solver == .gradientDescent && hp.epochs > 0
            && usesMoments(rows: n, features: d, outputs: k, epochs: hp.epochs)
        if !valuesChecked && !throughMoments {
            try InputValidation.checkFiniteValues(X: X, Y: Y)
        }

        let intercepts = hp.fitIntercept ? initialIntercepts : Array(repeating: 0, count: k)
        if hp.epochs == 0 {
            return TrainingResult(weights: initialWeights, intercepts: intercepts, lossHistory: [], stoppedEarly: false)
        }

        let state = TrainingState(weights: initialWeights, intercepts: intercepts, fitIntercept: hp.fitIntercept)
        let optimizer = SGDOptimizer(learningRate: hp.learningRate, weightDecay: hp.weightDecay, momentum: hp.momentum)
        var history: [Double] = []
        history.reserveCapacity(min(hp.epochs, 1 << 16))
        let stopped: Bool
        if hp.solver == .gradientDescent {
            stopped = try gradientDescent(
                X: X, Y: Y, sampleWeight: sampleWeight, epochs: hp.epochs, threads: hp.threads,
                valuesChecked: valuesChecked || !throughMoments,
                state: state, optimizer: optimizer, history: &history, progress: progress)
        } else {
            stopped = try stochasticGradientDescent(
                X: X, Y: Y, sampleWeight: sampleWeight, totalWeight: totalWeight, hyperparameters: hp,
                state: state, optimizer: optimizer, history: &history, progress: progress)
        }
        return TrainingResult(weights: state.weights, intercepts: state.intercepts,
                              lossHistory: history, stoppedEarly: stopped)
    }

    /// Whether full-batch GD should go through the moments: one pass of
    /// about n·d·(d/2 + k) multiply-adds plus k·d² per epoch, against
    /// 2·n·k·d per epoch reading the data directly.
    static func usesMoments(rows n: Int, features d: Int, outputs k: Int, epochs: Int) -> Bool {
        guard d <= maximumMomentFeatures else { return false }
        let rows = Double(n), features = Double(d), outputs = Double(k), passes = Double(epochs)
        let moments = rows * features * (features / 2 + outputs) + passes * outputs * features * features
        let direct = 2 * passes * rows * outputs * features
        return moments <= direct
    }

    /// Records epoch `epoch`'s loss after its update, checks for divergence
    /// and asks `progress` whether to go on.
    @inline(__always)
    private static func finishEpoch(_ epoch: Int, loss: Double, parametersFinite: Bool,
                                    history: inout [Double], progress: ProgressHandler?) throws -> Bool {
        guard loss.isFinite else {
            throw EngineError.diverged("training diverged at epoch \(epoch): the loss is \(loss); lower the learning rate")
        }
        guard parametersFinite else {
            throw EngineError.diverged("training diverged at epoch \(epoch): a weight became NaN or infinite; lower the learning rate")
        }
        history.append(loss)
        if let progress { return progress(epoch, loss) }
        return true
    }

    /// Full-batch GD. Returns whether the progress callback stopped it early.
    private static func gradientDescent<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, epochs: Int, threads: Int,
        valuesChecked: Bool,
        state: TrainingState, optimizer: SGDOptimizer, history: inout [Double], progress: ProgressHandler?
    ) throws -> Bool {
        let n = X.rows, d = X.columns, k = Y.columns
        if usesMoments(rows: n, features: d, outputs: k, epochs: epochs) {
            let moments = try CrossProducts(X: X, Y: Y, sampleWeight: sampleWeight, threads: threads)
            if !moments.isFinite && !valuesChecked {
                // NaN or infinity in the data (throws), or an overflow (which
                // then shows as a diverged loss, as it always did).
                try InputValidation.checkFiniteValues(X: X, Y: Y)
            }
            let objective = MomentObjective(moments)
            for epoch in 0..<epochs {
                let loss = objective.evaluate(parameters: state.parameters, gradient: state.gradient)
                let finite = state.step(optimizer)
                if !(try finishEpoch(epoch, loss: loss, parametersFinite: finite, history: &history, progress: progress)) {
                    return epoch < epochs - 1
                }
            }
        } else {
            let row = UnsafeMutablePointer<Double>.allocate(capacity: max(1, d))
            defer { row.deallocate() }
            let objective = BatchObjective(X: X, Y: Y, sampleWeight: sampleWeight, row: row)
            for epoch in 0..<epochs {
                let (sse, weight) = objective.evaluate(positions: 0..<n, order: nil,
                                                       parameters: state.parameters, gradient: state.gradient)
                let loss = sse / (weight * Double(k))
                let finite = state.step(optimizer)
                if !(try finishEpoch(epoch, loss: loss, parametersFinite: finite, history: &history, progress: progress)) {
                    return epoch < epochs - 1
                }
            }
        }
        return false
    }

    /// Mini-batch SGD. Returns whether the progress callback stopped it early.
    private static func stochasticGradientDescent<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, totalWeight: Double,
        hyperparameters hp: Hyperparameters, state: TrainingState, optimizer: SGDOptimizer,
        history: inout [Double], progress: ProgressHandler?
    ) throws -> Bool {
        let n = X.rows, d = X.columns, k = Y.columns
        let batch = max(1, hp.batchSize)
        let row = UnsafeMutablePointer<Double>.allocate(capacity: max(1, d))
        defer { row.deallocate() }
        let objective = BatchObjective(X: X, Y: Y, sampleWeight: sampleWeight, row: row)
        let order: UnsafeMutableBufferPointer<Int>? = hp.shuffle ? .allocate(capacity: n) : nil
        defer { order?.deallocate() }
        var generator = SplitMix64(seed: hp.seed)
        let denominator = totalWeight * Double(k)

        for epoch in 0..<hp.epochs {
            if let order {
                for i in 0..<n { order[i] = i }
                generator.shuffle(order)
            }
            let orderBase = order.flatMap { UnsafePointer($0.baseAddress) }
            var sse = 0.0
            var finite = true
            var start = 0
            while start < n {
                let end = n - start <= batch ? n : start + batch
                let (batchSSE, _) = objective.evaluate(positions: start..<end, order: orderBase,
                                                       parameters: state.parameters, gradient: state.gradient)
                sse += batchSSE
                finite = state.step(optimizer) && finite
                start = end
            }
            if !(try finishEpoch(epoch, loss: sse / denominator, parametersFinite: finite,
                                 history: &history, progress: progress)) {
                return epoch < hp.epochs - 1
            }
        }
        return false
    }
}
