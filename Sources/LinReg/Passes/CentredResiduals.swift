/// Residuals formed about column origins, so that their rounding is ε times
/// the data's spread rather than their offsets (as ``ResidualMoments``):
///
///     eᵢₒ = ((yᵢₒ − o_yₒ) − Σ_c (xᵢc − o_c)·Wₒc) − b′ₒ,   b′ₒ = bₒ + Σ_c o_c Wₒc − o_yₒ
///
/// with b′ formed in double-double. For data far from the origin of
/// coordinates (Longley: years near 1950 with a coefficient of 1829 and an
/// intercept of −3.5e6) the plain y − b − W x cancels six digits away; about
/// the weighted column means it cancels none.
struct CentredResiduals: Sendable {
    /// o: d feature origins, then k output origins.
    let origins: [Double]
    /// b′, one per output.
    let shifted: [Double]

    init(weights: [Double], intercepts: [Double], origins: [Double], features d: Int, outputs k: Int) {
        self.origins = origins
        var shifted = [Double](repeating: 0, count: k)
        for o in 0 ..< k {
            var sum = DoubleDouble(intercepts[o])
            for c in 0 ..< d { sum += DoubleDouble(origins[c]) * weights[o &* d &+ c] }
            sum -= DoubleDouble(origins[d &+ o])
            shifted[o] = sum.value
        }
        self.shifted = shifted
    }

    /// The weighted column means of X and Y from an accumulator's factor
    /// (its first row over R₀₀, when the intercept's column is there), or nil.
    static func means(of accumulator: QRAccumulator?) -> [Double]? {
        guard let rows = accumulator, rows.fitIntercept, rows.r[0, 0].hi != 0 else { return nil }
        let m = rows.columnCount
        let e0 = rows.columnExponents[0] ?? 0
        var result = [Double](repeating: 0, count: m &- 1)
        for c in 1 ..< m {
            let ratio = (rows.r[0, c] / rows.r[0, 0]).value
            result[c &- 1] = PowerOfTwo.scale(ratio, by: (rows.columnExponents[c] ?? 0) &- e0)
        }
        return result.allSatisfy(\.isFinite) ? result : nil
    }

    /// The first row of X and Y as origins (a point inside the data), or zeros without rows.
    static func firstRow<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>) -> [Double] {
        guard X.rows > 0 else { return [Double](repeating: 0, count: X.columns &+ Y.columns) }
        let x = X.rowPointer(0), y = Y.rowPointer(0)
        return (0 ..< X.columns).map { x[$0].asDouble } + (0 ..< Y.columns).map { y[$0].asDouble }
    }
}
