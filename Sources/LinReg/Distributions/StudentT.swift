#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Student's t distribution with ν > 0 degrees of freedom (ν need not be an
/// integer; ν = +∞ is the standard normal; NaN for ν ≤ 0 or NaN).
///
/// ν is capped at 10²⁵ (`normalLimit`): P(T > t) differs from its ν = ∞
/// value by a relative O(t⁴/ν), below 1e-19 for every t whose tail is a
/// normal double (|t| < 38), so larger ν gives the same doubles while the
/// incomplete beta function stays within its accurate range.
///
/// Through the incomplete beta function: for t ≥ 0,
/// P(T > t) = ½ I_x(ν/2, ½) with x = ν/(ν + t²). Both x and 1 − x are formed
/// without cancellation and the tail is always the directly computed small
/// quantity, so sf(37, ν = 10⁶) ≈ 9.1e-300 keeps full relative precision
/// rather than being 1 − (something close to 1).
enum StudentT {
    /// Degrees of freedom beyond which the distribution is taken as ν = 10²⁵.
    static let normalLimit = 1e25

    /// ν clamped to `normalLimit`, or nil when invalid.
    private static func effectiveDF(_ df: Double) -> Double? {
        df > 0 ? Swift.min(df, normalLimit) : nil
    }

    /// P(T ≤ t).
    static func cdf(_ t: Double, df: Double) -> Double {
        sf(-t, df: df)
    }

    /// P(T > t), the survival function.
    static func sf(_ t: Double, df: Double) -> Double {
        guard let df = effectiveDF(df), !t.isNaN else { return .nan }
        let tails = betaTails(abs(t), df: df)
        return t >= 0 ? 0.5 * tails.lower : 0.5 + 0.5 * tails.upper
    }

    /// P(|T| > |t|) = 2 · sf(|t|): the two-sided p-value of a t statistic.
    static func twoSidedPValue(_ t: Double, df: Double) -> Double {
        guard let df = effectiveDF(df), !t.isNaN else { return .nan }
        return betaTails(abs(t), df: df).lower
    }

    /// I_x(ν/2, ½) and its complement at x = ν/(ν + t²), t ≥ 0.
    private static func betaTails(_ t: Double, df: Double) -> IncompleteBeta.Tails {
        if t == .infinity { return IncompleteBeta.Tails(lower: 0, upper: 1) }
        let x: Double, y: Double
        if t * t <= df {
            let z = t * t / df
            x = 1 / (1 + z)
            y = z / (1 + z)
        } else {
            let r = df.squareRoot() / t          // no overflow of t² for huge t
            let w = r * r
            if w < 1e-280 {
                // x ≈ ν/t² would (nearly) underflow; use the closed-form tail in log x.
                return IncompleteBeta.tails(a: 0.5 * df, b: 0.5, logTinyX: log(df) - 2 * log(t) - log1p(w))
            }
            x = w / (1 + w)
            y = 1 / (1 + w)
        }
        return IncompleteBeta.tails(a: 0.5 * df, b: 0.5, x: x, y: y)
    }

    /// The t with P(T ≤ t) = p (the percent-point function, scipy's `ppf`):
    /// −∞ at p = 0, +∞ at p = 1, NaN outside [0, 1].
    static func quantile(_ p: Double, df: Double) -> Double {
        guard let df = effectiveDF(df), p >= 0, p <= 1 else { return .nan }
        if p == 0.5 { return 0 }
        // 1 − p is exact for p ≥ ½ (Sterbenz), so the upper half reuses the lower.
        return p < 0.5 ? -upperTailPoint(p, df: df) : upperTailPoint(1 - p, df: df)
    }

    /// The t > 0 with P(T > t) = tail (scipy's `isf`), 0 < tail ≤ ½ (+∞ at 0).
    static func upperQuantile(_ tail: Double, df: Double) -> Double {
        guard let df = effectiveDF(df), tail >= 0, tail <= 1 else { return .nan }
        return tail <= 0.5 ? upperTailPoint(tail, df: df) : -upperTailPoint(1 - tail, df: df)
    }

    /// Solves ½ I_x(ν/2, ½) = tail for 0 ≤ tail ≤ ½ and returns √(ν y / x).
    private static func upperTailPoint(_ tail: Double, df: Double) -> Double {
        if tail == 0 { return .infinity }
        if tail == 0.5 { return 0 }
        let a = 0.5 * df
        let p = 2 * tail
        let q = tail < 0.25 ? 1 - p : (0.5 - tail) * 2    // exact for tail ≥ ¼
        let solution = InverseIncompleteBeta.solve(a: a, b: 0.5, p: p, q: q)
        if solution.x < 1e-280 {
            // x itself (nearly) underflows while t is still finite (ν = 1,
            // p = 1e-300 gives t ≈ 3e299). There I_x(a, ½) = xᵃ/(a B(a, ½))
            // up to a relative O(x), so log x follows in closed form.
            let logX = (log(p) + log(a) + LogGamma.logBeta(a, 0.5)) / a
            return df.squareRoot() * exp(-0.5 * logX)
        }
        return df.squareRoot() * solution.y.squareRoot() / solution.x.squareRoot()
    }
}
