/// Weighted first and second moments of one chunk of rows of `[X | Y]`:
/// the hot loop behind `CrossProducts` (and so behind the exact solver's
/// normal-equations path and gradient descent).
///
/// **What it computes.** For the rows of the chunk, with weights wᵢ (1
/// without sample weights), N = Σ wᵢ, and every value taken relative to a
/// fixed per-column `origin`, it writes
///
///     n     = N
///     mean  = Σ wᵢ (aᵢ − origin) / N                     (p = d + k values)
///     S     = Σ wᵢ (aᵢ − origin − mean)(aᵢ − origin − mean)ᵀ     (p × p)
///
/// where aᵢ = [xᵢ, yᵢ]. S is stored in rows of `ld` doubles: entry (a, b)
/// with a ≤ b < p at `s[b·ld + a]` (the other entries hold scratch values
/// and must not be read).
///
/// **Algorithm.** Rows are taken in blocks of ``blockRows``. Each block is
/// widened into a row-major double buffer (`ld` apart, zero padded) as
/// zᵢ = (aᵢ − origin) − ĉ, where the centre ĉ is predicted from the previous
/// blocks of the chunk (their means, extrapolated linearly; the origin for
/// the first block). With r = Σ wᵢzᵢ/N the block's co-moments are
/// Σ wᵢ zᵢzᵢᵀ − N·r·rᵀ, its mean ĉ + r: the corrected two-pass formula,
/// exact in exact arithmetic for any ĉ. Its rounding error is that of the
/// sums Σ wᵢ zᵢzᵢᵀ, i.e. ε·(S_cc + N·r_c²) on column c; so when the
/// prediction was off (N·r_c² > Σ wᵢ z_ic² / 4 for some column: a trend
/// change, the first block) the block is centred again about ĉ + r and its
/// co-moments recomputed, which bounds the error by 1.25·ε·S_cc. The
/// co-moments come from a register-tiled outer-product kernel: lanes of one
/// vector are consecutive columns a, each accumulator a column b, and every
/// entry is a plain running sum over the block's rows, in row order, each
/// step a fused multiply-add (one rounding). The tiles' shape (one vector by
/// up to 24 columns; three vectors by eight columns for wide data on
/// AVX-512, where loads rather than arithmetic would bound the first) only
/// decides which entries are computed side by side. The
/// block is then merged into the chunk by the pairwise update of Chan,
/// Golub and LeVeque:
///
///     N = Na + Nb,  δ = m_b − m_a,  m = m_a + δ·Nb/N,  S = S_a + S_b + (Na·Nb/N)·δδᵀ
///
/// **Same bits on every instruction set.** Each entry of S is computed by
/// the same sequence of IEEE operations whatever the vector width (`V` only
/// decides how many entries are computed side by side), and every decision
/// depends only on those values. The fused multiply-adds are exact IEEE
/// operations (`addingProduct`): hardware FMA on AVX2 and AVX-512, the C
/// library's correctly rounded `fma` on the baseline build (SSE2 has none:
/// slower, the same bits); elsewhere products and sums are separate (Swift
/// never contracts `a * b + c`). So the baseline, AVX2 and AVX-512 builds
/// of this code give bit-identical results.
///
/// **Non-finite input.** A NaN or infinity anywhere in the chunk (weighted
/// or not) makes some block's column sums non-finite; the kernel then sets
/// `nonFinite` (overflowing sums set it too). The caller decides which.
public enum MomentsKernel {
    /// Rows per block.
    public static let blockRows = 512

    /// The padded row length for d features and k outputs: room for the
    /// eight-lane loads of both parts (X at 0, Y at d) and a multiple of 8.
    @inlinable
    public static func leadingDimension(features d: Int, outputs k: Int) -> Int {
        let yPart = (k &+ 7) & ~7
        return (d &+ yPart &+ 7) & ~7
    }

