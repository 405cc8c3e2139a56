/// The slot of every cluster label seen so far: an open-addressing hash
/// table (linear probing, at most half full) from a label pair to its slot
/// number, the lookup a cluster-robust pass makes once per row. A plain
/// `Dictionary` hashes each key with SipHash (tens of nanoseconds); labels
/// are integers chosen by the user, not by an adversary of this process, so a
/// multiplicative mix suffices and keeps the lookup to a few nanoseconds.
/// Small non-negative one-way labels (codes 0 ..< ``directLimit``, what
/// `pandas.factorize` and `numpy.unique` give) skip the hash: a direct table.
struct ClusterIndex: Sendable {
    static let directLimit: Int64 = 1 << 16
    /// Slot + 1 of label (l, 0) at [l], or 0; grown on demand.
    private var direct: [Int32] = []
    private var firsts: [Int64] = []
    private var seconds: [Int64] = []
    /// Slot + 1, or 0 for an empty bucket.
    private var entries: [Int32] = []
    private(set) var count = 0

    init() {}

    /// The slot of `key`, or nil when it was never inserted.
    func slot(of key: CovarianceMeat.ClusterKey) -> Int? {
        if key.second == 0 && key.first >= 0 && key.first < Self.directLimit {
            let label = Int(key.first)
            return label < direct.count && direct[label] != 0 ? Int(direct[label]) &- 1 : nil
        }
        guard !entries.isEmpty else { return nil }
        let mask = entries.count &- 1
        var bucket = Self.bucket(key, mask)
        while true {
            let entry = entries[bucket]
            if entry == 0 { return nil }
            if firsts[bucket] == key.first && seconds[bucket] == key.second { return Int(entry) &- 1 }
            bucket = (bucket &+ 1) & mask
        }
    }

    /// The slot of `key`, inserting it as slot ``count`` when new; `inserted`
    /// says which.
    mutating func slot(for key: CovarianceMeat.ClusterKey) -> (slot: Int, inserted: Bool) {
        if key.second == 0 && key.first >= 0 && key.first < Self.directLimit {
            let label = Int(key.first)
            if label >= direct.count {
                var size = Swift.max(1024, direct.count)
                while size <= label { size &*= 2 }
                direct.append(contentsOf: repeatElement(0, count: size &- direct.count))
            }
            let entry = direct[label]
            if entry != 0 { return (Int(entry) &- 1, false) }
            count &+= 1
            direct[label] = Int32(truncatingIfNeeded: count)
            return (count &- 1, true)
        }
        if (count &+ 1) &* 2 > entries.count { grow() }
        let mask = entries.count &- 1
        var bucket = Self.bucket(key, mask)
        while true {
            let entry = entries[bucket]
            if entry == 0 {
                firsts[bucket] = key.first
                seconds[bucket] = key.second
                entries[bucket] = Int32(truncatingIfNeeded: count &+ 1)
                count &+= 1
                return (count &- 1, true)
            }
            if firsts[bucket] == key.first && seconds[bucket] == key.second { return (Int(entry) &- 1, false) }
            bucket = (bucket &+ 1) & mask
        }
    }

    private static func bucket(_ key: CovarianceMeat.ClusterKey, _ mask: Int) -> Int {
        var h = UInt64(bitPattern: key.first) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(bitPattern: key.second) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h) & mask
    }

    private mutating func grow() {
        let old = (firsts, seconds, entries)
        let capacity = Swift.max(16, entries.count &* 2)
        firsts = [Int64](repeating: 0, count: capacity)
        seconds = [Int64](repeating: 0, count: capacity)
        entries = [Int32](repeating: 0, count: capacity)
        let mask = capacity &- 1
        for b in 0 ..< old.2.count where old.2[b] != 0 {
            var bucket = Self.bucket(.init(first: old.0[b], second: old.1[b]), mask)
            while entries[bucket] != 0 { bucket = (bucket &+ 1) & mask }
            firsts[bucket] = old.0[b]
            seconds[bucket] = old.1[b]
            entries[bucket] = old.2[b]
        }
    }
}
