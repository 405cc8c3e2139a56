#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The inverse of the regularised incomplete beta function: the x in [0, 1]
/// with I_x(a, b) = p, returned together with y = 1 − x so that a solution
/// close to 1 keeps the relative precision of its distance to 1.
///
/// Method: orient the problem so the unknown lies in (0, ½] (if I_½(a, b) < p
/// solve I_y(b, a) = q for y instead), then run Newton's method on
/// g(u) = log T(eᵘ) − log τ in u = log x, where T is whichever tail of the
/// distribution has the smaller target τ = min(p, q). In log–log coordinates
/// a pure power law xᵃ (the behaviour of every tail near 0) is a straight
/// line, so Newton converges from the power-law initial guess in a few steps
/// even for p = 1e-300. A bracket [log(smallest subnormal), log ½] is kept
/// and every large step that leaves it is replaced by bisection; the
/// iteration count is capped, so it always terminates.
enum InverseIncompleteBeta {
    struct Solution: Equatable, Sendable {
        var x: Double
        var y: Double
    }

    /// The x with I_x(a, b) = p, given both p and q = 1 − p (either may be
    /// tiny). NaN unless 0 < a, b ≤ `IncompleteBeta.maximumParameter` and
    /// 0 ≤ p, q ≤ 1.
    static func solve(a: Double, b: Double, p: Double, q: Double) -> Solution {
        guard a > 0, b > 0, a <= IncompleteBeta.maximumParameter, b <= IncompleteBeta.maximumParameter,
              p >= 0, q >= 0, p <= 1, q <= 1 else {
            return Solution(x: .nan, y: .nan)
        }
        if p == 0 { return Solution(x: 0, y: 1) }
        if q == 0 { return Solution(x: 1, y: 0) }
        let middle = IncompleteBeta.tails(a: a, b: b, x: 0.5, y: 0.5)
        if p <= middle.lower {
            let x = solveLowerHalf(a: a, b: b, p: p, q: q)
            return Solution(x: x, y: 1 - x)
        } else {
            let y = solveLowerHalf(a: b, b: a, p: q, q: p)
            return Solution(x: 1 - y, y: y)
        }
    }

    /// The x in [0, ½] with I_x(a, b) = p, knowing I_½(a, b) ≥ p.
    static func solveLowerHalf(a: Double, b: Double, p: Double, q: Double) -> Double {
        let useLower = p <= q
        let target = log(useLower ? p : q)
        // Bracket in u = log x; the tail is monotone in u.
        var lo = log(Double.leastNonzeroMagnitude)
        var hi = log(0.5)
        // Initial guess from I_x ≈ xᵃ / (a B(a, b)) for small x.
        var u = (log(p) + log(a) + LogGamma.logBeta(a, b)) / a
        // That approximation is exact to O(x) for tiny x: a solution below the
        // subnormal range is 0 (e.g. a = 0.5, p = 1e-300 needs x ≈ 1e-600).
        if useLower && u < lo - 1 { return 0 }
        if !(u > lo && u < hi) { u = u.isNaN || u >= hi ? hi - 0.1 : lo + 1 }
        // The iterate is kept as x (not u): a Newton step multiplies x by
        // exp(Δu), which keeps full relative precision where e^u would be
        // limited by the rounding of u itself (|u| ≈ 700 loses 1e-13).
        var x = exp(u)
        for _ in 0..<300 {
            let y = 1 - x
            let tails = IncompleteBeta.tails(a: a, b: b, x: x, y: y)
            let tail = useLower ? tails.lower : tails.upper
            let g = log(tail) - target
            if g == 0 { return x }
            // Shrink the bracket: the lower tail increases with u, the upper decreases.
            if (g > 0) == useLower { hi = u } else { lo = u }
            // d log T / d log x = ± x·density / T = ± xᵃ yᵇ / (B(a, b) · y · T).
            let slope = BetaPowerTerms.value(a: a, b: b, x: x, y: y) / (y * tail) * (useLower ? 1 : -1)
            let step = -g / slope
            // Small steps are taken as they are (u itself sits on a bracket end
            // after the update above, so a bracket test would reject them).
            if step.isFinite, abs(step) < 1e-3 || (u + step > lo && u + step < hi) {
                x *= exp(step)
                u = log(x)
                // Newton converges quadratically: after a step of 1e-11 the
                // error is ~1e-22 times the curvature, far below rounding.
                if abs(step) <= 1e-11 { break }
            } else {
                u = 0.5 * (lo + hi)
                x = exp(u)
            }
        }
        return x
    }
}
