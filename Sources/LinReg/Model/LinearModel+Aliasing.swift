/// Aliased columns and R-style coefficient statistics of a rank-deficient
/// fit (see ``ColumnAliasing`` for the rule and its tolerance).
///
/// In a full-rank fit nothing is aliased and the coefficient statistics are
/// ``RegressionStatistics``'s. When the design is rank deficient (the rank
/// rule or the aliasing rule finds a deficiency), the per-coefficient
/// statistics follow R's `lm`: the estimate, standard error, t, p-value and
/// confidence bounds of the *reduced* design (the kept columns alone, with
/// df_resid = n − its rank and the fit's RSS, which the reduced design
/// shares), NaN for aliased columns. The weights (`coef_`) stay the
/// minimum-norm solution.
extension LinearModel {
    /// The aliasing rule's relative tolerance: rcond when it is ≥ 0, else
    /// max(n, p)·ε (the rank rule's own number).
    static func aliasingTolerance(rcond: Double, rows: Int, parameters: Int) -> Double {
        rcond >= 0 ? rcond : Double(Swift.max(rows, parameters)) * Double.ulpOfOne
    }

    /// The aliasing of `rows`' design with this model's rcond.
    func aliasing(of rows: QRAccumulator) -> ColumnAliasing {
        ColumnAliasing(rows, tolerance: Self.aliasingTolerance(rcond: hyperparameters.rcond, rows: rows.rowCount,
                                                               parameters: rows.parameterCount))
    }

    /// The aliasing of the last unpenalised exact fit (throws as the statistics do).
    func aliasing() throws -> ColumnAliasing {
        _ = try availableStatistics()
        if let columnAliasing { return columnAliasing }
        guard let accumulator else {
            throw EngineError.unavailable("aliasing needs the exact solver's factor, which this model does not hold")
        }
        return aliasing(of: accumulator)
    }

    /// Whether the coefficient statistics follow the reduced design.
    private func isRankDeficient(_ aliasing: ColumnAliasing) -> Bool {
        !aliasing.isFullRank || (exactFit.map { $0.rank < aliasing.parameterCount } ?? false)
    }

    /// R's `alias()`: (d + 1) × (d + 1) row-major, parameters ordered as the
    /// weights (features, then the intercept). Row a of an aliased parameter
    /// holds the coefficients of the kept parameters whose combination equals
    /// its column of the design; every other entry is 0. Without an
    /// intercept its row and column are NaN.
    public func aliasCombinations() throws -> [Double] {
        let aliasing = try aliasing()
        let d = featureCount, p = aliasing.parameterCount
        let offset = aliasing.fitIntercept ? 1 : 0
        func external(_ c: Int) -> Int { aliasing.fitIntercept ? (c == 0 ? d : c &- 1) : c }
        var result = [Double](repeating: 0, count: (d &+ 1) &* (d &+ 1))
        if offset == 0 {
            for i in 0 ... d {
                result[d &* (d &+ 1) &+ i] = .nan
                result[i &* (d &+ 1) &+ d] = .nan
            }
        }
        for a in 0 ..< p {
            for c in 0 ..< p {
                result[external(a) &* (d &+ 1) &+ external(c)] = aliasing.combinations[a &* p &+ c]
            }
        }
        return result
    }

    /// The R-style coefficient statistic of `kind` in the layout of
    /// ``coefficientStatistic(_:)``, or nil when ``RegressionStatistics``'s
    /// value applies (a full-rank fit and a kind it computes).
    func aliasedCoefficientStatistic(_ kind: CoefficientStatisticKind) throws -> [Double]? {
        let statistics = try availableStatistics()
        let aliasing = try aliasing()
        let deficient = isRankDeficient(aliasing)
        if !deficient && kind != .estimate && kind != .aliased { return nil }
        let d = featureCount, k = outputCount
        let offset = aliasing.fitIntercept ? 1 : 0
        var result = [Double](repeating: .nan, count: k &* d &+ k)
        func place(_ values: [Double], output o: Int) {
            for c in 0 ..< d { result[o &* d &+ c] = values[c &+ offset] }
            if offset == 1 { result[k &* d &+ o] = values[0] }
        }
        if kind == .aliased {
            let mask = aliasing.kept.map { $0 ? 0.0 : 1.0 }
            for o in 0 ..< k { place(mask, output: o) }
            return result
        }
        if !deficient {
            // kind == .estimate: the least-squares coefficients themselves.
            for o in 0 ..< k {
                var values = [Double](repeating: .nan, count: aliasing.parameterCount)
                for c in 0 ..< d { values[c &+ offset] = weights[o &* d &+ c] }
                if offset == 1 { values[0] = intercepts[o] }
                place(values, output: o)
            }
            return result
        }
        let n = Double(exactFit?.observationCount ?? 0)
        let df = n - Double(aliasing.rank)
        let variances = aliasing.unscaledVariances()
        var critical = Double.nan
        let level = hyperparameters.ciLevel
        if kind == .confidenceLow || kind == .confidenceHigh, level > 0, level < 1, df > 0 {
            critical = StudentT.upperQuantile(0.5 * (1 - level), df: df)
        }
        for o in 0 ..< k {
            let estimates = aliasing.estimates(output: o)
            let rss = exactFit.map { o < $0.residualSumOfSquares.count ? $0.residualSumOfSquares[o] : .nan } ?? .nan
            let scale = df > 0 ? rss / df : .nan
            var values = [Double](repeating: .nan, count: aliasing.parameterCount)
            for c in 0 ..< aliasing.parameterCount where aliasing.kept[c] {
                let estimate = estimates[c]
                let se = (scale * variances[c]).squareRoot()
                switch kind {
                case .estimate: values[c] = estimate
                case .standardError: values[c] = se
                case .t: values[c] = estimate / se
                case .pValue: values[c] = df > 0 ? StudentT.twoSidedPValue(estimate / se, df: df) : .nan
                case .confidenceLow: values[c] = estimate - critical * se
                case .confidenceHigh: values[c] = estimate + critical * se
                case .aliased: break
                }
            }
            place(values, output: o)
        }
        _ = statistics
        return result
    }
}
