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
        var s0 = V(), s1 = V(), s2 = V(), s3 = V()
        var i = 0
        while i &+ 32 <= count {
            s0 = s0 + load(x + i) * load(y + i)
            s1 = s1 + load(x + (i &+ 8)) * load(y + (i &+ 8))
            s2 = s2 + load(x + (i &+ 16)) * load(y + (i &+ 16))
            s3 = s3 + load(x + (i &+ 24)) * load(y + (i &+ 24))
            i &+= 32
        }
        var acc = (s0 + s1) + (s2 + s3)
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
