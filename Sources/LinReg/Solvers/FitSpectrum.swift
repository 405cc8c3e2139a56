import Glibc

/// The singular values an exact fit reports, computed when first asked for:
/// scikit-learn's `singular_` (of the centred design) and statsmodels'
/// `condition_number` (of the full design √w·[1, X]).
///
/// Neither is needed for the coefficients, the covariance or any other
/// statistic of a full-rank fit, yet each costs a singular-value
/// decomposition of a p × p triangle: O(p³), most of a fit's time on wide
/// data (two of them took about 1 s of a 3 s fit of 50,000 × 1,024). So a
/// fit that does not need them keeps the two unscaled triangles (O(p²)
/// doubles, like the factor itself) and decomposes one the first time its
/// values are read, by the same code and so to the same bits as an eager
/// fit. Rank-deficient fits, whose minimum-norm solution needs the centred
/// decomposition, and loaded models give the values at once.
///
/// Thread safety: readers of one model may run concurrently (the C
/// interface allows it), so the first read computes under a lock and later
/// reads return the stored values. Copies of a fit share one instance (the
/// values are a function of the fit's data, whoever computes them).
final class FitSpectrum: @unchecked Sendable {
    /// What a deferred spectrum decomposes: the unscaled triangles of the
    /// fit's factor (``QRAccumulator/unscaledColumns(_:exponents:)``),
    /// formed when first needed.
    struct Source {
        /// The fit's factor and its column exponents.
        var factor: QRAccumulator
        var exponents: [Int]
        /// The centred block's columns (and rows) of the factor.
        var centredColumns: Range<Int>
        /// Whether the full design differs from the centred block (an intercept).
        var hasFull: Bool
        /// Rows seen: `singular_` has min(n, d) values.
        var rowCount: Int
        /// Whether the full design has full rank (else the condition number is +∞).
        var fullRank: Bool

        var centredSize: Int { centredColumns.count }
        var centredExponent: Int { factor.unscaledExponent(centredColumns, exponents: exponents) }
        var centred: [Double] { factor.unscaledColumns(centredColumns, exponents: exponents).matrix }
        /// The full design's triangle (p × p), or nil when it is the centred block (no intercept).
        var full: [Double]? {
            hasFull ? factor.unscaledColumns(0 ..< factor.parameterCount, exponents: exponents).matrix : nil
        }
        var fullSize: Int { factor.parameterCount }
    }

    private let lock = DeferredValueLock()
    private var source: Source?
    private var singular: [Double]?
    private var condition: Double?
    /// The centred block's values when it is also the full design (no intercept).
    private var centredValues: [Double]?

    /// Values known already.
    init(singularValues: [Double], conditionNumber: Double) {
        singular = singularValues
        condition = conditionNumber
    }

    /// Values computed from `source` when first read.
    init(deferred source: Source) {
        self.source = source
    }

    /// Whether a value is still to be computed (for tests).
    var isPending: Bool {
        lock.withLock { singular == nil || condition == nil }
    }

    /// Singular values of the centred design, largest first (min(n, d) of them).
    var singularValues: [Double] {
        lock.withLock { computeSingularValues() }
    }

    private func computeSingularValues() -> [Double] {
        if let singular { return singular }
        let source = source!
        let exponent = source.centredExponent  // a maximum over the columns: once, not per value
        let values = centredDecomposition(source).prefix(min(source.rowCount, source.centredSize)).map {
            PowerOfTwo.scale($0, by: exponent)
        }
        singular = values
        releaseIfDone()
        return values
    }

    /// σ_max/σ_min of the full design (unscaled): +∞ when it is rank-deficient.
    var conditionNumber: Double {
        lock.withLock { computeConditionNumber() }
    }

    private func computeConditionNumber() -> Double {
        if let condition { return condition }
        let source = source!
        let values = source.full.map { JacobiSVD.triangularValues(columnMajor: $0, size: source.fullSize).values }
            ?? centredDecomposition(source)
        let value = Self.conditionNumber(values, fullRank: source.fullRank)
        condition = value
        releaseIfDone()
        return value
    }

    /// The ratio of the extreme values; 1 without values, +∞ for a
    /// rank-deficient design (its σ_min is rounding noise, so the ratio would be too).
    static func conditionNumber(_ values: [Double], fullRank: Bool) -> Double {
        guard let largest = values.first, let smallest = values.last else { return 1 }
        return (smallest > 0 && largest > 0 && fullRank) ? largest / smallest : .infinity
    }

    /// The centred block's values (scaled by 2^(−exponent)), decomposed once.
    private func centredDecomposition(_ source: Source) -> [Double] {
        if let centredValues { return centredValues }
        let values = JacobiSVD.triangularValues(columnMajor: source.centred, size: source.centredSize).values
        centredValues = values
        return values
    }

    /// Drops the triangles once both results are known.
    private func releaseIfDone() {
        if singular != nil && condition != nil {
            source = nil
            centredValues = nil
        }
    }
}
