/// Appends little-endian fixed-width values to a growing byte array.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }

    mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func i64(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }

    mutating func f64(_ v: Double) { u64(v.bitPattern) }

    mutating func f64s(_ values: [Double]) {
        for v in values { f64(v) }
    }

    mutating func raw(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    /// Overwrites 8 bytes at `offset` with `v`.
    mutating func patchU64(at offset: Int, _ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { source in
            for i in 0..<8 { bytes[offset + i] = source[i] }
        }
    }
}
