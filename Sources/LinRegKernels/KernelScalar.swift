/// The element types the data-parallel kernels read from callers' buffers:
/// `Float` and `Double`, always widened (exactly) to `Double`.
///
/// The loads are written with `SIMD8` values whatever the instruction set:
/// the compiler splits them into the machine's registers (two AVX-512
/// halves, four AVX pairs, …), and since every operation is element-wise the
/// results do not depend on how they were split.
public protocol KernelScalar: BinaryFloatingPoint {
    /// Eight consecutive elements from `p`, widened.
    static func load8(_ p: UnsafePointer<Self>) -> SIMD8<Double>
    /// The first `count` (0 … 8) elements from `p`, widened; zero in the
    /// other lanes. Reads only those `count` elements.
    static func loadPartial(_ p: UnsafePointer<Self>, count: Int) -> SIMD8<Double>
    /// One element, widened.
    static func widen(_ x: Self) -> Double
    /// The nearest element to `x` (round to nearest even).
    static func narrow(_ x: Double) -> Self
    /// Stores the four values, each rounded to the nearest element, at `p`.
    static func store4(_ v: SIMD4<Double>, to p: UnsafeMutablePointer<Self>)
    /// The four values rounded to the nearest elements, widened back (±∞
    /// where they are beyond the element type's range).
    static func rounded4(_ v: SIMD4<Double>) -> SIMD4<Double>
}

extension Float: KernelScalar {
    @inlinable @inline(__always)
    public static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Double> {
        SIMD8<Double>(UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self))
    }

    @inlinable @inline(__always)
    public static func loadPartial(_ p: UnsafePointer<Float>, count: Int) -> SIMD8<Double> {
        var v = SIMD8<Double>()
        var i = 0
        while i < count {
            v[i] = Double(p[i])
            i &+= 1
        }
        return v
    }

    @inlinable @inline(__always)
    public static func widen(_ x: Float) -> Double { Double(x) }

    @inlinable @inline(__always)
    public static func narrow(_ x: Double) -> Float { Float(x) }

    @inlinable @inline(__always)
    public static func store4(_ v: SIMD4<Double>, to p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: SIMD4<Float>(v), as: SIMD4<Float>.self)
    }

    @inlinable @inline(__always)
    public static func rounded4(_ v: SIMD4<Double>) -> SIMD4<Double> {
        SIMD4<Double>(SIMD4<Float>(v))
    }
}

extension Double: KernelScalar {
    @inlinable @inline(__always)
    public static func load8(_ p: UnsafePointer<Double>) -> SIMD8<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
    }

    @inlinable @inline(__always)
    public static func loadPartial(_ p: UnsafePointer<Double>, count: Int) -> SIMD8<Double> {
        var v = SIMD8<Double>()
        var i = 0
        while i < count {
            v[i] = p[i]
            i &+= 1
        }
        return v
    }

    @inlinable @inline(__always)
    public static func widen(_ x: Double) -> Double { x }

    @inlinable @inline(__always)
    public static func narrow(_ x: Double) -> Double { x }

    @inlinable @inline(__always)
    public static func store4(_ v: SIMD4<Double>, to p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
    }

    @inlinable @inline(__always)
    public static func rounded4(_ v: SIMD4<Double>) -> SIMD4<Double> { v }
}

/// The instruction set a module compiles the generic kernels for.
///
/// Every generic kernel function takes a tag type, and each kernel module
/// (`BaselineTag`, `AVX2Tag`, `AVX512Tag`, each defined in its module) passes its own: a
/// specialisation's symbol name then names the module it was compiled in.
/// Without that, the three modules would each emit, say, `widen<Float>` under
/// one weak symbol, the linker would keep one of them for all three callers,
/// and the baseline path could end up running AVX-512 code.
/// `scripts/check-kernel-isa.sh` checks the linked library for such leaks.
public protocol InstructionSetTag {}

/// Unaligned vector loads and stores of doubles.
@inlinable @inline(__always)
func load<V: SIMD, I: InstructionSetTag>(_ p: UnsafePointer<Double>, as _: V.Type, _: I.Type) -> V
    where V.Scalar == Double {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
}

@inlinable @inline(__always)
func load8(_ p: UnsafePointer<Double>) -> SIMD8<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Double>.self)
}

@inlinable @inline(__always)
func store<V: SIMD, I: InstructionSetTag>(_ v: V, _ p: UnsafeMutablePointer<Double>, _: I.Type)
    where V.Scalar == Double {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
}

@inlinable @inline(__always)
func store(_ v: SIMD8<Double>, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Double>.self)
}

/// The sum of the eight lanes in a fixed order, the same on every
/// instruction set: halving, ((l0+l4) + (l2+l6)) + ((l1+l5) + (l3+l7)).
@inlinable @inline(__always)
func laneSum(_ v: SIMD8<Double>) -> Double {
    let half = v.lowHalf + v.highHalf
    let quarter = half.lowHalf + half.highHalf
    return quarter[0] + quarter[1]
}

/// Knuth's two-sum, lane by lane: s = fl(a + b) and the exact error
/// (a + b) − s, from plain additions (the same bits on every instruction set).
@inlinable @inline(__always)
func twoSum<V: SIMD>(_ a: V, _ b: V) -> (V, V) where V.Scalar == Double {
    let s = a + b
    let bb = s - a
    return (s, (a - (s - bb)) + (b - bb))
}

/// Knuth's two-sum of two doubles.
@inlinable @inline(__always)
func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
    let s = a + b
    let bb = s - a
    return (s, (a - (s - bb)) + (b - bb))
}
