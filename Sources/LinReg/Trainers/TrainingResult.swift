/// The outcome of a GD or SGD run.
public struct TrainingResult: Sendable, Equatable {
    /// k × d weights, row-major.
    public var weights: [Double]
    /// k intercepts.
    public var intercepts: [Double]
    /// One loss per epoch run (see `linreg_loss_history` for the definition).
    public var lossHistory: [Double]
    /// True when the progress callback asked to stop before the last epoch.
    public var stoppedEarly: Bool

    public init(weights: [Double], intercepts: [Double], lossHistory: [Double], stoppedEarly: Bool) {
        self.weights = weights
        self.intercepts = intercepts
        self.lossHistory = lossHistory
        self.stoppedEarly = stoppedEarly
    }
}

/// Called after each epoch's loss is recorded with (epoch, loss); returning
/// false stops training early.
public typealias ProgressHandler = (Int, Double) -> Bool
