/// The row loop of ridge regression's exact leave-one-out errors
/// (`RidgeLeaveOneOut` in LinReg states the formulas): for each row, its
/// projections on the eigenvectors, then for every penalty its leverage,
/// residual and squared error, eight rows at a time in the lanes of a
/// `SIMD8<Double>`.
///
/// Generic over the element type and the instruction-set tag, compiled once
/// per kernel module (baseline, AVX2, AVX-512). The arithmetic is written as
/// the same IEEE operations in the same order in every
/// module, so every instruction set gives bit-identical results; the vector
/// width only changes how many instructions a lane operation takes. The
/// dot products are fused multiply-adds (`addingProduct`: hardware FMA on
/// AVX2 and AVX-512, the C library's correctly rounded `fma` on the
/// baseline, the same bits), run eight at a time so that eight independent
/// sums hide their latency.
///
/// Results: lane partial sums (`sums[(alpha * k + output) * 8 + lane]`,
/// accumulated in row order; the caller adds the lanes) and, optionally,
/// every row's error.
public struct LeaveOneOutJob {
    /// X (n × d, row-major, the element type); nil when d = 0.
    public var x: UnsafeRawPointer?
    /// Y (n × k, row-major).
    public var y: UnsafeRawPointer
    /// n weights of the element type, or nil (all 1).
    public var weights: UnsafeRawPointer?
    public var features: Int
    public var outputs: Int
    public var alphas: Int
    public var rowStart: Int
    public var rowEnd: Int
    /// d weighted column means of X, k of Y (zeros without intercept).
    public var featureMeans: UnsafePointer<Double>
    public var outputMeans: UnsafePointer<Double>
    /// d × d: eigenvector j at `[j * d ..< (j + 1) * d]`.
    public var vectors: UnsafePointer<Double>
    /// A × d: 1/(λⱼ + α).
    public var inverse: UnsafePointer<Double>
    /// A × k × d: bⱼₖ/(λⱼ + α).
    public var weighted: UnsafePointer<Double>
    /// 1/Σw with an intercept, else 0.
    public var interceptLeverage: Double
    /// Scratch of one worker: d × 8 (three), k × 8 and 8 doubles.
    public var centred: UnsafeMutablePointer<Double>
    public var projected: UnsafeMutablePointer<Double>
    public var squares: UnsafeMutablePointer<Double>
    public var responses: UnsafeMutablePointer<Double>
    public var laneWeights: UnsafeMutablePointer<Double>
    /// A × k × 8 lane sums, zero-initialised by the owner.
    public var sums: UnsafeMutablePointer<Double>
    /// Every error at `[(row * k + output) * A + alpha]` (absolute rows), or nil.
    public var rowErrors: UnsafeMutablePointer<Double>?
    /// The power series in x = α/λ_min (see ``LeaveOneOutKernel``): M orders
    /// (0 = none), M × d: (λ_min/λⱼ)^m/λⱼ, and M × k × d: bⱼₖ(λ_min/λⱼ)^m/λⱼ.
    public var seriesOrders: Int
    public var seriesInverse: UnsafePointer<Double>?
    public var seriesWeighted: UnsafePointer<Double>?
    /// k × M × 8 lane sums of the error's coefficients, zero-initialised by
    /// the owner; 3 × M × 8 doubles of scratch; 8 lanes of the largest
    /// leverage at α = 0 seen (initialised to 0 by the owner).
    public var seriesSums: UnsafeMutablePointer<Double>?
    public var seriesScratch: UnsafeMutablePointer<Double>?
    public var largestLeverage: UnsafeMutablePointer<Double>?

