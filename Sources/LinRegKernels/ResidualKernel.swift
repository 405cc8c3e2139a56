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
/// ((l0+l4) + (l2+l6)) + ((l1+l5) + (l3+l7)). No fused multiply-adds (Swift
/// never contracts them), so every instruction set computes the same bits,
/// and the range's result does not depend on which thread computed it.
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
        if job.interceptParts != nil {
            accumulateCompensated(job, element: E.self, tag: I.self)
            return
        }
        let d = job.features, k = job.outputs, ldw = job.ldw, gradient = job.gradient
        let x = job.x?.assumingMemoryBound(to: E.self)
        let y = job.y.assumingMemoryBound(to: E.self)
        let weights = job.weights?.assumingMemoryBound(to: E.self)
        let beta = job.beta, origin = job.origin, yOrigin = job.yOrigin, offset = job.offset
        let slot = slotSize(outputs: k, ldw: ldw, gradient: gradient)
        let centred = job.scratch, r = centred + ldw, local = r + k
        let out = job.out
        let full = d & ~7
        let rest = d &- full
        var q = 0
        while q < slot { out[q] = 0; q &+= 1 }
        q = 0
        while q < ldw { centred[q] = 0; q &+= 1 }

        if k == 1 && ldw >= 8 && ldw <= 32 {
            accumulateOneOutput(job, element: E.self, tag: I.self)
            return
        }
        var blockStart = job.rowStart
        while blockStart < job.rowEnd {
            let blockEnd = Swift.min(job.rowEnd, blockStart &+ blockRows)
            q = 0
            while q < slot { local[q] = 0; q &+= 1 }
            let sums = local + k &* k
            let grad = sums + k
            var i = blockStart
            while i < blockEnd {
                let w = weights.map { E.widen($0[i]) } ?? 1
                // The centred row (zero padded to ldw).
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
                        acc = acc + load8(centred + c) * load8(b + c)
                        c &+= 8
                    }
                    r[o] = ((E.widen(yRow[o]) - yOrigin[o]) - laneSum(acc)) - offset[o]
                    o &+= 1
                }
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
                            store(load8(g + c) + wv * load8(centred + c), g + c)
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
        let d = job.features, ldw = job.ldw, gradient = job.gradient
        let groups = ldw >> 3
        let fullGroups = d >> 3
        let rest = d &- (fullGroups << 3)
        let x = job.x!.assumingMemoryBound(to: E.self)
        let y = job.y.assumingMemoryBound(to: E.self)
        let weights = job.weights?.assumingMemoryBound(to: E.self)
        let beta = job.beta, origin = job.origin
        let yOrigin = job.yOrigin[0], offset = job.offset[0]
        let out = job.out
        let zero = SIMD8<Double>()
        let o0 = load8(origin), b0 = load8(beta)
        let o1 = groups > 1 ? load8(origin + 8) : zero, b1 = groups > 1 ? load8(beta + 8) : zero
        let o2 = groups > 2 ? load8(origin + 16) : zero, b2 = groups > 2 ? load8(beta + 16) : zero
        let o3 = groups > 3 ? load8(origin + 24) : zero, b3 = groups > 3 ? load8(beta + 24) : zero

        /// Group j of the row (partial for the last when d mod 8 ≠ 0).
        @inline(__always)
        func group(_ row: UnsafePointer<E>, _ j: Int) -> SIMD8<Double> {
            j < fullGroups ? E.load8(row + (j << 3)) : E.loadPartial(row + (j << 3), count: rest)
        }

        var blockStart = job.rowStart
        while blockStart < job.rowEnd {
            let blockEnd = Swift.min(job.rowEnd, blockStart &+ blockRows)
            var gram = 0.0, sum = 0.0
            var g0 = zero, g1 = zero, g2 = zero, g3 = zero
            var i = blockStart
            while i < blockEnd {
                let row = x + i &* d
                let z0 = group(row, 0) - o0
                var acc = zero + z0 * b0
                var z1 = zero, z2 = zero, z3 = zero
                if groups > 1 {
                    z1 = group(row, 1) - o1
                    acc = acc + z1 * b1
                }
                if groups > 2 {
                    z2 = group(row, 2) - o2
                    acc = acc + z2 * b2
                }
                if groups > 3 {
                    z3 = group(row, 3) - o3
                    acc = acc + z3 * b3
                }
                let r = ((E.widen(y[i]) - yOrigin) - laneSum(acc)) - offset
                let wr = weights.map { E.widen($0[i]) * r } ?? r
                gram += wr * r
                if gradient {
                    sum += wr
                    let wv = SIMD8<Double>(repeating: wr)
                    g0 = g0 + wv * z0
                    if groups > 1 { g1 = g1 + wv * z1 }
                    if groups > 2 { g2 = g2 + wv * z2 }
                    if groups > 3 { g3 = g3 + wv * z3 }
                }
                i &+= 1
            }
            out[0] += gram
            if gradient {
                out[1] += sum
                let g = out + 2
                store(load8(g) + g0, g)
                if groups > 1 { store(load8(g + 8) + g1, g + 8) }
                if groups > 2 { store(load8(g + 16) + g2, g + 16) }
                if groups > 3 { store(load8(g + 24) + g3, g + 24) }
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
