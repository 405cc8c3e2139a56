import Testing
@testable import LinReg

/// Shared helpers of the Distribution*Tests files, and tests of the building
/// blocks under the incomplete beta function: Stirling's remainder μ(z) and
/// the prefactor xᵃ yᵇ / B(a, b), against mpmath at 120 digits (script at the
/// end of this file). These feed exponents, so their absolute error is the
/// relative error of everything downstream; the tolerances say so.
enum DistributionReference {
    /// Whitespace-separated numbers, one row a line ("inf", "-inf", "nan" allowed).
    static func rows(_ text: String) -> [[Double]] {
        text.split(separator: "\n").map { line in
            line.split(separator: " ").map { Double(String($0)) ?? .nan }
        }
    }

    /// |actual − expected| / |expected|; 0 when equal (±∞ included) or both NaN, ∞ when only one is NaN.
    static func relativeError(_ actual: Double, _ expected: Double) -> Double {
        if actual == expected || (actual.isNaN && expected.isNaN) { return 0 }
        if actual.isNaN || expected.isNaN || expected.isInfinite { return .infinity }
        return abs(actual - expected) / abs(expected)
    }
}

struct DistributionSupportTests {
    @Test("Stirling remainder μ(z) = log Γ(z) − ((z − ½) log z − z + ½ log 2π)")
    func stirlingCorrection() {
        // (z, μ(z)) from mpmath at 120 digits.
        let cases: [(Double, Double)] = [
            (1e-300, 344.4688254159022), (1e-05, 4.837643556460688), (0.5, 0.15342640972002736),
            (1.0, 0.08106146679532726), (2.5, 0.03316287351993629), (9.99, 0.00833889679773433),
            (10.0, 0.00833056343336287), (10.01, 0.008322246702576166), (50.0, 0.0016666444469833656),
            (1000.0, 8.333333055555635e-05), (500000.0, 1.6666666666664444e-07),
            (1e15, 8.333333333333333e-17), (1e30, 8.333333333333333e-32),
        ]
        for (z, expected) in cases {
            let actual = LogGamma.stirlingCorrection(z)
            // Absolute 1e-14 (it only ever appears in an exponent) or 1e-13 relative.
            #expect(abs(actual - expected) <= max(1e-14, 1e-13 * abs(expected)), "μ(\(z)) = \(actual) vs \(expected)")
        }
        #expect(LogGamma.stirlingCorrection(0) == .infinity)
        #expect(LogGamma.stirlingCorrection(-1).isNaN)
        #expect(LogGamma.stirlingCorrection(.nan).isNaN)
    }

    @Test("log B(a, b) without cancellation when one argument is large")
    func logBeta() {
        // (a, b, log B(a, b)) from mpmath at 120 digits: mp.log(mp.beta(a, b)).
        let cases: [(Double, Double, Double)] = [
            (0.5, 5000000000.0, -10.593986931740556), (1e-300, 1.0, 690.7755278982137), (3.0, 7.0, -5.529429087511423),
            (1000000.0, 1000000.0, -1386300.003362921), (0.1, 0.1, 2.981361481037627),
            (2.5, 1000000000000000.0, -86.06225811680379), (40.0, 0.001, 6.9035025453523735),
        ]
        for (a, b, expected) in cases {
            let actual = LogGamma.logBeta(a, b)
            // Absolute error is what matters (it is an exponent): 1e-14, or 1e-15 relative for huge values.
            #expect(abs(actual - expected) <= max(1e-14, 1e-15 * abs(expected)), "log B(\(a), \(b)) = \(actual) vs \(expected)")
            #expect(LogGamma.logBeta(b, a) == actual)
        }
        #expect(LogGamma.logBeta(0, 1).isNaN)
    }

    @Test("beta power terms xᵃ yᵇ / B(a, b) without cancellation for large a, b")
    func powerTerms() {
        // (a, b, x, y = 1 − x, xᵃ yᵇ / B(a, b)) from mpmath at 120 digits (y rounded to the nearest double).
        let cases: [(Double, Double, Double, Double, Double)] = [
            (0.5, 0.5, 0.3, 0.7, 0.14586791478899988),
            (500000.0, 0.5, 0.999996, 4.000000000004e-06, 0.10798147410282216),
            (0.5, 500000.0, 4e-06, 0.999996, 0.10798147410298416),
            (1000000.0, 1000000.0, 0.5, 0.5, 282.0947565120314),
            (3.0, 7.0, 1e-100, 1.0, 2.5200000000000002e-298),
            (200.0, 0.1, 0.1, 0.9, 1.7663989389822775e-201),
            (0.001, 2.0, 0.5, 0.5, 0.00025007660002086075),
            (2.5, 2.5, 0.999, 0.0010000000000000009, 4.2840305856656025e-07),
        ]
        for (a, b, x, y, expected) in cases {
            let actual = BetaPowerTerms.value(a: a, b: b, x: x, y: y)
            // Naively exp(a log x + b log y − log B) would be off by ~1e-10 in the large-parameter rows.
            // 1e-12: a result near e^-690 carries ~690·ε ≈ 1.5e-13 from its exponent alone.
            #expect(DistributionReference.relativeError(actual, expected) <= 1e-12, "\(a) \(b) \(x): \(actual) vs \(expected)")
        }
    }
}

/* Generator (project venv):

# Reference values for DistributionSupportTests (mpmath, 60 digits) and the normal limit (scipy.stats.norm).
import mpmath as mp, scipy.stats as st
mp.mp.dps = 120
r = lambda v: repr(float(v))
print("stirling")
for z in [1e-300, 1e-5, 0.5, 1, 2.5, 9.99, 10, 10.01, 50, 1e3, 5e5, 1e15, 1e30]:
    z = mp.mpf(z)
    print(r(z), r(mp.loggamma(z) - ((z - mp.mpf(1)/2) * mp.log(z) - z + mp.log(2 * mp.pi) / 2)))
print("power terms x^a y^b / B(a,b)")
for a, b, x in [(0.5, 0.5, 0.3), (5e5, 0.5, 0.999996), (0.5, 5e5, 4e-6), (1e6, 1e6, 0.5), (3, 7, 1e-100), (200, 0.1, 0.1),
                (1e-3, 2, 0.5), (2.5, 2.5, 0.999)]:
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    y = 1 - x
    print(r(a), r(b), r(x), r(y), r(mp.exp(a * mp.log(x) + b * mp.log(y) - mp.log(mp.beta(a, b)))))
# log B(a, b) rows: print((a, b, float(mp.log(mp.beta(mp.mpf(a), mp.mpf(b)))))) for the listed pairs.
print("normal", r(st.norm.sf(2.0)), r(st.norm.ppf(0.975)), r(st.norm.sf(0.5)), r(st.norm.ppf(1e-10)))
*/