    public init(x: UnsafeRawPointer?, y: UnsafeRawPointer, weights: UnsafeRawPointer?, features: Int, outputs: Int,
                alphas: Int, rowStart: Int, rowEnd: Int, featureMeans: UnsafePointer<Double>,
                outputMeans: UnsafePointer<Double>, vectors: UnsafePointer<Double>, inverse: UnsafePointer<Double>,
                weighted: UnsafePointer<Double>, interceptLeverage: Double, centred: UnsafeMutablePointer<Double>,
                projected: UnsafeMutablePointer<Double>, squares: UnsafeMutablePointer<Double>,
                responses: UnsafeMutablePointer<Double>, laneWeights: UnsafeMutablePointer<Double>,
                sums: UnsafeMutablePointer<Double>, rowErrors: UnsafeMutablePointer<Double>?,
                seriesOrders: Int = 0, seriesInverse: UnsafePointer<Double>? = nil,
                seriesWeighted: UnsafePointer<Double>? = nil, seriesSums: UnsafeMutablePointer<Double>? = nil,
                seriesScratch: UnsafeMutablePointer<Double>? = nil,
                largestLeverage: UnsafeMutablePointer<Double>? = nil) {
        self.x = x
        self.y = y
        self.weights = weights
        self.features = features
        self.outputs = outputs
        self.alphas = alphas
        self.rowStart = rowStart
        self.rowEnd = rowEnd
        self.featureMeans = featureMeans
        self.outputMeans = outputMeans
        self.vectors = vectors
        self.inverse = inverse
        self.weighted = weighted
        self.interceptLeverage = interceptLeverage
        self.centred = centred
        self.projected = projected
        self.squares = squares
        self.responses = responses
        self.laneWeights = laneWeights
        self.sums = sums
        self.rowErrors = rowErrors
        self.seriesOrders = seriesOrders
        self.seriesInverse = seriesInverse
        self.seriesWeighted = seriesWeighted
        self.seriesSums = seriesSums
        self.seriesScratch = seriesScratch
        self.largestLeverage = largestLeverage
    }
}

public enum LeaveOneOutKernel {
    public static let lanes = 8

    /// Up to eight dot products at once: result b = Σⱼ v[j]·table[b·stride + j]
    /// for b < block (the others 0), v being `count` lane vectors (8 doubles
    /// apart). Each v[j] is loaded once for all eight; the sums run over j
    /// in order, as a one-at-a-time loop would (same rounding).
    @inlinable @inline(__always)
    static func dots8<I: InstructionSetTag>(_ v: UnsafePointer<Double>, _ table: UnsafePointer<Double>, stride: Int,
                                            count: Int, block: Int, _ tag: I.Type) -> (SIMD8<Double>, SIMD8<Double>,
        SIMD8<Double>, SIMD8<Double>, SIMD8<Double>, SIMD8<Double>, SIMD8<Double>, SIMD8<Double>) {
        typealias V = SIMD8<Double>
        var r0 = V(), r1 = V(), r2 = V(), r3 = V(), r4 = V(), r5 = V(), r6 = V(), r7 = V()
        let t0 = table, t1 = table + stride, t2 = t1 + stride, t3 = t2 + stride
        let t4 = t3 + stride, t5 = t4 + stride, t6 = t5 + stride, t7 = t6 + stride
        var j = 0
        if block == 8 {
            while j < count {
                let x = load(v + j &* 8, as: V.self, tag)
                r0 = r0.addingProduct(x, V(repeating: t0[j])); r1 = r1.addingProduct(x, V(repeating: t1[j]))
                r2 = r2.addingProduct(x, V(repeating: t2[j])); r3 = r3.addingProduct(x, V(repeating: t3[j]))
                r4 = r4.addingProduct(x, V(repeating: t4[j])); r5 = r5.addingProduct(x, V(repeating: t5[j]))
                r6 = r6.addingProduct(x, V(repeating: t6[j])); r7 = r7.addingProduct(x, V(repeating: t7[j]))
                j &+= 1
            }
        } else {
            while j < count {
                let x = load(v + j &* 8, as: V.self, tag)
                r0 = r0.addingProduct(x, V(repeating: t0[j]))
                if block > 1 { r1 = r1.addingProduct(x, V(repeating: t1[j])) }
                if block > 2 { r2 = r2.addingProduct(x, V(repeating: t2[j])) }
                if block > 3 { r3 = r3.addingProduct(x, V(repeating: t3[j])) }
                if block > 4 { r4 = r4.addingProduct(x, V(repeating: t4[j])) }
                if block > 5 { r5 = r5.addingProduct(x, V(repeating: t5[j])) }
                if block > 6 { r6 = r6.addingProduct(x, V(repeating: t6[j])) }
                j &+= 1
            }
        }
        return (r0, r1, r2, r3, r4, r5, r6, r7)
    }

    @inlinable @inline(__always)
    static func pick<I: InstructionSetTag>(_ r: (SIMD8<Double>, SIMD8<Double>, SIMD8<Double>, SIMD8<Double>,
                                                 SIMD8<Double>, SIMD8<Double>, SIMD8<Double>, SIMD8<Double>),
                                           _ b: Int, _: I.Type) -> SIMD8<Double> {
        switch b {
        case 0: return r.0
        case 1: return r.1
        case 2: return r.2
        case 3: return r.3
        case 4: return r.4
        case 5: return r.5
        case 6: return r.6
        default: return r.7
        }
    }