    /// Accumulates the chunk `job.rows` into `job`'s result (which it
    /// resets first). `V` is the vector of the co-moment tiles (SIMD2 for
    /// SSE2, SIMD4 for AVX2, SIMD8 for AVX-512) and `wide` says whether 32
    /// vector registers are available (24-column tiles) or 16 (12 columns).
    @inlinable @inline(__always)
    public static func accumulate<E: KernelScalar, V: SIMD, I: InstructionSetTag>(
        _ job: MomentsJob, element _: E.Type, vector _: V.Type, wide: Bool, tag: I.Type
    ) where V.Scalar == Double {
        let d = job.features, k = job.outputs, p = d &+ k, ld = job.ld
        let z = job.centred
        let blockSum = job.blockSum, centre = job.blockMean, residual = job.residual
        let previous = job.previousMean, beforePrevious = job.previousMean2
        let blockS = job.blockS, delta = job.delta
        let mean = job.mean, s = job.s
        let x = job.x?.assumingMemoryBound(to: E.self)
        let y = job.y.assumingMemoryBound(to: E.self)
        let weights = job.weights?.assumingMemoryBound(to: E.self)
        let weighted = weights != nil

        job.n.pointee = 0
        job.nonFinite.pointee = false
        var c = 0
        while c < ld { mean[c] = 0; c &+= 1 }
        // S is not cleared: the first block merged overwrites it (the same
        // bits as adding to zeros); cleared only if no block is merged.
        var merged = false

        // Wide rows decide on recentring before the co-moments (two buffers
        // of ld doubles for the diagonal).
        let diagonal = ld > wideRowDoubles ? UnsafeMutablePointer<Double>.allocate(capacity: 2 &* ld) : nil
        defer { diagonal?.deallocate() }
        var blocksSeen = 0
        var start = job.rowStart
        while start < job.rowEnd {
            let m = Swift.min(blockRows, job.rowEnd &- start)

            let wsum = blockWeights(weights, start: start, rows: m, roots: job.rowRoots)
            predictCentre(blocksSeen: blocksSeen, previous: previous, beforePrevious: beforePrevious,
                          into: centre, ld: ld)

            // Pass 1: widen, centre and scale by √w; column sums Σ w z.
            if let x {
                widen(x, columns: d, ld: ld, offset: 0, start: start, rows: m, origin: job.origin, centre: centre,
                      roots: weighted ? job.rowRoots : nil, into: z, sums: blockSum, tag: tag)
            }
            widen(y, columns: k, ld: ld, offset: d, start: start, rows: m, origin: job.origin, centre: centre,
                  roots: weighted ? job.rowRoots : nil, into: z, sums: blockSum, tag: tag)
            let finite = allFinite(blockSum, ld)
            if !finite { job.nonFinite.pointee = true }
            if !(wsum > 0) {
                start &+= m
                continue
            }
            let scale = SIMD8<Double>(repeating: wsum)
            c = 0
            while c < ld {
                store(load8(blockSum + c) / scale, residual + c)
                c &+= 8
            }

            // Co-moments about ĉ (asking for the next block's rows meanwhile);
            // again about ĉ + r when ĉ was too far off.
            var ahead = Prefetcher(rows: (start &+ m) ..< Swift.min(job.rowEnd, start &+ m &+ blockRows), of: x,
                                   columns: d, then: y, columns: k)
            if let diagonal {
                // Wide rows: the check's diagonal first, so that a block
                // centred again is not summed twice (the first block of
                // every chunk, whose centre is the origin, usually is).
                if finite && farFromCentre(z, rows: m, ld: ld, columns: p, residual: residual, weightSum: wsum,
                                           diagonal: diagonal, tag: tag) {
                    recentreBlock(z: z, roots: weighted ? job.rowRoots : nil, rows: m, ld: ld, centre: centre,
                                  residual: residual, scale: scale)
                }
                coMoments(left: z, right: z, rows: m, ld: ld, columns: p, into: blockS, vector: V.self, wide: wide,
                          tag: tag, ahead: &ahead)
            } else {
                coMoments(left: z, right: z, rows: m, ld: ld, columns: p, into: blockS, vector: V.self, wide: wide,
                          tag: tag, ahead: &ahead)
                if finite && offCentre(residual: residual, weightSum: wsum, diagonal: blockS, step: ld &+ 1,
                                       columns: p) {
                    recentreBlock(z: z, roots: weighted ? job.rowRoots : nil, rows: m, ld: ld, centre: centre,
                                  residual: residual, scale: scale)
                    coMoments(left: z, right: z, rows: m, ld: ld, columns: p, into: blockS, vector: V.self,
                              wide: wide, tag: tag, ahead: &ahead)
                }
            }

            // Block mean = ĉ + r; δ for the merge below.
            recordBlockMean(centre: centre, residual: residual, previous: previous, beforePrevious: beforePrevious,
                            mean: mean, delta: delta, ld: ld)
            blocksSeen &+= 1

            // Merge the block into the chunk (Chan et al.), its co-moments
            // corrected on the way by S −= N·r·rᵀ (the corrected two-pass
            // formula's term for the rounding r left in the centre).
            job.n.pointee = PairwiseMoments.merge(s: s, mean: mean, count: job.n.pointee, source: blockS, delta: delta,
                                                  count: wsum, p: p, ld: ld, removing: residual, weight: wsum,
                                                  overwrite: !merged)
            merged = true
            start &+= m
        }
        if !merged {
            var q = 0
            let sCount = p &* ld
            while q < sCount { s[q] = 0; q &+= 1 }
        }
    }

    /// The square roots of the block's row weights into `roots` (weighted
    /// fits), and the weights' sum in row order (m without weights).
    @inlinable @inline(__always)
    static func blockWeights<E: KernelScalar>(_ weights: UnsafePointer<E>?, start: Int, rows m: Int,
                                              roots: UnsafeMutablePointer<Double>) -> Double {
        guard let weights else { return Double(m) }
        var wsum = 0.0
        var i = 0
        while i < m {
            let wi = E.widen(weights[start &+ i])
            roots[i] = wi.squareRoot()
            wsum += wi
            i &+= 1
        }
        return wsum
    }

