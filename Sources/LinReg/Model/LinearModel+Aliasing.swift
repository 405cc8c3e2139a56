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
/// minimum-norm solution. Under a robust covariance type the kept columns'
/// standard errors are the reduced design's sandwich (its bread, the
/// pass's sums restricted to the kept columns, and n − rank in the
/// small-sample corrections), with the type's reference distribution.
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
                result[external(a) &* (d &+ 1) &+ external(c)] = aliasing.combination(a, c)
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
        // (Estimates need no covariance: no pass is asked for them.)
        let robust = kind == .estimate ? nil : try reducedRobustVariances(aliasing, unscaled: variances)
        // Student t with df_resid (or the clusters' G − 1), or the normal.
        let referenceDF = robust.map { $0.useT ? $0.df : .infinity } ?? df
        var critical = Double.nan
        let level = hyperparameters.ciLevel
        if kind == .confidenceLow || kind == .confidenceHigh, level > 0, level < 1, referenceDF > 0 {
            critical = StudentT.upperQuantile(0.5 * (1 - level), df: referenceDF)
        }
        for o in 0 ..< k {
            let estimates = aliasing.estimates(output: o)
            let rss = exactFit.map { o < $0.residualSumOfSquares.count ? $0.residualSumOfSquares[o] : .nan } ?? .nan
            let scale = df > 0 ? rss / df : .nan
            var values = [Double](repeating: .nan, count: aliasing.parameterCount)
            for c in 0 ..< aliasing.parameterCount where aliasing.kept[c] {
                let estimate = estimates[c]
                let se = robust.map { $0.variances[o][c].squareRoot() } ?? (scale * variances[c]).squareRoot()
                switch kind {
                case .estimate: values[c] = estimate
                case .standardError: values[c] = se
                case .t: values[c] = estimate / se
                case .pValue:
                    values[c] = referenceDF > 0 && df > 0
                        ? StudentT.twoSidedPValue(estimate / se, df: referenceDF) : .nan
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

    /// The reduced design's coefficient variances (per output, internal
    /// order, NaN for aliased columns) under the robust covariance type,
    /// the reference distribution's df (n − rank, or G − 1 for clusters,
    /// the smaller G two-way) and whether it is Student's t; nil for the
    /// nonrobust type with t (``aliasedCoefficientStatistic(_:)``'s
    /// scale·V then applies). `unscaled`: the aliasing's
    /// ``ColumnAliasing/unscaledVariances()`` (the nonrobust type's V). The kept columns span the design's column
    /// space, so the residuals and leverages of the pass (taken at the
    /// minimum-norm coefficients with the pseudo-inverse) are the reduced
    /// design's, and its sums over x̃ restricted to the kept columns are the
    /// reduced design's sums: C_K = F·(Fᵀ M_K F)·Fᵀ with F = R_K⁻¹, times
    /// n/(n − r) (HC1) or G/(G − 1)·(n − 1)/(n − r) (clusters), r the rank.
    func reducedRobustVariances(_ aliasing: ColumnAliasing, unscaled variances: [Double]) throws
        -> (variances: [[Double]], df: Double, useT: Bool)? {
        let type = hyperparameters.covarianceType
        let useT = hyperparameters.useT == -1 ? type == .nonrobust : hyperparameters.useT == 1
        let n = Double(exactFit?.observationCount ?? 0)
        let rank = aliasing.rank, p = aliasing.parameterCount, d = featureCount, k = outputCount
        let dfResid = n - Double(rank)
        guard type != .nonrobust || !useT else { return nil }
        guard let kind = type.meatKind else {
            // Nonrobust with the normal distribution: scale·V, z statistics.
            let rss = exactFit?.residualSumOfSquares ?? []
            return ((0 ..< k).map { o in
                let scale = dfResid > 0 && o < rss.count ? rss[o] / dfResid : .nan
                return variances.map { $0 * scale }
            }, dfResid, useT)
        }
        // The same checks and messages as full-rank inference (a pass at these
        // coefficients over every row, for this type).
        _ = try coefficientInference()
        guard let meat = covarianceMeat, !meat.whitened, let factor = aliasing.inverseFactor() else {
            throw EngineError.unavailable("cov_type \(type.name): the covariance pass of this rank-deficient fit is not usable; run it again (linreg_cov_begin, linreg_cov_pass_*)")
        }
        // Kept column (internal order: intercept first) -> solver index (features, then the intercept).
        let solver = aliasing.keptColumns.map { aliasing.fitIntercept ? ($0 == 0 ? d : $0 &- 1) : $0 }
        let q = meat.parameterCount
        func restricted(_ full: (Int, Int) -> Double) -> [Double] {
            var m = [Double](repeating: 0, count: rank &* rank)
            for a in 0 ..< rank { for b in 0 ..< rank { m[a &* rank &+ b] = full(solver[a], solver[b]) } }
            return m
        }
        func sandwich(_ m: [Double]) -> [Double] {
            CoefficientInference.sandwich([], m, rank, factor: factor)
        }
        var covariances = [[Double]]()
        var df = dfResid
        if kind == .cluster {
            func oneWay(_ sums: CovarianceMeat.ClusterSums, _ j: Int) -> [Double] {
                let groups = Double(sums.keys.count), width = k &* q
                let m = restricted { a, b in
                    var s = 0.0
                    for g in 0 ..< sums.keys.count {
                        let base = g &* width &+ j &* q
                        s += sums.sums[base &+ a] * sums.sums[base &+ b]
                    }
                    return s
                }
                let correction = groups / (groups - 1) * ((n - 1) / dfResid)
                return sandwich(m).map { $0 * correction }
            }
            for j in 0 ..< k { covariances.append(CoefficientInference.clustered(meat, output: j, oneWay)) }
            let counts = meat.clusterCounts
            df = Double((meat.ways == 1 ? counts[0] : Swift.min(counts[0], counts[1])) - 1)
        } else {
            let correction = type == .hc1 ? n / dfResid : 1
            for j in 0 ..< k {
                let base = j &* q &* q
                let m = restricted { a, b in meat.hc[base &+ a &* q &+ b] }
                covariances.append(sandwich(m).map { $0 * correction })
            }
        }
        let variances = covariances.map { c -> [Double] in
            var v = [Double](repeating: .nan, count: p)
            for (position, column) in aliasing.keptColumns.enumerated() where dfResid > 0 {
                v[column] = c[position &* rank &+ position]
            }
            return v
        }
        return (variances, df, useT)
    }
}
