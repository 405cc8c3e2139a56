/// A pass over the data that summarises the (weighted) residuals of given
/// coefficients in row order: the ``ResidualDiagnostics`` of each output.
///
/// Each residual is eᵢₒ = √wᵢ·(yᵢₒ − bₒ − Σ_c Wₒc xᵢc) (statsmodels'
/// `wresid`), formed in double about the column origins `origins` (see
/// ``CentredResiduals``). Rows are cut into fixed chunks of
/// ``chunkRows`` rows, summarised by `threads` workers (each chunk in blocks
/// of ``blockRows`` rows: residuals into a small buffer, then two passes
/// over it), and the chunks joined in row order on the calling thread: the
/// result does not depend on the thread count. Memory: a block buffer per
/// worker and one summary per output and chunk of a round, independent of n.
enum ResidualPass {
    static let chunkRows = 16_384
    static let blockRows = 128

    /// The residual summaries (one per output) of the rows of X, Y.
    static func diagnostics<E: TrainingScalar>(
        X: MatrixView<E>, Y: MatrixView<E>, sampleWeight: VectorView<E>?, weights: [Double],
        intercepts: [Double], origins: [Double], threads: Int
    ) throws -> [ResidualDiagnostics] {
        let centred = CentredResiduals(weights: weights, intercepts: intercepts, origins: origins,
                                       features: X.columns, outputs: Y.columns)
        return try Job(weights: weights, centred: centred, threads: threads).specialized(X, Y, sampleWeight)
    }

    private struct Job: SpecializedJob {
        let weights: [Double], centred: CentredResiduals, threads: Int
        func run<F: TrainingScalar>(_ X: MatrixView<F>, _ Y: MatrixView<F>,
                                    _ sampleWeight: VectorView<F>?) -> [ResidualDiagnostics] {
            ResidualPass.run(X, Y, sampleWeight, weights, centred, threads)
        }
    }

    private static func run<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ weights: [Double],
        _ centred: CentredResiduals, _ threads: Int
    ) -> [ResidualDiagnostics] {
        let n = X.rows, k = Y.columns
        var total = [ResidualDiagnostics](repeating: ResidualDiagnostics(), count: k)
        let chunks = n == 0 ? 0 : (n &- 1) / chunkRows &+ 1
        let slots = min(chunks, 256)
        var first = 0
        while first < chunks {
            let round = min(slots, chunks &- first)
            var parts = [ResidualDiagnostics](repeating: ResidualDiagnostics(), count: round &* k)
            let roundStart = first
            parts.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                weights.withUnsafeBufferPointer { wb in
                    centred.origins.withUnsafeBufferPointer { ob in
                        centred.shifted.withUnsafeBufferPointer { sb in
                            guard let beta = wb.baseAddress, let origin = ob.baseAddress,
                                  let offset = sb.baseAddress else { return }
                            let workers = WorkerThreads.count(requested: threads, pieces: round)
                            WorkerThreads.forEach(items: round, workers: workers) { _, item in
                                let chunk = roundStart &+ item
                                let rows = (chunk &* chunkRows) ..< min(n, (chunk &+ 1) &* chunkRows)
                                summarise(X, Y, sampleWeight, beta, origin, offset, rows, base + item &* k)
                            }
                        }
                    }
                }
            }
            // Row order: the same result for every thread count.
            for item in 0 ..< round {
                for o in 0 ..< k { total[o].append(parts[item &* k &+ o]) }
            }
            first &+= round
        }
        return total
    }

    /// The summaries of `rows` (consecutive) into `out[0 ..< k]`.
    private static func summarise<E: TrainingScalar>(
        _ X: MatrixView<E>, _ Y: MatrixView<E>, _ sampleWeight: VectorView<E>?, _ beta: UnsafePointer<Double>,
        _ origin: UnsafePointer<Double>, _ offset: UnsafePointer<Double>, _ rows: Range<Int>,
        _ out: UnsafeMutablePointer<ResidualDiagnostics>
    ) {
        let d = X.columns, k = Y.columns
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(1, blockRows &* k))
        defer { buffer.deallocate() }
        var blockStart = rows.lowerBound
        while blockStart < rows.upperBound {
            let blockEnd = min(rows.upperBound, blockStart &+ blockRows)
            for (t, i) in (blockStart ..< blockEnd).enumerated() {
                let xr = X.rowPointer(i), yr = Y.rowPointer(i)
                let root = sampleWeight.map { $0[i].asDouble.squareRoot() } ?? 1
                for o in 0 ..< k {
                    let b = beta + o &* d
                    var s = SIMD4<Double>()
                    var c = 0
                    while c &+ 4 <= d {
                        let xv = SIMD4<Double>(xr[c].asDouble, xr[c &+ 1].asDouble, xr[c &+ 2].asDouble,
                                               xr[c &+ 3].asDouble)
                            - UnsafeRawPointer(origin + c).loadUnaligned(as: SIMD4<Double>.self)
                        s = s + xv * UnsafeRawPointer(b + c).loadUnaligned(as: SIMD4<Double>.self)
                        c &+= 4
                    }
                    var s0 = s[0]
                    while c < d {
                        s0 += (xr[c].asDouble - origin[c]) * b[c]
                        c &+= 1
                    }
                    let residual = ((yr[o].asDouble - origin[d &+ o]) - ((s0 + s[1]) + (s[2] + s[3]))) - offset[o]
                    buffer[t &* k &+ o] = root * residual
                }
            }
            let count = blockEnd &- blockStart
            for o in 0 ..< k {
                out[o].append(ResidualDiagnostics(values: buffer + o, count: count, stride: k))
            }
            blockStart = blockEnd
        }
    }
}
