/// Inference under a chosen covariance estimator (docs/INFERENCE.md): the
/// coefficients' covariance matrix per output, the coefficient statistics,
/// the regression's F, Wald tests of linear restrictions and prediction
/// intervals, with statsmodels 0.15's definitions
/// (`OLS/WLS(...).fit(cov_type=..., cov_kwds=..., use_t=...)`).
///
/// Parameters are in the solver's order here: the d features, then the
/// intercept when fitted (p = d + intercept), as `LeastSquaresFit`'s
/// `(XᵀWX)⁺` = V. Per output j, the covariance C_j is
///
/// * nonrobust: scale_j·V;
/// * HC0: V·M_j·V, M_j = Σ (wᵢeᵢⱼ)² x̃ᵢx̃ᵢᵀ; HC1: HC0·n/(n − rank);
///   HC2, HC3: the meat's squared scores over (1 − hᵢ), (1 − hᵢ)²;
/// * cluster, one-way: V·(Σ_g S_g S_gᵀ)·V·G/(G − 1)·(n − 1)/(n − p);
///   two-way: the one-way covariances of the two groupings minus that of
///   their intersection, each with its own G.
///
/// t statistics and intervals use Student's t with df = n − rank, or G − 1
/// (cluster; two-way: the smaller G), when `useT`, else the standard normal;
/// F statistics use F(J, df) with that same df.
struct CoefficientInference {
    let type: CovarianceType
    let featureCount: Int
    let outputCount: Int
    let fitIntercept: Bool
    /// Per output: p × p, row-major, solver order.
    let covariances: [[Double]]
    /// Per output: p coefficients in solver order.
    let coefficients: [[Double]]
    /// Per output: RSS/df_resid.
    let scales: [Double]
    /// n − rank.
    let residualDegreesOfFreedom: Double
    /// Denominator df of t and F: df_resid, or G − 1 for clusters.
    let inferenceDegreesOfFreedom: Double
    /// Student t (true) or normal (false) for coefficient tests and intervals.
    let useT: Bool

    var parameterCount: Int { featureCount + (fitIntercept ? 1 : 0) }

    /// Builds the inference of `statistics` / `fit` under `type`, from
    /// `meat` for the robust types. Throws ``EngineError/unavailable(_:)``
    /// when the meat needed is missing or incomplete.
    /// `factor` is F = R⁻¹ (F·Fᵀ = V) for a full-rank fit: the sandwich is
    /// then formed as F·(FᵀMF)·Fᵀ (whitened sums: F·M_z·Fᵀ), whose rounding
    /// grows with cond(X) rather than cond(X)².
    init(statistics: RegressionStatistics, fit: LeastSquaresFit, meat: CovarianceMeat?, factor: [Double]?,
         type: CovarianceType, useT: Int) throws {
        let d = statistics.featureCount, k = statistics.outputCount
        let p = d + (statistics.fitIntercept ? 1 : 0)
        guard let v = fit.unscaledCovariance, v.count == p * p else {
            throw EngineError.unavailable("the fit holds no covariance (a penalised fit)")
        }
        self.type = type
        featureCount = d
        outputCount = k
        fitIntercept = statistics.fitIntercept
        scales = statistics.scales
        residualDegreesOfFreedom = statistics.residualDegreesOfFreedom
        self.useT = useT == -1 ? type == .nonrobust : useT == 1
        coefficients = (0 ..< k).map { j in
            (0 ..< d).map { fit.weights[j * d + $0] } + (statistics.fitIntercept ? [fit.intercepts[j]] : [])
        }
        let n = Double(fit.observationCount)
        var df = statistics.residualDegreesOfFreedom
        guard let kind = type.meatKind else {
            covariances = (0 ..< k).map { j in v.map { $0 * statistics.scales[j] } }
            inferenceDegreesOfFreedom = df
            return
        }
        guard let meat else {
            throw EngineError.unavailable("cov_type \(type.name) needs a covariance pass over the data at the final coefficients (linreg_cov_begin, then linreg_cov_pass_* over every row; a one-shot fit with an HC type makes it itself)")
        }
        guard meat.kind == kind else {
            throw EngineError.unavailable("the covariance pass was made for \(meat.kind) sums, but cov_type \(type.name) needs \(kind) sums: run the pass again (linreg_cov_begin, linreg_cov_pass_*)")
        }
        guard meat.isTaken(at: fit.weights, fit.intercepts), meat.fitIntercept == statistics.fitIntercept else {
            throw EngineError.unavailable("the covariance pass was taken at other coefficients than the model's: run it again")
        }
        guard meat.rowCount == fit.observationCount else {
            throw EngineError.unavailable("the covariance pass has seen \(meat.rowCount) rows but the fit has \(fit.observationCount): pass every row the model was fitted on")
        }
        var covariances = [[Double]]()
        if kind == .cluster {
            guard meat.ways == 1 || meat.ways == 2 else {
                throw EngineError.unavailable("cov_type cluster: the covariance pass has seen no groups yet")
            }
            let counts = meat.clusterCounts
            let width = k * p
            func oneWay(_ sums: CovarianceMeat.ClusterSums, _ j: Int) -> [Double] {
                let groups = Double(sums.keys.count)
                var m = [Double](repeating: 0, count: p * p)
                for g in 0 ..< sums.keys.count {
                    let base = g * width + j * p
                    for a in 0 ..< p {
                        let sa = sums.sums[base + a]
                        for b in 0 ..< p { m[a * p + b] += sa * sums.sums[base + b] }
                    }
                }
                let correction = groups / (groups - 1) * ((n - 1) / (n - Double(p)))
                let c = meat.whitened ? factor.map { Self.congruence($0, m, p) } : Self.sandwich(v, m, p, factor: nil)
                return (c ?? [Double](repeating: .nan, count: p * p)).map { $0 * correction }
            }
            for j in 0 ..< k { covariances.append(Self.clustered(meat, output: j, oneWay)) }
            let groups = meat.ways == 1 ? counts[0] : Swift.min(counts[0], counts[1])
            df = Double(groups - 1)
        } else {
            let correction = type == .hc1 ? n / df : 1
            for j in 0 ..< k {
                let m = Array(meat.hc[(j * p * p) ..< ((j + 1) * p * p)])
                let c = meat.whitened ? factor.map { Self.congruence($0, m, p) } : Self.sandwich(v, m, p, factor: nil)
                guard let c else {
                    throw EngineError.internal("a whitened covariance pass but no inverse factor of the design")
                }
                covariances.append(c.map { $0 * correction })
            }
        }
        if statistics.residualDegreesOfFreedom <= 0 {
            covariances = covariances.map { $0.map { _ in .nan } }
        }
        self.covariances = covariances
        inferenceDegreesOfFreedom = df
    }

