/// The uncentred second moments Σ wᵢ·aᵢaᵢᵀ of the augmented rows
/// aᵢ = [1, xᵢ, yᵢ] (the leading 1 only when the statistics carry the
/// intercept's ones column), in double-double and in the data's own units:
/// what the elastic-net solvers read from a ``QRAccumulator``.
///
/// They are RᵀR of the accumulator's factor with its column scaling undone
/// (an exact power-of-two scaling per column), formed in double-double, so
/// each entry is the exact moment to about 1e-30 relative. Moments of
/// disjoint row sets add, and the moments of a training fold are the total's
/// minus the test fold's (``subtract(_:)``): in double-double the
/// cancellation costs at most a factor ‖total‖/‖train‖ of 1e-30, far below
/// double rounding for any split that keeps a sizeable part of the rows.
struct AugmentedMoments: Sendable {
    /// d, the number of features.
    let features: Int
    /// k, the number of outputs.
    let outputs: Int
    /// Whether column 0 is the intercept's ones column (then entry (0, 0) is
    /// Σ wᵢ and row 0 holds the weighted column sums).
    let hasOnesColumn: Bool
    /// Rows behind the moments, zero-weight rows included.
    var rowCount: Int
    /// m × m, row-major, both triangles: m = d + k + (ones column ? 1 : 0).
    var entries: [DoubleDouble]

    /// m, the number of augmented columns.
    var size: Int { features &+ outputs &+ (hasOnesColumn ? 1 : 0) }
    /// Index of the first feature column.
    var firstFeature: Int { hasOnesColumn ? 1 : 0 }
    /// Index of output j's column.
    func outputColumn(_ j: Int) -> Int { firstFeature &+ features &+ j }

    subscript(a: Int, b: Int) -> DoubleDouble {
        get { entries[a &* size &+ b] }
        set { entries[a &* size &+ b] = newValue }
    }

    /// The moments of the rows an accumulator holds. Throws
    /// ``EngineError/overflow(_:)`` when a moment is beyond the range of a
    /// double (values around 1e154 and larger).
    init(_ accumulator: QRAccumulator) throws {
        features = accumulator.features
        outputs = accumulator.outputs
        hasOnesColumn = accumulator.fitIntercept
        rowCount = accumulator.rowCount
        let m = accumulator.columnCount
        entries = [DoubleDouble](repeating: .zero, count: m &* m)
        let exponents = accumulator.columnExponents.map { $0 ?? 0 }
        let r = accumulator.r
        for a in 0 ..< m {
            for b in a ..< m {
                var sum = DoubleDouble.zero
                for i in 0 ... a { sum += r[i, a] * r[i, b] }
                let value = sum.scaled(byPowerOfTwo: exponents[a] &+ exponents[b])
                guard value.hi.isFinite else {
                    throw EngineError.overflow(
                        "a second moment of the data (columns \(a) and \(b) of [1, X, Y]) is beyond the range of a double: rescale the data")
                }
                entries[a &* m &+ b] = value
                entries[b &* m &+ a] = value
            }
        }
    }

    /// Adds the moments of a disjoint row set with the same layout.
    mutating func add(_ other: AugmentedMoments) {
        for i in entries.indices { entries[i] += other.entries[i] }
        rowCount &+= other.rowCount
    }

    /// Removes the moments of a subset of the rows (a test fold from the total).
    mutating func subtract(_ other: AugmentedMoments) {
        for i in entries.indices { entries[i] -= other.entries[i] }
        rowCount &-= other.rowCount
    }

    /// Σ wᵢ: entry (0, 0) with a ones column, else the row count (the
    /// statistics of a design without the ones column do not hold the sum of
    /// the weights).
    var weightSum: DoubleDouble {
        hasOnesColumn ? self[0, 0] : DoubleDouble(Double(rowCount))
    }

    /// Σ wᵢ·(yᵢⱼ − xᵢ·wⱼ − bⱼ)² for output j: the quadratic form vᵀMv with
    /// v = [−b, −w, 1] (no −b without a ones column), in double-double, so
    /// a small residual is not lost to cancellation.
    func residualSumOfSquares(weights w: ArraySlice<Double>, intercept b: Double, output j: Int) -> Double {
        let m = size
        var v = [Double](repeating: 0, count: m)
        if hasOnesColumn { v[0] = -b }
        var c = firstFeature
        for value in w { v[c] = -value; c &+= 1 }
        v[outputColumn(j)] = 1
        var total = DoubleDouble.zero
        for a in 0 ..< m where v[a] != 0 {
            var row = DoubleDouble.zero
            for b in 0 ..< m where v[b] != 0 { row += self[a, b] * v[b] }
            total += row * v[a]
        }
        return max(0, total.value)
    }
}
