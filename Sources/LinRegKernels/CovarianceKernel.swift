/// The robust covariance's row loop (`CovariancePass` in LinReg states the
/// formulas): for one block of at most ``blockRows`` rows, each row's
/// regressors x̃ᵢ, its residuals at fixed coefficients, its transformed
/// coordinates uᵢ = Tᵀx̃ᵢ and leverage, and then the block's weighted sums
/// of squares Σ cᵢⱼ·vᵢvᵢᵀ (HC0–HC3); or (no `sums`) only x̃ᵢ and fᵢⱼ, which
/// cluster-robust passes add up per cluster themselves.
///
/// **What it computes.** With x̃ᵢ = [1, xᵢ] (`interceptFirst`), [xᵢ, 1]
/// (`intercept` only) or xᵢ, eᵢⱼ = (yᵢⱼ − bⱼ) − βⱼ·x̃ᵢ (βⱼ in x̃'s order,
/// zero at the intercept), fᵢⱼ = wᵢ·eᵢⱼ, uᵢ = Tᵀx̃ᵢ when a transform T is
/// given, and vᵢ = uᵢ (`whitened`) or x̃ᵢ:
///
///     hᵢ = wᵢ·‖uᵢ‖² (whitened) or wᵢ·x̃ᵢ·uᵢ     (power > 0 only)
///     rᵢⱼ = |fᵢⱼ| / (1 − hᵢ)^(power/2)
///     S_j += Σᵢ (rᵢⱼvᵢ)(rᵢⱼvᵢ)ᵀ                    (`sums`, entry a ≤ b at [j·ld² + b·ld + a])
///
/// **Speed.** The transform is a register-tiled product (eight rows by eight
/// columns per step) that skips the rows of T known to be zero in a column
/// block (`transformRows`: T = R⁻¹ is triangular), and the sums of squares
/// are the co-moment tiles of `MomentsKernel`: the pass costs about two
/// Gram-matrix passes over the block instead of p² scalar steps per row.
///
/// **Same bits on every instruction set.** Every value is computed by the
/// same IEEE operations in the same order whatever the vector width: dot
/// products run as eight lane sums (lane l takes the columns c ≡ l mod 8)
/// combined by halving, the transform sums over the rows of T in order, the
/// sums of squares are `MomentsKernel`'s tiles. The transform and the sums of
/// squares use fused multiply-adds (`addingProduct`: one rounding per step,
/// so at least as accurate as a product and a sum): hardware FMA on AVX2 and
/// AVX-512, the C library's correctly rounded `fma` on the baseline build
/// (slow, but the same bits). Elsewhere a product and a sum, never contracted.
///
/// **Non-finite input.** `nonFinite` is set when a value of X, Y or the
/// weights in the block is not finite (then some fᵢⱼ is not: the caller names
/// the value), or when a residual overflows.
public enum CovarianceKernel {
    /// Rows per block (the caller's blocks must not be longer).
    public static let blockRows = 128

    /// The padded row length for p regressors: a multiple of 8, at least 8.
    @inlinable
    public static func leadingDimension(parameters p: Int) -> Int {
        Swift.max(8, (p &+ 7) & ~7)
    }

