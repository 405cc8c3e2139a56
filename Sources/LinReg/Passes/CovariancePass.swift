/// The robust covariance's pass over the data: the residuals of fixed
/// coefficients, row by row, turned into the sums a ``CovarianceMeat``
/// keeps (squared scores weighted by leverage for HC0–HC3, per-cluster score
/// sums for cluster-robust covariances). See docs/INFERENCE.md.
///
/// Rows are cut into fixed chunks of ``chunkRows`` computed by `threads`
/// workers, each into its own slot, and the slots are added to the meat in
/// chunk order: the same bits for every thread count. Memory: one slot per
/// chunk of a round (k·p² doubles, or the chunk's clusters), not O(n).
///
/// Nothing is validated per value in the hot loop: a NaN or infinity in X or
/// Y makes the chunk's finiteness flag false, and only then is the data
/// scanned to name the culprit (InputValidation).
enum CovariancePass {
    static let chunkRows = 4096
    /// Chunks computed per round (bounds the slots held at once).
    static let roundChunks = 64

    /// Adds the rows of X, Y (weights `sampleWeight`, cluster labels
    /// `groups`: `ways` labels per row, row-major) to `meat`, whose
    /// coefficients give the residuals. `unscaledCovariance` is (XᵀWX)⁺ of
    /// the fit (p × p), for the leverages of HC2/HC3; `factor` is F = R⁻¹
    /// (p × p), required when the meat is `whitened`, whose HC sums are then
    /// taken in the coordinates z = Fᵀx̃ (leverage w‖z‖²). On error `meat` is unchanged.
    static func add<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, groups: UnsafePointer<Int64>?,
        ways: Int, unscaledCovariance: [Double], factor: [Double]?, into meat: inout CovarianceMeat, threads: Int
    ) throws {
        var updated = meat
        if updated.kind == .cluster {
            guard let _ = groups, ways == 1 || ways == 2 else {
                throw EngineError.argument("cov_type cluster needs groups (one or two labels per row, n_ways 1 or 2)")
            }
            try updated.setWays(ways)
        } else {
            guard groups == nil, ways == 0 else {
                throw EngineError.argument("groups are for cov_type cluster only; this pass is for \(updated.kind) (give groups NULL and n_ways 0)")
            }
        }
        let (rows, overflow) = updated.rowCount.addingReportingOverflow(X.rows)
        guard !overflow else { throw EngineError.argument("the covariance pass's row count overflows") }
        let p = updated.parameterCount
        guard unscaledCovariance.count == p * p else {
            throw EngineError.internal("covariance pass: (XᵀWX)⁺ has \(unscaledCovariance.count) entries for p = \(p)")
        }
        var bread = unscaledCovariance
        if updated.whitened {
            guard let factor, factor.count == p * p else {
                throw EngineError.internal("covariance pass: a whitened pass needs the design's inverse factor")
            }
            bread = factor
        }
        let job = Job(groups: groups, ways: ways, covariance: bread, meat: updated, threads: threads)
        guard let result = try job.specialized(X, Y, sampleWeight) else {
            try InputValidation.checkFiniteValues(X: X, Y: Y)
            throw EngineError.internal("covariance pass: a sum is not finite but X and Y are")
        }
        updated = result
        updated.rowCount = rows
        meat = updated
    }

    private struct Job: SpecializedJob {
        let groups: UnsafePointer<Int64>?
        let ways: Int
        let covariance: [Double]
        let meat: CovarianceMeat
        let threads: Int
        func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>, _ w: VectorView<F>?) throws
            -> CovarianceMeat? {
            CovariancePass.run(X, Y, w, groups, ways, covariance, meat, threads)
        }
    }

    /// The pass; nil when X or Y holds a non-finite value.
    fileprivate static func run<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ groups: UnsafePointer<Int64>?,
        _ ways: Int, _ covariance: [Double], _ start: CovarianceMeat, _ threads: Int
    ) -> CovarianceMeat? {
        var meat = start
        let n = X.rows, d = X.columns, k = Y.columns, p = meat.parameterCount
        let isCluster = meat.kind == .cluster
        let hcSlot = isCluster ? 0 : k &* p &* p
        let chunks = n == 0 ? 0 : (n &- 1) / chunkRows &+ 1
        var first = 0
        while first < chunks {
            let round = min(roundChunks, chunks &- first)
            let roundStart = first
            var hcSums = [Double](repeating: 0, count: round &* hcSlot)
            // One slot per chunk, each written by one worker only.
            let clusterSlots = UnsafeMutablePointer<[CovarianceMeat.ClusterSums]>.allocate(capacity: round)
            clusterSlots.initialize(repeating: [], count: round)
            defer { clusterSlots.deinitialize(count: round); clusterSlots.deallocate() }
            let finiteSlots = UnsafeMutablePointer<Bool>.allocate(capacity: round)
            finiteSlots.initialize(repeating: true, count: round)
            defer { finiteSlots.deallocate() }
            let groupings = meat.clusters.count
            hcSums.withUnsafeMutableBufferPointer { hcBuffer in
                let workers = WorkerThreads.count(requested: threads, pieces: round)
                WorkerThreads.forEach(items: round, workers: workers) { _, item in
                    let chunk = roundStart &+ item
                    let rows = (chunk &* chunkRows) ..< min(n, (chunk &+ 1) &* chunkRows)
                    var local = (0 ..< groupings).map { _ in CovarianceMeat.ClusterSums() }
                    finiteSlots[item] = accumulate(
                        X, Y, sampleWeight, groups, ways, covariance, meat, rows,
                        hc: hcSlot == 0 ? nil : hcBuffer.baseAddress.map { $0 + item &* hcSlot }, clusters: &local)
                    clusterSlots[item] = local
                }
            }
            if (0 ..< round).contains(where: { !finiteSlots[$0] }) { return nil }
            // Chunk order: the same bits for every thread count.
            for item in 0 ..< round {
                for i in 0 ..< hcSlot { meat.hc[i] += hcSums[item &* hcSlot &+ i] }
                for g in 0 ..< groupings { meat.clusters[g].add(clusterSlots[item][g], width: k &* p) }
            }
            first &+= round
        }
        if !isCluster {
            for j in 0 ..< k {
                let block = j &* p &* p
                for a in 0 ..< p {
                    for b in 0 ..< a { meat.hc[block &+ a &* p &+ b] = meat.hc[block &+ b &* p &+ a] }
                }
            }
        }
        _ = d
        return meat
    }

    /// One chunk: the upper triangles of the HC sums into `hc` (zeroed
    /// here), or the chunk's cluster sums into `clusters`. False when a value
    /// of X or Y is not finite.
    private static func accumulate<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ groups: UnsafePointer<Int64>?,
        _ ways: Int, _ covariance: [Double], _ meat: CovarianceMeat, _ rows: Range<Int>,
        hc: UnsafeMutablePointer<Double>?, clusters: inout [CovarianceMeat.ClusterSums]
    ) -> Bool {
        let d = X.columns, k = Y.columns, p = meat.parameterCount
        let power = meat.kind.leveragePower
        let isCluster = meat.kind == .cluster
        let whitened = meat.whitened
        let x = UnsafeMutablePointer<Double>.allocate(capacity: max(1, p))
        let score = UnsafeMutablePointer<Double>.allocate(capacity: max(1, k &* p))
        let factor = UnsafeMutablePointer<Double>.allocate(capacity: max(1, k))
        defer {
            x.deallocate()
            score.deallocate()
            factor.deallocate()
        }
        if let hc { hc.initialize(repeating: 0, count: k &* p &* p) }
        var finite = true
        meat.weights.withUnsafeBufferPointer { wb in
            meat.intercepts.withUnsafeBufferPointer { bb in
                covariance.withUnsafeBufferPointer { vb in
                    guard let beta = wb.baseAddress, let intercept = bb.baseAddress,
                          let v = vb.baseAddress else { return }
                    for i in rows {
                        let xr = X.rowPointer(i), yr = Y.rowPointer(i)
                        var rowCheck = 0.0
                        for c in 0 ..< d {
                            x[c] = xr[c].asDouble
                            rowCheck += x[c] * 0
                        }
                        if p > d { x[d] = 1 }
                        let weight = sampleWeight.map { $0[i].asDouble } ?? 1
                        // Residuals times the weight: wᵢeᵢⱼ (the score's scalar).
                        for j in 0 ..< k {
                            let b = beta + j &* d
                            var s = 0.0
                            for c in 0 ..< d { s += b[c] * x[c] }
                            let y = yr[j].asDouble
                            rowCheck += y * 0
                            factor[j] = weight * ((y - intercept[j]) - s)
                        }
                        guard rowCheck == 0 else { finite = false; return }
                        // Whitened: z = Fᵀx̃ replaces x̃ (into x), h = ‖z‖².
                        var squaredNorm = 0.0
                        if whitened {
                            for l in 0 ..< p {
                                var s = 0.0
                                for a in 0 ..< p { s += v[a &* p &+ l] * x[a] }
                                score[l] = s
                                squaredNorm += s * s
                            }
                            for l in 0 ..< p { x[l] = score[l] }
                        }
                        if isCluster {
                            for j in 0 ..< k {
                                for c in 0 ..< p { score[j &* p &+ c] = factor[j] * x[c] }
                            }
                            let g = groups! + i &* ways
                            if ways == 1 {
                                clusters[0].add(.init(first: g[0], second: 0), score, width: k &* p)
                            } else {
                                clusters[0].add(.init(first: g[0], second: 0), score, width: k &* p)
                                clusters[1].add(.init(first: g[1], second: 0), score, width: k &* p)
                                clusters[2].add(.init(first: g[0], second: g[1]), score, width: k &* p)
                            }
                            continue
                        }
                        guard let hc else { continue }
                        var divisor = 1.0
                        if whitened {
                            // Leverage hᵢ = wᵢ‖z‖².
                            if power > 0 {
                                let complement = 1 - weight * squaredNorm
                                divisor = power == 1 ? complement : complement * complement
                            }
                        } else if power > 0 {
                            // Leverage hᵢ = wᵢ·x̃ᵀVx̃ (HC2, HC3 only).
                            var h = 0.0
                            for a in 0 ..< p {
                                var row = 0.0
                                let va = v + a &* p
                                for b in 0 ..< p { row += va[b] * x[b] }
                                h += x[a] * row
                            }
                            let complement = 1 - weight * h
                            divisor = power == 1 ? complement : complement * complement
                        }
                        for j in 0 ..< k {
                            let scale = factor[j] * factor[j] / divisor
                            if scale == 0 { continue }
                            let block = hc + j &* p &* p
                            for a in 0 ..< p {
                                let sa = scale * x[a]
                                let target = block + a &* p
                                for b in a ..< p { target[b] += sa * x[b] }
                            }
                        }
                    }
                }
            }
        }
        return finite
    }
}
