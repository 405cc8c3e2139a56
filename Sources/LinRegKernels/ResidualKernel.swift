/// The residual kernel: the residuals of given coefficients for a range of
/// rows, and their sums: the hot loop of the exact solver's residual passes
/// (nearly exact fits, and the refinement of the normal-equations path).
///
/// **What it computes.** For rows i of `job.rowStart ..< job.rowEnd`, with
/// weights wᵢ (1 without sample weights), the centred row x̃ᵢ = xᵢ − o (o the
/// columns' origins) and, for each output o,
///
///     rᵢₒ = ((yᵢₒ − o_yₒ) − Σ_c x̃ᵢc·βₒc) − b′ₒ
///
/// it writes to `job.out`:
///
///     Σ wᵢ rᵢₐ rᵢ_b              (k × k, entries a ≤ b, row-major)
///     Σ wᵢ rᵢₒ                   (k)          } with `gradient`
///     Σ wᵢ x̃ᵢ rᵢₒ                (k × ldw)    } only
///
/// With `job.interceptParts` set, the residuals are correctly rounded
/// instead (ResidualKernel+Compensated.swift).
///
/// **Fixed order.** Rows are summed in blocks of ``blockRows`` (each block's
/// sums start at zero and are then added to the range's): the rounding grows
/// with the block length plus the block count. The dot product over c is
/// always the same sequence of operations: eight partial sums (lane l takes
/// the columns c ≡ l mod 8, in increasing c), combined by halving
/// ((l0+l4) + (l2+l6)) + ((l1+l5) + (l3+l7)). The vector products (the
/// dot products' partial sums, the gradient updates) are fused multiply-adds
/// (`addingProduct`: one rounding, an exact IEEE operation, computed in
/// software on the baseline; since 0.2, half the operations of a multiply
/// and an add); the scalar sums (the co-moments, Σ w r) are plain products
/// and additions (Swift never contracts them). So every instruction set
/// computes the same bits, and the range's result does not depend on which
/// thread computed it.
public enum ResidualKernel {
    /// Rows per block of sums.
    public static let blockRows = 128

    /// Doubles of `job.out` (and of the block scratch) for d features and k outputs.
    @inlinable
    public static func slotSize(outputs k: Int, ldw: Int, gradient: Bool) -> Int {
        k &* k &+ (gradient ? k &+ k &* ldw : 0)
    }

    /// Doubles of `job.scratch`: the centred row, the residuals and one
    /// block's sums.
    @inlinable
    public static func scratchSize(outputs k: Int, ldw: Int, gradient: Bool) -> Int {
        ldw &+ k &+ slotSize(outputs: k, ldw: ldw, gradient: gradient)
    }

    @inlinable @inline(__always)
    public static func accumulate<E: KernelScalar, I: InstructionSetTag>(_ job: ResidualJob, element _: E.Type,
                                                                        tag _: I.Type) {
        let k = job.outputs, ldw = job.ldw
        let slot = slotSize(outputs: k, ldw: ldw, gradient: job.gradient)
        let out = job.out, centred = job.scratch
        var q = 0
        while q < slot { out[q] = 0; q &+= 1 }
        q = 0
        while q < ldw { centred[q] = 0; q &+= 1 }
        let registers = ldw >= 8 && ldw <= 32 && job.x != nil

        if job.interceptParts != nil {
            if k == 1 && registers {
                accumulateCompensatedOneOutput(job, element: E.self, tag: I.self)
            } else {
                sumRows(job, element: E.self) { i, centred, r in compensatedResiduals(job, row: i, centred: centred,
                                                                                      into: r, element: E.self) }
            }
            return
        }
        if k == 1 && registers {
            accumulateOneOutput(job, element: E.self, tag: I.self)
            return
        }
        if k >= 2 && k <= 4 && registers {
            accumulateFewOutputs(job, element: E.self, tag: I.self)
            return
        }
        sumRows(job, element: E.self) { i, centred, r in plainResiduals(job, row: i, centred: centred, into: r,
                                                                        element: E.self) }
    }