    /// The error's power series in x = α/λ_min for eight rows: with
    /// L̃ₘ = Σⱼ tⱼ²(λ_min/λⱼ)^m/λⱼ and F̃ₘ = Σⱼ tⱼbⱼ(λ_min/λⱼ)^m/λⱼ (the same
    /// eight-at-a-time dot products as the penalties' tables),
    ///
    ///     1/(λⱼ + α) = Σₘ (−x)^m (λ_min/λⱼ)^m/λⱼ
    ///     D(x) = 1 − w·(c + Σₘ (−x)^m L̃ₘ)  (1 − leverage)
    ///     N(x) = (y − ȳ) − Σₘ (−x)^m F̃ₘ     (the residual)
    ///     Q = N/D  (Qₘ = (Nₘ − Σ_{l=1…m} D_l Q_{m−l})/D₀)
    ///     e(x) = w·Q(x)² = Σₘ Eₘ x^m
    ///
    /// Eₘ is added to `sums[(output·M + m)·8 + lane]`; the largest w·(c + L̃₀)
    /// (the leverage at α = 0) to `largest`. Zero-weight lanes add nothing.
    @inlinable @inline(__always)
    static func series<I: InstructionSetTag>(
        _ job: LeaveOneOutJob, orders m: Int, inverse: UnsafePointer<Double>, weighted: UnsafePointer<Double>,
        squares: UnsafeMutablePointer<Double>, projected: UnsafeMutablePointer<Double>,
        responses: UnsafeMutablePointer<Double>, weight: SIMD8<Double>, into sums: UnsafeMutablePointer<Double>,
        scratch: UnsafeMutablePointer<Double>, largest: UnsafeMutablePointer<Double>, _ tag: I.Type
    ) {
        typealias V = SIMD8<Double>
        let d = job.features, k = job.outputs, lanes = 8
        let dTerms = scratch, nTerms = scratch + m &* lanes, qTerms = nTerms + m &* lanes
        let intercept = V(repeating: job.interceptLeverage)
        // Term q of a series: Σⱼ v[j]·table[q·stride + j] for q < m, eight
        // orders per pass over v, each handed to `body(q, term)`.
        @inline(__always) func terms(_ v: UnsafeMutablePointer<Double>, _ table: UnsafePointer<Double>, stride: Int,
                                     _ body: (Int, V) -> Void) {
            var order = 0
            while order < m {
                let block = min(8, m &- order)
                let t = dots8(UnsafePointer(v), table + order &* stride, stride: stride, count: d, block: block, tag)
                var b = 0
                while b < block {
                    body(order &+ b, pick(t, b, tag))
                    b &+= 1
                }
                order &+= block
            }
        }
        // Dₘ: D₀ = 1 − w(c + L̃₀), Dₘ = −w(−1)^m L̃ₘ.
        terms(squares, inverse, stride: d) { q, term in
            let value: V
            if q == 0 {
                let h = weight * (term + intercept)
                store(pointwiseMax(load(UnsafePointer(largest), as: V.self, tag), h), largest, tag)
                value = V(repeating: 1) - h
            } else {
                value = q & 1 == 0 ? -(weight * term) : weight * term
            }
            store(value, dTerms + q &* lanes, tag)
        }
        let inverseD0 = V(repeating: 1) / load(UnsafePointer(dTerms), as: V.self, tag)
        var o = 0
        while o < k {
            // Nₘ: N₀ = r − F̃₀, Nₘ = −(−1)^m F̃ₘ.
            terms(projected, weighted + o &* d, stride: k &* d) { q, term in
                let value: V
                if q == 0 {
                    value = load(UnsafePointer(responses + o &* lanes), as: V.self, tag) - term
                } else {
                    value = q & 1 == 0 ? -term : term
                }
                store(value, nTerms + q &* lanes, tag)
            }
            // Q = N/D, then e = w·Q², coefficient by coefficient.
            var q = 0
            while q < m {
                var numerator = load(UnsafePointer(nTerms + q &* lanes), as: V.self, tag)
                var l = 1
                while l <= q {
                    numerator = numerator - load(UnsafePointer(dTerms + l &* lanes), as: V.self, tag)
                        * load(UnsafePointer(qTerms + (q &- l) &* lanes), as: V.self, tag)
                    l &+= 1
                }
                store(numerator * inverseD0, qTerms + q &* lanes, tag)
                var square = V()
                l = 0
                while l <= q {
                    square = square + load(UnsafePointer(qTerms + l &* lanes), as: V.self, tag)
                        * load(UnsafePointer(qTerms + (q &- l) &* lanes), as: V.self, tag)
                    l &+= 1
                }
                let slot = sums + (o &* m &+ q) &* lanes
                store(load(UnsafePointer(slot), as: V.self, tag) + weight * square, slot, tag)
                q &+= 1
            }
            o &+= 1
        }
    }

