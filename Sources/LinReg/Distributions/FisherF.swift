#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The F distribution with d₁, d₂ > 0 degrees of freedom (up to
/// 2·`IncompleteBeta.maximumParameter` = 2e30; NaN otherwise): the null
/// distribution of a regression's F statistic.
///
/// P(F > f) = I_x(d₂/2, d₁/2) with x = d₂/(d₂ + d₁ f), and P(F ≤ f) is its
/// complement; x and 1 − x are formed without cancellation and each tail is
/// read from `IncompleteBeta.tails`, so tiny upper tails (huge F) keep their
/// relative precision.
enum FisherF {
    /// P(F > f), the survival function (statsmodels' `f_pvalue` at f = F).
    static func sf(_ f: Double, d1: Double, d2: Double) -> Double {
        tails(f, d1: d1, d2: d2).lower
    }

    /// P(F ≤ f).
    static func cdf(_ f: Double, d1: Double, d2: Double) -> Double {
        tails(f, d1: d1, d2: d2).upper
    }

    private static func tails(_ f: Double, d1: Double, d2: Double) -> IncompleteBeta.Tails {
        guard d1 > 0, d2 > 0, d1 <= 2 * IncompleteBeta.maximumParameter, d2 <= 2 * IncompleteBeta.maximumParameter,
              !f.isNaN else {
            return IncompleteBeta.Tails(lower: .nan, upper: .nan)
        }
        if f <= 0 { return IncompleteBeta.Tails(lower: 1, upper: 0) }
        if f == .infinity { return IncompleteBeta.Tails(lower: 0, upper: 1) }
        let x: Double, y: Double
        let ratio = d1 / d2
        if ratio * f <= 1 {
            let z = ratio * f                    // d₁f/d₂
            x = 1 / (1 + z)
            y = z / (1 + z)
        } else {
            let w = (d2 / d1) / f                // d₂/(d₁f) < 1, no overflow
            if w < 1e-280 {
                // x ≈ d₂/(d₁f) would (nearly) underflow; use the closed-form tail in log x.
                return IncompleteBeta.tails(a: 0.5 * d2, b: 0.5 * d1, logTinyX: log(d2) - log(d1) - log(f) - log1p(w))
            }
            x = w / (1 + w)
            y = 1 / (1 + w)
        }
        return IncompleteBeta.tails(a: 0.5 * d2, b: 0.5 * d1, x: x, y: y)
    }
}
