/// Section 7 of the model format (version 3): the robust covariance's pass
/// (``CovarianceMeat``), so a saved model keeps its robust statistics and a
/// distributed pass can travel between processes (docs/FORMAT.md).
extension ModelArchive {
    /// Writes `meat` (the layout of docs/FORMAT.md, section 7).
    static func encode(_ meat: CovarianceMeat, into w: inout ByteWriter) {
        w.u8(UInt8(meat.kind.rawValue))
        w.u8(meat.fitIntercept ? 1 : 0)
        w.u8(meat.whitened ? 1 : 0)
        w.i64(meat.ways)
        w.i64(meat.rowCount)
        w.u64(UInt64(meat.weights.count)); w.f64s(meat.weights)
        w.u64(UInt64(meat.intercepts.count)); w.f64s(meat.intercepts)
        w.u64(UInt64(meat.hc.count)); w.f64s(meat.hc)
        w.u64(UInt64(meat.clusters.count))
        for grouping in meat.clusters {
            w.u64(UInt64(grouping.keys.count))
            for key in grouping.keys {
                w.u64(UInt64(bitPattern: key.first))
                w.u64(UInt64(bitPattern: key.second))
            }
            w.f64s(grouping.sums)
        }
    }

    /// Reads section 7 for `model` (whose exact fit and coefficients must
    /// already be known), checking every size against the model and the bytes.
    static func decodeCovariance(_ bytes: UnsafeRawBufferPointer, model: LinearModel,
                                 fitIntercept: Bool?) throws -> CovarianceMeat {
        var r = ByteReader(bytes, context: "covariance-pass section")
        guard model.exactFit != nil, let fitIntercept else {
            throw EngineError.format("covariance-pass section without an exact-fit section")
        }
        guard let kind = CovarianceMeat.Kind(rawValue: Int(try r.u8("kind"))) else {
            throw EngineError.format("covariance-pass section: unknown kind")
        }
        let intercept = try r.u8("intercept")
        let whitened = try r.u8("whitened")
        guard intercept <= 1, whitened <= 1 else { throw EngineError.format("covariance-pass section: a flag is not 0 or 1") }
        guard (intercept == 1) == fitIntercept else {
            throw EngineError.format("covariance-pass and exact-fit sections disagree on the intercept")
        }
        let ways = try r.count("n_ways", in: 0...2)
        let rows = try r.count("rows", in: 0...Int.max)
        let d = model.featureCount, k = model.outputCount, p = d + (fitIntercept ? 1 : 0)
        guard let weightCount = MemoryReservation.product(k, d), let width = MemoryReservation.product(k, p),
              let square = MemoryReservation.product(width, p), let clusterBytes = MemoryReservation.product(width, 8),
              clusterBytes < Int.max - 16 else {
            throw EngineError.format("covariance-pass section: the model's sizes overflow")
        }
        let weights = try r.f64s(try r.count("weight count", in: weightCount...weightCount), "weights")
        let intercepts = try r.f64s(try r.count("intercept count", in: k...k), "intercepts")
        let meat0 = CovarianceMeat(kind: kind, featureCount: d, outputCount: k, fitIntercept: fitIntercept,
                                   weights: weights, intercepts: intercepts, whitened: whitened == 1)
        guard meat0.isTaken(at: model.weights, model.intercepts) else {
            throw EngineError.format("covariance-pass section was taken at other coefficients than the model's")
        }
        let hcCount = kind == .cluster ? 0 : square
        let hc = try r.f64s(try r.count("HC sum count", in: hcCount...hcCount), "HC sums")
        let groupings = try r.count("grouping count", in: 0...3)
        guard kind == .cluster ? groupings == (ways == 0 ? 0 : (ways == 1 ? 1 : 3)) : (groupings == 0 && ways == 0) else {
            throw EngineError.format("covariance-pass section: \(groupings) groupings for n_ways = \(ways)")
        }
        var clusters: [CovarianceMeat.ClusterSums] = []
        for g in 0 ..< groupings {
            // Each cluster takes 16 bytes of keys and 8·width of sums: check before allocating.
            let perCluster = 16 + clusterBytes
            let count = try r.count("cluster count", in: 0...(r.remaining / max(1, perCluster)))
            var keys: [CovarianceMeat.ClusterKey] = []
            keys.reserveCapacity(count)
            for _ in 0 ..< count {
                let first = Int64(bitPattern: try r.u64("cluster label"))
                let second = Int64(bitPattern: try r.u64("cluster label"))
                keys.append(.init(first: first, second: second))
            }
            guard Set(keys).count == keys.count else {
                throw EngineError.format("covariance-pass section: grouping \(g) repeats a cluster label")
            }
            let sums = try r.f64s(count * width, "cluster sums")  // count·width·8 ≤ remaining bytes
            clusters.append(CovarianceMeat.ClusterSums(keys: keys, sums: sums))
        }
        try r.expectEnd()
        return CovarianceMeat(kind: kind, featureCount: d, outputCount: k, fitIntercept: fitIntercept,
                              weights: weights, intercepts: intercepts, whitened: whitened == 1, ways: ways,
                              rowCount: rows, hc: hc, clusters: clusters)
    }
}
