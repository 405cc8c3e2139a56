#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The data of a least-squares problem reduced to a small triangular factor:
/// the mergeable state of the exact solver.
///
/// For rows (xᵢ, yᵢ, wᵢ) the *augmented design* has rows
///
///     aᵢ = √wᵢ · [1, xᵢ₁ … xᵢd, yᵢ₁ … yᵢk]     (the leading 1 only with an intercept)
///
/// i.e. m = p + k columns with p = d + (intercept ? 1 : 0). The accumulator
/// holds the m × m upper-triangular R of the QR factorisation A = QR, in
/// double-double, together with the row count and Σ log wᵢ. That is all the
/// exact solver needs: with R = [R₁₁ c; 0 T] (R₁₁ p × p, c = QᵀY's first p
/// rows, T the k × k triangle of the residual part),
///
/// * the least-squares coefficients solve R₁₁·β = c;
/// * Σ wᵢ rᵢ² = ‖c − R₁₁β‖² + ‖T's column‖²;
/// * because the intercept's ones column comes *first*, rows 1… of R are the
///   R factor of the weighted-centred data: the centred total sums of squares
///   and the centred design (scikit-learn's `singular_`) come from them.
///
/// **Blocking.** ``add(X:Y:sampleWeight:threads:)`` reads the rows in blocks of
/// ``blockRows`` (chosen from m only: about 2 MiB of working memory, at most
/// 4096 rows), copies each block once into a double-double buffer and
/// triangularises `[R; block]` with ``StackedHouseholder``. X and Y are
/// never copied whole: the memory used is O(m² + blockRows·m) per worker
/// thread. Chunks of ``chunkRows`` rows are reduced independently (in
/// parallel when asked) and merged in row order.
///
/// **Scaling.** Column c is stored scaled by 2^(−eᶜ) (exact), with eᶜ the
/// largest binary exponent of |√wᵢ·aᵢc| seen so far, so squares never
/// overflow or underflow whatever the units of the data. When a later block
/// needs a larger exponent, that column of R is rescaled (exactly).
///
/// **Merging.** ``merge(_:)`` combines two accumulators of disjoint row sets
/// by triangularising `[R_a; R_b]` (after bringing both to common column
/// exponents): the result equals, to double-double rounding (~1e-30
/// relative), the accumulator of all the rows, so fits agree to far better
/// than 1e-10. This is what streaming `partial_fit` and model merging use.
///
/// Zero-weight rows count in ``rowCount`` but change nothing else.
struct QRAccumulator: Sendable, Equatable {
    /// d, the number of features.
    let features: Int
    /// k, the number of outputs.
    let outputs: Int
    /// Whether the design has the intercept's ones column (first).
    let fitIntercept: Bool
    /// Rows seen, zero-weight rows included.
    var rowCount: Int
    /// Rows per block of ``add(X:Y:sampleWeight:threads:)``: a function of the
    /// column count only, so results never depend on anything else.
    let blockRows: Int

    /// p = d + (intercept ? 1 : 0), the number of parameters per output.
    var parameterCount: Int { features &+ (fitIntercept ? 1 : 0) }
    /// m = p + k.
    var columnCount: Int { parameterCount &+ outputs }
    /// R of the scaled augmented design (m × m, upper triangle).
    var r: DoubleDoubleMatrix
    /// Binary scale exponent of each column (nil: only zeros seen so far).
    var columnExponents: [Int?]
    /// Σ log wᵢ over the rows with wᵢ > 0.
    var logWeightSum: DoubleDouble

    /// Working-memory target of one block (both double-double planes).
    static let blockBytes = 2 << 20
    /// Rows per chunk of ``add(X:Y:sampleWeight:threads:)``: the unit of
    /// parallel work, merged in row order.
    static let chunkRows = 65_536
    /// Largest block.
    static let maximumBlockRows = 4096

    /// An accumulator of no rows.
    ///
    /// Throws ``EngineError/argument(_:)`` for negative sizes and
    /// ``EngineError/noMemory(_:)`` when the m × m factor (and the solver's
    /// work on it) would not fit in memory.
    init(features: Int, outputs: Int, fitIntercept: Bool) throws {
        let m = try QRAccumulator.checkedColumns(features: features, outputs: outputs, fitIntercept: fitIntercept)
        self.features = features
        self.outputs = outputs
        self.fitIntercept = fitIntercept
        rowCount = 0
        r = DoubleDoubleMatrix(rows: m, columns: m)
        columnExponents = [Int?](repeating: nil, count: m)
        logWeightSum = .zero
        blockRows = max(16, min(QRAccumulator.maximumBlockRows, QRAccumulator.blockBytes / max(1, 16 &* m)))
    }

