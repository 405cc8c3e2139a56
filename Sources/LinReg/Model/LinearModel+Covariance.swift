/// Inference under a chosen covariance estimator (the parameter
/// `covarianceType`): the robust covariance's passes, its sums' merging, the
/// covariance matrix, Wald tests and prediction intervals. Formulas:
/// ``CoefficientInference`` and docs/INFERENCE.md.
///
/// The robust covariances need the residuals at the final coefficients, so
/// a second look at the data: `fit` makes it itself for HC0–HC3 (the data
/// are at hand); otherwise (chunks, clusters, distributed parts) the caller
/// starts a pass at the model's coefficients (``beginCovariancePass()``),
/// feeds it every row (``covariancePass(X:Y:sampleWeight:groups:ways:)``,
/// any chunking) and may merge parts' passes taken at the same coefficients
/// (``mergeCovariancePass(_:)``). Any fit, merge or `setWeights` discards
/// the pass.
extension LinearModel {
    /// The inference of the last unpenalised exact fit under the current
    /// covariance type and `useT`.
    func coefficientInference() throws -> CoefficientInference {
        let statistics = try availableStatistics()
        guard let exactFit else { throw EngineError.unavailable("no exact fit") }
        return try CoefficientInference(statistics: statistics, fit: exactFit, meat: covarianceMeat,
                                        factor: covarianceFactor(exactFit), type: hyperparameters.covarianceType,
                                        useT: hyperparameters.useT)
    }

    /// F = R⁻¹ with F·Fᵀ = (XᵀWX)⁻¹ for a full-rank fit (nil otherwise):
    /// the robust covariances' accurate form (``QRAccumulator/covarianceFactor()``).
    func covarianceFactor(_ fit: LeastSquaresFit) -> [Double]? {
        guard let accumulator, fit.rank == accumulator.parameterCount else { return nil }
        return accumulator.covarianceFactor()
    }

    /// F or its p-value per output under a robust covariance (a Wald test of
    /// every slope); NaN when the fit has no slope to test.
    func robustModelF(_ kind: StatisticKind) throws -> [Double] {
        let inference = try coefficientInference()
        let dfModel = try availableStatistics().modelDegreesOfFreedom
        return (0 ..< outputCount).map { j in
            guard dfModel > 0 else { return .nan }
            let test = inference.modelF(output: j)
            return kind == .f ? test.f : test.pValue
        }
    }

    /// The sums a one-shot `fit` leaves for HC0–HC3 (nil for the other types
    /// or without statistics): one pass over the data at the fit's coefficients.
    func oneShotCovarianceMeat<E: TrainingScalar>(
        _ result: LeastSquaresFit, rows: QRAccumulator, statistics: RegressionStatistics?, X: MatrixView<E>,
        Y: MatrixView<E>, sampleWeight: VectorView<E>?
    ) throws -> CovarianceMeat? {
        guard let statistics, let kind = hyperparameters.covarianceType.meatKind, kind != .cluster,
              let covariance = result.unscaledCovariance else { return nil }
        try reserveCovarianceWorkspace()
        let factor = result.rank == rows.parameterCount ? rows.covarianceFactor() : nil
        var meat = CovarianceMeat(kind: kind, featureCount: featureCount, outputCount: outputCount,
                                  fitIntercept: statistics.fitIntercept, weights: result.weights,
                                  intercepts: result.intercepts, whitened: factor != nil)
        try CovariancePass.add(X: X, Y: Y, sampleWeight: sampleWeight, groups: nil, ways: 0,
                               unscaledCovariance: covariance, factor: factor, into: &meat,
                               threads: hyperparameters.threads)
        return meat
    }

    /// Checks that a pass's sums (k·p² doubles for HC, a few p × p matrices
    /// per output for the covariance itself) fit in memory.
    func reserveCovarianceWorkspace() throws {
        let p = featureCount + 1
        let square = MemoryReservation.product(p, p)
        try MemoryReservation.ensureDoubles(square.flatMap { MemoryReservation.product($0, outputCount + 4) },
                                            for: "covariance sums of \(outputCount) outputs x \(p)^2")
    }

    /// Starts an empty covariance pass at the model's current coefficients
    /// for the current covariance type (replacing any earlier pass).
    public mutating func beginCovariancePass() throws {
        let statistics = try availableStatistics()
        guard let kind = hyperparameters.covarianceType.meatKind else {
            throw EngineError.argument("cov_type is nonrobust: its covariance needs no pass (set LINREG_PARAM_COV_TYPE first)")
        }
        guard let exactFit else { throw EngineError.unavailable("no exact fit") }
        try reserveCovarianceWorkspace()
        covarianceMeat = CovarianceMeat(kind: kind, featureCount: featureCount, outputCount: outputCount,
                                        fitIntercept: statistics.fitIntercept, weights: weights,
                                        intercepts: intercepts, whitened: covarianceFactor(exactFit) != nil)
        covariancePassIsOpen = true
    }