    /// Row i's centred row (into `centred`, zero padded to ldw) and its k
    /// residuals about the origins (into `r`): the general loop's residuals
    /// in the plain mode.
    @inlinable @inline(__always)
    static func plainResiduals<E: KernelScalar>(_ job: ResidualJob, row i: Int, centred: UnsafeMutablePointer<Double>,
                                                into r: UnsafeMutablePointer<Double>, element _: E.Type) {
        let d = job.features, k = job.outputs, ldw = job.ldw
        let x = job.x?.assumingMemoryBound(to: E.self)
        let y = job.y.assumingMemoryBound(to: E.self)
        let beta = job.beta, origin = job.origin, yOrigin = job.yOrigin, offset = job.offset
        let full = d & ~7
        let rest = d &- full
        if let x {
            let row = x + i &* d
            var c = 0
            while c < full {
                store(E.load8(row + c) - load8(origin + c), centred + c)
                c &+= 8
            }
            if rest > 0 {
                store(E.loadPartial(row + full, count: rest) - load8(origin + full), centred + full)
            }
        }
        let yRow = y + i &* k
        var o = 0
        while o < k {
            let b = beta + o &* ldw
            var acc = SIMD8<Double>()
            var c = 0
            while c < ldw {
                acc = acc.addingProduct(load8(centred + c), load8(b + c))
                c &+= 8
            }
            r[o] = ((E.widen(yRow[o]) - yOrigin[o]) - laneSum(acc)) - offset[o]
            o &+= 1
        }
    }

    /// The general loop (any k and d): `residuals(i, centred, r)` writes row
    /// i's centred row (zero padded to ldw) and its k residuals; their sums
    /// are taken in blocks of ``blockRows`` rows (each block's sums start at
    /// zero, then are added to the range's), for a, then b ≥ a: Σ w rₐ r_b,
    /// Σ w rₐ, the gradient Σ w rₐ x̃. `job.out` and the centred row's
    /// padding must be zero on entry.
    @inlinable @inline(__always)
    static func sumRows<E: KernelScalar>(
        _ job: ResidualJob, element _: E.Type,
        residuals: (_ row: Int, _ centred: UnsafeMutablePointer<Double>, _ r: UnsafeMutablePointer<Double>) -> Void
    ) {
        let k = job.outputs, ldw = job.ldw, gradient = job.gradient
        let weights = job.weights?.assumingMemoryBound(to: E.self)
        let slot = slotSize(outputs: k, ldw: ldw, gradient: gradient)
        let centred = job.scratch, r = centred + ldw, local = r + k
        let out = job.out
        var blockStart = job.rowStart
        while blockStart < job.rowEnd {
            let blockEnd = Swift.min(job.rowEnd, blockStart &+ blockRows)
            var q = 0
            while q < slot { local[q] = 0; q &+= 1 }
            let sums = local + k &* k
            let grad = sums + k
            var i = blockStart
            while i < blockEnd {
                let w = weights.map { E.widen($0[i]) } ?? 1
                residuals(i, centred, r)
                var a = 0
                while a < k {
                    let wa = weights == nil ? r[a] : w * r[a]
                    var bIndex = a
                    while bIndex < k {
                        local[a &* k &+ bIndex] += wa * r[bIndex]
                        bIndex &+= 1
                    }
                    if gradient {
                        sums[a] += wa
                        let g = grad + a &* ldw
                        let wv = SIMD8<Double>(repeating: wa)
                        var c = 0
                        while c < ldw {
                            store(load8(g + c).addingProduct(wv, load8(centred + c)), g + c)
                            c &+= 8
                        }
                    }
                    a &+= 1
                }
                i &+= 1
            }
            q = 0
            while q < slot { out[q] += local[q]; q &+= 1 }
            blockStart = blockEnd
        }
    }
}

