/// Exact scaling by powers of two: the column scaling of the exact solver.
///
/// Multiplying by 2^e changes only the exponent of a `Double`, so it is
/// exact (unless the result leaves the normal range) and commutes with every
/// rounding: a Householder QR of A·D, D a diagonal of powers of two, gives
/// exactly R·D. Scaling columns this way costs no accuracy and keeps squares
/// and sums of squares far from overflow and underflow.
enum PowerOfTwo {
    /// `x · 2^exponent`, for any `Int` exponent (saturating to 0 or ±∞ when
    /// the result is out of range; never traps).
    @inline(__always)
    static func scale(_ x: Double, by exponent: Int) -> Double {
        if exponent == 0 || x == 0 || !x.isFinite { return x }
        if exponent >= -1000 && exponent <= 1000 {
            return x * Double(sign: .plus, exponent: exponent, significand: 1)
        }
        // Double(sign:exponent:significand:) computes significand · 2^exponent
        // (scalbn), clamping very large exponents itself.
        let clamped = Swift.max(-4000, Swift.min(4000, exponent))
        return Double(sign: .plus, exponent: clamped, significand: x)
    }

    /// 2^exponent as a `Double` (0 or +∞ out of range).
    @inline(__always)
    static func value(_ exponent: Int) -> Double {
        scale(1, by: exponent)
    }

    /// The binary exponent e of a finite non-zero x, with 2^e ≤ |x| < 2^(e+1)
    /// (`Double.exponent`); `nil` for zero and non-finite values.
    @inline(__always)
    static func exponent(of x: Double) -> Int? {
        if x == 0 || !x.isFinite { return nil }
        return Int(x.exponent)
    }
}