    @inlinable @inline(__always)
    public static func run<E: KernelScalar, V: SIMD, I: InstructionSetTag>(
        _ job: CovarianceJob, element _: E.Type, vector _: V.Type, wide: Bool, tag: I.Type
    ) where V.Scalar == Double {
        typealias V8 = SIMD8<Double>
        let d = job.features, k = job.outputs, p = job.parameters, ld = job.ld
        let m = job.rowEnd &- job.rowStart
        guard m > 0 else { return }
        let x = job.x?.assumingMemoryBound(to: E.self)
        let y = job.y.assumingMemoryBound(to: E.self)
        let weights = job.weights?.assumingMemoryBound(to: E.self)
        let widened = job.widened, transformed = job.transformed, scaled = job.scaled
        let factors = job.factors, leverage = job.leverage
        let featureOffset = job.interceptFirst ? 1 : 0
        let interceptColumn = job.interceptFirst ? 0 : d
        var check = V8()
        // Whitened rows are transformed straight from X (no widened copy):
        // its loads then overlap the arithmetic.
        let direct = (job.whitened && job.transform != nil || job.scoreTables != nil) && x != nil && job.origin == nil

        // x̃ᵢ into rows of `widened` (padding past p stays zero: the owner zeroes it once).
        var r = 0
        while r < m && !direct {
            let row = widened + r &* ld
            let i = job.rowStart &+ r
            if p > d { row[interceptColumn] = 1 }
            if let x {
                let source = x + i &* d
                var c = 0
                if let origin = job.origin {
                    while c &+ 8 <= d {
                        store(E.load8(source + c) - load8(origin + c), row + (featureOffset &+ c))
                        c &+= 8
                    }
                    while c < d {
                        row[featureOffset &+ c] = E.widen(source[c]) - origin[c]
                        c &+= 1
                    }
                } else {
                    while c &+ 8 <= d {
                        store(E.load8(source + c), row + (featureOffset &+ c))
                        c &+= 8
                    }
                    while c < d {
                        row[featureOffset &+ c] = E.widen(source[c])
                        c &+= 1
                    }
                }
            }
            r &+= 1
        }

        // fᵢⱼ = wᵢ·((yᵢⱼ − bⱼ) − βⱼ·x̃ᵢ); in `gram` mode f = √wᵢ, Y unread.
        r = 0
        while r < m && job.gram {
            let w = weights.map { E.widen($0[job.rowStart &+ r]) } ?? 1
            factors[r] = weights == nil ? 1 : w.squareRoot()
            leverage[r] = w
            r &+= 1
        }
        r = job.gram ? m : 0
        while r < m {
            let row = widened + r &* ld
            let i = job.rowStart &+ r
            let w = weights.map { E.widen($0[i]) } ?? 1
            var j = 0
            while j < k {
                let beta = job.coefficients + j &* ld
                var acc = V8()
                var c = 0
                if direct, let x {
                    // β's array has eight zeros of padding past k·ld.
                    let source = x + i &* d, features = beta + featureOffset
                    while c &+ 8 <= d {
                        acc = acc + E.load8(source + c) * load8(features + c)
                        c &+= 8
                    }
                    if c < d { acc = acc + E.loadPartial(source + c, count: d &- c) * load8(features + c) }
                } else {
                    while c < ld {
                        acc = acc + load8(row + c) * load8(beta + c)
                        c &+= 8
                    }
                }
                factors[r &* k &+ j] = w * ((E.widen(y[i &* k &+ j]) - job.intercepts[j]) - laneSum(acc))
                j &+= 1
            }
            leverage[r] = w
            r &+= 1
        }
        // A non-finite value of the row (x, y or w) makes its factors non-finite
        // (0·∞ and ∞ − ∞ are NaN; the coefficients are finite): one check of them.
        var q = 0
        let count = m &* k
        while q &+ 8 <= count {
            check = check + load8(factors + q) * V8()
            q &+= 8
        }
        while q < count {
            check[0] = check[0] + factors[q] * 0
            q &+= 1
        }
        if check != V8() { job.nonFinite.pointee = true }

        // Cluster scores: each row's fᵢⱼx̃ᵢ added to its cluster's sums, per table.
        if let tables = job.scoreTables, let slots = job.scoreSlots {
            var t = 0
            while t < job.scoreTableCount {
                addScores(job, x: direct ? x : nil, table: tables[t], slots: slots + t &* blockRows, rows: m)
                t &+= 1
            }
            return
        }

        // uᵢ = Tᵀx̃ᵢ, eight rows by eight columns at a time; then hᵢ.
        let source: UnsafeMutablePointer<Double>
        // With one output and leverages, the leverage loop also scales the rows.
        let prescale = k == 1 && job.sums != nil && job.power > 0 && job.transform != nil
        // A partial whitening (`gramColumns`) computes and sums only the
        // leading columns of u, in whole vectors.
        let columns = job.gram && job.gramColumns > 0 ? Swift.min(job.gramColumns, p) : p
        let width = Swift.min(ld, leadingDimension(parameters: columns))
        if let t = job.transform, let limits = job.transformRows {
            // Sixteen rows per step with 32 vector registers, else eight (the
            // step changes no result: each value is the same sum over T's rows).
            let step = wide ? 16 : 8
            r = 0
            while r < m {
                let rows = Swift.min(step, m &- r)
                if direct, let x {
                    transformRows(x + (job.rowStart &+ r) &* d, stride: d, rows: rows, constantFirst: job.interceptFirst,
                                  t, limits, ld, width: width, into: transformed + r &* ld, sixteen: wide, E.self, tag)
                } else {
                    transformRows(UnsafePointer(widened + r &* ld), stride: ld, rows: rows, constantFirst: false,
                                  t, limits, ld, width: width, into: transformed + r &* ld, sixteen: wide, Double.self,
                                  tag)
                }
                r &+= rows
            }
            if job.power > 0 {
                r = 0
                while r < m {
                    let u = transformed + r &* ld
                    let other = job.whitened ? UnsafeMutablePointer(u) : widened + r &* ld
                    var acc = V8()
                    var c = 0
                    while c < ld {
                        acc = acc.addingProduct(load8(u + c), load8(other + c))
                        c &+= 8
                    }
                    let h = leverage[r] * laneSum(acc)
                    leverage[r] = h
                    if prescale {
                        // One output: its scaled row now, while z is in cache.
                        let complement = 1 - h
                        let root = Swift.abs(factors[r]) / (job.power == 1 ? complement.squareRoot() : complement)
                        let scale = V8(repeating: root), v = job.whitened ? u : widened + r &* ld
                        let out = scaled + r &* ld
                        c = 0
                        while c < ld {
                            store(load8(v + c) * scale, out + c)
                            c &+= 8
                        }
                    }
                    r &+= 1
                }
            }
            source = job.whitened ? transformed : widened
        } else {
            source = widened
        }

        guard let sums = job.sums else { return }
        let power = job.power
        // Gram mode without weights: every fᵢ = 1, the rows are their own scaled rows.
        let unscaled = job.gram && weights == nil
        var j = 0
        while j < k {
            r = prescale || unscaled ? m : 0
            while r < m {
                let f = factors[r &* k &+ j]
                var root = Swift.abs(f)
                if power > 0 {
                    let complement = 1 - (job.transform == nil ? 0 : leverage[r])
                    root = root / (power == 1 ? complement.squareRoot() : complement)
                }
                let scale = V8(repeating: root)
                let v = source + r &* ld, out = scaled + r &* ld
                var c = 0
                while c < width {
                    store(load8(v + c) * scale, out + c)
                    c &+= 8
                }
                r &+= 1
            }
            // The next block's rows are asked for during the first output's sums.
            var ahead = j == 0 ? job.nextRows(E.self) : Prefetcher()
            let rows = unscaled ? source : scaled
            MomentsKernel.coMoments(left: rows, right: rows, rows: m, ld: ld, columns: columns, into: job.blockS,
                                    vector: V.self, wide: wide, tag: tag, ahead: &ahead)
            let target = sums + j &* ld &* ld
            var b = 0
            while b < columns {
                var a = 0
                let column = b &* ld
                while a <= b {
                    target[column &+ a] = target[column &+ a] + job.blockS[column &+ a]
                    a &+= 1
                }
                b &+= 1
            }
            j &+= 1
        }
    }
    /// Cluster scores of the block's rows: `table[slots[r]·k·ld + j·ld + c]
    /// += fᵣⱼ·x̃ᵣ[c]` (x̃'s order), a product and a sum per value (never
    /// fused), in row order. x̃ is read from X (`x`, then the intercept's 1
    /// adds fᵣⱼ itself) or from the widened rows (`x` nil). The next
    /// block's rows are asked for a few lines per row.
    @inlinable @inline(__always)
    static func addScores<E: KernelScalar>(_ job: CovarianceJob, x: UnsafePointer<E>?,
                                           table: UnsafeMutablePointer<Double>, slots: UnsafePointer<Int>,
                                           rows m: Int) {
        typealias V8 = SIMD8<Double>
        let d = job.features, k = job.outputs, ld = job.ld, width = k &* ld
        let featureOffset = job.interceptFirst ? 1 : 0
        let hasIntercept = job.parameters > d
        let interceptColumn = job.interceptFirst ? 0 : d
        let full = d & ~7
        var next = job.nextRows(E.self)
        next.spread(over: m)
        var r = 0
        while r < m {
            next.step()
            let row = table + slots[r] &* width
            let i = job.rowStart &+ r
            var j = 0
            while j < k {
                let f = job.factors[r &* k &+ j]
                let scale = V8(repeating: f)
                let out = row + j &* ld
                if let x {
                    let source = x + i &* d, features = out + featureOffset
                    var c = 0
                    while c < full {
                        store(load8(features + c) + E.load8(source + c) * scale, features + c)
                        c &+= 8
                    }
                    while c < d {
                        features[c] = features[c] + E.widen(source[c]) * f
                        c &+= 1
                    }
                    if hasIntercept { out[interceptColumn] = out[interceptColumn] + f }
                } else {
                    let source = job.widened + r &* ld
                    var c = 0
                    while c < ld {
                        store(load8(out + c) + load8(source + c) * scale, out + c)
                        c &+= 8
                    }
                }
                j &+= 1
            }
            r &+= 1
        }
    }