    /// Whether the block must be centred again (wsum·r_c² > S_cc/4 for some
    /// column c < p, the test ``accumulate(_:element:vector:wide:tag:)``
    /// applies after the co-moments) from the diagonal S_cc alone, summed
    /// exactly as the tiles sum it: fused multiply-adds in row order within
    /// each panel of ``coMoments(left:right:rows:ld:columns:into:vector:wide:tag:ahead:)``,
    /// later panels added to the first. So the decision is the same as
    /// after the tiles, at p multiply-adds per row. `diagonal`: 2·ld doubles.
    @inlinable @inline(__always)
    static func farFromCentre<I: InstructionSetTag>(
        _ z: UnsafeMutablePointer<Double>, rows m: Int, ld: Int, columns p: Int,
        residual: UnsafeMutablePointer<Double>, weightSum wsum: Double,
        diagonal: UnsafeMutablePointer<Double>, tag _: I.Type
    ) -> Bool {
        let total = diagonal, panelSums = diagonal + ld
        let panelCount = panels(ld: ld, rows: m).count
        for k in 0 ..< panelCount {
            let (first, count) = panel(k, of: panelCount, rows: m)
            var c = 0
            while c < ld { store(SIMD8<Double>(), panelSums + c); c &+= 8 }
            var i = first
            while i < first &+ count {
                let row = z + i &* ld
                c = 0
                while c < ld {
                    let v = load8(row + c)
                    store(load8(panelSums + c).addingProduct(v, v), panelSums + c)
                    c &+= 8
                }
                i &+= 1
            }
            c = 0
            while c < ld {
                store(k == 0 ? load8(panelSums + c) : load8(total + c) + load8(panelSums + c), total + c)
                c &+= 8
            }
        }
        return offCentre(residual: residual, weightSum: wsum, diagonal: total, step: 1, columns: p)
    }

    /// The recentring test: wsum·r_c² > S_cc/4 (or not comparable) for some
    /// column c < p, with S_cc at `diagonal[c·step]`.
    @inlinable @inline(__always)
    static func offCentre(residual: UnsafeMutablePointer<Double>, weightSum wsum: Double,
                          diagonal: UnsafeMutablePointer<Double>, step: Int, columns p: Int) -> Bool {
        var c = 0
        while c < p {
            let r = residual[c]
            if !(wsum * r * r <= 0.25 * diagonal[c &* step]) { return true }
            c &+= 1
        }
        return false
    }

    /// The predicted centre ĉ of the next block (offset from the origin):
    /// 0, then the last block's mean, then its linear extrapolation.
    @inlinable @inline(__always)
    static func predictCentre(blocksSeen: Int, previous: UnsafeMutablePointer<Double>,
                              beforePrevious: UnsafeMutablePointer<Double>, into centre: UnsafeMutablePointer<Double>,
                              ld: Int) {
        var c = 0
        while c < ld {
            let v: SIMD8<Double>
            switch blocksSeen {
            case 0: v = SIMD8<Double>()
            case 1: v = load8(previous + c)
            default:
                let last = load8(previous + c)
                v = last + (last - load8(beforePrevious + c))
            }
            store(v, centre + c)
            c &+= 8
        }
    }

    /// Whether the `ld` column sums are all finite (x − x is 0 exactly then).
    @inlinable @inline(__always)
    static func allFinite(_ sums: UnsafeMutablePointer<Double>, _ ld: Int) -> Bool {
        var check = SIMD8<Double>()
        var c = 0
        while c < ld {
            let v = load8(sums + c)
            check = check + (v - v)
            c &+= 8
        }
        return check == SIMD8<Double>()
    }

    /// Centres the block again about ĉ + r when the predicted centre was off
    /// by more than half the spread: z −= r (weighted: z −= √wᵢ·r, z being
    /// scaled by √wᵢ), ĉ += r, and r becomes the new column sums over the
    /// block's weight (`scale`).
    @inlinable @inline(__always)
    static func recentreBlock(z: UnsafeMutablePointer<Double>, roots: UnsafeMutablePointer<Double>?, rows m: Int,
                              ld: Int, centre: UnsafeMutablePointer<Double>,
                              residual: UnsafeMutablePointer<Double>, scale: SIMD8<Double>) {
        var c = 0
        while c < ld {
            let rv = load8(residual + c)
            store(load8(centre + c) + rv, centre + c)
            var sum = SIMD8<Double>()
            var row = z + c
            if let roots {
                var i = 0
                while i < m {
                    let sv = SIMD8<Double>(repeating: roots[i])
                    let v = load8(row) - sv * rv
                    store(v, row)
                    sum = sum + sv * v
                    row += ld
                    i &+= 1
                }
            } else {
                var i = 0
                while i < m {
                    let v = load8(row) - rv
                    store(v, row)
                    sum = sum + v
                    row += ld
                    i &+= 1
                }
            }
            store(sum / scale, residual + c)
            c &+= 8
        }
    }

    /// The block's mean ĉ + r becomes the latest of the two means the next
    /// centre is predicted from; δ = block mean − chunk mean.
    @inlinable @inline(__always)
    static func recordBlockMean(centre: UnsafeMutablePointer<Double>, residual: UnsafeMutablePointer<Double>,
                                previous: UnsafeMutablePointer<Double>, beforePrevious: UnsafeMutablePointer<Double>,
                                mean: UnsafeMutablePointer<Double>, delta: UnsafeMutablePointer<Double>, ld: Int) {
        var c = 0
        while c < ld {
            let blockMean = load8(centre + c) + load8(residual + c)
            store(load8(previous + c), beforePrevious + c)
            store(blockMean, previous + c)
            store(blockMean - load8(mean + c), delta + c)
            c &+= 8
        }
    }

