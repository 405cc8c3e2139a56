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
public struct QRAccumulator: Sendable, Equatable {
    /// d, the number of features.
    public let features: Int
    /// k, the number of outputs.
    public let outputs: Int
    /// Whether the design has the intercept's ones column (first).
    public let fitIntercept: Bool
    /// Rows seen, zero-weight rows included.
    public internal(set) var rowCount: Int
    /// Rows per block of ``add(X:Y:sampleWeight:threads:)``: a function of the
    /// column count only, so results never depend on anything else.
    public let blockRows: Int

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
    public init(features: Int, outputs: Int, fitIntercept: Bool) throws {
        guard features >= 0, outputs >= 0 else {
            throw EngineError.argument("features (\(features)) and outputs (\(outputs)) must not be negative")
        }
        let (p, o1) = features.addingReportingOverflow(fitIntercept ? 1 : 0)
        let (m, o2) = p.addingReportingOverflow(outputs)
        guard !o1, !o2 else { throw EngineError.noMemory("too many columns for the exact solver") }
        try QRAccumulator.checkMemory(columns: m)
        self.features = features
        self.outputs = outputs
        self.fitIntercept = fitIntercept
        rowCount = 0
        r = DoubleDoubleMatrix(rows: m, columns: m)
        columnExponents = [Int?](repeating: nil, count: m)
        logWeightSum = .zero
        blockRows = max(16, min(QRAccumulator.maximumBlockRows, QRAccumulator.blockBytes / max(1, 16 &* m)))
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
    public mutating func add<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
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
        var blockHi = [Double](repeating: 0, count: ld &* m)
        var blockLo = [Double](repeating: 0, count: ld &* m)
        var scratch = [Double](repeating: 0, count: 2 &* ld)
        var maxExponent = [Int](repeating: 0, count: m)
        var seen = [Bool](repeating: false, count: m)
        var factor = [Double](repeating: 0, count: m)
        var scaleExponent = [Int](repeating: 0, count: m)
        let intercept = fitIntercept ? 1 : 0
        let d = features
        let p = parameterCount

        var start = range.lowerBound
        while start < n {
            let end = start &+ min(ld, n &- start)
            // 1. The block's largest exponent per column (of √w·value).
            for c in 0 ..< m { seen[c] = false; maxExponent[c] = Int.min }
            for i in start ..< end {
                var rowExponent = 0
                if let w = sampleWeight {
                    let weight = w[i].asDouble
                    if !(weight > 0) { continue }
                    rowExponent = Int(weight.squareRoot().exponent)
                }
                if intercept == 1 {
                    seen[0] = true
                    maxExponent[0] = max(maxExponent[0], rowExponent)
                }
                let xRow = X.rowPointer(i)
                for c in 0 ..< d {
                    let x = xRow[c].asDouble
                    if x != 0 {
                        let e = Int(x.exponent) &+ rowExponent
                        let column = c &+ intercept
                        seen[column] = true
                        if e > maxExponent[column] { maxExponent[column] = e }
                    }
                }
                let yRow = Y.rowPointer(i)
                for c in 0 ..< outputs {
                    let y = yRow[c].asDouble
                    if y != 0 {
                        let e = Int(y.exponent) &+ rowExponent
                        let column = p &+ c
                        seen[column] = true
                        if e > maxExponent[column] { maxExponent[column] = e }
                    }
                }
            }
            // 2. Grow the column exponents where the block needs it.
            for c in 0 ..< m where seen[c] {
                if let current = columnExponents[c] {
                    if maxExponent[c] > current {
                        r.scaleColumn(c, byPowerOfTwo: current &- maxExponent[c])
                        columnExponents[c] = maxExponent[c]
                    }
                } else {
                    columnExponents[c] = maxExponent[c]
                }
                let e = columnExponents[c] ?? 0
                scaleExponent[c] = -e
                factor[c] = (e >= -1000 && e <= 1000) ? PowerOfTwo.value(-e) : 0
            }
            for c in 0 ..< m where !seen[c] {
                let e = columnExponents[c] ?? 0
                scaleExponent[c] = -e
                factor[c] = (e >= -1000 && e <= 1000) ? PowerOfTwo.value(-e) : 0
            }
            // 3. Copy the block (rows with positive weight) into the buffer.
            var rows = 0
            var logSum = logWeightSum
            blockHi.withUnsafeMutableBufferPointer { hiBuffer in
                blockLo.withUnsafeMutableBufferPointer { loBuffer in
                    guard let bh = hiBuffer.baseAddress, let bl = loBuffer.baseAddress else { return }
                    @inline(__always) func scaled(_ x: Double, _ c: Int) -> Double {
                        let f = factor[c]
                        return f != 0 ? x * f : PowerOfTwo.scale(x, by: scaleExponent[c])
                    }
                    for i in start ..< end {
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
                            for c in 0 ..< outputs { store(scaled(yRow[c].asDouble, p &+ c), p &+ c) }
                        } else {
                            if intercept == 1 {
                                bh[rows] = scaled(1, 0)
                                bl[rows] = 0
                            }
                            for c in 0 ..< d {
                                let column = c &+ intercept
                                bh[column &* ld &+ rows] = scaled(xRow[c].asDouble, column)
                                bl[column &* ld &+ rows] = 0
                            }
                            for c in 0 ..< outputs {
                                let column = p &+ c
                                bh[column &* ld &+ rows] = scaled(yRow[c].asDouble, column)
                                bl[column &* ld &+ rows] = 0
                            }
                        }
                        rows &+= 1
                    }
                }
            }
            logWeightSum = logSum
            // 4. Triangularise [R; block].
            absorb(hi: &blockHi, lo: &blockLo, rows: rows, ld: ld, scratch: &scratch)
            rowCount &+= end &- start
            start = end
        }
    }

    /// Triangularises [R; B] for a column-major block B.
    private mutating func absorb(hi: inout [Double], lo: inout [Double], rows: Int, ld: Int, scratch: inout [Double]) {
        if rows == 0 { return }
        let m = columnCount
        r.hi.withUnsafeMutableBufferPointer { rh in
            r.lo.withUnsafeMutableBufferPointer { rl in
                hi.withUnsafeMutableBufferPointer { bh in
                    lo.withUnsafeMutableBufferPointer { bl in
                        scratch.withUnsafeMutableBufferPointer { s in
                            guard let rhp = rh.baseAddress, let rlp = rl.baseAddress, let bhp = bh.baseAddress,
                                  let blp = bl.baseAddress, let sp = s.baseAddress else { return }
                            StackedHouseholder.absorb(rHi: rhp, rLo: rlp, m: m, bHi: bhp, bLo: blp,
                                                      rows: rows, ld: ld, scratch: sp)
                        }
                    }
                }
            }
        }
    }

    // MARK: Merging

    /// Adds the rows another accumulator has seen (disjoint from this one's):
    /// afterwards this accumulator is, to double-double rounding, the one
    /// that would have seen both row sets.
    ///
    /// Throws ``EngineError/argument(_:)`` when the shapes or intercept
    /// settings differ.
    public mutating func merge(_ other: QRAccumulator) throws {
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