    /// Output j's cluster-robust covariance from `oneWay` (one grouping's
    /// covariance): that of the grouping, or two-way C₁ + C₂ − C₁₂ (the
    /// third grouping holds the intersections).
    static func clustered(_ meat: CovarianceMeat, output j: Int,
                          _ oneWay: (CovarianceMeat.ClusterSums, Int) -> [Double]) -> [Double] {
        if meat.ways == 1 { return oneWay(meat.clusters[0], j) }
        let c0 = oneWay(meat.clusters[0], j), c1 = oneWay(meat.clusters[1], j), c01 = oneWay(meat.clusters[2], j)
        return (0 ..< c0.count).map { c0[$0] + c1[$0] - c01[$0] }
    }

    /// V·M·V, as F·(FᵀMF)·Fᵀ when the factor F (F·Fᵀ = V) is given.
    static func sandwich(_ v: [Double], _ m: [Double], _ p: Int, factor: [Double]?) -> [Double] {
        guard let factor else { return product(v, m, p) }
        // FᵀMF, then F·(…)·Fᵀ.
        var transposed = [Double](repeating: 0, count: p * p)
        for a in 0 ..< p { for b in 0 ..< p { transposed[a * p + b] = factor[b * p + a] } }
        return congruence(factor, congruence(transposed, m, p), p)
    }

    /// A·M·Aᵀ for p × p A and symmetric M (row-major), symmetrised.
    static func congruence(_ a: [Double], _ m: [Double], _ p: Int) -> [Double] {
        var am = [Double](repeating: 0, count: p * p)
        for i in 0 ..< p {
            for c in 0 ..< p {
                let aic = a[i * p + c]
                if aic == 0 { continue }
                for b in 0 ..< p { am[i * p + b] += aic * m[c * p + b] }
            }
        }
        var out = [Double](repeating: 0, count: p * p)
        for i in 0 ..< p {
            for j in i ..< p {
                var s = 0.0
                for c in 0 ..< p { s += am[i * p + c] * a[j * p + c] }
                out[i * p + j] = s
                out[j * p + i] = s
            }
        }
        return out
    }

    /// V·M·V for symmetric p × p V and M (row-major), symmetrised.
    static func product(_ v: [Double], _ m: [Double], _ p: Int) -> [Double] {
        var vm = [Double](repeating: 0, count: p * p)
        for a in 0 ..< p {
            for c in 0 ..< p {
                let vac = v[a * p + c]
                if vac == 0 { continue }
                for b in 0 ..< p { vm[a * p + b] += vac * m[c * p + b] }
            }
        }
        var out = [Double](repeating: 0, count: p * p)
        for a in 0 ..< p {
            for b in a ..< p {
                var s = 0.0
                for c in 0 ..< p { s += vm[a * p + c] * v[c * p + b] }
                out[a * p + b] = s
                out[b * p + a] = s
            }
        }
        return out
    }

    /// The quantile q with P(|T| > q) = 1 − level under the reference distribution of `df`.
    func criticalValue(level: Double, df: Double) -> Double {
        guard level > 0, level < 1 else { return .nan }
        return StudentT.upperQuantile(0.5 * (1 - level), df: useT ? df : .infinity)
    }

