/// The outcome of a GD or SGD run.
struct TrainingResult: Sendable, Equatable {
    /// k × d weights, row-major.
    var weights: [Double]
    /// k intercepts.
    var intercepts: [Double]
    /// One loss per epoch run (see `linreg_loss_history` for the definition).
    var lossHistory: [Double]
    /// True when the progress callback asked to stop before the last epoch.
    var stoppedEarly: Bool

    init(weights: [Double], intercepts: [Double], lossHistory: [Double], stoppedEarly: Bool) {
        self.weights = weights
        self.intercepts = intercepts
        self.lossHistory = lossHistory
        self.stoppedEarly = stoppedEarly
    }
}

/// Called after each epoch's loss is recorded with (epoch, loss); returning
/// false stops training early.
public typealias ProgressHandler = (Int, Double) -> Bool