    /// Pass 1 for one part of the row (X at `offset` 0, or Y at `offset` d):
    /// `z[i·ld + offset + c] = (value − origin) − centre` (columns
    /// `offset + c`), times √wᵢ (`roots`) when weighted, so that the
    /// co-moments of z are Σ wᵢ·(…)(…)ᵀ from one buffer, and
    /// `sums[offset + c] = Σᵢ wᵢ·(value − origin − centre)` (as √wᵢ·z) in row order. Whole groups of eight
    /// columns are read row by row, up to four groups at a time; the last
    /// `columns mod 8` columns one at a time. Nothing is written past the
    /// part (columns ≥ d + k of `z` stay zero).
    @inlinable @inline(__always)
    static func widen<E: KernelScalar, I: InstructionSetTag>(
        _ source: UnsafePointer<E>, columns: Int, ld: Int, offset: Int, start: Int, rows m: Int,
        origin: UnsafePointer<Double>, centre: UnsafePointer<Double>, roots: UnsafeMutablePointer<Double>?,
        into dst: UnsafeMutablePointer<Double>, sums: UnsafeMutablePointer<Double>, tag: I.Type
    ) {
        let full = columns & ~7
        var g = 0
        while g < full {
            let groups = Swift.min(4, (full &- g) >> 3)
            let base = offset &+ g
            let o0 = load8(origin + base), c0 = load8(centre + base)
            let o1 = groups > 1 ? load8(origin + (base &+ 8)) : SIMD8()
            let c1 = groups > 1 ? load8(centre + (base &+ 8)) : SIMD8()
            let o2 = groups > 2 ? load8(origin + (base &+ 16)) : SIMD8()
            let c2 = groups > 2 ? load8(centre + (base &+ 16)) : SIMD8()
            let o3 = groups > 3 ? load8(origin + (base &+ 24)) : SIMD8()
            let c3 = groups > 3 ? load8(centre + (base &+ 24)) : SIMD8()
            var s0 = SIMD8<Double>(), s1 = SIMD8<Double>(), s2 = SIMD8<Double>(), s3 = SIMD8<Double>()
            var src = source + (start &* columns &+ g)
            var out = dst + base
            var i = 0
            if let roots {
                while i < m {
                    let sv = SIMD8<Double>(repeating: roots[i])
                    let v0 = sv * ((E.load8(src) - o0) - c0)
                    store(v0, out)
                    s0 = s0 + sv * v0
                    if groups > 1 {
                        let v1 = sv * ((E.load8(src + 8) - o1) - c1)
                        store(v1, out + 8)
                        s1 = s1 + sv * v1
                    }
                    if groups > 2 {
                        let v2 = sv * ((E.load8(src + 16) - o2) - c2)
                        store(v2, out + 16)
                        s2 = s2 + sv * v2
                    }
                    if groups > 3 {
                        let v3 = sv * ((E.load8(src + 24) - o3) - c3)
                        store(v3, out + 24)
                        s3 = s3 + sv * v3
                    }
                    src += columns
                    out += ld
                    i &+= 1
                }
            } else {
                while i < m {
                    let v0 = (E.load8(src) - o0) - c0
                    store(v0, out)
                    s0 = s0 + v0
                    if groups > 1 {
                        let v1 = (E.load8(src + 8) - o1) - c1
                        store(v1, out + 8)
                        s1 = s1 + v1
                    }
                    if groups > 2 {
                        let v2 = (E.load8(src + 16) - o2) - c2
                        store(v2, out + 16)
                        s2 = s2 + v2
                    }
                    if groups > 3 {
                        let v3 = (E.load8(src + 24) - o3) - c3
                        store(v3, out + 24)
                        s3 = s3 + v3
                    }
                    src += columns
                    out += ld
                    i &+= 1
                }
            }
            store(s0, sums + base)
            if groups > 1 { store(s1, sums + (base &+ 8)) }
            if groups > 2 { store(s2, sums + (base &+ 16)) }
            if groups > 3 { store(s3, sums + (base &+ 24)) }
            g &+= 8 &* groups
        }
        // The last columns mod 8, one at a time (the same operations per element).
        var c = full
        while c < columns {
            let column = offset &+ c
            let o = origin[column], ce = centre[column]
            var sum = 0.0
            var src = source + (start &* columns &+ c)
            var out = dst + column
            var i = 0
            if let roots {
                while i < m {
                    let sv = roots[i]
                    let v = sv * ((E.widen(src.pointee) - o) - ce)
                    out.pointee = v
                    sum = sum + sv * v
                    src += columns
                    out += ld
                    i &+= 1
                }
            } else {
                while i < m {
                    let v = (E.widen(src.pointee) - o) - ce
                    out.pointee = v
                    sum = sum + v
                    src += columns
                    out += ld
                    i &+= 1
                }
            }
            sums[column] = sum
            c &+= 1
        }
    }

