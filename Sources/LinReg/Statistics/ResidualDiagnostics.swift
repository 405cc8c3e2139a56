#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The residual diagnostics of statsmodels' regression summary for one
/// output, from one pass over the residuals in row order: Omnibus
/// (D'Agostino–Pearson, `scipy.stats.normaltest`) and its p-value,
/// Durbin–Watson, Jarque–Bera and its p-value, skew and kurtosis.
///
/// The residuals are statsmodels' `wresid`: √wᵢ·(yᵢ − b − W xᵢ) (plain
/// residuals without weights). The state is *ordered and mergeable*: a
/// block of consecutive rows is summarised by its count, mean and centred
/// moment sums M₂, M₃, M₄ (Pébay's pairwise update, exact in exact
/// arithmetic and stable in floating point), its Σ eₜ², its first and last
/// residual and Σ (eₜ − eₜ₋₁)² inside it; ``append(_:)`` joins the block of
/// the rows that follow, adding the squared difference across the boundary.
/// So chunks processed in row order (by threads, by `partial_fit` chunks)
/// give the statistics of one pass over all the rows.
///
/// Definitions (scipy 1.x / statsmodels 0.15), with mₖ = Mₖ/n:
///
/// | statistic | definition |
/// |---|---|
/// | skew | m₃ / m₂^{3/2} (`scipy.stats.skew`, biased); NaN when m₂ ≤ (ε·mean)² |
/// | kurtosis | m₄ / m₂² (Pearson, `kurtosis(fisher=False)`); NaN as skew |
/// | Jarque–Bera | n/6 · (skew² + (kurtosis − 3)²/4); p = exp(−JB/2) (χ²₂ survival) |
/// | Omnibus | Z_s² + Z_k² of `skewtest` and `kurtosistest`; p = exp(−K²/2); NaN for n < 8 |
/// | Durbin–Watson | Σₜ₌₂ (eₜ − eₜ₋₁)² / Σ eₜ² |
public struct ResidualDiagnostics: Sendable, Equatable {
    /// Rows summarised.
    public private(set) var count: Int = 0
    /// Their mean residual.
    var mean = 0.0
    /// Σ (eᵢ − mean)^k for k = 2, 3, 4.
    var m2 = 0.0, m3 = 0.0, m4 = 0.0
    /// Σ eᵢ² (the Durbin–Watson denominator).
    var sumOfSquares = 0.0
    /// Σ (eₜ − eₜ₋₁)² over consecutive rows of this block.
    var squaredDifferences = 0.0
    /// The first and last residual of the block (row order).
    var first = 0.0, last = 0.0

    /// No rows.
    public init() {}

    /// The summary of `count` consecutive residuals at `values` (`stride`
    /// apart): two passes over them (mean, then centred powers).
    init(values: UnsafePointer<Double>, count n: Int, stride: Int) {
        guard n > 0 else { return }
        var sum = 0.0, squares = 0.0, differences = 0.0
        var previous = values[0]
        for t in 0 ..< n {
            let e = values[t &* stride]
            sum += e
            squares += e * e
            if t > 0 {
                let d = e - previous
                differences += d * d
            }
            previous = e
        }
        let mean = sum / Double(n)
        var s2 = 0.0, s3 = 0.0, s4 = 0.0
        for t in 0 ..< n {
            let d = values[t &* stride] - mean
            let d2 = d * d
            s2 += d2
            s3 += d2 * d
            s4 += d2 * d2
        }
        count = n
        self.mean = mean
        m2 = s2
        m3 = s3
        m4 = s4
        sumOfSquares = squares
        squaredDifferences = differences
        first = values[0]
        last = previous
    }