    /// uᵢ = Tᵀx̃ᵢ for up to eight rows (sixteen with `sixteen`: `rows`) at
    /// `x`, `stride` elements apart, into rows of `out` (`ld` apart): all rows
    /// by eight columns per step, independent fused sums hiding their
    /// latency, over the rows a < `limits[block]` of T in order, for the
    /// first `width` columns (a multiple of eight, at most `ld`). With
    /// `constantFirst`, x̃ = [1, x] (the 1 not stored): its term T₀ starts the
    /// sums (exactly as 0 + 1·T₀).
    @inlinable @inline(__always)
    static func transformRows<S: KernelScalar, I: InstructionSetTag>(
        _ x: UnsafePointer<S>, stride: Int, rows: Int, constantFirst: Bool, _ t: UnsafePointer<Double>,
        _ limits: UnsafePointer<Int>, _ ld: Int, width: Int, into out: UnsafeMutablePointer<Double>, sixteen: Bool,
        _: S.Type, _: I.Type
    ) {
        typealias V8 = SIMD8<Double>
        // Rows past `rows` repeat the first (their results are not stored).
        func rowPointer(_ q: Int) -> UnsafePointer<S> { q < rows ? x + q &* stride : x }
        let x0 = rowPointer(0), x1 = rowPointer(1), x2 = rowPointer(2), x3 = rowPointer(3)
        let x4 = rowPointer(4), x5 = rowPointer(5), x6 = rowPointer(6), x7 = rowPointer(7)
        let x8 = rowPointer(8), x9 = rowPointer(9), x10 = rowPointer(10), x11 = rowPointer(11)
        let x12 = rowPointer(12), x13 = rowPointer(13), x14 = rowPointer(14), x15 = rowPointer(15)
        let shift = constantFirst ? 1 : 0
        @inline(__always) func step(_ acc: inout V8, _ row: UnsafePointer<S>, _ c: Int, _ tv: V8) {
            acc = acc.addingProduct(V8(repeating: S.widen(row[c])), tv)
        }
        var block = 0
        while block &* 8 < width {
            let column = block &* 8
            var a0 = V8(), a1 = V8(), a2 = V8(), a3 = V8(), a4 = V8(), a5 = V8(), a6 = V8(), a7 = V8()
            var a8 = V8(), a9 = V8(), a10 = V8(), a11 = V8(), a12 = V8(), a13 = V8(), a14 = V8(), a15 = V8()
            let count = limits[block]
            var a = 0
            if constantFirst && count > 0 {
                let tv = load8(t + column)
                a0 = tv; a1 = tv; a2 = tv; a3 = tv; a4 = tv; a5 = tv; a6 = tv; a7 = tv
                if sixteen { a8 = tv; a9 = tv; a10 = tv; a11 = tv; a12 = tv; a13 = tv; a14 = tv; a15 = tv }
                a = 1
            }
            if sixteen {
                while a < count {
                    let tv = load8(t + (a &* ld &+ column))
                    let c = a &- shift
                    step(&a0, x0, c, tv); step(&a1, x1, c, tv); step(&a2, x2, c, tv); step(&a3, x3, c, tv)
                    step(&a4, x4, c, tv); step(&a5, x5, c, tv); step(&a6, x6, c, tv); step(&a7, x7, c, tv)
                    step(&a8, x8, c, tv); step(&a9, x9, c, tv); step(&a10, x10, c, tv); step(&a11, x11, c, tv)
                    step(&a12, x12, c, tv); step(&a13, x13, c, tv); step(&a14, x14, c, tv); step(&a15, x15, c, tv)
                    a &+= 1
                }
            } else {
                while a < count {
                    let tv = load8(t + (a &* ld &+ column))
                    let c = a &- shift
                    step(&a0, x0, c, tv); step(&a1, x1, c, tv); step(&a2, x2, c, tv); step(&a3, x3, c, tv)
                    step(&a4, x4, c, tv); step(&a5, x5, c, tv); step(&a6, x6, c, tv); step(&a7, x7, c, tv)
                    a &+= 1
                }
            }
            let target = out + column
            let accumulators = (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15)
            withUnsafeBytes(of: accumulators) { raw in
                var q = 0
                while q < rows {
                    store(raw.load(fromByteOffset: q &* 64, as: V8.self), target + q &* ld)
                    q &+= 1
                }
            }
            block &+= 1
        }
    }
}

