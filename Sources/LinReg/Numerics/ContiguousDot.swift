/// Σ x[i]·y[i] over `count` contiguous doubles, in eight partial sums (lane
/// l takes the entries i ≡ l mod 8) combined by halving, then the tail: a
/// fixed order, so the same inputs give the same bits on every machine.
/// The bidiagonalization's inner products use it (the condition estimate
/// and the rank bound use the dispatched `DotKernel`).
@inline(__always)
func contiguousDot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ count: Int) -> Double {
    var acc = SIMD8<Double>()
    var i = 0
    while i &+ 8 <= count {
        acc = acc + UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Double>.self)
            * UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Double>.self)
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
