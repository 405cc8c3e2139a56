#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The regularised incomplete beta function
/// I_x(a, b) = ∫₀ˣ tᵃ⁻¹ (1 − t)ᵇ⁻¹ dt / B(a, b) and its complement
/// 1 − I_x(a, b) = I_{1−x}(b, a), each with relative error around 1e-15
/// where it is the smaller of the two (at most ~4e-13 in the far tails,
/// where a result near e^±700 inherits ~700·ε from its exponent).
///
/// Method: the continued fraction of Numerical Recipes' `betacf`
/// (DLMF 8.17.22), evaluated with the modified Lentz algorithm, on the side
/// x < (a + 1)/(a + b + 2) where it converges quickly (the symmetry
/// I_x(a, b) = 1 − I_{1−x}(b, a) moves other points there). The prefactor
/// xᵃ yᵇ / (a B(a, b)) comes from `BetaPowerTerms`, accurate even for
/// a, b ~ 10⁶. The tail computed directly is the small one whenever
/// a, b ≳ 0.5 (all Student t and F uses); the other is 1 minus it. For a < 1
/// the directly computed I_x can be close to 1 on its side of the switch,
/// and its complement then carries an absolute rather than relative error
/// of ~ε (2e-13 relative at a = 0.01, b = 3, x = 0.1 where 1 − I ≈ 0.01).
enum IncompleteBeta {
    /// Both tails of the distribution at x.
    struct Tails: Equatable, Sendable {
        /// I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b).
        var lower: Double
        /// 1 − I_x(a, b) = I_{1−x}(b, a) = P(X > x).
        var upper: Double
    }

    /// Largest a or b accepted. Near the mean the continued fraction must
    /// resolve x to about 1/max(a, b), which double-double arithmetic does up
    /// to ~1e30 (checked against 90-digit references to 1e-14 at 1e30);
    /// beyond, the result would be noise, so NaN is returned instead.
    static let maximumParameter = 1e30

    /// I_x(a, b). NaN unless 0 < a, b ≤ `maximumParameter` and 0 ≤ x ≤ 1.
    static func regularized(a: Double, b: Double, x: Double) -> Double {
        tails(a: a, b: b, x: x, y: 1 - x).lower
    }

    /// 1 − I_x(a, b), computed without subtracting from 1 when it is small.
    static func complement(a: Double, b: Double, x: Double) -> Double {
        tails(a: a, b: b, x: x, y: 1 - x).upper
    }

    /// I_x(a, b) and its complement, with x and y = 1 − x both supplied so
    /// that a y close to 0 (x close to 1) keeps its relative precision; the
    /// caller guarantees x + y = 1 up to rounding. NaN for invalid arguments.
    static func tails(a: Double, b: Double, x: Double, y: Double) -> Tails {
        let nan = Tails(lower: .nan, upper: .nan)
        guard a > 0, b > 0, a <= maximumParameter, b <= maximumParameter,
              x >= 0, y >= 0, x <= 1, y <= 1 else { return nan }
        if x == 0 { return Tails(lower: 0, upper: 1) }
        if y == 0 { return Tails(lower: 1, upper: 0) }
        // Evaluate the continued fraction where it converges fast.
        if x * (a + b + 2) <= a + 1 {
            let w = continuedFraction(a: a, b: b, x: x, y: y)
            return Tails(lower: w, upper: 1 - w)
        } else {
            let w = continuedFraction(a: b, b: a, x: y, y: x)
            return Tails(lower: 1 - w, upper: w)
        }
    }

    /// Both tails at an x too small to represent (below ~1e-280), given
    /// log x. There I_x(a, b) = xᵃ / (a B(a, b)) · (1 + O((a + b) x)), so the
    /// closed form is exact to double precision (it matters only for small a;
    /// otherwise xᵃ underflows).
    /// Lets Student t and F keep tails like sf(10²⁰⁰, ν = 1) ≈ 3.2e-201
    /// whose x = ν/(ν + t²) underflows.
    static func tails(a: Double, b: Double, logTinyX logX: Double) -> Tails {
        guard a > 0, b > 0, a <= maximumParameter, b <= maximumParameter, logX <= log(1e-280) else {
            return Tails(lower: .nan, upper: .nan)
        }
        return Tails(lower: exp(a * logX - log(a) - LogGamma.logBeta(a, b)), upper: 1)
    }

    /// I_x(a, b) = xᵃ yᵇ / (a B(a, b)) · 1/(1 + d₁/(1 + d₂/(1 + …))) with
    /// d₂ₘ₊₁ = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) and
    /// d₂ₘ = m (b − m) x / ((a + 2m − 1)(a + 2m)), by modified Lentz.
    ///
    /// The recurrences run in double-double arithmetic: when a ≫ b and x is
    /// near the mean, 1 + dₖ·D cancels to a few digits at every step and the
    /// double-precision iteration wanders by ~1e-10 (a = 10⁶, b = 0.1).
    /// NaN if it has not converged within its iteration budget.
    static func continuedFraction(a: Double, b: Double, x: Double, y: Double) -> Double {
        let prefix = BetaPowerTerms.value(a: a, b: b, x: x, y: y) / a
        if prefix == 0 || prefix.isNaN { return prefix }
        typealias DD = DoubleDouble
        let tiny = 1e-100  // Lentz's guard; 1/tiny stays inside double-double's range (< 2⁹⁹⁶)
        let one = DD(1)
        let qab = DD.sum(a, b)                  // a + b
        let qap = DD.sum(a, 1)                  // a + 1
        // The smaller of x and y is the accurate one (callers form it without
        // cancellation); x = 1 − y is exact in double-double. This matters:
        // with a = 5·10⁵ one ulp of x moves I_x(a, b) by ~6e-11 relative.
        let xx = y < x ? DD.sum(1, -y) : DD(x)
        func guarded(_ v: DD) -> DD { abs(v.hi) < tiny ? DD(tiny) : v }
        var c = one
        var d = guarded(one - qab * xx / qap)
        d = one / d
        var h = d
        // Worst-case convergence is O(√max(a, b)) iterations near the switch point.
        let budget = 1_000 + Int(Swift.min(1e7, 20 * Swift.max(a, b).squareRoot()))
        var m = 1.0
        for _ in 0..<budget {
            let m2 = 2 * m
            // Even step: m (b − m) x / ((a − 1 + 2m)(a + 2m)), as a product of
            // ratios so that nothing overflows when a or b exceeds 1e154.
            var aa = DD(m) / DD.sum(a, m2 - 1) * (DD.sum(b, -m) / DD.sum(a, m2)) * xx
            d = guarded(one + aa * d)
            c = guarded(one + aa / c)
            d = one / d
            h = h * (d * c)
            // Odd step: −(a + m)(a + b + m) x / ((a + 2m)(a + 1 + 2m)).
            aa = -(DD.sum(a, m) / DD.sum(a, m2) * ((qab + m) / DD.sum(a, m2 + 1)) * xx)
            d = guarded(one + aa * d)
            c = guarded(one + aa / c)
            d = one / d
            let delta = d * c
            h = h * delta
            if abs((delta - one).value) <= 1e-17 { return prefix * h.value }
            m += 1
        }
        return .nan
    }
}