    /// S[b·ld + a] = Σᵢ left[i·ld + a]·right[i·ld + b] over `rows` rows, for
    /// every a < `columns` and b from a's vector (a multiple of V) up to
    /// `columns` rounded up to even (so every a ≤ b is covered).
    ///
    /// Rows are taken in panels of about ``panelBytes`` (all of them when
    /// they fit, every narrow design): each tile reads its columns of every
    /// row of a panel, so a panel must stay in the core's L2 cache while all
    /// its tiles run, or wide designs (1,024 columns: 8 KB a row) would
    /// stream each block from L3 once per tile. A later panel's tile adds
    /// its sums to the stored ones (one rounding); the panels depend only on
    /// `ld` and the block's rows (``panels(ld:rows:)``), so every
    /// instruction set and thread count still computes the same values. Rows
    /// longer than ``wideRowDoubles`` are copied by AVX-512 into a packed
    /// buffer (allocated here: at most ``panelBytes``, or a block); every
    /// entry is still the same fused multiply-adds in row order.
    /// `ahead` (the next block's rows) is spread over the tiles' row steps.
    @inlinable @inline(__always)
    static func coMoments<V: SIMD, I: InstructionSetTag>(
        left: UnsafeMutablePointer<Double>, right: UnsafeMutablePointer<Double>, rows: Int, ld: Int,
        columns p: Int, into out: UnsafeMutablePointer<Double>, vector _: V.Type, wide: Bool, tag: I.Type,
        ahead: inout Prefetcher
    ) where V.Scalar == Double {
        // `ahead` steps once per row of each tile; every block of a-columns
        // runs at least one tile over the rows.
        ahead.spread(over: rows &* ((p &+ V.scalarCount &- 1) / V.scalarCount))
        let (panelCount, longest) = panels(ld: ld, rows: rows)
        let packs = wide && V.scalarCount == 8 && p >= tallTileColumns && ld > wideRowDoubles
        let packed = packs ? UnsafeMutablePointer<Double>.allocate(capacity: longest &* ld) : nil
        defer { packed?.deallocate() }
        for k in 0 ..< panelCount {
            let (first, count) = panel(k, of: panelCount, rows: rows)
            coMomentsPanel(left: left + first &* ld, right: right + first &* ld, rows: count, ld: ld, columns: p,
                           into: out, adding: k > 0, vector: V.self, wide: wide, tag: tag, packed: packed,
                           ahead: &ahead)
        }
    }

    /// Bytes of rows one ``coMoments(left:right:rows:ld:columns:into:vector:wide:tag:ahead:)`` panel holds.
    public static let panelBytes: Int = 1_048_576

    /// The panels of a block of `rows` rows of `ld` doubles: as few as it
    /// takes for each to hold at most ``panelBytes`` (and at least eight
    /// rows, when the block has them), panel k being rows
    /// `rows·k/count ..< rows·(k + 1)/count`, so their lengths differ by at
    /// most one (no panel is a sliver: each costs a pass over the stored
    /// sums). A function of `ld` and `rows` alone, shared by the tiles and
    /// the recentring test, which must sum the diagonal in the same panels.
    @inlinable @inline(__always)
    static func panels(ld: Int, rows: Int) -> (count: Int, longest: Int) {
        let most = Swift.max(8, panelBytes / (ld &* MemoryLayout<Double>.stride))
        let count = Swift.max(1, (rows &+ most &- 1) / most)
        return (count, (rows &+ count &- 1) / count)
    }

    /// Panel k of `count` of a block of `rows` rows (``panels(ld:rows:)``):
    /// its first row and its length.
    @inlinable @inline(__always)
    static func panel(_ k: Int, of count: Int, rows: Int) -> (first: Int, count: Int) {
        let first = rows &* k / count
        return (first, rows &* (k &+ 1) / count &- first)
    }

    /// ``coMoments(left:right:rows:ld:columns:into:vector:wide:tag:ahead:)``
    /// over one panel of rows, its sums stored or (`adding`) added.
    @inlinable @inline(__always)
    static func coMomentsPanel<V: SIMD, I: InstructionSetTag>(
        left: UnsafeMutablePointer<Double>, right: UnsafeMutablePointer<Double>, rows: Int, ld: Int,
        columns p: Int, into out: UnsafeMutablePointer<Double>, adding: Bool, vector _: V.Type, wide: Bool,
        tag: I.Type, packed: UnsafeMutablePointer<Double>?, ahead: inout Prefetcher
    ) where V.Scalar == Double {
        let width = V.scalarCount
        let end = (p &+ 1) & ~1
        var a = 0
        // Many columns on 32 registers. Rows of at most `wideRowDoubles`
        // (in L1 and L2 as they are): three vectors of a by eight columns b
        // (11 loads per 24 fused steps instead of 25), b from a in eights
        // (within ld: b and ld are multiples of 8), while three vectors fit.
        // Longer rows: the panel packed by groups of eight columns (group
        // g's rows one after another), so that each tile reads three
        // sequential streams instead of a cache line per row 8·ld bytes
        // apart, then tiles of two vectors of a by eight columns b.
        if wide && width == 8 && p >= tallTileColumns {
            if let packed {
                let groupStep = rows &* 8
                pack(left, rows: rows, ld: ld, into: packed, vector: V.self, tag: tag)
                // Tiles along the rows of S (b fixed, a rising): each
                // tile's stores follow the last one's in the same eight
                // rows of S, which is far larger than the caches.
                let aEnd = Swift.min(ld & ~15, (p &+ 15) & ~15)
                var b = 0
                while b < end {
                    let columnsB = packed + (b / 8) &* groupStep
                    var ta = 0
                    while ta < aEnd && ta <= b {
                        tile16x8(packed + (ta / 8) &* groupStep, groupStep, columnsB, rows, ld,
                                 out + (b &* ld &+ ta), adding, V.self, tag, &ahead)
                        ta &+= 16
                    }
                    b &+= 8
                }
                a = aEnd
            } else {
                while a &+ 24 <= ld && a < p {
                    var b = a
                    while b < end {
                        tallTile(left + a, right + b, rows, ld, out + (b &* ld &+ a), adding, V.self, tag, &ahead)
                        b &+= 8
                    }
                    a &+= 24
                }
            }
        }
        while a < p {
            var b = a
            if wide {
                while end &- b >= 24 {
                    tile(left + a, right + b, rows, ld, out + (b &* ld &+ a), quads: 6, adding, V.self, tag, &ahead)
                    b &+= 24
                }
                if end &- b >= 16 {
                    tile(left + a, right + b, rows, ld, out + (b &* ld &+ a), quads: 4, adding, V.self, tag, &ahead)
                    b &+= 16
                }
            }
            while end &- b >= 12 {
                tile(left + a, right + b, rows, ld, out + (b &* ld &+ a), quads: 3, adding, V.self, tag, &ahead)
                b &+= 12
            }
            if end &- b >= 8 {
                tile(left + a, right + b, rows, ld, out + (b &* ld &+ a), quads: 2, adding, V.self, tag, &ahead)
                b &+= 8
            }
            if end &- b >= 4 {
                tile(left + a, right + b, rows, ld, out + (b &* ld &+ a), quads: 1, adding, V.self, tag, &ahead)
                b &+= 4
            }
            if end &- b >= 2 {
                pair(left + a, right + b, rows, ld, out + (b &* ld &+ a), adding, V.self, tag, &ahead)
            }
            a &+= width
        }
    }

