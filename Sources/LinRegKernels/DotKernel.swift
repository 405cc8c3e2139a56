/// Σ x[i]·y[i] over `count` contiguous doubles, for the O(p³) steps on the
/// solver's small matrices (the condition estimate's Cholesky factor and
/// inverse, the rank decision's condition bound), in the dispatched builds.
///
/// Four partial sums of eight lanes (lane l of sum s takes the entries
/// i ≡ 8s + l mod 32), each product rounded and then added (no fused
/// multiply-add: the same operations on every instruction set, and quick on
/// the baseline, which has none); then the sums pairwise ((0 + 1) + (2 + 3)),
/// the remaining whole groups of eight into that, the lanes by halving, and
/// the last `count mod 8` entries in order. A fixed order, so every
/// instruction set computes the same bits; four independent sums keep the
/// additions' latency off the critical path.
public enum DotKernel {
    public typealias V = SIMD8<Double>

    @inlinable @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inlinable @inline(__always)
    public static func dot<I: InstructionSetTag>(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>,
                                                 count: Int, tag _: I.Type) -> Double {
        finishRuns(V(), V(), V(), V(), x, y, from: 0, count: count)
    }

    /// Four inner products at once: lane r is
    /// `dot(x + r·xStride, y + r·yStride, count: count + r·countStep)`, with
    /// the same bits (each one's operations are those of ``dot(_:_:count:tag:)``,
    /// in the same order). Their runs of 32 entries are interleaved, so that
    /// rows or columns read by several of them (a shared `y`, or the same
    /// row of a factor from four offsets) come from memory once, not four
    /// times. Every count must be non-negative. Sixteen partial sums of
    /// eight lanes need AVX-512's 32 registers: `interleaved` false (AVX2,
    /// SSE2) computes the four one after another instead.
    @inlinable @inline(__always)
    public static func dots4<I: InstructionSetTag>(_ x: UnsafePointer<Double>, xStride: Int,
                                                   _ y: UnsafePointer<Double>, yStride: Int,
                                                   count: Int, countStep: Int, interleaved: Bool,
                                                   tag: I.Type) -> SIMD4<Double> {
        let x1 = x + xStride, x2 = x1 + xStride, x3 = x2 + xStride
        let y1 = y + yStride, y2 = y1 + yStride, y3 = y2 + yStride
        let c1 = count &+ countStep, c2 = c1 &+ countStep, c3 = c2 &+ countStep
        guard interleaved else {
            return SIMD4(dot(x, y, count: count, tag: tag), dot(x1, y1, count: c1, tag: tag),
                         dot(x2, y2, count: c2, tag: tag), dot(x3, y3, count: c3, tag: tag))
        }
        var a0 = V(), a1 = V(), a2 = V(), a3 = V()
        var b0 = V(), b1 = V(), b2 = V(), b3 = V()
        var c0s = V(), c1s = V(), c2s = V(), c3s = V()
        var d0 = V(), d1 = V(), d2 = V(), d3 = V()
        let shortest = Swift.min(Swift.min(count, c1), Swift.min(c2, c3))
        var i = 0
        while i &+ 32 <= shortest {
            a0 = a0 + load(x + i) * load(y + i)
            b0 = b0 + load(x1 + i) * load(y1 + i)
            c0s = c0s + load(x2 + i) * load(y2 + i)
            d0 = d0 + load(x3 + i) * load(y3 + i)
            a1 = a1 + load(x + (i &+ 8)) * load(y + (i &+ 8))
            b1 = b1 + load(x1 + (i &+ 8)) * load(y1 + (i &+ 8))
            c1s = c1s + load(x2 + (i &+ 8)) * load(y2 + (i &+ 8))
            d1 = d1 + load(x3 + (i &+ 8)) * load(y3 + (i &+ 8))
            a2 = a2 + load(x + (i &+ 16)) * load(y + (i &+ 16))
            b2 = b2 + load(x1 + (i &+ 16)) * load(y1 + (i &+ 16))
            c2s = c2s + load(x2 + (i &+ 16)) * load(y2 + (i &+ 16))
            d2 = d2 + load(x3 + (i &+ 16)) * load(y3 + (i &+ 16))
            a3 = a3 + load(x + (i &+ 24)) * load(y + (i &+ 24))
            b3 = b3 + load(x1 + (i &+ 24)) * load(y1 + (i &+ 24))
            c3s = c3s + load(x2 + (i &+ 24)) * load(y2 + (i &+ 24))
            d3 = d3 + load(x3 + (i &+ 24)) * load(y3 + (i &+ 24))
            i &+= 32
        }
        return SIMD4(finishRuns(a0, a1, a2, a3, x, y, from: i, count: count),
                     finishRuns(b0, b1, b2, b3, x1, y1, from: i, count: c1),
                     finishRuns(c0s, c1s, c2s, c3s, x2, y2, from: i, count: c2),
                     finishRuns(d0, d1, d2, d3, x3, y3, from: i, count: c3))
    }

    /// ``dot(_:_:count:tag:)`` from entry `start` (a multiple of 32) on, its
    /// four partial sums so far `s0 … s3`: the remaining runs of 32, then
    /// ``finish(_:_:_:_:_:_:from:count:)``.
    @inlinable @inline(__always)
    static func finishRuns(_ s0: V, _ s1: V, _ s2: V, _ s3: V, _ x: UnsafePointer<Double>,
                           _ y: UnsafePointer<Double>, from start: Int, count: Int) -> Double {
        var s0 = s0, s1 = s1, s2 = s2, s3 = s3
        var i = start
        while i &+ 32 <= count {
            s0 = s0 + load(x + i) * load(y + i)
            s1 = s1 + load(x + (i &+ 8)) * load(y + (i &+ 8))
            s2 = s2 + load(x + (i &+ 16)) * load(y + (i &+ 16))
            s3 = s3 + load(x + (i &+ 24)) * load(y + (i &+ 24))
            i &+= 32
        }
        return finish(s0, s1, s2, s3, x, y, from: i, count: count)
    }

    /// ``dot(_:_:count:tag:)`` after its runs of 32 (the four partial sums
    /// `s0 … s3`, `i` the first entry left): the pairwise sum, the whole
    /// groups of eight, the lanes, the last entries.
    @inlinable @inline(__always)
    static func finish(_ s0: V, _ s1: V, _ s2: V, _ s3: V, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>,
                       from start: Int, count: Int) -> Double {
        var acc = (s0 + s1) + (s2 + s3)
        var i = start
        while i &+ 8 <= count {
            acc = acc + load(x + i) * load(y + i)
            i &+= 8
        }
        var tail = 0.0
        while i < count {
            tail += x[i] * y[i]
            i &+= 1
        }
        let half = acc.lowHalf + acc.highHalf
        let quarter = half.lowHalf + half.highHalf
        return (quarter[0] + quarter[1]) + tail
    }
}
