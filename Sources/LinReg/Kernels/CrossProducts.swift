/// Weighted first and second moments of a data set `[X | Y]`, gathered in one
/// pass over the rows: everything a full-batch least-squares method needs
/// from the data, in O(d·(d + k)) memory.
///
/// With row weights wᵢ (all 1 without sample weights), N = Σ wᵢ and the
/// weighted means x̄ = Σ wᵢ xᵢ / N, ȳ = Σ wᵢ yᵢ / N, the type holds the
/// *centred* co-moments
///
///     Sxx = Σ wᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ        d × d, symmetric
///     Sxy = Σ wᵢ (xᵢ − x̄)(yᵢ − ȳ)ᵀ        d × k
///     Syy[o] = Σ wᵢ (yᵢₒ − ȳₒ)²           k (one per output)
///
/// Centred sums stay accurate when the means are large compared with the
/// spread (a column of 1e8 + noise loses nothing); the raw sums
/// Σ wᵢ xᵢxᵢᵀ and friends follow from them (see ``rawXX()``).
///
/// **Accumulation.** Element values are widened to `Double` and shifted by
/// an origin (each column's value in the first row), so that every mean is
/// carried as a small offset from it with full relative precision. Rows are
/// taken in blocks of ``blockRows``: the block's weighted mean is computed
/// first, then the co-moments about it, then the exact correction for the
/// rounding left in that mean (the corrected two-pass algorithm). Blocks are
/// merged into chunks of ``chunkRows`` rows and chunks into the total with
/// the pairwise update of Chan, Golub and LeVeque (weighted form):
///
///     N = Na + Nb,  δ = m_b − m_a,  m = m_a + δ·Nb/N,
///     S = S_a + S_b + (Na·Nb/N)·δδᵀ
///
/// The block and chunk sizes are fixed constants, so the result depends only
/// on the data (never on a thread count). Blocks whose weights sum to zero
/// change nothing but ``rowCount``.
///
/// Two values gathered over different row sets combine with ``merge(_:)``
/// into the moments of the union.
public struct CrossProducts: Sendable, Equatable {
    /// Rows per block: centred about the block's own mean.
    public static let blockRows = 128
    /// Rows per chunk: blocks are merged into a chunk, chunks into the total.
    public static let chunkRows = 16_384

    /// d, the number of columns of X.
    public let features: Int
    /// k, the number of columns of Y.
    public let outputs: Int
    /// Rows seen, zero-weight rows included.
    public private(set) var rowCount: Int
    /// N = Σ wᵢ (equal to ``rowCount`` without sample weights).
    public private(set) var weightSum: Double
    /// x̄, the d weighted column means of X (zeros while N = 0).
    public private(set) var meanX: [Double]
    /// ȳ, the k weighted column means of Y (zeros while N = 0).
    public private(set) var meanY: [Double]
    /// Sxx, d × d row-major, symmetric (both triangles filled).
    public private(set) var sxx: [Double]
    /// Sxy, d × k row-major (row j = feature j).
    public private(set) var sxy: [Double]
    /// Syy, the k centred sums of squares of the outputs.
    public private(set) var syy: [Double]

    /// The d + k column origins (X's, then Y's): the means are
    /// `origin + offset`, with the offsets carried separately for precision.
    private var origin: [Double]
    /// The d + k means minus ``origin``.
    private var offset: [Double]

    /// The moments of no rows: N = 0, everything zero.
    public init(features: Int, outputs: Int) {
        self.features = max(0, features)
        self.outputs = max(0, outputs)
        rowCount = 0
        weightSum = 0
        meanX = Array(repeating: 0, count: self.features)
        meanY = Array(repeating: 0, count: self.outputs)
        sxx = Array(repeating: 0, count: self.features * self.features)
        sxy = Array(repeating: 0, count: self.features * self.outputs)
        syy = Array(repeating: 0, count: self.outputs)
        origin = Array(repeating: 0, count: self.features + self.outputs)
        offset = origin
    }

