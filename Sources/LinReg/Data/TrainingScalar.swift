/// The element types the engine accepts from callers: `Float` and `Double`.
///
/// Float input is promoted: every kernel reads elements through ``asDouble``
/// and accumulates in `Double` or wider, so the storage type never limits
/// the precision of a sum.
public protocol TrainingScalar: BinaryFloatingPoint, Sendable {
    /// The value widened (exactly) to `Double`.
    var asDouble: Double { get }
    /// The nearest representable value to `value` (round to nearest even).
    init(roundingFrom value: Double)
}

extension Float: TrainingScalar {
    @inlinable @inline(__always)
    public var asDouble: Double { Double(self) }
    @inlinable @inline(__always)
    public init(roundingFrom value: Double) { self = Float(value) }
}

extension Double: TrainingScalar {
    @inlinable @inline(__always)
    public var asDouble: Double { self }
    @inlinable @inline(__always)
    public init(roundingFrom value: Double) { self = value }
}
