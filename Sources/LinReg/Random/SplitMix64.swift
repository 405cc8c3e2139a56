/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014): the engine's seeded, portable random source.
///
/// The state is a `UInt64` that starts at the seed. Each call to ``next()``
/// adds the golden-ratio increment `0x9E3779B97F4A7C15` to the state
/// (wrapping) and returns the state mixed as
///
///     z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
///     z = (z ^ (z >> 27)) * 0x94D049BB133111EB
///     z ^ (z >> 31)
///
/// with 64-bit wrapping multiplication, the reference algorithm (also
/// `java.util.SplittableRandom`'s mixer). With seed 0 the first output is
/// `0xE220A8397B1DCDAF`. The sequence is fixed forever: bindings and tests
/// may reproduce it in any language.
struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    /// The current state (the last value before mixing).
    private(set) var state: UInt64

    /// A generator whose state starts at `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly distributed integer in `0 ..< bound` (`bound` ≥ 1; a bound
    /// of 0 returns 0), by Lemire's multiply-and-reject method ("Fast random
    /// integer generation in an interval", ACM TOMACS 2019):
    ///
    ///     m = next() * bound              (128-bit product)
    ///     if low64(m) < bound:
    ///         t = (2^64 - bound) mod bound
    ///         while low64(m) < t: m = next() * bound
    ///     return high64(m)
    mutating func next(below bound: UInt64) -> UInt64 {
        if bound == 0 { return 0 }
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }
}
