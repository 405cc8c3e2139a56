#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// log Γ(z) for z > 0, the Stirling-series remainder of log Γ, and log B(a, b).
///
/// `logGamma` wraps the C library's re-entrant `lgamma_r` (plain `lgamma`
/// writes the global `signgam`, a data race when fits run concurrently).
enum LogGamma {
    /// ½ log(2π).
    static let halfLogTwoPi = 0.918_938_533_204_672_741_78

    /// log |Γ(z)|; +∞ at the poles, NaN for NaN.
    static func logGamma(_ z: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(z, &sign)
    }

    /// The remainder μ(z) of Stirling's formula,
    /// log Γ(z) = (z − ½) log z − z + ½ log 2π + μ(z), for z > 0.
    ///
    /// μ(z) ≈ 1/(12z) is small for large z, and computing it directly (rather
    /// than as the difference of large logarithms) is what lets
    /// `BetaPowerTerms` stay accurate when a or b is large (Student t with
    /// df = 10⁶ has a = 5·10⁵). For z ≥ 10 the asymptotic series is used
    /// (truncation error below 1e-17 relative to μ); below that the definition
    /// with `lgamma_r`, whose absolute error (a few 1e-15 at most) is what
    /// matters since μ only ever appears in an exponent.
    static func stirlingCorrection(_ z: Double) -> Double {
        guard z > 0 else { return z == 0 ? .infinity : .nan }
        if z >= 10 {
            // Coefficients B₂ₖ / (2k(2k − 1)) of the Stirling series.
            let r = 1 / z
            let r2 = r * r
            var s = -691.0 / 360_360
            s = s * r2 + 1.0 / 1188
            s = s * r2 - 1.0 / 1680
            s = s * r2 + 1.0 / 1260
            s = s * r2 - 1.0 / 360
            s = s * r2 + 1.0 / 12
            return s * r
        }
        return logGamma(z) - ((z - 0.5) * log(z) - z + halfLogTwoPi)
    }

    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b) for a, b > 0, without
    /// the cancellation of that difference when one argument is large
    /// (lgamma(5e9) ≈ 1e11 would leave 1e-5 of absolute error). With c = a + b,
    ///
    ///     log B = ½ log 2π − ½ log c − (a − ½) log(1 + b/a) − (b − ½) log(1 + a/b)
    ///             + μ(a) + μ(b) − μ(c),
    ///
    /// which follows from Stirling's formula with the exact remainder μ.
    /// Symmetric in a and b to the last bit.
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        guard a > 0, b > 0 else { return .nan }
        let (a, b) = (Swift.min(a, b), Swift.max(a, b))
        func logOnePlusRatio(_ p: Double, _ q: Double) -> Double {
            let ratio = p / q
            return ratio > 1e10 ? log(p) - log(q) + log1p(q / p) : log1p(ratio)
        }
        let c = a + b
        return halfLogTwoPi - 0.5 * log(c) - (a - 0.5) * logOnePlusRatio(b, a) - (b - 0.5) * logOnePlusRatio(a, b)
            + stirlingCorrection(a) + stirlingCorrection(b) - stirlingCorrection(c)
    }
}