    /// m = d + k (+ 1 with an intercept), the factor's order, after the
    /// checks of ``init(features:outputs:fitIntercept:)`` (negative counts,
    /// overflow, ``checkMemory(columns:)``), so that a caller can refuse a
    /// size before any work.
    static func checkedColumns(features: Int, outputs: Int, fitIntercept: Bool) throws -> Int {
        guard features >= 0, outputs >= 0 else {
            throw EngineError.argument("features (\(features)) and outputs (\(outputs)) must not be negative")
        }
        let (p, o1) = features.addingReportingOverflow(fitIntercept ? 1 : 0)
        let (m, o2) = p.addingReportingOverflow(outputs)
        guard !o1, !o2 else { throw EngineError.noMemory("too many columns for the exact solver") }
        try QRAccumulator.checkMemory(columns: m)
        return m
    }

    /// Refuses sizes whose m × m factor and the solver's work on it (about
    /// 20 m² doubles in all) exceed half the physical memory, or overflow.
    static func checkMemory(columns m: Int) throws {
        let (squared, o1) = m.multipliedReportingOverflow(by: m)
        let (bytes, o2) = squared.multipliedReportingOverflow(by: 160)
        var limit = Int.max
        #if canImport(Glibc) || canImport(Darwin)
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0, pageSize > 0 {
            let (physical, o3) = Int(pages).multipliedReportingOverflow(by: Int(pageSize))
            if !o3 { limit = physical / 2 }
        }
        #endif
        if o1 || o2 || bytes > limit {
            throw EngineError.noMemory(
                "the exact solver needs an m × m factor with m = \(m) columns (features + outputs + intercept): too large for this machine's memory")
        }
    }

    // MARK: Adding rows

