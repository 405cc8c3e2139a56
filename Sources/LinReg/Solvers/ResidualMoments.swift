/// A pass over the data that computes the residuals of given coefficients
/// and sums them: their co-moments Σ wᵢ rᵢ rᵢᵀ (k × k), and, for iterative
/// refinement, their sums Σ wᵢ rᵢ (k) and the gradient Σ wᵢ (xᵢ − o) rᵢᵀ
/// (k × d, about the column origins o).
///
/// Used by the normal-equations path for nearly exact fits (the residual
/// block of the factor) and by the refined normal-equations path
/// (ExactSolver+Refinement.swift: corrections of the coefficients).
///
/// When Y is almost a linear function of X, the residual block of the
/// one-pass factor (Syy − cᵀc) would lose its digits to cancellation; the
/// residuals' own sums of squares have no such cancellation. Each residual is
/// computed about the columns' origins (rᵢₒ = (yᵢₒ − o_yₒ) − Σ_c (xᵢc − o_c)·βₒc − b′ₒ,
/// b′ₒ = bₒ + Σ_c o_c βₒc − o_yₒ in double-double), so its rounding is
/// ε times the data's spread, not their offsets.
///
/// Rows are cut into fixed chunks of ``chunkRows`` summed by `threads`
/// workers into one slot each and added in chunk order: the same bits for
/// every thread count. Memory: k² doubles per chunk of a round.
enum ResidualMoments {
    static let chunkRows = 16_384

    /// What one pass returns.
    struct Sums {
        /// Σ wᵢ rᵢ rᵢᵀ, k × k, symmetric, row-major.
        var gram: [Double]
        /// Σ wᵢ rᵢ, k (zeros unless the gradient was asked for).
        var sum: [Double]
        /// Σ wᵢ (xᵢ − o) rᵢₒ, k × d (row o for output o; empty unless asked for).
        var gradient: [Double]
    }