    /// Two-sided p-value of a t or z statistic.
    func twoSidedPValue(_ t: Double) -> Double {
        let df = inferenceDegreesOfFreedom
        guard df > 0 || !useT else { return .nan }
        return StudentT.twoSidedPValue(t, df: useT ? df : .infinity)
    }

    /// One value per coefficient, laid out as `RegressionStatistics.coefficientValues`
    /// (k·d weights, then k intercepts; NaN intercepts without one).
    func coefficientValues(_ kind: CoefficientStatisticKind, ciLevel: Double) -> [Double] {
        let d = featureCount, k = outputCount, p = parameterCount
        var result = [Double](repeating: .nan, count: k * d + k)
        let critical = (kind == .confidenceLow || kind == .confidenceHigh)
            ? criticalValue(level: ciLevel, df: inferenceDegreesOfFreedom) : .nan
        for j in 0 ..< k {
            for c in 0 ..< p {
                let index = c < d ? j * d + c : k * d + j
                let coefficient = coefficients[j][c]
                let se = covariances[j][c * p + c].squareRoot()
                switch kind {
                case .standardError: result[index] = se
                case .t: result[index] = coefficient / se
                case .pValue: result[index] = twoSidedPValue(coefficient / se)
                case .confidenceLow: result[index] = coefficient - critical * se
                case .confidenceHigh: result[index] = coefficient + critical * se
                // Answered before this (LinearModel+Aliasing.swift); full-rank values here.
                case .estimate: result[index] = coefficient
                case .aliased: result[index] = 0
                }
            }
        }
        return result
    }

    /// The result of a Wald test.
    struct WaldTest: Equatable {
        var f: Double, pValue: Double, dfNumerator: Double, dfDenominator: Double
    }

    /// Wald F test of R·β_j = q for output j, R m × p in solver order:
    /// F = (Rβ − q)ᵀ (R C Rᵀ)⁺ (Rβ − q) / J with J the rank of R C Rᵀ
    /// (numpy's matrix_rank rule: eigenvalues above m·ε·λ_max), p-value
    /// P(F(J, df) > F) with df = ``inferenceDegreesOfFreedom`` (statsmodels'
    /// `f_test`).
    func waldTest(output j: Int, restrictions r: [Double], values q: [Double], count m: Int) -> WaldTest {
        let p = parameterCount, c = covariances[j], beta = coefficients[j]
        var residual = [Double](repeating: 0, count: m)
        var rc = [Double](repeating: 0, count: m * p)
        for a in 0 ..< m {
            var s = 0.0
            for b in 0 ..< p {
                s += r[a * p + b] * beta[b]
                var t = 0.0
                for e in 0 ..< p { t += r[a * p + e] * c[e * p + b] }
                rc[a * p + b] = t
            }
            residual[a] = s - q[a]
        }
        var rcr = [Double](repeating: 0, count: m * m)
        for a in 0 ..< m {
            for b in 0 ..< m {
                var s = 0.0
                for e in 0 ..< p { s += rc[a * p + e] * r[b * p + e] }
                rcr[a * m + b] = s
            }
        }
        // Symmetrise (rounding) before the decomposition.
        for a in 0 ..< m { for b in 0 ..< a { let s = 0.5 * (rcr[a * m + b] + rcr[b * m + a]); rcr[a * m + b] = s; rcr[b * m + a] = s } }
        let df = inferenceDegreesOfFreedom
        guard let (values, vectors) = SymmetricEigen.decompose(rcr, size: m) else {
            return WaldTest(f: .nan, pValue: .nan, dfNumerator: .nan, dfDenominator: df)
        }
        let largest = values.map { Swift.abs($0) }.max() ?? 0
        let tolerance = largest * Double(m) * Double.ulpOfOne
        var quadratic = 0.0
        var rank = 0
        for e in 0 ..< m where Swift.abs(values[e]) > tolerance {
            rank += 1
            var projection = 0.0
            for a in 0 ..< m { projection += vectors[a * m + e] * residual[a] }
            quadratic += projection * projection / values[e]
        }
        guard rank > 0 else { return WaldTest(f: .nan, pValue: .nan, dfNumerator: 0, dfDenominator: df) }
        let f = quadratic / Double(rank)
        let pValue = df > 0 ? FisherF.sf(f, d1: Double(rank), d2: df) : .nan
        return WaldTest(f: f, pValue: pValue, dfNumerator: Double(rank), dfDenominator: df)
    }

    /// The regression's F under a robust covariance: the Wald test that every
    /// slope is zero (all d coefficients without an intercept), statsmodels' `fvalue`.
    func modelF(output j: Int) -> WaldTest {
        let d = featureCount, p = parameterCount
        var r = [Double](repeating: 0, count: d * p)
        for c in 0 ..< d { r[c * p + c] = 1 }
        return waldTest(output: j, restrictions: r, values: [Double](repeating: 0, count: d), count: d)
    }
}
