import LinRegKernels

/// Weighted first and second moments of a data set `[X | Y]`, gathered in one
/// pass over the rows: everything a full-batch least-squares method needs
/// from the data, in O((d + k)²) memory. Gradient descent trains on them and
/// the exact solver's normal-equations path factors them.
///
/// With row weights wᵢ (all 1 without sample weights), N = Σ wᵢ and the
/// weighted means x̄ = Σ wᵢ xᵢ / N, ȳ = Σ wᵢ yᵢ / N, the type holds the
/// *centred* co-moments
///
///     Sxx = Σ wᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ        d × d, symmetric
///     Sxy = Σ wᵢ (xᵢ − x̄)(yᵢ − ȳ)ᵀ        d × k
///     Syy[o] = Σ wᵢ (yᵢₒ − ȳₒ)²           k (one per output)
///
/// (and, internally, the whole k × k block Σ wᵢ (yᵢ − ȳ)(yᵢ − ȳ)ᵀ).
/// Centred sums stay accurate when the means are large compared with the
/// spread (a column of 1e8 + noise loses nothing); the raw sums
/// Σ wᵢ xᵢxᵢᵀ and friends follow from them (see ``rawXX()``).
///
/// **Accumulation.** Element values are widened to `Double` and shifted by
/// an origin (each column's value in the first row), so that every mean is
/// carried as a small offset from it with full relative precision. Rows are
/// taken in blocks of ``blockRows``: each block's co-moments are summed about
/// a centre predicted from the chunk's previous blocks and corrected exactly
/// for the difference to the block's mean (the corrected two-pass formula);
/// a block whose prediction was far off is centred again and recomputed, so
/// the rounding stays that of sums about the mean (see `MomentsKernel`).
/// Blocks are merged into chunks of ``chunkRows(ld:)`` rows and chunks into the
/// total with the pairwise update of Chan, Golub and LeVeque (weighted form):
///
///     N = Na + Nb,  δ = m_b − m_a,  m = m_a + δ·Nb/N,
///     S = S_a + S_b + (Na·Nb/N)·δδᵀ
///
/// The block and chunk sizes are fixed constants, so the result depends only
/// on the data (never on a thread count or on the instruction set: the
/// chunk kernel, `MomentsKernel` in LinRegKernels, is dispatched at run time
/// to an SSE2, AVX2 or AVX-512 build of the same code, which all compute the
/// same bits). Blocks whose weights sum to zero change nothing but
/// ``rowCount``.
///
/// **Threads.** Chunks are computed by `threads` workers (0 = all cores),
/// each taking the next chunk when free, into one slot per chunk; the slots
/// are merged in chunk order. Memory: one `ld × ld` slot per chunk of a
/// round (rounds hold at most 32 MiB of slots, at least one per worker) plus
/// per-worker block buffers of 128 rows, whatever n is.
///
/// Two values gathered over different row sets combine with ``merge(_:)``
/// into the moments of the union.
struct CrossProducts: Sendable, Equatable {
    /// Rows per block: centred about the block's own mean.
    static let blockRows = MomentsKernel.blockRows
    /// Rows per chunk: blocks are merged into a chunk, chunks into the total.
    static let chunkRows = 16_384

    /// Rows per chunk for rows of `ld` doubles: ``chunkRows`` up to
    /// `MomentsKernel.wideRowDoubles` (128), then fewer in proportion (whole blocks, at least 2,048 rows), so that
    /// wide data are cut into enough chunks to keep every worker busy
    /// (50,000 rows of 1,024 columns were three chunks: one worker summed
    /// two, the other one). It depends on the width alone, never on a thread
    /// count, so the sums stay the same for every thread count.
    static func chunkRows(ld: Int) -> Int {
        let wide = MomentsKernel.wideRowDoubles
        return ld <= wide ? chunkRows : max(2_048, (chunkRows &* wide / ld) / blockRows &* blockRows)
    }

