/// Exact sums and products of two doubles as double-doubles, for the
/// incomplete-beta continued fraction. The arithmetic itself is the engine's
/// one `DoubleDouble` (Numerics/DoubleDouble.swift).
extension DoubleDouble {
    /// a + b exactly.
    static func sum(_ a: Double, _ b: Double) -> DoubleDouble {
        let (s, e) = twoSum(a, b)
        return DoubleDouble(s, e)
    }

    /// a · b exactly.
    static func product(_ a: Double, _ b: Double) -> DoubleDouble {
        let (p, e) = twoProduct(a, b)
        return DoubleDouble(p, e)
    }
}