extension ResidualKernel {
    /// ``accumulate(_:element:tag:)`` for one output and 1 … 32 features,
    /// with the row, coefficients and gradient held in registers: the same
    /// operations in the same order as the general loop (so the same bits).
    @inlinable @inline(__always)
    static func accumulateOneOutput<E: KernelScalar, I: InstructionSetTag>(_ job: ResidualJob, element _: E.Type,
                                                                           tag _: I.Type) {
        let d = job.features, groups = job.ldw >> 3, gradient = job.gradient
        let x = job.x!.assumingMemoryBound(to: E.self)
        let y = job.y.assumingMemoryBound(to: E.self)
        let weights = job.weights?.assumingMemoryBound(to: E.self)
        let yOrigin = job.yOrigin[0], offset = job.offset[0]
        let out = job.out
        let origin = Row32(loading: job.origin, groups: groups), beta = Row32(loading: job.beta, groups: groups)

        var blockStart = job.rowStart
        while blockStart < job.rowEnd {
            let blockEnd = Swift.min(job.rowEnd, blockStart &+ blockRows)
            var gram = 0.0, sum = 0.0
            var g = Row32.zero
            var i = blockStart
            while i < blockEnd {
                let z = Row32(row: x + i &* d, features: d, groups: groups).minus(origin, groups: groups)
                let r = ((E.widen(y[i]) - yOrigin) - z.dot(beta, groups: groups)) - offset
                let wr = weights.map { E.widen($0[i]) * r } ?? r
                gram += wr * r
                if gradient {
                    sum += wr
                    g.add(wr, times: z, groups: groups)
                }
                i &+= 1
            }
            out[0] += gram
            if gradient {
                out[1] += sum
                g.addTo(out + 2, groups: groups)
            }
            blockStart = blockEnd
        }
    }
}

/// What ``ResidualKernel/accumulate(_:element:tag:)`` reads and writes.
public struct ResidualJob {
    /// X, n × d row-major, of the element type (nil when d = 0).
    public var x: UnsafeRawPointer?
    /// Y, n × k row-major.
    public var y: UnsafeRawPointer
    /// n weights, or nil.
    public var weights: UnsafeRawPointer?
    public var features: Int
    public var outputs: Int
    /// d rounded up to a multiple of 8.
    public var ldw: Int
    /// β, k rows of `ldw` doubles (d coefficients, then zeros).
    public var beta: UnsafePointer<Double>
    /// The origins of X's columns, `ldw` doubles (zeros past d).
    public var origin: UnsafePointer<Double>
    /// The origins of Y's columns, k doubles.
    public var yOrigin: UnsafePointer<Double>
    /// b′, k doubles: the intercepts moved to the origins.
    public var offset: UnsafePointer<Double>
    public var rowStart: Int
    public var rowEnd: Int
    /// Whether to sum Σ w r and the gradient too.
    public var gradient: Bool
    /// The compensated mode (ResidualKernel+Compensated.swift): 2k doubles,
    /// the intercepts' high parts then their low parts; nil for the plain
    /// mode (residuals about the origins, `yOrigin` and `offset`).
    public var interceptParts: UnsafePointer<Double>?
    /// ``ResidualKernel/slotSize(outputs:ldw:gradient:)`` doubles: the result.
    public var out: UnsafeMutablePointer<Double>
    /// ``ResidualKernel/scratchSize(outputs:ldw:gradient:)`` doubles of one worker.
    public var scratch: UnsafeMutablePointer<Double>

    @inlinable
    public init(x: UnsafeRawPointer?, y: UnsafeRawPointer, weights: UnsafeRawPointer?, features: Int, outputs: Int,
                ldw: Int, beta: UnsafePointer<Double>, origin: UnsafePointer<Double>,
                yOrigin: UnsafePointer<Double>, offset: UnsafePointer<Double>, rowStart: Int, rowEnd: Int,
                gradient: Bool, interceptParts: UnsafePointer<Double>? = nil, out: UnsafeMutablePointer<Double>,
                scratch: UnsafeMutablePointer<Double>) {
        self.x = x
        self.y = y
        self.weights = weights
        self.features = features
        self.outputs = outputs
        self.ldw = ldw
        self.beta = beta
        self.origin = origin
        self.yOrigin = yOrigin
        self.offset = offset
        self.rowStart = rowStart
        self.rowEnd = rowEnd
        self.gradient = gradient
        self.interceptParts = interceptParts
        self.out = out
        self.scratch = scratch
    }
}

/// Four vectors of eight doubles: a row of up to 32 values (zero padded),
/// kept in registers by the register paths (one output, few outputs, and
/// one output in the compensated mode).
@usableFromInline
struct Row32 {
    @usableFromInline var v0: SIMD8<Double>, v1: SIMD8<Double>, v2: SIMD8<Double>, v3: SIMD8<Double>

    @inlinable @inline(__always)
    init(_ v0: SIMD8<Double>, _ v1: SIMD8<Double>, _ v2: SIMD8<Double>, _ v3: SIMD8<Double>) {
        self.v0 = v0
        self.v1 = v1
        self.v2 = v2
        self.v3 = v3
    }