    /// The moments of the rows of `X` (n × d) and `Y` (n × k), each row
    /// weighted by `sampleWeight` (n entries) when given, in one pass.
    ///
    /// `threads` workers (0 = all cores) gather chunks concurrently; chunks
    /// are merged in row order, so the result is the same for every value.
    ///
    /// Throws ``EngineError/argument(_:)`` when the row counts disagree or
    /// d·(d + k) overflows. The caller guarantees finite values and finite,
    /// non-negative weights.
    public init<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
                                   threads: Int = 1) throws {
        // Specialized code for the two element types (see ConcreteElement.swift).
        if E.self == Float.self {
            try self.init(gathering: X.reinterpreted(as: Float.self), Y.reinterpreted(as: Float.self),
                          sampleWeight?.reinterpreted(as: Float.self), threads: threads)
        } else if E.self == Double.self {
            try self.init(gathering: X.reinterpreted(as: Double.self), Y.reinterpreted(as: Double.self),
                          sampleWeight?.reinterpreted(as: Double.self), threads: threads)
        } else {
            try self.init(gathering: X, Y, sampleWeight, threads: threads)
        }
    }

    /// The one-pass gathering behind the public initializer.
    private init<E: TrainingScalar>(gathering X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?,
                                    threads: Int) throws {
        guard X.rows == Y.rows, X.rows >= 0, X.columns >= 0, Y.columns >= 0 else {
            throw EngineError.argument("CrossProducts: X has \(X.rows) rows but Y has \(Y.rows)")
        }
        if let w = sampleWeight, w.count != X.rows {
            throw EngineError.argument("CrossProducts: sample_weight has \(w.count) entries, expected \(X.rows)")
        }
        let d = X.columns, k = Y.columns
        let (p, o1) = d.addingReportingOverflow(k)
        let (dp, o2) = d.multipliedReportingOverflow(by: p)
        let (dp8, o3) = dp.multipliedReportingOverflow(by: 16)
        guard !o1, !o2, !o3, dp8 < Int.max / 2 else {
            throw EngineError.argument("CrossProducts: \(d) features and \(k) outputs are too many")
        }
        self.init(features: d, outputs: k)
        let n = X.rows
        guard n > 0 else { return }

        let chunkCount = (n - 1) / Self.chunkRows + 1
        let workers = WorkerThreads.count(requested: threads, pieces: chunkCount)
        let total = CrossProductsAccumulator(d: d, k: k)
        var chunks: [CrossProductsAccumulator] = []
        var blocks: [CrossProductsAccumulator] = []
        var scratches: [CrossProductsScratch] = []
        for _ in 0..<workers {
            chunks.append(CrossProductsAccumulator(d: d, k: k))
            blocks.append(CrossProductsAccumulator(d: d, k: k))
            scratches.append(CrossProductsScratch(d: d, k: k, rows: Self.blockRows))
        }
        defer {
            total.deallocate()
            for a in chunks { a.deallocate() }
            for a in blocks { a.deallocate() }
            for s in scratches { s.deallocate() }
        }
        let x0 = X.rowPointer(0), y0 = Y.rowPointer(0)
        for scratch in scratches {
            for j in 0..<d { scratch.origin[j] = x0[j].asDouble }
            for o in 0..<k { scratch.origin[d + o] = y0[o].asDouble }
        }

        // Waves of up to `workers` chunks, gathered concurrently, merged in order.
        var waveStart = 0
        while waveStart < chunkCount {
            let wave = min(workers, chunkCount - waveStart)
            let first = waveStart
            WorkerThreads.run(wave) { t in
                let start = (first + t) * Self.chunkRows
                let end = n - start <= Self.chunkRows ? n : start + Self.chunkRows
                Self.accumulateChunk(X: X, Y: Y, sampleWeight: sampleWeight, rows: start..<end,
                                     into: chunks[t], block: blocks[t], scratch: scratches[t])
            }
            for t in 0..<wave { total.merge(chunks[t], delta: scratches[0].delta) }
            waveStart += wave
        }

        rowCount = n
        weightSum = total.n
        for c in 0..<p {
            origin[c] = scratches[0].origin[c]
            offset[c] = total.mean[c]
        }
        for j in 0..<d {
            for l in j..<d {
                let v = total.s[j * p + l]
                sxx[j * d + l] = v
                sxx[l * d + j] = v
            }
            for o in 0..<k { sxy[j * k + o] = total.s[j * p + d + o] }
        }
        for o in 0..<k { syy[o] = total.yy[o] }
        updateMeans()
    }

    /// meanX, meanY = origin + offset (zeros while N = 0).
    private mutating func updateMeans() {
        let d = features
        for j in 0..<d { meanX[j] = weightSum > 0 ? origin[j] + offset[j] : 0 }
        for o in 0..<outputs { meanY[o] = weightSum > 0 ? origin[d + o] + offset[d + o] : 0 }
    }

    /// Combines `other` (moments of a disjoint set of rows) into `self`, so
    /// that `self` describes both sets: Chan's pairwise update, with weighted
    /// counts, the mean difference taken between the offsets from each
    /// side's origin. Merging moments with N = 0 changes only ``rowCount``.
    ///
    /// Throws ``EngineError/argument(_:)`` when the shapes differ.
    public mutating func merge(_ other: CrossProducts) throws {
        guard other.features == features, other.outputs == outputs else {
            throw EngineError.argument(
                "CrossProducts.merge: shapes \(features)×\(outputs) and \(other.features)×\(other.outputs) differ")
        }
        let (rows, overflow) = rowCount.addingReportingOverflow(other.rowCount)
        let combinedRows = overflow ? Int.max : rows
        let na = weightSum, nb = other.weightSum
        guard nb > 0 else {
            rowCount = combinedRows
            return
        }
        guard na > 0 else {
            self = other
            rowCount = combinedRows
            return
        }
        let n = na + nb
        let d = features, k = outputs, p = d + k
        let share = nb / n
        let f = na * share
        // δ = (other.origin − origin) + other.offset − offset: origins are
        // data values, close for data with a large common offset.
        var delta = [Double](repeating: 0, count: p)
        for c in 0..<p { delta[c] = ((other.origin[c] - origin[c]) + other.offset[c]) - offset[c] }
        for j in 0..<d {
            let fj = f * delta[j]
            for l in 0..<d { sxx[j * d + l] += other.sxx[j * d + l] + fj * delta[l] }
            for o in 0..<k { sxy[j * k + o] += other.sxy[j * k + o] + fj * delta[d + o] }
        }
        for o in 0..<k { syy[o] += other.syy[o] + f * delta[d + o] * delta[d + o] }
        for c in 0..<p { offset[c] += delta[c] * share }
        weightSum = n
        rowCount = combinedRows
        updateMeans()
    }

    /// Σ wᵢ xᵢxᵢᵀ = Sxx + N·x̄x̄ᵀ, d × d row-major: the uncentred Gram matrix
    /// (for models without an intercept).
    public func rawXX() -> [Double] {
        var out = sxx
        let d = features
        for j in 0..<d {
            for l in 0..<d { out[j * d + l] += weightSum * meanX[j] * meanX[l] }
        }
        return out
    }

    /// Σ wᵢ xᵢyᵢᵀ = Sxy + N·x̄ȳᵀ, d × k row-major.
    public func rawXY() -> [Double] {
        var out = sxy
        let d = features, k = outputs
        for j in 0..<d {
            for o in 0..<k { out[j * k + o] += weightSum * meanX[j] * meanY[o] }
        }
        return out
    }

    /// Σ wᵢ yᵢₒ² = Syy[o] + N·ȳₒ², per output.
    public func rawYY() -> [Double] {
        var out = syy
        for o in 0..<outputs { out[o] += weightSum * meanY[o] * meanY[o] }
        return out
    }

    // MARK: - Chunk and block kernels

    /// The moments of rows `rows` (one chunk), block by block, into `chunk`.
    private static func accumulateChunk<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, rows: Range<Int>,
        into chunk: CrossProductsAccumulator, block: CrossProductsAccumulator, scratch: CrossProductsScratch
    ) {
        chunk.reset()
        var blockStart = rows.lowerBound
        while blockStart < rows.upperBound {
            let blockEnd = rows.upperBound - blockStart <= blockRows ? rows.upperBound : blockStart + blockRows
            accumulateBlock(X: X, Y: Y, sampleWeight: sampleWeight, rows: blockStart..<blockEnd,
                            into: block, scratch: scratch)
            chunk.merge(block, delta: scratch.delta)
            blockStart = blockEnd
        }
    }

    /// Co-moments of rows `rows` (at most `blockRows`) about their own
    /// weighted mean, written to `acc` (every field overwritten): the
    /// corrected two-pass algorithm (mean, then sums about it, then the exact
    /// correction for the rounding left in the mean).
    ///
    /// The block is centred into column-major scratch (one contiguous
    /// column of `blockRows` values per variable, zero-padded), so each
    /// co-moment is a dot product of two columns, computed 2 × 4 at a time in
    /// SIMD registers.
    @inline(__always)
    private static func accumulateBlock<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
        rows: Range<Int>, into acc: CrossProductsAccumulator, scratch: CrossProductsScratch
    ) {
        let d = acc.d, k = acc.k, p = d + k
        let m = rows.count
        let stride = scratch.rows
        let w = scratch.weight, z = scratch.centred, zw = scratch.weightedX, origin = scratch.origin
        let mean = acc.mean, s = acc.s, yy = acc.yy
        for c in 0..<p { mean[c] = 0 }
        for o in 0..<k { yy[o] = 0 }
        acc.n = 0

        // Weights and weighted sums.
        var wsum = 0.0
        if let sw = sampleWeight {
            for i in 0..<m {
                let wi = sw[rows.lowerBound + i].asDouble
                w[i] = wi
                wsum += wi
            }
        } else {
            for i in 0..<m { w[i] = 1 }
            wsum = Double(m)
        }
        guard wsum > 0 else { return }
        for i in 0..<m {
            let wi = w[i]
            if wi == 0 { continue }
            let xr = X.rowPointer(rows.lowerBound + i)
            for j in 0..<d { mean[j] += wi * (xr[j].asDouble - origin[j]) }
            let yr = Y.rowPointer(rows.lowerBound + i)
            for o in 0..<k { mean[d + o] += wi * (yr[o].asDouble - origin[d + o]) }
        }
        for c in 0..<p { mean[c] /= wsum }

        // Centre into columns; weight the X part; outputs' own squares directly.
        for i in 0..<m {
            let wi = w[i]
            let xr = X.rowPointer(rows.lowerBound + i)
            for j in 0..<d {
                let c = (xr[j].asDouble - origin[j]) - mean[j]
                z[j * stride + i] = c
                zw[j * stride + i] = wi * c
            }
            let yr = Y.rowPointer(rows.lowerBound + i)
            for o in 0..<k {
                let e = (yr[o].asDouble - origin[d + o]) - mean[d + o]
                z[(d + o) * stride + i] = e
                yy[o] += wi * e * e
            }
        }
        // Zero padding up to a multiple of 4 rows (the dot products' step).
        let length = (m + 3) & ~3
        if length > m {
            for c in 0..<p {
                for i in m..<length { z[c * stride + i] = 0 }
            }
            for j in 0..<d {
                for i in m..<length { zw[j * stride + i] = 0 }
            }
        }

        // What rounding left in the mean: r = Σ wᵢ zᵢ / N (≈ 0).
        let r = scratch.residual
        for c in 0..<p {
            let column = z + c * stride
            var sum = 0.0
            for i in 0..<m { sum += w[i] * column[i] }
            r[c] = sum / wsum
        }

        // S[j][l] = Σᵢ wᵢ cᵢⱼ zᵢₗ for l ≥ j (upper Sxx and all of Sxy); tiles
        // touching the diagonal also fill a few entries below it (unused).
        var j = 0
        while j < d {
            let rowsInTile = d - j >= 2 ? 2 : 1
            let a0 = zw + j * stride
            let a1 = rowsInTile == 2 ? a0 + stride : a0
            var l = j & ~3
            while l + 4 <= p {
                let sums = dot2x4(a0, a1, z + l * stride, length: length, stride: stride)
                for t in 0..<4 {
                    s[j * p + l + t] = sums.0[t]
                    if rowsInTile == 2 { s[(j + 1) * p + l + t] = sums.1[t] }
                }
                l += 4
            }
            while l < p {
                let b = z + l * stride
                s[j * p + l] = dot(a0, b, length: length)
                if rowsInTile == 2 { s[(j + 1) * p + l] = dot(a1, b, length: length) }
                l += 1
            }
            j += rowsInTile
        }

        // Move the centre to mean + r: S −= N·r rᵀ.
        for j in 0..<d {
            let fj = wsum * r[j]
            let row = s + j * p
            var l = j
            while l < p {
                row[l] -= fj * r[l]
                l += 1
            }
        }
        for o in 0..<k { yy[o] -= wsum * r[d + o] * r[d + o] }
        for c in 0..<p { mean[c] += r[c] }
        acc.n = wsum
    }

    /// Σᵢ a[i]·b[i] over `length` (a multiple of 4) values.
    @inline(__always)
    private static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, length: Int) -> Double {
        var s0 = SIMD2<Double>(), s1 = SIMD2<Double>()
        var i = 0
        while i < length {
            s0 += load2(a + i) * load2(b + i)
            s1 += load2(a + i + 2) * load2(b + i + 2)
            i += 4
        }
        let s = s0 + s1
        return s[0] + s[1]
    }

    /// The 2 × 4 dot products of columns a0, a1 with the four columns
    /// starting at `b` (`stride` apart), over `length` (a multiple of 4) values.
    @inline(__always)
    private static func dot2x4(_ a0: UnsafePointer<Double>, _ a1: UnsafePointer<Double>,
                               _ b: UnsafePointer<Double>, length: Int, stride: Int)
        -> (SIMD4<Double>, SIMD4<Double>) {
        let b0 = b, b1 = b + stride, b2 = b1 + stride, b3 = b2 + stride
        var s00 = SIMD2<Double>(), s01 = SIMD2<Double>(), s02 = SIMD2<Double>(), s03 = SIMD2<Double>()
        var s10 = SIMD2<Double>(), s11 = SIMD2<Double>(), s12 = SIMD2<Double>(), s13 = SIMD2<Double>()
        var i = 0
        while i < length {
            let x0 = load2(a0 + i), x1 = load2(a1 + i)
            var y = load2(b0 + i)
            s00 += x0 * y; s10 += x1 * y
            y = load2(b1 + i)
            s01 += x0 * y; s11 += x1 * y
            y = load2(b2 + i)
            s02 += x0 * y; s12 += x1 * y
            y = load2(b3 + i)
            s03 += x0 * y; s13 += x1 * y
            i += 2
        }
        return (SIMD4(s00.sum(), s01.sum(), s02.sum(), s03.sum()),
                SIMD4(s10.sum(), s11.sum(), s12.sum(), s13.sum()))
    }

    @inline(__always)
    private static func load2(_ p: UnsafePointer<Double>) -> SIMD2<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD2<Double>.self)
    }
}