    /// Columns from which AVX-512 uses ``tallTile`` (or, on packed rows,
    /// ``tile16x8``): below, their wasted entries beside the diagonal
    /// outweigh their fewer loads.
    public static let tallTileColumns = 64

    /// Row lengths (doubles) above which rows are wide: AVX-512 packs each
    /// panel first (at or below, the copy costs more than the strided rows
    /// do), the recentring test runs before the co-moments, and
    /// `CrossProducts` takes fewer rows per chunk.
    public static let wideRowDoubles = 128

    /// `rows` rows of `ld` columns (eight-lane V) into groups of eight
    /// columns: column 8g + j of row i at `packed[g·rows·8 + i·8 + j]`.
    @inlinable @inline(__always)
    static func pack<V: SIMD, I: InstructionSetTag>(
        _ z: UnsafeMutablePointer<Double>, rows: Int, ld: Int, into packed: UnsafeMutablePointer<Double>,
        vector _: V.Type, tag _: I.Type
    ) where V.Scalar == Double {
        let stride = rows &* 8
        var i = 0
        while i < rows {
            let row = UnsafePointer(z + i &* ld)
            var target = packed + i &* 8
            var c = 0
            while c < ld {
                LinRegKernels.store(load(row + c, as: V.self, I.self), target, I.self)
                target += stride
                c &+= 8
            }
            i &+= 1
        }
    }

    /// A 16 × 8 register tile (16 accumulators) over packed rows (``pack``):
    /// two vectors of a, from `columnsA` and `columnsA + groupStep`, by the
    /// eight columns b from `columnsB`, eight doubles a row; summed over the
    /// rows in order by fused multiply-adds. Two vectors, eight broadcasts
    /// and 16 accumulators fit AVX-512's 32 registers however the compiler
    /// schedules the loads.
    @inlinable @inline(__always)
    static func tile16x8<V: SIMD, I: InstructionSetTag>(
        _ columnsA: UnsafeMutablePointer<Double>, _ groupStep: Int, _ columnsB: UnsafeMutablePointer<Double>,
        _ rows: Int, _ ld: Int, _ out: UnsafeMutablePointer<Double>, _ adding: Bool, _: V.Type, _: I.Type,
        _ ahead: inout Prefetcher
    ) where V.Scalar == Double {
        var q0 = Quad<V, I>(), q1 = Quad<V, I>(), q2 = Quad<V, I>(), q3 = Quad<V, I>()
        var l = UnsafePointer(columnsA), r = UnsafePointer(columnsB)
        var i = 0
        while i < rows {
            let v0 = load(l, as: V.self, I.self), v1 = load(l + groupStep, as: V.self, I.self)
            q0.update(v0, r); q1.update(v0, r + 4)
            q2.update(v1, r); q3.update(v1, r + 4)
            ahead.step(); l += 8; r += 8; i &+= 1
        }
        q0.store(out, ld, adding); q1.store(out + 4 &* ld, ld, adding)
        q2.store(out + 8, ld, adding); q3.store(out + (8 &+ 4 &* ld), ld, adding)
    }

