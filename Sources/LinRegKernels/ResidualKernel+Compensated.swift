/// The residual kernel's compensated mode: each residual correctly rounded
/// (to a few units of ε² of the terms it is made of) instead of carrying a
/// rounding of ε times them, for nearly exact fits, whose residuals are many
/// orders of magnitude below y and Xβ.
///
/// **What changes.** With `job.interceptParts` set (k high parts, then k low
/// parts of the intercepts b, a double-double each) the residual is formed
/// from the raw row, not about the origins:
///
///     rᵢₒ = (yᵢₒ − bₒ) − Σ_c xᵢc·βₒc
///
/// with every product exact (p = fl(x·β), e = fma(x, β, −p)) and every sum
/// a two-sum whose error is kept (Ogita, Rump and Oishi's Dot2 in the eight
/// lanes, lane l taking the columns c ≡ l mod 8; the lanes then combined by
/// halving with two-sums), then rounded once to double. So its error is
/// about ε/2·|rᵢₒ| + d·ε²·(|yᵢₒ| + |bₒ| + Σ|xᵢc·βₒc|): the residual sums of
/// squares keep their digits down to fits ~1e15 times more exact than in the
/// plain mode, where each residual carries about ε·(|y − o_y| + Σ|x̃·β|).
/// The sums (co-moments, Σ w r, gradient about the origins) are then those
/// of the plain mode, of the rounded residuals.
///
/// Fused multiply-adds are exact IEEE operations (the baseline computes
/// them in software), two-sums use plain additions: every instruction set
/// gives the same bits. About five times the plain mode's arithmetic per
/// row; still about one read of X on a few dozen columns.
extension ResidualKernel {
    /// (hi, lo) of the lanes of the compensated pair (s, t), by halving
    /// with two-sums: the same order on every instruction set.
    @inlinable @inline(__always)
    static func compensatedLaneSum(_ s: SIMD8<Double>, _ t: SIMD8<Double>) -> (Double, Double) {
        let (h4, e4) = twoSum(s.lowHalf, s.highHalf)
        let t4 = (t.lowHalf + t.highHalf) + e4
        let (h2, e2) = twoSum(h4.lowHalf, h4.highHalf)
        let t2 = (t4.lowHalf + t4.highHalf) + e2
        let (h1, e1) = twoSum(h2[0], h2[1])
        return (h1, (t2[0] + t2[1]) + e1)
    }

    /// One Dot2 step in eight lanes: the exact product x·β (p + e, by a fused
    /// multiply-add) added to the pair (s, t) by a two-sum whose error joins t.
    @inlinable @inline(__always)
    static func compensatedStep(_ s: inout SIMD8<Double>, _ t: inout SIMD8<Double>, _ xv: SIMD8<Double>,
                                _ bv: SIMD8<Double>) {
        let (p, e) = DoubleDoubleKernel.twoProduct(xv, bv, fused: true)
        let (sum, error) = twoSum(s, p)
        s = sum
        t = t + (error + e)
    }

    /// (y − b_high − b_low) − (hi + lo), each step a two-sum, rounded once:
    /// the residual of a row whose Σ x·β is the pair (hi, lo).
    @inlinable @inline(__always)
    static func compensatedResidual(y: Double, high: Double, low: Double, hi: Double, lo: Double) -> Double {
        let (a, ae) = twoSum(y, -high)
        let (u, ue) = twoSum(a, -hi)
        return u + (((ae - low) + ue) - lo)
    }