/// Everything ``CovarianceKernel/run(_:element:vector:wide:tag:)`` reads and
/// writes, as raw pointers owned by the caller.
public struct CovarianceJob {
    /// X (n × d, row-major, the element type); nil when d = 0.
    public var x: UnsafeRawPointer?
    /// Y (n × k).
    public var y: UnsafeRawPointer
    /// n weights, or nil (all 1).
    public var weights: UnsafeRawPointer?
    public var features: Int
    public var outputs: Int
    /// p = d, or d + 1 with the intercept's column.
    public var parameters: Int
    /// ``CovarianceKernel/leadingDimension(parameters:)``.
    public var ld: Int
    /// At most ``CovarianceKernel/blockRows`` rows.
    public var rowStart: Int
    public var rowEnd: Int
    /// Whether x̃ puts the intercept's 1 first (else last).
    public var interceptFirst: Bool
    /// k × ld: βⱼ in x̃'s order, zero at the intercept and past p.
    public var coefficients: UnsafePointer<Double>
    /// k intercepts bⱼ.
    public var intercepts: UnsafePointer<Double>
    /// p × ld (T's rows in x̃'s order, zero padded), or nil.
    public var transform: UnsafePointer<Double>?
    /// Per block of eight columns of T: how many leading rows of T may be nonzero there.
    public var transformRows: UnsafePointer<Int>?
    /// Whether vᵢ = Tᵀx̃ᵢ (else x̃ᵢ).
    public var whitened: Bool
    /// Exponent of (1 − hᵢ) dividing the squared factors: 0, 1 or 2.
    public var power: Int
    /// `gram` mode (the exact solver's preconditioning pass): fᵢ = √wᵢ, one
    /// "output", no residuals, so the sums are Σ wᵢ vᵢvᵢᵀ; non-finite values
    /// are the caller's to catch (its sums are then not finite).
    public var gram: Bool
    /// In `gram` mode, how many leading columns of the transformed rows the
    /// sums cover (a partial whitening: T has that many columns); 0 for all p.
    /// The transformed lanes at and past `leadingDimension(gramColumns)` are
    /// then not written, but the wide tiles may read them (into sums nobody
    /// reads): the scratch must stay initialised.
    public var gramColumns: Int = 0
    /// d column origins subtracted from X as it is widened (then never
    /// transformed straight from X), or nil; eight doubles of padding past d.
    public var origin: UnsafePointer<Double>?
    /// Cluster-robust passes: `scoreTableCount` tables of cluster sums
    /// (k·ld doubles per cluster, x̃'s order) and, per table, the cluster
    /// slot of each row of the block (`blockRows` apart): the kernel adds
    /// each row's scores fᵢⱼx̃ᵢ to its slot (``addScores``) and stops there.
    public var scoreTables: UnsafePointer<UnsafeMutablePointer<Double>>? = nil
    public var scoreSlots: UnsafePointer<Int>? = nil
    public var scoreTableCount: Int = 0
    /// Rows after `rowEnd` (the caller's next block) whose X and Y lines the
    /// kernel asks for while it computes the sums (a hint, ``Prefetcher``).
    public var aheadRows: Int = 0