/// Running moments in the kernel's layout: weighted count, the p = d + k
/// means (as offsets from the scratch's origin), the upper part of the
/// d × p co-moment matrix [Sxx | Sxy] (entries l ≥ j) and the k output sums
/// of squares. Manually managed buffers, so the
/// kernel's inner loops run over plain pointers.
private final class CrossProductsAccumulator {
    let d: Int
    let k: Int
    var n: Double = 0
    let mean: UnsafeMutablePointer<Double>
    let s: UnsafeMutablePointer<Double>
    let yy: UnsafeMutablePointer<Double>

    init(d: Int, k: Int) {
        self.d = d
        self.k = k
        mean = .allocate(capacity: max(1, d + k))
        s = .allocate(capacity: max(1, d * (d + k)))
        yy = .allocate(capacity: max(1, k))
        reset()
    }

    func reset() {
        n = 0
        mean.initialize(repeating: 0, count: max(1, d + k))
        s.initialize(repeating: 0, count: max(1, d * (d + k)))
        yy.initialize(repeating: 0, count: max(1, k))
    }

    func deallocate() {
        mean.deallocate()
        s.deallocate()
        yy.deallocate()
    }

    /// Chan's pairwise update: `self` becomes the moments of both row sets
    /// (only entries l ≥ j of `s` are read and written). `delta` is scratch
    /// for p values.
    func merge(_ other: CrossProductsAccumulator, delta: UnsafeMutablePointer<Double>) {
        let nb = other.n
        guard nb > 0 else { return }
        let na = n
        let total = na + nb
        let share = nb / total
        let f = na * share
        let p = d + k
        for c in 0..<p { delta[c] = other.mean[c] - mean[c] }
        for j in 0..<d {
            let fj = f * delta[j]
            let row = s + j * p, src = other.s + j * p
            var l = j
            while l < p {
                row[l] += src[l] + fj * delta[l]
                l += 1
            }
        }
        for o in 0..<k { yy[o] += other.yy[o] + f * delta[d + o] * delta[d + o] }
        for c in 0..<p { mean[c] += delta[c] * share }
        n = total
    }
}