    @inlinable @inline(__always)
    static var zero: Row32 { Row32(SIMD8(), SIMD8(), SIMD8(), SIMD8()) }

    /// A row of d ≤ 32 elements, widened, in `groups` = ⌈d/8⌉ vectors (the
    /// last, partial group zero padded; groups past it zero).
    @inlinable @inline(__always)
    init<E: KernelScalar>(row: UnsafePointer<E>, features d: Int, groups: Int) {
        let full = d >> 3, rest = d & 7
        @inline(__always)
        func group(_ j: Int) -> SIMD8<Double> {
            j < full ? E.load8(row + (j << 3)) : E.loadPartial(row + (j << 3), count: rest)
        }
        let zero = SIMD8<Double>()
        self.init(group(0), groups > 1 ? group(1) : zero, groups > 2 ? group(2) : zero, groups > 3 ? group(3) : zero)
    }

    /// self − o, group by group (groups past `groups` stay zero).
    @inlinable @inline(__always)
    func minus(_ o: Row32, groups: Int) -> Row32 {
        let zero = SIMD8<Double>()
        return Row32(v0 - o.v0, groups > 1 ? v1 - o.v1 : zero, groups > 2 ? v2 - o.v2 : zero,
                     groups > 3 ? v3 - o.v3 : zero)
    }

    /// `groups` (1 … 4) vectors from p, the rest zero.
    @inlinable @inline(__always)
    init(loading p: UnsafePointer<Double>, groups: Int) {
        let zero = SIMD8<Double>()
        self.init(load8(p), groups > 1 ? load8(p + 8) : zero, groups > 2 ? load8(p + 16) : zero,
                  groups > 3 ? load8(p + 24) : zero)
    }

    /// The plain loop's dot product: acc = fma(a₀, b₀, 0), then fma(aⱼ, bⱼ, acc) per group, lanes summed.
    @inlinable @inline(__always)
    func dot(_ b: Row32, groups: Int) -> Double {
        var acc = SIMD8<Double>().addingProduct(v0, b.v0)
        if groups > 1 { acc = acc.addingProduct(v1, b.v1) }
        if groups > 2 { acc = acc.addingProduct(v2, b.v2) }
        if groups > 3 { acc = acc.addingProduct(v3, b.v3) }
        return laneSum(acc)
    }

    /// self + s·z, group by group (as the plain loop's gradient update).
    @inlinable @inline(__always)
    mutating func add(_ s: Double, times z: Row32, groups: Int) {
        let sv = SIMD8<Double>(repeating: s)
        v0 = v0.addingProduct(sv, z.v0)
        if groups > 1 { v1 = v1.addingProduct(sv, z.v1) }
        if groups > 2 { v2 = v2.addingProduct(sv, z.v2) }
        if groups > 3 { v3 = v3.addingProduct(sv, z.v3) }
    }

    @inlinable @inline(__always)
    func addTo(_ p: UnsafeMutablePointer<Double>, groups: Int) {
        store(load8(p) + v0, p)
        if groups > 1 { store(load8(p + 8) + v1, p + 8) }
        if groups > 2 { store(load8(p + 16) + v2, p + 16) }
        if groups > 3 { store(load8(p + 24) + v3, p + 24) }
    }
}