    /// Σ wᵢ rᵢ rᵢᵀ of the residuals rᵢ = yᵢ − b − Wxᵢ (weights k × d).
    static func gram<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, weights: [Double], intercepts: [Double],
        origins: [Double], threads: Int
    ) throws -> [Double] {
        try sums(X: X, Y: Y, sampleWeight: sampleWeight, weights: weights, intercepts: intercepts, origins: origins,
                 threads: threads, gradient: false).gram
    }

    /// The residual sums of one pass; with `gradient`, also Σ w r and the
    /// gradient about the origins.
    static func sums<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, weights: [Double], intercepts: [Double],
        origins: [Double], threads: Int, gradient: Bool
    ) throws -> Sums {
        try Residuals(weights: weights, intercepts: intercepts, origins: origins, threads: threads, gradient: gradient)
            .specialized(X, Y, sampleWeight)
    }

    /// The pass, run specialised (see ConcreteElement.swift).
    private struct Residuals: SpecializedJob {
        let weights: [Double], intercepts: [Double], origins: [Double], threads: Int, gradient: Bool
        func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>, _ sampleWeight: VectorView<F>?) -> Sums {
            ResidualMoments.run(X, Y, sampleWeight, weights, intercepts, origins, threads, gradient)
        }
    }

    fileprivate static func run<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ weights: [Double],
        _ intercepts: [Double], _ origins: [Double], _ threads: Int, _ gradient: Bool
    ) -> Sums {
        let n = X.rows, d = X.columns, k = Y.columns
        // b′ₒ = bₒ + Σ_c o_c βₒc − o_yₒ, in double-double.
        var shifted = [Double](repeating: 0, count: k)
        for o in 0 ..< k {
            var sum = DoubleDouble(intercepts[o])
            for c in 0 ..< d { sum += DoubleDouble(origins[c]) * weights[o &* d &+ c] }
            sum -= DoubleDouble(origins[d &+ o])
            shifted[o] = sum.value
        }
        // One slot per chunk of a round: k × k co-moments, then (with the
        // gradient) k sums and k × d gradient entries.
        let slot = k &* k &+ (gradient ? k &+ k &* d : 0)
        let chunks = n == 0 ? 0 : (n &- 1) / chunkRows &+ 1
        let slots = min(chunks, 256)
        var total = [Double](repeating: 0, count: slot)
        var first = 0
        while first < chunks {
            let round = min(slots, chunks &- first)
            var sums = [Double](repeating: 0, count: round &* slot)
            let roundStart = first
            sums.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                weights.withUnsafeBufferPointer { wb in
                    origins.withUnsafeBufferPointer { ob in
                        shifted.withUnsafeBufferPointer { sb in
                            guard let beta = wb.baseAddress, let origin = ob.baseAddress,
                                  let offset = sb.baseAddress else { return }
                            let workers = WorkerThreads.count(requested: threads, pieces: round)
                            WorkerThreads.forEach(items: round, workers: workers) { _, item in
                                let chunk = roundStart &+ item
                                let rows = (chunk &* chunkRows) ..< min(n, (chunk &+ 1) &* chunkRows)
                                accumulate(X, Y, sampleWeight, beta, origin, offset, rows, base + item &* slot,
                                           gradient: gradient)
                            }
                        }
                    }
                }
            }
            // Chunk order: the same bits for every thread count.
            for item in 0 ..< round {
                for i in 0 ..< slot { total[i] += sums[item &* slot &+ i] }
            }
            first &+= round
        }
        var gram = Array(total[0 ..< (k &* k)])
        for a in 0 ..< k {
            for b in 0 ..< a { gram[a &* k &+ b] = gram[b &* k &+ a] }
        }
        if !gradient { return Sums(gram: gram, sum: [Double](repeating: 0, count: k), gradient: []) }
        return Sums(gram: gram, sum: Array(total[(k &* k) ..< (k &* k &+ k)]),
                    gradient: Array(total[(k &* k &+ k)...]))
    }

    /// Σ wᵢ rᵢₐ rᵢ_b (a ≤ b) over `rows` into `out` (k × k, upper part);
    /// with `gradient` also Σ wᵢ rᵢ (k entries after it) and Σ wᵢ (xᵢ − o) rᵢₒ
    /// (k × d after those).
    private static func accumulate<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ beta: UnsafePointer<Double>,
        _ origin: UnsafePointer<Double>, _ offset: UnsafePointer<Double>, _ rows: Range<Int>,
        _ out: UnsafeMutablePointer<Double>, gradient: Bool
    ) {
        let d = X.columns, k = Y.columns
        let r = UnsafeMutablePointer<Double>.allocate(capacity: max(1, k))
        let x = UnsafeMutablePointer<Double>.allocate(capacity: max(1, d))
        defer {
            r.deallocate()
            x.deallocate()
        }
        let slot = k &* k &+ (gradient ? k &+ k &* d : 0)
        for i in 0 ..< slot { out[i] = 0 }
        // Sums run over blocks of `blockRows` rows into `local`, and blocks
        // into `out`: the rounding of a chunk's sums grows with the block
        // length plus the block count, not with the chunk length.
        let local = UnsafeMutablePointer<Double>.allocate(capacity: max(1, slot))
        defer { local.deallocate() }
        var blockStart = rows.lowerBound
        while blockStart < rows.upperBound {
            let blockEnd = min(rows.upperBound, blockStart &+ blockRows)
            for i in 0 ..< slot { local[i] = 0 }
            accumulateBlock(X, Y, sampleWeight, beta, origin, offset, blockStart ..< blockEnd, local, x, r,
                            gradient: gradient)
            for i in 0 ..< slot { out[i] += local[i] }
            blockStart = blockEnd
        }
    }

    /// Rows per block of ``accumulate``'s sums.
    static let blockRows = 128

    /// The sums of one block of rows into `out` (zeroed by the caller).
    @inline(__always)
    private static func accumulateBlock<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ beta: UnsafePointer<Double>,
        _ origin: UnsafePointer<Double>, _ offset: UnsafePointer<Double>, _ rows: Range<Int>,
        _ out: UnsafeMutablePointer<Double>, _ x: UnsafeMutablePointer<Double>, _ r: UnsafeMutablePointer<Double>,
        gradient: Bool
    ) {
        let d = X.columns, k = Y.columns
        let sums = out + k &* k
        let grad = sums + k
        for i in rows {
            let w = sampleWeight.map { $0[i].asDouble } ?? 1
            let xr = X.rowPointer(i), yr = Y.rowPointer(i)
            for o in 0 ..< k {
                // Four running sums (lane l takes the columns ≡ l mod 4), added
                // as (s0 + s1) + (s2 + s3): the same bits as four scalar chains.
                // The first output widens the row about the origins on the way.
                let b = beta + o &* d
                var s = SIMD4<Double>()
                var c = 0
                if o == 0 {
                    while c &+ 4 <= d {
                        let xv = SIMD4<Double>(xr[c].asDouble, xr[c &+ 1].asDouble, xr[c &+ 2].asDouble,
                                               xr[c &+ 3].asDouble)
                            - UnsafeRawPointer(origin + c).loadUnaligned(as: SIMD4<Double>.self)
                        UnsafeMutableRawPointer(x + c).storeBytes(of: xv, as: SIMD4<Double>.self)
                        s = s + xv * UnsafeRawPointer(b + c).loadUnaligned(as: SIMD4<Double>.self)
                        c &+= 4
                    }
                    var tail = c
                    while tail < d { x[tail] = xr[tail].asDouble - origin[tail]; tail &+= 1 }
                } else {
                    while c &+ 4 <= d {
                        let xv = UnsafeRawPointer(x + c).loadUnaligned(as: SIMD4<Double>.self)
                        s = s + xv * UnsafeRawPointer(b + c).loadUnaligned(as: SIMD4<Double>.self)
                        c &+= 4
                    }
                }
                var s0 = s[0]
                while c < d {
                    s0 += x[c] * b[c]
                    c &+= 1
                }
                r[o] = ((yr[o].asDouble - origin[d &+ o]) - ((s0 + s[1]) + (s[2] + s[3]))) - offset[o]
            }
            for a in 0 ..< k {
                let wa = w * r[a]
                for b in a ..< k { out[a &* k &+ b] += wa * r[b] }
            }
            if gradient {
                for o in 0 ..< k {
                    let wr = w * r[o]
                    sums[o] += wr
                    let g = grad + o &* d
                    let wv = SIMD4<Double>(repeating: wr)
                    var c = 0
                    while c &+ 4 <= d {
                        let gv = UnsafeRawPointer(g + c).loadUnaligned(as: SIMD4<Double>.self)
                            + wv * UnsafeRawPointer(x + c).loadUnaligned(as: SIMD4<Double>.self)
                        UnsafeMutableRawPointer(g + c).storeBytes(of: gv, as: SIMD4<Double>.self)
                        c &+= 4
                    }
                    while c < d { g[c] += wr * x[c]; c &+= 1 }
                }
            }
        }
    }
}