    /// Adds the rows of X (n × d), Y (n × k) and optional non-negative
    /// weights (n) to the factorisation.
    ///
    /// Throws ``EngineError/argument(_:)`` when the shapes disagree with the
    /// accumulator's. Values must be finite (the caller checks).
    ///
    /// **Chunks and threads.** Rows are cut into chunks of ``chunkRows``
    /// (a constant). The first chunk is absorbed into this accumulator; every
    /// other chunk into a fresh accumulator that is then merged in, in row
    /// order. `threads` workers (0 = all cores) compute chunks concurrently,
    /// a wave of at most `threads` chunks at a time; the arithmetic is the
    /// same for every thread count, so the result never depends on it.
    mutating func add<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
                                                threads: Int = 1) throws {
        guard X.columns == features, Y.columns == outputs, X.rows == Y.rows else {
            throw EngineError.argument(
                "shape mismatch: X is \(X.rows) × \(X.columns), Y is \(Y.rows) × \(Y.columns); expected d = \(features), k = \(outputs)")
        }
        if let w = sampleWeight, w.count != X.rows {
            throw EngineError.argument("sample_weight has \(w.count) entries for \(X.rows) rows")
        }
        let n = X.rows
        if n == 0 { return }
        let chunk = QRAccumulator.chunkRows
        let chunkCount = (n &- 1) / chunk &+ 1
        if chunkCount == 1 {
            absorbRows(X: X, Y: Y, sampleWeight: sampleWeight, range: 0 ..< n)
            return
        }
        // Each worker holds its own m × m factor: keep their total under 1 GiB.
        let m = columnCount
        let perWorker = max(1, 32 &* m &* m)
        let workers = min(WorkerThreads.count(requested: threads, pieces: chunkCount), max(1, (1 << 30) / perWorker))
        let empty = try QRAccumulator(features: features, outputs: outputs, fitIntercept: fitIntercept)
        var next = 0
        while next < chunkCount {
            let wave = min(workers, chunkCount &- next)
            let first = next
            let start = self
            var results = [QRAccumulator?](repeating: nil, count: wave)
            results.withUnsafeMutableBufferPointer { slots in
                WorkerThreads.run(wave) { i in
                    let c = first &+ i
                    let range = (c &* chunk) ..< min(n, (c &+ 1) &* chunk)
                    var accumulator = c == 0 ? start : empty
                    accumulator.absorbRows(X: X, Y: Y, sampleWeight: sampleWeight, range: range)
                    slots[i] = accumulator
                }
            }
            for (i, result) in results.enumerated() {
                guard let result else { throw EngineError.internal("a row chunk was not processed") }
                if first &+ i == 0 {
                    self = result
                } else {
                    try merge(result)
                }
            }
            next &+= wave
        }
    }

    /// Absorbs rows `range` block by block (see the type's documentation).
    mutating func absorbRows<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
                                                range: Range<Int>) {
        let n = range.upperBound
        if range.isEmpty { return }
        let m = columnCount
        let ld = blockRows
        var block = ScaledBlock(columns: m, ld: ld)
        var scratch = [Double](repeating: 0, count: 2 &* ld)
        var start = range.lowerBound
        while start < n {
            let end = start &+ min(ld, n &- start)
            let rows = start ..< end
            let largest = largestExponents(X: X, Y: Y, sampleWeight: sampleWeight, rows: rows)
            let scaling = growExponents(to: largest)
            let count = copyScaled(X: X, Y: Y, sampleWeight: sampleWeight, rows: rows, scaling: scaling,
                                   into: &block)
            absorb(hi: &block.hi, lo: &block.lo, rows: count, ld: ld, scratch: &scratch)
            rowCount &+= end &- start
            start = end
        }
    }

    /// A column-major block of rows in double-double, `ld` rows apart.
    struct ScaledBlock {
        var hi: [Double]
        var lo: [Double]
        init(columns m: Int, ld: Int) {
            hi = [Double](repeating: 0, count: ld &* m)
            lo = [Double](repeating: 0, count: ld &* m)
        }
    }

    /// Step 1 of a block: the largest binary exponent of √w·value per
    /// column (nil for a column that is zero in every row of positive weight).
    private func largestExponents<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
                                                     rows: Range<Int>) -> [Int?] {
        let m = columnCount, d = features, p = parameterCount
        let intercept = fitIntercept ? 1 : 0
        var largest = [Int?](repeating: nil, count: m)
        @inline(__always) func see(_ column: Int, _ e: Int) {
            if let current = largest[column], current >= e { return }
            largest[column] = e
        }
        for i in rows {
            var rowExponent = 0
            if let w = sampleWeight {
                let weight = w[i].asDouble
                if !(weight > 0) { continue }
                rowExponent = Int(weight.squareRoot().exponent)
            }
            if intercept == 1 { see(0, rowExponent) }
            let xRow = X.rowPointer(i)
            for c in 0 ..< d {
                let x = xRow[c].asDouble
                if x != 0 { see(c &+ intercept, Int(x.exponent) &+ rowExponent) }
            }
            let yRow = Y.rowPointer(i)
            for c in 0 ..< outputs {
                let y = yRow[c].asDouble
                if y != 0 { see(p &+ c, Int(y.exponent) &+ rowExponent) }
            }
        }
        return largest
    }

    /// How a block's values are scaled into R's coordinates: by 2^exponent,
    /// through `factor` (that power of two) when it is a normal double.
    struct ColumnScaling {
        var exponent: [Int]
        var factor: [Double]
    }

    /// Step 2 of a block: grows the column exponents where the block needs
    /// it (rescaling R's column exactly) and returns the block's scaling.
    private mutating func growExponents(to largest: [Int?]) -> ColumnScaling {
        let m = columnCount
        var scaling = ColumnScaling(exponent: [Int](repeating: 0, count: m), factor: [Double](repeating: 0, count: m))
        for c in 0 ..< m {
            if let needed = largest[c] {
                if let current = columnExponents[c] {
                    if needed > current {
                        r.scaleColumn(c, byPowerOfTwo: current &- needed)
                        columnExponents[c] = needed
                    }
                } else {
                    columnExponents[c] = needed
                }
            }
            let e = columnExponents[c] ?? 0
            scaling.exponent[c] = -e
            scaling.factor[c] = (e >= -1000 && e <= 1000) ? PowerOfTwo.value(-e) : 0
        }
        return scaling
    }

    /// Step 3 of a block: copies the rows of positive weight, times √w and
    /// scaled, into `block` (√w·x formed exactly as a double-double), adds
    /// their log weights to ``logWeightSum``, and returns how many rows it
    /// copied.
    private mutating func copyScaled<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
                                                        rows range: Range<Int>, scaling: ColumnScaling,
                                                        into block: inout ScaledBlock) -> Int {
        let ld = blockRows, d = features, p = parameterCount, k = outputs
        let intercept = fitIntercept ? 1 : 0
        var rows = 0
        var logSum = logWeightSum
        block.hi.withUnsafeMutableBufferPointer { hiBuffer in
            block.lo.withUnsafeMutableBufferPointer { loBuffer in
                guard let bh = hiBuffer.baseAddress, let bl = loBuffer.baseAddress else { return }
                @inline(__always) func scaled(_ x: Double, _ c: Int) -> Double {
                    let f = scaling.factor[c]
                    return f != 0 ? x * f : PowerOfTwo.scale(x, by: scaling.exponent[c])
                }
                for i in range {
                    let xRow = X.rowPointer(i)
                    let yRow = Y.rowPointer(i)
                    if let w = sampleWeight {
                        let weight = w[i].asDouble
                        if !(weight > 0) { continue }
                        logSum += log(weight)
                        let root = DoubleDouble(weight).squareRoot()
                        let rh = root.hi
                        let (rhHi, rhLo) = DoubleDouble.split(rh)
                        @inline(__always) func store(_ x: Double, _ column: Int) {
                            let (xh, xl) = DoubleDouble.split(x)
                            let (pr, e) = DoubleDouble.twoProduct(x, xh, xl, rh, rhHi, rhLo)
                            let (h, l) = DoubleDouble.quickTwoSum(pr, e + x * root.lo)
                            bh[column &* ld &+ rows] = h
                            bl[column &* ld &+ rows] = l
                        }
                        if intercept == 1 { store(scaled(1, 0), 0) }
                        for c in 0 ..< d { store(scaled(xRow[c].asDouble, c &+ intercept), c &+ intercept) }
                        for c in 0 ..< k { store(scaled(yRow[c].asDouble, p &+ c), p &+ c) }
                    } else {
                        @inline(__always) func store(_ x: Double, _ column: Int) {
                            bh[column &* ld &+ rows] = scaled(x, column)
                            bl[column &* ld &+ rows] = 0
                        }
                        if intercept == 1 { store(1, 0) }
                        for c in 0 ..< d { store(xRow[c].asDouble, c &+ intercept) }
                        for c in 0 ..< k { store(yRow[c].asDouble, p &+ c) }
                    }
                    rows &+= 1
                }
            }
        }
        logWeightSum = logSum
        return rows
    }

    /// Triangularises [R; B] for a column-major block B.
    private mutating func absorb(hi: inout [Double], lo: inout [Double], rows: Int, ld: Int, scratch: inout [Double]) {
        StackedHouseholder.absorb(into: &r, columns: columnCount, blockHi: &hi, blockLo: &lo, rows: rows, ld: ld,
                                  scratch: &scratch)
    }

    // MARK: Merging

    /// Adds the rows another accumulator has seen (disjoint from this one's):
    /// afterwards this accumulator is, to double-double rounding, the one
    /// that would have seen both row sets.
    ///
    /// Throws ``EngineError/argument(_:)`` when the shapes or intercept
    /// settings differ.
    mutating func merge(_ other: QRAccumulator) throws {
        guard other.features == features, other.outputs == outputs, other.fitIntercept == fitIntercept else {
            throw EngineError.argument(
                "cannot merge a factorisation of d = \(other.features), k = \(other.outputs), intercept \(other.fitIntercept) into one of d = \(features), k = \(outputs), intercept \(fitIntercept)")
        }
        if other.rowCount == 0 { return }
        if rowCount == 0 {
            // Nothing here yet: the union is the other factor, exactly.
            self = other
            return
        }
        let m = columnCount
        var incoming = other.r
        for c in 0 ..< m {
            switch (columnExponents[c], other.columnExponents[c]) {
            case let (mine?, theirs?):
                if theirs > mine {
                    r.scaleColumn(c, byPowerOfTwo: mine &- theirs)
                    columnExponents[c] = theirs
                } else if mine > theirs {
                    incoming.scaleColumn(c, byPowerOfTwo: theirs &- mine)
                }
            case (nil, let theirs?):
                columnExponents[c] = theirs
            default:
                break
            }
        }
        // R_b as a column-major block of m rows.
        var hi = [Double](repeating: 0, count: m &* m)
        var lo = [Double](repeating: 0, count: m &* m)
        for i in 0 ..< m {
            for j in i ..< m {
                hi[j &* m &+ i] = incoming.hi[i &* m &+ j]
                lo[j &* m &+ i] = incoming.lo[i &* m &+ j]
            }
        }
        var scratch = [Double](repeating: 0, count: 2 &* max(1, m))
        absorb(hi: &hi, lo: &lo, rows: m, ld: m, scratch: &scratch)
        rowCount &+= other.rowCount
        logWeightSum += other.logWeightSum
    }
}
