/// A small dense row-major matrix of ``DoubleDouble`` entries, stored as two
/// planes of `Double` (high and low parts) so that hot loops can work on
/// plain pointers. Used for the p × p (plus outputs) triangular factors of
/// the exact solver, never for the data.
struct DoubleDoubleMatrix: Sendable, Equatable {
    let rows: Int
    let columns: Int
    /// High parts, row-major.
    var hi: [Double]
    /// Low parts, row-major.
    var lo: [Double]

    /// A zero matrix. The caller has checked that `rows * columns` fits in
    /// memory (see ``ExactSolver``'s size checks).
    init(rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        let count = self.rows &* self.columns
        hi = [Double](repeating: 0, count: count)
        lo = [Double](repeating: 0, count: count)
    }

    @inline(__always)
    subscript(row: Int, column: Int) -> DoubleDouble {
        get {
            let index = row &* columns &+ column
            return DoubleDouble(hi[index], lo[index])
        }
        set {
            let index = row &* columns &+ column
            hi[index] = newValue.hi
            lo[index] = newValue.lo
        }
    }

    /// The entry rounded to `Double`.
    @inline(__always)
    func value(_ row: Int, _ column: Int) -> Double {
        let index = row &* columns &+ column
        return hi[index] + lo[index]
    }

    /// Multiplies column `column` by 2^exponent (exact barring underflow).
    mutating func scaleColumn(_ column: Int, byPowerOfTwo exponent: Int) {
        if exponent == 0 { return }
        for row in 0 ..< rows {
            let index = row &* columns &+ column
            hi[index] = PowerOfTwo.scale(hi[index], by: exponent)
            lo[index] = PowerOfTwo.scale(lo[index], by: exponent)
        }
    }

    /// The sub-matrix of rows `rowRange` and columns `columnRange`.
    func submatrix(rows rowRange: Range<Int>, columns columnRange: Range<Int>) -> DoubleDoubleMatrix {
        var result = DoubleDoubleMatrix(rows: rowRange.count, columns: columnRange.count)
        for (i, row) in rowRange.enumerated() {
            for (j, column) in columnRange.enumerated() {
                let source = row &* columns &+ column
                let target = i &* result.columns &+ j
                result.hi[target] = hi[source]
                result.lo[target] = lo[source]
            }
        }
        return result
    }

    /// The squared norms of the first `count` columns over the upper
    /// triangle (column c over rows 0 ... c), each summed down its column
    /// as ``squaredNorm(column:rows:)`` sums it (the same bits), with the
    /// rows read in turn (contiguously) instead of one column at a time.
    func upperColumnSquaredNorms(_ count: Int) -> [DoubleDouble] {
        var squares = [DoubleDouble](repeating: .zero, count: count)
        for row in 0 ..< Swift.min(count, rows) {
            for column in row ..< count { squares[column] += self[row, column].squared }
        }
        return squares
    }

    /// Σ of the squares of column `column`'s entries in `rowRange`.
    func squaredNorm(column: Int, rows rowRange: Range<Int>) -> DoubleDouble {
        var sum = DoubleDouble.zero
        for row in rowRange { sum += self[row, column].squared }
        return sum
    }
}
