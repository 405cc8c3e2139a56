/// A double-double number: the unevaluated sum `hi + lo` of two `Double`s
/// with `|lo| ≤ ulp(hi)/2`, carrying about 106 significant bits (unit
/// round-off u² ≈ 1.2e-32 for the exact operations below).
///
/// The arithmetic uses only IEEE additions and multiplications (Dekker's
/// splitting for exact products, Knuth's two-sum for exact sums), never a
/// fused multiply-add, so it is portable, needs no special CPU feature and
/// gives bit-identical results on every platform with IEEE `Double`.
///
/// Additions use the cheap ("sloppy") double-double sum: its error is at most
/// a few u² times `|a| + |b|`, i.e. it is as good as a sum in a 106-bit format
/// in the absolute sense that backward-stable algorithms need (Householder
/// reflections, dot products, triangular solves). Values must stay below
/// about 2⁹⁹⁶ in magnitude (Dekker's split overflows above that); callers
/// scale their data by powers of two first.
///
/// References: T. J. Dekker, "A floating-point technique for extending the
/// available precision" (1971); Y. Hida, X. S. Li, D. H. Bailey, "Library for
/// double-double and quad-double arithmetic" (2007).
struct DoubleDouble: Sendable, Equatable {
    var hi: Double
    var lo: Double

    @inline(__always)
    init(_ hi: Double, _ lo: Double) {
        self.hi = hi
        self.lo = lo
    }

    @inline(__always)
    init(_ value: Double) {
        hi = value
        lo = 0
    }

    static let zero = DoubleDouble(0, 0)
    static let one = DoubleDouble(1, 0)

    /// The nearest `Double` to the value.
    @inline(__always)
    var value: Double { hi + lo }

    @inline(__always)
    var isZero: Bool { hi == 0 }

    // MARK: Error-free transformations

    /// `a + b` exactly as `s + e` (Knuth's two-sum; no ordering needed).
    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> (s: Double, e: Double) {
        let s = a + b
        let bb = s - a
        let e = (a - (s - bb)) + (b - bb)
        return (s, e)
    }

    /// `a + b` exactly as `s + e`, assuming `|a| ≥ |b|` (or a == 0).
    @inline(__always)
    static func quickTwoSum(_ a: Double, _ b: Double) -> (s: Double, e: Double) {
        let s = a + b
        let e = b - (s - a)
        return (s, e)
    }

    /// Dekker's split: `a = h + l` with h and l of at most 26 significant bits.
    @inline(__always)
    static func split(_ a: Double) -> (h: Double, l: Double) {
        let c = 134_217_729.0 * a  // 2²⁷ + 1
        let h = c - (c - a)
        return (h, a - h)
    }

    /// `a · b` exactly as `p + e` (Dekker's two-product).
    @inline(__always)
    static func twoProduct(_ a: Double, _ b: Double) -> (p: Double, e: Double) {
        let p = a * b
        let (ah, al) = split(a)
        let (bh, bl) = split(b)
        let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
        return (p, e)
    }

    /// `a · b` exactly as `p + e`, with both factors already split.
    @inline(__always)
    static func twoProduct(_ a: Double, _ ah: Double, _ al: Double,
                           _ b: Double, _ bh: Double, _ bl: Double) -> (p: Double, e: Double) {
        let p = a * b
        let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
        return (p, e)
    }

    // MARK: Arithmetic

    @inline(__always)
    static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let (s, e) = twoSum(a.hi, b.hi)
        let (h, l) = quickTwoSum(s, e + (a.lo + b.lo))
        return DoubleDouble(h, l)
    }

    @inline(__always)
    static func + (a: DoubleDouble, b: Double) -> DoubleDouble {
        let (s, e) = twoSum(a.hi, b)
        let (h, l) = quickTwoSum(s, e + a.lo)
        return DoubleDouble(h, l)
    }

    @inline(__always)
    static prefix func - (a: DoubleDouble) -> DoubleDouble {
        DoubleDouble(-a.hi, -a.lo)
    }

    @inline(__always)
    static func - (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        a + (-b)
    }

    @inline(__always)
    static func += (a: inout DoubleDouble, b: DoubleDouble) { a = a + b }

    @inline(__always)
    static func -= (a: inout DoubleDouble, b: DoubleDouble) { a = a + (-b) }

    @inline(__always)
    static func += (a: inout DoubleDouble, b: Double) { a = a + b }

    @inline(__always)
    static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let (p, e) = twoProduct(a.hi, b.hi)
        let (h, l) = quickTwoSum(p, e + (a.hi * b.lo + a.lo * b.hi))
        return DoubleDouble(h, l)
    }

    @inline(__always)
    static func * (a: DoubleDouble, b: Double) -> DoubleDouble {
        let (p, e) = twoProduct(a.hi, b)
        let (h, l) = quickTwoSum(p, e + a.lo * b)
        return DoubleDouble(h, l)
    }

    /// `a / b` (b ≠ 0), correct to about u².
    static func / (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let q1 = a.hi / b.hi
        let r1 = a - b * q1
        let q2 = r1.hi / b.hi
        let r2 = r1 - b * q2
        let q3 = r2.hi / b.hi
        let (h, l) = quickTwoSum(q1, q2)
        return DoubleDouble(h, l) + q3
    }

    /// The square root of a non-negative value (0 for 0).
    func squareRoot() -> DoubleDouble {
        if hi <= 0 { return .zero }
        let s = hi.squareRoot()
        // One Newton step on the exact residual: √a ≈ s + (a − s²) / (2s).
        let (p, e) = DoubleDouble.twoProduct(s, s)
        let residual = (self - DoubleDouble(p, e)).hi
        let (h, l) = DoubleDouble.quickTwoSum(s, residual / (2 * s))
        return DoubleDouble(h, l)
    }

    /// The square of the value.
    @inline(__always)
    var squared: DoubleDouble { self * self }

    /// The value times 2^exponent, exactly unless the result leaves the
    /// normal range of `Double`.
    func scaled(byPowerOfTwo exponent: Int) -> DoubleDouble {
        DoubleDouble(PowerOfTwo.scale(hi, by: exponent), PowerOfTwo.scale(lo, by: exponent))
    }
}
