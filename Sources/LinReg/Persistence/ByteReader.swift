/// Reads little-endian fixed-width values from untrusted bytes. Every read
/// is bounds-checked and fails with `EngineError.format`; counts read from
/// the data are checked against the bytes that remain before anything is
/// allocated, so a hostile size field cannot cause a large allocation.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int = 0
    /// What is being read, for messages.
    let context: String

    init(_ bytes: UnsafeRawBufferPointer, context: String) {
        self.bytes = bytes
        self.context = context
    }

    var remaining: Int { bytes.count - offset }

    private func fail(_ what: String) -> EngineError {
        .format("\(context): \(what) at byte \(offset)")
    }

    mutating func take(_ count: Int, _ what: String) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw fail("truncated \(what) (needs \(count) bytes, \(remaining) left)")
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return slice
    }

    mutating func u8(_ what: String) throws -> UInt8 {
        try take(1, what)[0]
    }

    mutating func u32(_ what: String) throws -> UInt32 {
        let s = try take(4, what)
        var v: UInt32 = 0
        for i in (0..<4).reversed() { v = v << 8 | UInt32(s[i]) }
        return v
    }

    mutating func u64(_ what: String) throws -> UInt64 {
        let s = try take(8, what)
        var v: UInt64 = 0
        for i in (0..<8).reversed() { v = v << 8 | UInt64(s[i]) }
        return v
    }

    /// A signed count in `range`.
    mutating func count(_ what: String, in range: ClosedRange<Int>) throws -> Int {
        let raw = Int64(bitPattern: try u64(what))
        guard raw >= Int64(range.lowerBound), raw <= Int64(range.upperBound) else {
            throw fail("\(what) = \(raw) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(raw)
    }

    mutating func f64(_ what: String) throws -> Double {
        Double(bitPattern: try u64(what))
    }

    /// `count` doubles, after checking that the bytes are there.
    mutating func f64s(_ count: Int, _ what: String) throws -> [Double] {
        guard count >= 0, let bytesNeeded = MemoryReservation.product(count, 8), bytesNeeded <= remaining else {
            throw fail("truncated \(what) (\(count) values, \(remaining) bytes left)")
        }
        var values: [Double] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try f64(what)) }
        return values
    }

    /// Fails unless every byte was consumed.
    func expectEnd() throws {
        guard remaining == 0 else { throw fail("\(remaining) unexpected trailing bytes") }
    }
}
