/// The input of an exact fit: views of the caller's data plus the options
/// that change the answer.
///
/// The caller (the model) has already checked that `X` and `Y` have the same
/// number of rows (at least one), that every value is finite, and that the
/// sample weights (when present) are finite, non-negative and not all zero.
struct LeastSquaresProblem<Element: TrainingScalar> {
    /// n × d design, row-major.
    var X: MatrixView<Element>
    /// n × k targets, row-major.
    var Y: MatrixView<Element>
    /// n non-negative weights, or nil for ordinary least squares.
    var sampleWeight: VectorView<Element>?
    /// Whether to fit an unpenalised intercept per output.
    var fitIntercept: Bool
    /// Ridge penalty: minimise Σ wᵢ‖yᵢ − W xᵢ − b‖² + alpha·‖W‖².
    var alpha: Double
    /// Relative singular-value cut-off; negative means max(n, p) · ε.
    var rcond: Double
    /// Worker threads; 0 means all cores.
    var threads: Int

    init(X: MatrixView<Element>, Y: MatrixView<Element>, sampleWeight: VectorView<Element>? = nil,
                fitIntercept: Bool = true, alpha: Double = 0, rcond: Double = -1, threads: Int = 0) {
        self.X = X
        self.Y = Y
        self.sampleWeight = sampleWeight
        self.fitIntercept = fitIntercept
        self.alpha = alpha
        self.rcond = rcond
        self.threads = threads
    }
}