    /// The ``Prefetcher`` of the rows `rowEnd ..< rowEnd + aheadRows`.
    @inlinable
    public func nextRows<E: KernelScalar>(_: E.Type) -> Prefetcher {
        guard aheadRows > 0 else { return Prefetcher() }
        // Gram mode reads no Y (its `y` is a small placeholder).
        return Prefetcher(rows: rowEnd ..< rowEnd &+ aheadRows, of: x?.assumingMemoryBound(to: E.self),
                          columns: features, then: y.assumingMemoryBound(to: E.self), columns: gram ? 0 : outputs)
    }

    // Scratch of one worker, `blockRows × ld` doubles each, zero-initialised once by the owner.
    public var widened: UnsafeMutablePointer<Double>
    public var transformed: UnsafeMutablePointer<Double>
    public var scaled: UnsafeMutablePointer<Double>
    /// `blockRows × k` and `blockRows` doubles; `ld × ld` doubles.
    public var factors: UnsafeMutablePointer<Double>
    public var leverage: UnsafeMutablePointer<Double>
    public var blockS: UnsafeMutablePointer<Double>

    /// k × ld × ld sums, added to (or nil: then the block's factors and x̃
    /// are left in `factors` and `widened` for the caller).
    public var sums: UnsafeMutablePointer<Double>?
    public var nonFinite: UnsafeMutablePointer<Bool>

