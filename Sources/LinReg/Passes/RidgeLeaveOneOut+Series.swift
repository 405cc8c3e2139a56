#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RidgeLeaveOneOut {
    /// Leave-one-out errors of the penalties small against the spectrum,
    /// from one power series per output summed over the rows.
    ///
    /// **Why.** The exact errors cost 2·d multiply-adds per row and penalty;
    /// a grid of 100 penalties is then several passes' worth of arithmetic.
    /// For α ≤ λ_min/16 (λ_min the smallest eigenvalue of Xcᵀ W Xc: on large
    /// data every usual grid is there, since λ grows with n) each row's error
    /// e(α) = w·r(α)²/(1 − h(α))² is analytic in x = α/λ_min well beyond
    /// the penalties, so its Taylor coefficients Eₘ can be summed over the
    /// rows once (``LeaveOneOutKernel``'s `series`: 2·d·M + M² per row for M
    /// orders) and Σᵢ eᵢ(α) = Σₘ (Σᵢ Eᵢₘ) x^m evaluated per penalty.
    ///
    /// **Truncation.** 1/(λⱼ + α) has its poles at x = −λⱼ/λ_min, |x| ≥ 1;
    /// 1 − h(x) differs from 1 − h(0) by at most h(0)·|x|/(1 − |x|), so with
    /// the leverage h(0) ≤ 0.6 (``leverageLimit``, checked on every row) it
    /// has no zero for |x| < 0.35 and every eᵢ is analytic there. Cauchy's
    /// estimate bounds the tail after M terms by (x/0.35)^M times the
    /// function's size on that circle; M is chosen so that (ρ/0.35)^M ≤
    /// 1e-20 for the largest ratio ρ of the series penalties.
    ///
    /// **Check.** The two extreme series penalties are also computed
    /// exactly in the same pass; if the series misses either by more than
    /// 1e-11 relative (or a row's leverage exceeds the limit), every penalty
    /// is recomputed exactly. So the answers never rest on the bound alone.
    struct Series {
        /// Series orders M.
        let orders: Int
        let outputs: Int
        /// λ_min.
        let smallest: Double
        /// Penalties taken from the series, and those computed exactly.
        let seriesIndices: [Int]
        let exactIndices: [Int]
        /// The smallest and largest series penalties, also computed exactly.
        let checkAlphas: [Double]
        /// M × d: (λ_min/λⱼ)^m/λⱼ; M × k × d: bⱼₖ·(λ_min/λⱼ)^m/λⱼ.
        let inverse: [Double]
        let weighted: [Double]

        static let ratioLimit = 1.0 / 16
        static let leverageLimit = 0.6
        static let analyticRadius = 0.35
        static let truncation = 1e-20
        static let checkTolerance = 1e-11
        static let maximumOrders = 40

        /// The plan for `alphas`, or nil when too few penalties are small
        /// enough for the series to save work.
        init?(spectrum: RidgeSpectrum, alphas: [Double]) {
            let d = spectrum.features, k = spectrum.outputs
            guard d > 0, k > 0, let smallest = spectrum.eigenvalues.min(), smallest > 0, smallest.isFinite,
                  spectrum.eigenvalues.allSatisfy({ $0.isFinite }) else { return nil }
            var series: [Int] = [], exact: [Int] = []
            for (index, alpha) in alphas.enumerated() {
                if alpha >= 0, alpha <= Self.ratioLimit * smallest { series.append(index) } else { exact.append(index) }
            }
            guard let largestAlpha = series.map({ alphas[$0] }).max(),
                  let smallestAlpha = series.map({ alphas[$0] }).min() else { return nil }
            let rho = largestAlpha / smallest
            let orders = rho > 0
                ? Int((log(Self.truncation) / log(rho / Self.analyticRadius)).rounded(.up)) : 1
            // The series' work against the exact work it replaces (the check
            // penalties cost two exact ones).
            guard orders >= 1, orders <= Self.maximumOrders,
                  orders &* (2 &* d &+ orders) &+ 4 &* d < series.count &* 2 &* d else { return nil }
            self.orders = orders
            outputs = k
            self.smallest = smallest
            seriesIndices = series
            exactIndices = exact
            checkAlphas = smallestAlpha == largestAlpha ? [largestAlpha] : [smallestAlpha, largestAlpha]
            var inverse = [Double](repeating: 0, count: orders &* d)
            var weighted = [Double](repeating: 0, count: orders &* k &* d)
            for j in 0 ..< d {
                let lambda = spectrum.eigenvalues[j]
                let ratio = smallest / lambda
                var term = 1 / lambda
                for m in 0 ..< orders {
                    inverse[m &* d &+ j] = term
                    for o in 0 ..< k { weighted[(m &* k &+ o) &* d &+ j] = spectrum.projections[j &* k &+ o] * term }
                    term *= ratio
                }
            }
            self.inverse = inverse
            self.weighted = weighted
        }

        /// The sums per penalty and output (`[alpha * k + output]`, as
        /// ``RidgeLeaveOneOut/errors``), or nil when the check fails.
        func assemble(_ sums: Sums, alphas: [Double]) -> [Double]? {
            let k = outputs
            guard sums.largestLeverage.isFinite, sums.largestLeverage <= Self.leverageLimit,
                  sums.series.count == orders &* k,
                  sums.exact.count == (exactIndices.count &+ checkAlphas.count) &* k else { return nil }
            func value(_ alpha: Double, _ o: Int) -> Double {
                let x = alpha / smallest
                var total = 0.0
                for m in stride(from: orders &- 1, through: 0, by: -1) { total = total * x + sums.series[o &* orders &+ m] }
                return total
            }
            for (c, alpha) in checkAlphas.enumerated() {
                for o in 0 ..< k {
                    let exact = sums.exact[(exactIndices.count &+ c) &* k &+ o], approximate = value(alpha, o)
                    guard exact.isFinite, approximate.isFinite,
                          abs(exact - approximate) <= Self.checkTolerance * abs(exact) else { return nil }
                }
            }
            var result = [Double](repeating: 0, count: alphas.count &* k)
            for (position, index) in exactIndices.enumerated() {
                for o in 0 ..< k { result[index &* k &+ o] = sums.exact[position &* k &+ o] }
            }
            for index in seriesIndices {
                for o in 0 ..< k { result[index &* k &+ o] = value(alphas[index], o) }
            }
            return result
        }
    }
}