    @inlinable
    public static func run<E: KernelScalar, I: InstructionSetTag>(_ job: LeaveOneOutJob, element _: E.Type,
                                                                  tag: I.Type) {
        typealias V = SIMD8<Double>
        let d = job.features, k = job.outputs, a = job.alphas
        let lanes = 8
        let xs = job.x?.assumingMemoryBound(to: E.self)
        let ys = job.y.assumingMemoryBound(to: E.self)
        let ws = job.weights?.assumingMemoryBound(to: E.self)
        let centred = job.centred, projected = job.projected, squares = job.squares
        let responses = job.responses, laneWeights = job.laneWeights
        let intercept = V(repeating: job.interceptLeverage)
        let one = V(repeating: 1)
        var start = job.rowStart
        while start < job.rowEnd {
            let count = min(lanes, job.rowEnd &- start)
            var lane = 0
            while lane < lanes {
                if lane < count {
                    let row = start &+ lane
                    laneWeights[lane] = ws.map { E.widen($0[row]) } ?? 1
                    if let xs {
                        let xRow = xs + row &* d
                        var c = 0
                        while c < d {
                            centred[c &* lanes &+ lane] = E.widen(xRow[c]) - job.featureMeans[c]
                            c &+= 1
                        }
                    }
                    let yRow = ys + row &* k
                    var o = 0
                    while o < k {
                        responses[o &* lanes &+ lane] = E.widen(yRow[o]) - job.outputMeans[o]
                        o &+= 1
                    }
                } else {
                    laneWeights[lane] = 0
                    var c = 0
                    while c < d { centred[c &* lanes &+ lane] = 0; c &+= 1 }
                    var o = 0
                    while o < k { responses[o &* lanes &+ lane] = 0; o &+= 1 }
                }
                lane &+= 1
            }
            let weight = load(UnsafePointer(laneWeights), as: V.self, tag)
            // tⱼ = vⱼᵀ xc and tⱼ², eight eigenvectors at a time (independent sums).
            var j = 0
            while j < d {
                let block = min(8, d &- j)
                let t = dots8(UnsafePointer(centred), job.vectors + j &* d, stride: d, count: d, block: block, tag)
                var b = 0
                while b < block {
                    let tb = pick(t, b, tag)
                    store(tb, projected + (j &+ b) &* lanes, tag)
                    store(tb * tb, squares + (j &+ b) &* lanes, tag)
                    b &+= 1
                }
                j &+= block
            }
            if job.seriesOrders > 0, let pInverse = job.seriesInverse, let pWeighted = job.seriesWeighted,
               let seriesSums = job.seriesSums, let scratch = job.seriesScratch, let largest = job.largestLeverage {
                series(job, orders: job.seriesOrders, inverse: pInverse, weighted: pWeighted, squares: squares,
                       projected: projected, responses: responses, weight: weight, into: seriesSums,
                       scratch: scratch, largest: largest, tag)
            }
            // Penalties eight at a time: each vector tⱼ² (or tⱼ) is loaded once
            // for eight products (register tiling); the rest one at a time.
            var ai = 0
            while ai < a {
                let block = min(8, a &- ai)
                let lev = dots8(UnsafePointer(squares), job.inverse + ai &* d, stride: d, count: d, block: block, tag)
                var o = 0
                while o < k {
                    let fit = dots8(UnsafePointer(projected), job.weighted + (ai &* k &+ o) &* d, stride: k &* d,
                                    count: d, block: block, tag)
                    var b = 0
                    while b < block {
                        let h = weight * (pick(lev, b, tag) + intercept)
                        let oneMinus = one - h
                        // Zero-weight lanes (padding included) have h = 0 and scale 0: e = 0.
                        let scale = weight / (oneMinus * oneMinus)
                        let residual = load(UnsafePointer(responses + o &* lanes), as: V.self, tag) - pick(fit, b, tag)
                        let error = residual * residual * scale
                        let slot = job.sums + ((ai &+ b) &* k &+ o) &* lanes
                        store(load(UnsafePointer(slot), as: V.self, tag) + error, slot, tag)
                        if let out = job.rowErrors {
                            var l = 0
                            while l < count {
                                out[((start &+ l) &* k &+ o) &* a &+ ai &+ b] = error[l]
                                l &+= 1
                            }
                        }
                        b &+= 1
                    }
                    o &+= 1
                }
                ai &+= block
            }
            start &+= count
        }
    }
}