    /// Joins the summary of the rows that directly follow this block's.
    public mutating func append(_ next: ResidualDiagnostics) {
        if next.count == 0 { return }
        if count == 0 {
            self = next
            return
        }
        let na = Double(count), nb = Double(next.count)
        let n = na + nb
        let delta = next.mean - mean
        let delta2 = delta * delta
        let newMean = mean + delta * (nb / n)
        let newM2 = m2 + next.m2 + delta2 * na * nb / n
        let newM3 = m3 + next.m3 + delta2 * delta * na * nb * (na - nb) / (n * n)
            + 3 * delta * (na * next.m2 - nb * m2) / n
        let newM4 = m4 + next.m4 + delta2 * delta2 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n)
            + 6 * delta2 * (na * na * next.m2 + nb * nb * m2) / (n * n)
            + 4 * delta * (na * next.m3 - nb * m3) / n
        let boundary = next.first - last
        squaredDifferences += next.squaredDifferences + boundary * boundary
        sumOfSquares += next.sumOfSquares
        mean = newMean
        m2 = newM2
        m3 = newM3
        m4 = newM4
        last = next.last
        count &+= next.count
    }

    // MARK: Statistics

    /// Whether the variance is zero to rounding (scipy's test: m₂ ≤ (ε·mean)²).
    private var varianceIsZero: Bool {
        let n = Double(count)
        let tiny = Double.ulpOfOne * mean
        return !(m2 / n > tiny * tiny)
    }

    /// m₃ / m₂^{3/2} (biased, as `scipy.stats.skew`); NaN without variance.
    public var skew: Double {
        guard count > 0, !varianceIsZero else { return .nan }
        let n = Double(count)
        let variance = m2 / n
        return (m3 / n) / (variance * variance.squareRoot())
    }

    /// m₄ / m₂² (Pearson's, normal = 3); NaN without variance.
    public var kurtosis: Double {
        guard count > 0, !varianceIsZero else { return .nan }
        let n = Double(count)
        let variance = m2 / n
        return (m4 / n) / (variance * variance)
    }

    /// n/6 · (skew² + (kurtosis − 3)²/4); NaN for fewer than 2 rows.
    public var jarqueBera: Double {
        guard count >= 2 else { return .nan }
        let s = skew, k = kurtosis - 3
        return Double(count) / 6 * (s * s + 0.25 * k * k)
    }

    /// P(χ²₂ > JB) = exp(−JB/2).
    public var jarqueBeraPValue: Double { Self.chiSquaredTwoSurvival(jarqueBera) }

    /// D'Agostino–Pearson K² = Z_skew² + Z_kurtosis² (NaN for n < 8, as statsmodels' `omni_normtest`).
    public var omnibus: Double {
        guard count >= 8 else { return .nan }
        let zs = Self.skewTestZ(skew, n: Double(count))
        let zk = Self.kurtosisTestZ(kurtosis, n: Double(count))
        return zs * zs + zk * zk
    }

    /// P(χ²₂ > K²) = exp(−K²/2).
    public var omnibusPValue: Double { Self.chiSquaredTwoSurvival(omnibus) }

    /// Σₜ₌₂ (eₜ − eₜ₋₁)² / Σ eₜ².
    public var durbinWatson: Double {
        guard count > 0 else { return .nan }
        return squaredDifferences / sumOfSquares
    }

    /// The value of a residual statistic (nil for another kind).
    public func value(_ kind: StatisticKind) -> Double? {
        switch kind {
        case .omnibus: return omnibus
        case .omnibusPValue: return omnibusPValue
        case .skew: return skew
        case .kurtosis: return kurtosis
        case .durbinWatson: return durbinWatson
        case .jarqueBera: return jarqueBera
        case .jarqueBeraPValue: return jarqueBeraPValue
        default: return nil
        }
    }

    /// The survival function of χ² with two degrees of freedom.
    static func chiSquaredTwoSurvival(_ x: Double) -> Double {
        guard !x.isNaN else { return .nan }
        return x <= 0 ? 1 : exp(-0.5 * x)
    }

    /// `scipy.stats.skewtest`'s Z for the biased skew `b2` of n values.
    static func skewTestZ(_ b2: Double, n: Double) -> Double {
        var y = b2 * (((n + 1) * (n + 3)) / (6.0 * (n - 2))).squareRoot()
        let beta2 = 3.0 * (n * n + 27 * n - 70) * (n + 1) * (n + 3) / ((n - 2.0) * (n + 5) * (n + 7) * (n + 9))
        let w2 = -1 + (2 * (beta2 - 1)).squareRoot()
        let delta = 1 / (0.5 * log(w2)).squareRoot()
        let alpha = (2.0 / (w2 - 1)).squareRoot()
        if y == 0 { y = 1 }
        let ratio = y / alpha
        return delta * log(ratio + (ratio * ratio + 1).squareRoot())
    }

    /// `scipy.stats.kurtosistest`'s Z for the Pearson kurtosis `b2` of n values.
    static func kurtosisTestZ(_ b2: Double, n: Double) -> Double {
        let e = 3.0 * (n - 1) / (n + 1)
        let varb2 = 24.0 * n * (n - 2) * (n - 3) / ((n + 1) * (n + 1.0) * (n + 3) * (n + 5))
        let x = (b2 - e) / varb2.squareRoot()
        let sqrtbeta1 = 6.0 * (n * n - 5 * n + 2) / ((n + 7) * (n + 9))
            * ((6.0 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3))).squareRoot()
        let a = 6.0 + 8.0 / sqrtbeta1 * (2.0 / sqrtbeta1 + (1 + 4.0 / (sqrtbeta1 * sqrtbeta1)).squareRoot())
        let term1 = 1 - 2 / (9.0 * a)
        let denom = 1 + x * (2 / (a - 4.0)).squareRoot()
        guard denom != 0 else { return .nan }
        let sign: Double = denom > 0 ? 1 : -1
        let term2 = sign * pow((1 - 2.0 / a) / abs(denom), 1.0 / 3.0)
        return (term1 - term2) / (2 / (9.0 * a)).squareRoot()
    }
}