    /// d, the number of columns of X.
    let features: Int
    /// k, the number of columns of Y.
    let outputs: Int
    /// Rows seen, zero-weight rows included.
    private(set) var rowCount: Int
    /// N = Σ wᵢ (equal to ``rowCount`` without sample weights).
    private(set) var weightSum: Double
    /// x̄, the d weighted column means of X (zeros while N = 0).
    private(set) var meanX: [Double]
    /// ȳ, the k weighted column means of Y (zeros while N = 0).
    private(set) var meanY: [Double]
    /// Sxx, d × d row-major, symmetric (both triangles filled).
    private(set) var sxx: [Double]
    /// Sxy, d × k row-major (row j = feature j).
    private(set) var sxy: [Double]
    /// Syy, the k centred sums of squares of the outputs.
    private(set) var syy: [Double]
    /// The k × k centred co-moments of the outputs (row-major; its diagonal
    /// is ``syy``).
    private(set) var syyBlock: [Double]
    /// False when the data held a NaN or infinity, or a sum overflowed: the
    /// moments are then meaningless (the caller finds out which).
    private(set) var isFinite: Bool

    /// The d + k column origins (X's, then Y's): the means are
    /// `origin + offset`, with the offsets carried separately for precision.
    private(set) var origin: [Double]
    /// The d + k means minus ``origin``.
    private(set) var offset: [Double]

    /// The moments of no rows: N = 0, everything zero.
    init(features: Int, outputs: Int) {
        self.features = max(0, features)
        self.outputs = max(0, outputs)
        rowCount = 0
        weightSum = 0
        meanX = Array(repeating: 0, count: self.features)
        meanY = Array(repeating: 0, count: self.outputs)
        sxx = Array(repeating: 0, count: self.features * self.features)
        sxy = Array(repeating: 0, count: self.features * self.outputs)
        syy = Array(repeating: 0, count: self.outputs)
        syyBlock = Array(repeating: 0, count: self.outputs * self.outputs)
        isFinite = true
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
    /// d·(d + k) overflows, ``EngineError/noMemory(_:)`` when the working
    /// memory cannot be had. The caller guarantees finite, non-negative
    /// weights; non-finite X or Y values give moments with
    /// `isFinite == false` (internal), never a trap.
    init<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
                                   threads: Int = 1) throws {
        try self.init(X: X, Y: Y, sampleWeight: sampleWeight, threads: threads, kernels: nil)
    }

    /// As the initializer, with the kernels' instruction set forced
    /// to at most `kernels` (nil: the dispatcher's choice).
    init<E: TrainingScalar>(X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?,
                            threads: Int, kernels: KernelDispatch.Level?) throws {
        let level = KernelDispatch.level(kernels)
        self = try Gathering(threads: threads, level: level).specialized(X, Y, sampleWeight)
    }