    /// A 24 × 8 register tile (24 accumulators): three vectors of a (V is
    /// eight lanes) by the eight columns b … b + 7, summed over the rows in
    /// order by fused multiply-adds.
    @inlinable @inline(__always)
    static func tallTile<V: SIMD, I: InstructionSetTag>(
        _ left: UnsafeMutablePointer<Double>, _ right: UnsafeMutablePointer<Double>, _ rows: Int, _ ld: Int,
        _ out: UnsafeMutablePointer<Double>, _ adding: Bool, _: V.Type, _: I.Type, _ ahead: inout Prefetcher
    ) where V.Scalar == Double {
        var q0 = Quad<V, I>(), q1 = Quad<V, I>(), q2 = Quad<V, I>()
        var q3 = Quad<V, I>(), q4 = Quad<V, I>(), q5 = Quad<V, I>()
        var l = UnsafePointer(left), r = UnsafePointer(right)
        var i = 0
        while i < rows {
            let v0 = load(l, as: V.self, I.self), v1 = load(l + 8, as: V.self, I.self)
            let v2 = load(l + 16, as: V.self, I.self)
            q0.update(v0, r); q1.update(v0, r + 4)
            q2.update(v1, r); q3.update(v1, r + 4)
            q4.update(v2, r); q5.update(v2, r + 4)
            ahead.step(); l += ld; r += ld; i &+= 1
        }
        q0.store(out, ld, adding); q1.store(out + 4 &* ld, ld, adding)
        q2.store(out + 8, ld, adding); q3.store(out + (8 &+ 4 &* ld), ld, adding)
        q4.store(out + 16, ld, adding); q5.store(out + (16 &+ 4 &* ld), ld, adding)
    }

    /// One register tile: `4·quads` accumulators of `V` (lanes = columns a…,
    /// accumulator t = column b + t), summed over the rows in order.
    @inlinable @inline(__always)
    static func tile<V: SIMD, I: InstructionSetTag>(
        _ left: UnsafeMutablePointer<Double>, _ right: UnsafeMutablePointer<Double>, _ rows: Int, _ ld: Int,
        _ out: UnsafeMutablePointer<Double>, quads: Int, _ adding: Bool, _: V.Type, _: I.Type,
        _ ahead: inout Prefetcher
    ) where V.Scalar == Double {
        var q0 = Quad<V, I>(), q1 = Quad<V, I>(), q2 = Quad<V, I>(), q3 = Quad<V, I>(), q4 = Quad<V, I>()
        var q5 = Quad<V, I>()
        var l = UnsafePointer(left), r = UnsafePointer(right)
        var i = 0
        switch quads {
        case 6:
            while i < rows {
                let v = load(l, as: V.self, I.self)
                q0.update(v, r); q1.update(v, r + 4); q2.update(v, r + 8)
                q3.update(v, r + 12); q4.update(v, r + 16); q5.update(v, r + 20)
                ahead.step(); l += ld; r += ld; i &+= 1
            }
        case 4:
            while i < rows {
                let v = load(l, as: V.self, I.self)
                q0.update(v, r); q1.update(v, r + 4); q2.update(v, r + 8); q3.update(v, r + 12)
                ahead.step(); l += ld; r += ld; i &+= 1
            }
        case 3:
            while i < rows {
                let v = load(l, as: V.self, I.self)
                q0.update(v, r); q1.update(v, r + 4); q2.update(v, r + 8)
                ahead.step(); l += ld; r += ld; i &+= 1
            }
        case 2:
            while i < rows {
                let v = load(l, as: V.self, I.self)
                q0.update(v, r); q1.update(v, r + 4)
                ahead.step(); l += ld; r += ld; i &+= 1
            }
        default:
            while i < rows {
                let v = load(l, as: V.self, I.self)
                q0.update(v, r)
                ahead.step(); l += ld; r += ld; i &+= 1
            }
        }
        q0.store(out, ld, adding)
        if quads >= 2 { q1.store(out + 4 &* ld, ld, adding) }
        if quads >= 3 { q2.store(out + 8 &* ld, ld, adding) }
        if quads >= 4 { q3.store(out + 12 &* ld, ld, adding) }
        if quads >= 6 {
            q4.store(out + 16 &* ld, ld, adding)
            q5.store(out + 20 &* ld, ld, adding)
        }
    }

    /// A two-column tile (the last two columns of a row of tiles).
    @inlinable @inline(__always)
    static func pair<V: SIMD, I: InstructionSetTag>(
        _ left: UnsafeMutablePointer<Double>, _ right: UnsafeMutablePointer<Double>, _ rows: Int, _ ld: Int,
        _ out: UnsafeMutablePointer<Double>, _ adding: Bool, _: V.Type, _: I.Type, _ ahead: inout Prefetcher
    ) where V.Scalar == Double {
        var a0 = V(), a1 = V()
        var l = UnsafePointer(left), r = UnsafePointer(right)
        var i = 0
        while i < rows {
            let v = load(l, as: V.self, I.self)
            a0 = a0.addingProduct(v, V(repeating: r[0]))
            a1 = a1.addingProduct(v, V(repeating: r[1]))
            ahead.step(); l += ld; r += ld; i &+= 1
        }
        if adding {
            a0 = load(UnsafePointer(out), as: V.self, I.self) + a0
            a1 = load(UnsafePointer(out + ld), as: V.self, I.self) + a1
        }
        LinRegKernels.store(a0, out, I.self)
        LinRegKernels.store(a1, out + ld, I.self)
    }
}

/// Four accumulators of a tile (columns b … b + 3).
@usableFromInline
struct Quad<V: SIMD, I: InstructionSetTag> where V.Scalar == Double {
    @usableFromInline var a0: V
    @usableFromInline var a1: V
    @usableFromInline var a2: V
    @usableFromInline var a3: V

