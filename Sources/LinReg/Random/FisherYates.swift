extension SplitMix64 {
    /// Shuffles `indices` in place with the Fisher–Yates algorithm, drawing
    /// from this generator:
    ///
    ///     for i in count-1 down to 1:
    ///         j = next(below: i + 1)      // uniform in 0 ... i
    ///         swap(indices[i], indices[j])
    ///
    /// Exactly `count - 1` bounded draws are made (each may consume more than
    /// one `next()` when Lemire's method rejects), so the order produced is a
    /// fixed function of the generator state, the same on every platform.
    public mutating func shuffle(_ indices: UnsafeMutableBufferPointer<Int>) {
        guard let base = indices.baseAddress, indices.count > 1 else { return }
        var i = indices.count - 1
        while i > 0 {
            let j = Int(truncatingIfNeeded: next(below: UInt64(truncatingIfNeeded: i + 1)))
            let held = base[i]
            base[i] = base[j]
            base[j] = held
            i -= 1
        }
    }
}
