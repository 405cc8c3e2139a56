import LinRegKernels

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
        ways: Int, unscaledCovariance: [Double], factor: [Double]?, into meat: inout CovarianceMeat, threads: Int,
        kernels: KernelDispatch.Level? = nil
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
        let job = Job(groups: groups, ways: ways, covariance: bread, meat: updated, threads: threads, kernels: kernels)
        guard let result = try job.specialized(X, Y, sampleWeight) else {
            try InputValidation.checkFiniteValues(X: X, Y: Y)
            try InputValidation.checkSampleWeights(sampleWeight, rows: X.rows)
            // Finite data whose residuals at the coefficients exceed double's
            // range (the kernel flags them with non-finite input): the
            // robust covariance of such rows is not representable here.
            throw EngineError.overflow(
                "covariance pass: the rows' scores (residual x row) overflow double; "
                    + "the data are finite but too large for a robust covariance (rescale X and Y)")
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
        let kernels: KernelDispatch.Level?
        func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>, _ w: VectorView<F>?) throws
            -> CovarianceMeat? {
            CovariancePass.run(X, Y, w, groups, ways, covariance, meat, threads, kernels)
        }
    }

    /// The pass; nil when X or Y holds a non-finite value.
    fileprivate static func run<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ groups: UnsafePointer<Int64>?,
        _ ways: Int, _ bread: [Double], _ start: CovarianceMeat, _ threads: Int, _ kernels: KernelDispatch.Level?
    ) -> CovarianceMeat? {
        var meat = start
        let n = X.rows, k = Y.columns, p = meat.parameterCount
        let layout = Layout(meat: meat, bread: bread)
        let ld = layout.ld, order = layout.order
        let isCluster = meat.kind == .cluster
        let hcSlot = isCluster ? 0 : k &* ld &* ld
        let level = KernelDispatch.level(kernels)
        let rowsPerChunk = isCluster ? clusterChunkRows : chunkRows
        let chunks = n == 0 ? 0 : (n &- 1) / rowsPerChunk &+ 1
        let workers = WorkerThreads.count(requested: threads, pieces: max(1, chunks))
        // Cluster chunks hold up to a table per chunk: a few per worker at once.
        let roundLength = isCluster ? max(1, 2 &* workers) : roundChunks
        var first = 0
        while first < chunks {
            let round = min(roundLength, chunks &- first)
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
                WorkerThreads.forEach(items: round, workers: min(workers, round)) { _, item in
                    let chunk = roundStart &+ item
                    let rows = (chunk &* rowsPerChunk) ..< min(n, (chunk &+ 1) &* rowsPerChunk)
                    if isCluster {
                        var local: [CovarianceMeat.ClusterSums] = []
                        finiteSlots[item] = accumulateClusters(X, Y, sampleWeight, groups!, ways, groupings, layout,
                                                               rows, level, into: &local)
                        clusterSlots[item] = local
                    } else {
                        finiteSlots[item] = accumulateSquares(X, Y, sampleWeight, layout, rows, level,
                                                              into: hcBuffer.baseAddress! + item &* hcSlot)
                    }
                }
            }
            if (0 ..< round).contains(where: { !finiteSlots[$0] }) { return nil }
            // Chunk order: the same bits for every thread count.
            for item in 0 ..< round {
                if hcSlot > 0 {
                    for j in 0 ..< k {
                        let slot = item &* hcSlot &+ j &* ld &* ld, block = j &* p &* p
                        for b in 0 ..< p {
                            for a in 0 ... b {
                                let (low, high) = (min(order[a], order[b]), max(order[a], order[b]))
                                meat.hc[block &+ low &* p &+ high] += hcSums[slot &+ b &* ld &+ a]
                            }
                        }
                    }
                }
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
        return meat
    }

    /// Rows per chunk of a cluster-robust pass (its per-chunk tables are
    /// merged serially, so fewer, longer chunks than ``chunkRows``).
    static let clusterChunkRows = 131_072

    /// What every block of the pass shares (`CovarianceJob`'s read-only
    /// inputs): x̃'s order, the coefficients in it, and the transform T with
    /// its nonzero rows per column block.
    ///
    /// * Whitened (full rank): T = F = R⁻¹ with its rows put in the order
    ///   x̃ = [1, x] (the solver's own order), where F is upper triangular,
    ///   so a block of eight columns needs only the rows above its end. For
    ///   the HC sums, F's first column (z₀ = F₀₀, the same for every row)
    ///   is moved last: then only the last block needs every row of T.
    ///   `order[q]` is the coordinate of z that column q of the sums holds.
    /// * Not whitened, HC2/HC3: T = (XᵀWX)⁺ (dense), x̃ = [x, 1]; the
    ///   leverage is wᵢ·x̃ᵢᵀTx̃ᵢ.
    /// * Otherwise no transform.
    ///
    /// Cluster-robust passes never transform rows: each chunk adds the
    /// scores wᵢeᵢⱼx̃ᵢ of its rows per cluster and whitens the chunk's
    /// cluster sums (`whiten`, with T = F unpermuted), which costs p² per
    /// cluster and chunk instead of per row, and rounds no worse: a row's
    /// transform errs by ε‖F‖‖x̃ᵢ‖ either way.
    fileprivate struct Layout: @unchecked Sendable {
        let ld: Int
        let interceptFirst: Bool
        let coefficients: [Double]
        let transform: [Double]?
        let transformRows: [Int]
        let order: [Int]
        let meat: CovarianceMeat

        init(meat: CovarianceMeat, bread: [Double]) {
            self.meat = meat
            let d = meat.featureCount, k = meat.outputCount, p = meat.parameterCount
            let ld = CovarianceKernel.leadingDimension(parameters: p)
            self.ld = ld
            let first = meat.whitened && p > d
            interceptFirst = first
            let offset = first ? 1 : 0
            // Eight zeros past the end: the kernel reads β in whole vectors.
            var coefficients = [Double](repeating: 0, count: k &* ld &+ 8)
            for j in 0 ..< k {
                for c in 0 ..< d { coefficients[j &* ld &+ offset &+ c] = meat.weights[j &* d &+ c] }
            }
            self.coefficients = coefficients
            let moveFirstColumn = first && meat.kind != .cluster && p > 1
            let order = (0 ..< p).map { moveFirstColumn ? ($0 == p &- 1 ? 0 : $0 &+ 1) : $0 }
            self.order = order
            guard meat.whitened || meat.kind.leveragePower > 0 else {
                transform = nil
                transformRows = []
                return
            }
            // Row a of T in x̃'s order is row `external(a)` of the bread;
            // column q is the bread's column order[q].
            func external(_ a: Int) -> Int { first ? (a == 0 ? d : a &- 1) : a }
            var t = [Double](repeating: 0, count: max(1, p &* ld))
            var rows = [Int](repeating: 0, count: ld / 8)
            for a in 0 ..< p {
                for q in 0 ..< p {
                    let value = bread[external(a) &* p &+ order[q]]
                    t[a &* ld &+ q] = value
                    if value != 0 { rows[q / 8] = max(rows[q / 8], a &+ 1) }
                }
            }
            transform = t
            transformRows = rows
        }

        /// z = Tᵀu for the p values at `u` (x̃'s order) into `z` (whitened
        /// passes; u copied otherwise).
        func whiten(_ u: UnsafePointer<Double>, into z: UnsafeMutablePointer<Double>) {
            let p = meat.parameterCount
            guard meat.whitened, let t = transform else {
                for c in 0 ..< p { z[c] = u[c] }
                return
            }
            // Eight columns at a time, over the rows of T that may be nonzero there.
            t.withUnsafeBufferPointer { tp in
                guard let base = tp.baseAddress else { return }
                var block = 0
                while block &* 8 < p {
                    var sum = SIMD8<Double>()
                    for a in 0 ..< transformRows[block] {
                        sum += SIMD8<Double>(repeating: u[a])
                            * UnsafeRawPointer(base + (a &* ld &+ block &* 8)).loadUnaligned(as: SIMD8<Double>.self)
                    }
                    for lane in 0 ..< min(8, p &- block &* 8) { z[block &* 8 &+ lane] = sum[lane] }
                    block &+= 1
                }
            }
        }
    }

    /// Scratch of one worker for ``CovarianceKernel``'s blocks.
    private struct Scratch {
        let blockRows = CovarianceKernel.blockRows
        let buffers: UnsafeMutablePointer<Double>
        let small: UnsafeMutablePointer<Double>
        let ld: Int, k: Int

        init(ld: Int, k: Int) {
            self.ld = ld
            self.k = k
            buffers = .allocate(capacity: 3 &* blockRows &* ld)
            buffers.initialize(repeating: 0, count: 3 &* blockRows &* ld)
            small = .allocate(capacity: blockRows &* (k &+ 1) &+ ld &* ld)
        }

        func deallocate() {
            buffers.deallocate()
            small.deallocate()
        }

        var widened: UnsafeMutablePointer<Double> { buffers }
        var factors: UnsafeMutablePointer<Double> { small }

        /// The job of rows `start ..< end` (one block).
        func job<E: TrainingScalar>(_ X: MatrixView<E>, _ Y: MatrixView<E>, _ w: VectorView<E>?, _ layout: Layout,
                                    beta: UnsafePointer<Double>, intercepts: UnsafePointer<Double>,
                                    transform: UnsafePointer<Double>?, limits: UnsafePointer<Int>?,
                                    start: Int, end: Int, sums: UnsafeMutablePointer<Double>?,
                                    flag: UnsafeMutablePointer<Bool>) -> CovarianceJob {
            let meat = layout.meat
            return CovarianceJob(
                x: X.columns == 0 ? nil : UnsafeRawPointer(X.base), y: UnsafeRawPointer(Y.base),
                weights: w.map { UnsafeRawPointer($0.base) }, features: X.columns, outputs: k,
                parameters: meat.parameterCount, ld: ld, rowStart: start, rowEnd: end,
                interceptFirst: layout.interceptFirst, coefficients: beta, intercepts: intercepts,
                transform: transform, transformRows: limits, whitened: transform != nil && meat.whitened,
                power: transform == nil ? 0 : meat.kind.leveragePower,
                widened: buffers, transformed: buffers + blockRows &* ld, scaled: buffers + 2 &* blockRows &* ld,
                factors: small, leverage: small + blockRows &* k, blockS: small + blockRows &* (k &+ 1),
                sums: sums, nonFinite: flag)
        }
    }

    /// Calls `body` with the pointers of the layout's arrays.
    private static func withLayout<R>(
        _ layout: Layout,
        _ body: (UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>?, UnsafePointer<Int>?) -> R
    ) -> R {
        layout.coefficients.withUnsafeBufferPointer { beta in
            layout.meat.intercepts.withUnsafeBufferPointer { intercepts in
                (layout.transform ?? [0]).withUnsafeBufferPointer { t in
                    (layout.transformRows.isEmpty ? [0] : layout.transformRows).withUnsafeBufferPointer { limits in
                        body(beta.baseAddress!, intercepts.baseAddress!,
                             layout.transform == nil ? nil : t.baseAddress,
                             layout.transform == nil ? nil : limits.baseAddress)
                    }
                }
            }
        }
    }

    /// One chunk of an HC pass: its sums into `sums` (k × ld × ld, zeroed
    /// here; entry a ≤ b at b·ld + a, coordinates `layout.order`). False when
    /// a value of X or Y is not finite.
    private static func accumulateSquares<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ layout: Layout, _ rows: Range<Int>,
        _ level: KernelDispatch.Level, into sums: UnsafeMutablePointer<Double>
    ) -> Bool {
        sums.initialize(repeating: 0, count: Y.columns &* layout.ld &* layout.ld)
        return runBlocks(X, Y, sampleWeight, layout, rows, level, transform: true, sums: sums)
    }

    /// Runs ``CovarianceKernel`` over `rows` in blocks (with T, or without
    /// it when `transform` is false), each block's job first given to
    /// `configure(start, end, &job)`, and the next block's rows asked for
    /// while the kernel computes; false (and no further block) when a value
    /// is not finite.
    private static func runBlocks<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ layout: Layout, _ rows: Range<Int>,
        _ level: KernelDispatch.Level, transform: Bool, sums: UnsafeMutablePointer<Double>?,
        configure: ((Int, Int, inout CovarianceJob) -> Void)? = nil
    ) -> Bool {
        let scratch = Scratch(ld: layout.ld, k: Y.columns)
        defer { scratch.deallocate() }
        var nonFinite = false
        withUnsafeMutablePointer(to: &nonFinite) { flag in
            withLayout(layout) { beta, intercepts, t, limits in
                var start = rows.lowerBound
                while start < rows.upperBound {
                    let end = min(rows.upperBound, start &+ scratch.blockRows)
                    var job = scratch.job(X, Y, sampleWeight, layout, beta: beta, intercepts: intercepts,
                                          transform: transform ? t : nil, limits: transform ? limits : nil,
                                          start: start, end: end, sums: sums, flag: flag)
                    job.aheadRows = min(rows.upperBound, end &+ scratch.blockRows) &- end
                    configure?(start, end, &job)
                    KernelDispatch.covariance(job, element: E.self, level: level)
                    if flag.pointee { return }
                    start = end
                }
            }
        }
        return !nonFinite
    }

    /// One chunk of a cluster pass: per grouping (one, or two and their
    /// intersection), every cluster's score sums Σ wᵢeᵢⱼx̃ᵢ over the chunk's
    /// rows in row order, whitened at the end (``Layout``), into `local`.
    /// Each block's rows are given their clusters' slots first (new
    /// clusters get zeroed sums), then the kernel adds their scores.
    /// False when a value of X or Y is not finite.
    private static func accumulateClusters<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ groups: UnsafePointer<Int64>,
        _ ways: Int, _ groupings: Int, _ layout: Layout, _ rows: Range<Int>, _ level: KernelDispatch.Level,
        into local: inout [CovarianceMeat.ClusterSums]
    ) -> Bool {
        let k = Y.columns, ld = layout.ld, p = layout.meat.parameterCount
        let width = k &* ld, blockRows = CovarianceKernel.blockRows
        let tables = UnsafeMutablePointer<ChunkClusters>.allocate(capacity: groupings)
        tables.initialize(repeating: ChunkClusters(), count: groupings)
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: groupings &* blockRows)
        let bases = UnsafeMutablePointer<UnsafeMutablePointer<Double>>.allocate(capacity: groupings)
        defer {
            for g in 0 ..< groupings { tables[g].release() }
            tables.deinitialize(count: groupings)
            tables.deallocate()
            slots.deallocate()
            bases.deallocate()
        }
        let finite = runBlocks(X, Y, sampleWeight, layout, rows, level, transform: false, sums: nil,
                               configure: { start, end, job in
            for r in 0 ..< (end &- start) {
                let label = groups + (start &+ r) &* ways
                slots[r] = tables[0].slot(.init(first: label[0], second: 0), width: width)
                if groupings == 3 {
                    slots[blockRows &+ r] = tables[1].slot(.init(first: label[1], second: 0), width: width)
                    slots[2 &* blockRows &+ r] = tables[2].slot(.init(first: label[0], second: label[1]), width: width)
                }
            }
            for g in 0 ..< groupings { bases[g] = tables[g].raw! }
            job.scoreTables = UnsafePointer(bases)
            job.scoreSlots = UnsafePointer(slots)
            job.scoreTableCount = groupings
        })
        guard finite else { return false }
        local = (0 ..< groupings).map { g in
            let keys = tables[g].keys
            var sums = [Double](repeating: 0, count: keys.count &* k &* p)
            if let u = tables[g].raw {
                sums.withUnsafeMutableBufferPointer { z in
                    for slot in 0 ..< keys.count {
                        for j in 0 ..< k {
                            layout.whiten(u + (slot &* width &+ j &* ld), into: z.baseAddress! + (slot &* k &+ j) &* p)
                        }
                    }
                }
            }
            return CovarianceMeat.ClusterSums(keys: keys, sums: sums)
        }
        return true
    }

    /// One grouping's clusters within a chunk: their score sums Σ fᵢⱼx̃ᵢ
    /// (`width` = k·ld values per cluster, x̃'s order, not yet whitened) in
    /// first-seen order, in a buffer the kernel adds to (``release()`` it).
    private struct ChunkClusters {
        var index = ClusterIndex()
        var keys: [CovarianceMeat.ClusterKey] = []
        private(set) var raw: UnsafeMutablePointer<Double>?
        private var capacity = 0

        /// The slot of `key`'s sums, zeroed when the key is new.
        @inline(__always)
        mutating func slot(_ key: CovarianceMeat.ClusterKey, width: Int) -> Int {
            let (slot, inserted) = index.slot(for: key)
            if inserted {
                keys.append(key)
                let needed = (slot &+ 1) &* width
                if needed > capacity { grow(to: needed, width: width) }
                (raw! + slot &* width).initialize(repeating: 0, count: width)
            }
            return slot
        }

        /// Cache-line aligned (k·ld doubles is a whole number of lines, so no
        /// cluster's sums straddle an extra line).
        private mutating func grow(to needed: Int, width: Int) {
            let size = max(needed, 2 &* capacity, 64 &* width)
            let larger = UnsafeMutableRawPointer.allocate(byteCount: size &* MemoryLayout<Double>.stride, alignment: 64)
                .bindMemory(to: Double.self, capacity: size)
            if let raw {
                larger.moveInitialize(from: raw, count: capacity)
                raw.deallocate()
            }
            raw = larger
            capacity = size
        }

        func release() { raw?.deallocate() }
    }
}