    /// Row i's correctly rounded residuals (k of them, into `r`) and its
    /// centred row (into `centred`, for the gradient): the general loop's
    /// residuals in the compensated mode.
    @inlinable @inline(__always)
    static func compensatedResiduals<E: KernelScalar>(_ job: ResidualJob, row i: Int,
                                                      centred: UnsafeMutablePointer<Double>,
                                                      into r: UnsafeMutablePointer<Double>, element _: E.Type) {
        guard let parts = job.interceptParts else { return }
        let d = job.features, k = job.outputs, ldw = job.ldw
        let x = job.x?.assumingMemoryBound(to: E.self)
        let y = job.y.assumingMemoryBound(to: E.self)
        let beta = job.beta, origin = job.origin
        let full = d & ~7
        let rest = d &- full
        let yRow = y + i &* k
        var o = 0
        while o < k {
            var s = SIMD8<Double>(), t = SIMD8<Double>()
            if let x {
                let row = x + i &* d
                let b = beta + o &* ldw
                var c = 0
                while c < ldw {
                    let xv = c < full ? E.load8(row + c) : E.loadPartial(row + full, count: rest)
                    if o == 0 { store(xv - load8(origin + c), centred + c) }
                    compensatedStep(&s, &t, xv, load8(b + c))
                    c &+= 8
                }
            }
            let (hi, lo) = compensatedLaneSum(s, t)
            r[o] = compensatedResidual(y: E.widen(yRow[o]), high: parts[o], low: parts[k &+ o], hi: hi, lo: lo)
            o &+= 1
        }
    }
}

extension ResidualKernel {
    /// The compensated mode for one output and 1 … 32 features, with the
    /// row, coefficients and gradient in registers and two rows in flight
    /// (each residual's two-sum chain is long; two independent ones hide each
    /// other's latency): the same operations in the same order as the
    /// general loop with ``compensatedResiduals(_:row:centred:into:element:)``
    /// (so the same bits).
    @inlinable @inline(__always)
    static func accumulateCompensatedOneOutput<E: KernelScalar, I: InstructionSetTag>(
        _ job: ResidualJob, element _: E.Type, tag _: I.Type
    ) {
        guard let parts = job.interceptParts, let xRaw = job.x else { return }
        let d = job.features, groups = job.ldw >> 3, gradient = job.gradient
        let x = xRaw.assumingMemoryBound(to: E.self)
        let y = job.y.assumingMemoryBound(to: E.self)
        let weights = job.weights?.assumingMemoryBound(to: E.self)
        let bHigh = parts[0], bLow = parts[1]
        let out = job.out
        let origin = Row32(loading: job.origin, groups: groups), beta = Row32(loading: job.beta, groups: groups)

        /// Row i's correctly rounded residual and its centred row.
        @inline(__always)
        func residual(_ i: Int) -> (Double, Row32) {
            let row = Row32(row: x + i &* d, features: d, groups: groups)
            var s = SIMD8<Double>(), t = SIMD8<Double>()
            compensatedStep(&s, &t, row.v0, beta.v0)
            if groups > 1 { compensatedStep(&s, &t, row.v1, beta.v1) }
            if groups > 2 { compensatedStep(&s, &t, row.v2, beta.v2) }
            if groups > 3 { compensatedStep(&s, &t, row.v3, beta.v3) }
            let (hi, lo) = compensatedLaneSum(s, t)
            return (compensatedResidual(y: E.widen(y[i]), high: bHigh, low: bLow, hi: hi, lo: lo),
                    row.minus(origin, groups: groups))
        }

        var blockStart = job.rowStart
        while blockStart < job.rowEnd {
            let blockEnd = Swift.min(job.rowEnd, blockStart &+ blockRows)
            var gram = 0.0, sum = 0.0
            var g = Row32.zero
            @inline(__always)
            func take(_ i: Int, _ r: Double, _ z: Row32) {
                let wr = weights.map { E.widen($0[i]) * r } ?? r
                gram += wr * r
                if gradient {
                    sum += wr
                    g.add(wr, times: z, groups: groups)
                }
            }
            var i = blockStart
            while i &+ 1 < blockEnd {
                let first = residual(i), second = residual(i &+ 1)
                take(i, first.0, first.1)
                take(i &+ 1, second.0, second.1)
                i &+= 2
            }
            if i < blockEnd {
                let last = residual(i)
                take(i, last.0, last.1)
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