    /// Adds rows to the pass started by ``beginCovariancePass()``: `groups`
    /// has `ways` labels per row (cluster only; nil and 0 otherwise).
    public mutating func covariancePass<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, groups: UnsafePointer<Int64>?, ways: Int
    ) throws {
        try InputValidation.checkShapesAndWeights(X: X, Y: Y, sampleWeight: sampleWeight,
                                                  featureCount: featureCount, outputCount: outputCount)
        guard var meat = covarianceMeat, covariancePassIsOpen else {
            throw EngineError.argument("no covariance pass is open at the current coefficients: call linreg_cov_begin after the last fit, partial fit or merge")
        }
        guard let exactFit, let covariance = exactFit.unscaledCovariance, statistics != nil,
              meat.isTaken(at: weights, intercepts) else {
            throw EngineError.argument("the coefficients changed since the covariance pass started: call linreg_cov_begin again")
        }
        if meat.kind != .cluster, ways == 0, groups == nil, meat.kind != hyperparameters.covarianceType.meatKind {
            throw EngineError.argument("cov_type changed since linreg_cov_begin: call it again")
        }
        if meat.kind == .cluster {
            try MemoryReservation.ensureDoubles(
                MemoryReservation.product(X.rows, outputCount * meat.parameterCount * 3),
                for: "cluster sums of \(X.rows) rows")
        }
        try CovariancePass.add(X: X, Y: Y, sampleWeight: sampleWeight, groups: groups, ways: ways,
                               unscaledCovariance: covariance, factor: meat.whitened ? covarianceFactor(exactFit) : nil,
                               into: &meat, threads: hyperparameters.threads)
        covarianceMeat = meat
    }

    /// Adds the pass of `other` (a model with the same coefficients whose
    /// pass saw other rows) to this model's pass.
    public mutating func mergeCovariancePass(_ other: LinearModel) throws {
        guard var meat = covarianceMeat else {
            throw EngineError.argument("into has no covariance pass open: call linreg_cov_begin on it first")
        }
        guard let theirs = other.covarianceMeat else {
            throw EngineError.argument("other has no covariance pass (linreg_cov_begin, linreg_cov_pass_*)")
        }
        try meat.merge(theirs)
        covarianceMeat = meat
    }

    /// The covariance matrix of the coefficients per output, (d+1) × (d+1)
    /// in statsmodels' `params` order (intercept first, then the features;
    /// the intercept's row and column NaN without one), outputs one after another.
    public func covarianceMatrix() throws -> [Double] {
        let inference = try coefficientInference()
        let d = featureCount, q = d + 1, p = inference.parameterCount
        var out = [Double](repeating: .nan, count: outputCount * q * q)
        // Solver index c (features then intercept) -> params index.
        func position(_ c: Int) -> Int { c < d ? c + 1 : 0 }
        for j in 0 ..< outputCount {
            for a in 0 ..< p {
                for b in 0 ..< p {
                    out[j * q * q + position(a) * q + position(b)] = inference.covariances[j][a * p + b]
                }
            }
        }
        return out
    }

    /// Wald F test of R·β = q for output `output`: R is m × (d+1) in params
    /// order (intercept column first, which must be zero without an
    /// intercept), q has m entries (nil: zeros).
    public func waldTest(output: Int, restrictions r: [Double], values q: [Double]?, count m: Int) throws
        -> (f: Double, pValue: Double, dfNumerator: Double, dfDenominator: Double) {
        let inference = try coefficientInference()
        let d = featureCount, p = inference.parameterCount
        // R·C (m × p) and R·C·Rᵀ with its eigenvectors (2 m × m).
        try MemoryReservation.ensureDoubles(
            MemoryReservation.product(max(m, 0), p).flatMap { a in MemoryReservation.product(max(m, 0), max(m, 0)).flatMap { b in
                MemoryReservation.product(b, 3).map { $0 + a } } },
            for: "Wald test of \(m) restrictions")
        guard output >= 0, output < outputCount else {
            throw EngineError.argument("output = \(output) is out of range (the model has \(outputCount) outputs)")
        }
        guard m >= 1, r.count == m * (d + 1), q == nil || q!.count == m else {
            throw EngineError.argument("R must be n_restrictions x (n_features + 1) and q n_restrictions long")
        }
        if let bad = r.firstIndex(where: { !$0.isFinite }) {
            throw EngineError.nonFinite("R[\(bad / (d + 1))][\(bad % (d + 1))] is \(r[bad])")
        }
        if let q, let bad = q.firstIndex(where: { !$0.isFinite }) {
            throw EngineError.nonFinite("q[\(bad)] is \(q[bad])")
        }
        var solverOrder = [Double](repeating: 0, count: m * p)
        for a in 0 ..< m {
            let row = a * (d + 1)
            if !inference.fitIntercept && r[row] != 0 {
                throw EngineError.argument("R[\(a)][0] = \(r[row]) restricts the intercept, but the model has none")
            }
            for c in 0 ..< d { solverOrder[a * p + c] = r[row + 1 + c] }
            if inference.fitIntercept { solverOrder[a * p + d] = r[row] }
        }
        let test = inference.waldTest(output: output, restrictions: solverOrder,
                                      values: q ?? [Double](repeating: 0, count: m), count: m)
        return (test.f, test.pValue, test.dfNumerator, test.dfDenominator)
    }

    /// Values written per row and output by ``predictionIntervals(X:sampleWeight:level:into:)``.
    public static let predictionColumns = 6

    /// For each row of X and output j, six values at `out[(i·k + j)·6 …]`:
    /// the predicted mean, its standard error √(x̃ᵀC_jx̃), the mean's
    /// confidence interval and the observation (prediction) interval at
    /// `level`, whose variance adds scale_j/wᵢ (wᵢ = 1 without weights), as
    /// statsmodels' `get_prediction(...).summary_frame()`: Student t with
    /// df_resid when t is used, else normal. `out` is untouched on failure.
    public func predictionIntervals<E: TrainingScalar>(
        X: MatrixView<E>, sampleWeight: VectorView<E>?, level: Double, into out: UnsafeMutablePointer<Double>
    ) throws {
        guard X.columns == featureCount else {
            throw EngineError.argument("X has \(X.columns) columns; the model has \(featureCount) features")
        }
        guard level > 0, level < 1 else { throw EngineError.argument("level = \(level) must satisfy 0 < level < 1") }
        let inference = try coefficientInference()
        if let (row, column) = X.firstNonFinite() {
            throw EngineError.nonFinite("X[\(row)][\(column)] is \(X[row, column]) (row \(row), column \(column))")
        }
        if let sampleWeight {
            guard sampleWeight.count == X.rows else {
                throw EngineError.argument("sample_weight has \(sampleWeight.count) entries; expected n_samples = \(X.rows)")
            }
            for i in 0 ..< sampleWeight.count {
                let w = sampleWeight[i].asDouble
                guard w.isFinite else { throw EngineError.nonFinite("sample_weight[\(i)] is \(w) (row \(i))") }
                guard w > 0 else { throw EngineError.argument("sample_weight[\(i)] = \(w) must be > 0 (row \(i))") }
            }
        }
        let d = featureCount, k = outputCount, p = inference.parameterCount, n = X.rows
        let critical = inference.criticalValue(level: level, df: inference.residualDegreesOfFreedom)
        let pieceRows = 4096
        let pieces = n == 0 ? 0 : (n - 1) / pieceRows + 1
        let workers = WorkerThreads.count(requested: hyperparameters.threads, pieces: pieces)
        let model = self
        WorkerThreads.forEach(items: pieces, workers: workers) { _, piece in
            var x = [Double](repeating: 1, count: p)
            for i in (piece * pieceRows) ..< min(n, (piece + 1) * pieceRows) {
                let row = X.rowPointer(i)
                for c in 0 ..< d { x[c] = row[c].asDouble }
                let w = sampleWeight.map { $0[i].asDouble } ?? 1
                for j in 0 ..< k {
                    var mean = model.intercepts[j]
                    for c in 0 ..< d { mean += model.weights[j * d + c] * x[c] }
                    let cov = inference.covariances[j]
                    var variance = 0.0
                    for a in 0 ..< p {
                        var s = 0.0
                        for b in 0 ..< p { s += cov[a * p + b] * x[b] }
                        variance += x[a] * s
                    }
                    let se = variance.squareRoot()
                    let seObservation = (variance + inference.scales[j] / w).squareRoot()
                    let target = out + (i * k + j) * LinearModel.predictionColumns
                    target[0] = mean
                    target[1] = se
                    target[2] = mean - critical * se
                    target[3] = mean + critical * se
                    target[4] = mean - critical * seObservation
                    target[5] = mean + critical * seObservation
                }
            }
        }
    }
}
