/// The second pass of the exact solver's normal-equations path for nearly
/// exact fits: the co-moments of the residuals, Σ wᵢ rᵢ rᵢᵀ (k × k), of given
/// coefficients.
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

    static func gram<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, weights: [Double], intercepts: [Double],
        origins: [Double], threads: Int
    ) throws -> [Double] {
        try Residuals(weights: weights, intercepts: intercepts, origins: origins, threads: threads)
            .specialized(X, Y, sampleWeight)
    }

    /// The pass, run specialised (see ConcreteElement.swift).
    private struct Residuals: SpecializedJob {
        let weights: [Double], intercepts: [Double], origins: [Double], threads: Int
        func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>, _ sampleWeight: VectorView<F>?) -> [Double] {
            ResidualMoments.run(X, Y, sampleWeight, weights, intercepts, origins, threads)
        }
    }

    fileprivate static func run<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ weights: [Double],
        _ intercepts: [Double], _ origins: [Double], _ threads: Int
    ) -> [Double] {
        let n = X.rows, d = X.columns, k = Y.columns
        // b′ₒ = bₒ + Σ_c o_c βₒc − o_yₒ, in double-double.
        var shifted = [Double](repeating: 0, count: k)
        for o in 0 ..< k {
            var sum = DoubleDouble(intercepts[o])
            for c in 0 ..< d { sum += DoubleDouble(origins[c]) * weights[o &* d &+ c] }
            sum -= DoubleDouble(origins[d &+ o])
            shifted[o] = sum.value
        }
        let chunks = n == 0 ? 0 : (n &- 1) / chunkRows &+ 1
        let slots = min(chunks, 256)
        var total = [Double](repeating: 0, count: k &* k)
        var first = 0
        while first < chunks {
            let round = min(slots, chunks &- first)
            var sums = [Double](repeating: 0, count: round &* k &* k)
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
                                accumulate(X, Y, sampleWeight, beta, origin, offset, rows, base + item &* k &* k)
                            }
                        }
                    }
                }
            }
            for item in 0 ..< round {
                for i in 0 ..< (k &* k) { total[i] += sums[item &* k &* k &+ i] }
            }
            first &+= round
        }
        for a in 0 ..< k {
            for b in 0 ..< a { total[a &* k &+ b] = total[b &* k &+ a] }
        }
        return total
    }

    /// Σ wᵢ rᵢₐ rᵢ_b (a ≤ b) over `rows`, into `out` (k × k, upper part).
    private static func accumulate<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ beta: UnsafePointer<Double>,
        _ origin: UnsafePointer<Double>, _ offset: UnsafePointer<Double>, _ rows: Range<Int>,
        _ out: UnsafeMutablePointer<Double>
    ) {
        let d = X.columns, k = Y.columns
        let r = UnsafeMutablePointer<Double>.allocate(capacity: max(1, k))
        let x = UnsafeMutablePointer<Double>.allocate(capacity: max(1, d))
        defer {
            r.deallocate()
            x.deallocate()
        }
        for i in 0 ..< (k &* k) { out[i] = 0 }
        for i in rows {
            let w = sampleWeight.map { $0[i].asDouble } ?? 1
            let xr = X.rowPointer(i), yr = Y.rowPointer(i)
            for c in 0 ..< d { x[c] = xr[c].asDouble - origin[c] }
            for o in 0 ..< k {
                let b = beta + o &* d
                var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                var c = 0
                while c &+ 4 <= d {
                    s0 += x[c] * b[c]
                    s1 += x[c &+ 1] * b[c &+ 1]
                    s2 += x[c &+ 2] * b[c &+ 2]
                    s3 += x[c &+ 3] * b[c &+ 3]
                    c &+= 4
                }
                while c < d {
                    s0 += x[c] * b[c]
                    c &+= 1
                }
                r[o] = ((yr[o].asDouble - origin[d &+ o]) - ((s0 + s1) + (s2 + s3))) - offset[o]
            }
            for a in 0 ..< k {
                let wa = w * r[a]
                for b in a ..< k { out[a &* k &+ b] += wa * r[b] }
            }
        }
    }
}