    /// The one-pass gathering, run specialised (see ConcreteElement.swift).
    private struct Gathering: SpecializedJob {
        let threads: Int
        let level: KernelDispatch.Level
        func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>,
                                    _ sampleWeight: VectorView<F>?) throws -> CrossProducts {
            try CrossProducts(gathering: X, Y, sampleWeight, threads: threads, level: level)
        }
    }

    /// The one-pass gathering behind the initializer (E is Float or Double).
    private init<E: TrainingScalar>(gathering X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?,
                                    threads: Int, level: KernelDispatch.Level) throws {
        guard X.rows == Y.rows, X.rows >= 0, X.columns >= 0, Y.columns >= 0 else {
            throw EngineError.argument("CrossProducts: X has \(X.rows) rows but Y has \(Y.rows)")
        }
        if let w = sampleWeight, w.count != X.rows {
            throw EngineError.argument("CrossProducts: sample_weight has \(w.count) entries, expected \(X.rows)")
        }
        let d = X.columns, k = Y.columns
        let (p, o1) = d.addingReportingOverflow(k)
        let (pp, o2) = p.multipliedReportingOverflow(by: p &+ 16)
        let (pp8, o3) = pp.multipliedReportingOverflow(by: 16)
        guard !o1, !o2, !o3, pp8 < Int.max / 8 else {
            throw EngineError.argument("CrossProducts: \(d) features and \(k) outputs are too many")
        }
        self.init(features: d, outputs: k)
        let n = X.rows
        guard n > 0, p > 0 else {
            rowCount = n
            if n > 0 {
                var total = 0.0
                if let w = sampleWeight { for i in 0..<n { total += w[i].asDouble } } else { total = Double(n) }
                weightSum = total
            }
            return
        }

        let ld = MomentsKernel.leadingDimension(features: d, outputs: k)
        let square = ld &* ld
        let blockRows = min(Self.blockRows, n)  // scratch rows (small data need less)
        let chunkRows = Self.chunkRows(ld: ld)
        let chunkCount = (n &- 1) / chunkRows &+ 1
        let workers = WorkerThreads.count(requested: threads, pieces: chunkCount)
        let slotDoubles = square &+ ld &+ 1
        // A round's slots are a multiple of the workers (a round of three
        // chunks on two workers would leave one idle half the time).
        let budget = min(256, (32 << 20) / (slotDoubles &* 8))
        let slots = min(chunkCount, max(workers, budget / workers &* workers))
        let perWorker = square &+ blockRows &* ld &+ blockRows &+ 4 &* ld
        try MemoryReservation.ensureDoubles(
            MemoryReservation.product(slots &+ 1, slotDoubles).flatMap { a in
                MemoryReservation.product(workers, perWorker).map { a &+ $0 } },
            for: "moments of \(d) features and \(k) outputs")

        // Column origins: the first row's values, zero past p.
        let origin = UnsafeMutablePointer<Double>.allocate(capacity: ld)
        origin.initialize(repeating: 0, count: ld)
        let x0 = X.rowPointer(0), y0 = Y.rowPointer(0)
        for j in 0..<d { origin[j] = x0[j].asDouble }
        for o in 0..<k { origin[d &+ o] = y0[o].asDouble }

        let scratch = (0..<workers).map { _ in MomentsScratch(ld: ld, blockRows: blockRows) }
        let slotN = UnsafeMutablePointer<Double>.allocate(capacity: slots)
        let slotMean = UnsafeMutablePointer<Double>.allocate(capacity: slots &* ld)
        let slotS = UnsafeMutablePointer<Double>.allocate(capacity: slots &* square)
        let slotBad = UnsafeMutablePointer<Bool>.allocate(capacity: slots)
        slotBad.initialize(repeating: false, count: slots)
        let total = MomentsTotal(p: p, ld: ld)
        defer {
            origin.deallocate()
            for s in scratch { s.deallocate() }
            slotN.deallocate()
            slotMean.deallocate()
            slotS.deallocate()
            slotBad.deallocate()
            total.deallocate()
        }

        let xBase = d > 0 ? UnsafeRawPointer(X.base) : nil
        let yBase = UnsafeRawPointer(Y.base)
        let wBase = sampleWeight.map { UnsafeRawPointer($0.base) }
        var nonFinite = false
        var first = 0
        while first < chunkCount {
            let round = min(slots, chunkCount &- first)
            let roundStart = first
            WorkerThreads.forEach(items: round, workers: workers) { worker, item in
                let chunk = roundStart &+ item
                let rowStart = chunk &* chunkRows
                let rowEnd = min(n, rowStart &+ chunkRows)
                let job = scratch[worker].job(
                    x: xBase, y: yBase, weights: wBase, features: d, outputs: k, rows: rowStart..<rowEnd,
                    origin: origin, n: slotN + item, mean: slotMean + item &* ld, s: slotS + item &* square,
                    nonFinite: slotBad + item)
                KernelDispatch.moments(job, element: E.self, level: level)
            }
            for item in 0..<round {
                if slotBad[item] { nonFinite = true }
                total.merge(n: slotN[item], mean: slotMean + item &* ld, s: slotS + item &* square, workers: workers)
            }
            first &+= round
        }

        rowCount = n
        weightSum = total.n
        for c in 0..<p {
            self.origin[c] = origin[c]
            offset[c] = total.mean[c]
        }
        var finite = !nonFinite && total.n.isFinite
        for c in 0..<p where !total.mean[c].isFinite { finite = false }
        if !unpack(total.s, ld: ld) { finite = false }
        isFinite = finite
        updateMeans()
    }

    /// Sets sxx, sxy, syyBlock and syy from the lower triangle of the p × p
    /// co-moment matrix of [X, Y] stored row by row `ld` apart; false when
    /// an entry is not finite.
    private mutating func unpack(_ s: UnsafePointer<Double>, ld: Int) -> Bool {
        let d = features, k = outputs, p = d &+ k
        var finite = true
        for b in 0..<p {
            for a in 0...b {
                let v = s[b &* ld &+ a]
                if !v.isFinite { finite = false }
                if b < d {
                    sxx[a &* d &+ b] = v
                    sxx[b &* d &+ a] = v
                } else if a < d {
                    sxy[a &* k &+ (b &- d)] = v
                } else {
                    syyBlock[(a &- d) &* k &+ (b &- d)] = v
                    syyBlock[(b &- d) &* k &+ (a &- d)] = v
                }
            }
        }
        for o in 0..<k { syy[o] = syyBlock[o &* k &+ o] }
        return finite
    }

    /// The lower triangle of the co-moment matrix of [X, Y], row by row
    /// `ld` apart (the layout ``PairwiseMoments`` works on): ld × ld doubles.
    private func packed(ld: Int) -> [Double] {
        let d = features, k = outputs, p = d &+ k
        var s = [Double](repeating: 0, count: ld &* ld)
        for b in 0..<p {
            for a in 0...b {
                let v: Double
                if b < d {
                    v = sxx[a &* d &+ b]
                } else if a < d {
                    v = sxy[a &* k &+ (b &- d)]
                } else {
                    v = syyBlock[(a &- d) &* k &+ (b &- d)]
                }
                s[b &* ld &+ a] = v
            }
        }
        return s
    }

    /// meanX, meanY = origin + offset (zeros while N = 0).
    private mutating func updateMeans() {
        let d = features
        for j in 0..<d { meanX[j] = weightSum > 0 ? origin[j] + offset[j] : 0 }
        for o in 0..<outputs { meanY[o] = weightSum > 0 ? origin[d + o] + offset[d + o] : 0 }
    }

    /// Column c's mean (X's columns, then Y's), origin + offset evaluated
    /// exactly as a double-double (the exact solver's means).
    func exactMean(_ c: Int) -> DoubleDouble {
        let (s, e) = DoubleDouble.twoSum(origin[c], offset[c])
        return DoubleDouble(s, e)
    }

    /// The centred co-moment of columns a and b of [X | Y] (0 ..< d + k).
    func comoment(_ a: Int, _ b: Int) -> Double {
        let d = features
        switch (a < d, b < d) {
        case (true, true): return sxx[a &* d &+ b]
        case (true, false): return sxy[a &* outputs &+ (b &- d)]
        case (false, true): return sxy[b &* outputs &+ (a &- d)]
        case (false, false): return syyBlock[(a &- d) &* outputs &+ (b &- d)]
        }
    }

    /// Combines `other` (moments of a disjoint set of rows) into `self`, so
    /// that `self` describes both sets: Chan's pairwise update, with weighted
    /// counts, the mean difference taken between the offsets from each
    /// side's origin. Merging moments with N = 0 changes only ``rowCount``.
    ///
    /// Throws ``EngineError/argument(_:)`` when the shapes differ.
    mutating func merge(_ other: CrossProducts) throws {
        guard other.features == features, other.outputs == outputs else {
            throw EngineError.argument(
                "CrossProducts.merge: shapes \(features)×\(outputs) and \(other.features)×\(other.outputs) differ")
        }
        let (rows, overflow) = rowCount.addingReportingOverflow(other.rowCount)
        let combinedRows = overflow ? Int.max : rows
        let finite = isFinite && other.isFinite
        let na = weightSum, nb = other.weightSum
        guard nb > 0 else {
            rowCount = combinedRows
            isFinite = finite
            return
        }
        guard na > 0 else {
            self = other
            rowCount = combinedRows
            isFinite = finite
            return
        }
        let d = features, k = outputs, p = d + k
        let ld = MomentsKernel.leadingDimension(features: d, outputs: k)
        // δ = (other.origin − origin) + other.offset − offset: origins are
        // data values, close for data with a large common offset.
        var delta = [Double](repeating: 0, count: ld)
        for c in 0..<p { delta[c] = ((other.origin[c] - origin[c]) + other.offset[c]) - offset[c] }
        var mine = packed(ld: ld)
        let theirs = other.packed(ld: ld)
        var mean = offset + [Double](repeating: 0, count: ld - p)
        var n = na
        mine.withUnsafeMutableBufferPointer { s in
            mean.withUnsafeMutableBufferPointer { m in
                theirs.withUnsafeBufferPointer { source in
                    delta.withUnsafeBufferPointer { dl in
                        n = PairwiseMoments.merge(s: s.baseAddress!, mean: m.baseAddress!, count: na,
                                                  source: source.baseAddress!, delta: dl.baseAddress!, count: nb,
                                                  p: p, ld: ld)
                    }
                }
            }
        }
        _ = mine.withUnsafeBufferPointer { unpack($0.baseAddress!, ld: ld) }
        for c in 0..<p { offset[c] = mean[c] }
        weightSum = n
        rowCount = combinedRows
        isFinite = finite
        updateMeans()
    }

    /// Σ wᵢ xᵢxᵢᵀ = Sxx + N·x̄x̄ᵀ, d × d row-major: the uncentred Gram matrix
    /// (for models without an intercept).
    func rawXX() -> [Double] {
        var out = sxx
        let d = features
        for j in 0..<d {
            for l in 0..<d { out[j * d + l] += weightSum * meanX[j] * meanX[l] }
        }
        return out
    }

    /// Σ wᵢ xᵢyᵢᵀ = Sxy + N·x̄ȳᵀ, d × k row-major.
    func rawXY() -> [Double] {
        var out = sxy
        let d = features, k = outputs
        for j in 0..<d {
            for o in 0..<k { out[j * k + o] += weightSum * meanX[j] * meanY[o] }
        }
        return out
    }

    /// Σ wᵢ yᵢₒ² = Syy[o] + N·ȳₒ², per output.
    func rawYY() -> [Double] {
        var out = syy
        for o in 0..<outputs { out[o] += weightSum * meanY[o] * meanY[o] }
        return out
    }
}