/// Per-block scratch of the moments kernel, column-major.
private final class CrossProductsScratch {
    /// Distance between columns: the block size plus 8, so that columns do
    /// not all fall in the same few cache sets (a power-of-two stride would).
    let rows: Int
    /// The block's row weights.
    let weight: UnsafeMutablePointer<Double>
    /// Centred block: column c (of p = d + k) at `centred + c * rows`.
    let centred: UnsafeMutablePointer<Double>
    /// Weighted centred X: column j (of d) at `weightedX + j * rows`.
    let weightedX: UnsafeMutablePointer<Double>
    /// p values for merges.
    let delta: UnsafeMutablePointer<Double>
    /// p values: the block's mean correction.
    let residual: UnsafeMutablePointer<Double>
    /// p values: the column origins all means are offsets from.
    let origin: UnsafeMutablePointer<Double>

    init(d: Int, k: Int, rows blockRows: Int) {
        let rows = blockRows + 8
        self.rows = rows
        weight = .allocate(capacity: max(1, rows))
        centred = .allocate(capacity: max(1, rows * (d + k)))
        weightedX = .allocate(capacity: max(1, rows * d))
        delta = .allocate(capacity: max(1, d + k))
        residual = .allocate(capacity: max(1, d + k))
        origin = .allocate(capacity: max(1, d + k))
        origin.initialize(repeating: 0, count: max(1, d + k))
    }

    func deallocate() {
        weight.deallocate()
        centred.deallocate()
        weightedX.deallocate()
        delta.deallocate()
        residual.deallocate()
        origin.deallocate()
    }
}
