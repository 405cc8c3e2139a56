/// The unscaled covariance (XᵀWX)⁺ of an exact fit, computed when first read.
///
/// A full-rank least-squares fit forms it as R⁻¹R⁻ᵀ in double-double from
/// its triangular factor: two O(p³) steps (the triangular inverse, then the
/// products), about a sixth of a 50,000 × 1,024 fit, and nothing the
/// coefficients need. Standard errors, tests, intervals, robust covariances,
/// aliasing and saving read it; a fit that only predicts never does. So such
/// a fit keeps the recipe (a copy of the accumulator: its arrays are shared
/// with the model's until one of them changes) and runs it the first time a
/// statistic asks, by the same code as an eager fit and so to the same bits.
/// Other fits (rank-deficient, loaded from a file) hold the matrix at once.
///
/// Thread safety: readers of one model may run concurrently (the C interface
/// allows it), so the first read computes under a lock and later reads
/// return the stored matrix. Copies of a fit share one instance.
final class FitCovariance: @unchecked Sendable {
    private let lock = DeferredValueLock()
    private var matrix: [Double]?
    private var recipe: (@Sendable () -> [Double])?

    /// A matrix known already.
    init(_ matrix: [Double]) {
        self.matrix = matrix
    }

    /// A matrix `recipe` computes when first read.
    init(deferred recipe: @escaping @Sendable () -> [Double]) {
        self.recipe = recipe
    }

    /// Whether the matrix is still to be computed (for tests).
    var isPending: Bool {
        lock.withLock { matrix == nil }
    }

    /// The p × p matrix, features first, then the intercept.
    var value: [Double] {
        lock.withLock {
            if let matrix { return matrix }
            let computed = recipe!()
            matrix = computed
            recipe = nil
            return computed
        }
    }
}