/// `count` doubles, allocated and set to zero (the caller deallocates).
private func zeroedDoubles(_ count: Int) -> UnsafeMutablePointer<Double> {
    let buffer = UnsafeMutablePointer<Double>.allocate(capacity: count)
    buffer.initialize(repeating: 0, count: count)
    return buffer
}

/// One worker's block buffers for `MomentsKernel` (manually managed, so the
/// kernel runs over plain pointers).
private final class MomentsScratch {
    let centred: UnsafeMutablePointer<Double>
    let rowRoots: UnsafeMutablePointer<Double>
    let blockSum: UnsafeMutablePointer<Double>
    let blockMean: UnsafeMutablePointer<Double>
    let residual: UnsafeMutablePointer<Double>
    let delta: UnsafeMutablePointer<Double>
    let previousMean: UnsafeMutablePointer<Double>
    let previousMean2: UnsafeMutablePointer<Double>
    let blockS: UnsafeMutablePointer<Double>
    let ld: Int

    init(ld: Int, blockRows: Int) {
        self.ld = ld
        centred = zeroedDoubles(blockRows &* ld)
        rowRoots = zeroedDoubles(blockRows)
        blockSum = zeroedDoubles(ld)
        blockMean = zeroedDoubles(ld)
        residual = zeroedDoubles(ld)
        delta = zeroedDoubles(ld)
        previousMean = zeroedDoubles(ld)
        previousMean2 = zeroedDoubles(ld)
        blockS = zeroedDoubles(ld &* ld)
    }

