/// The row loops of the double-double Householder reduction
/// (`StackedHouseholder` in LinReg): a column's squared norm, a dot product
/// of two columns and the update w ← w − t·v, over the b rows of a block,
/// with every value a double-double (high and low planes) and every product
/// exact, eight rows at a time in the lanes of a `SIMD8<Double>`.
///
/// **Exact products.** a·b = p + e exactly, p = fl(a·b): e is a fused
/// multiply-add fma(a, b, −p) where the instruction set has one (AVX2,
/// AVX-512: `fused`), else Dekker's split product (the baseline). Both give
/// the exact e (the data are scaled within 2^±400, so nothing underflows),
/// so the choice changes no bit.
///
/// **Sums.** Lane l of the compensated sums takes the rows i ≡ l (mod 8),
/// each step the Dot2 scheme of Ogita, Rump and Oishi (a two-sum of the
/// products' high parts, their errors added to a second plane); the lanes
/// are then combined in lane order. The last rows of a block (b mod 8) are
/// gathered into a vector padded with zeros, which add nothing. So every
/// instruction set computes the same bits; only the speed differs.
public enum DoubleDoubleKernel {
    public typealias V = SIMD8<Double>

    @inlinable @inline(__always)
    static func twoProduct(_ a: V, _ b: V, fused: Bool) -> (V, V) {
        let p = a * b
        if fused { return (p, (-p).addingProduct(a, b)) }
        let c = V(repeating: 134_217_729)  // 2^27 + 1
        let ta = c * a, tb = c * b
        let ah = ta - (ta - a), bh = tb - (tb - b)
        let al = a - ah, bl = b - bh
        return (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
    }

    /// Eight values from `p` (rows i ..< i + count, count ≤ 8), zero padded.
    @inlinable @inline(__always)
    static func gather(_ p: UnsafePointer<Double>, _ count: Int) -> V {
        if count == 8 { return UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        var v = V()
        var l = 0
        while l < count { v[l] = p[l]; l &+= 1 }
        return v
    }

    /// (hi, lo) of Σ over the lanes of (sum, error), in lane order.
    @inlinable @inline(__always)
    static func combine(_ sum: V, _ error: V) -> (Double, Double) {
        var hi = 0.0, lo = 0.0
        var l = 0
        while l < 8 {
            let s = hi + sum[l]
            let bb = s - hi
            lo += ((hi - (s - bb)) + (sum[l] - bb)) + error[l]
            hi = s
            l &+= 1
        }
        let s = hi + lo
        return (s, lo - (s - hi))
    }

    /// Σ v² over b rows, v = vh + vl (the vl² term below the result's precision dropped).
    @inlinable @inline(__always)
    public static func squaredNorm<I: InstructionSetTag>(_ vh: UnsafePointer<Double>, _ vl: UnsafePointer<Double>,
                                                         rows b: Int, fused: Bool, tag _: I.Type) -> (Double, Double) {
        var sum = V(), error = V()
        var i = 0
        while i < b {
            let count = Swift.min(8, b &- i)
            let x = gather(vh + i, count), xl = gather(vl + i, count)
            let (p, e) = twoProduct(x, x, fused: fused)
            let (s, q) = twoSum(sum, p)
            sum = s
            error = error + (q + (e + V(repeating: 2) * x * xl))
            i &+= 8
        }
        return combine(sum, error)
    }

    /// Σ v·w over b rows, both double-doubles.
    @inlinable @inline(__always)
    public static func dot<I: InstructionSetTag>(_ vh: UnsafePointer<Double>, _ vl: UnsafePointer<Double>,
                                                 _ wh: UnsafePointer<Double>, _ wl: UnsafePointer<Double>,
                                                 rows b: Int, fused: Bool, tag _: I.Type) -> (Double, Double) {
        var sum = V(), error = V()
        var i = 0
        while i < b {
            let count = Swift.min(8, b &- i)
            let v = gather(vh + i, count), w = gather(wh + i, count)
            let (p, e) = twoProduct(v, w, fused: fused)
            let c = e + (v * gather(wl + i, count) + gather(vl + i, count) * w)
            let (s, q) = twoSum(sum, p)
            sum = s
            error = error + (q + c)
            i &+= 8
        }
        return combine(sum, error)
    }

    /// w ← w − t·v over b rows (t = th + tl), double-double.
    @inlinable @inline(__always)
    public static func subtractMultiple<I: InstructionSetTag>(
        _ th: Double, _ tl: Double, _ vh: UnsafePointer<Double>, _ vl: UnsafePointer<Double>,
        _ wh: UnsafeMutablePointer<Double>, _ wl: UnsafeMutablePointer<Double>, rows b: Int, fused: Bool,
        tag _: I.Type
    ) {
        let tHi = V(repeating: th), tLo = V(repeating: tl)
        var i = 0
        while i < b {
            let count = Swift.min(8, b &- i)
            let v = gather(vh + i, count)
            let (p, e) = twoProduct(tHi, v, fused: fused)
            let c = e + (tHi * gather(vl + i, count) + tLo * v)
            // (wh + wl) − (p + c)
            let (s, q) = twoSum(gather(wh + i, count), -p)
            let low = q + (gather(wl + i, count) - c)
            let h = s + low
            let l = low - (h - s)
            if count == 8 {
                UnsafeMutableRawPointer(wh + i).storeBytes(of: h, as: V.self)
                UnsafeMutableRawPointer(wl + i).storeBytes(of: l, as: V.self)
            } else {
                var lane = 0
                while lane < count { wh[i &+ lane] = h[lane]; wl[i &+ lane] = l[lane]; lane &+= 1 }
            }
            i &+= 8
        }
    }
}