    @inlinable @inline(__always)
    init() {
        a0 = V(); a1 = V(); a2 = V(); a3 = V()
    }

    /// aₜ += v·r[t], one fused multiply-add (one rounding).
    @inlinable @inline(__always)
    mutating func update(_ v: V, _ r: UnsafePointer<Double>) {
        a0 = a0.addingProduct(v, V(repeating: r[0]))
        a1 = a1.addingProduct(v, V(repeating: r[1]))
        a2 = a2.addingProduct(v, V(repeating: r[2]))
        a3 = a3.addingProduct(v, V(repeating: r[3]))
    }

    /// Stores accumulator t at `out + t·ld` (or, `adding`, adds it to what is there).
    @inlinable @inline(__always)
    func store(_ out: UnsafeMutablePointer<Double>, _ ld: Int, _ adding: Bool) {
        if adding {
            LinRegKernels.store(load(UnsafePointer(out), as: V.self, I.self) + a0, out, I.self)
            LinRegKernels.store(load(UnsafePointer(out + ld), as: V.self, I.self) + a1, out + ld, I.self)
            LinRegKernels.store(load(UnsafePointer(out + 2 &* ld), as: V.self, I.self) + a2, out + 2 &* ld, I.self)
            LinRegKernels.store(load(UnsafePointer(out + 3 &* ld), as: V.self, I.self) + a3, out + 3 &* ld, I.self)
            return
        }
        LinRegKernels.store(a0, out, I.self)
        LinRegKernels.store(a1, out + ld, I.self)
        LinRegKernels.store(a2, out + 2 &* ld, I.self)
        LinRegKernels.store(a3, out + 3 &* ld, I.self)
    }
}

/// Everything ``MomentsKernel/accumulate(_:element:vector:wide:tag:)`` reads and
/// writes, as raw pointers (owned by the caller; no reference counting in
/// the kernel).
public struct MomentsJob {
    /// X (n × d, row-major) of the element type; nil when d = 0.
    public var x: UnsafeRawPointer?
    /// Y (n × k, row-major).
    public var y: UnsafeRawPointer
    /// n weights, or nil.
    public var weights: UnsafeRawPointer?
    public var features: Int
    public var outputs: Int
    /// ``MomentsKernel/leadingDimension(features:outputs:)``.
    public var ld: Int
    public var rowStart: Int
    public var rowEnd: Int
    /// `ld` values: the column origins (X's, then Y's), zero past p.
    public var origin: UnsafePointer<Double>

    // Scratch of one worker.
    /// `blockRows × ld` doubles, zero-initialised by the owner.
    public var centred: UnsafeMutablePointer<Double>
    /// `blockRows` doubles: the square roots of a block's weights.
    public var rowRoots: UnsafeMutablePointer<Double>
    /// `ld` doubles each; `blockSum` zero-initialised by the owner
    /// (`blockMean` holds the block's centre).
    public var blockSum: UnsafeMutablePointer<Double>
    public var blockMean: UnsafeMutablePointer<Double>
    public var residual: UnsafeMutablePointer<Double>
    public var delta: UnsafeMutablePointer<Double>
    /// `ld` doubles each: the previous two block means of the chunk.
    public var previousMean: UnsafeMutablePointer<Double>
    public var previousMean2: UnsafeMutablePointer<Double>
    /// `ld × ld` doubles.
    public var blockS: UnsafeMutablePointer<Double>

    // The chunk's result.
    public var n: UnsafeMutablePointer<Double>
    /// `ld` doubles.
    public var mean: UnsafeMutablePointer<Double>
    /// `ld × ld` doubles: of row b (b < p) the lanes below (b + 8) & ~7 are
    /// written (the first merged block writes them without reading; the rest
    /// is never read).
    public var s: UnsafeMutablePointer<Double>
    public var nonFinite: UnsafeMutablePointer<Bool>

    @inlinable
    public init(x: UnsafeRawPointer?, y: UnsafeRawPointer, weights: UnsafeRawPointer?, features: Int, outputs: Int,
                ld: Int, rowStart: Int, rowEnd: Int, origin: UnsafePointer<Double>,
                centred: UnsafeMutablePointer<Double>, rowRoots: UnsafeMutablePointer<Double>, blockSum: UnsafeMutablePointer<Double>,
                blockMean: UnsafeMutablePointer<Double>, residual: UnsafeMutablePointer<Double>,
                delta: UnsafeMutablePointer<Double>, previousMean: UnsafeMutablePointer<Double>,
                previousMean2: UnsafeMutablePointer<Double>, blockS: UnsafeMutablePointer<Double>,
                n: UnsafeMutablePointer<Double>, mean: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>,
                nonFinite: UnsafeMutablePointer<Bool>) {
        self.x = x
        self.y = y
        self.weights = weights
        self.features = features
        self.outputs = outputs
        self.ld = ld
        self.rowStart = rowStart
        self.rowEnd = rowEnd
        self.origin = origin
        self.centred = centred
        self.rowRoots = rowRoots
        self.blockSum = blockSum
        self.blockMean = blockMean
        self.residual = residual
        self.delta = delta
        self.previousMean = previousMean
        self.previousMean2 = previousMean2
        self.blockS = blockS
        self.n = n
        self.mean = mean
        self.s = s
        self.nonFinite = nonFinite
    }
}