extension ResidualKernel {
    /// ``accumulate(_:element:tag:)`` for 2 … 4 outputs and 1 … 32 features:
    /// the centred row and the gradients held in registers instead of the
    /// scratch rows (whose loads and stores bound the general loop); the
    /// same operations in the same order as the general loop (so the same
    /// bits).
    @inlinable @inline(__always)
    static func accumulateFewOutputs<E: KernelScalar, I: InstructionSetTag>(_ job: ResidualJob, element _: E.Type,
                                                                           tag _: I.Type) {
        let d = job.features, k = job.outputs, ldw = job.ldw, gradient = job.gradient
        let groups = ldw >> 3
        let x = job.x!.assumingMemoryBound(to: E.self)
        let y = job.y.assumingMemoryBound(to: E.self)
        let weights = job.weights?.assumingMemoryBound(to: E.self)
        let out = job.out
        let origin = Row32(loading: job.origin, groups: groups)
        let b0 = Row32(loading: job.beta, groups: groups)
        let b1 = Row32(loading: job.beta + ldw, groups: groups)
        let b2 = k > 2 ? Row32(loading: job.beta + 2 &* ldw, groups: groups) : .zero
        let b3 = k > 3 ? Row32(loading: job.beta + 3 &* ldw, groups: groups) : .zero
        var yOrigin = SIMD4<Double>(), offset = SIMD4<Double>()
        for o in 0 ..< k {
            yOrigin[o] = job.yOrigin[o]
            offset[o] = job.offset[o]
        }

        var blockStart = job.rowStart
        while blockStart < job.rowEnd {
            let blockEnd = Swift.min(job.rowEnd, blockStart &+ blockRows)
            // Block sums: the gram's upper triangle (row-major k × k slots),
            // Σ w r and the gradients.
            var g00 = 0.0, g01 = 0.0, g02 = 0.0, g03 = 0.0, g11 = 0.0, g12 = 0.0, g13 = 0.0
            var g22 = 0.0, g23 = 0.0, g33 = 0.0
            var sums = SIMD4<Double>()
            var d0 = Row32.zero, d1 = Row32.zero, d2 = Row32.zero, d3 = Row32.zero
            var i = blockStart
            while i < blockEnd {
                let z = Row32(row: x + i &* d, features: d, groups: groups).minus(origin, groups: groups)
                let yRow = y + i &* k
                let r0 = ((E.widen(yRow[0]) - yOrigin[0]) - z.dot(b0, groups: groups)) - offset[0]
                let r1 = ((E.widen(yRow[1]) - yOrigin[1]) - z.dot(b1, groups: groups)) - offset[1]
                let r2 = k > 2 ? ((E.widen(yRow[2]) - yOrigin[2]) - z.dot(b2, groups: groups)) - offset[2] : 0
                let r3 = k > 3 ? ((E.widen(yRow[3]) - yOrigin[3]) - z.dot(b3, groups: groups)) - offset[3] : 0
                let w = weights.map { E.widen($0[i]) }
                let w0 = w.map { $0 * r0 } ?? r0, w1 = w.map { $0 * r1 } ?? r1
                let w2 = w.map { $0 * r2 } ?? r2, w3 = w.map { $0 * r3 } ?? r3
                g00 += w0 * r0
                g01 += w0 * r1
                if k > 2 { g02 += w0 * r2 }
                if k > 3 { g03 += w0 * r3 }
                if gradient {
                    sums[0] += w0
                    d0.add(w0, times: z, groups: groups)
                }
                g11 += w1 * r1
                if k > 2 { g12 += w1 * r2 }
                if k > 3 { g13 += w1 * r3 }
                if gradient {
                    sums[1] += w1
                    d1.add(w1, times: z, groups: groups)
                }
                if k > 2 {
                    g22 += w2 * r2
                    if k > 3 { g23 += w2 * r3 }
                    if gradient {
                        sums[2] += w2
                        d2.add(w2, times: z, groups: groups)
                    }
                }
                if k > 3 {
                    g33 += w3 * r3
                    if gradient {
                        sums[3] += w3
                        d3.add(w3, times: z, groups: groups)
                    }
                }
                i &+= 1
            }
            // Into the range's sums, in the general loop's slot order.
            out[0] += g00
            out[1] += g01
            if k > 2 { out[2] += g02 }
            if k > 3 { out[3] += g03 }
            out[k &+ 1] += g11
            if k > 2 { out[k &+ 2] += g12 }
            if k > 3 { out[k &+ 3] += g13 }
            if k > 2 {
                out[2 &* k &+ 2] += g22
                if k > 3 { out[2 &* k &+ 3] += g23 }
            }
            if k > 3 { out[3 &* k &+ 3] += g33 }
            if gradient {
                let base = k &* k
                for o in 0 ..< k { out[base &+ o] += sums[o] }
                let g = out + (base &+ k)
                d0.addTo(g, groups: groups)
                d1.addTo(g + ldw, groups: groups)
                if k > 2 { d2.addTo(g + 2 &* ldw, groups: groups) }
                if k > 3 { d3.addTo(g + 3 &* ldw, groups: groups) }
            }
            blockStart = blockEnd
        }
    }
}
