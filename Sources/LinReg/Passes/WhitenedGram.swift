import LinRegKernels

/// The Gram matrix of whitened rows: G = Σ wᵢ zᵢzᵢᵀ with zᵢ = Tᵀ(xᵢ − c)
/// for a d × d matrix T and centre c. The exact solver's preconditioning
/// pass (ExactSolver+Preconditioning.swift): with T = R̃⁻¹ from a first,
/// inaccurate Cholesky factor R̃ of the design's co-moments, G is close to
/// the identity and its own factor R₂ makes R₂R̃ an accurate one
/// (Cholesky QR applied twice: its first step's error is κ²·ε, its second's
/// about ε).
///
/// The rows go through `CovarianceKernel` in its `gram` mode: X is widened
/// about the column `origins` o (so large column means cancel exactly, as in
/// the moments pass), then x̃ = [1, x − o] is multiplied by T_aug, whose
/// first row −(c − o)ᵀT centres it and whose other rows are T, skipping the
/// rows of T known to be zero in each block of eight columns (T is upper
/// triangular); the sums are the co-moment tiles with fused multiply-adds.
/// Fixed chunks summed by the worker threads and added in chunk order: the
/// same bits for every thread count and instruction set.
///
/// A partial whitening (`columns`, ascending) keeps only those columns of T:
/// z holds m values, each the sum over T's rows up to its column, and G is
/// m × m (the kernel's `gramColumns`): about m·d + m²/2 steps per row
/// instead of d², so the pass costs little more than a read of X.
enum WhitenedGram {
    static let chunkRows = 16_384

    /// G (m × m, row-major, symmetric; m = d, or the count of `columns`), or
    /// nil when a sum is not finite (a partial whitening reads the columns of X
    /// up to its last kept one only: the moments pass has checked X before).
    /// `transform` is T (d × d row-major, upper
    /// triangular); `columns` the columns of T kept (ascending), or nil for
    /// all; `offsets` the centre minus the origins, c − o (double-double, d
    /// values).
    static func sums<E: TrainingScalar>(
        X: MatrixView<E>, sampleWeight: VectorView<E>?, transform: [Double], columns: [Int]? = nil,
        origins: [Double], offsets: [DoubleDouble], threads: Int, kernels: KernelDispatch.Level? = nil
    ) -> [Double]? {
        let n = X.rows, d = X.columns, p = d &+ 1
        guard d >= 1, transform.count == d &* d, origins.count == d, offsets.count == d else { return nil }
        let kept = columns ?? Array(0 ..< d)
        let m = kept.count
        guard m >= 1, kept.allSatisfy({ (0 ..< d).contains($0) }), zip(kept, kept.dropFirst()).allSatisfy({ $0 < $1 })
        else { return nil }
        let ld = CovarianceKernel.leadingDimension(parameters: p)
        // T_aug in x̃'s order [1, x − o], the kept columns of T in order:
        // row 0 = −(c − o)ᵀT (double-double sums), then T.
        var t = [Double](repeating: 0, count: p &* ld)
        for (j, l) in kept.enumerated() {
            var sum = DoubleDouble.zero
            for a in 0 ... l { sum -= offsets[a] * transform[a &* d &+ l] }
            t[j] = sum.value
            for a in 0 ..< d { t[(a &+ 1) &* ld &+ j] = transform[a &* d &+ l] }
        }
        // Column block b holds kept columns 8b …; upper triangular T: rows up
        // to the block's last column, plus row 0; none past the kept columns.
        let limits = (0 ..< ld / 8).map { b in 8 &* b < m ? min(p, kept[min(8 &* b &+ 7, m &- 1)] &+ 2) : 0 }
        let origin = origins + [Double](repeating: 0, count: 8)
        let zero = [Double](repeating: 0, count: ld &+ 8)
        let level = KernelDispatch.level(kernels)
        let chunks = n == 0 ? 0 : (n &- 1) / chunkRows &+ 1
        let square = ld &* ld
        var slots = [Double](repeating: 0, count: chunks &* square)
        let blockRows = CovarianceKernel.blockRows
        t.withUnsafeBufferPointer { tp in
            limits.withUnsafeBufferPointer { lp in
                origin.withUnsafeBufferPointer { op in
                    zero.withUnsafeBufferPointer { zp in
                        slots.withUnsafeMutableBufferPointer { slotBuffer in
                            let base = slotBuffer.baseAddress!
                            let workers = WorkerThreads.count(requested: threads, pieces: max(1, chunks))
                            WorkerThreads.forEach(items: chunks, workers: workers) { _, chunk in
                                let buffers = UnsafeMutablePointer<Double>.allocate(capacity: 3 &* blockRows &* ld)
                                buffers.initialize(repeating: 0, count: 3 &* blockRows &* ld)
                                let small = UnsafeMutablePointer<Double>.allocate(capacity: 2 &* blockRows &+ square)
                                var flag = false
                                defer {
                                    buffers.deallocate()
                                    small.deallocate()
                                }
                                let sums = base + chunk &* square
                                var start = chunk &* chunkRows
                                let end = min(n, start &+ chunkRows)
                                while start < end {
                                    let stop = min(end, start &+ blockRows)
                                    withUnsafeMutablePointer(to: &flag) { flagPointer in
                                        var job = CovarianceJob(
                                            x: UnsafeRawPointer(X.base), y: UnsafeRawPointer(zp.baseAddress!),
                                            weights: sampleWeight.map { UnsafeRawPointer($0.base) }, features: d,
                                            outputs: 1, parameters: p, ld: ld, rowStart: start, rowEnd: stop,
                                            interceptFirst: true, coefficients: zp.baseAddress!,
                                            intercepts: zp.baseAddress!, transform: tp.baseAddress!,
                                            transformRows: lp.baseAddress!, whitened: true, power: 0, gram: true,
                                            origin: op.baseAddress!, widened: buffers,
                                            transformed: buffers + blockRows &* ld,
                                            scaled: buffers + 2 &* blockRows &* ld, factors: small,
                                            leverage: small + blockRows, blockS: small + 2 &* blockRows,
                                            sums: sums, nonFinite: flagPointer)
                                        job.gramColumns = m
                                        // The next block's rows are asked for during the sums.
                                        job.aheadRows = min(end, stop &+ blockRows) &- stop
                                        KernelDispatch.covariance(job, element: E.self, level: level)
                                    }
                                    start = stop
                                }
                            }
                        }
                    }
                }
            }
        }
        // Chunk order: the same bits for every thread count.
        var gram = [Double](repeating: 0, count: m &* m)
        for chunk in 0 ..< chunks {
            for b in 0 ..< m {
                for a in 0 ... b { gram[a &* m &+ b] += slots[chunk &* square &+ b &* ld &+ a] }
            }
        }
        for a in 0 ..< m {
            for b in 0 ..< a { gram[a &* m &+ b] = gram[b &* m &+ a] }
        }
        return gram.allSatisfy(\.isFinite) ? gram : nil
    }
}
