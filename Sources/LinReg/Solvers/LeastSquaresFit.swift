/// The result of an exact fit: coefficients plus everything statistical
/// inference needs, so statistics never have to read the data again.
public struct LeastSquaresFit: Sendable, Equatable {
    /// k × d weights, row-major (the layout of `nn.Linear.weight`).
    public var weights: [Double]
    /// k intercepts (zeros when no intercept was fitted).
    public var intercepts: [Double]
    /// Numerical rank of the full design √w·[X, 1] (the ones column only when
    /// an intercept is fitted): statsmodels' `rank`.
    public var rank: Int
    /// Numerical rank of √w·X centred (weighted mean) when an intercept is
    /// fitted, of √w·X otherwise: scikit-learn's `rank_`.
    public var centeredRank: Int
    /// Singular values of that same centred matrix, largest first:
    /// scikit-learn's `singular_` (computed when first read: ``FitSpectrum``).
    public var singularValues: [Double] { spectrum.singularValues }
    /// Ratio of the largest to the smallest singular value of the full
    /// design √w·[X, 1] (unscaled): statsmodels' `condition_number`
    /// (computed when first read).
    public var conditionNumber: Double { spectrum.conditionNumber }
    /// Where the two above come from.
    let spectrum: FitSpectrum
    /// (Xᵀ W X)⁺ for the full design, p × p with p = d + (intercept ? 1 : 0),
    /// parameters ordered features first, then the intercept. Multiplying by
    /// σ² gives the coefficient covariance. Nil when alpha > 0. Computed
    /// when first read for a full-rank fit (``FitCovariance``).
    public var unscaledCovariance: [Double]? {
        get { covariance?.value }
        set { covariance = newValue.map { FitCovariance($0) } }
    }
    /// Where the matrix above comes from (possibly deferred); nil when there is none.
    var covariance: FitCovariance?
    /// Whether the fit has a covariance, without computing a deferred one.
    var hasCovariance: Bool { covariance != nil }
    /// Per output: Σ wᵢ rᵢ² of the residuals.
    public var residualSumOfSquares: [Double]
    /// Per output: Σ wᵢ (yᵢ − ȳ)² about the weighted mean when an intercept
    /// is fitted, Σ wᵢ yᵢ² otherwise (statsmodels' centred/uncentred TSS).
    public var totalSumOfSquares: [Double]
    /// Number of rows n (statsmodels' `nobs`, zero-weight rows included).
    public var observationCount: Int
    /// Σ log wᵢ over the rows (0 without weights): the WLS log-likelihood term.
    public var sumLogWeights: Double

    public init(weights: [Double], intercepts: [Double], rank: Int, centeredRank: Int,
                singularValues: [Double], conditionNumber: Double, unscaledCovariance: [Double]?,
                residualSumOfSquares: [Double], totalSumOfSquares: [Double],
                observationCount: Int, sumLogWeights: Double) {
        self.weights = weights
        self.intercepts = intercepts
        self.rank = rank
        self.centeredRank = centeredRank
        spectrum = FitSpectrum(singularValues: singularValues, conditionNumber: conditionNumber)
        covariance = unscaledCovariance.map { FitCovariance($0) }
        self.residualSumOfSquares = residualSumOfSquares
        self.totalSumOfSquares = totalSumOfSquares
        self.observationCount = observationCount
        self.sumLogWeights = sumLogWeights
    }

    /// A fit whose singular values come from `spectrum` and whose covariance
    /// from `covariance` (either possibly deferred).
    init(weights: [Double], intercepts: [Double], rank: Int, centeredRank: Int, spectrum: FitSpectrum,
         covariance: FitCovariance?, residualSumOfSquares: [Double], totalSumOfSquares: [Double],
         observationCount: Int, sumLogWeights: Double) {
        self.weights = weights
        self.intercepts = intercepts
        self.rank = rank
        self.centeredRank = centeredRank
        self.spectrum = spectrum
        self.covariance = covariance
        self.residualSumOfSquares = residualSumOfSquares
        self.totalSumOfSquares = totalSumOfSquares
        self.observationCount = observationCount
        self.sumLogWeights = sumLogWeights
    }

    /// Equal fits: every stored value equal, the singular values and the
    /// condition number included (computing them if they were deferred).
    public static func == (lhs: LeastSquaresFit, rhs: LeastSquaresFit) -> Bool {
        lhs.weights == rhs.weights && lhs.intercepts == rhs.intercepts && lhs.rank == rhs.rank
            && lhs.centeredRank == rhs.centeredRank && lhs.unscaledCovariance == rhs.unscaledCovariance
            && lhs.residualSumOfSquares == rhs.residualSumOfSquares
            && lhs.totalSumOfSquares == rhs.totalSumOfSquares && lhs.observationCount == rhs.observationCount
            && lhs.sumLogWeights == rhs.sumLogWeights && lhs.singularValues == rhs.singularValues
            && lhs.conditionNumber == rhs.conditionNumber
    }
}