    func deallocate() {
        centred.deallocate()
        rowRoots.deallocate()
        blockSum.deallocate()
        blockMean.deallocate()
        residual.deallocate()
        delta.deallocate()
        previousMean.deallocate()
        previousMean2.deallocate()
        blockS.deallocate()
    }

    func job(x: UnsafeRawPointer?, y: UnsafeRawPointer, weights: UnsafeRawPointer?, features: Int, outputs: Int,
             rows: Range<Int>, origin: UnsafePointer<Double>, n: UnsafeMutablePointer<Double>,
             mean: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>,
             nonFinite: UnsafeMutablePointer<Bool>) -> MomentsJob {
        MomentsJob(x: x, y: y, weights: weights, features: features, outputs: outputs, ld: ld,
                   rowStart: rows.lowerBound, rowEnd: rows.upperBound, origin: origin,
                   centred: centred, rowRoots: rowRoots,
                   blockSum: blockSum, blockMean: blockMean, residual: residual, delta: delta,
                   previousMean: previousMean, previousMean2: previousMean2, blockS: blockS,
                   n: n, mean: mean, s: s, nonFinite: nonFinite)
    }
}

/// The running total of the chunks, in the kernel's layout (entry (a, b),
/// a ≤ b, at `s[b·ld + a]`).
private final class MomentsTotal {
    let p: Int
    let ld: Int
    var n: Double = 0
    let mean: UnsafeMutablePointer<Double>
    let s: UnsafeMutablePointer<Double>
    let delta: UnsafeMutablePointer<Double>