    @inlinable
    public init(x: UnsafeRawPointer?, y: UnsafeRawPointer, weights: UnsafeRawPointer?, features: Int, outputs: Int,
                parameters: Int, ld: Int, rowStart: Int, rowEnd: Int, interceptFirst: Bool,
                coefficients: UnsafePointer<Double>, intercepts: UnsafePointer<Double>,
                transform: UnsafePointer<Double>?, transformRows: UnsafePointer<Int>?, whitened: Bool, power: Int,
                gram: Bool = false, origin: UnsafePointer<Double>? = nil, widened: UnsafeMutablePointer<Double>, transformed: UnsafeMutablePointer<Double>,
                scaled: UnsafeMutablePointer<Double>, factors: UnsafeMutablePointer<Double>,
                leverage: UnsafeMutablePointer<Double>, blockS: UnsafeMutablePointer<Double>,
                sums: UnsafeMutablePointer<Double>?, nonFinite: UnsafeMutablePointer<Bool>) {
        self.x = x
        self.y = y
        self.weights = weights
        self.features = features
        self.outputs = outputs
        self.parameters = parameters
        self.ld = ld
        self.rowStart = rowStart
        self.rowEnd = rowEnd
        self.interceptFirst = interceptFirst
        self.coefficients = coefficients
        self.intercepts = intercepts
        self.transform = transform
        self.transformRows = transformRows
        self.whitened = whitened
        self.power = power
        self.gram = gram
        self.origin = origin
        self.widened = widened
        self.transformed = transformed
        self.scaled = scaled
        self.factors = factors
        self.leverage = leverage
        self.blockS = blockS
        self.sums = sums
        self.nonFinite = nonFinite
    }
}
