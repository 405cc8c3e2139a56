/// The trainers' working memory: the parameters as one flat vector
/// (W, k × d row-major, then b, k values), their gradient in the same layout
/// and the optimizer's momentum buffers, allocated once per fit.
///
/// Without an intercept b stays zero: it is not a parameter, so
/// ``step(_:)`` never touches it (its gradient entries are ignored).
final class TrainingState {
    let outputs: Int
    let features: Int
    let fitIntercept: Bool
    /// W then b.
    let parameters: UnsafeMutablePointer<Double>
    /// ∂L/∂W then ∂L/∂b, written by the objectives.
    let gradient: UnsafeMutablePointer<Double>
    /// torch.optim.SGD momentum buffers, zero before the first step.
    let momentumBuffer: UnsafeMutablePointer<Double>
    private let count: Int

    /// Starts from `weights` (k × d) and `intercepts` (k); the caller checked the sizes.
    init(weights: [Double], intercepts: [Double], fitIntercept: Bool) {
        outputs = intercepts.count
        features = outputs > 0 ? weights.count / outputs : 0
        self.fitIntercept = fitIntercept
        count = weights.count + intercepts.count
        parameters = .allocate(capacity: max(1, count))
        gradient = .allocate(capacity: max(1, count))
        momentumBuffer = .allocate(capacity: max(1, count))
        gradient.initialize(repeating: 0, count: max(1, count))
        momentumBuffer.initialize(repeating: 0, count: max(1, count))
        for (i, w) in weights.enumerated() { parameters[i] = w }
        for (o, b) in intercepts.enumerated() { parameters[weights.count + o] = fitIntercept ? b : 0 }
    }

    deinit {
        parameters.deallocate()
        gradient.deallocate()
        momentumBuffer.deallocate()
    }

    /// One optimizer step from the current gradient; false when a parameter
    /// became NaN or infinite.
    @inline(__always)
    func step(_ optimizer: SGDOptimizer) -> Bool {
        let active = fitIntercept ? count : count - outputs
        return optimizer.step(parameters: parameters, gradient: gradient, buffer: momentumBuffer, count: active)
    }

    /// The current W, k × d row-major.
    var weights: [Double] {
        Array(UnsafeBufferPointer(start: parameters, count: outputs * features))
    }

    /// The current b (zeros without an intercept).
    var intercepts: [Double] {
        Array(UnsafeBufferPointer(start: parameters + outputs * features, count: outputs))
    }
}