    init(p: Int, ld: Int) {
        self.p = p
        self.ld = ld
        mean = zeroedDoubles(ld)
        s = zeroedDoubles(ld &* ld)
        delta = zeroedDoubles(ld)
    }

    func deallocate() {
        mean.deallocate()
        s.deallocate()
        delta.deallocate()
    }

    /// Merges a chunk's moments into the total (``PairwiseMoments``), the
    /// rows of S shared among `workers` from 512 columns on, where a merge
    /// outweighs starting the threads (each row is the same arithmetic
    /// whoever computes it).
    func merge(n nb: Double, mean other: UnsafePointer<Double>, s source: UnsafePointer<Double>, workers: Int) {
        for c in 0..<p { delta[c] = other[c] - mean[c] }
        let (s, n, p, ld, delta) = (self.s, self.n, self.p, self.ld, UnsafePointer(self.delta))
        let pieces = p >= 512 ? max(1, workers) : 1
        WorkerThreads.forEach(items: pieces, workers: pieces) { _, piece in
            // Equal areas of the lower triangle: row bounds at p·√(i/pieces).
            func bound(_ i: Int) -> Int { i == pieces ? p : Int(Double(p) * (Double(i) / Double(pieces)).squareRoot()) }
            PairwiseMoments.mergeRows(bound(piece) ..< bound(piece &+ 1), s: s, count: n, source: source, delta: delta,
                                      count: nb, ld: ld)
        }
        self.n = PairwiseMoments.mergeMeans(mean, count: n, delta: delta, count: nb, ld: ld)
    }
}
